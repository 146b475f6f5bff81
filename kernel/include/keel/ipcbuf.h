/*
 * keel/ipcbuf.h - the IPC buffer: the part of a thread's memory the kernel
 * reads message registers beyond the first four from, and extra
 * capabilities to send.  One per thread, 1 KiB on 64-bit with the default
 * message size; it must not cross a page.
 *
 * KEEL_MSG_MAX_LENGTH is a build-time constant (default 120 words, as in
 * seL4) so that small targets can lower it.
 */
#ifndef KEEL_IPCBUF_H
#define KEEL_IPCBUF_H

#include <keel/types.h>

#ifndef KEEL_MSG_MAX_LENGTH
#define KEEL_MSG_MAX_LENGTH 120
#endif
#define KEEL_MSG_MAX_EXTRA_CAPS 3

struct keel_ipc_buffer {
    keel_word_t tag;                                  /* libkeel keeps the last reply info
                                                       * here (the kernel does not) */
    keel_word_t msg[KEEL_MSG_MAX_LENGTH];             /* MR0..; MR0-3 travel in registers */
    keel_word_t user_data;                            /* free for the user runtime */
    keel_word_t caps_or_badges[KEEL_MSG_MAX_EXTRA_CAPS]; /* out: cptrs; in: badges */
    keel_word_t receive_cnode;                        /* where a received cap goes */
    keel_word_t receive_index;
    keel_word_t receive_depth;
};

#endif /* KEEL_IPCBUF_H */
