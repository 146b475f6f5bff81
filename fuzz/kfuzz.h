/*
 * fuzz/kfuzz.h - what the fuzz harnesses share: booting a fresh kernel
 * on the sim for each input, making a syscall as whichever thread the
 * kernel runs now (registers, message words in the IPC buffer, extra
 * caps, the receive slot), letting time jump to the timer deadline, the
 * invariant check after every operation (a violation aborts: a crash for
 * the fuzzer), and the listing of a program (fuzz/replay.c --list).
 *
 * The harnesses drive the kernel through its entry points (kentry_*), as
 * the unit tests do: there is no user code, so a "thread" is only a
 * register set that the harness fills when the kernel says it runs.
 */
#ifndef KEEL_KFUZZ_H
#define KEEL_KFUZZ_H

#include "../kernel/state.h"
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KFUZZ_MAX_OPS 512
#define KFUZZ_RAM (2ul << 20)  /* small: boot and the invariant checker stay cheap */
#define KFUZZ_RADIX 8          /* a 256-slot root CNode */
#define WB KEEL_WORD_BITS

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set by fuzz/replay.c --list: print every operation and its result. */
extern int kfuzz_listing;

struct kfuzz {
    arch_ctx_t *cur;             /* the thread making this operation's syscall */
    word_t mr[4];                /* message registers staged for it */
    word_t first_empty;          /* the boot info's first empty slot */
    word_t last_info;            /* its INFO register after the syscall */
    struct tcb *root;            /* the root task's TCB */
    unsigned revivals;           /* times the root was restarted (kfuzz_current) */
    bool over;                   /* nothing can run any more: the program ends */
};

static const char *const kfuzz_errors[KEEL_ERROR_COUNT] = {
    "OK", "InvalidArgument", "InvalidCapability", "IllegalOperation", "RangeError",
    "AlignmentError", "FailedLookup", "TruncatedMessage", "DeleteFirst", "RevokeFirst",
    "NotEnoughMemory", "IPCAborted"};

/* Argument byte -> root slot: slots 1..20 for 0..19 (the boot
 * capabilities and, with KFUZZ_RAM, every untyped after them), then a
 * window of 44 slots from the first empty one.  Every slot argument of
 * every operation goes through here. */
#define KFUZZ_BOOT_SLOTS 20
static inline word_t kfuzz_slot_in(const struct kfuzz *k, uint8_t b)
{
    unsigned i = b % 64u;
    return i < KFUZZ_BOOT_SLOTS ? 1 + i : k->first_empty + (i - KFUZZ_BOOT_SLOTS);
}

static struct kfuzz *kfuzz_k; /* the running program (one at a time) */

static inline word_t kfuzz_slot(uint8_t b)
{
    return kfuzz_slot_in(kfuzz_k, b);
}

static inline void kfuzz_fail(const char *why)
{
    fprintf(stderr, "kfuzz: kernel invariant violated: %s\n", why);
    abort();
}

static inline void kfuzz_check(void)
{
    const char *why = kinv_check();
    if (why)
        kfuzz_fail(why);
}

/* The TCB behind a context (the context is the TCB's first member). */
static inline struct tcb *kfuzz_tcb_of(arch_ctx_t *c)
{
    return (struct tcb *)c;
}
#define kfuzz_tcb kfuzz_tcb_of

/* The kernel trace is on while fuzzing (its code is fuzzed too); the
 * records are dropped. */
static inline void kfuzz_trace_sink(const struct keel_trace_rec *r, size_t n, void *arg)
{
    (void)r, (void)n, (void)arg;
}

static inline void kfuzz_boot(struct kfuzz *k)
{
    memset(k, 0, sizeof(*k));
    kfuzz_k = k;
    struct sim_config cfg = {.ram_bytes = KFUZZ_RAM, .root_cnode_radix = KFUZZ_RADIX,
                             .console_off = !kfuzz_listing, /* the kernel's fault lines */
                             .trace = kfuzz_trace_sink};
    struct kboot_params p;
    sim_boot(&cfg, &p);
    arch_ctx_t *root = kentry_exit_ctx();
    const struct keel_bootinfo *bi = (const void *)root->regs[KEEL_REG_CPTR];
    k->first_empty = bi->empty.start;
    k->root = kfuzz_tcb_of(root);
    if (kfuzz_listing == 2) { /* replay --boot: what the slot arguments name */
        printf("boot: untyped in slots %lu..%lu, first empty slot %lu\n",
               (unsigned long)bi->untyped.start, (unsigned long)bi->untyped.end - 1,
               (unsigned long)bi->empty.start);
        for (word_t i = 0; i < bi->untyped_count; i++)
            printf("  slot %lu: untyped of 2^%u bytes%s\n", (unsigned long)(bi->untyped.start + i),
                   bi->untyped_list[i].size_bits, bi->untyped_list[i].is_device ? " (device)" : "");
        kfuzz_listing = 1;
    }
}

static inline void kfuzz_shutdown(struct kfuzz *k)
{
    (void)k;
    sim_shutdown();
    kfuzz_k = 0;
}

/* Nobody can run: the clock jumps to the timer deadline and the interrupt
 * is taken.  False if no timer is armed either (nothing will ever run). */
static inline bool kfuzz_tick(struct kfuzz *k)
{
    (void)k;
    uint64_t d = sim_deadline();
    if (d == UINT64_MAX)
        return false;
    if (*sim_clock() < d)
        *sim_clock() = d;
    sim_deliver_irqs();
    kfuzz_check();
    return true;
}

/* Does some capability still name TCB t (else it was destroyed)? */
static inline bool kfuzz_tcb_alive(const struct tcb *t)
{
    for (const slot_t *s = ks.mdb_head.mdb_next; s != &ks.mdb_head; s = s->mdb_next)
        if (s->cap.type == KEEL_CAP_TCB && s->cap.obj == (word_t)t)
            return true;
    return false;
}

/* The thread whose turn it is, ticking the clock while none is.  If no
 * thread can run and no timer is armed, the harness acts as a supervisor
 * would: it stops the root task (out of whatever it was blocked in) and
 * starts it again, as TCB_Suspend and TCB_Resume do, so that a program
 * goes on after its root blocked itself for good or took a fault with no
 * handler.  A destroyed root ends the program. */
static inline arch_ctx_t *kfuzz_current(struct kfuzz *k)
{
    arch_ctx_t *c;
    for (unsigned i = 0; !(c = kentry_exit_ctx()) && i < 8; i++) {
        if (kfuzz_tick(k))
            continue;
        if (k->revivals >= 64 || !kfuzz_tcb_alive(k->root))
            break;
        k->revivals++;
        thread_suspend(k->root);
        thread_resume(k->root);
        kfuzz_check();
    }
    return c;
}

static inline void kfuzz_begin(struct kfuzz *k, unsigned n, const char *name, const uint8_t *a,
                               unsigned nargs)
{
    memset(k->mr, 0, sizeof(k->mr));
    k->last_info = 0;
    k->cur = kfuzz_current(k);
    if (!k->cur)
        k->over = true;
    if (kfuzz_listing) {
        printf("%4u  t%-3u %-48s", n, k->cur ? kfuzz_tcb(k->cur)->tid : 0, name);
        for (unsigned i = 0; i < nargs; i++)
            printf(" %3u", a[i]);
        if (!k->cur)
            printf("  (no thread can run: the program ends)");
    }
}

static inline void kfuzz_end(struct kfuzz *k)
{
    if (kfuzz_listing && k->cur) {
        static const char *const states[] = {"inactive", "running", "blocked sending",
                                             "blocked receiving", "waiting for a reply",
                                             "waiting on a notification", "idle"};
        unsigned st = kfuzz_tcb(k->cur)->state;
        word_t code = keel_msginfo_label(k->last_info);
        if (st != THREAD_RUNNING)
            printf("  -> %s\n", st < 7 ? states[st] : "?");
        else
            printf("  -> %s\n", code < KEEL_ERROR_COUNT ? kfuzz_errors[code] : "(label)");
    } else if (kfuzz_listing) {
        printf("\n");
    }
}

static inline struct keel_ipc_buffer *kfuzz_buffer(struct kfuzz *k)
{
    return k->cur ? tcb_ipc_buffer(kfuzz_tcb(k->cur)) : 0;
}

static inline void kfuzz_mr(struct kfuzz *k, word_t i, word_t v)
{
    struct keel_ipc_buffer *b;
    if (i < 4)
        k->mr[i] = v;
    else if ((b = kfuzz_buffer(k)) && i < KEEL_MSG_MAX_LENGTH)
        b->msg[i] = v;
}

static inline void kfuzz_extra_cap(struct kfuzz *k, unsigned i, word_t cptr)
{
    struct keel_ipc_buffer *b = kfuzz_buffer(k);
    if (b)
        b->caps_or_badges[i] = cptr;
}

static inline void kfuzz_receive_slot(struct kfuzz *k, word_t slot)
{
    struct keel_ipc_buffer *b = kfuzz_buffer(k);
    if (b) {
        b->receive_cnode = KEEL_SLOT_INIT_CNODE;
        b->receive_index = slot;
        b->receive_depth = WB;
    }
}

/* Where user code reaches the frame in `slot` (as Frame_GetAddress says),
 * or 0 if the slot holds no frame. */
static inline word_t kfuzz_frame_addr(struct kfuzz *k, word_t slot)
{
    (void)k;
    if (ks.root_cnode->cap.type != KEEL_CAP_CNODE || slot >= BIT(ks.root_cnode->cap.bits))
        return 0; /* the program moved the root CNode's cap away */
    const cap_t *c = &cnode_slot(ks.root_cnode->cap.obj, slot)->cap;
    return c->type == KEEL_CAP_FRAME ? arch_frame_user_addr((const void *)c->obj) : 0;
}

/* The current thread makes syscall sysno.  A syscall stopped at a kernel
 * preemption point is executed again once the interrupt is taken, as the
 * hardware would; the invariants are checked after it. */
static inline void kfuzz_syscall(struct kfuzz *k, word_t sysno, word_t cptr, word_t info,
                                 word_t reply, word_t src)
{
    arch_ctx_t *c = k->cur;
    if (!c)
        return;
    c->regs[KEEL_REG_CPTR] = cptr;
    c->regs[KEEL_REG_INFO] = info;
    for (int i = 0; i < 4; i++)
        c->regs[KEEL_REG_MR0 + i] = k->mr[i];
    c->regs[KEEL_REG_REPLY] = reply;
    c->regs[KEEL_REG_SRC] = src;
    sim_kernel_syscall(c, sysno);
    k->last_info = c->regs[KEEL_REG_INFO];
    kfuzz_check();
}

/* An invocation: words w[0..n-1] (MR0-3, then the IPC buffer) and up to
 * two extra caps (0: none). */
static inline void kfuzz_invoke2(struct kfuzz *k, word_t cap, word_t label, const word_t *w,
                                 word_t n, word_t cap0, word_t cap1)
{
    for (word_t i = 0; i < n; i++)
        kfuzz_mr(k, i, w[i]);
    word_t ncaps = cap1 ? 2 : cap0 ? 1 : 0;
    kfuzz_extra_cap(k, 0, cap0);
    kfuzz_extra_cap(k, 1, cap1);
    kfuzz_syscall(k, KEEL_SYS_CALL, cap, keel_msginfo(label, 0, ncaps, n), 0, 0);
}

static inline void kfuzz_invoke(struct kfuzz *k, word_t cap, word_t label, const word_t *w,
                                word_t n, word_t cap0)
{
    kfuzz_invoke2(k, cap, label, w, n, cap0, 0);
}

#endif /* KEEL_KFUZZ_H */
