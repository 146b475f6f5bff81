/*
 * user/lib/vspace.c - memory the caller can touch: user addresses for
 * frames, mapping with the page tables created on the way, and new
 * address spaces that run the same program.
 *
 * Addresses come from one bump range per allocator (the boot info's
 * [map_start, map_end)), shared by every address space the allocator
 * builds, so a frame mapped anywhere never collides with another one and
 * a thread's IPC buffer has one address in every space.  Addresses are not
 * given back.  On ports without page tables (a->vspace == 0) frames are
 * reachable where Frame_GetAddress says, and nothing here maps.
 */
#include <libkeel.h>

keel_word_t keel_alloc_vaddr(struct keel_alloc *a, keel_word_t bytes, keel_word_t align_bits)
{
    keel_word_t align = (keel_word_t)1 << align_bits;
    keel_word_t va = (a->map_next + align - 1) & ~(align - 1);
    if (a->map_end == 0 || va < a->map_next || va >= a->map_end || bytes > a->map_end - va)
        return 0;
    a->map_next = va + bytes;
    return va;
}

keel_error_t keel_map_frame(struct keel_alloc *a, keel_cptr_t vspace, keel_cptr_t frame,
                            keel_word_t vaddr, keel_word_t rights, keel_word_t attr)
{
    /* Each missing level costs one table: Sv39 needs at most two. */
    for (int tries = 0; tries < 4; tries++) {
        keel_error_t r = keel_frame_map(frame, vspace, vaddr, rights, attr);
        if (r != KEEL_FAILED_LOOKUP)
            return r;
        keel_cptr_t table;
        if ((r = keel_alloc_object(a, KEEL_OBJ_PAGE_TABLE, 0, &table)) != KEEL_OK ||
            (r = keel_page_table_map(table, vspace, vaddr)) != KEEL_OK)
            return r;
    }
    return KEEL_FAILED_LOOKUP;
}

keel_error_t keel_frame_vaddr(struct keel_alloc *a, keel_cptr_t frame, keel_word_t size_bits,
                              keel_word_t *vaddr)
{
    keel_error_t r = keel_frame_get_address(frame, 0, vaddr);
    if (r != KEEL_OK || *vaddr != 0 || a->vspace == 0)
        return r;
    keel_word_t va = keel_alloc_vaddr(a, (keel_word_t)1 << size_bits, size_bits);
    if (va == 0)
        return KEEL_NOT_ENOUGH_MEMORY;
    r = keel_map_frame(a, a->vspace, frame, va, KEEL_RIGHT_READ | KEEL_RIGHT_WRITE,
                       KEEL_MAP_EXECUTE_NEVER);
    if (r == KEEL_OK)
        *vaddr = va;
    return r;
}

keel_error_t keel_device_frame(struct keel_alloc *a, keel_word_t paddr, keel_cptr_t *frame)
{
    const struct keel_bootinfo *bi = a->bi;
    for (keel_word_t i = 0; i < bi->untyped_count; i++) {
        const struct keel_untyped_desc *u = &bi->untyped_list[i];
        if (!u->is_device || paddr < u->paddr ||
            paddr - u->paddr >= ((keel_word_t)1 << u->size_bits))
            continue;
        /* Device untyped hands out frames in order from its start (or from
         * its watermark): one at a time until the frame over paddr. */
        keel_word_t want = paddr & ~(((keel_word_t)1 << KEEL_PAGE_BITS) - 1), pa = 0;
        while (pa != want) {
            keel_cptr_t s = keel_slot_alloc(&a->slots);
            if (s == 0)
                return KEEL_NOT_ENOUGH_MEMORY;
            keel_error_t r = keel_untyped_retype(bi->untyped.start + i, KEEL_OBJ_FRAME,
                                                 KEEL_PAGE_BITS, a->slots.cnode, 0, 0, s, 1);
            if (r == KEEL_OK)
                r = keel_frame_get_address(s, &pa, 0);
            if (r != KEEL_OK)
                return r; /* (past the page already: NotEnoughMemory) */
            *frame = s;
        }
        return KEEL_OK;
    }
    return KEEL_FAILED_LOOKUP;
}

keel_error_t keel_alloc_frame(struct keel_alloc *a, keel_word_t size_bits, keel_cptr_t *frame,
                              keel_word_t *vaddr)
{
    keel_error_t r = keel_alloc_object(a, KEEL_OBJ_FRAME, size_bits, frame);
    return r != KEEL_OK ? r : keel_frame_vaddr(a, *frame, size_bits, vaddr);
}

keel_error_t keel_vspace_create(struct keel_alloc *a, keel_cptr_t *vspace)
{
    const struct keel_bootinfo *bi = a->bi;
    keel_error_t r = keel_alloc_object(a, KEEL_OBJ_PAGE_TABLE, 0, vspace);
    if (r == KEEL_OK)
        r = keel_asid_pool_assign(a->asid_pool, *vspace, 0);
    for (keel_word_t s = bi->image_frames.start; r == KEEL_OK && s < bi->image_frames.end; s++) {
        keel_cptr_t copy = keel_slot_alloc(&a->slots);
        if (copy == 0)
            return KEEL_NOT_ENOUGH_MEMORY;
        keel_word_t va = bi->image_vaddr + ((s - bi->image_frames.start) << KEEL_PAGE_BITS);
        r = keel_cnode_copy(a->slots.cnode, copy, KEEL_WORD_BITS, a->slots.cnode, s,
                            KEEL_WORD_BITS, KEEL_RIGHTS_ALL);
        if (r == KEEL_OK)
            r = keel_map_frame(a, *vspace, copy, va, KEEL_RIGHT_READ | KEEL_RIGHT_WRITE, 0);
    }
    return r;
}
