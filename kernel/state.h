/*
 * kernel/state.h - the kernel's global state, in one structure so that a
 * boot (or a fuzzer's reset) starts from a known zero state.  Only the core
 * touches it; single CPU, and every access happens with interrupts off.
 */
#ifndef KEEL_STATE_H
#define KEEL_STATE_H

#include "objects.h"

struct kstate {
    slot_t mdb_head;            /* sentinel of the MDB list (null cap) */
    struct tcb *current;        /* the thread that entered the kernel */
    struct tcb idle;            /* the idle thread (never in a ready queue) */
    struct tcb *ready_head;     /* round-robin ready queue (until issue 3's scheduler) */
    struct tcb *ready_tail;
    slot_t *root_cnode;         /* where boot put the root task's CNode cap (tests) */
    word_t work_units;          /* since the last preemption poll */
    slot_t *reap_top;           /* a preempted reap: its top zombie ... */
    slot_t *reap_cur;           /* ... and the zombie it was working in */
    bool log_user_errors;
    uint64_t timeslice_end;
    /* counters for KEEL_SYS_DEBUG_SNAPSHOT */
    word_t entries;
    word_t preemptions;
};

extern struct kstate ks;

/* delete.c */
int preempt_point(void);
int slot_delete(slot_t *s);
int slot_revoke(slot_t *s);

/* untyped.c */
void untyped_pass_watermark(const slot_t *s);

/* thread.c */
void sched_make_runnable(struct tcb *t);
void sched_remove(struct tcb *t);
void sched_tick(void);
void thread_suspend(struct tcb *t);
struct keel_ipc_buffer *tcb_ipc_buffer(const struct tcb *t);

/* invariants.c: returns 0 when the kernel's invariants hold, else a
 * static description of the first violation found. */
const char *kinv_check(void);
word_t kinv_count_caps(void);

#endif /* KEEL_STATE_H */
