/*
 * kernel/sched.c - the scheduler: 256 fixed priorities, a FIFO ready queue
 * per priority, and a two-level bitmap so that finding the highest
 * non-empty queue is two count-leading-zeros, whatever the number of
 * threads.  Time is MCS scheduling contexts' budgets, round-robin within
 * a priority, tickless: the one-shot timer is armed for the running
 * budget's end or the next release of a throttled thread.
 *
 * The running thread (ks.current) is never in a queue; a thread is queued
 * iff it is THREAD_RUNNING, not current, and has a scheduling context.
 * Every decision about who runs next is taken in one place,
 * kentry_exit_ctx(), when the kernel returns: operations only change
 * states and queues.  A current thread preempted by
 * a higher priority goes back to the head of its queue (it keeps the rest
 * of its budget); one that yields or whose budget ended goes to the tail.
 */
#include "trace.h"

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
    ks.nready++;
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
    ks.nready++;
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
    ks.nready--;
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
 * A thread runs only on a configured scheduling context (its own, or one
 * lent to it): refill_capacity() says how long it may run now.  When that
 * is spent (and, for a sporadic context, nothing is usable yet) the
 * thread waits in the release queue, ordered by when its head refill
 * becomes usable, and the timer is also armed for the earliest release.
 * A RUNNING thread without a context (a passive server between calls, or
 * a thread whose context was unbound) is in no queue: it runs when a
 * context reaches it.
 *
 * Time belongs to contexts, not threads: ks.time_sc is the context whose
 * budget the CPU is spending.  A context lent along a Call or given back
 * with a reply moves with the switch and nothing is charged; a switch to
 * a thread on another context charges the old one and arms the timer for
 * the new one's budget. */

bool sched_has_time(const struct tcb *t)
{
    return t->sc && t->sc->refill_used;
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

/* Queue a runnable, non-current thread that has time: ready if its budget
 * is usable now, else until it is released. */
static void enqueue_or_throttle(struct tcb *t, bool head)
{
    if (t->sc != ks.time_sc && !refill_capacity(t->sc, arch_time_now()))
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

/* A RUNNING thread that is not current and has time starts to use it. */
static void make_ready(struct tcb *t)
{
    sched_activate(t->sc, arch_time_now());
    enqueue_or_throttle(t, false);
}

/* t's scheduling context was bound, unbound, lent, given back or
 * reconfigured: t is queued again by the new rules (at its queue's tail).
 * The current thread is left to kentry_exit_ctx. */
void sched_sc_changed(struct tcb *t)
{
    if (!t || t == ks.current)
        return;
    sched_dequeue(t);
    if (t->state == THREAD_RUNNING && sched_has_time(t))
        make_ready(t);
}

/* sc's budget is about to change or sc is going away: if the CPU is
 * spending it, charge it up to now; the next exit starts the time again. */
void sched_sc_reset(const struct sched_context *sc)
{
    if (sc == ks.time_sc) {
        sched_account();
        ks.time_sc = 0;
    }
}

void sched_make_runnable(struct tcb *t)
{
    if (t->state != THREAD_RUNNING)
        trace_emit(KEEL_TRACE_STATE, t, KEEL_TRACE_ST_RUNNING, t->state, 0);
    t->state = THREAD_RUNNING;
    if (t == ks.current || sched_queued(t) || !sched_has_time(t))
        return;
    make_ready(t); /* woken: its budget starts now */
}

void sched_set_priority(struct tcb *t, word_t prio)
{
    bool queued = sched_queued(t) && !t->in_release;
    if (queued)
        sched_dequeue(t);
    t->priority = (uint8_t)prio;
    trace_emit(KEEL_TRACE_PRIORITY, t, prio, 0, 0);
    if (queued)
        sched_enqueue(t);
}

/* The current thread gives up the CPU to its priority's queue. */
void sched_yield_current(void)
{
    struct tcb *t = ks.current;
    if (t == &ks.idle || t->state != THREAD_RUNNING || !sched_has_time(t))
        return;
    sched_enqueue(t);
    ks.current = &ks.idle;
    trace_why(KEEL_TRACE_SW_YIELDED);
}

/* Charge sc for `used` ns up to now: its consumed time and its refills. */
static inline void charge(struct sched_context *sc, uint64_t used, uint64_t now)
{
    sc->consumed_ns += used;
    sc->charged_at_ns = now;
    refill_charge(sc, used, now);
}

/* Charge the running time up to now; the timer deadline does not move. */
void sched_account(void)
{
    struct sched_context *sc = ks.time_sc;
    if (!sc)
        return;
    uint64_t now = arch_time_now();
    charge(sc, now - ks.time_start, now);
    ks.time_start = now;
}

/* The timer fired: the running context may have used up its budget (it
 * goes back to the refills), and threads whose budget is released become
 * ready.  If the thread on the spent context is current it goes to its
 * queue's tail, or waits for its budget; one with a timeout endpoint
 * takes a timeout fault instead. */
void sched_tick(void)
{
    struct sched_context *sc = ks.time_sc;
    uint64_t now = arch_time_now();
    bool expired = sc && now >= ks.time_end;
    sched_account();
    ks.time_sc = 0;                     /* re-armed at the exit even if t runs on */
    release_due(now);
    if (!expired)
        return;
    struct tcb *t = sc->tcb;
    if (t && t == ks.current && t->state == THREAD_RUNNING) {
        bool timeout = t->slots[TCB_SLOT_TIMEOUT_EP].cap.type == KEEL_CAP_ENDPOINT;
        trace_emit(KEEL_TRACE_BUDGET, t, sc->badge, sc->consumed_ns / 1000u, timeout);
        trace_why(KEEL_TRACE_SW_BUDGET);
        if (timeout) {
            word_t w[2] = {sc->badge, (word_t)(sc->consumed_ns / 1000u)};
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
    if (ks.trace_prev == t)
        ks.trace_prev = 0;
}

/* The timer: the running budget's end, or the next release. */
static inline void arm_timer(void)
{
    uint64_t deadline = ks.time_sc ? ks.time_end : UINT64_MAX;
    if (ks.release_head && release_of(ks.release_head) < deadline)
        deadline = release_of(ks.release_head);
    arch_timer_set(deadline);
}

/* next runs on another context than the running one: charge the old
 * context and start next's budget (a strict sporadic context's starts
 * now). */
static inline __attribute__((always_inline)) void switch_time(struct tcb *next)
{
    uint64_t now = arch_time_now();
    struct sched_context *prev = ks.time_sc, *sc = next->sc;
    if (prev)
        charge(prev, now - ks.time_start, now);
    ks.time_start = now;
    ks.time_sc = 0;
    if (sc) {
        if (sc->flags & KEEL_SC_FLAG_SPORADIC)
            sched_activate(sc, now);
        ks.time_end = now + refill_capacity(sc, now);
        ks.time_sc = sc;
    }
    arm_timer();
}

/* Who runs next, when the fastpath has not decided it. */
static __attribute__((noinline)) arch_ctx_t *exit_decide(struct tcb *cur)
{
    if (cur->state == THREAD_RUNNING && cur != &ks.idle) {
        if (!sched_has_time(cur)) {
            /* Its context went (unbound, lent on): it waits off the queues. */
        } else if (cur->sc != ks.time_sc && !refill_capacity(cur->sc, arch_time_now())) {
            release_insert(cur);        /* e.g. its context was just reconfigured */
        } else if (sched_highest_prio() <= (int)cur->priority) {
            /* (The running context has budget: the timer ends it.) */
            if (cur->sc != ks.time_sc)
                switch_time(cur);
            else if (ks.release_head)
                arm_timer();            /* a thread may have been throttled */
            trace_run(cur);
            return &cur->ctx;
        } else {
            enqueue_or_throttle(cur, true); /* preempted by a higher priority */
        }
    }
    struct tcb *next;
    while ((next = sched_highest())) {
        sched_dequeue(next);
        if (next->sc == ks.time_sc || refill_capacity(next->sc, arch_time_now()))
            break;
        release_insert(next);
    }
    if (!next)
        next = &ks.idle;
    ks.current = next;
    if (next->sc != ks.time_sc)
        switch_time(next);
    if (next->yield_to)
        sc_yield_done(next);
    trace_run(next);
    return next == &ks.idle ? 0 : &next->ctx;
}

arch_ctx_t *kentry_exit_ctx(void)
{
    struct tcb *cur = ks.current;
    arch_ctx_t *c;
    if (!ks.exit_decided) {
        c = exit_decide(cur);
    } else {
        ks.exit_decided = false; /* fastpath.c checked that exit_decide would choose cur */
        if (cur->sc != ks.time_sc)
            switch_time(cur);
        trace_run(cur);
        c = &cur->ctx;
    }
    if (c) /* (an empty VSPACE slot holds obj 0: no address space) */
        arch_vspace_activate(ks.current->slots[TCB_SLOT_VSPACE].cap.obj);
    return c;
}
