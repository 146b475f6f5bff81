/*
 * kernel/sc.c - scheduling contexts (MCS): SchedControl_Configure sets a
 * context's budget, period, refill count, badge and flags; a context binds
 * to one TCB or to one notification; SchedContext_Consumed reads and
 * resets the time charged to it; YieldTo lets the thread on a context run
 * in the caller's place.  Links are two-sided and cleared when either end
 * is destroyed.  Budgets are enforced in sched.c and refill.c; lending
 * along calls in ipc.c, along signals in notification.c.
 */
#include "invoke.h"
#include "trace.h"

#define NS_PER_US 1000u

/* Parameters checked by the caller; the refill buffer starts with the
 * whole budget available now. */
void sc_configure(struct sched_context *sc, uint64_t budget_ns, uint64_t period_ns,
                  word_t refills, word_t badge, word_t flags)
{
    sched_sc_reset(sc); /* its running time so far, under the old parameters */
    sc->budget_ns = budget_ns;
    sc->period_ns = period_ns;
    sc->badge = badge;
    sc->flags = flags;
    sc->refill_used = refills;
    refill_init(sc, arch_time_now());
    sched_sc_changed(sc->tcb);
}

/* Move scheduling context sc from its thread (if any) to `to` (0: none).
 * Every change of which thread a context is bound to goes through here.
 * Time is charged to contexts (sched.c), so nothing is charged here: a
 * context lent by the running thread goes on being the running time. */
void sc_move(struct sched_context *sc, struct tcb *to)
{
    struct tcb *from = sc->tcb;
    if (from) {
        from->sc = 0;
        sched_sc_changed(from);
    }
    sc->tcb = to;
    if (to) {
        to->sc = sc;
        sched_sc_changed(to);
    }
}

void sc_bind_tcb(struct sched_context *sc, struct tcb *t)
{
    sc_move(sc, t);
}

void sc_unbind_ntfn(struct sched_context *sc)
{
    if (sc->ntfn)
        sc->ntfn->sc = 0;
    sc->ntfn = 0;
}

/* The time charged to sc since the last Consumed or YieldTo (its running
 * time up to now included), in microseconds; the count starts again. */
static word_t take_consumed_us(struct sched_context *sc)
{
    if (sc == ks.time_sc)
        sched_account();
    word_t us = (word_t)(sc->consumed_ns / NS_PER_US);
    sc->consumed_ns = 0;
    return us;
}

/* YieldTo: the caller that waited on sc runs again; its result is the
 * time consumed on sc meanwhile (and since the last Consumed). */
void sc_yield_done(struct tcb *t)
{
    arch_ctx_set(&t->ctx, KEEL_REG_MR0, take_consumed_us(t->yield_to));
    sc_yield_cancel(t);
}

void sc_yield_cancel(struct tcb *t)
{
    if (t->yield_to) {
        t->yield_to->yield_from = 0;
        t->yield_to = 0;
    }
}

void sc_unbind_all(struct sched_context *sc)
{
    if (sc->tcb)
        sc_move(sc, 0);
    sc_unbind_ntfn(sc);
    for (struct reply *r = sc->reply, *older; r; r = older) { /* lent: nobody gets it back */
        older = r->donated_prev;
        r->donated = 0;
        r->donated_prev = 0;
    }
    sc->reply = 0;
}

/* The context's last capability is gone. */
void sc_destroy(struct sched_context *sc)
{
    if (sc->yield_from)
        sc_yield_done(sc->yield_from);
    sched_sc_reset(sc);
    sc_unbind_all(sc);
}

/* SchedControl_Configure(budget_us, period_us, extra_refills, badge,
 * flags), extra cap 0: the SchedContext. */
int sched_control_decode(struct invocation *inv, struct kerr *e)
{
    if (inv->label != KEEL_SCHED_CONTROL_CONFIGURE)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_SCHED_CONTROL, 0,
                        0, "SchedControl: unknown method");
    int r = inv_need(inv, 5, 1, e);
    if (r != KEEL_OK)
        return r;
    const cap_t *c = &inv->extra[0]->cap;
    if (c->type != KEEL_CAP_SCHED_CONTEXT)
        return kerr_set(e, KEEL_INVALID_CAPABILITY, KEEL_ARG_CAP(0), c->type, 0, 0,
                        "Configure: needs a SchedContext");
    struct sched_context *sc = (struct sched_context *)c->obj;
    word_t budget = inv_mr(inv, 0), period = inv_mr(inv, 1), extra = inv_mr(inv, 2);
    word_t flags = inv_mr(inv, 4);
    if (flags & ~(word_t)KEEL_SC_FLAG_SPORADIC)
        return kerr_set(e, KEEL_INVALID_ARGUMENT, 4, flags, 0, 0, "Configure: unknown flags");
    if (period < KEEL_SC_MIN_BUDGET_US || period > KEEL_SC_MAX_PERIOD_US)
        return kerr_set(e, KEEL_RANGE_ERROR, 1, KEEL_SC_MIN_BUDGET_US, KEEL_SC_MAX_PERIOD_US,
                        period, "Configure: period out of range");
    if (budget < KEEL_SC_MIN_BUDGET_US || budget > period)
        return kerr_set(e, KEEL_RANGE_ERROR, 0, KEEL_SC_MIN_BUDGET_US, period, budget,
                        "Configure: budget below the minimum or above the period");
    if (extra > sc->refill_max - KEEL_SC_MIN_REFILLS)
        return kerr_set(e, KEEL_RANGE_ERROR, 2, 0, sc->refill_max - KEEL_SC_MIN_REFILLS, extra,
                        "Configure: more refills than the SchedContext holds");
    sc_configure(sc, (uint64_t)budget * NS_PER_US, (uint64_t)period * NS_PER_US,
                 KEEL_SC_MIN_REFILLS + extra, inv_mr(inv, 3), flags);
    return KEEL_OK;
}

/* The object a Bind or UnbindObject names (extra cap 0): a TCB or a
 * notification, returned through *t or *n. */
static int bind_target(const struct invocation *inv, struct tcb **t, struct notification **n,
                       struct kerr *e)
{
    int r = inv_need(inv, 0, 1, e);
    if (r != KEEL_OK)
        return r;
    const cap_t *c = &inv->extra[0]->cap;
    *t = c->type == KEEL_CAP_TCB ? (struct tcb *)c->obj : 0;
    *n = c->type == KEEL_CAP_NOTIFICATION ? (struct notification *)c->obj : 0;
    if (!*t && !*n)
        return kerr_set(e, KEEL_INVALID_CAPABILITY, KEEL_ARG_CAP(0), c->type, 0, 0,
                        "SchedContext: binds to a TCB or a notification");
    return KEEL_OK;
}

/* YieldTo: sc's thread must exist, not be the caller, and have a priority
 * the caller's MCP covers. */
static int yield_to_decode(const struct invocation *inv, const struct sched_context *sc,
                           struct kerr *e)
{
    const struct tcb *t = sc->tcb, *self = inv->thread;
    if (!t)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_SCHED_CONTEXT, 0,
                        0, "YieldTo: the SchedContext has no thread");
    if (t == self)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_SCHED_CONTEXT, 0,
                        0, "YieldTo: the caller's own SchedContext");
    if (t->priority > self->mcp)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, t->priority, self->mcp, 0,
                        "YieldTo: the thread's priority is above the caller's MCP");
    return KEEL_OK;
}

/* sc's thread, if it is ready, goes to the head of its queue.  If its
 * priority is at least the caller's, the caller yields to it: it goes to
 * the head of its own queue, behind the thread, and its result (the time
 * consumed on sc) is written when it runs again (sc_yield_done).  Else,
 * or if the thread is not ready, the result is written now. */
static void yield_to_invoke(struct invocation *inv, struct sched_context *sc)
{
    struct tcb *t = sc->tcb, *self = inv->thread;
    if (sc->yield_from)
        sc_yield_done(sc->yield_from); /* one YieldTo waits on a context at a time */
    inv_set_result(inv, 0, 0);
    if (t->state == THREAD_RUNNING && sched_queued(t) && !t->in_release) {
        sched_dequeue(t);
        if (t->priority >= self->priority) {
            sched_enqueue_head(self);
            ks.current = &ks.idle;
            trace_why(KEEL_TRACE_SW_YIELDED);
            self->yield_to = sc;
            sc->yield_from = self;
        }
        sched_enqueue_head(t);
        if (self->yield_to)
            return;
    }
    inv_set_result(inv, 0, take_consumed_us(sc));
}

int sched_context_decode(struct invocation *inv, struct kerr *e)
{
    struct sched_context *sc = (struct sched_context *)inv->slot->cap.obj;
    struct tcb *t;
    struct notification *n;
    int r;
    switch (inv->label) {
    case KEEL_SCHED_CONTEXT_BIND:
        if ((r = bind_target(inv, &t, &n, e)) != KEEL_OK)
            return r;
        if (sc->tcb || sc->ntfn)
            return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_SCHED_CONTEXT,
                            0, 0, "Bind: the SchedContext is already bound");
        if (t ? t->sc != 0 : n->sc != 0)
            return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_CAP(0),
                            t ? KEEL_CAP_TCB : KEEL_CAP_NOTIFICATION, 0, 0,
                            "Bind: the object already has a SchedContext");
        if (t)
            sc_bind_tcb(sc, t);
        else
            sc->ntfn = n, n->sc = sc;
        return KEEL_OK;
    case KEEL_SCHED_CONTEXT_UNBIND:
        sc_unbind_all(sc);
        return KEEL_OK;
    case KEEL_SCHED_CONTEXT_UNBIND_OBJECT:
        if ((r = bind_target(inv, &t, &n, e)) != KEEL_OK)
            return r;
        if (t ? sc->tcb != t : sc->ntfn != n)
            return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_CAP(0),
                            t ? KEEL_CAP_TCB : KEEL_CAP_NOTIFICATION, 0, 0,
                            "UnbindObject: not bound to this SchedContext");
        if (t)
            sc_move(sc, 0);
        else
            sc_unbind_ntfn(sc);
        return KEEL_OK;
    case KEEL_SCHED_CONTEXT_CONSUMED:
        inv_set_result(inv, 0, take_consumed_us(sc));
        return KEEL_OK;
    case KEEL_SCHED_CONTEXT_YIELD_TO:
        if ((r = yield_to_decode(inv, sc, e)) != KEEL_OK)
            return r;
        yield_to_invoke(inv, sc);
        return KEEL_OK;
    default:
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_SCHED_CONTEXT, 0, 0,
                        "SchedContext: unknown method");
    }
}
