/*
 * kernel/ipc.c - synchronous IPC: endpoint queues, message and capability
 * transfer, Reply objects, and undoing all of it when a thread, endpoint
 * or reply object goes away.  This is the reference semantics (docs/ipc.md);
 * fastpath.c takes a shortcut through the common Call/ReplyRecv case and
 * must end in the same state.
 *
 * An endpoint holds a FIFO queue of threads that all wait to send or all
 * wait to receive.  A send that meets a waiting receiver (or a receive that
 * meets a waiting sender) transfers the message at once: message registers
 * from the sender's registers and IPC buffer, the sender's badge, and with
 * Grant up to three capabilities.  A Call received together with a Reply
 * object leaves the caller BLOCKED_REPLY on that object until someone
 * sends on it.  Every link between a thread and an object is two pointers
 * (thread -> object and object -> thread), cleared together.
 */
#include "invoke.h"
#include "trace.h"

static void ep_dequeue(struct endpoint *ep, struct tcb *t)
{
    tcbq_remove(&ep->queue, t);
    if (!ep->queue.head)
        ep->state = EP_IDLE;
    t->blocked_on = 0;
}

/* ---- message transfer ---- */

static word_t capacity(const struct keel_ipc_buffer *b)
{
    return b ? KEEL_MSG_MAX_LENGTH : KEEL_MSG_REGS;
}

/* Message register i (< capacity(b): the callers bound i by a message
 * length checked against it). */
static word_t get_mr(const struct tcb *t, const struct keel_ipc_buffer *b, word_t i)
{
    /* cppcheck-suppress arrayIndexOutOfBoundsCond ; i < KEEL_MSG_MAX_LENGTH, see above */
    return i < KEEL_MSG_REGS ? arch_ctx_get(&t->ctx, KEEL_REG_MR0 + (unsigned)i) : b->msg[i];
}

static void set_mr(struct tcb *t, struct keel_ipc_buffer *b, word_t i, word_t v)
{
    if (i < KEEL_MSG_REGS)
        arch_ctx_set(&t->ctx, KEEL_REG_MR0 + (unsigned)i, v);
    else
        b->msg[i] = v; /* cppcheck-suppress arrayIndexOutOfBoundsCond ; as get_mr */
}

/* The receiver's receive slot, if it offers an empty one. */
static slot_t *receive_slot(struct tcb *r, const struct keel_ipc_buffer *rb)
{
    slot_t *cn, *dest;
    struct kerr e;
    if (cspace_lookup_cap(r, rb->receive_cnode, 0, &cn, &e) != KEEL_OK ||
        cspace_lookup_slot(&cn->cap, rb->receive_index, rb->receive_depth, 0, &dest, &e) !=
            KEEL_OK ||
        !cap_is_null(&dest->cap))
        return 0;
    return dest;
}

/* Up to n extra caps from s's IPC buffer to r: caps to `ep` unwrap to
 * their badge, one other cap can be copied into r's receive slot.  Stops
 * at the first cap that cannot be delivered.  Returns the caps delivered;
 * *unwrapped gets the unwrapped bits. */
static word_t transfer_caps(struct tcb *s, const struct keel_ipc_buffer *sb, struct tcb *r,
                            struct keel_ipc_buffer *rb, const struct endpoint *ep, word_t n,
                            word_t *unwrapped)
{
    slot_t *dest = rb ? receive_slot(r, rb) : 0;
    word_t i;
    *unwrapped = 0;
    for (i = 0; i < n && rb; i++) {
        slot_t *src;
        cap_t c;
        struct kerr e;
        if (cspace_lookup_cap(s, sb->caps_or_badges[i], 0, &src, &e) != KEEL_OK)
            break;
        if (src->cap.type == KEEL_CAP_ENDPOINT && ep && src->cap.obj == (word_t)ep) {
            rb->caps_or_badges[i] = src->cap.data;
            *unwrapped |= BIT(i);
            continue;
        }
        if (!dest || cap_derive(src, KEEL_RIGHTS_ALL, 0, false, 0, &c, &e) != KEEL_OK)
            break;
        mdb_insert_after(src, dest, &c);
        dest = 0;
    }
    return i;
}

/* Deliver s's message (or its fault) to r, with `badge`; caps only with
 * `grant`.  Sets r's badge and message info registers. */
static void transfer(struct tcb *s, struct tcb *r, word_t badge, bool grant,
                     const struct endpoint *ep)
{
    struct keel_ipc_buffer *sb = tcb_ipc_buffer(s), *rb = tcb_ipc_buffer(r);
    word_t label, len, ncaps = 0, unwrapped = 0;
    if (s->fault_type != KEEL_FAULT_NULL) {
        word_t w[KEEL_UNKNOWN_SYSCALL_LENGTH];
        label = s->fault_type;
        len = fault_message(s, w);
        if (len > capacity(rb))
            len = capacity(rb);
        for (word_t i = 0; i < len; i++)
            set_mr(r, rb, i, w[i]);
    } else {
        word_t info = arch_ctx_get(&s->ctx, KEEL_REG_INFO);
        label = keel_msginfo_label(info);
        len = keel_msginfo_length(info);
        if (len > capacity(sb))
            len = capacity(sb);
        if (len > capacity(rb))
            len = capacity(rb);
        for (word_t i = 0; i < len; i++)
            set_mr(r, rb, i, get_mr(s, sb, i));
        word_t n = keel_msginfo_extra_caps(info);
        if (grant && sb && n)
            ncaps = transfer_caps(s, sb, r, rb, ep, n, &unwrapped);
    }
    arch_ctx_set(&r->ctx, KEEL_REG_CPTR, badge);
    arch_ctx_set(&r->ctx, KEEL_REG_INFO, keel_msginfo(label, unwrapped, ncaps, len));
    if (trace_on())
        trace_ipc(s, r, badge, keel_msginfo(label, unwrapped, ncaps, len), !ep);
}

/* A thread that cannot go on (a Call nobody can reply to): inactive, and
 * a Resume executes its syscall again. */
static void stop_restartable(struct tcb *t)
{
    sched_dequeue(t);
    t->state = THREAD_INACTIVE;
    t->fault_type = KEEL_FAULT_NULL;
    arch_ctx_restart_syscall(&t->ctx);
}

/* A caller waiting on rp gets back the context it lent (if it has none
 * meanwhile; else the context is left unbound).  Normally rp is the
 * newest loan of the context; if a call chain went on from the server
 * (rp is older), the newer loans end here too: the context goes back to
 * whom rp owes it, and the threads further down the chain are left
 * without. */
static void reply_return_sc(struct reply *rp, struct tcb *caller)
{
    struct sched_context *sc = rp->donated;
    if (!sc)
        return;
    for (struct reply *r = sc->reply; r != rp; ) {
        struct reply *older = r->donated_prev;
        r->donated = 0;
        r->donated_prev = 0;
        r = older;
    }
    sc->reply = rp->donated_prev;
    rp->donated = 0;
    rp->donated_prev = 0;
    sc_move(sc, caller->sc ? 0 : caller);
}

/* The sender's side after its message was taken: a Call (or a fault)
 * waits on the receiver's Reply object, lending its scheduling context to
 * a receiver that has none (a passive server runs on its caller's time);
 * a plain send is done. */
static void sender_done(struct tcb *s, struct tcb *r, struct reply *rp, word_t flags)
{
    if ((flags & IPC_F_CALL) || s->fault_type != KEEL_FAULT_NULL) {
        if ((flags & (IPC_F_GRANT | IPC_F_GRANT_REPLY)) && rp) {
            rp->tcb = s;
            s->reply_obj = rp;
            s->state = THREAD_BLOCKED_REPLY;
            sched_dequeue(s);
            if (s->sc && !r->sc) {
                rp->donated = s->sc;
                rp->donated_prev = s->sc->reply;
                s->sc->reply = rp;
                sc_move(s->sc, r);
            }
        } else {
            stop_restartable(s);
        }
        return;
    }
    arch_ctx_set(&s->ctx, KEEL_REG_INFO, keel_msginfo(KEEL_OK, 0, 0, 0));
    sched_make_runnable(s);
}

/* A Reply object about to be used for a new receive, or deleted, lets go
 * of the thread it names: a caller waiting for its reply, or a receiver
 * waiting with it; either's syscall is aborted. */
static void reply_release(struct reply *rp)
{
    struct tcb *t = rp->tcb;
    if (!t)
        return;
    if (t->state == THREAD_BLOCKED_REPLY || t->state == THREAD_BLOCKED_RECV)
        ipc_abort(t, KEEL_CAP_REPLY);
    rp->tcb = 0;
}

/* t sends to ep.  Returns false if the message was dropped (NBSend). */
bool ep_send(struct endpoint *ep, struct tcb *t, word_t badge, word_t flags, bool blocking)
{
    if (ep->state == EP_RECV) {
        struct tcb *r = ep->queue.head;
        struct reply *rp = r->reply_obj;
        ep_dequeue(ep, r);
        r->reply_obj = 0;
        if (rp)
            rp->tcb = 0;
        transfer(t, r, badge, flags & IPC_F_GRANT, ep);
        sched_make_runnable(r);
        sender_done(t, r, rp, flags);
        if ((flags & IPC_F_DONATE) && t->sc && !r->sc)
            sc_move(t->sc, r); /* for good: no Reply object brings it back */
        return true;
    }
    if (!blocking)
        return false;
    t->state = THREAD_BLOCKED_SEND;
    t->blocked_on = ep;
    t->ipc_badge = badge;
    t->ipc_flags = (uint8_t)flags;
    sched_dequeue(t);
    tcbq_append(&ep->queue, t);
    ep->state = EP_SEND;
    return true;
}

/* t receives from ep, offering Reply object rp (may be 0). */
void ep_receive(struct endpoint *ep, struct tcb *t, struct reply *rp, bool blocking)
{
    if (ntfn_poll_bound(t))
        return;
    if (rp)
        reply_release(rp);
    if (ep->state == EP_SEND) {
        struct tcb *s = ep->queue.head;
        ep_dequeue(ep, s);
        transfer(s, t, s->ipc_badge, s->ipc_flags & IPC_F_GRANT, ep);
        sender_done(s, t, rp, s->ipc_flags);
        return;
    }
    if (!blocking) {
        arch_ctx_set(&t->ctx, KEEL_REG_CPTR, 0);
        arch_ctx_set(&t->ctx, KEEL_REG_INFO, 0);
        return;
    }
    ntfn_sc_return(t);
    t->state = THREAD_BLOCKED_RECV;
    t->blocked_on = ep;
    t->reply_obj = rp;
    if (rp)
        rp->tcb = t;
    sched_dequeue(t);
    tcbq_append(&ep->queue, t);
    ep->state = EP_RECV;
}

/* `sender` replies through rp (a Send on a Reply cap, or ReplyRecv). */
void reply_send(struct reply *rp, struct tcb *sender, bool grant)
{
    struct tcb *c = rp->tcb;
    if (!c || c->state != THREAD_BLOCKED_REPLY)
        return;
    rp->tcb = 0;
    c->reply_obj = 0;
    reply_return_sc(rp, c);
    if (c->fault_type != KEEL_FAULT_NULL) {
        const struct keel_ipc_buffer *sb = tcb_ipc_buffer(sender);
        word_t info = arch_ctx_get(&sender->ctx, KEEL_REG_INFO);
        word_t n = keel_msginfo_length(info), regs[ARCH_USER_REGS];
        if (n > ARCH_USER_REGS)
            n = ARCH_USER_REGS;
        if (n > capacity(sb))
            n = capacity(sb);
        for (word_t i = 0; i < n; i++)
            regs[i] = get_mr(sender, sb, i);
        fault_reply(c, keel_msginfo_label(info), regs, n);
        return;
    }
    transfer(sender, c, 0, grant, 0);
    sched_make_runnable(c);
}

/* ---- cancelling ---- */

/* Take t out of whatever IPC it is blocked in (its state is left for the
 * caller to set). */
void ipc_cancel(struct tcb *t)
{
    switch (t->state) {
    case THREAD_BLOCKED_SEND:
    case THREAD_BLOCKED_RECV:
        ep_dequeue((struct endpoint *)t->blocked_on, t);
        break;
    case THREAD_BLOCKED_NTFN: {
        struct notification *n = t->blocked_on;
        tcbq_remove(&n->queue, t);
        if (!n->queue.head)
            n->state = NTFN_IDLE;
        t->blocked_on = 0;
        break;
    }
    default:
        break;
    }
    if (t->reply_obj) {
        if (t->state == THREAD_BLOCKED_REPLY)
            reply_return_sc(t->reply_obj, t);
        t->reply_obj->tcb = 0;
        t->reply_obj = 0;
    }
}

/* t's IPC cannot complete (its object is gone): its syscall returns
 * KEEL_IPC_ABORTED.  A thread delivering a fault re-executes the faulting
 * syscall instead, which raises the fault again to whatever handler it
 * has then. */
void ipc_abort(struct tcb *t, word_t cap_type)
{
    ipc_cancel(t);
    if (t->fault_type != KEEL_FAULT_NULL) {
        if (t->fault_type != KEEL_FAULT_TIMEOUT) /* that came between syscalls */
            arch_ctx_restart_syscall(&t->ctx);
        t->fault_type = KEEL_FAULT_NULL;
    } else {
        arch_ctx_set(&t->ctx, KEEL_REG_INFO, keel_msginfo(KEEL_IPC_ABORTED, 0, 0, 4));
        arch_ctx_set(&t->ctx, KEEL_REG_MR0, KEEL_ARG_SERVICE);
        arch_ctx_set(&t->ctx, KEEL_REG_MR1, cap_type);
        arch_ctx_set(&t->ctx, KEEL_REG_MR2, 0);
        arch_ctx_set(&t->ctx, KEEL_REG_MR3, 0);
    }
    sched_make_runnable(t);
}

/* The endpoint is being destroyed.  Not preemptible: the number of
 * threads queued is bounded only by memory (as seL4's cancelAllIPC). */
void ep_cancel_all(struct endpoint *ep)
{
    while (ep->queue.head)
        ipc_abort(ep->queue.head, KEEL_CAP_ENDPOINT);
}

void ep_cancel_badged(struct endpoint *ep, word_t badge)
{
    if (ep->state != EP_SEND)
        return;
    for (struct tcb *t = ep->queue.head, *next; t; t = next) {
        next = t->ipc_next;
        if (t->ipc_badge == badge)
            ipc_abort(t, KEEL_CAP_ENDPOINT);
    }
}

void reply_destroy(struct reply *rp)
{
    reply_release(rp);
}
