/*
 * kernel/fastpath.c - Call and ReplyRecv in the common case, in a straight
 * line: a message of at most four words and no caps, the other side
 * already waiting, and that side the thread the scheduler would pick (its
 * priority above every queued thread's: at an equal priority the slow
 * path would run the queued thread first).
 * Then the kernel moves the message registers and switches directly,
 * touching no ready queue.  Anything else returns false before changing
 * a thing and takes the slow path (ipc.c), which stays the reference: the
 * end state here is exactly what the slow path would produce.
 *
 * Call:      caller -> receiver blocked in Recv with a Reply object;
 *            the caller becomes BLOCKED_REPLY on that object, and lends
 *            its scheduling context to a receiver that has none.
 * ReplyRecv: replier -> caller BLOCKED_REPLY on the named Reply object
 *            (not after a fault), giving back a context the caller lent;
 *            the replier blocks in Recv on an endpoint with no sender
 *            queued, offering the same object.
 * A lent context is the running time: it moves with the switch, with no
 * charge and no timer change (sched.c charges contexts, not threads).  A
 * partner on its own context needs budget left; kentry_exit_ctx charges
 * the old context and arms the timer for it.  The fastpath has made the
 * scheduler's choice too (the partner runs, above every queued thread);
 * kentry_exit_ctx takes it unless an interrupt came in between.
 */
#include "cspace.h"
#include "trace.h"

/* The cap at cptr in t's CSpace if it has `type` and `rights` and the
 * lookup is the one-level common case, else 0. */
static inline const cap_t *fast_lookup(struct tcb *t, word_t cptr, unsigned type, unsigned rights)
{
    slot_t *s = cspace_lookup_fast(t, cptr);
    if (!s || s->cap.type != type || (s->cap.rights & rights) != rights)
        return 0;
    return &s->cap;
}

/* Move message registers 0..len-1, the badge and the info word. */
static void fast_transfer(const struct tcb *from, struct tcb *to, word_t badge, word_t info)
{
    word_t len = keel_msginfo_length(info);
    switch (len) { /* exactly len words: the rest of from's registers stay private */
    case 4:
        arch_ctx_set(&to->ctx, KEEL_REG_MR3, arch_ctx_get(&from->ctx, KEEL_REG_MR3));
        /* fall through */
    case 3:
        arch_ctx_set(&to->ctx, KEEL_REG_MR2, arch_ctx_get(&from->ctx, KEEL_REG_MR2));
        /* fall through */
    case 2:
        arch_ctx_set(&to->ctx, KEEL_REG_MR1, arch_ctx_get(&from->ctx, KEEL_REG_MR1));
        /* fall through */
    case 1:
        arch_ctx_set(&to->ctx, KEEL_REG_MR0, arch_ctx_get(&from->ctx, KEEL_REG_MR0));
        /* fall through */
    default:
        break;
    }
    arch_ctx_set(&to->ctx, KEEL_REG_CPTR, badge);
    arch_ctx_set(&to->ctx, KEEL_REG_INFO, keel_msginfo(keel_msginfo_label(info), 0, 0, len));
}

static bool fast_call(struct tcb *t, word_t info)
{
    const cap_t *c = fast_lookup(t, arch_ctx_get(&t->ctx, KEEL_REG_CPTR), KEEL_CAP_ENDPOINT,
                                 KEEL_RIGHT_WRITE);
    if (!c || !(c->rights & (KEEL_RIGHT_GRANT | KEEL_RIGHT_GRANT_REPLY)))
        return false;
    struct endpoint *ep = (struct endpoint *)c->obj;
    struct tcb *r = ep->queue.head;
    if (ep->state != EP_RECV || !r->reply_obj || (int)r->priority <= sched_highest_prio())
        return false;
    /* Lending the caller's context to a passive receiver, which runs on
     * as the running time; or the receiver's own context starts (as
     * sched_make_runnable would start it), with budget left. */
    struct sched_context *sc = t->sc, *own = r->sc;
    uint64_t now = arch_time_now();
    if (!sc || sc != ks.time_sc)
        return false;
    if (own) {
        if (!own->refill_used)
            return false;
        sched_activate(own, now);
        if (!refill_capacity(own, now))
            return false;
        sc = 0;
    } else if (!refill_capacity(sc, now)) {
        return false;
    }
    struct reply *rp = r->reply_obj;
    tcbq_remove(&ep->queue, r);
    if (!ep->queue.head)
        ep->state = EP_IDLE;
    r->blocked_on = 0;
    r->reply_obj = 0;
    rp->tcb = t;
    t->reply_obj = rp;
    t->state = THREAD_BLOCKED_REPLY;
    fast_transfer(t, r, c->data, info);
    if (trace_on()) { /* as the slow path: the message, then r woken */
        trace_ipc(t, r, c->data,
                  keel_msginfo(keel_msginfo_label(info), 0, 0, keel_msginfo_length(info)), false);
        trace_record(KEEL_TRACE_STATE, r, KEEL_TRACE_ST_RUNNING, THREAD_BLOCKED_RECV, 0);
    }
    r->state = THREAD_RUNNING;
    ks.current = r;
    ks.exit_decided = true;
    if (sc) { /* as sender_done and sc_move: the running time goes on with r */
        rp->donated = sc;
        rp->donated_prev = sc->reply;
        sc->reply = rp;
        t->sc = 0;
        sc->tcb = r;
        r->sc = sc;
    }
    return true;
}

static bool fast_reply_recv(struct tcb *t, word_t info)
{
    const cap_t *rc = fast_lookup(t, arch_ctx_get(&t->ctx, KEEL_REG_REPLY), KEEL_CAP_REPLY, 0);
    const cap_t *ec = fast_lookup(t, arch_ctx_get(&t->ctx, KEEL_REG_CPTR), KEEL_CAP_ENDPOINT,
                                  KEEL_RIGHT_READ);
    if (!rc || !ec || t->bound_ntfn)
        return false;
    struct reply *rp = (struct reply *)rc->obj;
    struct endpoint *ep = (struct endpoint *)ec->obj;
    struct tcb *caller = rp->tcb;
    if (!caller || caller->state != THREAD_BLOCKED_REPLY || caller->fault_type ||
        ep->state == EP_SEND || (int)caller->priority <= sched_highest_prio())
        return false;
    /* Giving back a lent context: the newest loan, lent by this caller,
     * the running time, with budget left.  Or the caller's own context
     * starts, with budget left, and the replier keeps its own (not a
     * notification's, which waiting would give back). */
    struct sched_context *sc = rp->donated, *mine = t->sc;
    uint64_t now = arch_time_now();
    if (!mine || mine != ks.time_sc)
        return false;
    if (sc) {
        if (mine != sc || sc->reply != rp || caller->sc || !refill_capacity(sc, now))
            return false;
    } else {
        struct sched_context *own = caller->sc;
        if (!own || !own->refill_used || mine->ntfn)
            return false;
        sched_activate(own, now);
        if (!refill_capacity(own, now))
            return false;
    }
    caller->reply_obj = 0;
    fast_transfer(t, caller, 0, info);
    if (trace_on()) {
        trace_ipc(t, caller, 0,
                  keel_msginfo(keel_msginfo_label(info), 0, 0, keel_msginfo_length(info)), true);
        trace_record(KEEL_TRACE_STATE, caller, KEEL_TRACE_ST_RUNNING, THREAD_BLOCKED_REPLY, 0);
    }
    caller->state = THREAD_RUNNING;
    t->state = THREAD_BLOCKED_RECV;
    t->blocked_on = ep;
    t->reply_obj = rp;
    rp->tcb = t;
    tcbq_append(&ep->queue, t);
    ep->state = EP_RECV;
    ks.current = caller;
    ks.exit_decided = true;
    if (sc) { /* as reply_return_sc and sc_move */
        sc->reply = rp->donated_prev;
        rp->donated = 0;
        rp->donated_prev = 0;
        t->sc = 0;
        sc->tcb = caller;
        caller->sc = sc;
    }
    return true;
}

bool fastpath(struct tcb *t, word_t sysno)
{
    word_t info = arch_ctx_get(&t->ctx, KEEL_REG_INFO);
    if (keel_msginfo_extra_caps(info) || keel_msginfo_length(info) > KEEL_MSG_REGS)
        return false;
    if (sysno == KEEL_SYS_CALL)
        return fast_call(t, info);
    if (sysno == KEEL_SYS_REPLY_RECV)
        return fast_reply_recv(t, info);
    return false;
}
