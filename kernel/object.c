/*
 * kernel/object.c - object sizes, creation from untyped memory and
 * finalisation when the last capability goes.
 *
 * Creation zeroes the object's memory (device memory excepted) and returns
 * its original capability with all rights.  Finalisation of containers
 * (CNodes and TCBs hold capability slots) is driven by delete.c, which
 * empties their slots first; object_finalise() then only releases what the
 * object itself holds.
 *
 * Callers: untyped.c (create), delete.c (finalise), boot.c.
 */
#include "state.h"

/* The log2 size of an object of `type` for Retype's size argument, or a
 * range error naming argument 1. */
int object_size_bits(word_t type, word_t user_bits, word_t *bits, struct kerr *e)
{
    word_t lo = 0, hi = 0;
    switch (type) {
    case KEEL_OBJ_UNTYPED:
        lo = KEEL_UNTYPED_MIN_BITS, hi = KEEL_UNTYPED_MAX_BITS;
        *bits = user_bits;
        break;
    case KEEL_OBJ_CNODE:
        lo = KEEL_CNODE_MIN_RADIX, hi = KEEL_CNODE_MAX_RADIX;
        *bits = user_bits + KEEL_SLOT_BITS;
        break;
    case KEEL_OBJ_SCHED_CONTEXT:
        lo = KEEL_SCHED_CONTEXT_MIN_BITS, hi = KEEL_SCHED_CONTEXT_MAX_BITS;
        *bits = user_bits;
        break;
    case KEEL_OBJ_FRAME:
        if (user_bits >= KEEL_WORD_BITS || !(ARCH_FRAME_SIZE_MASK & BIT(user_bits)))
            return kerr_set(e, KEEL_INVALID_ARGUMENT, 1, user_bits, ARCH_FRAME_SIZE_MASK, 0,
                            "Retype: no Frame of that size on this arch");
        *bits = user_bits;
        return KEEL_OK;
    case KEEL_OBJ_PAGE_TABLE:
        if (ARCH_PAGE_TABLE_BITS == 0)
            return kerr_set(e, KEEL_INVALID_ARGUMENT, 0, type, 0, 0,
                            "Retype: this arch has no page tables");
        *bits = ARCH_PAGE_TABLE_BITS;
        return KEEL_OK;
    case KEEL_OBJ_TCB:
        *bits = KEEL_TCB_BITS;
        return KEEL_OK;
    case KEEL_OBJ_ENDPOINT:
        *bits = KEEL_ENDPOINT_BITS;
        return KEEL_OK;
    case KEEL_OBJ_NOTIFICATION:
        *bits = KEEL_NOTIFICATION_BITS;
        return KEEL_OK;
    case KEEL_OBJ_REPLY:
        *bits = KEEL_REPLY_BITS;
        return KEEL_OK;
    default:
        return kerr_set(e, KEEL_INVALID_ARGUMENT, 0, type, 0, 0, "Retype: unknown object type");
    }
    if (user_bits < lo || user_bits > hi)
        return kerr_set(e, KEEL_RANGE_ERROR, 1, lo, hi, user_bits,
                        "Retype: object size out of range");
    return KEEL_OK;
}

static const uint8_t obj_to_cap[KEEL_OBJ_TYPE_COUNT] = {
    [KEEL_OBJ_UNTYPED] = KEEL_CAP_UNTYPED,
    [KEEL_OBJ_TCB] = KEEL_CAP_TCB,
    [KEEL_OBJ_ENDPOINT] = KEEL_CAP_ENDPOINT,
    [KEEL_OBJ_NOTIFICATION] = KEEL_CAP_NOTIFICATION,
    [KEEL_OBJ_CNODE] = KEEL_CAP_CNODE,
    [KEEL_OBJ_SCHED_CONTEXT] = KEEL_CAP_SCHED_CONTEXT,
    [KEEL_OBJ_REPLY] = KEEL_CAP_REPLY,
    [KEEL_OBJ_FRAME] = KEEL_CAP_FRAME,
    [KEEL_OBJ_PAGE_TABLE] = KEEL_CAP_PAGE_TABLE,
};

/* Create one object of `type` and log2 size `bits` at kernel address
 * `addr` (aligned, inside an untyped) and return its original capability.
 * Only untyped and frames may be device memory; neither is touched then. */
cap_t object_create(word_t type, unsigned bits, word_t addr, bool device)
{
    cap_t c = {.obj = addr, .type = obj_to_cap[type], .rights = KEEL_RIGHTS_ALL,
               .flags = CAP_F_REVOCABLE};
    if (device)
        c.flags |= CAP_F_DEVICE;
    else if (type != KEEL_OBJ_UNTYPED)
        kmemset((void *)addr, 0, BIT(bits));
    switch (type) {
    case KEEL_OBJ_UNTYPED:
    case KEEL_OBJ_FRAME:
    case KEEL_OBJ_PAGE_TABLE:
        c.bits = (uint8_t)bits;
        break;
    case KEEL_OBJ_CNODE:
        c.bits = (uint8_t)(bits - KEEL_SLOT_BITS);
        break;
    case KEEL_OBJ_SCHED_CONTEXT: {
        struct sched_context *sc = (void *)addr;
        sc->refill_max = keel_sc_refills(bits);
        c.bits = (uint8_t)bits;
        break;
    }
    case KEEL_OBJ_TCB: {
        struct tcb *t = (void *)addr;
        t->state = THREAD_INACTIVE;
        t->tid = ++ks.trace_tids;
        arch_ctx_init(&t->ctx, 0, 0, 0);
        break;
    }
    default:
        break;
    }
    return c;
}

bool object_is_container(const cap_t *c)
{
    return c->type == KEEL_CAP_CNODE || c->type == KEEL_CAP_TCB;
}

word_t container_nslots(const cap_t *z)
{
    if (z->flags & CAP_F_ZOMBIE_TCB)
        return TCB_SLOT_COUNT;
    return BIT(z->bits - KEEL_SLOT_BITS);
}

slot_t *container_slot(const cap_t *z, word_t i)
{
    if (z->flags & CAP_F_ZOMBIE_TCB)
        return &((struct tcb *)z->obj)->slots[i];
    return cnode_slot(z->obj, i);
}

/* Release what an object holds once no capability names it.  Containers
 * arrive here as zombies whose slots are already empty. */
void object_finalise(const cap_t *c)
{
    switch (c->type) {
    case KEEL_CAP_ZOMBIE:
        if (c->flags & CAP_F_ZOMBIE_TCB)
            thread_destroy((struct tcb *)c->obj);
        break;
    case KEEL_CAP_ENDPOINT:
        ep_cancel_all((struct endpoint *)c->obj);
        break;
    case KEEL_CAP_NOTIFICATION:
        ntfn_cancel_all((struct notification *)c->obj);
        irq_forget_ntfn((struct notification *)c->obj);
        break;
    case KEEL_CAP_IRQ_HANDLER:
        irq_handler_deleted(c->data);
        break;
    case KEEL_CAP_REPLY:
        reply_destroy((struct reply *)c->obj);
        break;
    case KEEL_CAP_SCHED_CONTEXT:
        sc_destroy((struct sched_context *)c->obj);
        break;
    default:
        /* Untyped, frames, CNodes (emptied by delete.c) and control caps
         * hold nothing. */
        break;
    }
}
