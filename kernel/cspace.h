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

#endif /* KEEL_CSPACE_H */
