/*
 * tools/ktrace/ktrace.c - the host tool that reads a Keel kernel trace
 * (keel/trace.h; written by `keel-sim --trace FILE`) and prints it,
 * summarises it or converts it for a trace viewer:
 *
 *   ktrace dump FILE                the header, then one line per record
 *   ktrace stats FILE               CPU time and counts per thread, wake-up
 *                                   latency percentiles, interrupts
 *   ktrace chrome FILE -o OUT.json  Chrome trace-event JSON, for the
 *                                   Perfetto UI or chrome://tracing
 *   ktrace serial LOG -o FILE       extract a trace a hardware port printed
 *                                   on its console (between KEEL-TRACE-BEGIN
 *                                   and KEEL-TRACE-END, in hex) into FILE
 *
 * The whole file is read and checked before anything is printed or
 * written: bad input gets one line on stderr naming the problem and exit
 * status 1; bad usage exits 2.  Layouts and numbers come from keel/trace.h,
 * keel/syscall.h and keel/fault.h; fields are read as little-endian
 * whatever the host.  docs/trace-format.md describes the format and what
 * each command reports.  The JSON is built and written with jansson.
 */
#include <keel/fault.h>
#include <keel/syscall.h>
#include <keel/trace.h>

#include <jansson.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_SIZE(type, field) sizeof(((type *)0)->field)
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(sizeof KEEL_TRACE_MAGIC == FIELD_SIZE(struct keel_trace_header, magic),
               "the magic fills the header's magic field");

/* ---- names ---- */

static const char *const type_names[KEEL_TRACE_TYPE_COUNT] = {
    [KEEL_TRACE_SWITCH] = "switch",       [KEEL_TRACE_SYSCALL] = "syscall",
    [KEEL_TRACE_SYSCALL_EXIT] = "syscall-exit", [KEEL_TRACE_IPC_SEND] = "ipc-send",
    [KEEL_TRACE_IPC_RECV] = "ipc-recv",   [KEEL_TRACE_SIGNAL] = "signal",
    [KEEL_TRACE_IRQ] = "irq",             [KEEL_TRACE_BUDGET] = "budget",
    [KEEL_TRACE_FAULT] = "fault",         [KEEL_TRACE_STATE] = "state",
    [KEEL_TRACE_PRIORITY] = "priority",
};

static const char *const syscall_names[KEEL_SYS_COUNT] = {
    [KEEL_SYS_CALL] = "Call",
    [KEEL_SYS_REPLY_RECV] = "ReplyRecv",
    [KEEL_SYS_NB_SEND_RECV] = "NBSendRecv",
    [KEEL_SYS_NB_SEND_WAIT] = "NBSendWait",
    [KEEL_SYS_SEND] = "Send",
    [KEEL_SYS_NB_SEND] = "NBSend",
    [KEEL_SYS_RECV] = "Recv",
    [KEEL_SYS_NB_RECV] = "NBRecv",
    [KEEL_SYS_WAIT] = "Wait",
    [KEEL_SYS_NB_WAIT] = "NBWait",
    [KEEL_SYS_YIELD] = "Yield",
    [KEEL_SYS_DEBUG_PUTCHAR] = "DebugPutChar",
    [KEEL_SYS_DEBUG_HALT] = "DebugHalt",
    [KEEL_SYS_DEBUG_CAP_IDENTIFY] = "DebugCapIdentify",
    [KEEL_SYS_DEBUG_SNAPSHOT] = "DebugSnapshot",
};

static const char *const switch_names[] = {
    [KEEL_TRACE_SW_BLOCKED] = "blocked", [KEEL_TRACE_SW_PREEMPTED] = "preempted",
    [KEEL_TRACE_SW_YIELDED] = "yielded", [KEEL_TRACE_SW_BUDGET] = "budget",
    [KEEL_TRACE_SW_STOPPED] = "stopped", [KEEL_TRACE_SW_IDLE] = "idle",
};

static const char *const state_names[] = {
    [KEEL_TRACE_ST_INACTIVE] = "inactive",         [KEEL_TRACE_ST_RUNNING] = "running",
    [KEEL_TRACE_ST_BLOCKED_SEND] = "blocked-send", [KEEL_TRACE_ST_BLOCKED_RECV] = "blocked-recv",
    [KEEL_TRACE_ST_BLOCKED_REPLY] = "blocked-reply", [KEEL_TRACE_ST_BLOCKED_NTFN] = "blocked-ntfn",
    [KEEL_TRACE_ST_IDLE] = "idle",
};

static const char *const fault_names[KEEL_FAULT_TYPE_COUNT] = {
    [KEEL_FAULT_NULL] = "NullFault",
    [KEEL_FAULT_CAP] = "CapFault",
    [KEEL_FAULT_UNKNOWN_SYSCALL] = "UnknownSyscall",
    [KEEL_FAULT_USER_EXCEPTION] = "UserException",
    [KEEL_FAULT_TIMEOUT] = "Timeout",
    [KEEL_FAULT_VM] = "VMFault",
};

/* The name of value v in a table, or "WHAT V" (in buf) if it has none. */
struct name_buf {
    char s[48];
};
static const char *name_of(const char *const *names, size_t count, uint64_t v, const char *what,
                           struct name_buf *buf)
{
    if (v < count && names[v])
        return names[v];
    snprintf(buf->s, sizeof buf->s, "%s %" PRIu64, what, v);
    return buf->s;
}
#define NAME(table, v, what, buf) name_of(table, N_ELEMS(table), v, what, buf)

/* "idle", "root" or "thread N". */
static const char *thread_name(uint32_t tid, struct name_buf *buf)
{
    if (tid == 0)
        return "idle";
    if (tid == 1)
        return "root";
    snprintf(buf->s, sizeof buf->s, "thread %" PRIu32, tid);
    return buf->s;
}

/* ---- errors and small helpers ---- */

/* One line on stderr, then exit: status 1 for bad input, 2 for bad usage. */
static void die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ktrace: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(status);
}

/* Make room for one more element in a growing array. */
static void *grow(void *v, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return v;
    *cap = *cap ? *cap * 2 : 64;
    void *nv = realloc(v, *cap * elem);
    if (!nv)
        die(1, "out of memory");
    return nv;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- reading a trace ---- */

struct trace {
    const char *path;
    struct keel_trace_header h;   /* numbers converted to host order */
    char system[FIELD_SIZE(struct keel_trace_header, system) + 1]; /* printable */
    struct keel_trace_rec *rec;   /* converted to host order */
    size_t n;
};

/* The file offset of record i. */
static size_t rec_offset(size_t i)
{
    return sizeof(struct keel_trace_header) + i * sizeof(struct keel_trace_rec);
}

/* The value of a little-endian field of n bytes, as read from the file. */
static uint64_t from_le(const void *field, size_t n)
{
    const unsigned char *b = field;
    uint64_t v = 0;
    while (n-- > 0)
        v = v << 8 | b[n];
    return v;
}
#define FROM_LE(x) ((x) = from_le(&(x), sizeof(x)))

static unsigned char *read_whole_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(1, "%s: cannot open: %s", path, strerror(errno));
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        buf = grow(buf, len, &cap, 1);
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        die(1, "%s: cannot read: %s", path, strerror(errno));
    fclose(f);
    *size = len;
    return buf;
}

/* Read and check the whole file; any problem ends the program. */
static void load(struct trace *t, const char *path)
{
    const size_t hsize = sizeof(struct keel_trace_header), rsize = sizeof(struct keel_trace_rec);
    size_t size;
    unsigned char *buf = read_whole_file(path, &size);
    struct keel_trace_header *h = &t->h;

    t->path = path;
    if (size < hsize)
        die(1, "%s: %zu bytes, too short for the %zu-byte trace header", path, size, hsize);
    memcpy(h, buf, hsize);
    if (memcmp(h->magic, KEEL_TRACE_MAGIC, sizeof h->magic) != 0)
        die(1, "%s: not a Keel trace (bad magic)", path);
    FROM_LE(h->version);
    FROM_LE(h->record_bytes);
    FROM_LE(h->seed);
    FROM_LE(h->word_bits);
    FROM_LE(h->reserved);
    if (h->version != KEEL_TRACE_VERSION)
        die(1, "%s: unsupported trace version %" PRIu32 " (this ktrace reads version %u)", path,
            h->version, KEEL_TRACE_VERSION);
    if (h->record_bytes != rsize)
        die(1, "%s: record size %" PRIu32 " bytes in the header, expected %zu", path,
            h->record_bytes, rsize);

    size_t i;
    for (i = 0; i < sizeof h->system && h->system[i]; i++) {
        char c = h->system[i];
        t->system[i] = c >= 0x20 && c < 0x7f && c != '"' ? c : '?';
    }
    t->system[i] = 0;

    size_t body = size - hsize;
    t->n = body / rsize;
    if (body % rsize != 0)
        die(1, "%s: truncated record at offset %zu (%zu of %zu bytes)", path, rec_offset(t->n),
            body % rsize, rsize);
    t->rec = malloc(t->n ? t->n * rsize : 1);
    if (!t->rec)
        die(1, "out of memory");
    for (i = 0; i < t->n; i++) {
        struct keel_trace_rec *r = &t->rec[i];
        memcpy(r, buf + rec_offset(i), rsize);
        FROM_LE(r->time_ns);
        FROM_LE(r->type);
        FROM_LE(r->cpu);
        FROM_LE(r->tid);
        FROM_LE(r->a0);
        FROM_LE(r->a1);
        FROM_LE(r->a2);
        if (r->type == 0 || r->type >= KEEL_TRACE_TYPE_COUNT)
            die(1, "%s: unknown record type %u at offset %zu", path, (unsigned)r->type,
                rec_offset(i));
    }
    free(buf);
}

/* What stats and chrome need beyond load(): time never goes back, and a
 * SWITCH names a trace id as the thread that stopped. */
static void check_order(const struct trace *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct keel_trace_rec *r = &t->rec[i];
        if (i > 0 && r->time_ns < r[-1].time_ns)
            die(1, "%s: record at offset %zu goes back in time (%" PRIu64 " ns after %" PRIu64
                " ns)", t->path, rec_offset(i), r->time_ns, r[-1].time_ns);
        if (r->type == KEEL_TRACE_SWITCH && r->a0 > UINT32_MAX)
            die(1, "%s: switch record at offset %zu: stopped thread %" PRIu64 " is not a trace id",
                t->path, rec_offset(i), r->a0);
    }
}

static void print_header(const struct trace *t)
{
    printf("trace: version %" PRIu32 ", system \"%s\", seed %" PRIu64 ", word bits %" PRIu32
           ", %zu records\n",
           t->h.version, t->system, t->h.seed, t->h.word_bits, t->n);
}

/* ---- threads and running intervals (stats and chrome) ---- */

struct thread {
    uint32_t tid;
    uint64_t cpu_ns;
    uint64_t syscalls, sent, received, faults, budgets;
};

struct threads {
    struct thread *v; /* sorted by tid */
    size_t n, cap;
};

/* The entry of tid, added if new. */
static struct thread *thread(struct threads *ts, uint32_t tid)
{
    size_t lo = 0, hi = ts->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ts->v[mid].tid < tid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ts->n && ts->v[lo].tid == tid)
        return &ts->v[lo];
    ts->v = grow(ts->v, ts->n, &ts->cap, sizeof *ts->v);
    memmove(&ts->v[lo + 1], &ts->v[lo], (ts->n - lo) * sizeof *ts->v);
    ts->n++;
    ts->v[lo] = (struct thread){.tid = tid};
    return &ts->v[lo];
}

/* Every thread the trace names: record tids and the stopped threads of
 * SWITCH records. */
static void collect_threads(const struct trace *t, struct threads *ts)
{
    for (size_t i = 0; i < t->n; i++) {
        thread(ts, t->rec[i].tid);
        if (t->rec[i].type == KEEL_TRACE_SWITCH)
            thread(ts, (uint32_t)t->rec[i].a0);
    }
}

typedef void run_fn(void *ctx, uint32_t tid, uint64_t from, uint64_t to,
                    const struct keel_trace_rec *end);

/* Call fn for each interval a thread ran: from a SWITCH naming it to the
 * next SWITCH (end) or to the last record (end NULL).  Before the first
 * SWITCH, the thread it names as stopped (a0) ran from the first record
 * on.  Without any SWITCH nothing is known and fn is not called. */
static void for_each_run(const struct trace *t, run_fn *fn, void *ctx)
{
    size_t i = 0;
    while (i < t->n && t->rec[i].type != KEEL_TRACE_SWITCH)
        i++;
    if (i == t->n)
        return;
    uint32_t cur = (uint32_t)t->rec[i].a0;
    uint64_t since = t->rec[0].time_ns;
    for (; i < t->n; i++) {
        const struct keel_trace_rec *r = &t->rec[i];
        if (r->type != KEEL_TRACE_SWITCH)
            continue;
        fn(ctx, cur, since, r->time_ns, r);
        cur = r->tid;
        since = r->time_ns;
    }
    fn(ctx, cur, since, t->rec[t->n - 1].time_ns, NULL);
}

/* ---- dump ---- */

/* The decoded fields of r. */
static void describe(const struct keel_trace_rec *r, char *out, size_t size)
{
    struct name_buf b1, b2;
    switch (r->type) {
    case KEEL_TRACE_SWITCH:
        snprintf(out, size, "from %" PRIu64 " (%s), %" PRIu64 " ready", r->a0,
                 NAME(switch_names, r->a1, "reason", &b1), r->a2);
        break;
    case KEEL_TRACE_SYSCALL:
        snprintf(out, size, "%s cptr 0x%" PRIx64, NAME(syscall_names, r->a0, "syscall", &b1),
                 r->a1);
        break;
    case KEEL_TRACE_SYSCALL_EXIT:
        snprintf(out, size, "%s label 0x%" PRIx64 ", now %s",
                 NAME(syscall_names, r->a0, "syscall", &b1), r->a1,
                 NAME(state_names, r->a2, "state", &b2));
        break;
    case KEEL_TRACE_IPC_SEND:
        snprintf(out, size, "msg %" PRIu64 " info 0x%" PRIx64 " badge 0x%" PRIx64, r->a0, r->a1,
                 r->a2);
        break;
    case KEEL_TRACE_IPC_RECV:
        snprintf(out, size, "msg %" PRIu64 " from %" PRIu64 "%s", r->a0, r->a1,
                 r->a2 ? ", reply" : "");
        break;
    case KEEL_TRACE_SIGNAL:
        if (r->a2)
            snprintf(out, size, "ntfn 0x%" PRIx64 " badge 0x%" PRIx64 ", woke %" PRIu64, r->a0,
                     r->a1, r->a2 - 1);
        else
            snprintf(out, size, "ntfn 0x%" PRIx64 " badge 0x%" PRIx64 ", woke none", r->a0, r->a1);
        break;
    case KEEL_TRACE_IRQ:
        snprintf(out, size, "irq %" PRIu64, r->a0);
        break;
    case KEEL_TRACE_BUDGET:
        snprintf(out, size, "badge 0x%" PRIx64 " consumed %" PRIu64 " us%s", r->a0, r->a1,
                 r->a2 ? ", timeout fault follows" : "");
        break;
    case KEEL_TRACE_FAULT:
        snprintf(out, size, "%s 0x%" PRIx64 " 0x%" PRIx64, NAME(fault_names, r->a0, "fault", &b1),
                 r->a1, r->a2);
        break;
    case KEEL_TRACE_STATE:
        snprintf(out, size, "%s (was %s)", NAME(state_names, r->a0, "state", &b1),
                 NAME(state_names, r->a1, "state", &b2));
        break;
    case KEEL_TRACE_PRIORITY:
        snprintf(out, size, "priority %" PRIu64, r->a0);
        break;
    default: /* load() refused other types */
        snprintf(out, size, "?");
        break;
    }
}

static void cmd_dump(const struct trace *t)
{
    char fields[256];
    print_header(t);
    for (size_t i = 0; i < t->n; i++) {
        const struct keel_trace_rec *r = &t->rec[i];
        describe(r, fields, sizeof fields);
        printf("%14" PRIu64 "  %-12s  tid %-4" PRIu32 "  %s\n", r->time_ns, type_names[r->type],
               r->tid, fields);
    }
}

/* ---- stats ---- */

static void add_cpu(void *ctx, uint32_t tid, uint64_t from, uint64_t to,
                    const struct keel_trace_rec *end)
{
    (void)end;
    thread(ctx, tid)->cpu_ns += to - from;
}

/* The p-th percentile (nearest rank) of n sorted values, n > 0. */
static uint64_t percentile(const uint64_t *sorted, size_t n, unsigned p)
{
    size_t rank = (p * n + 99) / 100; /* ceil(p/100 * n), 1-based */
    return sorted[rank ? rank - 1 : 0];
}

static void cmd_stats(const struct trace *t)
{
    struct threads ts = {0};
    struct wake {
        uint32_t tid;
        uint64_t at;
    } *pending = NULL;                /* wake-ups not yet followed by their switch */
    size_t npending = 0, cap_pending = 0;
    uint64_t *lat = NULL, *irqs = NULL;
    size_t nlat = 0, cap_lat = 0, nirqs = 0, cap_irqs = 0;
    int switched = 0;

    check_order(t);
    collect_threads(t, &ts);
    for (size_t i = 0; i < t->n; i++) {
        const struct keel_trace_rec *r = &t->rec[i];
        struct thread *th = thread(&ts, r->tid);
        switch (r->type) {
        case KEEL_TRACE_SWITCH:
            switched = 1;
            for (size_t j = 0; j < npending;) {
                if (pending[j].tid == r->tid) {
                    lat = grow(lat, nlat, &cap_lat, sizeof *lat);
                    lat[nlat++] = r->time_ns - pending[j].at;
                    pending[j] = pending[--npending];
                } else {
                    j++;
                }
            }
            break;
        case KEEL_TRACE_SYSCALL:
            th->syscalls++;
            break;
        case KEEL_TRACE_IPC_SEND:
            th->sent++;
            break;
        case KEEL_TRACE_IPC_RECV:
            th->received++;
            break;
        case KEEL_TRACE_FAULT:
            th->faults++;
            break;
        case KEEL_TRACE_BUDGET:
            th->budgets++;
            break;
        case KEEL_TRACE_IRQ:
            irqs = grow(irqs, nirqs, &cap_irqs, sizeof *irqs);
            irqs[nirqs++] = r->a0;
            break;
        case KEEL_TRACE_STATE:
            if (r->a0 == KEEL_TRACE_ST_RUNNING) {
                pending = grow(pending, npending, &cap_pending, sizeof *pending);
                pending[npending++] = (struct wake){r->tid, r->time_ns};
            }
            break;
        }
    }
    for_each_run(t, add_cpu, &ts);

    print_header(t);
    uint64_t interval = 0;
    if (t->n == 0) {
        printf("interval: no records\n");
    } else {
        interval = t->rec[t->n - 1].time_ns - t->rec[0].time_ns;
        printf("interval: %" PRIu64 " ns to %" PRIu64 " ns (%" PRIu64 " ns)\n", t->rec[0].time_ns,
               t->rec[t->n - 1].time_ns, interval);
    }
    if (ts.n > 0)
        printf("%6s  %-10s %12s %8s %9s %9s %9s %7s %7s\n", "tid", "thread", "cpu ns", "share",
               "syscalls", "ipc sent", "ipc recv", "faults", "budget");
    for (size_t i = 0; i < ts.n; i++) {
        const struct thread *th = &ts.v[i];
        struct name_buf nb;
        char share[16] = "-";
        if (interval > 0)
            snprintf(share, sizeof share, "%.2f%%", 100.0 * (double)th->cpu_ns / (double)interval);
        printf("%6" PRIu32 "  %-10s %12" PRIu64 " %8s %9" PRIu64 " %9" PRIu64 " %9" PRIu64
               " %7" PRIu64 " %7" PRIu64 "\n",
               th->tid, thread_name(th->tid, &nb), th->cpu_ns, share, th->syscalls, th->sent,
               th->received, th->faults, th->budgets);
    }
    if (t->n > 0 && !switched)
        printf("no switch records: CPU time not known\n");

    if (nlat == 0) {
        printf("wake-up latency: none");
    } else {
        qsort(lat, nlat, sizeof *lat, cmp_u64);
        printf("wake-up latency: %zu wake-up%s, p50 %" PRIu64 " ns, p90 %" PRIu64 " ns, p99 %" PRIu64
               " ns, max %" PRIu64 " ns",
               nlat, nlat == 1 ? "" : "s", percentile(lat, nlat, 50), percentile(lat, nlat, 90),
               percentile(lat, nlat, 99), lat[nlat - 1]);
    }
    if (npending > 0)
        printf("; %zu wake-up%s not followed by a switch to its thread", npending,
               npending == 1 ? "" : "s");
    printf("\n");

    printf("interrupts: %zu", nirqs);
    if (nirqs > 0)
        qsort(irqs, nirqs, sizeof *irqs, cmp_u64);
    for (size_t i = 0; i < nirqs;) {
        size_t j = i;
        while (j < nirqs && irqs[j] == irqs[i])
            j++;
        printf("%sirq %" PRIu64 ": %zu", i == 0 ? " (" : ", ", irqs[i], j - i);
        i = j;
    }
    printf("%s\n", nirqs ? ")" : "");
    printf("records: %zu\n", t->n);

    free(ts.v);
    free(pending);
    free(lat);
    free(irqs);
}

/* ---- chrome ---- */

static json_t *jcheck(json_t *j)
{
    if (!j)
        die(1, "out of memory building the JSON");
    return j;
}

static void jset(json_t *obj, const char *key, json_t *value)
{
    if (json_object_set_new(obj, key, jcheck(value)) != 0)
        die(1, "out of memory building the JSON");
}

static void jpush(json_t *array, json_t *value)
{
    if (json_array_append_new(array, jcheck(value)) != 0)
        die(1, "out of memory building the JSON");
}

/* A 64-bit number: a JSON integer if it fits, else a decimal string. */
static json_t *jnum(uint64_t v)
{
    char s[24];
    if (v <= INT64_MAX)
        return json_integer((json_int_t)v);
    snprintf(s, sizeof s, "%" PRIu64, v);
    return json_string(s);
}

static json_t *jhex(uint64_t v)
{
    char s[24];
    snprintf(s, sizeof s, "0x%" PRIx64, v);
    return json_string(s);
}

/* Trace-event times are microseconds. */
static json_t *jus(uint64_t ns)
{
    return json_real((double)ns / 1000.0);
}

/* An event of thread tid at time ns. */
static json_t *event(const char *ph, const char *name, uint32_t tid, uint64_t ns)
{
    json_t *e = jcheck(json_object());
    jset(e, "name", json_string(name));
    jset(e, "ph", json_string(ph));
    jset(e, "pid", json_integer(1));
    jset(e, "tid", json_integer(tid));
    jset(e, "ts", jus(ns));
    return e;
}

/* An instant event with its arguments (args is taken over). */
static json_t *instant(const char *name, uint32_t tid, uint64_t ns, json_t *args)
{
    json_t *e = event("i", name, tid, ns);
    jset(e, "s", json_string("t"));
    jset(e, "args", args);
    return e;
}

static json_t *metadata(const char *what, uint32_t tid, const char *name)
{
    json_t *e = jcheck(json_object());
    jset(e, "name", json_string(what));
    jset(e, "ph", json_string("M"));
    jset(e, "pid", json_integer(1));
    jset(e, "tid", json_integer(tid));
    jset(e, "args", json_pack("{s:s}", "name", name));
    return e;
}

static void add_slice(void *ctx, uint32_t tid, uint64_t from, uint64_t to,
                      const struct keel_trace_rec *end)
{
    struct name_buf nb;
    if (to == from)
        return; /* it ran for no time: nothing to draw */
    json_t *e = event("X", "running", tid, from);
    jset(e, "dur", jus(to - from));
    if (end)
        jset(e, "args", json_pack("{s:s}", "stopped", NAME(switch_names, end->a1, "reason", &nb)));
    jpush(ctx, e);
}

/*
 * An IPC flow event: "s" at the send, "f" at the receive.  A viewer draws
 * the arrow between the slices the two events fall in.  "s" binds to the
 * enclosing slice (the sender is normally running its syscall); "f" binds
 * to the enclosing slice only with "bp":"e", else to the next slice on its
 * thread.  A receiver is mostly blocked when the message arrives, and an
 * "f" with "bp":"e" and no enclosing slice is dropped (Perfetto counts it
 * as flow_no_enclosing_slice), so "bp":"e" is set only when the receiver
 * is running; otherwise the arrow ends where it next runs.
 */
static json_t *flow(const char *ph, const struct keel_trace_rec *r, int enclosing)
{
    json_t *e = event(ph, "ipc", r->tid, r->time_ns);
    jset(e, "cat", json_string("ipc"));
    /* Perfetto reads a string id as hex */
    jset(e, "id", r->a0 <= INT64_MAX ? json_integer((json_int_t)r->a0) : jhex(r->a0));
    if (ph[0] == 'f' && enclosing)
        jset(e, "bp", json_string("e"));
    return e;
}

static int has_id(const uint64_t *sorted, size_t n, uint64_t id)
{
    return n > 0 && bsearch(&id, sorted, n, sizeof id, cmp_u64) != NULL;
}

static void cmd_chrome(const struct trace *t, const char *out)
{
    struct threads ts = {0};
    uint64_t *sends = NULL, *recvs = NULL;
    size_t nsends = 0, cap_sends = 0, nrecvs = 0, cap_recvs = 0;
    struct name_buf b1, b2;
    char label[64];

    check_order(t);
    collect_threads(t, &ts);

    /* A flow is drawn only when both of its ends are in the trace. */
    for (size_t i = 0; i < t->n; i++) {
        const struct keel_trace_rec *r = &t->rec[i];
        if (r->type == KEEL_TRACE_IPC_SEND) {
            sends = grow(sends, nsends, &cap_sends, sizeof *sends);
            sends[nsends++] = r->a0;
        } else if (r->type == KEEL_TRACE_IPC_RECV) {
            recvs = grow(recvs, nrecvs, &cap_recvs, sizeof *recvs);
            recvs[nrecvs++] = r->a0;
        }
    }
    if (nsends > 0)
        qsort(sends, nsends, sizeof *sends, cmp_u64);
    if (nrecvs > 0)
        qsort(recvs, nrecvs, sizeof *recvs, cmp_u64);

    json_t *events = jcheck(json_array());
    jpush(events, metadata("process_name", 0, t->system));
    for (size_t i = 0; i < ts.n; i++)
        jpush(events, metadata("thread_name", ts.v[i].tid, thread_name(ts.v[i].tid, &b1)));
    for_each_run(t, add_slice, events);

    /* Who runs, as for_each_run() sees it; before any SWITCH, no one. */
    int known = 0;
    uint32_t running = 0;
    for (size_t i = 0; i < t->n && !known; i++) {
        if (t->rec[i].type == KEEL_TRACE_SWITCH) {
            known = 1;
            running = (uint32_t)t->rec[i].a0;
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct keel_trace_rec *r = &t->rec[i];
        switch (r->type) {
        case KEEL_TRACE_SWITCH: {
            running = r->tid;
            json_t *e = event("C", "ready", r->tid, r->time_ns);
            jset(e, "args", json_pack("{s:o}", "ready", jnum(r->a2)));
            jpush(events, e);
            break;
        }
        case KEEL_TRACE_IPC_SEND:
            if (has_id(recvs, nrecvs, r->a0))
                jpush(events, flow("s", r, 1));
            break;
        case KEEL_TRACE_IPC_RECV:
            if (has_id(sends, nsends, r->a0))
                jpush(events, flow("f", r, known && running == r->tid));
            break;
        case KEEL_TRACE_IRQ:
            snprintf(label, sizeof label, "irq %" PRIu64, r->a0);
            jpush(events, instant(label, r->tid, r->time_ns, json_pack("{s:o}", "irq", jnum(r->a0))));
            break;
        case KEEL_TRACE_FAULT: {
            const char *type = NAME(fault_names, r->a0, "fault", &b2);
            snprintf(label, sizeof label, "fault: %s", type);
            jpush(events, instant(label, r->tid, r->time_ns,
                                  json_pack("{s:s, s:o, s:o}", "type", type, "word0", jhex(r->a1),
                                            "word1", jhex(r->a2))));
            break;
        }
        case KEEL_TRACE_BUDGET:
            jpush(events, instant("budget exhausted", r->tid, r->time_ns,
                                  json_pack("{s:o, s:o, s:b}", "badge", jhex(r->a0), "consumed_us",
                                            jnum(r->a1), "timeout_fault", r->a2 != 0)));
            break;
        case KEEL_TRACE_SIGNAL: {
            json_t *args = json_pack("{s:o, s:o}", "notification", jhex(r->a0), "badge",
                                     jhex(r->a1));
            if (args && r->a2)
                jset(args, "woke", jnum(r->a2 - 1));
            jpush(events, instant("signal", r->tid, r->time_ns, args));
            break;
        }
        }
    }

    json_t *root = jcheck(json_object());
    jset(root, "traceEvents", events);
    jset(root, "displayTimeUnit", json_string("ns"));
    char seed[24];
    snprintf(seed, sizeof seed, "%" PRIu64, t->h.seed);
    jset(root, "otherData",
         json_pack("{s:s, s:s, s:I, s:I}", "system", t->system, "seed", seed, "version",
                   (json_int_t)t->h.version, "word_bits", (json_int_t)t->h.word_bits));

    free(ts.v);
    free(sends);
    free(recvs);

    FILE *f = fopen(out, "w");
    int ok = f != NULL, err = errno;
    if (f) {
        errno = 0;
        ok = json_dumpf(root, f, JSON_COMPACT | JSON_REAL_PRECISION(15)) == 0 &&
             fputc('\n', f) != EOF && fflush(f) == 0;
        err = errno;
        if (fclose(f) != 0 && ok) {
            ok = 0;
            err = errno;
        }
    }
    json_decref(root);
    if (!ok)
        die(1, "%s: cannot write: %s", out, err ? strerror(err) : "write error");
}

/* ---- serial: a trace printed by a hardware port ----
 * "KEEL-TRACE-BEGIN <bytes> <records dropped>" (numbers in C notation),
 * lines of hex digits (carriage returns and blanks ignored) holding the
 * trace file's bytes, "KEEL-TRACE-END".  The bytes are checked as a trace
 * before FILE is written. */
static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void cmd_serial(const char *log, const char *out)
{
    FILE *f = fopen(log, "r");
    if (!f)
        die(1, "%s: %s", log, strerror(errno));
    char line[4096];
    unsigned long long want = 0, dropped = 0;
    bool in = false, done = false;
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    unsigned long lineno = 0;
    while (!done && fgets(line, sizeof line, f)) {
        lineno++;
        if (!in) {
            char *p = strstr(line, "KEEL-TRACE-BEGIN");
            if (p && sscanf(p, "KEEL-TRACE-BEGIN %lli %lli", (long long *)&want,
                            (long long *)&dropped) == 2)
                in = true;
            continue;
        }
        if (strncmp(line, "KEEL-TRACE-END", 14) == 0) {
            done = true;
            break;
        }
        int hi = -1;
        for (char *c = line; *c; c++) {
            int v = hexval((unsigned char)*c);
            if (v < 0) {
                if (*c != '\r' && *c != '\n' && *c != ' ')
                    die(1, "%s:%lu: not a hex digit: '%c'", log, lineno, *c);
                continue;
            }
            if (hi < 0) {
                hi = v;
                continue;
            }
            buf = grow(buf, n, &cap, 1);
            buf[n++] = (unsigned char)(hi << 4 | v);
            hi = -1;
        }
        if (hi >= 0)
            die(1, "%s:%lu: odd number of hex digits", log, lineno);
    }
    fclose(f);
    if (!in)
        die(1, "%s: no KEEL-TRACE-BEGIN line (was the image built with TRACE=?)", log);
    if (!done)
        die(1, "%s: the trace is cut off (no KEEL-TRACE-END after %zu bytes)", log, n);
    if (n != want)
        die(1, "%s: the trace has %zu bytes, its BEGIN line says %llu", log, n, want);
    FILE *o = fopen(out, "wb");
    if (!o || fwrite(buf, 1, n, o) != n || fclose(o) != 0)
        die(1, "%s: cannot write: %s", out, strerror(errno));
    struct trace t;
    load(&t, out); /* a valid trace, or one line naming what is wrong */
    printf("ktrace: %s: %zu records from %s", out, t.n, log);
    if (dropped)
        printf(" (%llu more were dropped: the port's buffer was full)", dropped);
    printf("\n");
    free(t.rec);
    free(buf);
}

/* ---- main ---- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ktrace dump FILE\n"
            "       ktrace stats FILE\n"
            "       ktrace chrome FILE -o OUT.json\n"
            "       ktrace serial LOG -o FILE\n"
            "Reads a Keel kernel trace (keel-sim --trace FILE; see docs/trace-format.md).\n"
            "  dump    the header, then one decoded line per record\n"
            "  stats   CPU time and share, syscalls, IPC, faults and budget exhaustions\n"
            "          per thread; wake-up latency percentiles; interrupts by number\n"
            "  chrome  Chrome trace-event JSON: open it in the Perfetto UI\n"
            "          (https://ui.perfetto.dev, \"Open trace file\") or chrome://tracing\n"
            "  serial  extract the trace a hardware port printed on its console\n"
            "          (make ARCH=riscv64 run TRACE=FILE) into FILE\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "dump") != 0 && strcmp(cmd, "stats") != 0 && strcmp(cmd, "chrome") != 0 &&
        strcmp(cmd, "serial") != 0)
        die(2, "unknown command '%s' (commands: dump, stats, chrome, serial; see ktrace --help)",
            cmd);

    const char *file = NULL, *out = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0) {
            if (i + 1 == argc)
                die(2, "-o needs a file name");
            out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != 0) {
            die(2, "%s: unknown option '%s'", cmd, argv[i]);
        } else if (!file) {
            file = argv[i];
        } else {
            die(2, "%s: one trace FILE only ('%s' is extra)", cmd, argv[i]);
        }
    }
    if (!file)
        die(2, "%s needs a trace FILE", cmd);
    if (strcmp(cmd, "chrome") == 0 && !out)
        die(2, "chrome needs -o OUT.json");
    if (strcmp(cmd, "serial") == 0) {
        if (!out)
            die(2, "serial needs -o FILE");
        cmd_serial(file, out);
        return 0;
    }
    if (strcmp(cmd, "chrome") != 0 && out)
        die(2, "%s: -o is only for chrome and serial", cmd);

    struct trace t;
    load(&t, file);
    if (strcmp(cmd, "dump") == 0)
        cmd_dump(&t);
    else if (strcmp(cmd, "stats") == 0)
        cmd_stats(&t);
    else
        cmd_chrome(&t, out);
    free(t.rec);
    if (fflush(stdout) != 0 || ferror(stdout))
        die(1, "cannot write to standard output: %s", strerror(errno));
    return 0;
}
