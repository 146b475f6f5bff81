/*
 * sim/keel-sim.c - the command that runs a Keel system in the sim: boots
 * the kernel on a fresh simulated machine with the chosen system as root
 * task and runs it until it halts, deterministically: the virtual clock,
 * the seed and the options decide everything, so a run is reproduced by
 * its command line (printed with every failure) or by a recording.
 *
 *   keel-sim [options] SYSTEM
 *     --list            list the systems and exit
 *     --check           run the kernel invariant checker after every entry
 *     --quiet-kernel    do not print the kernel's one-line error reasons
 *     --ram-mib N       simulated RAM (power of two, 1..4096; default 64)
 *     --max-entries N   stop after N kernel entries
 *     --until T         stop at virtual time T (ns, or with us/ms/s)
 *     --seed N          the seed of every random choice (default: 0, or a
 *                       fresh one when --inject is given)
 *     --inject SPEC     fault injection, comma-separated (repeatable):
 *                       jitter:NS, spurious:N, storm:N:LEN, crash:N,
 *                       retype:N (docs/testbed.md)
 *     --trace FILE      write the kernel trace (docs/trace-format.md)
 *     --record FILE     write the run's inputs (system, seed, options)
 *     --replay FILE     run what a recording describes
 *     --stats           print kernel entries, virtual and host time at the end
 *
 * Exit status: the system's DebugHalt status; 120 if it went idle with
 * nothing left to run, 121 at --max-entries, 122 when --check found a
 * violated invariant, 123 at --until, 2 for bad usage or unreadable files.
 */
#define _GNU_SOURCE /* getrandom */
#include "systems.h"
#include "sim.h"
#include "../kernel/state.h"
#include <keel/trace.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define RECORD_MAGIC "keel-sim-record"
#define RECORD_VERSION 1

/* Everything that decides a run: what --record writes and --replay reads. */
struct run {
    const char *system;
    uint64_t seed;
    bool seeded;                  /* --seed given */
    struct sim_config cfg;
    char inject[256];             /* the injection spec as given, for messages */
};

static void usage(FILE *f)
{
    fprintf(f, "usage: keel-sim [--list] [--check] [--quiet-kernel] [--ram-mib N] "
               "[--max-entries N] [--until T] [--seed N] [--inject SPEC] [--trace FILE] "
               "[--record FILE | --replay FILE] [--stats] SYSTEM\n"
               "  SPEC: comma-separated jitter:NS, spurious:N, storm:N:LEN, crash:N, retype:N\n");
}

static void die(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "keel-sim: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    exit(2);
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
    if (!v)
        die("%s needs a value", opt, 0);
    errno = 0;
    unsigned long long n = strtoull(v, &end, 0);
    if (*v == '-' || *end || end == v || errno || n > max) {
        fprintf(stderr, "keel-sim: %s: '%s' is not a number in 0..%llu\n", opt, v, max);
        exit(2);
    }
    return n;
}

/* A virtual time: digits with an optional unit ns, us, ms or s. */
static uint64_t duration(const char *opt, const char *v)
{
    char *end;
    if (!v)
        die("%s needs a value", opt, 0);
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    uint64_t unit = 1;
    if (!strcmp(end, "us"))
        unit = 1000;
    else if (!strcmp(end, "ms"))
        unit = 1000000;
    else if (!strcmp(end, "s"))
        unit = 1000000000;
    else if (*end && strcmp(end, "ns"))
        die("%s: '%s' is not a time (a number with ns, us, ms or s)", opt, v);
    if (*v == '-' || end == v || errno || n > UINT64_MAX / unit)
        die("%s: '%s' is not a time (a number with ns, us, ms or s)", opt, v);
    return n * unit;
}

/* One injection spec (comma-separated items) into inj. */
static void parse_inject(const char *spec, struct sim_inject *inj)
{
    char buf[256];
    if (strlen(spec) >= sizeof(buf) || !*spec)
        die("--inject: '%s' is empty or too long", spec, 0);
    strcpy(buf, spec);
    for (char *save, *item = strtok_r(buf, ",", &save); item; item = strtok_r(0, ",", &save)) {
        char *arg = strchr(item, ':');
        if (!arg || !arg[1])
            die("--inject: '%s' needs a value (jitter:NS, spurious:N, storm:N:LEN, crash:N, "
                "retype:N)",
                item, 0);
        *arg++ = 0;
        if (!strcmp(item, "jitter")) {
            inj->jitter_ns = duration("--inject jitter", arg);
        } else if (!strcmp(item, "spurious")) {
            inj->spurious_every = number("--inject spurious", arg, UINT32_MAX);
        } else if (!strcmp(item, "crash")) {
            inj->crash_within = number("--inject crash", arg, UINT64_MAX);
        } else if (!strcmp(item, "retype")) {
            inj->retype_fail_at = number("--inject retype", arg, UINT64_MAX);
        } else if (!strcmp(item, "storm")) {
            char *len = strchr(arg, ':');
            if (!len)
                die("--inject storm: '%s' needs N:LEN", arg, 0);
            *len++ = 0;
            inj->storm_every = number("--inject storm", arg, UINT32_MAX);
            inj->storm_len = number("--inject storm length", len, 1000000);
        } else {
            die("--inject: unknown injection '%s' (jitter, spurious, storm, crash, retype)",
                item, 0);
        }
    }
}

static void add_inject(struct run *r, const char *spec)
{
    parse_inject(spec, &r->cfg.inject);
    size_t n = strlen(r->inject);
    if (n + strlen(spec) + 2 > sizeof(r->inject))
        die("--inject: too many injections", 0, 0);
    snprintf(r->inject + n, sizeof(r->inject) - n, "%s%s", n ? "," : "", spec);
}

/* ---- recordings: a small text file, one "key value" per line ---- */

static void record_write(const char *path, const struct run *r)
{
    FILE *f = fopen(path, "w");
    if (!f)
        die("--record: cannot write '%s': %s", path, strerror(errno));
    fprintf(f, "%s %d\nsystem %s\nseed %llu\nram-mib %llu\nmax-entries %llu\nuntil %llu\n"
               "check %d\ninject %s\n",
            RECORD_MAGIC, RECORD_VERSION, r->system, (unsigned long long)r->seed,
            (unsigned long long)(r->cfg.ram_bytes >> 20),
            (unsigned long long)r->cfg.max_entries, (unsigned long long)r->cfg.until_ns,
            r->cfg.after_entry != 0, r->inject[0] ? r->inject : "-");
    if (fclose(f))
        die("--record: cannot write '%s': %s", path, strerror(errno));
}

static void record_read(const char *path, struct run *r)
{
    static char system[300];
    FILE *f = fopen(path, "r");
    if (!f)
        die("--replay: cannot read '%s': %s", path, strerror(errno));
    char line[512], key[32], val[300];
    int version = 0;
    if (!fgets(line, sizeof(line), f) || sscanf(line, RECORD_MAGIC " %d", &version) != 1)
        die("--replay: '%s' is not a keel-sim recording", path, 0);
    if (version != RECORD_VERSION)
        die("--replay: '%s' has a recording version this keel-sim does not know", path, 0);
    while (fgets(line, sizeof(line), f)) {
        if (sscanf(line, "%31s %299s", key, val) != 2)
            die("--replay: '%s': malformed line '%s'", path, strtok(line, "\n"));
        if (!strcmp(key, "system")) {
            snprintf(system, sizeof(system), "%s", val);
            r->system = system;
        } else if (!strcmp(key, "seed")) {
            r->seed = number("--replay seed", val, UINT64_MAX);
            r->seeded = true;
        } else if (!strcmp(key, "ram-mib")) {
            r->cfg.ram_bytes = (keel_word_t)number("--replay ram-mib", val, 4096) << 20;
        } else if (!strcmp(key, "max-entries")) {
            r->cfg.max_entries = number("--replay max-entries", val, UINT64_MAX);
        } else if (!strcmp(key, "until")) {
            r->cfg.until_ns = number("--replay until", val, UINT64_MAX);
        } else if (!strcmp(key, "check")) {
            r->cfg.after_entry = number("--replay check", val, 1) ? kinv_check : 0;
        } else if (!strcmp(key, "inject")) {
            if (strcmp(val, "-"))
                add_inject(r, val);
        } else {
            die("--replay: '%s': unknown key '%s'", path, key);
        }
    }
    fclose(f);
    if (!r->system || !r->seeded)
        die("--replay: '%s' lacks the system or the seed", path, 0);
}

/* ---- the trace file ---- */

struct trace_out {
    FILE *f;
    const char *path;
    uint64_t records;
    bool failed;
};

static void trace_write(const struct keel_trace_rec *recs, size_t n, void *arg)
{
    struct trace_out *t = arg;
    if (fwrite(recs, sizeof(*recs), n, t->f) != n)
        t->failed = true;
    t->records += n;
}

static void trace_open(struct trace_out *t, const char *path, const struct run *r)
{
    t->path = path;
    t->f = fopen(path, "wb");
    if (!t->f)
        die("--trace: cannot write '%s': %s", path, strerror(errno));
    struct keel_trace_header h = {.version = KEEL_TRACE_VERSION,
                                  .record_bytes = sizeof(struct keel_trace_rec),
                                  .seed = r->seed,
                                  .word_bits = KEEL_WORD_BITS};
    memcpy(h.magic, KEEL_TRACE_MAGIC, sizeof(h.magic));
    snprintf(h.system, sizeof(h.system), "%s", r->system);
    if (fwrite(&h, sizeof(h), 1, t->f) != 1)
        t->failed = true;
}

static void trace_close(struct trace_out *t)
{
    if (fclose(t->f) || t->failed)
        die("--trace: writing '%s' failed", t->path, 0);
}

/* The command that reproduces this run. */
static void print_reproduce(int argc, char **argv, const struct run *r)
{
    fprintf(stderr, "keel-sim: reproduce with: %s --seed %llu", argv[0],
            (unsigned long long)r->seed);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") || !strcmp(argv[i], "--record")) {
            i++;
            continue;
        }
        fprintf(stderr, " %s", argv[i]);
    }
    fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    struct run r = {.cfg = {.ram_bytes = 64ul << 20, .log_user_errors = true}};
    const char *trace_path = 0, *record_path = 0, *replay_path = 0;
    bool stats = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--list")) {
            for (const struct keel_root_task *const *s = keel_systems; *s; s++)
                printf("%-14s %s\n", (*s)->name, (*s)->summary);
            return 0;
        } else if (!strcmp(a, "--check")) {
            r.cfg.after_entry = kinv_check;
        } else if (!strcmp(a, "--stats")) {
            stats = true;
        } else if (!strcmp(a, "--quiet-kernel")) {
            r.cfg.log_user_errors = false;
        } else if (!strcmp(a, "--ram-mib")) {
            unsigned long long mib = number(a, argv[++i], 4096);
            if (mib == 0 || (mib & (mib - 1))) {
                fprintf(stderr, "keel-sim: --ram-mib: %llu is not a power of two\n", mib);
                return 2;
            }
            r.cfg.ram_bytes = (keel_word_t)mib << 20;
        } else if (!strcmp(a, "--max-entries")) {
            r.cfg.max_entries = number(a, argv[++i], ~0ull);
        } else if (!strcmp(a, "--until")) {
            r.cfg.until_ns = duration(a, argv[++i]);
        } else if (!strcmp(a, "--seed")) {
            r.seed = number(a, argv[++i], UINT64_MAX);
            r.seeded = true;
        } else if (!strcmp(a, "--inject")) {
            if (!argv[i + 1])
                die("--inject needs a value", 0, 0);
            add_inject(&r, argv[++i]);
        } else if (!strcmp(a, "--trace") || !strcmp(a, "--record") || !strcmp(a, "--replay")) {
            const char *v = argv[++i];
            if (!v)
                die("%s needs a file name", a, 0);
            *(a[2] == 't' ? &trace_path : a[4] == 'c' ? &record_path : &replay_path) = v;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "keel-sim: unknown option '%s'\n", a);
            return 2;
        } else if (r.system) {
            fprintf(stderr, "keel-sim: more than one system given ('%s', '%s')\n", r.system, a);
            return 2;
        } else {
            r.system = a;
        }
    }
    if (replay_path) {
        if (r.system || r.seeded || r.inject[0] || record_path)
            die("--replay takes the system, seed and injections from the recording; "
                "give only --trace, --stats or --quiet-kernel with it", 0, 0);
        record_read(replay_path, &r);
    }
    if (!r.system) {
        usage(stderr);
        return 2;
    }
    const struct keel_root_task *sys = find(r.system);
    if (!sys) {
        fprintf(stderr, "keel-sim: unknown system '%s' (keel-sim --list shows them)\n", r.system);
        return 2;
    }
    if (!r.seeded && r.inject[0] && getrandom(&r.seed, sizeof(r.seed), 0) != sizeof(r.seed))
        die("cannot draw a seed: %s (give --seed)", strerror(errno), 0);
    if (record_path)
        record_write(record_path, &r);
    struct trace_out tout = {0};
    if (trace_path) {
        trace_open(&tout, trace_path, &r);
        r.cfg.trace = trace_write;
        r.cfg.trace_arg = &tout;
    }
    /* Files are open: from here on the run itself. */
    fprintf(stderr, "keel-sim: %s, seed %llu%s%s\n", r.system, (unsigned long long)r.seed,
            r.inject[0] ? ", inject " : "", r.inject);
    r.cfg.seed = r.seed;
    r.cfg.root_main = sys->main;
    r.cfg.root_entry = sim_entry_root;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0); /* reporting only: never read by the system */
    struct sim_result res = sim_run(&r.cfg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (trace_path)
        trace_close(&tout);
    if (stats) {
        double host_ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
        fprintf(stderr,
                "keel-sim: %llu kernel entries, %.3f ms virtual, %.3f ms host (%.0f ns per "
                "entry, user code included; virtual/host %.2f)\n",
                (unsigned long long)res.entries, res.time_ns / 1e6, host_ns / 1e6,
                res.entries ? host_ns / res.entries : 0.0, host_ns ? res.time_ns / host_ns : 0.0);
        if (r.inject[0])
            fprintf(stderr, "keel-sim: %llu injected events\n",
                    (unsigned long long)res.injected);
        if (trace_path)
            fprintf(stderr, "keel-sim: %llu trace records in %s\n",
                    (unsigned long long)tout.records, trace_path);
    }
    sim_shutdown();
    int status = res.halted ? 0 : res.status;
    switch (status) {
    case SIM_STATUS_IDLE:
        fprintf(stderr, "keel-sim: %s: no runnable thread and no timer left; stopped\n", r.system);
        break;
    case SIM_STATUS_LIMIT:
        fprintf(stderr, "keel-sim: %s: stopped after %llu kernel entries\n", r.system,
                (unsigned long long)res.entries);
        break;
    case SIM_STATUS_TIME:
        fprintf(stderr, "keel-sim: %s: stopped at %.3f ms of virtual time\n", r.system,
                res.time_ns / 1e6);
        break;
    case SIM_STATUS_CHECK:
        fprintf(stderr, "keel-sim: %s: kernel invariant violated after %llu entries: %s\n",
                r.system, (unsigned long long)res.entries, res.failure);
        break;
    default:
        break;
    }
    /* A failure says how to run it again; a planned stop (--until,
     * --max-entries) is not a failure. */
    if (status != 0 && status != SIM_STATUS_LIMIT && status != SIM_STATUS_TIME)
        print_reproduce(argc, argv, &r);
    return res.status;
}
