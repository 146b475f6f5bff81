/*
 * examples/pingpong/pingpong.h - a client and a server in different
 * CSpaces exchanging Call / ReplyRecv round trips.  Shared by the
 * pingpong example (keel-sim pingpong) and the benchmark's root task
 * (bench/bench-task.c), so both measure exactly the same IPC.
 */
#ifndef KEEL_EXAMPLE_PINGPONG_H
#define KEEL_EXAMPLE_PINGPONG_H

#include <libkeel.h>

#define PINGPONG_BADGE 0x9e11u       /* the client's badge, checked by the server */
#define PINGPONG_LABEL 0x70u         /* the label of the client's messages */
#define PINGPONG_BAD_BADGE 0xbadu    /* the server's reply label for a wrong badge or label */

/* What the client needs, plus the server's objects (caps in the root CNode). */
struct pingpong {
    keel_cptr_t client_ep;    /* the client's endpoint cap: Write + GrantReply, badged */
    keel_cptr_t server_tcb;
    keel_cptr_t server_cnode; /* the server's CSpace root */
    keel_cptr_t server_frame; /* the frame holding the server's IPC buffer */
    keel_cptr_t server_sc;    /* the server's scheduling context (0: passive) */
    keel_cptr_t server_vspace; /* its address space (0: the arch has no page tables) */
};

/* Create the server (its own CNode holding a Read cap to a new endpoint
 * and a Reply cap; a TCB at priority `prio` configured with that CNode as
 * CSpace root; on arches with page tables, an address space of its own
 * running the same program; an IPC buffer frame; a round-robin
 * scheduling context) and
 * start it, waiting in Recv, and mint the client's badged cap into the
 * caller's CSpace.  If `passive`, the server's context is then deleted:
 * it runs on the context each Call lends it (MCS).  Runs in the root
 * task; objects come from `a`.  Prints the failing step and returns its
 * error. */
keel_error_t pingpong_setup(struct keel_alloc *a, struct pingpong *p, keel_word_t prio,
                            bool passive);

/* n Call round trips from the calling thread, each checked (the server
 * echoes MR0 + 1).  0 on success; else prints what went wrong, returns 1. */
int pingpong_run(const struct pingpong *p, unsigned long n);

#endif /* KEEL_EXAMPLE_PINGPONG_H */
