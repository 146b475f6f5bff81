/*
 * kernel/invoke.h - an invocation being decoded: the invoked capability,
 * the message, the extra capabilities and where results go.  Built by
 * syscall.c, read by the per-object decoders.
 */
#ifndef KEEL_INVOKE_H
#define KEEL_INVOKE_H

#include "cspace.h"

struct invocation {
    struct tcb *thread;
    struct keel_ipc_buffer *buf;  /* the thread's IPC buffer, or 0 */
    slot_t *slot;                 /* the invoked capability's slot */
    word_t label;
    word_t length;                /* message words supplied */
    word_t nextra;                /* extra capabilities supplied */
    slot_t *extra[KEEL_MSG_MAX_EXTRA_CAPS];
    word_t nresults;              /* result words in the reply (0 for every method so far) */
};

/* Message register i of the invocation (caller checked i < length). */
word_t inv_mr(const struct invocation *inv, word_t i);
/* Fail unless the message has at least `words` words and `caps` caps. */
int inv_need(const struct invocation *inv, word_t words, word_t caps, struct kerr *e);

int untyped_decode(struct invocation *inv, struct kerr *e);
int cnode_decode(struct invocation *inv, struct kerr *e);

#endif /* KEEL_INVOKE_H */
