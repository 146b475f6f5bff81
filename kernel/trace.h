/*
 * kernel/trace.h - emitting kernel trace records (keel/trace.h).  Every
 * trace point is `trace_emit(...)`: with CONFIG_TRACE 0 it compiles to
 * nothing; otherwise it costs one test of ks.trace_on until boot switches
 * tracing on.  The records go to the arch (arch_trace_write).
 */
#ifndef KEEL_KTRACE_H
#define KEEL_KTRACE_H

#include <keel/trace.h>
#include "state.h"

void trace_record(unsigned type, const struct tcb *t, uint64_t a0, uint64_t a1, uint64_t a2);
void trace_switch(struct tcb *next);
void trace_ipc(const struct tcb *s, const struct tcb *r, word_t badge, word_t info, bool reply);

static inline bool trace_on(void)
{
    return CONFIG_TRACE && ks.trace_on;
}

static inline void trace_emit(unsigned type, const struct tcb *t, uint64_t a0, uint64_t a1,
                              uint64_t a2)
{
    if (trace_on())
        trace_record(type, t, a0, a1, a2);
}

/* The kernel is about to run t (the exit path): a SWITCH record if it is
 * not the thread that ran last. */
static inline void trace_run(struct tcb *t)
{
    if (trace_on() && t != ks.trace_prev)
        trace_switch(t);
}

/* Why the running thread is about to stop, when its state will not tell
 * (a yield, a spent budget). */
static inline void trace_why(unsigned why)
{
    if (trace_on())
        ks.trace_why = (uint8_t)why;
}

#endif /* KEEL_KTRACE_H */
