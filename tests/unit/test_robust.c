/*
 * tests/unit/test_robust.c - the robustness test: thousands of invocations
 * with random capability pointers, depths 0..70, object sizes 0..64,
 * random labels, message lengths and extra caps, each driven through the
 * kernel's syscall entry exactly as a trap would deliver it.  Every one must
 * be answered with success or a documented error code, and the kernel's
 * invariants are checked after each (h_syscall does that).  Nothing is
 * protected: when a random Delete destroys the root thread itself (or a
 * Move takes its CNode cap away), the system is booted again and the run
 * continues.
 *
 * A second run mixes in random IPC syscalls of every kind and the TCB and
 * Frame methods, with random reply/source caps and receive slots.
 *
 * Arguments are biased towards values that mean something (small slot
 * numbers, real depths, real labels) so that invocations get past the
 * first checks and reach deep paths; a histogram of outcomes shows it.
 */
#include "harness.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static uint64_t rng;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static word_t below(word_t n)
{
    return (word_t)(next() % n);
}

/* A root slot: mostly one in use (boot caps and what the test made). */
static word_t any_slot(void)
{
    return below(16) ? below(h_bi()->empty.start + 48) : below(4096);
}

/* A capability pointer: mostly a root slot, sometimes any word. */
static word_t any_cptr(void)
{
    return below(10) ? any_slot() : (word_t)next();
}

static word_t any_depth(void)
{
    return below(5) ? WB : below(71);
}

/* One argument word for message register i of a method with this label. */
static word_t any_arg(word_t label, unsigned i)
{
    if (below(12) == 0)
        return (word_t)next();
    if (label == KEEL_UNTYPED_RETYPE) {
        switch (i) {
        case 0: return below(10);                        /* type */
        case 1: return below(4) ? below(17) : below(65); /* size bits 0..64 */
        case 2: return any_cptr();                       /* node index */
        case 3: return below(3) ? 0 : any_depth();       /* node depth */
        case 4: return h_bi()->empty.start + below(64);  /* offset */
        default: return below(5) ? 1 + below(8) : below(300); /* count */
        }
    }
    if (label == KEEL_CNODE_ROTATE && (i == 2 || i == 5))
        return below(2) ? 0 : below(64);                 /* badges / guard data */
    if ((label == KEEL_CNODE_COPY || label == KEEL_CNODE_MINT) && i == 4)
        return below(8) ? below(16) : (word_t)next();    /* rights */
    if ((label == KEEL_CNODE_MINT && i == 5) || (label == KEEL_CNODE_MUTATE && i == 4))
        return below(2) ? 0 : below(4) ? below(100) : (word_t)next(); /* badge, guard */
    return i % 2 ? any_depth() : any_slot();             /* (index, depth) pairs */
}

/* A method, and the capability to invoke it on. */
static word_t any_method(word_t *service)
{
    static const word_t cnode_methods[] = {KEEL_CNODE_REVOKE, KEEL_CNODE_DELETE, KEEL_CNODE_COPY,
                                           KEEL_CNODE_MINT,   KEEL_CNODE_MOVE,   KEEL_CNODE_MUTATE,
                                           KEEL_CNODE_ROTATE};
    switch (below(8)) {
    case 0:
        *service = any_cptr();
        return below(64);
    case 1:
    case 2:
        *service = below(4) ? h_bi()->untyped.start + below(h_bi()->untyped_count) : any_slot();
        return KEEL_UNTYPED_RETYPE;
    default:
        *service = below(6) ? ROOT : any_cptr();
        return cnode_methods[below(7)];
    }
}

struct tally {
    unsigned outcome[KEEL_ERROR_COUNT];
    unsigned reboots, calls, stopped;
    bool ipc;                 /* mix in random IPC syscalls and TCB methods */
};

static void one_invocation(struct tally *t)
{
    struct keel_ipc_buffer *b = tcb_ipc_buffer(h_root_tcb());
    word_t service, label = any_method(&service), len = below(8) ? below(10) : below(128);
    word_t ncaps = below(4);
    for (unsigned i = 0; i < 10; i++) {
        word_t v = any_arg(label, i);
        if (i < 4)
            h_last.mr[i] = v;
        else if (b)
            b->msg[i] = v;
    }
    for (unsigned i = 0; b && i < ncaps; i++)
        b->caps_or_badges[i] = below(4) ? ROOT : any_cptr();
    word_t sys = below(10) ? KEEL_SYS_CALL : (below(2) ? KEEL_SYS_SEND : KEEL_SYS_NB_SEND);
    word_t info = keel_msginfo(label, 0, ncaps, len);
    word_t r = keel_msginfo_label(h_syscall(sys, service, info));
    t->calls++;
    if (h_root_tcb()->state != THREAD_RUNNING) { /* it sent to an endpoint, or suspended itself */
        t->stopped++;
        return;
    }
    ck_assert_msg(r < KEEL_ERROR_COUNT, "invocation %u answered with unknown code %lu",
                  t->calls, (unsigned long)r);
    t->outcome[r]++;
}

/* Keep the system populated: make objects now and then. */
static void populate(void)
{
    static const word_t types[][2] = {{KEEL_OBJ_ENDPOINT, 0}, {KEEL_OBJ_CNODE, 4},
                                      {KEEL_OBJ_UNTYPED, 14}, {KEEL_OBJ_NOTIFICATION, 0},
                                      {KEEL_OBJ_FRAME, 12},   {KEEL_OBJ_TCB, 0},
                                      {KEEL_OBJ_REPLY, 0}};
    const word_t *ty = types[below(7)];
    word_t dest = h_bi()->empty.start + below(48), n = 1 + below(3); /* in this order */
    h_retype(h_big_untyped(), ty[0], ty[1], dest, n);
}

/* A random syscall of any kind (IPC on endpoints, notifications and
 * replies, TCB and Frame methods, unknown numbers) with random registers,
 * reply and source caps, and receive-slot and cap words in the IPC buffer.
 * Receives return messages, not errors: only sends and invocations are
 * counted in the histogram. */
static void one_ipc(struct tally *t)
{
    static const word_t sysnos[] = {
        KEEL_SYS_CALL,    KEEL_SYS_REPLY_RECV, KEEL_SYS_NB_SEND_RECV, KEEL_SYS_NB_SEND_WAIT,
        KEEL_SYS_SEND,    KEEL_SYS_NB_SEND,    KEEL_SYS_RECV,         KEEL_SYS_NB_RECV,
        KEEL_SYS_WAIT,    KEEL_SYS_NB_WAIT,    KEEL_SYS_YIELD};
    arch_ctx_t *c = &h_root_tcb()->ctx;
    struct keel_ipc_buffer *b = tcb_ipc_buffer(h_root_tcb());
    word_t sys = below(24) ? sysnos[below(11)] : (word_t)next() % 64;
    word_t label = below(2) ? KEEL_TCB_READ_REGISTERS + below(10)
                            : below(4) ? below(64) : (word_t)next();
    word_t len = below(6) ? below(12) : below(128), ncaps = below(4);
    for (unsigned i = 0; i < 12; i++) {
        word_t v = below(3) ? any_cptr() : below(2) ? below(300) : (word_t)next();
        if (i < 4)
            h_last.mr[i] = v;
        else if (b)
            b->msg[i] = v;
    }
    if (b) {
        for (unsigned i = 0; i < ncaps; i++)
            b->caps_or_badges[i] = any_cptr();
        b->receive_cnode = below(2) ? ROOT : any_cptr();
        b->receive_index = any_slot();
        b->receive_depth = any_depth();
    }
    c->regs[KEEL_REG_REPLY] = below(4) ? any_slot() : any_cptr();
    c->regs[KEEL_REG_SRC] = any_cptr();
    word_t info = h_syscall(sys, any_cptr(), keel_msginfo(label, 0, ncaps, len));
    t->calls++;
    if (h_root_tcb()->state != THREAD_RUNNING) {
        t->stopped++;
        return;
    }
    word_t r = keel_msginfo_label(info);
    if (sys == KEEL_SYS_CALL || sys == KEEL_SYS_SEND || sys == KEEL_SYS_NB_SEND)
        if (r < KEEL_ERROR_COUNT)
            t->outcome[r]++;
}

static void run_seed(uint64_t seed, unsigned rounds, struct tally *t)
{
    rng = seed;
    h_boot();
    for (unsigned i = 0; i < rounds; i++) {
        /* The root thread destroyed or stopped itself (a Call on an
         * endpoint, a Suspend), let another thread run, or lost its CNode
         * cap (after which nearly everything fails lookup): start again. */
        if (kentry_exit_ctx() != &h_root_tcb()->ctx ||
            h_slot(ROOT)->cap.type != KEEL_CAP_CNODE) {
            t->reboots++;
            h_boot();
        }
        if (below(8) == 0)
            populate();
        else if (t->ipc && below(2))
            one_ipc(t);
        else
            one_invocation(t);
    }
}

/* Print the outcome histogram; enough successes and kinds of error show
 * that the random input reached deep paths, not just the first checks. */
static void report(const char *name, const struct tally *t, unsigned min_kinds)
{
    printf("%s: %u syscalls, %u stopped the caller, %u reboots:", name, t->calls, t->stopped,
           t->reboots);
    unsigned kinds = 0;
    for (int i = 0; i < KEEL_ERROR_COUNT; i++) {
        printf(" %d:%u", i, t->outcome[i]);
        kinds += t->outcome[i] > 0;
    }
    printf("\n");
    ck_assert_uint_gt(t->outcome[KEEL_OK], t->calls / 50);
    ck_assert_uint_ge(kinds, min_kinds);
}

/* Random invocations from several seeds; all answered, invariants hold,
 * and the mix reaches both successes and most kinds of error. */
START_TEST(random_invocations)
{
    struct tally t = {0};
    static const uint64_t seeds[] = {0x9e3779b97f4a7c15ull, 0x1234567ull, 0xdeadbeefcafeull,
                                     0x5eed0005ull, 0x42ull};
    for (unsigned s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++)
        run_seed(seeds[s], 10000, &t);
    report("robust", &t, 8);
}
END_TEST

/* Half the calls random IPC syscalls and TCB/Frame methods: the kernel
 * survives them all with its invariants (h_syscall checks after each),
 * and the sends and invocations among them reach most outcomes. */
START_TEST(random_ipc)
{
    struct tally t = {.ipc = true};
    static const uint64_t seeds[] = {0x7e11a5ull, 0xfeedf00dull, 0x31337ull};
    /* Thousands of "fault with no handler" kernel lines: not to the log. */
    fflush(stdout);
    int saved = dup(1), null = open("/dev/null", O_WRONLY);
    ck_assert_int_ge(saved, 0);
    ck_assert_int_ge(null, 0);
    dup2(null, 1);
    for (unsigned s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++)
        run_seed(seeds[s], 10000, &t);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    close(null);
    report("robust-ipc", &t, 7);
}
END_TEST

Suite *robust_suite(void)
{
    Suite *s = suite_create("robust");
    TCase *tc = tcase_create("random");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, random_invocations);
    tcase_add_test(tc, random_ipc);
    suite_add_tcase(s, tc);
    return s;
}
