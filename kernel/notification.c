/*
 * kernel/notification.c - notifications: a word of badge bits that Signal
 * ORs into and Wait takes, with a queue of waiting threads, and binding to
 * one TCB so that a thread blocked in Recv on an endpoint also wakes for a
 * signal (seL4 semantics).
 *
 * States: IDLE (nothing pending, nobody waiting), WAITING (threads queued,
 * word unused), ACTIVE (a signal pending in word, nobody waiting; a signal
 * with badge 0 still makes it ACTIVE).
 *
 * A notification bound to a scheduling context lends it to a passive
 * thread (one without a context) that its signal wakes; the thread gives
 * it back when it blocks again (MCS, as seL4).
 */
#include "trace.h"

/* A signal reaches t: the word in CPTR, an empty message. */
static void deliver(struct tcb *t, word_t word)
{
    arch_ctx_set(&t->ctx, KEEL_REG_CPTR, word);
    arch_ctx_set(&t->ctx, KEEL_REG_INFO, 0);
}

/* A passive thread woken by a notification that has a scheduling context
 * runs on it (MCS) until it waits again (ntfn_sc_return). */
static void lend_sc(struct notification *n, struct tcb *t)
{
    struct sched_context *sc = n->sc;
    if (sc && !t->sc && !sc->tcb)
        sc_move(sc, t);
}

/* t is about to block: a notification's context it runs on goes back. */
void ntfn_sc_return(struct tcb *t)
{
    struct sched_context *sc = t->sc;
    if (sc && sc->ntfn && sc->ntfn->sc == sc)
        sc_move(sc, 0);
}

void ntfn_signal(struct notification *n, word_t badge)
{
    if (trace_on()) {
        const struct tcb *w = n->state == NTFN_WAITING ? n->queue.head
                              : n->state == NTFN_IDLE && n->bound_tcb &&
                                        n->bound_tcb->state == THREAD_BLOCKED_RECV
                                  ? n->bound_tcb
                                  : 0;
        trace_record(KEEL_TRACE_SIGNAL, ks.current, arch_kptr_to_paddr(n), badge,
                     w ? w->tid + 1u : 0);
    }
    switch (n->state) {
    case NTFN_WAITING: {
        struct tcb *t = n->queue.head;
        kassert(t); /* a waiting notification has waiters */
        ipc_cancel(t);
        deliver(t, badge);
        lend_sc(n, t);
        sched_make_runnable(t);
        return;
    }
    case NTFN_ACTIVE:
        n->word |= badge;
        return;
    default: {
        struct tcb *b = n->bound_tcb;
        if (b && b->state == THREAD_BLOCKED_RECV) {
            ipc_cancel(b);
            deliver(b, badge);
            lend_sc(n, b);
            sched_make_runnable(b);
            return;
        }
        n->word = badge;
        n->state = NTFN_ACTIVE;
        return;
    }
    }
}

void ntfn_wait(struct notification *n, struct tcb *t, bool blocking)
{
    if (n->state == NTFN_ACTIVE) {
        deliver(t, n->word);
        n->word = 0;
        n->state = NTFN_IDLE;
        return;
    }
    if (!blocking) {
        deliver(t, 0);
        return;
    }
    ntfn_sc_return(t);
    t->state = THREAD_BLOCKED_NTFN;
    t->blocked_on = n;
    sched_dequeue(t);
    tcbq_append(&n->queue, t);
    n->state = NTFN_WAITING;
}

/* Before t blocks in Recv: a pending signal on its bound notification is
 * delivered instead. */
bool ntfn_poll_bound(struct tcb *t)
{
    struct notification *n = t->bound_ntfn;
    if (!n || n->state != NTFN_ACTIVE)
        return false;
    ntfn_wait(n, t, false);
    return true;
}

void ntfn_unbind(struct notification *n)
{
    if (n->bound_tcb)
        n->bound_tcb->bound_ntfn = 0;
    n->bound_tcb = 0;
}

/* The notification is being destroyed. */
void ntfn_cancel_all(struct notification *n)
{
    while (n->queue.head)
        ipc_abort(n->queue.head, KEEL_CAP_NOTIFICATION);
    ntfn_unbind(n);
    if (n->sc)
        sc_unbind_ntfn(n->sc);
}
