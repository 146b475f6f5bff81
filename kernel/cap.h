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
 *   Frame      obj, bits=size, flags: DEVICE
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

/* cap.c: properties of capabilities */
word_t cap_obj_size_bits(const cap_t *c);
bool cap_same_object(const cap_t *a, const cap_t *b);
bool cap_same_region(const cap_t *a, const cap_t *b);

/* cap.c: the MDB */
bool mdb_is_parent(const slot_t *a, const slot_t *b);
bool mdb_has_children(const slot_t *s);
bool mdb_is_final(const slot_t *s);
void mdb_insert_after(slot_t *parent, slot_t *dest, const cap_t *c);
void mdb_move(slot_t *src, slot_t *dest, const cap_t *c);
void mdb_swap(slot_t *a, slot_t *b);
void slot_clear(slot_t *s);

#endif /* KEEL_CAP_H */
