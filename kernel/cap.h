/*
 * kernel/cap.h - capabilities, slots and the capability derivation tree
 * (MDB).
 *
 * A slot holds one capability and its MDB node.  The MDB is one circular
 * doubly-linked list through every non-empty slot, in depth-first order of
 * the derivation tree, with a sentinel (ks.mdb_head) holding a null cap.
 * Parenthood is not stored: b is a child of a iff b follows a's subtree
 * start and mdb_is_parent(a, b) (seL4's rule, see cap.c).  Empty slots have
 * null MDB links.
 *
 * Fields of a capability by type:
 *   Untyped    obj=base, data=bytes used (watermark), bits=size, flags: DEVICE
 *   CNode      obj=slots, data=guard, aux=guard size, bits=radix
 *   Endpoint, Notification   obj, data=badge (0: unbadged)
 *   TCB, Reply, SchedContext obj (SchedContext: bits=size)
 *   Frame      obj, bits=size, flags: DEVICE; mapped: aux=ASID, data=vaddr
 *   PageTable  obj, bits=size; mapped: aux=ASID, data=vaddr; a root:
 *              aux=its ASID, flags: PT_ROOT (kernel/vspace.c)
 *   ASIDPool   obj (512 root pointers), bits=size, data=its ASIDs / 512
 *   ASIDControl  nothing (a singleton, as IRQControl)
 *   IRQHandler data=irq number
 *   Zombie     obj=container (CNode slots or TCB), bits=object size,
 *              aux=slots still to clear, data=back pointer (the zombie slot
 *              of the container that holds this one), flags: ZOMBIE_TCB
 */
#ifndef KEEL_CAP_H
#define KEEL_CAP_H

#include "kernel.h"

#define CAP_F_DEVICE 0x01       /* untyped or frame over device memory */
#define CAP_F_REVOCABLE 0x02    /* may have MDB children (seL4 mdbRevocable) */
#define CAP_F_FIRST_BADGED 0x04 /* the first cap with this badge (seL4 mdbFirstBadged) */
#define CAP_F_ZOMBIE_TCB 0x08   /* zombie of a TCB rather than of a CNode */
#define CAP_F_PT_ROOT 0x10      /* a PageTable that is a VSpace root */

typedef struct cap {
    word_t obj;
    word_t data;
    uint32_t aux;
    uint8_t type;   /* enum keel_cap_type */
    uint8_t rights; /* KEEL_RIGHT_* */
    uint8_t bits;
    uint8_t flags;
} cap_t;

typedef struct slot {
    cap_t cap;
    struct slot *mdb_prev;
    struct slot *mdb_next;
} slot_t;

_Static_assert(sizeof(slot_t) <= (1u << KEEL_SLOT_BITS), "a slot must fit KEEL_SLOT_BITS");

static inline slot_t *cnode_slot(word_t cnode, word_t index)
{
    return (slot_t *)(cnode + (index << KEEL_SLOT_BITS));
}

static inline bool cap_is_null(const cap_t *c)
{
    return c->type == KEEL_CAP_NULL;
}

/* Properties of capabilities, and the MDB's parent rule: small pure
 * predicates, inline because the MDB walks (and the invariant checker's)
 * call them for every node they pass. */
static inline word_t cap_obj_size_bits(const cap_t *c)
{
    switch (c->type) {
    case KEEL_CAP_UNTYPED:
    case KEEL_CAP_FRAME:
    case KEEL_CAP_PAGE_TABLE:
    case KEEL_CAP_ASID_POOL:
    case KEEL_CAP_SCHED_CONTEXT:
    case KEEL_CAP_ZOMBIE:
        return c->bits;
    case KEEL_CAP_CNODE:
        return c->bits + KEEL_SLOT_BITS;
    case KEEL_CAP_TCB:
        return KEEL_TCB_BITS;
    case KEEL_CAP_ENDPOINT:
        return KEEL_ENDPOINT_BITS;
    case KEEL_CAP_NOTIFICATION:
        return KEEL_NOTIFICATION_BITS;
    case KEEL_CAP_REPLY:
        return KEEL_REPLY_BITS;
    default:
        return 0; /* control caps and null: no memory */
    }
}

/* Two capabilities name the same object (untyped caps never do: each
 * names a region, and a region's children are other objects). */
static inline bool cap_same_object(const cap_t *a, const cap_t *b)
{
    if (a->type != b->type || a->type == KEEL_CAP_NULL || a->type == KEEL_CAP_UNTYPED)
        return false;
    switch (a->type) {
    case KEEL_CAP_IRQ_HANDLER:
        return a->data == b->data;
    case KEEL_CAP_IRQ_CONTROL:
    case KEEL_CAP_SCHED_CONTROL:
    case KEEL_CAP_ASID_CONTROL:
        return a->obj == b->obj;
    default:
        return a->obj == b->obj && a->bits == b->bits;
    }
}

/* b's object lies within what a covers: a's memory region for untyped, the
 * IRQ space for IRQControl, else a's object. */
static inline bool cap_same_region(const cap_t *a, const cap_t *b)
{
    if (a->type == KEEL_CAP_UNTYPED) {
        word_t bits = cap_obj_size_bits(b);
        if (bits == 0)
            return false;
        word_t a_end = a->obj + BIT(a->bits) - 1;
        word_t b_end = b->obj + BIT(bits) - 1;
        return b->obj >= a->obj && b_end <= a_end;
    }
    if (a->type == KEEL_CAP_IRQ_CONTROL)
        return b->type == KEEL_CAP_IRQ_HANDLER || b->type == KEEL_CAP_IRQ_CONTROL;
    return cap_same_object(a, b);
}

/* The derivation rule (cap.c's opening comment). */
static inline bool mdb_is_parent(const slot_t *a, const slot_t *b)
{
    if (!(a->cap.flags & CAP_F_REVOCABLE) || !cap_same_region(&a->cap, &b->cap))
        return false;
    if (a->cap.type == KEEL_CAP_ENDPOINT || a->cap.type == KEEL_CAP_NOTIFICATION) {
        word_t badge = a->cap.data;
        return badge == 0 || (badge == b->cap.data && !(b->cap.flags & CAP_F_FIRST_BADGED));
    }
    return true;
}

/* cap.c: the MDB */
bool mdb_has_children(const slot_t *s);
bool mdb_is_final(const slot_t *s);
void mdb_insert_after(slot_t *parent, slot_t *dest, const cap_t *c);
void mdb_move(slot_t *src, slot_t *dest, const cap_t *c);
void mdb_swap(slot_t *a, slot_t *b);
void slot_clear(slot_t *s);

#endif /* KEEL_CAP_H */
