/*
 * kernel/delete.c - deleting capabilities, finalising objects, revoking
 * derivation subtrees, and the preemption points that keep these bounded.
 *
 * Deleting a cap that is not the last one to its object just removes it.
 * Deleting the last cap to a container (a CNode or a TCB, which hold
 * capability slots) must first delete everything inside, which can contain
 * the last caps to other containers, and so on without bound.  Instead of
 * recursing on the kernel stack, the cap is turned in place into a Zombie
 * that remembers how many of the container's slots are still to clear.
 * When a slot inside holds the last cap to another container, that cap
 * becomes a Zombie too, with a back pointer to the zombie of the container
 * that holds it, and the work descends into it; when a container is empty
 * its zombie slot is cleared and the work climbs back.  A container that
 * (directly or through others) holds its own zombie skips that slot: the
 * ancestor's own completion clears it.
 *
 * All progress lives in the zombies, so at every step the state is
 * consistent: a preemption point can stop the work and the syscall is
 * executed again later, continuing where it stopped.  Revoke deletes the
 * next child of the slot until none is left, with the same restart rule.
 *
 * Callers: cnode.c (Delete, Revoke), untyped.c (none: retype never
 * deletes), the invariant checker (read only).
 */
#include "state.h"

/* Count one unit of work; every CONFIG_PREEMPT_WORK_UNITS units, stop if an
 * interrupt is pending. */
int preempt_point(void)
{
    if (++ks.work_units < CONFIG_PREEMPT_WORK_UNITS)
        return KEEL_OK;
    ks.work_units = 0;
    return arch_irq_pending() ? KEEL_PREEMPTED : KEEL_OK;
}

/* Remove a capability that needs no descent, finalising its object if it
 * was the last capability to it. */
static void remove_cap(slot_t *s)
{
    if (s->cap.type == KEEL_CAP_UNTYPED) {
        untyped_pass_watermark(s);
    } else {
        bool final = mdb_is_final(s);
        vspace_cap_deleted(&s->cap, final); /* mappings go with their caps */
        if (final)
            object_finalise(&s->cap);
    }
    slot_clear(s);
}

/* Turn the last cap to a container into its zombie.  A thread whose TCB
 * is being destroyed stops now, not when its slots are empty. */
static void zombify(slot_t *s)
{
    bool tcb = s->cap.type == KEEL_CAP_TCB;
    if (tcb)
        thread_suspend((struct tcb *)s->cap.obj);
    cap_t z = {.obj = s->cap.obj, .type = KEEL_CAP_ZOMBIE,
               .bits = (uint8_t)cap_obj_size_bits(&s->cap),
               .flags = tcb ? CAP_F_ZOMBIE_TCB : 0};
    z.aux = (uint32_t)container_nslots(&z);
    s->cap = z;
}

static bool must_descend(const slot_t *s)
{
    return s->cap.type == KEEL_CAP_ZOMBIE ||
           (object_is_container(&s->cap) && mdb_is_final(s));
}

/* Delete the contents of the container whose last cap is in `top`, then
 * the cap itself.  Restartable: re-entering with `top` holding the zombie
 * continues the work.
 *
 * Every step that changes something, and every slot visited, is a unit of
 * work.  Descending into a zombie that already exists is free: otherwise a
 * restart would pay again for the path down to where it stopped, and a
 * chain deeper than one slice of work could never progress.  Usually it
 * does not even walk: where a preempted reap stopped is remembered
 * (ks.reap_top/reap_cur) and used when the same top is deleted again with
 * no other reap in between (only reap changes zombies).
 *
 * Why `in == top` is the only cycle check needed: each zombie below top
 * lives in a slot of the container whose zombie is its back pointer, and a
 * container has one zombie; so the only chain member a container on the
 * chain can hold, other than the child it descends to, is top itself. */
static int reap(slot_t *top)
{
    slot_t *cur = top;
    if (ks.reap_top == top && top->cap.type == KEEL_CAP_ZOMBIE)
        cur = ks.reap_cur;
    ks.reap_top = ks.reap_cur = 0;
    if (top->cap.type != KEEL_CAP_ZOMBIE)
        zombify(top);
    for (;;) {
        cap_t *z = &cur->cap;
        slot_t *in = z->aux ? container_slot(z, z->aux - 1) : 0;
        if (!in) {                                  /* container empty: climb */
            slot_t *back = (slot_t *)z->data;
            object_finalise(z);
            slot_clear(cur);
            if (cur == top)
                return KEEL_OK;
            cur = back;
        } else if (in->cap.type == KEEL_CAP_ZOMBIE && in != top) {
            in->cap.data = (word_t)cur;             /* existing zombie: free */
            cur = in;
            continue;
        } else if (cap_is_null(&in->cap) || in == top) {
            z->aux--;
        } else if (must_descend(in)) {
            zombify(in);
            in->cap.data = (word_t)cur;
            cur = in;
        } else {
            remove_cap(in);
            z->aux--;
        }
        if (preempt_point() != KEEL_OK) {
            ks.reap_top = top;
            ks.reap_cur = cur;
            return KEEL_PREEMPTED;
        }
    }
}

/* Delete the capability in `s` (nothing to do if it is empty), finalising
 * its object if it was the last capability to it.  Its MDB children, if
 * any, stay and become children of its parent. */
int slot_delete(slot_t *s)
{
    if (cap_is_null(&s->cap))
        return KEEL_OK;
    if (must_descend(s))
        return reap(s);
    remove_cap(s);
    return KEEL_OK;
}

/* Delete every MDB descendant of `s`.  Stops if `s` itself disappears
 * (a descendant container held it). */
int slot_revoke(slot_t *s)
{
    while (!cap_is_null(&s->cap) && mdb_has_children(s)) {
        int r = slot_delete(s->mdb_next);
        if (r == KEEL_OK)
            r = preempt_point();
        if (r != KEEL_OK)
            return r;
    }
    return KEEL_OK;
}
