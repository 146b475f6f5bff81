/*
 * kernel/trace.c - the kernel trace (keel/trace.h, docs/trace-format.md):
 * building records, and the thread-switch record, which says why the
 * previous thread stopped and how many threads are ready.
 *
 * Threads are named by trace ids given at creation (ks.trace_tids), not
 * by address, so that two runs of one system name them alike.
 */
#include "trace.h"

void trace_record(unsigned type, const struct tcb *t, uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct keel_trace_rec r = {.time_ns = arch_time_now(), .type = (uint16_t)type,
                               .tid = t ? t->tid : 0, .a0 = a0, .a1 = a1, .a2 = a2};
    arch_trace_write(&r);
}

/* A message from s reached r: a send and a receive record with one id. */
void trace_ipc(const struct tcb *s, const struct tcb *r, word_t badge, word_t info, bool reply)
{
    uint64_t id = ++ks.msg_seq;
    trace_record(KEEL_TRACE_IPC_SEND, s, id, info, badge);
    trace_record(KEEL_TRACE_IPC_RECV, r, id, s->tid, reply);
}

/* Why prev (the thread that ran until now) stopped. */
static unsigned switch_reason(const struct tcb *prev)
{
    if (!prev)
        return KEEL_TRACE_SW_STOPPED;  /* destroyed */
    if (prev == &ks.idle)
        return KEEL_TRACE_SW_IDLE;
    if (ks.trace_why)
        return ks.trace_why;
    switch (prev->state) {
    case THREAD_RUNNING:
        if (prev->in_release)
            return KEEL_TRACE_SW_BUDGET;
        return sched_queued(prev) ? KEEL_TRACE_SW_PREEMPTED : KEEL_TRACE_SW_STOPPED;
    case THREAD_INACTIVE:
        return KEEL_TRACE_SW_STOPPED;
    default:
        return KEEL_TRACE_SW_BLOCKED;
    }
}

/* next runs from now on (the caller checked it is another thread). */
void trace_switch(struct tcb *next)
{
    struct tcb *prev = ks.trace_prev;
    trace_record(KEEL_TRACE_SWITCH, next, prev ? prev->tid : 0, switch_reason(prev),
                 ks.nready);
    ks.trace_prev = next;
    ks.trace_why = 0;
}
