/*
 * kernel/cspace.h - resolving capability pointers through multi-level
 * CSpaces (guard + radix per CNode, as seL4).
 */
#ifndef KEEL_CSPACE_H
#define KEEL_CSPACE_H

#include "objects.h"

/* Resolve exactly `depth` bits of cptr from the CNode cap `root` to a slot
 * (for CNode methods and Retype destinations).  Failures name argument
 * `arg` (the depth argument for range errors, the index otherwise). */
int cspace_lookup_slot(const cap_t *root, word_t cptr, word_t depth, word_t arg,
                       slot_t **out, struct kerr *e);
/* Resolve cptr in thread t's CSpace, stopping at the first non-CNode cap
 * (invocations); the slot must hold a capability. */
int cspace_lookup_cap(struct tcb *t, word_t cptr, word_t arg, slot_t **out, struct kerr *e);

/* The common case of cspace_lookup_cap, inline for the IPC paths: a root
 * CNode whose guard and radix take the whole word (one level), the guard
 * matching, the slot full.  Returns exactly the slot cspace_lookup_cap
 * would, or 0 when the case does not apply (then ask cspace_lookup_cap). */
_Static_assert(KEEL_CNODE_MAX_RADIX < KEEL_WORD_BITS, "a one-level lookup shifts by the radix");
static inline slot_t *cspace_lookup_fast(const struct tcb *t, word_t cptr)
{
    const cap_t *root = &t->slots[TCB_SLOT_CSPACE].cap;
    if (root->type != KEEL_CAP_CNODE || root->bits + root->aux != KEEL_WORD_BITS ||
        cptr >> root->bits != root->data) /* aux >= 40 here: the radix is at most 24 */
        return 0;
    slot_t *s = cnode_slot(root->obj, cptr & (BIT(root->bits) - 1));
    return cap_is_null(&s->cap) ? 0 : s;
}

#endif /* KEEL_CSPACE_H */
