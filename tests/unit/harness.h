/*
 * tests/unit/harness.h - drive the kernel core directly, the way a port
 * does: boot it on a fresh sim arena, then put syscall registers and IPC
 * buffer words into the root thread's context and call kentry_syscall().
 * No user thread runs; the kernel's entry points are exercised exactly as
 * a trap would, and the invariant checker runs after every call.
 *
 * Tests may look inside the kernel (kernel/state.h) to check what the
 * syscall interface cannot show: MDB links, watermarks, zombies.
 */
#ifndef KEEL_UNIT_HARNESS_H
#define KEEL_UNIT_HARNESS_H

#include <check.h>
#include "../../kernel/state.h"
#include "../../kernel/cspace.h"
#include "sim.h"

#define ROOT KEEL_SLOT_INIT_CNODE
#define WB KEEL_WORD_BITS

/* The detail of the last invocation (label = error code). */
struct h_result {
    int code;
    word_t arg, v1, v2, v3;
    word_t mr[4];
};
extern struct h_result h_last;

/* Assert an invocation's error code and its four detail words. */
#define expect_err(r, code, a, x1, x2, x3)         \
    do {                                           \
        ck_assert_int_eq((r), (code));             \
        ck_assert_uint_eq(h_last.arg, (a));        \
        ck_assert_uint_eq(h_last.v1, (x1));        \
        ck_assert_uint_eq(h_last.v2, (x2));        \
        ck_assert_uint_eq(h_last.v3, (x3));        \
    } while (0)

/* Boot a fresh system: RAM in bytes, root CNode radix (0: default). */
void h_boot_with(word_t ram_bytes, unsigned radix);
void h_boot(void); /* 16 MiB, default radix */
const struct keel_bootinfo *h_bi(void);
struct tcb *h_root_tcb(void);

/* Invoke cap with label, words and extra caps; returns the error code.
 * Fails the test if the invariant checker objects afterwards. */
int h_invoke(word_t cap, word_t label, unsigned n, const word_t *w, unsigned ncaps,
             const word_t *caps);
/* Raw syscall: number, cptr register, info; MRs from/to h_last.mr. */
word_t h_syscall(word_t sysno, word_t cptr, word_t info);
/* The invariant checker's verdict ("" when fine), for custom checks. */
const char *h_invariants(void);

/* Conveniences over h_invoke. */
int h_retype(word_t ut, word_t type, word_t bits, word_t dest, word_t n);
int h_copy(word_t dest, word_t src, word_t rights);
int h_mint(word_t dest, word_t src, word_t rights, word_t badge);
int h_move(word_t dest, word_t src);
int h_mutate(word_t dest, word_t src, word_t data);
int h_delete(word_t slot);
int h_revoke(word_t slot);

slot_t *h_slot(word_t root_index);   /* a slot of the root CNode */
const cap_t *capof(word_t root_index); /* the capability in it */
/* One object of `type` from the largest untyped into the i-th free slot. */
word_t obj(unsigned i, word_t type, word_t bits);
/* Give t time: a scheduling context into the i-th free slot, configured
 * round-robin with budget_ns, bound to t. */
struct sched_context *h_give_time(struct tcb *t, unsigned i, uint64_t budget_ns);
word_t h_big_untyped(void);          /* the largest RAM untyped's slot */
word_t h_free_slot(unsigned i);      /* the i-th empty slot of the boot info */

/* Suites, one per kernel module (weak: main reports a missing one). */
#define SUITE __attribute__((weak))
SUITE Suite *cap_suite(void);
SUITE Suite *cspace_suite(void);
SUITE Suite *untyped_suite(void);
SUITE Suite *cnode_suite(void);
SUITE Suite *delete_suite(void);
SUITE Suite *boot_suite(void);
SUITE Suite *syscall_suite(void);
SUITE Suite *robust_suite(void);
SUITE Suite *sched_suite(void);
SUITE Suite *refill_suite(void);

#endif
