/*
 * tests/tools/tracegen.h - writing synthetic kernel traces for the tools'
 * tests (tests/tools/ktrace-gen.c, tests/viz/viz-gen.c): a record as a
 * table row, the header, and a file made of a header (possibly cut
 * short), records and a cut-off record, every field little-endian as
 * docs/trace-format.md says, whatever the host.  Header-only: each
 * generator is one program.
 */
#ifndef KEEL_TESTS_TRACEGEN_H
#define KEEL_TESTS_TRACEGEN_H

#include <keel/trace.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One record of a synthetic run. */
struct ev {
    uint64_t t;
    uint16_t type;
    uint32_t tid;
    uint64_t a0, a1, a2;
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Store v little-endian in the n bytes of a field. */
static inline void tracegen_put(void *field, size_t n, uint64_t v)
{
    unsigned char *b = field;
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)(v >> 8 * i);
}
#define PUT(field, v) tracegen_put(&(field), sizeof(field), (v))

static inline void tracegen_header(struct keel_trace_header *h, uint64_t seed)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, KEEL_TRACE_MAGIC, sizeof KEEL_TRACE_MAGIC);
    PUT(h->version, KEEL_TRACE_VERSION);
    PUT(h->record_bytes, sizeof(struct keel_trace_rec));
    PUT(h->seed, seed);
    PUT(h->word_bits, 64);
    snprintf(h->system, sizeof h->system, "synthetic");
}

static inline void tracegen_record(struct keel_trace_rec *r, const struct ev *e)
{
    memset(r, 0, sizeof *r);
    PUT(r->time_ns, e->t);
    PUT(r->type, e->type);
    PUT(r->tid, e->tid);
    PUT(r->a0, e->a0);
    PUT(r->a1, e->a1);
    PUT(r->a2, e->a2);
}

/* Write dir/name: the header's first hbytes, the records, then the first
 * `partial` bytes of one more record (a copy of the first).  A failure
 * prints "prog: ..." and exits 1. */
static inline void tracegen_write(const char *prog, const char *dir, const char *name,
                                  const struct keel_trace_header *h, size_t hbytes,
                                  const struct ev *evs, size_t n, size_t partial)
{
    char path[4096];
    struct keel_trace_rec r;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        exit(1);
    }
    fwrite(h, 1, hbytes, f);
    for (size_t i = 0; i < n; i++) {
        tracegen_record(&r, &evs[i]);
        fwrite(&r, 1, sizeof r, f);
    }
    if (partial) {
        tracegen_record(&r, &evs[0]);
        fwrite(&r, 1, partial, f);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "%s: %s: cannot write\n", prog, path);
        exit(1);
    }
}

#endif /* KEEL_TESTS_TRACEGEN_H */
