/*
 * user/lib/invoke.c - one typed wrapper per kernel method.  Argument order
 * and message layout are those of docs/abi.md; each wrapper only packs
 * words and extra caps for keel_invoke().
 */
#include <libkeel.h>

keel_error_t keel_untyped_retype(keel_cptr_t untyped, keel_word_t type, keel_word_t size_bits,
                                 keel_cptr_t root, keel_word_t node_index,
                                 keel_word_t node_depth, keel_word_t node_offset,
                                 keel_word_t num_objects)
{
    keel_word_t w[] = {type, size_bits, node_index, node_depth, node_offset, num_objects};
    return keel_invoke(untyped, KEEL_UNTYPED_RETYPE, 6, w, 1, &root);
}

keel_error_t keel_cnode_copy(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                             keel_cptr_t src_root, keel_word_t src_index,
                             keel_word_t src_depth, keel_word_t rights)
{
    keel_word_t w[] = {dest_index, dest_depth, src_index, src_depth, rights};
    return keel_invoke(root, KEEL_CNODE_COPY, 5, w, 1, &src_root);
}

keel_error_t keel_cnode_mint(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                             keel_cptr_t src_root, keel_word_t src_index,
                             keel_word_t src_depth, keel_word_t rights, keel_word_t badge)
{
    keel_word_t w[] = {dest_index, dest_depth, src_index, src_depth, rights, badge};
    return keel_invoke(root, KEEL_CNODE_MINT, 6, w, 1, &src_root);
}

keel_error_t keel_cnode_move(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                             keel_cptr_t src_root, keel_word_t src_index,
                             keel_word_t src_depth)
{
    keel_word_t w[] = {dest_index, dest_depth, src_index, src_depth};
    return keel_invoke(root, KEEL_CNODE_MOVE, 4, w, 1, &src_root);
}

keel_error_t keel_cnode_mutate(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                               keel_cptr_t src_root, keel_word_t src_index,
                               keel_word_t src_depth, keel_word_t data)
{
    keel_word_t w[] = {dest_index, dest_depth, src_index, src_depth, data};
    return keel_invoke(root, KEEL_CNODE_MUTATE, 5, w, 1, &src_root);
}

keel_error_t keel_cnode_rotate(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                               keel_word_t dest_badge, keel_cptr_t pivot_root,
                               keel_word_t pivot_index, keel_word_t pivot_depth,
                               keel_word_t pivot_badge, keel_cptr_t src_root,
                               keel_word_t src_index, keel_word_t src_depth)
{
    keel_word_t w[] = {dest_index,  dest_depth,  dest_badge, pivot_index,
                       pivot_depth, pivot_badge, src_index,  src_depth};
    keel_cptr_t caps[] = {pivot_root, src_root};
    return keel_invoke(root, KEEL_CNODE_ROTATE, 8, w, 2, caps);
}

keel_error_t keel_cnode_delete(keel_cptr_t root, keel_word_t index, keel_word_t depth)
{
    keel_word_t w[] = {index, depth};
    return keel_invoke(root, KEEL_CNODE_DELETE, 2, w, 0, 0);
}

keel_error_t keel_cnode_revoke(keel_cptr_t root, keel_word_t index, keel_word_t depth)
{
    keel_word_t w[] = {index, depth};
    return keel_invoke(root, KEEL_CNODE_REVOKE, 2, w, 0, 0);
}
