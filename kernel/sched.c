/*
 * kernel/sched.c - the scheduler: 256 fixed priorities, a FIFO ready queue
 * per priority, and a two-level bitmap so that finding the highest
 * non-empty queue is two count-leading-zeros, whatever the number of
 * threads.  Round-robin within a priority by time slices, tickless: the
 * one-shot timer is armed for the running thread's remaining slice.
 *
 * The running thread (ks.current) is never in a queue; a thread is queued
 * iff it is THREAD_RUNNING and not current.  Every decision about who runs
 * next is taken in one place, kentry_exit_ctx(), when the kernel returns:
 * operations only change states and queues.  A current thread preempted by
 * a higher priority goes back to the head of its queue (it keeps the rest
 * of its slice); one that yields or whose slice ended goes to the tail.
 */
#include "state.h"

#define L2_WORDS (KEEL_NUM_PRIORITIES / KEEL_WORD_BITS)
_Static_assert(L2_WORDS <= KEEL_WORD_BITS, "the first level must fit one word");

static unsigned msb(word_t w)
{
    if (sizeof(word_t) == sizeof(unsigned long))
        return KEEL_WORD_BITS - 1 - (unsigned)__builtin_clzl((unsigned long)w);
    return KEEL_WORD_BITS - 1 - (unsigned)__builtin_clz((unsigned)w);
}

bool sched_queued(const struct tcb *t)
{
    return t->in_release || t->sched_prev || ks.ready[t->priority].head == t;
}

static void mark(unsigned prio)
{
    ks.ready_l2[prio / KEEL_WORD_BITS] |= BIT(prio % KEEL_WORD_BITS);
    ks.ready_l1 |= BIT(prio / KEEL_WORD_BITS);
}

void sched_enqueue(struct tcb *t)
{
    struct ready_queue *q = &ks.ready[t->priority];
    kassert(!sched_queued(t) && t != &ks.idle);
    t->sched_next = 0;
    t->sched_prev = q->tail;
    if (q->tail)
        q->tail->sched_next = t;
    else
        q->head = t;
    q->tail = t;
    mark(t->priority);
}

void sched_enqueue_head(struct tcb *t)
{
    struct ready_queue *q = &ks.ready[t->priority];
    kassert(!sched_queued(t) && t != &ks.idle);
    t->sched_prev = 0;
    t->sched_next = q->head;
    if (q->head)
        q->head->sched_prev = t;
    else
        q->tail = t;
    q->head = t;
    mark(t->priority);
}

static void release_remove(struct tcb *t);

void sched_dequeue(struct tcb *t)
{
    if (t->in_release) {
        release_remove(t);
        return;
    }
    if (!sched_queued(t))
        return;
    struct ready_queue *q = &ks.ready[t->priority];
    if (t->sched_prev)
        t->sched_prev->sched_next = t->sched_next;
    else
        q->head = t->sched_next;
    if (t->sched_next)
        t->sched_next->sched_prev = t->sched_prev;
    else
        q->tail = t->sched_prev;
    t->sched_prev = t->sched_next = 0;
    if (!q->head) {
        unsigned w = t->priority / KEEL_WORD_BITS;
        ks.ready_l2[w] &= ~BIT(t->priority % KEEL_WORD_BITS);
        if (!ks.ready_l2[w])
            ks.ready_l1 &= ~BIT(w);
    }
}

int sched_highest_prio(void)
{
    if (!ks.ready_l1)
        return -1;
    unsigned w = msb(ks.ready_l1);
    return (int)(w * KEEL_WORD_BITS + msb(ks.ready_l2[w]));
}

struct tcb *sched_highest(void)
{
    int p = sched_highest_prio();
    return p < 0 ? 0 : ks.ready[p].head;
}

/* ---- scheduling contexts: budgets and the release queue ----
 *
 * A thread whose scheduling context is configured runs on its budget:
 * refill_capacity() says how long it may run now.  When that is spent
 * (and, for a sporadic context, nothing is usable yet) the thread waits
 * in the release queue, ordered by when its head refill becomes usable,
 * and the timer is also armed for the earliest release.  A thread
 * without a configured context runs on plain per-thread time slices
 * (until every thread has a context: issue 4). */

static bool limited(const struct tcb *t)
{
    return t->sc && t->sc->refill_used;
}

/* The context starts to be used at `now` after being idle: its budget
 * cannot be used in the past (refill_activate).  A context that was in
 * use up to now is not idle: it was charged at this instant, or it is the
 * running time itself (lent to a server, or given back with a reply). */
static void activate_if_idle(struct sched_context *sc, uint64_t now)
{
    if (sc->charged_at_ns != now && sc->tcb != ks.slice_owner)
        refill_activate(sc, now);
}

static uint64_t release_of(struct tcb *t)
{
    return refill_head(t->sc)->release_ns;
}

static void release_insert(struct tcb *t)
{
    struct tcb **p = &ks.release_head, *prev = 0;
    while (*p && release_of(*p) <= release_of(t))
        prev = *p, p = &(*p)->sched_next;
    t->sched_next = *p;
    t->sched_prev = prev;
    if (*p)
        (*p)->sched_prev = t;
    *p = t;
    t->in_release = 1;
}

static void release_remove(struct tcb *t)
{
    if (t->sched_prev)
        t->sched_prev->sched_next = t->sched_next;
    else
        ks.release_head = t->sched_next;
    if (t->sched_next)
        t->sched_next->sched_prev = t->sched_prev;
    t->sched_next = t->sched_prev = 0;
    t->in_release = 0;
}

/* Queue a runnable, non-current thread: ready if it may run now, else
 * until its budget is released. */
static void enqueue_or_throttle(struct tcb *t, bool head)
{
    if (limited(t) && !refill_capacity(t->sc, arch_time_now()))
        release_insert(t);
    else if (head)
        sched_enqueue_head(t);
    else
        sched_enqueue(t);
}

/* Threads whose budget has come back become ready. */
static void release_due(uint64_t now)
{
    while (ks.release_head && release_of(ks.release_head) <= now) {
        struct tcb *t = ks.release_head;
        release_remove(t);
        sched_enqueue(t);
    }
}

/* t's scheduling context was configured, bound, unbound or deleted (the
 * caller charged the running time first, sched_account): a thread waiting
 * for budget is queued again by the new rules, and a running one has its
 * time decided again. */
void sched_sc_changed(struct tcb *t)
{
    if (!t)
        return;
    if (t->in_release) {
        release_remove(t);
        enqueue_or_throttle(t, false);
    }
    if (t == ks.slice_owner)
        ks.slice_owner = 0;    /* its time is decided again when the kernel exits */
}

void sched_make_runnable(struct tcb *t)
{
    t->state = THREAD_RUNNING;
    if (t == ks.current || sched_queued(t))
        return;
    if (limited(t))
        activate_if_idle(t->sc, arch_time_now()); /* woken: budget starts now */
    enqueue_or_throttle(t, false);
}

void sched_set_priority(struct tcb *t, word_t prio)
{
    bool queued = sched_queued(t) && !t->in_release;
    if (queued)
        sched_dequeue(t);
    t->priority = (uint8_t)prio;
    if (queued)
        sched_enqueue(t);
}

/* The current thread gives up the CPU to its priority's queue. */
void sched_yield_current(void)
{
    struct tcb *t = ks.current;
    if (t == &ks.idle || t->state != THREAD_RUNNING)
        return;
    sched_enqueue(t);
    ks.current = &ks.idle;
}

/* Charge t for `used` ns up to now: its context's consumed time, and its
 * refills or (without a configured context) its slice, a fresh one when
 * spent (the timer, due now, rotates the thread if it still runs). */
static inline void charge(struct tcb *t, uint64_t used, uint64_t now)
{
    struct sched_context *sc = t->sc;
    if (sc) {
        sc->consumed_ns += used;
        sc->charged_at_ns = now;
        if (sc->refill_used) {
            refill_charge(sc, used, now);
            return;
        }
    }
    t->slice_left_ns = used < t->slice_left_ns ? t->slice_left_ns - used : CONFIG_TIMESLICE_NS;
}

/* Charge the thread whose time is running for the time up to now; the
 * timer deadline does not move. */
void sched_account(void)
{
    struct tcb *t = ks.slice_owner;
    if (!t)
        return;
    uint64_t now = arch_time_now();
    charge(t, now - ks.slice_start, now);
    ks.slice_start = now;
}

/* The timer fired: the thread whose time it was counting has used it up
 * (a fresh slice, or its budget goes back to the refills), and threads
 * whose budget is released become ready.  If the owner still runs it
 * goes to its queue's tail, or waits for its budget; a thread with a
 * timeout endpoint takes a timeout fault instead.  (It may not be
 * current: a direct switch in this kernel entry, before the interrupt
 * was taken, has already replaced it.) */
void sched_tick(void)
{
    struct tcb *t = ks.slice_owner;
    uint64_t now = arch_time_now();
    bool expired = t && now >= ks.time_end;
    sched_account();
    ks.slice_owner = 0;                 /* re-arm even if t runs on */
    release_due(now);
    if (!expired)
        return;
    if (!limited(t))
        t->slice_left_ns = CONFIG_TIMESLICE_NS;
    if (t == ks.current && t->state == THREAD_RUNNING) {
        if (limited(t) && t->slots[TCB_SLOT_TIMEOUT_EP].cap.type == KEEL_CAP_ENDPOINT) {
            word_t w[2] = {t->sc->badge, (word_t)(t->sc->consumed_ns / 1000u)};
            fault_raise(t, KEEL_FAULT_TIMEOUT, w, 2); /* it leaves the CPU */
            return;
        }
        enqueue_or_throttle(t, false);
        ks.current = &ks.idle;
    }
}

void sched_forget(struct tcb *t)
{
    sched_dequeue(t);
    if (ks.current == t)
        ks.current = &ks.idle;
    if (ks.slice_owner == t)
        ks.slice_owner = 0;
}

/* The timer: the running thread's time end, or the next release. */
static inline void arm_timer(void)
{
    uint64_t deadline = ks.slice_owner ? ks.time_end : UINT64_MAX;
    if (ks.release_head && release_of(ks.release_head) < deadline)
        deadline = release_of(ks.release_head);
    arch_timer_set(deadline);
}

/* Charge the thread that had the CPU for its time, and start next's:
 * its budget (a strict sporadic context's starts now) or its slice. */
static inline __attribute__((always_inline)) void switch_slice(struct tcb *next)
{
    uint64_t now = arch_time_now();
    struct tcb *prev = ks.slice_owner;
    if (prev)
        charge(prev, now - ks.slice_start, now);
    ks.slice_start = now;
    if (next == &ks.idle) {
        ks.slice_owner = 0;
    } else {
        struct sched_context *sc = next->sc;
        ks.slice_owner = 0;
        if (sc && sc->refill_used) {
            if (sc->flags & KEEL_SC_FLAG_SPORADIC)
                activate_if_idle(sc, now);
            ks.time_end = now + refill_capacity(sc, now);
        } else {
            ks.time_end = now + next->slice_left_ns;
        }
        ks.slice_owner = next;
    }
    arm_timer();
}

arch_ctx_t *kentry_exit_ctx(void)
{
    struct tcb *cur = ks.current;
    if (ks.exit_decided) { /* fastpath.c checked what follows would choose cur */
        ks.exit_decided = false;
        if (cur != ks.slice_owner)
            switch_slice(cur);
        return &cur->ctx;
    }
    if (cur->state == THREAD_RUNNING && cur != &ks.idle) {
        /* (The owner of the running time has budget: the timer ends it.) */
        if (cur != ks.slice_owner && limited(cur) && !refill_capacity(cur->sc, arch_time_now())) {
            release_insert(cur);        /* e.g. its context was just reconfigured */
        } else if (sched_highest_prio() <= (int)cur->priority) {
            if (cur != ks.slice_owner)
                switch_slice(cur);
            else if (ks.release_head)
                arm_timer();            /* a thread may have been throttled */
            return &cur->ctx;
        } else {
            enqueue_or_throttle(cur, true); /* preempted by a higher priority */
        }
    }
    struct tcb *next;
    while ((next = sched_highest())) {
        sched_dequeue(next);
        if (!limited(next) || refill_capacity(next->sc, arch_time_now()))
            break;
        release_insert(next);
    }
    if (!next)
        next = &ks.idle;
    ks.current = next;
    if (next != ks.slice_owner)
        switch_slice(next);
    return next == &ks.idle ? 0 : &next->ctx;
}
