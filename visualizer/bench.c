/*
 * visualizer/bench.c - keel-viz --bench [TRACE]: how long keel-viz takes
 * to load and index a one-million-record trace, and to draw one full
 * zoomed-out frame of it headless (software renderer, 1600x900 unless
 * --width/--height say otherwise; the mean of 20 frames after one
 * warm-up frame, which fills the text cache as a window's first frame
 * would).  Prints exactly
 *
 *   bench: viz_load_1m_events_ms <value> ms
 *   bench: viz_frame_ms_zoomed_out <value> ms
 *
 * Without TRACE it writes a synthetic trace of 1,000,000 records to a
 * temporary file first (not timed): 9 threads and idle with syscalls, IPC
 * calls and replies, wake-ups, preemptions by interrupts, yields, budget
 * exhaustions, faults and signals, from a fixed seed.  Called by main.c;
 * `make viz-bench` runs it.
 */
#include "viz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 10 /* tids 0 (idle) .. 9 */
#define BENCH_RECORDS 1000000u
#define FRAMES 20

struct gen {
    FILE *f;
    size_t n, max;
    uint64_t t, rng, msg;
    uint32_t cur;
    uint8_t blocked[NTHREADS];     /* 1: blocked, 0: runnable */
};

static uint64_t rnd(struct gen *g, uint64_t n)
{
    g->rng ^= g->rng << 13; /* xorshift64 */
    g->rng ^= g->rng >> 7;
    g->rng ^= g->rng << 17;
    return g->rng % n;
}

static void put(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> 8 * i);
}

static void emit(struct gen *g, uint16_t type, uint32_t tid, uint64_t a0, uint64_t a1, uint64_t a2)
{
    unsigned char b[40] = {0};
    if (g->n == g->max)
        return;
    put(b, g->t, 8);
    put(b + 8, type, 2);
    put(b + 12, tid, 4);
    put(b + 16, a0, 8);
    put(b + 24, a1, 8);
    put(b + 32, a2, 8);
    fwrite(b, 1, sizeof b, g->f);
    g->n++;
}

/* A runnable thread other than cur (idle if none), chosen at random. */
static uint32_t pick_ready(struct gen *g)
{
    uint32_t start = (uint32_t)rnd(g, NTHREADS - 1) + 1;
    for (uint32_t i = 0; i < NTHREADS - 1; i++) {
        uint32_t c = 1 + (start - 1 + i) % (NTHREADS - 1);
        if (c != g->cur && !g->blocked[c])
            return c;
    }
    return 0;
}

static void switch_to(struct gen *g, uint32_t to, uint64_t reason)
{
    if (reason == KEEL_TRACE_SW_BLOCKED || reason == KEEL_TRACE_SW_BUDGET)
        g->blocked[g->cur] = 1;
    emit(g, KEEL_TRACE_SWITCH, to, g->cur, g->cur == 0 ? KEEL_TRACE_SW_IDLE : reason, 1);
    g->cur = to;
}

/* Wake a blocked thread (if any); returns it, or 0. */
static uint32_t wake_one(struct gen *g)
{
    uint32_t start = (uint32_t)rnd(g, NTHREADS - 1) + 1;
    for (uint32_t i = 0; i < NTHREADS - 1; i++) {
        uint32_t c = 1 + (start - 1 + i) % (NTHREADS - 1);
        if (g->blocked[c] && c != g->cur) {
            g->blocked[c] = 0;
            emit(g, KEEL_TRACE_STATE, c, KEEL_TRACE_ST_RUNNING, KEEL_TRACE_ST_BLOCKED_RECV, 0);
            return c;
        }
    }
    return 0;
}

static void ipc(struct gen *g)
{
    uint32_t d = 1 + (uint32_t)rnd(g, NTHREADS - 1);
    if (d == g->cur || !g->blocked[d])
        return;
    g->msg++;
    emit(g, KEEL_TRACE_IPC_SEND, g->cur, g->msg, 0x1000, 0);
    emit(g, KEEL_TRACE_IPC_RECV, d, g->msg, g->cur, g->msg % 2);
    emit(g, KEEL_TRACE_STATE, d, KEEL_TRACE_ST_RUNNING, KEEL_TRACE_ST_BLOCKED_RECV, 0);
    g->blocked[d] = 0;
    if (rnd(g, 2))
        switch_to(g, d, KEEL_TRACE_SW_BLOCKED);
}

/* One step of the current thread: it runs a while, makes a syscall, then
 * something happens. */
static void step(struct gen *g)
{
    g->t += 100 + rnd(g, 1900);
    if (g->cur == 0) { /* idle until an interrupt wakes someone */
        emit(g, KEEL_TRACE_IRQ, 0, 5, 0, 0);
        uint32_t w = wake_one(g);
        if (w)
            switch_to(g, w, KEEL_TRACE_SW_IDLE);
        return;
    }
    emit(g, KEEL_TRACE_SYSCALL, g->cur, 1 + rnd(g, 11), 0x10, 0);
    emit(g, KEEL_TRACE_SYSCALL_EXIT, g->cur, 1, 0, KEEL_TRACE_ST_RUNNING);
    uint64_t r = rnd(g, 100);
    uint32_t w;
    if (r < 35)
        ipc(g);
    else if (r < 50)
        switch_to(g, pick_ready(g), KEEL_TRACE_SW_BLOCKED);
    else if (r < 60) {
        emit(g, KEEL_TRACE_IRQ, g->cur, rnd(g, 4), 0, 0);
        if ((w = wake_one(g)) != 0)
            switch_to(g, w, KEEL_TRACE_SW_PREEMPTED);
    } else if (r < 62) {
        emit(g, KEEL_TRACE_BUDGET, g->cur, g->cur, 1000, 0);
        switch_to(g, pick_ready(g), KEEL_TRACE_SW_BUDGET);
    } else if (r < 63) {
        emit(g, KEEL_TRACE_FAULT, g->cur, 3, 0x1000, 0);
    } else if (r < 68) {
        w = wake_one(g);
        emit(g, KEEL_TRACE_SIGNAL, g->cur, 0xffff0000u, 1, w ? w + 1 : 0);
    } else if (r < 73) {
        switch_to(g, pick_ready(g), KEEL_TRACE_SW_YIELDED);
    }
}

int viz_bench_write(const char *path, size_t n, struct viz_err *e)
{
    unsigned char h[64] = {0};
    struct gen g = {.max = n, .rng = 0x9e3779b97f4a7c15u, .t = 1000, .cur = 1};
    g.f = fopen(path, "wb");
    if (!g.f)
        return viz_fail(e, "%s: cannot create the bench trace", path);
    memcpy(h, KEEL_TRACE_MAGIC, 8);
    put(h + 8, KEEL_TRACE_VERSION, 4);
    put(h + 12, sizeof(struct keel_trace_rec), 4);
    put(h + 24, 64, 4);
    memcpy(h + 32, "viz-bench", 10);
    fwrite(h, 1, sizeof h, g.f);
    for (int i = 2; i < NTHREADS; i++)
        g.blocked[i] = 1;
    emit(&g, KEEL_TRACE_SWITCH, 1, 0, KEEL_TRACE_SW_IDLE, 0);
    while (g.n < g.max)
        step(&g);
    int bad = ferror(g.f);
    if (fclose(g.f) != 0 || bad)
        return viz_fail(e, "%s: cannot write the bench trace", path);
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Mean ms of one zoomed-out frame (after a warm-up frame), or -1. */
static double frame_ms(const struct viz_index *ix, int w, int h, struct viz_err *e)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = s ? SDL_CreateSoftwareRenderer(s) : NULL;
    struct viz_text *tx = r ? viz_text_open(r, e) : NULL;
    double ms = -1;
    if (tx) {
        struct viz_view v = {.from = ix->t_first, .to = ix->t_last, .arrows = true,
                             .mouse_x = -1, .mouse_y = -1};
        struct viz_layout lo;
        if (v.to <= v.from)
            v.to = v.from + 100;
        viz_layout_compute(&lo, ix, w, h, 0);
        viz_draw_frame(r, tx, ix, &lo, &v);
        SDL_RenderPresent(r);
        double t0 = now_ms();
        for (int i = 0; i < FRAMES; i++) {
            viz_draw_frame(r, tx, ix, &lo, &v);
            SDL_RenderPresent(r);
        }
        ms = (now_ms() - t0) / FRAMES;
        viz_text_close(tx);
    } else if (!r) {
        viz_fail(e, "cannot make a software renderer: %s", SDL_GetError());
    }
    if (r)
        SDL_DestroyRenderer(r);
    SDL_FreeSurface(s);
    return ms;
}

int viz_bench(const char *trace, int w, int h)
{
    struct viz_err e;
    char tmp[] = "/tmp/keel-viz-bench-XXXXXX";
    const char *path = trace;
    if (!trace) {
        int fd = mkstemp(tmp);
        if (fd < 0 || close(fd) != 0 || viz_bench_write(tmp, BENCH_RECORDS, &e) != 0) {
            fprintf(stderr, "keel-viz: bench: %s\n", fd < 0 ? "cannot create a temporary file" : e.msg);
            unlink(tmp);
            return 1;
        }
        path = tmp;
    }
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    struct viz_trace t;
    struct viz_index ix;
    double t0 = now_ms();
    int rc = viz_trace_load(&t, path, &e);
    if (rc == 0 && (rc = viz_index_build(&ix, &t, &e)) != 0)
        viz_trace_free(&t);
    double load = now_ms() - t0;
    if (!trace)
        unlink(tmp);
    if (rc != 0) {
        fprintf(stderr, "keel-viz: %s\n", e.msg);
        return 1;
    }
    double frame = frame_ms(&ix, w, h, &e);
    viz_index_free(&ix);
    viz_trace_free(&t);
    if (frame < 0) {
        fprintf(stderr, "keel-viz: %s\n", e.msg);
        return 1;
    }
    printf("bench: viz_load_1m_events_ms %.1f ms\n", load);
    printf("bench: viz_frame_ms_zoomed_out %.2f ms\n", frame);
    return 0;
}
