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
    return t->sched_prev || ks.ready[t->priority].head == t;
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

void sched_dequeue(struct tcb *t)
{
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

void sched_make_runnable(struct tcb *t)
{
    t->state = THREAD_RUNNING;
    if (t != ks.current && !sched_queued(t))
        sched_enqueue(t);
}

void sched_set_priority(struct tcb *t, word_t prio)
{
    bool queued = sched_queued(t);
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

/* The timer fired: the thread whose slice it was counting has used it up.
 * It gets a fresh slice; if it still runs, it goes to its queue's tail.
 * (It may not be current: a direct switch in this kernel entry, before
 * the interrupt was taken, has already replaced it.) */
void sched_tick(void)
{
    struct tcb *t = ks.slice_owner;
    sched_account();
    ks.slice_owner = 0;                 /* re-arm even if t runs on */
    if (!t)
        return;
    t->slice_left_ns = CONFIG_TIMESLICE_NS;
    if (t == ks.current && t->state == THREAD_RUNNING) {
        sched_enqueue(t);
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

/* Charge the thread whose slice is running for the time up to now (to its
 * slice and its scheduling context); its timer deadline does not move. */
void sched_account(void)
{
    struct tcb *t = ks.slice_owner;
    if (!t)
        return;
    uint64_t now = arch_time_now(), used = now - ks.slice_start;
    if (t->sc)
        t->sc->consumed_ns += used;
    t->slice_left_ns = used < t->slice_left_ns ? t->slice_left_ns - used : 0;
    ks.slice_start = now;
}

/* Charge the thread that had the CPU for its time, and start next's slice
 * (the timer is off while idle: nothing can happen until an interrupt). */
static void switch_slice(struct tcb *next)
{
    uint64_t now = arch_time_now();
    struct tcb *prev = ks.slice_owner;
    if (prev) {
        uint64_t used = now - ks.slice_start;
        if (prev->sc)
            prev->sc->consumed_ns += used;  /* accounting only: no budget limit yet */
        prev->slice_left_ns = used < prev->slice_left_ns ? prev->slice_left_ns - used
                                                         : CONFIG_TIMESLICE_NS;
    }
    ks.slice_owner = next == &ks.idle ? 0 : next;
    ks.slice_start = now;
    arch_timer_set(next == &ks.idle ? UINT64_MAX : now + next->slice_left_ns);
}

arch_ctx_t *kentry_exit_ctx(void)
{
    struct tcb *cur = ks.current;
    if (cur->state == THREAD_RUNNING && cur != &ks.idle) {
        if (sched_highest_prio() <= (int)cur->priority) {
            if (cur != ks.slice_owner)
                switch_slice(cur);
            return &cur->ctx;
        }
        sched_enqueue_head(cur);        /* preempted by a higher priority */
    }
    struct tcb *next = sched_highest();
    if (next)
        sched_dequeue(next);
    else
        next = &ks.idle;
    ks.current = next;
    if (next != ks.slice_owner)
        switch_slice(next);
    return next == &ks.idle ? 0 : &next->ctx;
}
