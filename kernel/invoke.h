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
    word_t nresults;              /* result words in the reply (inv_set_result) */
};

/* Message register i of the invocation (caller checked i < length). */
word_t inv_mr(const struct invocation *inv, word_t i);
/* Fail unless the message has at least `words` words and `caps` caps. */
int inv_need(const struct invocation *inv, word_t words, word_t caps, struct kerr *e);

/* Result word i of a successful invocation (MR0-3 in registers, the rest
 * in the IPC buffer; the decoder checked that there is room). */
void inv_set_result(struct invocation *inv, word_t i, word_t v);
/* The caller's message capacity: KEEL_MSG_MAX_LENGTH with an IPC buffer. */
word_t inv_capacity(const struct invocation *inv);
/* Resolve an optional capability named by cptr word `arg` (0: none). */
int inv_lookup_opt(const struct invocation *inv, word_t arg, slot_t **out, struct kerr *e);

int untyped_decode(struct invocation *inv, struct kerr *e);
int cnode_decode(struct invocation *inv, struct kerr *e);
int tcb_decode(struct invocation *inv, struct kerr *e);
int frame_decode(struct invocation *inv, struct kerr *e);
int page_table_decode(struct invocation *inv, struct kerr *e);
int asid_pool_decode(struct invocation *inv, struct kerr *e);
int asid_control_decode(struct invocation *inv, struct kerr *e);
int sched_control_decode(struct invocation *inv, struct kerr *e);
int irq_control_decode(struct invocation *inv, struct kerr *e);
int irq_handler_decode(struct invocation *inv, struct kerr *e);
int sched_context_decode(struct invocation *inv, struct kerr *e);

/* cnode.c: what Copy (mint false) or Mint would derive from src, and
 * applying badge/guard data to a capability. */
int cap_derive(const slot_t *src, word_t rights, word_t data, bool mint, word_t data_arg,
               cap_t *out, struct kerr *e);
int cap_update_data(cap_t *c, word_t data, bool mint, word_t arg, struct kerr *e);

#endif /* KEEL_INVOKE_H */
