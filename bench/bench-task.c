/*
 * bench/bench-task.c - the benchmark's root task: the pingpong setup
 * (examples/pingpong: a server in a CSpace of its own), then
 * keel_bench_rounds Call/ReplyRecv round trips.  The host program
 * (bench/keel-bench.c) sets keel_bench_rounds before each sim_run() and
 * times whole runs, so setup and boot cancel out between two values.
 * Uses only libkeel.
 *
 * Both ends run on scheduling contexts of their own (MCS): every switch
 * charges one and starts the other.  With --mcs (keel_bench_mcs) the
 * server is passive instead: each Call lends it the client's context and
 * the reply gives it back, nothing is charged in between; the difference
 * is mcs_ipc_overhead_pct.
 */
#include "../examples/pingpong/pingpong.h"

unsigned long keel_bench_rounds;
int keel_bench_mcs; /* a passive server: each Call lends it the root's context */

static int bench_main(const struct keel_bootinfo *bi)
{
    struct keel_alloc a;
    struct pingpong p;
    keel_alloc_init(&a, bi);
    if (pingpong_setup(&a, &p, 255, keel_bench_mcs) != KEEL_OK)
        return 1;
    return pingpong_run(&p, keel_bench_rounds);
}

KEEL_ROOT_TASK(bench, "setup of examples/pingpong, then keel_bench_rounds round trips",
               bench_main);
