/*
 * visualizer/trace.c - reads a Keel kernel trace file for keel-viz.
 *
 * The format is docs/trace-format.md (struct keel_trace_header, then
 * 40-byte little-endian struct keel_trace_rec records).  The checks are
 * those of tools/ktrace: a file too short for the header, a wrong magic, a
 * version other than KEEL_TRACE_VERSION, a record size other than 40, a
 * truncated last record, a record of unknown type, a time that goes back,
 * a SWITCH whose stopped thread is not a 32-bit trace id.  Each gives -1
 * and one line in a struct viz_err naming the file, the problem and,
 * for a record, its offset.  Called by main.c, bench.c and the fuzz test
 * (tests/viz/viz-fuzz.c, which feeds viz_trace_parse() mutated buffers).
 */
#include "viz.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

_Static_assert(sizeof(struct keel_trace_header) == 64, "the header is 64 bytes");
_Static_assert(sizeof(struct keel_trace_rec) == 40, "a record is 40 bytes");
_Static_assert(sizeof KEEL_TRACE_MAGIC == 8, "the magic fills 8 bytes");

int viz_fail(struct viz_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    for (char *c = e->msg; *c; c++) /* one line, whatever the file name holds */
        if (*c == '\n' || *c == '\r')
            *c = '?';
    return -1;
}

/* The little-endian value of n bytes at p. */
static uint64_t le(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    while (n-- > 0)
        v = v << 8 | p[n];
    return v;
}

static size_t rec_offset(size_t i)
{
    return sizeof(struct keel_trace_header) + i * sizeof(struct keel_trace_rec);
}

static int parse_header(struct viz_trace *t, const unsigned char *buf, size_t size,
                        const char *name, struct viz_err *e)
{
    const size_t hsize = sizeof(struct keel_trace_header);
    if (size < hsize)
        return viz_fail(e, "%s: %zu bytes, too short for the %zu-byte trace header", name, size,
                        hsize);
    if (memcmp(buf, KEEL_TRACE_MAGIC, 8) != 0)
        return viz_fail(e, "%s: not a Keel trace (bad magic)", name);
    t->version = (uint32_t)le(buf + 8, 4);
    uint32_t record_bytes = (uint32_t)le(buf + 12, 4);
    t->seed = le(buf + 16, 8);
    t->word_bits = (uint32_t)le(buf + 24, 4);
    if (t->version != KEEL_TRACE_VERSION)
        return viz_fail(e, "%s: unsupported trace version %" PRIu32 " (keel-viz reads version %u)",
                        name, t->version, KEEL_TRACE_VERSION);
    if (record_bytes != sizeof(struct keel_trace_rec))
        return viz_fail(e, "%s: record size %" PRIu32 " bytes in the header, expected %zu", name,
                        record_bytes, sizeof(struct keel_trace_rec));
    size_t i;
    for (i = 0; i < 32 && buf[32 + i]; i++) {
        unsigned char c = buf[32 + i];
        t->system[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    t->system[i] = 0;
    return 0;
}

/* Decode record i from p and check it against the one before. */
static int parse_record(struct viz_trace *t, size_t i, const unsigned char *p, const char *name,
                        struct viz_err *e)
{
    struct keel_trace_rec *r = &t->rec[i];
    r->time_ns = le(p, 8);
    r->type = (uint16_t)le(p + 8, 2);
    r->cpu = (uint16_t)le(p + 10, 2);
    r->tid = (uint32_t)le(p + 12, 4);
    r->a0 = le(p + 16, 8);
    r->a1 = le(p + 24, 8);
    r->a2 = le(p + 32, 8);
    if (r->type == 0 || r->type >= KEEL_TRACE_TYPE_COUNT)
        return viz_fail(e, "%s: unknown record type %u at offset %zu", name, (unsigned)r->type,
                        rec_offset(i));
    if (i > 0 && r->time_ns < r[-1].time_ns)
        return viz_fail(e,
                        "%s: record at offset %zu goes back in time (%" PRIu64 " ns after %" PRIu64
                        " ns)",
                        name, rec_offset(i), r->time_ns, r[-1].time_ns);
    if (r->type == KEEL_TRACE_SWITCH && r->a0 > UINT32_MAX)
        return viz_fail(e,
                        "%s: switch record at offset %zu: stopped thread %" PRIu64
                        " is not a trace id",
                        name, rec_offset(i), r->a0);
    return 0;
}

int viz_trace_parse(struct viz_trace *t, const unsigned char *buf, size_t size, const char *name,
                    struct viz_err *e)
{
    const size_t hsize = sizeof(struct keel_trace_header), rsize = sizeof(struct keel_trace_rec);
    memset(t, 0, sizeof *t);
    if (parse_header(t, buf, size, name, e) != 0)
        return -1;
    size_t body = size - hsize, n = body / rsize;
    if (body % rsize != 0)
        return viz_fail(e, "%s: truncated record at offset %zu (%zu of %zu bytes)", name,
                        rec_offset(n), body % rsize, rsize);
    if (n > UINT32_MAX)
        return viz_fail(e, "%s: %zu records, more than keel-viz can index", name, n);
    t->rec = malloc(n ? n * sizeof *t->rec : 1);
    if (!t->rec)
        return viz_fail(e, "%s: out of memory for %zu records", name, n);
    for (size_t i = 0; i < n; i++) {
        if (parse_record(t, i, buf + rec_offset(i), name, e) != 0) {
            viz_trace_free(t);
            return -1;
        }
    }
    t->n = n;
    return 0;
}

/* The whole of path in a malloc'd buffer. */
static unsigned char *read_file(const char *path, size_t *size, struct viz_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        viz_fail(e, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    size_t cap = fstat(fileno(f), &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
    size_t len = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap || ferror(f))
            break;
        unsigned char *nb = realloc(buf, cap * 2);
        if (!nb)
            free(buf);
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f), err = errno;
    fclose(f);
    if (!buf) {
        viz_fail(e, "%s: out of memory reading the file", path);
    } else if (bad) {
        viz_fail(e, "%s: cannot read: %s", path, strerror(err));
        free(buf);
        buf = NULL;
    }
    *size = len;
    return buf;
}

int viz_trace_load(struct viz_trace *t, const char *path, struct viz_err *e)
{
    size_t size;
    unsigned char *buf = read_file(path, &size, e);
    if (!buf)
        return -1;
    int rc = viz_trace_parse(t, buf, size, path, e);
    free(buf);
    return rc;
}

void viz_trace_free(struct viz_trace *t)
{
    free(t->rec);
    t->rec = NULL;
    t->n = 0;
}
