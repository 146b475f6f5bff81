/*
 * bench/bench-task.c - the benchmark's root task: the pingpong setup
 * (examples/pingpong: a server in a CSpace of its own), then
 * keel_bench_rounds Call/ReplyRecv round trips.  The host program
 * (bench/keel-bench.c) sets keel_bench_rounds before each sim_run() and
 * times whole runs, so setup and boot cancel out between two values.
 * Uses only libkeel.
 *
 * The root task first unbinds its scheduling context, so that both ends
 * run without one, as the IPC figures of issue 3 are defined: with the
 * client on a context and the server without, every switch charges the
 * context (about 100 more instructions per round trip today).  The cost
 * of IPC with scheduling contexts, donated to a passive server, is the
 * MCS figure (issue 4).
 */
#include "../examples/pingpong/pingpong.h"

unsigned long keel_bench_rounds;
int keel_bench_mcs; /* keep the root's context: each Call lends it to the server */

static int bench_main(const struct keel_bootinfo *bi)
{
    struct keel_alloc a;
    struct pingpong p;
    keel_alloc_init(&a, bi);
    if ((!keel_bench_mcs && keel_sched_context_unbind(KEEL_SLOT_INIT_SC) != KEEL_OK) ||
        pingpong_setup(&a, &p, 255) != KEEL_OK)
        return 1;
    return pingpong_run(&p, keel_bench_rounds);
}

KEEL_ROOT_TASK(bench, "setup of examples/pingpong, then keel_bench_rounds round trips",
               bench_main);
