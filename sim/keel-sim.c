/*
 * sim/keel-sim.c - the command that runs a Keel system in the sim: boots
 * the kernel on a fresh simulated machine with the chosen system as root
 * task and runs it until it halts.
 *
 *   keel-sim [options] SYSTEM
 *     --list            list the systems and exit
 *     --check           run the kernel invariant checker after every entry
 *     --quiet-kernel    do not print the kernel's one-line error reasons
 *     --ram-mib N       simulated RAM (power of two, 1..4096; default 64)
 *     --max-entries N   stop after N kernel entries
 *     --stats           print kernel entries, virtual and host time at the end
 *
 * Exit status: the system's DebugHalt status; 120 if it went idle with
 * nothing left to run, 121 at --max-entries, 122 when --check found a
 * violated invariant, 2 for bad usage.
 */
#include "systems.h"
#include "sim.h"
#include "../kernel/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: keel-sim [--list] [--check] [--quiet-kernel] [--ram-mib N] "
               "[--max-entries N] [--stats] SYSTEM\n");
}

static const struct keel_root_task *find(const char *name)
{
    for (const struct keel_root_task *const *s = keel_systems; *s; s++)
        if (strcmp((*s)->name, name) == 0)
            return *s;
    return 0;
}

static unsigned long long number(const char *opt, const char *v, unsigned long long max)
{
    char *end;
    if (!v) {
        fprintf(stderr, "keel-sim: %s needs a value\n", opt);
        exit(2);
    }
    unsigned long long n = strtoull(v, &end, 0);
    if (*v == '-' || *end || end == v || n > max) {
        fprintf(stderr, "keel-sim: %s: '%s' is not a number in 0..%llu\n", opt, v, max);
        exit(2);
    }
    return n;
}

int main(int argc, char **argv)
{
    struct sim_config cfg = {.ram_bytes = 64ul << 20, .log_user_errors = true};
    const char *name = 0;
    bool stats = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--list")) {
            for (const struct keel_root_task *const *s = keel_systems; *s; s++)
                printf("%-10s %s\n", (*s)->name, (*s)->summary);
            return 0;
        } else if (!strcmp(a, "--check")) {
            cfg.after_entry = kinv_check;
        } else if (!strcmp(a, "--stats")) {
            stats = true;
        } else if (!strcmp(a, "--quiet-kernel")) {
            cfg.log_user_errors = false;
        } else if (!strcmp(a, "--ram-mib")) {
            unsigned long long mib = number(a, argv[++i], 4096);
            if (mib == 0 || (mib & (mib - 1))) {
                fprintf(stderr, "keel-sim: --ram-mib: %llu is not a power of two\n", mib);
                return 2;
            }
            cfg.ram_bytes = (keel_word_t)mib << 20;
        } else if (!strcmp(a, "--max-entries")) {
            cfg.max_entries = number(a, argv[++i], ~0ull);
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "keel-sim: unknown option '%s'\n", a);
            return 2;
        } else if (name) {
            fprintf(stderr, "keel-sim: more than one system given ('%s', '%s')\n", name, a);
            return 2;
        } else {
            name = a;
        }
    }
    if (!name) {
        usage(stderr);
        return 2;
    }
    const struct keel_root_task *sys = find(name);
    if (!sys) {
        fprintf(stderr, "keel-sim: unknown system '%s' (keel-sim --list shows them)\n", name);
        return 2;
    }
    cfg.root_main = sys->main;
    cfg.root_entry = sim_entry_root;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0); /* reporting only: never read by the system */
    struct sim_result r = sim_run(&cfg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (stats) {
        double host_ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
        fprintf(stderr,
                "keel-sim: %llu kernel entries, %.3f ms virtual, %.3f ms host (%.0f ns per "
                "entry, user code included)\n",
                (unsigned long long)r.entries, r.time_ns / 1e6, host_ns / 1e6,
                r.entries ? host_ns / r.entries : 0.0);
    }
    sim_shutdown();
    switch (r.halted ? 0 : r.status) {
    case SIM_STATUS_IDLE:
        fprintf(stderr, "keel-sim: %s: no runnable thread and no timer left; stopped\n", name);
        break;
    case SIM_STATUS_LIMIT:
        fprintf(stderr, "keel-sim: %s: stopped after %llu kernel entries\n", name,
                (unsigned long long)r.entries);
        break;
    case SIM_STATUS_CHECK:
        fprintf(stderr, "keel-sim: %s: kernel invariant violated: %s\n", name, r.failure);
        break;
    default:
        break;
    }
    return r.status;
}
