/*
 * kernel/cspace.c - capability-pointer resolution.
 *
 * A cptr is read from its most significant resolved bit down.  At each
 * CNode the next guard-size bits must equal the guard, the next radix bits
 * index a slot; if bits remain and that slot holds a CNode, resolution goes
 * on there.  Every level consumes at least one bit (radix >= 1), so at
 * most KEEL_WORD_BITS levels are visited.
 *
 * Callers: syscall.c (invoked and extra caps), cnode.c, untyped.c.
 */
#include "cspace.h"

/* The n bits of v that sit just below bit `top` (bits top-1 .. top-n). */
static word_t bits_below(word_t v, word_t top, word_t n)
{
    if (n == 0)
        return 0;
    word_t shift = top - n;
    return (shift >= KEEL_WORD_BITS ? 0 : v >> shift) & MASK(n);
}

static int lookup_fail(struct kerr *e, word_t arg, word_t kind, word_t left, word_t depth,
                       const char *why)
{
    return kerr_set(e, KEEL_FAILED_LOOKUP, arg, kind, left, depth - left, why);
}

/* seL4's resolveAddressBits: returns the slot reached and the bits left. */
static int resolve(const cap_t *root, word_t cptr, word_t depth, word_t arg, slot_t **out,
                   word_t *left_out, struct kerr *e)
{
    if (root->type != KEEL_CAP_CNODE)
        return lookup_fail(e, arg, KEEL_LOOKUP_INVALID_ROOT, depth, depth,
                           "lookup: root is not a CNode");
    cap_t node = *root;
    word_t left = depth;
    for (;;) {
        word_t radix = node.bits, gsize = node.aux;
        word_t level = radix + gsize;
        if (level > left)
            return lookup_fail(e, arg, KEEL_LOOKUP_DEPTH_MISMATCH, left, depth,
                               "lookup: fewer bits left than the next CNode resolves");
        if (bits_below(cptr, left, gsize) != node.data)
            return lookup_fail(e, arg, KEEL_LOOKUP_GUARD_MISMATCH, left, depth,
                               "lookup: guard mismatch");
        slot_t *s = cnode_slot(node.obj, bits_below(cptr, left - gsize, radix));
        left -= level;
        if (left == 0 || s->cap.type != KEEL_CAP_CNODE) {
            *out = s;
            *left_out = left;
            return KEEL_OK;
        }
        node = s->cap;
    }
}

int cspace_lookup_slot(const cap_t *root, word_t cptr, word_t depth, word_t arg, slot_t **out,
                       struct kerr *e)
{
    word_t left;
    if (depth < 1 || depth > KEEL_WORD_BITS)
        return kerr_set(e, KEEL_RANGE_ERROR, arg + 1, 1, KEEL_WORD_BITS, depth,
                        "lookup: depth out of range");
    int r = resolve(root, cptr, depth, arg, out, &left, e);
    if (r == KEEL_OK && left != 0)
        return lookup_fail(e, arg, KEEL_LOOKUP_DEPTH_MISMATCH, left, depth,
                           "lookup: reached a non-CNode with bits left");
    return r;
}

int cspace_lookup_cap(struct tcb *t, word_t cptr, word_t arg, slot_t **out, struct kerr *e)
{
    const cap_t *root = &t->slots[TCB_SLOT_CSPACE].cap;
    word_t left;
    if ((*out = cspace_lookup_fast(t, cptr)))
        return KEEL_OK;
    int r = resolve(root, cptr, KEEL_WORD_BITS, arg, out, &left, e);
    if (r == KEEL_OK && cap_is_null(&(*out)->cap))
        return lookup_fail(e, arg, KEEL_LOOKUP_MISSING_CAP, left, KEEL_WORD_BITS,
                           "lookup: empty slot");
    return r;
}
