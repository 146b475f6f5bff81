/*
 * bench/rv64-bench.c - the riscv64 port's benchmark, a root task run
 * under QEMU with -smp 1 -icount shift=0,sleep=off, where the instret
 * counter is an exact instruction count (kernel, OpenSBI and user code
 * alike; the loops below never idle).  It prints `bench:` lines that
 * `make bench` passes on:
 *   rv64_ipc_roundtrip_instr      keel_call to the pingpong server (its own
 *                                 CSpace and scheduling context) and its
 *                                 ReplyRecv, user stubs included;
 *   rv64_ipc_roundtrip_passive_instr  the same once the server is passive:
 *                                 it runs on the context each Call lends it;
 *   rv64_null_syscall_instr       Yield with nobody else ready;
 *   rv64_notify_instr             Signal on a notification nobody waits on.
 * Each figure is the mean over ROUNDS after a warm-up; the loop's own
 * instructions (a few per round) are included.
 */
#include "../examples/pingpong/pingpong.h"

#define ROUNDS 1000

static inline keel_word_t instret(void)
{
    keel_word_t v;
    __asm__ volatile("rdinstret %0" : "=r"(v));
    return v;
}

static keel_word_t per_round(keel_word_t t0, keel_word_t t1)
{
    return (t1 - t0 + ROUNDS / 2) / ROUNDS;
}

static keel_word_t roundtrip(const struct pingpong *p)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    for (int i = 0; i < 10; i++)
        keel_call(p->client_ep, keel_msginfo(PINGPONG_LABEL, 0, 0, 1), mr);
    keel_word_t t0 = instret();
    for (int i = 0; i < ROUNDS; i++)
        keel_call(p->client_ep, keel_msginfo(PINGPONG_LABEL, 0, 0, 1), mr);
    return per_round(t0, instret());
}

static int rv64_bench_main(const struct keel_bootinfo *bi)
{
    struct keel_alloc a;
    struct pingpong p;
    keel_cptr_t ntfn;
    keel_alloc_init(&a, bi);
    if (pingpong_setup(&a, &p, 255, false) != KEEL_OK ||
        keel_alloc_object(&a, KEEL_OBJ_NOTIFICATION, 0, &ntfn) != KEEL_OK)
        return 1;
    /* pingpong_run checks the server's answers before timing. */
    if (pingpong_run(&p, 10))
        return 1;
    keel_printf("bench: rv64_ipc_roundtrip_instr %lu instr\n", (unsigned long)roundtrip(&p));
    /* Now without its own context (as pingpong_setup's passive mode). */
    if (keel_cnode_delete(KEEL_SLOT_INIT_CNODE, p.server_sc, KEEL_WORD_BITS) != KEEL_OK ||
        pingpong_run(&p, 10))
        return 1;
    keel_printf("bench: rv64_ipc_roundtrip_passive_instr %lu instr\n",
                (unsigned long)roundtrip(&p));

    keel_word_t t0 = instret();
    for (int i = 0; i < ROUNDS; i++)
        keel_yield();
    keel_printf("bench: rv64_null_syscall_instr %lu instr\n",
                (unsigned long)per_round(t0, instret()));

    t0 = instret();
    for (int i = 0; i < ROUNDS; i++)
        keel_signal(ntfn);
    keel_printf("bench: rv64_notify_instr %lu instr\n", (unsigned long)per_round(t0, instret()));
    return 0;
}

KEEL_ROOT_TASK(rv64bench, "the riscv64 port's instruction-count benchmark", rv64_bench_main);
