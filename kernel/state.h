/*
 * kernel/state.h - the kernel's global state, in one structure so that a
 * boot (or a fuzzer's reset) starts from a known zero state.  Only the core
 * touches it; single CPU, and every access happens with interrupts off.
 */
#ifndef KEEL_STATE_H
#define KEEL_STATE_H

#include "objects.h"

struct kstate {
    /* The fields every kernel entry touches come first: a RISC-V load or
     * store reaches 2 KiB from one base register, and the arrays below
     * are larger than that. */
    struct tcb *current;        /* the thread that entered the kernel */
    struct sched_context *time_sc; /* whose budget the running time is (0: idle's) */
    uint64_t time_start;        /* when it was switched in (or last charged) */
    uint64_t time_end;          /* when that budget runs out: the timer */
    struct tcb *release_head;   /* threads waiting for budget, earliest release first */
    bool exit_decided;          /* the fastpath chose ks.current; no interrupt since */
    bool log_user_errors;
    /* the trace (trace.c) */
    bool trace_on;              /* emit records (boot: kboot_params.trace) */
    uint8_t trace_why;          /* why the running thread stops (0: its state says) */
    uint32_t trace_tids;        /* trace ids given so far (idle 0, root 1) */
    struct tcb *trace_prev;     /* the thread the last SWITCH record started */
    uint64_t msg_seq;           /* IPC message ids */
    word_t nready;              /* threads in the ready queues */
    /* counters for KEEL_SYS_DEBUG_SNAPSHOT */
    word_t entries;
    word_t preemptions;
    word_t ready_l1;            /* bit i: ready_l2[i] is non-zero */
    word_t ready_l2[KEEL_NUM_PRIORITIES / KEEL_WORD_BITS]; /* bit p%W: ready[p] non-empty */
    slot_t *root_cnode;         /* where boot put the root task's CNode cap (tests) */
    word_t work_units;          /* since the last preemption poll */
    slot_t *reap_top;           /* a preempted reap: its top zombie ... */
    slot_t *reap_cur;           /* ... and the zombie it was working in */
    slot_t mdb_head;            /* sentinel of the MDB list (null cap) */
    struct tcb idle;            /* the idle thread (never in a ready queue) */
    struct ready_queue {
        struct tcb *head, *tail;
    } ready[KEEL_NUM_PRIORITIES];
    word_t *asid_pool[CONFIG_NUM_ASID_POOLS]; /* ASID pools by ASID / 512 (vspace.c); 0: free */
    struct irq_line {           /* irq.c */
        struct notification *ntfn; /* signalled when the line fires (0: none) */
        word_t badge;
        bool issued;            /* an IRQHandler cap exists */
    } irq[ARCH_NUM_IRQS];
};

extern struct kstate ks;

/* Thread queues of endpoints and notifications (FIFO), inline: the IPC
 * fastpath uses them. */
static inline void tcbq_append(struct tcb_queue *q, struct tcb *t)
{
    t->ipc_next = 0;
    t->ipc_prev = q->tail;
    if (q->tail)
        q->tail->ipc_next = t;
    else
        q->head = t;
    q->tail = t;
}

static inline void tcbq_remove(struct tcb_queue *q, struct tcb *t)
{
    if (t->ipc_prev)
        t->ipc_prev->ipc_next = t->ipc_next;
    else
        q->head = t->ipc_next;
    if (t->ipc_next)
        t->ipc_next->ipc_prev = t->ipc_prev;
    else
        q->tail = t->ipc_prev;
    t->ipc_next = t->ipc_prev = 0;
}

/* delete.c */
int preempt_point(void);
int slot_delete(slot_t *s);
int slot_revoke(slot_t *s);

/* untyped.c */
void untyped_pass_watermark(const slot_t *s);

/* sched.c: the ready queues.  Invariant: a thread is in its priority's
 * queue, or in the release queue waiting for budget, iff it is
 * THREAD_RUNNING, not ks.current, and has a configured scheduling
 * context (sched_has_time). */
void sched_enqueue(struct tcb *t);       /* at the tail */
void sched_enqueue_head(struct tcb *t);
void sched_dequeue(struct tcb *t);       /* no-op if not queued */
bool sched_queued(const struct tcb *t);
struct tcb *sched_highest(void);         /* the head of the highest queue, or 0 */
int sched_highest_prio(void);            /* its priority, or -1 */
bool sched_has_time(const struct tcb *t); /* a configured scheduling context */
void sched_make_runnable(struct tcb *t); /* RUNNING, queued if it has time */
void sched_yield_current(void);
void sched_tick(void);                   /* the timer fired */
void sched_forget(struct tcb *t);        /* t is being destroyed */
void sched_set_priority(struct tcb *t, word_t prio);
void sched_account(void);                /* charge the running time up to now */
void sched_sc_changed(struct tcb *t);    /* t's context changed: queue it by the new rules */
void sched_sc_reset(const struct sched_context *sc); /* sc's time ends now (configured, deleted) */

/* irq.c */
void irq_handler_deleted(word_t irq);
void irq_forget_ntfn(const struct notification *n);

/* vspace.c */
bool vspace_is_root(const cap_t *c);
word_t vspace_asid_root(word_t asid);
void vspace_make_root(cap_t *c, word_t *pool, word_t asid);
int vspace_derive(cap_t *c, struct kerr *e);
void vspace_cap_deleted(const cap_t *c, bool final);

/* thread.c */
void thread_suspend(struct tcb *t);
void thread_resume(struct tcb *t);
void thread_destroy(struct tcb *t);
struct keel_ipc_buffer *tcb_ipc_buffer(const struct tcb *t);

/* ipc.c */
void ipc_cancel(struct tcb *t);          /* take t out of whatever it is blocked in */
void ipc_abort(struct tcb *t, word_t cap_type); /* ...and fail its syscall */
void ep_cancel_all(struct endpoint *ep);
void ep_cancel_badged(struct endpoint *ep, word_t badge);
void reply_destroy(struct reply *r);
bool ep_send(struct endpoint *ep, struct tcb *t, word_t badge, word_t flags, bool blocking);
void ep_receive(struct endpoint *ep, struct tcb *t, struct reply *r, bool blocking);
void reply_send(struct reply *r, struct tcb *sender, bool grant);

/* notification.c */
void ntfn_signal(struct notification *n, word_t badge);
void ntfn_wait(struct notification *n, struct tcb *t, bool blocking);
bool ntfn_poll_bound(struct tcb *t);     /* deliver a pending bound signal */
void ntfn_cancel_all(struct notification *n);
void ntfn_unbind(struct notification *n);
void ntfn_sc_return(struct tcb *t);

/* sc.c: scheduling contexts */
void sc_unbind_all(struct sched_context *sc);
void sc_configure(struct sched_context *sc, uint64_t budget_ns, uint64_t period_ns,
                  word_t refills, word_t badge, word_t flags);
void sc_bind_tcb(struct sched_context *sc, struct tcb *t);
void sc_move(struct sched_context *sc, struct tcb *to); /* rebind (to 0: unbind) */
void sc_unbind_ntfn(struct sched_context *sc);
void sc_destroy(struct sched_context *sc);
void sc_yield_done(struct tcb *t);       /* its YieldTo returns */
void sc_yield_cancel(struct tcb *t);

/* refill.c: a scheduling context's budget over time.  The accessors and
 * the round-robin charge are inline: every context switch uses them. */
void refill_init(struct sched_context *sc, uint64_t now);
void refill_charge_sporadic(struct sched_context *sc, uint64_t used, uint64_t now);
void refill_activate_sporadic(struct sched_context *sc, uint64_t now);

static inline bool refill_round_robin(const struct sched_context *sc)
{
    return sc->budget_ns == sc->period_ns;
}

static inline struct refill *refill_head(struct sched_context *sc)
{
    return sc_refill(sc, sc->refill_head); /* refill_head < refill_used always */
}

static inline bool refill_ready(struct sched_context *sc, uint64_t now)
{
    return refill_head(sc)->release_ns <= now;
}

/* What the thread may run now before it must be charged. */
static inline uint64_t refill_capacity(struct sched_context *sc, uint64_t now)
{
    struct refill *h = refill_head(sc);
    return h->release_ns <= now ? h->amount_ns : 0;
}

/* The thread ran `used` ns on the head refill (which was ready), up to
 * `now`.  Round-robin: a spent budget is full again at once. */
static inline void refill_charge(struct sched_context *sc, uint64_t used, uint64_t now)
{
    if (!refill_round_robin(sc)) {
        refill_charge_sporadic(sc, used, now);
        return;
    }
    struct refill *h = refill_head(sc);
    if (used < h->amount_ns) {
        h->amount_ns -= used;
    } else {
        h->amount_ns = sc->budget_ns;
        h->release_ns = now;
    }
}

/* The context starts to be used at `now` (refill.c; round-robin contexts
 * have nothing to do). */
static inline void refill_activate(struct sched_context *sc, uint64_t now)
{
    if (!refill_round_robin(sc))
        refill_activate_sporadic(sc, now);
}

/* The context starts to be used at `now` after being idle: its budget
 * cannot be used in the past (refill_activate).  A context that was in
 * use up to now is not idle: it was charged at this instant, or it is the
 * running time itself.  (Applying it twice at one instant changes
 * nothing.) */
static inline void sched_activate(struct sched_context *sc, uint64_t now)
{
    if (!refill_round_robin(sc) && sc->charged_at_ns != now && sc != ks.time_sc)
        refill_activate_sporadic(sc, now);
}

/* fastpath.c: true if it handled the syscall */
bool fastpath(struct tcb *t, word_t sysno);

/* fault.c */
void fault_raise(struct tcb *t, word_t type, const word_t *words, unsigned n);
void fault_cap(struct tcb *t, word_t cptr, bool in_recv, int code, const struct kerr *e);
word_t fault_message(const struct tcb *t, word_t *words);
void fault_reply(struct tcb *t, word_t label, const word_t *regs, word_t n);

/* invariants.c: returns 0 when the kernel's invariants hold, else a
 * static description of the first violation found. */
const char *kinv_check(void);
word_t kinv_count_caps(void);

#endif /* KEEL_STATE_H */
