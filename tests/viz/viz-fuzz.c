/*
 * tests/viz/viz-fuzz.c - a brief, deterministic fuzz of keel-viz's reader,
 * index and drawing (visualizer/trace.c, index.c, draw.c, ui.c), built with
 * ASan and UBSan by visualizer/viz.mk so that any out-of-bounds access,
 * overflow or leak stops it:
 *
 *   viz-fuzz GOOD.ktr COUNT OUTDIR KEEP
 *
 * makes COUNT mutated copies (flipped bytes, truncations, extreme field
 * values, changed types, copied records, shifted times, header damage) of
 * two seeds, GOOD.ktr and a 400-record trace from bench.c's generator.
 * Each goes through viz_trace_parse(); a refusal must be one non-empty
 * line; an accepted trace is indexed and drawn (whole, zoomed in at a
 * random place, with the details box at a random pointer) on a software
 * renderer, 480x300 or (one in four) 200x150, the smallest keel-viz draws.  Every KEEP-th input is also written to OUTDIR for test-viz to
 * run through the real keel-viz.  It also checks ui.c's syscall and fault
 * names against keel/syscall.h and keel/fault.h (keel-viz itself may not
 * include them).  Prints one line; exit 1 on any failure.
 */
#include "viz.h"

#include <keel/fault.h>
#include <keel/syscall.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x243f6a8885a308d3u;

static uint64_t rnd(uint64_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? rng % n : 0;
}

static int names_agree(void)
{
    static const struct {
        uint64_t n;
        const char *name;
    } sys[] = {{KEEL_SYS_CALL, "Call"}, {KEEL_SYS_REPLY_RECV, "ReplyRecv"},
               {KEEL_SYS_NB_SEND_RECV, "NBSendRecv"}, {KEEL_SYS_NB_SEND_WAIT, "NBSendWait"},
               {KEEL_SYS_SEND, "Send"}, {KEEL_SYS_NB_SEND, "NBSend"}, {KEEL_SYS_RECV, "Recv"},
               {KEEL_SYS_NB_RECV, "NBRecv"}, {KEEL_SYS_WAIT, "Wait"}, {KEEL_SYS_NB_WAIT, "NBWait"},
               {KEEL_SYS_YIELD, "Yield"}, {KEEL_SYS_DEBUG_PUTCHAR, "DebugPutChar"},
               {KEEL_SYS_DEBUG_HALT, "DebugHalt"}, {KEEL_SYS_DEBUG_CAP_IDENTIFY, "DebugCapIdentify"},
               {KEEL_SYS_DEBUG_SNAPSHOT, "DebugSnapshot"}},
      fault[] = {{KEEL_FAULT_NULL, "NullFault"}, {KEEL_FAULT_CAP, "CapFault"},
                 {KEEL_FAULT_UNKNOWN_SYSCALL, "UnknownSyscall"},
                 {KEEL_FAULT_USER_EXCEPTION, "UserException"}, {KEEL_FAULT_TIMEOUT, "Timeout"},
                 {KEEL_FAULT_VM, "VMFault"}};
    for (size_t i = 0; i < sizeof sys / sizeof sys[0]; i++) {
        const char *n = viz_syscall_name(sys[i].n);
        if (!n || strcmp(n, sys[i].name) != 0) {
            fprintf(stderr, "viz-fuzz: syscall %llu is %s, keel/syscall.h says %s\n",
                    (unsigned long long)sys[i].n, n ? n : "(none)", sys[i].name);
            return -1;
        }
    }
    for (size_t i = 0; i < sizeof fault / sizeof fault[0]; i++) {
        const char *n = viz_fault_name(fault[i].n);
        if (!n || strcmp(n, fault[i].name) != 0) {
            fprintf(stderr, "viz-fuzz: fault %llu is %s, keel/fault.h says %s\n",
                    (unsigned long long)fault[i].n, n ? n : "(none)", fault[i].name);
            return -1;
        }
    }
    return 0;
}

static unsigned char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = malloc(1 << 20);
    if (!f || !buf) {
        fprintf(stderr, "viz-fuzz: cannot read %s\n", path);
        exit(1);
    }
    *size = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> 8 * i);
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* One mutation of buf (n bytes, room for cap); returns the new size. */
static size_t mutate(unsigned char *buf, size_t n, size_t cap)
{
    static const uint64_t extreme[] = {0, 1, 0xffffffffu, 0x100000000u, UINT64_MAX,
                                       (uint64_t)1 << 63, UINT64_MAX - 1};
    size_t nrec = n > 64 ? (n - 64) / 40 : 0, r = 64 + 40 * rnd(nrec ? nrec : 1);
    switch (rnd(9)) {
    case 0: /* flip bytes anywhere */
        for (int k = 1 + (int)rnd(8); k > 0 && n; k--)
            buf[rnd(n)] ^= (unsigned char)(1 + rnd(255));
        return n;
    case 1: /* cut */
        return rnd(n + 1);
    case 2: /* random bytes in a record's tid and arguments: time and type kept */
        if (nrec)
            for (int k = 1 + (int)rnd(6); k > 0; k--)
                buf[r + 12 + rnd(28)] = (unsigned char)rnd(256);
        return n;
    case 3: /* an extreme value in tid, a0, a1 or a2 */
        if (nrec) {
            uint64_t v = extreme[rnd(sizeof extreme / sizeof extreme[0])];
            size_t field = rnd(4);
            if (field == 0)
                for (int i = 0; i < 4; i++)
                    buf[r + 12 + i] = (unsigned char)(v >> 8 * i);
            else
                put64(buf + r + 8 + 8 * field, v);
        }
        return n;
    case 4: /* another (valid) type */
        if (nrec)
            buf[r + 8] = (unsigned char)(1 + rnd(KEEL_TRACE_TYPE_COUNT - 1)), buf[r + 9] = 0;
        return n;
    case 5: /* a record copied over another */
        if (nrec > 1)
            memmove(buf + r, buf + 64 + 40 * rnd(nrec), 40);
        return n;
    case 6: { /* every time shifted up to the top of the range */
        uint64_t last = nrec ? get64(buf + 64 + 40 * (nrec - 1)) : 0, add = UINT64_MAX - last - rnd(3);
        for (size_t i = 0; i < nrec; i++)
            put64(buf + 64 + 40 * i, get64(buf + 64 + 40 * i) + add);
        return n;
    }
    case 7: /* records appended: copies of the last */
        for (int k = (int)rnd(4); k > 0 && nrec && n + 40 <= cap; k--, n += 40)
            memcpy(buf + n, buf + n - 40, 40);
        return n;
    default: /* the header: version, record size, magic, system name */
        if (n >= 64)
            buf[rnd(4) == 0 ? rnd(8) : 8 + rnd(56)] ^= (unsigned char)(1 + rnd(255));
        return n;
    }
}

struct canvas {
    SDL_Surface *s;
    SDL_Renderer *r;
    struct viz_text *tx;
};

/* Draw ix whole, then zoomed in at a random place with the pointer somewhere. */
static void draw(struct canvas *c, const struct viz_index *ix)
{
    struct viz_layout lo;
    struct viz_view v = {.from = ix->t_first, .to = ix->t_last, .arrows = true, .mouse_x = -1,
                         .mouse_y = -1, .interactive = rnd(2)};
    char lines[8][VIZ_LINE];
    if (v.to - v.from < 100) {
        v.from = v.from > UINT64_MAX - 100 ? UINT64_MAX - 100 : v.from;
        v.to = v.from + 100;
    }
    viz_layout_compute(&lo, ix, c->s->w, c->s->h, rnd(3));
    viz_draw_frame(c->r, c->tx, ix, &lo, &v);
    uint64_t span = v.to - v.from, a = v.from + rnd(span), b;
    a = a == UINT64_MAX ? a - 1 : a;
    b = a + 1 + rnd(span / 3 + 1);
    v.from = a;
    v.to = b > a ? b : UINT64_MAX;
    v.mouse_x = (int)rnd((uint64_t)c->s->w);
    v.mouse_y = (int)rnd((uint64_t)c->s->h);
    viz_draw_frame(c->r, c->tx, ix, &lo, &v);
    viz_details(ix, &lo, &v, lines, 8);
    SDL_RenderPresent(c->r);
}

/* Parse, index, draw; 1 if drawn, 0 if refused well, -1 on a bad refusal. */
static int one(struct canvas *c, const unsigned char *buf, size_t n, int i)
{
    struct viz_trace t;
    struct viz_index ix;
    struct viz_err e = {{0}};
    int rc = viz_trace_parse(&t, buf, n, "fuzz", &e);
    if (rc == 0) {
        rc = viz_index_build(&ix, &t, &e);
        if (rc == 0) {
            draw(c, &ix);
            viz_index_free(&ix);
        }
        viz_trace_free(&t);
    }
    if (rc == 0)
        return 1;
    if (!e.msg[0] || strchr(e.msg, '\n')) {
        fprintf(stderr, "viz-fuzz: input %d: a bad error message: '%s'\n", i, e.msg);
        return -1;
    }
    return 0;
}

static void keep(const char *dir, int i, const unsigned char *buf, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/fuzz-%04d.ktr", dir, i);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "viz-fuzz: cannot write %s\n", path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    struct viz_err e;
    struct canvas c[2];
    char gen[4096];
    size_t size[2];
    if (argc != 5) {
        fprintf(stderr, "usage: viz-fuzz GOOD.ktr COUNT OUTDIR KEEP\n");
        return 2;
    }
    int count = atoi(argv[2]), every = atoi(argv[4]), drawn = 0, refused = 0;
    snprintf(gen, sizeof gen, "%s/seed-bench.ktr", argv[3]);
    if (names_agree() != 0 || viz_bench_write(gen, 400, &e) != 0)
        return 1;
    unsigned char *seed[2] = {slurp(argv[1], &size[0]), slurp(gen, &size[1])};
    for (int k = 0; k < 2; k++) { /* a small picture, and the smallest keel-viz draws */
        c[k].s = SDL_CreateRGBSurfaceWithFormat(0, k ? 200 : 480, k ? 150 : 300, 32,
                                                SDL_PIXELFORMAT_ARGB8888);
        c[k].r = c[k].s ? SDL_CreateSoftwareRenderer(c[k].s) : NULL;
        c[k].tx = c[k].r ? viz_text_open(c[k].r, &e) : NULL;
        if (!c[k].tx) {
            fprintf(stderr, "viz-fuzz: cannot draw: %s\n", c[k].r ? e.msg : SDL_GetError());
            return 1;
        }
    }
    size_t cap = size[0] > size[1] ? size[0] + 400 : size[1] + 400;
    unsigned char *buf = malloc(cap);
    for (int i = 0; i < count && buf; i++) {
        int s = (int)rnd(2);
        size_t n = size[s];
        memcpy(buf, seed[s], n);
        for (int k = 1 + (int)rnd(3); k > 0; k--)
            n = mutate(buf, n, cap);
        if (every > 0 && i % every == 0)
            keep(argv[3], i, buf, n);
        int rc = one(&c[rnd(4) == 0], buf, n, i);
        if (rc < 0)
            return 1;
        drawn += rc;
        refused += !rc;
    }
    for (int k = 0; k < 2; k++) {
        viz_text_close(c[k].tx);
        SDL_DestroyRenderer(c[k].r);
        SDL_FreeSurface(c[k].s);
    }
    TTF_Quit();
    free(buf);
    free(seed[0]);
    free(seed[1]);
    printf("viz-fuzz: %d mutated traces: %d drawn, %d refused with one line; "
           "syscall and fault names agree with keel/syscall.h and keel/fault.h\n",
           count, drawn, refused);
    return 0;
}
