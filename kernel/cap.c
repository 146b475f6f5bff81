/*
 * kernel/cap.c - the capability derivation tree (MDB) operations.  The
 * pure predicates they rest on (an object's size, same object, same
 * region, the parent rule below) are inline in cap.h.
 *
 * Derivation rules (seL4's): b is an MDB child of a iff a is revocable, b's
 * object lies in a's region, and, for endpoints and notifications, a is
 * unbadged or b has a's badge without being a first-badged cap itself.
 * Originals (retyped caps, untyped copies, newly badged caps) are revocable;
 * plain copies are not, so copies of copies are siblings: one derived level.
 * All caps to one object are adjacent in the list, so finality is decided
 * by the two neighbours.
 *
 * Callers: cnode.c, untyped.c, delete.c, boot.c.
 */
#include "state.h"

bool mdb_has_children(const slot_t *s)
{
    return mdb_is_parent(s, s->mdb_next);
}

bool mdb_is_final(const slot_t *s)
{
    return !cap_same_object(&s->mdb_prev->cap, &s->cap) &&
           !cap_same_object(&s->mdb_next->cap, &s->cap);
}

/* Put capability c into the empty slot dest, right after parent in the
 * MDB: it becomes parent's child or sibling as the rules above decide. */
void mdb_insert_after(slot_t *parent, slot_t *dest, const cap_t *c)
{
    kassert(cap_is_null(&dest->cap) && parent->mdb_next);
    dest->cap = *c;
    dest->mdb_prev = parent;
    dest->mdb_next = parent->mdb_next;
    parent->mdb_next->mdb_prev = dest;
    parent->mdb_next = dest;
}

/* Move src's capability (replaced by c, a possibly updated version of it)
 * to the empty slot dest, keeping its place in the MDB. */
void mdb_move(slot_t *src, slot_t *dest, const cap_t *c)
{
    cap_t tmp = *c;
    slot_t *prev = src->mdb_prev, *next = src->mdb_next;
    kassert(src != dest);
    src->cap = (cap_t){0};
    src->mdb_prev = src->mdb_next = 0;
    dest->cap = tmp;
    dest->mdb_prev = prev;
    dest->mdb_next = next;
    prev->mdb_next = dest;
    next->mdb_prev = dest;
}

/* Exchange the capabilities of two non-empty slots, each keeping its MDB
 * position (so the tree is unchanged; only where caps live changes). */
void mdb_swap(slot_t *a, slot_t *b)
{
    slot_t tmp = {0};
    cap_t ca = a->cap, cb = b->cap;
    mdb_move(a, &tmp, &ca);
    mdb_move(b, a, &cb);
    mdb_move(&tmp, b, &ca);
}

void slot_clear(slot_t *s)
{
    if (s->mdb_prev) {
        s->mdb_prev->mdb_next = s->mdb_next;
        s->mdb_next->mdb_prev = s->mdb_prev;
    }
    s->cap = (cap_t){0};
    s->mdb_prev = s->mdb_next = 0;
}
