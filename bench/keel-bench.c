/*
 * bench/keel-bench.c - IPC round-trip benchmark of the sim, against a host
 * baseline.  Linked like keel-sim, against the release build (no kassert,
 * no debug strings).  `make bench` runs it through tools/bench, which adds
 * the instruction count under Valgrind.
 *
 *   keel-bench [--rounds N] [--runs R] [--sem-rounds M]
 *       sim_ipc_roundtrip_ns: the host time of one Call plus one ReplyRecv
 *       between two threads in different CSpaces (the root task and the
 *       examples/pingpong server).  Each run boots a fresh sim whose root
 *       task does the pingpong setup then N round trips, and another whose
 *       root task does the setup and no round trip; the difference over N
 *       excludes boot and setup.  Median of R such pairs (default 7).
 *       pthread_sem_roundtrip_ns: two host threads ping-ponging through a
 *       pair of POSIX semaphores, M round trips, median of R runs.
 *       sim_ipc_speedup_vs_pthread: the ratio of the two.
 *       pthread_sem_roundtrip_1cpu_ns, sim_ipc_speedup_vs_pthread_1cpu:
 *       the same baseline with both threads pinned to one CPU (no
 *       cross-CPU wake-up; on a VM that is several times faster), so the
 *       ratio is not flattered by a slow wake-up path.
 *       sim_kernel_entries_per_sec: kernel entries per host second of the
 *       whole run (boot, setup, N round trips) with the trace off;
 *       sim_trace_overhead_pct: the extra host time of the same run with
 *       every trace record written (to /dev/null).  Medians of R pairs.
 *   keel-bench --pthread-only [--runs R] [--sem-rounds M]
 *       only the host baseline.
 *   keel-bench [--mcs] --sim-only N
 *       one sim run with N round trips and nothing else (what tools/bench
 *       runs under callgrind, for two values of N).  Client and server
 *       each run on a scheduling context of their own; with --mcs the
 *       server is passive, so every Call lends it the client's context:
 *       tools/bench compares the two for mcs_ipc_overhead_pct.
 *
 * Figures go to stdout as `bench: NAME VALUE UNIT`; other lines start
 * with `keel-bench:`.  Exit status 1 if a run did not end with the root
 * task halting with status 0 (e.g. IPC refused).
 */
#define _GNU_SOURCE /* pthread_setaffinity_np, sched_getcpu */
#include "sim.h"
#include <libkeel.h>
#include <keel/trace.h>

#include <errno.h>
#include <sched.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const struct keel_root_task bench_root_task;
extern unsigned long keel_bench_rounds;
extern int keel_bench_mcs;

#define MAX_RUNS 101

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- the sim ---- */

struct sim_run_result {
    double host_ns;
    uint64_t entries, virtual_ns;
};

/* The trace sink of traced runs: every record written (buffered) to
 * /dev/null, as keel-sim --trace writes them to its file. */
static FILE *trace_sink;

static void trace_to_sink(const struct keel_trace_rec *recs, size_t n, void *arg)
{
    fwrite(recs, sizeof(*recs), n, arg);
}

/* Boot a fresh sim whose root task does the setup and `rounds` round
 * trips, with the kernel trace on if `traced`; exits the program if the
 * run does not end with halt(0). */
static struct sim_run_result sim_once_traced(unsigned long rounds, bool traced)
{
    struct sim_config cfg = {.ram_bytes = 16ul << 20, .log_user_errors = true,
                             .root_entry = sim_entry_root, .root_main = bench_root_task.main};
    if (traced) {
        cfg.trace = trace_to_sink;
        cfg.trace_arg = trace_sink;
    }
    keel_bench_rounds = rounds;
    double t0 = now_ns();
    struct sim_result r = sim_run(&cfg);
    sim_shutdown();
    double t1 = now_ns();
    if (!r.halted || r.status != 0) {
        fprintf(stderr,
                "keel-bench: the sim run with %lu round trips failed (status %d%s); "
                "does the kernel implement Call/ReplyRecv yet?\n",
                rounds, r.status, r.halted ? "" : ", not halted");
        exit(1);
    }
    return (struct sim_run_result){t1 - t0, r.entries, r.time_ns};
}

static struct sim_run_result sim_once(unsigned long rounds)
{
    return sim_once_traced(rounds, false);
}

/* ---- the host baseline: two pthreads and two semaphores ---- */

static sem_t ping, pong;
static unsigned long partner_rounds;

static void sem_wait_retry(sem_t *s)
{
    while (sem_wait(s) != 0)
        if (errno != EINTR) {
            perror("keel-bench: sem_wait");
            exit(1);
        }
}

static void *partner(void *arg)
{
    (void)arg;
    for (unsigned long i = 0; i < partner_rounds; i++) {
        sem_wait_retry(&ping);
        sem_post(&pong);
    }
    return 0;
}

/* ns per round trip over `rounds`, after one warm-up round trip; with
 * one_cpu, both threads on the CPU this one runs on. */
static double sem_once(unsigned long rounds, bool one_cpu)
{
    pthread_t t;
    pthread_attr_t attr;
    cpu_set_t all, one;
    if (sem_init(&ping, 0, 0) || sem_init(&pong, 0, 0) || pthread_attr_init(&attr)) {
        perror("keel-bench: sem_init");
        exit(1);
    }
    if (one_cpu) {
        int cpu = sched_getcpu();
        CPU_ZERO(&one);
        CPU_SET(cpu < 0 ? 0 : cpu, &one);
        if (pthread_getaffinity_np(pthread_self(), sizeof(all), &all) ||
            pthread_setaffinity_np(pthread_self(), sizeof(one), &one) ||
            pthread_attr_setaffinity_np(&attr, sizeof(one), &one)) {
            fprintf(stderr, "keel-bench: cannot pin threads to one CPU\n");
            exit(1);
        }
    }
    partner_rounds = rounds + 1;
    if (pthread_create(&t, &attr, partner, 0)) {
        fprintf(stderr, "keel-bench: pthread_create failed\n");
        exit(1);
    }
    pthread_attr_destroy(&attr);
    sem_post(&ping);
    sem_wait_retry(&pong);
    double t0 = now_ns();
    for (unsigned long i = 0; i < rounds; i++) {
        sem_post(&ping);
        sem_wait_retry(&pong);
    }
    double t1 = now_ns();
    pthread_join(t, 0);
    sem_destroy(&ping);
    sem_destroy(&pong);
    if (one_cpu)
        pthread_setaffinity_np(pthread_self(), sizeof(all), &all);
    return (t1 - t0) / rounds;
}

/* ---- main ---- */

static unsigned long number(const char *opt, const char *v, unsigned long min)
{
    char *end;
    if (!v) {
        fprintf(stderr, "keel-bench: %s needs a value\n", opt);
        exit(2);
    }
    unsigned long n = strtoul(v, &end, 0);
    if (*v == '-' || *end || end == v || n < min) {
        fprintf(stderr, "keel-bench: %s: '%s' is not a number >= %lu\n", opt, v, min);
        exit(2);
    }
    return n;
}

int main(int argc, char **argv)
{
    unsigned long rounds = 1000000, sem_rounds = 20000, runs = 7;
    bool sim_part = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--mcs")) {
            keel_bench_mcs = 1;
        } else if (!strcmp(a, "--sim-only")) {
            unsigned long n = number(a, argv[++i], 0);
            struct sim_run_result r = sim_once(n);
            printf("keel-bench: %lu round trips, %llu kernel entries, %llu ns virtual\n", n,
                   (unsigned long long)r.entries, (unsigned long long)r.virtual_ns);
            return 0;
        } else if (!strcmp(a, "--pthread-only")) {
            sim_part = false;
        } else if (!strcmp(a, "--rounds")) {
            rounds = number(a, argv[++i], 1);
        } else if (!strcmp(a, "--sem-rounds")) {
            sem_rounds = number(a, argv[++i], 1);
        } else if (!strcmp(a, "--runs")) {
            runs = number(a, argv[++i], 1);
            if (runs > MAX_RUNS) {
                fprintf(stderr, "keel-bench: --runs: at most %d\n", MAX_RUNS);
                return 2;
            }
        } else {
            bool help = !strcmp(a, "-h") || !strcmp(a, "--help");
            fprintf(help ? stdout : stderr,
                    "usage: keel-bench [--pthread-only] [--rounds N (1000000)] [--runs R (7)] "
                    "[--sem-rounds M (20000)]\n       keel-bench [--mcs] --sim-only N\n");
            return help ? 0 : 2;
        }
    }

    /* The sim: pairs of runs (N round trips, none), the difference over N. */
    double sim[MAX_RUNS], sim_ns = 0;
    if (sim_part) {
        struct sim_run_result with = {0}, without = {0};
        sim_once(rounds / 10 + 1); /* warm up the host: page faults, caches */
        for (unsigned long i = 0; i < runs; i++) {
            without = sim_once(0);
            with = sim_once(rounds);
            sim[i] = (with.host_ns - without.host_ns) / rounds;
        }
        sim_ns = median(sim, runs); /* sorts sim[] */
        printf("keel-bench: sim: %lu round trips, %lu runs (%.1f..%.1f ns); per round trip "
               "%.2f kernel entries, %.0f ns of virtual clock\n",
               rounds, runs, sim[0], sim[runs - 1],
               (double)(with.entries - without.entries) / rounds,
               (double)(with.virtual_ns - without.virtual_ns) / rounds);
    }

    /* Kernel entries per host second, and the cost of tracing: whole runs
     * (boot included) with the trace off and on, interleaved. */
    double eps[MAX_RUNS], tr[MAX_RUNS], eps_med = 0, tr_med = 0;
    if (sim_part) {
        trace_sink = fopen("/dev/null", "wb");
        if (!trace_sink) {
            fprintf(stderr, "keel-bench: cannot open /dev/null for the trace\n");
            return 1;
        }
        for (unsigned long i = 0; i < runs; i++) {
            struct sim_run_result off = sim_once_traced(rounds, false);
            struct sim_run_result on = sim_once_traced(rounds, true);
            eps[i] = off.entries / (off.host_ns / 1e9);
            tr[i] = 100.0 * (on.host_ns - off.host_ns) / off.host_ns;
        }
        fclose(trace_sink);
        eps_med = median(eps, runs);
        tr_med = median(tr, runs);
        printf("keel-bench: sim: %.1f..%.1f M kernel entries/s untraced; tracing adds "
               "%.0f..%.0f%% (records written to /dev/null)\n",
               eps[0] / 1e6, eps[runs - 1] / 1e6, tr[0], tr[runs - 1]);
    }

    double sem[MAX_RUNS], sem1[MAX_RUNS];
    for (unsigned long i = 0; i < runs; i++) {
        sem[i] = sem_once(sem_rounds, false);
        sem1[i] = sem_once(sem_rounds, true);
    }
    double sem_ns = median(sem, runs), sem1_ns = median(sem1, runs);
    printf("keel-bench: pthread baseline: %lu round trips, %lu runs (%.1f..%.1f ns; "
           "slower when the other CPUs are busy); pinned to one CPU %.1f..%.1f ns\n",
           sem_rounds, runs, sem[0], sem[runs - 1], sem1[0], sem1[runs - 1]);

    if (sim_part)
        printf("bench: sim_ipc_roundtrip_ns %.1f ns\n", sim_ns);
    printf("bench: pthread_sem_roundtrip_ns %.1f ns\n", sem_ns);
    printf("bench: pthread_sem_roundtrip_1cpu_ns %.1f ns\n", sem1_ns);
    if (sim_part) {
        printf("bench: sim_ipc_speedup_vs_pthread %.1f x\n",
               sim_ns > 0 ? sem_ns / sim_ns : 0.0);
        printf("bench: sim_ipc_speedup_vs_pthread_1cpu %.1f x\n",
               sim_ns > 0 ? sem1_ns / sim_ns : 0.0);
        printf("bench: sim_kernel_entries_per_sec %.0f entries/s\n", eps_med);
        printf("bench: sim_trace_overhead_pct %.1f %%\n", tr_med);
    }
    return 0;
}
