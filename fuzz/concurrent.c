/*
 * fuzz/concurrent.c - fuzz harness 2: concurrent IPC.  A whole system
 * runs in the sim, user code included: the root task creates 2 to 5
 * threads with fuzzed priorities and scheduling contexts (round-robin or
 * sporadic budgets), two endpoints, two notifications and a Reply object
 * per thread, starts them and waits.  Each thread runs a program of its
 * own: the input's operation bytes are dealt out to the threads in turn
 * (one stream per thread), and each pair of bytes is an operation on the
 * shared objects: Call, Send, NBSend, Recv, ReplyRecv, NBRecv, a reply,
 * NBSendRecv, Signal, Wait, NBWait, Yield, SetPriority of itself,
 * Consumed of its context, or computing for a while.
 *
 * The interleaving comes from the kernel's scheduler, the budgets and the
 * timer, and from the input's seed, which drives the sim's injected timer
 * jitter and spurious interrupts.  The invariant checker runs after every
 * kernel entry (sim_config.after_entry); a violation aborts.  The run ends
 * when every thread is blocked for good, or after KFUZZ2_MAX_ENTRIES
 * kernel entries.  Like harness 1, a fresh kernel per input; the replay
 * program (fuzz/replay.c) runs inputs outside the fuzzer.
 *
 * Input layout: byte 0 = threads - 2 (mod 4); bytes 1..8 = the seed;
 * byte 9 = injection (bit 0: timer jitter, bit 1: spurious interrupts);
 * then 3 bytes per thread (priority, budget, period); then operations.
 */
#include "kfuzz.h"

#include <libkeel.h>

int kfuzz_listing __attribute__((weak));

#define KFUZZ2_MAX_ENTRIES 20000
#define MAX_THREADS 5
#define STACK 65536

static const uint8_t *input;
static size_t input_size, ops_at;
static unsigned nthreads;

static struct {
    keel_cptr_t ep[2], ntfn[2], park;
    keel_cptr_t reply[MAX_THREADS], tcb[MAX_THREADS], sc[MAX_THREADS];
} obj;

static char stacks[MAX_THREADS][STACK] __attribute__((aligned(16)));

/* Thread i's n-th byte: the operation bytes are dealt out in turn. */
static bool next_byte(unsigned i, size_t *n, uint8_t *b)
{
    size_t at = ops_at + *n * nthreads + i;
    if (at >= input_size)
        return false;
    *b = input[at];
    ++*n;
    return true;
}

static void worker(keel_word_t i)
{
    size_t n = 0;
    uint8_t op, a;
    keel_word_t badge, mr[KEEL_MSG_REGS] = {0};
    while (next_byte((unsigned)i, &n, &op) && next_byte((unsigned)i, &n, &a)) {
        keel_cptr_t ep = obj.ep[a & 1], nt = obj.ntfn[a & 1], rp = obj.reply[i];
        keel_msginfo_t info = keel_msginfo(a >> 4, 0, 0, (a >> 1) & 3);
        mr[0] = i;
        switch (op % 15) {
        case 0: keel_call(ep, info, mr); break;
        case 1: keel_send(ep, info, mr); break;
        case 2: keel_nbsend(ep, info, mr); break;
        case 3: keel_recv(ep, &badge, rp, mr); break;
        case 4: keel_reply_recv(ep, info, &badge, rp, mr); break;
        case 5: keel_nbrecv(ep, &badge, rp, mr); break;
        case 6: keel_reply(rp, info, mr); break;
        case 7: keel_nbsend_recv(ep, info, obj.ep[!(a & 1)], &badge, rp, mr); break;
        case 8: keel_signal(nt); break;
        case 9: keel_wait(nt, &badge, mr); break;
        case 10: keel_nbwait(nt, &badge, mr); break;
        case 11: keel_yield(); break;
        case 12: keel_tcb_set_priority(obj.tcb[i], obj.tcb[i], 10 + a % 100); break;
        case 13: keel_sched_context_consumed(obj.sc[i], &badge); break;
        default: keel_test_compute(1000ul * (a % 64)); break;
        }
    }
    for (;;) /* done: blocked for good */
        keel_wait(obj.park, &badge, mr);
}

static uint8_t param(unsigned at)
{
    return at < input_size ? input[at] : 0;
}

static int root_main(const struct keel_bootinfo *bi)
{
    static const keel_word_t us[] = {100, 200, 500, 1000, 2000, 5000};
    struct keel_alloc a;
    keel_alloc_init(&a, bi);
    for (int k = 0; k < 2; k++)
        if (keel_alloc_object(&a, KEEL_OBJ_ENDPOINT, 0, &obj.ep[k]) ||
            keel_alloc_object(&a, KEEL_OBJ_NOTIFICATION, 0, &obj.ntfn[k]))
            return 1;
    if (keel_alloc_object(&a, KEEL_OBJ_NOTIFICATION, 0, &obj.park))
        return 1;
    for (unsigned i = 0; i < nthreads; i++) {
        struct keel_thread t;
        uint8_t prio = param(10 + 3 * i), b = param(11 + 3 * i), p = param(12 + 3 * i);
        keel_word_t budget = us[b % 6], period = p & 1 ? budget : budget * (2 + p % 8);
        if (keel_alloc_object(&a, KEEL_OBJ_REPLY, 0, &obj.reply[i]) ||
            keel_thread_create(&a, &t, worker, i, stacks[i] + STACK, 50 + prio % 100, 0) ||
            keel_tcb_set_mc_priority(t.tcb, KEEL_SLOT_INIT_TCB, 200) ||
            keel_thread_give_time(&a, &t, KEEL_SLOT_SCHED_CONTROL, budget, period,
                                  (p >> 4) & KEEL_SC_FLAG_SPORADIC))
            return 1;
        obj.tcb[i] = t.tcb;
        obj.sc[i] = t.sc;
    }
    for (unsigned i = 0; i < nthreads; i++)
        keel_tcb_resume(obj.tcb[i]);
    keel_tcb_set_priority(KEEL_SLOT_INIT_TCB, KEEL_SLOT_INIT_TCB, 1); /* below them all */
    keel_word_t badge, mr[KEEL_MSG_REGS] = {0};
    for (;;)
        keel_wait(obj.park, &badge, mr);
}

static const char *check(void)
{
    const char *why = kinv_check();
    if (why)
        kfuzz_fail(why);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input = data;
    input_size = size;
    nthreads = 2 + param(0) % 4;
    ops_at = 10 + 3 * nthreads;
    uint64_t seed = 0;
    for (unsigned i = 0; i < 8; i++)
        seed |= (uint64_t)param(1 + i) << (8 * i);
    struct sim_config cfg = {
        .ram_bytes = KFUZZ_RAM, .root_cnode_radix = KFUZZ_RADIX,
        .console_off = !kfuzz_listing, .trace = kfuzz_trace_sink,
        .root_entry = sim_entry_root, .root_main = root_main,
        .max_entries = KFUZZ2_MAX_ENTRIES, .after_entry = check, .seed = seed,
        .inject = {.jitter_ns = param(9) & 1 ? 3000 : 0,
                   .spurious_every = param(9) & 2 ? 50 : 0}};
    struct sim_result r = sim_run(&cfg);
    if (kfuzz_listing)
        printf("concurrent: %u threads, seed %llu, %llu kernel entries, %.3f ms virtual, "
               "status %d\n", nthreads, (unsigned long long)seed,
               (unsigned long long)r.entries, r.time_ns / 1e6, r.status);
    sim_shutdown();
    return 0;
}
