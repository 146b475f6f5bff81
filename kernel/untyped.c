/*
 * kernel/untyped.c - Untyped_Retype: turning untyped memory into objects.
 *
 * Rules (seL4's): 1..KEEL_RETYPE_MAX_OBJECTS objects of one type and size
 * per call, each aligned to its own size, allocated at the untyped's
 * watermark and placed in contiguous empty slots of one CNode.  An untyped
 * with no MDB children restarts at offset 0 (its memory is reused; objects
 * are zeroed when created).  Device untyped only becomes Frames or Untyped.
 * The new caps are MDB children of the untyped cap.
 *
 * Copies of an untyped cap (allowed only while it has no children) share
 * its region, so only one of them may allocate: the newest.  Retype through
 * a cap that has a copy below it fails with RevokeFirst, and deleting a
 * copy hands its watermark back to the cap it was copied from (see
 * untyped_pass_watermark), so no two objects can ever overlap.
 *
 * Known limit: creating an object zeroes it without a preemption point, so
 * one call costs time proportional to the memory it creates (seL4 has the
 * same caveat for CNodes and frames).
 */
#include "invoke.h"
#include "state.h"

struct retype_args {
    word_t type, obj_bits, num;
    slot_t *dest;        /* the destination CNode's slot array, first slot */
    word_t base;         /* where the first object goes */
    bool reset;          /* the untyped has no children: start from 0 */
};

/* Find the destination CNode: root itself at depth 0, else the CNode at
 * (index, depth) in root. */
static int dest_cnode(const struct invocation *inv, cap_t *out, struct kerr *e)
{
    const cap_t *root = &inv->extra[0]->cap;
    word_t index = inv_mr(inv, 2), depth = inv_mr(inv, 3);
    slot_t *s;
    if (root->type != KEEL_CAP_CNODE)
        return kerr_set(e, KEEL_FAILED_LOOKUP, KEEL_ARG_CAP(0), KEEL_LOOKUP_INVALID_ROOT, depth,
                        0, "Retype: the destination root is not a CNode");
    if (depth == 0)
        s = inv->extra[0];
    else {
        int r = cspace_lookup_slot(root, index, depth, 2, &s, e);
        if (r != KEEL_OK)
            return r;
    }
    if (s->cap.type != KEEL_CAP_CNODE)
        return kerr_set(e, KEEL_FAILED_LOOKUP, 2, KEEL_LOOKUP_MISSING_CAP, 0, depth,
                        "Retype: the destination slot holds no CNode");
    *out = s->cap;
    return KEEL_OK;
}

static int decode_retype(struct invocation *inv, struct retype_args *a, struct kerr *e)
{
    const cap_t *ut = &inv->slot->cap;
    cap_t cnode;
    int r = inv_need(inv, 6, 1, e);
    if (r != KEEL_OK)
        return r;
    a->type = inv_mr(inv, 0);
    a->num = inv_mr(inv, 5);
    word_t offset = inv_mr(inv, 4);
    if ((r = object_size_bits(a->type, inv_mr(inv, 1), &a->obj_bits, e)) != KEEL_OK)
        return r;
    if ((ut->flags & CAP_F_DEVICE) && a->type != KEEL_OBJ_FRAME && a->type != KEEL_OBJ_UNTYPED)
        return kerr_set(e, KEEL_INVALID_ARGUMENT, 0, a->type, 0, 0,
                        "Retype: device untyped only becomes Frames or Untyped");
    if ((r = dest_cnode(inv, &cnode, e)) != KEEL_OK)
        return r;
    word_t nslots = BIT(cnode.bits);
    if (offset >= nslots)
        return kerr_set(e, KEEL_RANGE_ERROR, 4, 0, nslots - 1, offset,
                        "Retype: slot offset outside the CNode");
    if (a->num < 1 || a->num > KEEL_RETYPE_MAX_OBJECTS || a->num > nslots - offset) {
        word_t max = nslots - offset < KEEL_RETYPE_MAX_OBJECTS ? nslots - offset
                                                                : KEEL_RETYPE_MAX_OBJECTS;
        return kerr_set(e, KEEL_RANGE_ERROR, 5, 1, max, a->num,
                        "Retype: object count out of range");
    }
    a->dest = cnode_slot(cnode.obj, offset);
    for (word_t i = 0; i < a->num; i++)
        if (!cap_is_null(&cnode_slot(cnode.obj, offset + i)->cap))
            return kerr_set(e, KEEL_DELETE_FIRST, 4, offset + i, 0, 0,
                            "Retype: destination slot not empty");
    slot_t *next = inv->slot->mdb_next;
    if (next->cap.type == KEEL_CAP_UNTYPED && next->cap.obj == ut->obj &&
        next->cap.bits == ut->bits && mdb_is_parent(inv->slot, next))
        return kerr_set(e, KEEL_REVOKE_FIRST, KEEL_ARG_SERVICE, 0, 0, 0,
                        "Retype: a copy of this untyped exists; retype through the copy");
    /* Memory: from the watermark, or from 0 when nothing was made from it. */
    a->reset = !mdb_has_children(inv->slot);
    word_t used = a->reset ? 0 : ut->data;
    word_t size = BIT(ut->bits);
    if (a->obj_bits > ut->bits)
        return kerr_set(e, KEEL_NOT_ENOUGH_MEMORY, 1, size - used, 0, 0,
                        "Retype: object larger than the untyped");
    word_t start = align_up(used, a->obj_bits);
    if (start > size || ((size - start) >> a->obj_bits) < a->num || arch_inject_retype_failure())
        return kerr_set(e, KEEL_NOT_ENOUGH_MEMORY, 5, size - used, 0, 0,
                        "Retype: not enough memory left in the untyped");
    a->base = ut->obj + start;
    return KEEL_OK;
}

static int invoke_retype(struct invocation *inv, const struct retype_args *a)
{
    slot_t *parent = inv->slot;
    bool device = parent->cap.flags & CAP_F_DEVICE;
    parent->cap.data = a->base - parent->cap.obj + (a->num << a->obj_bits);
    for (word_t i = 0; i < a->num; i++) {
        cap_t c = object_create(a->type, (unsigned)a->obj_bits, a->base + (i << a->obj_bits),
                                device);
        mdb_insert_after(parent, cnode_slot((word_t)a->dest, i), &c);
    }
    return KEEL_OK;
}

int untyped_decode(struct invocation *inv, struct kerr *e)
{
    struct retype_args a;
    if (inv->label != KEEL_UNTYPED_RETYPE)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_UNTYPED, 0, 0,
                        "Untyped: unknown method");
    int r = decode_retype(inv, &a, e);
    return r != KEEL_OK ? r : invoke_retype(inv, &a);
}

/* An untyped cap in `s` is being deleted: if it is a copy of the untyped
 * before it (same region, its MDB parent), that cap inherits its watermark,
 * since the objects made through the copy become its children. */
void untyped_pass_watermark(const slot_t *s)
{
    slot_t *p = s->mdb_prev;
    if (p->cap.type == KEEL_CAP_UNTYPED && p->cap.obj == s->cap.obj &&
        p->cap.bits == s->cap.bits && mdb_is_parent(p, s) && p->cap.data < s->cap.data)
        p->cap.data = s->cap.data;
}
