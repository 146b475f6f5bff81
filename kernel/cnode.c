/*
 * kernel/cnode.c - the CNode methods: Copy, Mint, Move, Mutate, Rotate,
 * Delete and Revoke.
 *
 * The invoked CNode cap is the root for the destination (index, depth);
 * sources are addressed from a CNode passed as an extra capability.  Copy
 * and Mint derive: the new cap is the source's MDB child or sibling, rights
 * can only shrink, and Mint can badge an unbadged endpoint or notification
 * cap (making a new revocable "badged original") or give a CNode cap a
 * guard.  Move, Mutate and Rotate move caps keeping their place in the
 * derivation tree; Mutate and Rotate can change a CNode guard but never a
 * badge.  Delete and Revoke are in delete.c and may be preempted.
 *
 * Error argument numbers are message-register indices (see docs/abi.md).
 */
#include "invoke.h"
#include "state.h"

/* Look up a slot by (index at MR i, depth at MR i+1) from `root`. */
static int lookup_at(const struct invocation *inv, const slot_t *root, word_t root_arg,
                     word_t i, slot_t **out, struct kerr *e)
{
    if (root->cap.type != KEEL_CAP_CNODE)
        return kerr_set(e, KEEL_FAILED_LOOKUP, root_arg, KEEL_LOOKUP_INVALID_ROOT,
                        inv_mr(inv, i + 1), 0, "CNode: source root is not a CNode");
    return cspace_lookup_slot(&root->cap, inv_mr(inv, i), inv_mr(inv, i + 1), i, out, e);
}

static int need_empty(const slot_t *s, word_t arg, struct kerr *e)
{
    if (!cap_is_null(&s->cap))
        return kerr_set(e, KEEL_DELETE_FIRST, arg, 0, 0, 0, "CNode: destination not empty");
    return KEEL_OK;
}

static int need_full(const slot_t *s, word_t arg, word_t depth, struct kerr *e)
{
    if (cap_is_null(&s->cap))
        return kerr_set(e, KEEL_FAILED_LOOKUP, arg, KEEL_LOOKUP_MISSING_CAP, 0, depth,
                        "CNode: source slot empty");
    return KEEL_OK;
}

static int need_movable(const slot_t *s, word_t arg, struct kerr *e)
{
    if (s->cap.type == KEEL_CAP_ZOMBIE)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, arg, KEEL_CAP_ZOMBIE, 0, 0,
                        "CNode: a capability being deleted cannot move");
    return KEEL_OK;
}

/* Apply badge or guard `data` (at MR `arg`) to c.  `mint`: a badge may be
 * set on an unbadged endpoint/notification cap; otherwise badges are
 * preserved and data must be 0 for them. */
int cap_update_data(cap_t *c, word_t data, bool mint, word_t arg, struct kerr *e)
{
    switch (c->type) {
    case KEEL_CAP_ENDPOINT:
    case KEEL_CAP_NOTIFICATION:
        if (data == 0)
            return KEEL_OK;
        if (!mint)
            return kerr_set(e, KEEL_ILLEGAL_OPERATION, arg, c->type, 0, 0,
                            "CNode: only Mint can badge a capability");
        if (c->data != 0)
            return kerr_set(e, KEEL_ILLEGAL_OPERATION, arg, c->type, 0, 0,
                            "CNode Mint: capability is already badged");
        c->data = data;
        return KEEL_OK;
    case KEEL_CAP_CNODE: {
        word_t gsize = data & MASK(KEEL_GUARD_SIZE_BITS), guard = data >> KEEL_GUARD_SIZE_BITS;
        if (gsize + c->bits > KEEL_WORD_BITS)
            return kerr_set(e, KEEL_RANGE_ERROR, arg, 0, KEEL_WORD_BITS - c->bits, gsize,
                            "CNode: guard size + radix exceeds the word");
        if (gsize < KEEL_WORD_BITS && (guard >> gsize) != 0)
            return kerr_set(e, KEEL_INVALID_ARGUMENT, arg, data, 0, 0,
                            "CNode: guard value wider than the guard size");
        c->data = guard;
        c->aux = (uint32_t)gsize;
        return KEEL_OK;
    }
    default:
        if (data != 0)
            return kerr_set(e, KEEL_INVALID_ARGUMENT, arg, data, 0, 0,
                            "CNode: this capability type takes no badge or guard");
        return KEEL_OK;
    }
}

/* The capability Copy (mint false: badge and guard kept) or Mint (data
 * applied) would create from src, with its MDB flags. */
int cap_derive(const slot_t *src, word_t rights, word_t data, bool mint, word_t data_arg,
                  cap_t *out, struct kerr *e)
{
    cap_t c = src->cap;
    switch (c.type) {
    case KEEL_CAP_ZOMBIE:
    case KEEL_CAP_REPLY:
    case KEEL_CAP_IRQ_CONTROL:
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, 2, c.type, 0, 0,
                        "CNode: this capability type cannot be copied");
    case KEEL_CAP_UNTYPED:
        if (mdb_has_children(src))
            return kerr_set(e, KEEL_REVOKE_FIRST, 2, 0, 0, 0,
                            "CNode: an untyped with children cannot be copied");
        break;
    default:
        break;
    }
    if (rights & ~(word_t)KEEL_RIGHTS_ALL)
        return kerr_set(e, KEEL_INVALID_ARGUMENT, 4, rights, 0, 0, "CNode: unknown rights bits");
    int r = mint ? cap_update_data(&c, data, true, data_arg, e) : KEEL_OK;
    if (r == KEEL_OK)
        r = vspace_derive(&c, e);
    if (r != KEEL_OK)
        return r;
    c.rights &= (uint8_t)rights;
    c.flags &= (uint8_t)~(CAP_F_REVOCABLE | CAP_F_FIRST_BADGED);
    if (c.type == KEEL_CAP_UNTYPED)
        c.flags |= CAP_F_REVOCABLE;
    else if ((c.type == KEEL_CAP_ENDPOINT || c.type == KEEL_CAP_NOTIFICATION) &&
             c.data != src->cap.data)
        c.flags |= CAP_F_REVOCABLE | CAP_F_FIRST_BADGED;
    *out = c;
    return KEEL_OK;
}

/* Copy, Mint, Move, Mutate: dest (MR0, MR1) from the invoked CNode, src
 * (MR2, MR3) from extra cap 0. */
static int decode_transfer(struct invocation *inv, struct kerr *e)
{
    static const uint8_t words[] = {[KEEL_CNODE_COPY] = 5, [KEEL_CNODE_MINT] = 6,
                                    [KEEL_CNODE_MOVE] = 4, [KEEL_CNODE_MUTATE] = 5};
    word_t label = inv->label;
    slot_t *dest, *src;
    cap_t c;
    int r = inv_need(inv, words[label], 1, e);
    if (r == KEEL_OK)
        r = cspace_lookup_slot(&inv->slot->cap, inv_mr(inv, 0), inv_mr(inv, 1), 0, &dest, e);
    if (r == KEEL_OK)
        r = need_empty(dest, 0, e);
    if (r == KEEL_OK)
        r = lookup_at(inv, inv->extra[0], KEEL_ARG_CAP(0), 2, &src, e);
    if (r == KEEL_OK)
        r = need_full(src, 2, inv_mr(inv, 3), e);
    if (r != KEEL_OK)
        return r;
    if (label == KEEL_CNODE_COPY || label == KEEL_CNODE_MINT) {
        bool mint = label == KEEL_CNODE_MINT;
        r = cap_derive(src, inv_mr(inv, 4), mint ? inv_mr(inv, 5) : 0, mint, 5, &c, e);
        if (r == KEEL_OK)
            mdb_insert_after(src, dest, &c);
        return r;
    }
    c = src->cap;
    r = need_movable(src, 2, e);
    if (r == KEEL_OK && label == KEEL_CNODE_MUTATE)
        r = cap_update_data(&c, inv_mr(inv, 4), false, 4, e);
    if (r == KEEL_OK)
        mdb_move(src, dest, &c);
    return r;
}

/* Rotate: pivot -> dest (badge MR2), src -> pivot (badge MR5).  Dest at
 * (MR0, MR1) from the invoked CNode, pivot at (MR3, MR4) from extra cap 0,
 * src at (MR6, MR7) from extra cap 1.  If dest is src, the two swap. */
static int decode_rotate(struct invocation *inv, struct kerr *e)
{
    slot_t *dest, *pivot, *src;
    int r = inv_need(inv, 8, 2, e);
    if (r == KEEL_OK)
        r = cspace_lookup_slot(&inv->slot->cap, inv_mr(inv, 0), inv_mr(inv, 1), 0, &dest, e);
    if (r == KEEL_OK)
        r = lookup_at(inv, inv->extra[0], KEEL_ARG_CAP(0), 3, &pivot, e);
    if (r == KEEL_OK)
        r = lookup_at(inv, inv->extra[1], KEEL_ARG_CAP(1), 6, &src, e);
    if (r != KEEL_OK)
        return r;
    if (pivot == src || pivot == dest)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, 3, pivot->cap.type, 0, 0,
                        "CNode Rotate: pivot must differ from source and destination");
    if ((r = need_full(src, 6, inv_mr(inv, 7), e)) != KEEL_OK ||
        (r = need_full(pivot, 3, inv_mr(inv, 4), e)) != KEEL_OK ||
        (r = need_movable(src, 6, e)) != KEEL_OK || (r = need_movable(pivot, 3, e)) != KEEL_OK)
        return r;
    if (dest != src && (r = need_empty(dest, 0, e)) != KEEL_OK)
        return r;
    cap_t new_pivot = pivot->cap, new_src = src->cap;
    if ((r = cap_update_data(&new_pivot, inv_mr(inv, 2), false, 2, e)) != KEEL_OK ||
        (r = cap_update_data(&new_src, inv_mr(inv, 5), false, 5, e)) != KEEL_OK)
        return r;
    pivot->cap = new_pivot;
    src->cap = new_src;
    if (dest == src) {
        mdb_swap(pivot, src);
    } else {
        mdb_move(pivot, dest, &new_pivot);
        mdb_move(src, pivot, &new_src);
    }
    return KEEL_OK;
}

int cnode_decode(struct invocation *inv, struct kerr *e)
{
    slot_t *s;
    int r;
    switch (inv->label) {
    case KEEL_CNODE_COPY:
    case KEEL_CNODE_MINT:
    case KEEL_CNODE_MOVE:
    case KEEL_CNODE_MUTATE:
        return decode_transfer(inv, e);
    case KEEL_CNODE_ROTATE:
        return decode_rotate(inv, e);
    case KEEL_CNODE_DELETE:
    case KEEL_CNODE_REVOKE:
        r = inv_need(inv, 2, 0, e);
        if (r == KEEL_OK)
            r = cspace_lookup_slot(&inv->slot->cap, inv_mr(inv, 0), inv_mr(inv, 1), 0, &s, e);
        if (r != KEEL_OK)
            return r;
        return inv->label == KEEL_CNODE_DELETE ? slot_delete(s) : slot_revoke(s);
    case KEEL_CNODE_CANCEL_BADGED_SENDS:
        r = inv_need(inv, 2, 0, e);
        if (r == KEEL_OK)
            r = cspace_lookup_slot(&inv->slot->cap, inv_mr(inv, 0), inv_mr(inv, 1), 0, &s, e);
        if (r != KEEL_OK)
            return r;
        if (s->cap.type != KEEL_CAP_ENDPOINT || s->cap.rights != KEEL_RIGHTS_ALL)
            return kerr_set(e, KEEL_ILLEGAL_OPERATION, 0, s->cap.type, s->cap.rights, 0,
                            "CancelBadgedSends: needs an endpoint cap with all rights");
        if (s->cap.data != 0)
            ep_cancel_badged((struct endpoint *)s->cap.obj, s->cap.data);
        return KEEL_OK;
    default:
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_CNODE, 0, 0,
                        "CNode: unknown method");
    }
}
