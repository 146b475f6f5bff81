/*
 * kernel/invariants.c - a runtime checker for the capability core's
 * invariants, after seL4's valid_mdb / valid_objs / untyped_inc.  Used by
 * the unit and robustness tests (after every invocation), by keel-sim
 * --check and by the fuzzers.  Read only; cost linear in the number of
 * capabilities plus the slots of every CNode (untyped pairs are quadratic,
 * which is fine for test-sized systems).
 *
 * Checked:
 *  - the MDB list is a well-linked cycle through the sentinel, and holds
 *    exactly the non-empty slots of every live CNode and TCB;
 *  - every capability's object is aligned to its size;
 *  - every descendant of a revocable cap has a subset of its rights and,
 *    under a badged cap, the same badge;
 *  - an untyped's watermark is within its size and every descendant object
 *    lies below it; untyped regions are nested or disjoint;
 *  - zombies have a sane progress count and back pointer;
 *  - the current thread and the ready queue hold runnable threads only;
 *    a thread is queued (ready or waiting for budget) iff it is runnable,
 *    not current and has a configured scheduling context; the ready
 *    bitmap matches the queues; the release queue is in release order;
 *  - endpoint and notification queues, reply, binding and YieldTo links
 *    are two-sided; a lent context is owed to a waiting caller;
 *  - a configured scheduling context's refills are in release order and
 *    add up to its budget;
 *  - an interrupt line has a handler iff an IRQHandler cap names it, and
 *    signals only a live notification; every ASID pool has its cap, and
 *    every used ASID a root cap whose ASID it is.
 */
#include "state.h"

#define FAIL(msg) return (msg)

static word_t region_end(const cap_t *c)
{
    return c->obj + BIT(cap_obj_size_bits(c)) - 1;
}

static const char *check_cap(const slot_t *s)
{
    const cap_t *c = &s->cap;
    word_t bits = cap_obj_size_bits(c);
    if (c->type == KEEL_CAP_NULL || c->type >= KEEL_CAP_TYPE_COUNT)
        FAIL("MDB holds an empty slot or an unknown capability type");
    if (bits && !is_aligned(c->obj, (unsigned)bits))
        FAIL("object not aligned to its size");
    if (c->type == KEEL_CAP_UNTYPED && c->data > BIT(c->bits))
        FAIL("untyped watermark beyond its size");
    if (c->type == KEEL_CAP_CNODE && c->aux + c->bits > KEEL_WORD_BITS)
        FAIL("CNode guard size + radix exceeds the word");
    if (c->type == KEEL_CAP_ZOMBIE) {
        if (c->aux > container_nslots(c))
            FAIL("zombie progress beyond its container");
        if (c->data && ((const slot_t *)c->data)->cap.type != KEEL_CAP_ZOMBIE)
            FAIL("zombie back pointer does not lead to a zombie");
    }
    return 0;
}

/* Every descendant of a revocable cap: inside the untyped's used memory,
 * or with a subset of the rights and the same badge. */
static const char *check_descendants(const slot_t *p)
{
    const cap_t *pc = &p->cap;
    const cap_t *first = &p->mdb_next->cap;
    if (pc->type == KEEL_CAP_UNTYPED && first->type == KEEL_CAP_UNTYPED &&
        first->obj == pc->obj && first->bits == pc->bits)
        return 0; /* a copy allocates for this region now; it is checked itself */
    for (const slot_t *d = p->mdb_next; mdb_is_parent(p, d); d = d->mdb_next) {
        const cap_t *c = &d->cap;
        if (pc->type == KEEL_CAP_UNTYPED) {
            if (c->obj < pc->obj || c->obj + BIT(cap_obj_size_bits(c)) > pc->obj + pc->data)
                FAIL("descendant of an untyped outside the untyped's used memory");
        } else if (c->rights & ~pc->rights) {
            FAIL("descendant has rights its ancestor lacks");
        } else if (pc->data && c->data != pc->data &&
                   (c->type == KEEL_CAP_ENDPOINT || c->type == KEEL_CAP_NOTIFICATION)) {
            FAIL("descendant of a badged cap with a different badge");
        }
    }
    return 0;
}

/* Count the non-empty slots of one container (a CNode, a TCB, or a
 * zombie of either).  CNodes, the common and large case, are walked
 * directly (slots are 2^KEEL_SLOT_BITS apart). */
static word_t container_used(const cap_t *c)
{
    word_t n = 0;
    if (c->type == KEEL_CAP_CNODE) {
        for (word_t i = 0, max = BIT(c->bits); i < max; i++)
            n += cnode_slot(c->obj, i)->cap.type != KEEL_CAP_NULL;
        return n;
    }
    cap_t z = *c;
    if (c->type == KEEL_CAP_TCB)
        z.flags |= CAP_F_ZOMBIE_TCB;
    for (word_t i = 0, max = container_nslots(&z); i < max; i++)
        n += !cap_is_null(&container_slot(&z, i)->cap);
    return n;
}

static const char *check_untyped_pairs(void)
{
    for (const slot_t *a = ks.mdb_head.mdb_next; a != &ks.mdb_head; a = a->mdb_next) {
        if (a->cap.type != KEEL_CAP_UNTYPED)
            continue;
        for (const slot_t *b = a->mdb_next; b != &ks.mdb_head; b = b->mdb_next) {
            if (b->cap.type != KEEL_CAP_UNTYPED)
                continue;
            word_t ae = region_end(&a->cap), be = region_end(&b->cap);
            bool disjoint = ae < b->cap.obj || be < a->cap.obj;
            bool b_in_a = b->cap.obj >= a->cap.obj && be <= ae;
            if (!disjoint && !b_in_a)
                FAIL("untyped regions overlap without nesting");
        }
    }
    return 0;
}

static const char *check_sched(void)
{
    for (unsigned p = 0; p < KEEL_NUM_PRIORITIES; p++) {
        const struct ready_queue *q = &ks.ready[p];
        bool bit = (ks.ready_l2[p / KEEL_WORD_BITS] >> (p % KEEL_WORD_BITS)) & 1;
        bool l1 = (ks.ready_l1 >> (p / KEEL_WORD_BITS)) & 1;
        if (bit != (q->head != 0) || (bit && !l1))
            FAIL("ready bitmap disagrees with the queues");
        const struct tcb *prev = 0;
        for (const struct tcb *t = q->head; t; prev = t, t = t->sched_next) {
            if (t->state != THREAD_RUNNING || t == ks.current || t->priority != p ||
                !sched_has_time(t))
                FAIL("ready queue holds a blocked, current, timeless or misfiled thread");
            if (t->sched_prev != prev)
                FAIL("ready queue links are not symmetric");
        }
        if (q->tail != prev)
            FAIL("ready queue tail is wrong");
    }
    const struct tcb *prev = 0;
    for (const struct tcb *t = ks.release_head; t; prev = t, t = t->sched_next) {
        if (t->state != THREAD_RUNNING || t == ks.current || !t->in_release || !t->sc ||
            !t->sc->refill_used)
            FAIL("release queue holds a thread that cannot wait for budget");
        if (t->sched_prev != prev)
            FAIL("release queue links are not symmetric");
        const struct sched_context *a = t->sc, *b = prev ? prev->sc : 0;
        if (b && sc_refill((struct sched_context *)b, b->refill_head)->release_ns >
                     sc_refill((struct sched_context *)a, a->refill_head)->release_ns)
            FAIL("release queue out of order");
    }
    return 0;
}

/* A configured context's refills: at least one, releases in order, and
 * amounts that sum to the budget (a round-robin context's one refill
 * holds what is left of it). */
static const char *check_refills(struct sched_context *sc)
{
    if (!sc->refill_used)
        return 0;
    if (sc->refill_count < 1)
        FAIL("configured scheduling context without a refill");
    uint64_t sum = 0, last = 0;
    for (word_t i = 0; i < sc->refill_count; i++) {
        const struct refill *r = sc_refill(sc, (sc->refill_head + i) % sc->refill_used);
        if (i && r->release_ns < last)
            FAIL("scheduling context refills out of order");
        last = r->release_ns;
        sum += r->amount_ns;
    }
    if (refill_round_robin(sc) ? sum > sc->budget_ns || sc->refill_count != 1
                               : sum != sc->budget_ns)
        FAIL("scheduling context refills do not add up to its budget");
    return 0;
}

/* The thread queue of an endpoint or notification: every member blocked
 * on `obj` in one of the two states given, links symmetric. */
static const char *check_queue(const struct tcb_queue *q, const void *obj, unsigned s1,
                               unsigned s2)
{
    const struct tcb *prev = 0;
    for (const struct tcb *t = q->head; t; prev = t, t = t->ipc_next) {
        if (t->blocked_on != obj || (t->state != s1 && t->state != s2))
            FAIL("an IPC queue holds a thread not blocked on it");
        if (t->ipc_prev != prev)
            FAIL("IPC queue links are not symmetric");
    }
    if (q->tail != prev)
        FAIL("IPC queue tail is wrong");
    return 0;
}

/* Links between threads and IPC objects, checked from each object a cap
 * names (objects with no cap have been finalised and hold nobody). */
static const char *check_ipc(const cap_t *c)
{
    switch (c->type) {
    case KEEL_CAP_ENDPOINT: {
        const struct endpoint *ep = (const void *)c->obj;
        unsigned st = ep->state == EP_SEND ? THREAD_BLOCKED_SEND : THREAD_BLOCKED_RECV;
        if ((ep->state == EP_IDLE) != (ep->queue.head == 0))
            FAIL("endpoint state disagrees with its queue");
        return check_queue(&ep->queue, ep, st, st);
    }
    case KEEL_CAP_NOTIFICATION: {
        const struct notification *n = (const void *)c->obj;
        if ((n->state == NTFN_WAITING) != (n->queue.head != 0))
            FAIL("notification state disagrees with its queue");
        if (n->bound_tcb && n->bound_tcb->bound_ntfn != n)
            FAIL("notification binding is one-sided");
        if (n->sc && n->sc->ntfn != n)
            FAIL("notification's scheduling context is bound elsewhere");
        return check_queue(&n->queue, n, THREAD_BLOCKED_NTFN, THREAD_BLOCKED_NTFN);
    }
    case KEEL_CAP_REPLY: {
        const struct reply *r = (const void *)c->obj;
        if (r->tcb && (r->tcb->reply_obj != r || (r->tcb->state != THREAD_BLOCKED_REPLY &&
                                                  r->tcb->state != THREAD_BLOCKED_RECV)))
            FAIL("reply object names a thread that does not wait on it");
        if (r->donated) {
            const struct reply *x = r->donated->reply;
            for (unsigned n = 0; x && x != r && n < 4096; n++)
                x = x->donated_prev;
            if (x != r || !r->tcb || r->tcb->state != THREAD_BLOCKED_REPLY)
                FAIL("a lent scheduling context is not owed to a waiting caller");
        }
        return 0;
    }
    case KEEL_CAP_SCHED_CONTEXT: {
        const struct sched_context *sc = (const void *)c->obj;
        if ((sc->tcb && sc->tcb->sc != sc) || (sc->ntfn && sc->ntfn->sc != sc))
            FAIL("scheduling context binding is one-sided");
        if (sc->yield_from && sc->yield_from->yield_to != sc)
            FAIL("YieldTo link is one-sided");
        if (sc->refill_used > sc->refill_max || sc->refill_count > sc->refill_used ||
            (sc->refill_used && sc->refill_head >= sc->refill_used))
            FAIL("scheduling context refill buffer out of bounds");
        return check_refills((struct sched_context *)sc);
    }
    case KEEL_CAP_TCB: {
        const struct tcb *t = (const void *)c->obj;
        if (t->reply_obj && t->reply_obj->tcb != t)
            FAIL("thread names a reply object that does not name it");
        if (t->bound_ntfn && t->bound_ntfn->bound_tcb != t)
            FAIL("thread binding is one-sided");
        if (t->sc && t->sc->tcb != t)
            FAIL("thread's scheduling context is bound elsewhere");
        if ((t->state == THREAD_BLOCKED_SEND || t->state == THREAD_BLOCKED_RECV ||
             t->state == THREAD_BLOCKED_NTFN) != (t->blocked_on != 0))
            FAIL("thread blocked_on disagrees with its state");
        if (t->state == THREAD_RUNNING && t != ks.current &&
            sched_queued(t) != sched_has_time(t))
            FAIL("a runnable thread with a context is not queued, or one without is");
        if (t->yield_to && (t->yield_to->yield_from != t || t == ks.current ||
                            t->state != THREAD_RUNNING))
            FAIL("a thread waits in YieldTo but is not queued for it");
        return 0;
    }
    default:
        return 0;
    }
}

/* Interrupt lines and ASIDs against the caps that name them. */
static const char *check_lines_and_asids(void)
{
    word_t handlers[ARCH_NUM_IRQS] = {0}, signalled = 0, named = 0, roots = 0, asids = 0;
    word_t pools = 0, pool_caps = 0;
    for (unsigned i = 0; i < ARCH_NUM_IRQS; i++)
        signalled += ks.irq[i].ntfn != 0;
    for (const slot_t *s = ks.mdb_head.mdb_next; s != &ks.mdb_head; s = s->mdb_next) {
        const cap_t *c = &s->cap;
        if (c->type == KEEL_CAP_IRQ_HANDLER) {
            if (c->data >= ARCH_NUM_IRQS || !ks.irq[c->data].issued)
                FAIL("an IRQHandler cap names a line without a handler");
            handlers[c->data]++;
        } else if (c->type == KEEL_CAP_NOTIFICATION && signalled &&
                   !cap_same_object(&s->mdb_prev->cap, c)) {
            for (unsigned i = 0; i < ARCH_NUM_IRQS; i++)
                named += ks.irq[i].ntfn == (struct notification *)c->obj;
        } else if (c->type == KEEL_CAP_PAGE_TABLE && (c->flags & CAP_F_PT_ROOT)) {
            /* (a root whose pool was deleted keeps a stale ASID: dead) */
            if (!c->aux)
                FAIL("a VSpace root cap without an ASID");
            roots += vspace_asid_root(c->aux) == c->obj && !cap_same_object(&s->mdb_prev->cap, c);
        } else if (c->type == KEEL_CAP_ASID_POOL) {
            if (c->data >= CONFIG_NUM_ASID_POOLS || ks.asid_pool[c->data] != (word_t *)c->obj)
                FAIL("an ASIDPool cap that its ASIDs' pool entry does not name");
            pool_caps += !cap_same_object(&s->mdb_prev->cap, c);
        }
    }
    for (unsigned i = 0; i < ARCH_NUM_IRQS; i++)
        if (ks.irq[i].issued != (handlers[i] != 0) || (ks.irq[i].ntfn && !ks.irq[i].issued))
            FAIL("an interrupt line's handler state disagrees with its caps");
    if (named != signalled)
        FAIL("an interrupt line signals a notification no cap names");
    for (unsigned n = 0; n < CONFIG_NUM_ASID_POOLS; n++) {
        if (!ks.asid_pool[n])
            continue;
        pools++;
        for (unsigned i = 0; i < KEEL_ASID_POOL_ENTRIES; i++)
            asids += ks.asid_pool[n][i] != 0;
    }
    if (pools != pool_caps)
        FAIL("an ASID pool without a cap");
    if (asids != roots || (ks.asid_pool[0] && ks.asid_pool[0][0]))
        FAIL("a used ASID has no root cap (or ASID 0 is used)");
    return 0;
}

word_t kinv_count_caps(void)
{
    word_t n = 0;
    for (const slot_t *s = ks.mdb_head.mdb_next; s != &ks.mdb_head; s = s->mdb_next)
        n++;
    return n;
}

const char *kinv_check(void)
{
    word_t n = 0, in_containers = 0;
    const char *why;
    for (const slot_t *s = ks.mdb_head.mdb_next; s != &ks.mdb_head; s = s->mdb_next) {
        if (!s->mdb_next || s->mdb_next->mdb_prev != s || s->mdb_prev->mdb_next != s)
            FAIL("MDB links are not symmetric");
        if (++n > ((word_t)1 << 26))
            FAIL("MDB list does not close");
        if ((why = check_cap(s)) || ((s->cap.flags & CAP_F_REVOCABLE) &&
                                     (why = check_descendants(s))) ||
            (why = check_ipc(&s->cap)))
            return why;
        /* Count each container's slots once: at its first cap. */
        if ((s->cap.type == KEEL_CAP_CNODE || s->cap.type == KEEL_CAP_TCB) &&
            !cap_same_object(&s->mdb_prev->cap, &s->cap))
            in_containers += container_used(&s->cap);
        if (s->cap.type == KEEL_CAP_ZOMBIE)
            in_containers += container_used(&s->cap);
    }
    /* Every cap in the MDB sits in a container that a cap (or zombie) names,
     * and every non-empty slot of those containers is in the MDB. */
    if (in_containers != n)
        FAIL("MDB and container contents disagree (an unlinked cap, or a linked empty slot)");
    if ((why = check_untyped_pairs()) || (why = check_lines_and_asids()))
        return why;
    return check_sched();
}
