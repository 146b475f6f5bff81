/*
 * visualizer/index.c - turns a checked trace (trace.c) into what keel-viz
 * draws and reports: one lane per thread, each with
 *
 *   - its state changes (running, ready, blocked, out of budget, inactive)
 *     and prefix sums of running and ready time at each change, so the
 *     time a thread ran or waited in any interval is two binary searches:
 *     a frame costs O(width x log n) per lane whatever the trace's size,
 *     with no pyramid to build;
 *   - the record indices of its events (all, and per marker type);
 *   - the IPC messages it sent, each paired with its receive (same a0);
 *   - statistics: CPU time, IPC counts, wake-up latencies.
 *
 * Plus the non-idle CPU time over the run, with prefix sums (the load
 * strip).  Lane order: by the priority of each thread's last PRIORITY
 * record, highest first (a thread without one has a new TCB's, 0), then
 * root (tid 1) before the others, then by tid; idle (0) last.
 *
 * How states are derived: a SWITCH makes its tid running and its stopped
 * thread (a0) ready (preempted, yielded), blocked, out of budget, inactive
 * (stopped) or, for idle, nothing; a STATE record sets the new state of a
 * thread that is not running (state "running" then means ready); an
 * IPC_RECV makes a blocked receiver ready.  A wake-up is such a change to
 * ready by STATE or IPC_RECV; its latency runs to the thread's next SWITCH
 * in.  Before the first SWITCH, the thread it names as stopped ran from
 * the first record on (docs/trace-format.md, "Who runs when").
 *
 * Called by main.c and bench.c (viz_index_build) and by draw.c and ui.c
 * (the queries).
 */
#include "viz.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_LANE UINT32_MAX

/* Make room for one more of n elements of size elem in *v; false if out of memory. */
static bool grow(void *vp, size_t n, size_t *cap, size_t elem)
{
    void **v = vp;
    if (n < *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : 16;
    void *nv = realloc(*v, nc * elem);
    if (!nv)
        return false;
    *v = nv;
    *cap = nc;
    return true;
}

static bool idx_push(struct viz_idx *x, uint32_t i)
{
    if (!grow(&x->v, x->n, &x->cap, sizeof *x->v))
        return false;
    x->v[x->n++] = i;
    return true;
}

/* ---- tid -> lane ---- */

static uint32_t hash32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    return x ^ (x >> 16);
}

static size_t slot_of(const struct viz_index *ix, uint32_t tid)
{
    size_t m = ix->hcap - 1, s = hash32(tid) & m;
    while (ix->hval[s] != NO_LANE && ix->hkey[s] != tid)
        s = (s + 1) & m;
    return s;
}

long viz_lane_of(const struct viz_index *ix, uint32_t tid)
{
    if (!ix->hcap)
        return -1;
    size_t s = slot_of(ix, tid);
    return ix->hval[s] == NO_LANE ? -1 : (long)ix->hval[s];
}

static bool hash_resize(struct viz_index *ix, size_t cap)
{
    uint32_t *ok = ix->hkey, *ov = ix->hval;
    size_t ocap = ix->hcap;
    ix->hkey = malloc(cap * sizeof *ix->hkey);
    ix->hval = malloc(cap * sizeof *ix->hval);
    if (!ix->hkey || !ix->hval) {
        free(ix->hkey);
        free(ix->hval);
        ix->hkey = ok;
        ix->hval = ov;
        return false;
    }
    ix->hcap = cap;
    memset(ix->hval, 0xff, cap * sizeof *ix->hval);
    for (size_t i = 0; i < ocap; i++) {
        if (ov[i] != NO_LANE) {
            size_t s = slot_of(ix, ok[i]);
            ix->hkey[s] = ok[i];
            ix->hval[s] = ov[i];
        }
    }
    free(ok);
    free(ov);
    return true;
}

/* Add tid as a new lane if it has none; -1 if out of memory or too many. */
static int add_thread(struct viz_index *ix, uint32_t tid, struct viz_err *e)
{
    if ((ix->nlanes + 1) * 2 > ix->hcap && !hash_resize(ix, ix->hcap ? ix->hcap * 2 : 64))
        return viz_fail(e, "out of memory indexing the threads");
    size_t s = slot_of(ix, tid);
    if (ix->hval[s] != NO_LANE)
        return 0;
    if (ix->nlanes == VIZ_MAX_LANES)
        return viz_fail(e, "more than %u threads: too many lanes to draw", VIZ_MAX_LANES);
    ix->hkey[s] = tid;
    ix->hval[s] = (uint32_t)ix->nlanes++;
    return 0;
}

/* Highest priority first (a thread with no PRIORITY record has a new
 * TCB's priority, 0), then root before the others, then by tid; idle last. */
static int lane_order(const void *a, const void *b)
{
    const struct viz_lane *la = a, *lb = b;
    uint32_t x = la->tid, y = lb->tid;
    if ((x == 0) != (y == 0))
        return x == 0 ? 1 : -1;
    int px = la->prio < 0 ? 0 : la->prio, py = lb->prio < 0 ? 0 : lb->prio;
    if (px != py)
        return py - px;
    int rx = x == 1 ? 0 : 1, ry = y == 1 ? 0 : 1;
    if (rx != ry)
        return rx - ry;
    return x < y ? -1 : x > y;
}

/* Every thread the records name (tid, and a SWITCH's stopped thread), as
 * lanes in display order. */
static int collect_lanes(struct viz_index *ix, struct viz_err *e)
{
    const struct viz_trace *t = ix->tr;
    for (size_t i = 0; i < t->n; i++) {
        if (add_thread(ix, t->rec[i].tid, e) != 0)
            return -1;
        if (t->rec[i].type == KEEL_TRACE_SWITCH && add_thread(ix, (uint32_t)t->rec[i].a0, e) != 0)
            return -1;
    }
    ix->lane = calloc(ix->nlanes ? ix->nlanes : 1, sizeof *ix->lane);
    if (!ix->lane)
        return viz_fail(e, "out of memory for %zu lanes", ix->nlanes);
    for (size_t s = 0; s < ix->hcap; s++)
        if (ix->hval[s] != NO_LANE) {
            ix->lane[ix->hval[s]].tid = ix->hkey[s];
            ix->lane[ix->hval[s]].prio = -1;
        }
    for (size_t i = 0; i < t->n; i++) /* the last priority each thread had */
        if (t->rec[i].type == KEEL_TRACE_PRIORITY)
            ix->lane[ix->hval[slot_of(ix, t->rec[i].tid)]].prio =
                t->rec[i].a0 > 255 ? 255 : (int)t->rec[i].a0;
    qsort(ix->lane, ix->nlanes, sizeof *ix->lane, lane_order);
    for (size_t i = 0; i < ix->nlanes; i++)
        ix->hval[slot_of(ix, ix->lane[i].tid)] = (uint32_t)i;
    return 0;
}

/* ---- building the lanes ---- */

struct builder {
    struct viz_index *ix;
    const struct viz_trace *t;
    long cur;                      /* the running lane, -1 if not known */
    bool oom;
    struct viz_idx psend, precv;   /* IPC records not paired on the spot */
};

/* p grown to n elements of elem bytes; p unchanged and *ok false if that
 * fails (or an earlier resize of the same batch failed). */
static void *resized(void *p, size_t n, size_t elem, bool *ok)
{
    void *q = *ok ? realloc(p, n * elem) : NULL;
    if (!q) {
        *ok = false;
        return p;
    }
    return q;
}

/* Room for one more state change in l (four parallel arrays). */
static bool grow_changes(struct viz_lane *l)
{
    if (l->nchg < l->capchg)
        return true;
    size_t nc = l->capchg ? l->capchg * 2 : 16;
    bool ok = true;
    l->ct = resized(l->ct, nc, sizeof *l->ct, &ok);
    l->crun = resized(l->crun, nc, sizeof *l->crun, &ok);
    l->crdy = resized(l->crdy, nc, sizeof *l->crdy, &ok);
    l->cs = resized(l->cs, nc, sizeof *l->cs, &ok);
    if (ok)
        l->capchg = nc;
    return ok;
}

/* Room for one more CPU change (three parallel arrays). */
static bool grow_cpu(struct viz_index *ix)
{
    if (ix->ncpu < ix->capcpu)
        return true;
    size_t nc = ix->capcpu ? ix->capcpu * 2 : 64;
    bool ok = true;
    ix->cput = resized(ix->cput, nc, sizeof *ix->cput, &ok);
    ix->ccum = resized(ix->ccum, nc, sizeof *ix->ccum, &ok);
    ix->cbusy = resized(ix->cbusy, nc, sizeof *ix->cbusy, &ok);
    if (ok)
        ix->capcpu = nc;
    return ok;
}

static void set_state(struct builder *b, struct viz_lane *l, uint64_t t, enum viz_state st)
{
    size_t n = l->nchg;
    if (l->tid == 0 && st == VS_READY)
        st = VS_NONE; /* idle is always ready to run: not worth a colour */
    if (n > 0 && l->cs[n - 1] == st)
        return;
    if (n > 0 && l->ct[n - 1] == t) { /* a state of no length: replace it */
        if (n > 1 && l->cs[n - 2] == st)
            l->nchg--;
        else
            l->cs[n - 1] = (uint8_t)st;
        return;
    }
    if (!grow_changes(l)) {
        b->oom = true;
        return;
    }
    uint64_t run = 0, rdy = 0;
    if (n > 0) {
        uint64_t d = t - l->ct[n - 1];
        run = l->crun[n - 1] + (l->cs[n - 1] == VS_RUNNING ? d : 0);
        rdy = l->crdy[n - 1] + (l->cs[n - 1] == VS_READY ? d : 0);
    }
    l->ct[n] = t;
    l->crun[n] = run;
    l->crdy[n] = rdy;
    l->cs[n] = (uint8_t)st;
    l->nchg = n + 1;
}

static void set_cpu(struct builder *b, uint64_t t, bool busy)
{
    struct viz_index *ix = b->ix;
    size_t n = ix->ncpu;
    if (n > 0 && ix->cbusy[n - 1] == busy)
        return;
    if (n > 0 && ix->cput[n - 1] == t) {
        if (n > 1 && ix->cbusy[n - 2] == busy)
            ix->ncpu--;
        else
            ix->cbusy[n - 1] = busy;
        return;
    }
    if (!grow_cpu(ix)) {
        b->oom = true;
        return;
    }
    ix->cput[n] = t;
    ix->ccum[n] = n ? ix->ccum[n - 1] + (ix->cbusy[n - 1] ? t - ix->cput[n - 1] : 0) : 0;
    ix->cbusy[n] = busy;
    ix->ncpu = n + 1;
}

static enum viz_state stopped_state(uint64_t reason)
{
    switch (reason) {
    case KEEL_TRACE_SW_BLOCKED:
        return VS_BLOCKED;
    case KEEL_TRACE_SW_PREEMPTED:
    case KEEL_TRACE_SW_YIELDED:
        return VS_READY;
    case KEEL_TRACE_SW_BUDGET:
        return VS_THROTTLED;
    case KEEL_TRACE_SW_STOPPED:
        return VS_INACTIVE;
    default:
        return VS_NONE;
    }
}

static struct viz_lane *lane_at(struct builder *b, uint32_t tid)
{
    return &b->ix->lane[viz_lane_of(b->ix, tid)]; /* every tid has one (collect_lanes) */
}

static void on_switch(struct builder *b, const struct keel_trace_rec *r)
{
    struct viz_lane *to = lane_at(b, r->tid), *from = lane_at(b, (uint32_t)r->a0);
    long to_i = to - b->ix->lane, from_i = from - b->ix->lane;
    if (from != to)
        set_state(b, from, r->time_ns, stopped_state(r->a1));
    if (b->cur >= 0 && b->cur != from_i && b->cur != to_i) /* the trace disagrees with itself */
        set_state(b, &b->ix->lane[b->cur], r->time_ns, VS_NONE);
    set_state(b, to, r->time_ns, VS_RUNNING);
    if (to->waking) {
        if (grow(&to->lat, to->nlat, &to->caplat, sizeof *to->lat))
            to->lat[to->nlat++] = r->time_ns - to->wake_at;
        else
            b->oom = true;
        to->waking = false;
    }
    b->cur = to_i;
    set_cpu(b, r->time_ns, r->tid != 0);
}

/* l became runnable at t (a STATE "running" or a message received). */
static void wake(struct builder *b, struct viz_lane *l, uint64_t t)
{
    if (l - b->ix->lane == b->cur || l->tid == 0)
        return;
    long k = l->nchg ? (long)l->nchg - 1 : -1;
    enum viz_state now = k >= 0 ? (enum viz_state)l->cs[k] : VS_NONE;
    if (now == VS_READY || now == VS_RUNNING)
        return;
    set_state(b, l, t, VS_READY);
    l->waking = true;
    l->wake_at = t;
}

static void on_state(struct builder *b, const struct keel_trace_rec *r, struct viz_lane *l)
{
    if (l - b->ix->lane == b->cur)
        return; /* the running thread's state shows in its next SWITCH */
    switch (r->a0) {
    case KEEL_TRACE_ST_RUNNING:
        wake(b, l, r->time_ns);
        break;
    case KEEL_TRACE_ST_INACTIVE:
        set_state(b, l, r->time_ns, VS_INACTIVE);
        l->waking = false;
        break;
    case KEEL_TRACE_ST_BLOCKED_SEND:
    case KEEL_TRACE_ST_BLOCKED_RECV:
    case KEEL_TRACE_ST_BLOCKED_REPLY:
    case KEEL_TRACE_ST_BLOCKED_NTFN:
        set_state(b, l, r->time_ns, VS_BLOCKED);
        l->waking = false;
        break;
    default:
        break;
    }
}

static void add_msg(struct builder *b, uint32_t s, uint32_t rv)
{
    const struct keel_trace_rec *sr = &b->t->rec[s], *rr = &b->t->rec[rv];
    struct viz_lane *l = lane_at(b, sr->tid);
    if (!grow(&l->sent, l->nsent, &l->capsent, sizeof *l->sent)) {
        b->oom = true;
        return;
    }
    l->sent[l->nsent++] = (struct viz_msg){
        .t = sr->time_ns, .send = s, .recv = rv,
        .to = (uint32_t)viz_lane_of(b->ix, rr->tid), .reply = rr->a2 != 0,
    };
    b->ix->nmsgs++;
}

/* An IPC record: paired with its neighbour when the two were written
 * together (the normal case), else kept for pair_rest(). */
static void on_ipc(struct builder *b, size_t i)
{
    const struct keel_trace_rec *r = &b->t->rec[i];
    if (r->type == KEEL_TRACE_IPC_SEND) {
        const struct keel_trace_rec *nx = i + 1 < b->t->n ? r + 1 : NULL;
        if (nx && nx->type == KEEL_TRACE_IPC_RECV && nx->a0 == r->a0)
            add_msg(b, (uint32_t)i, (uint32_t)i + 1);
        else if (!idx_push(&b->psend, (uint32_t)i))
            b->oom = true;
        return;
    }
    const struct keel_trace_rec *pv = i > 0 ? r - 1 : NULL;
    if (!(pv && pv->type == KEEL_TRACE_IPC_SEND && pv->a0 == r->a0) &&
        !idx_push(&b->precv, (uint32_t)i))
        b->oom = true;
    wake(b, lane_at(b, r->tid), r->time_ns);
}

static void on_record(struct builder *b, size_t i)
{
    const struct keel_trace_rec *r = &b->t->rec[i];
    struct viz_lane *l = lane_at(b, r->tid);
    struct viz_idx *mark = NULL;
    if (!idx_push(&l->recs, (uint32_t)i))
        b->oom = true;
    switch (r->type) {
    case KEEL_TRACE_SWITCH:
        on_switch(b, r);
        break;
    case KEEL_TRACE_STATE:
        on_state(b, r, l);
        break;
    case KEEL_TRACE_SYSCALL:
        l->n_sys++;
        break;
    case KEEL_TRACE_IPC_SEND:
        l->n_send++;
        on_ipc(b, i);
        break;
    case KEEL_TRACE_IPC_RECV:
        l->n_recv++;
        on_ipc(b, i);
        break;
    case KEEL_TRACE_IRQ:
        mark = &l->irq;
        b->ix->nirqs++;
        break;
    case KEEL_TRACE_BUDGET:
        mark = &l->budget;
        break;
    case KEEL_TRACE_FAULT:
        mark = &l->fault;
        break;
    case KEEL_TRACE_SIGNAL:
        mark = &l->signal;
        break;
    }
    if (mark && !idx_push(mark, (uint32_t)i))
        b->oom = true;
}

/* ---- pairing what on_ipc() could not, and the statistics ---- */

static const struct viz_trace *sort_trace; /* qsort has no context argument */

static int by_id(const void *a, const void *b)
{
    const struct keel_trace_rec *x = &sort_trace->rec[*(const uint32_t *)a];
    const struct keel_trace_rec *y = &sort_trace->rec[*(const uint32_t *)b];
    if (x->a0 != y->a0)
        return x->a0 < y->a0 ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int by_time(const void *a, const void *b)
{
    const struct viz_msg *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->send < y->send ? -1 : x->send > y->send;
}

static void pair_rest(struct builder *b)
{
    sort_trace = b->t;
    if (b->psend.n)
        qsort(b->psend.v, b->psend.n, sizeof *b->psend.v, by_id);
    if (b->precv.n)
        qsort(b->precv.v, b->precv.n, sizeof *b->precv.v, by_id);
    size_t i = 0, j = 0;
    while (i < b->psend.n && j < b->precv.n) {
        uint64_t s = b->t->rec[b->psend.v[i]].a0, r = b->t->rec[b->precv.v[j]].a0;
        if (s == r)
            add_msg(b, b->psend.v[i++], b->precv.v[j++]);
        else if (s < r)
            i++;
        else
            j++;
    }
    for (size_t k = 0; k < b->ix->nlanes && (b->psend.n || b->precv.n); k++) {
        struct viz_lane *l = &b->ix->lane[k];
        if (l->nsent > 1)
            qsort(l->sent, l->nsent, sizeof *l->sent, by_time);
    }
    free(b->psend.v);
    free(b->precv.v);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void lane_stats(struct viz_index *ix, struct viz_lane *l)
{
    l->cpu_ns = viz_lane_cum(l, ix->t_last, ix->t_last, false);
    l->lat_pending = l->waking ? 1 : 0;
    if (l->nlat == 0)
        return;
    qsort(l->lat, l->nlat, sizeof *l->lat, cmp_u64);
    double sum = 0;
    for (size_t i = 0; i < l->nlat; i++)
        sum += (double)l->lat[i];
    l->lat_mean = sum / (double)l->nlat;
    size_t rank = (99 * l->nlat + 99) / 100; /* nearest rank, as ktrace */
    l->lat_p99 = l->lat[rank - 1];
    l->lat_max = l->lat[l->nlat - 1];
}

int viz_index_build(struct viz_index *ix, const struct viz_trace *t, struct viz_err *e)
{
    memset(ix, 0, sizeof *ix);
    ix->tr = t;
    if (collect_lanes(ix, e) != 0)
        return -1;
    if (t->n == 0)
        return 0;
    ix->t_first = t->rec[0].time_ns;
    ix->t_last = t->rec[t->n - 1].time_ns;
    struct builder b = {.ix = ix, .t = t, .cur = -1};
    for (size_t i = 0; i < t->n && !ix->have_switch; i++) {
        if (t->rec[i].type == KEEL_TRACE_SWITCH) {
            ix->have_switch = true;
            b.cur = viz_lane_of(ix, (uint32_t)t->rec[i].a0);
            set_state(&b, &ix->lane[b.cur], ix->t_first, VS_RUNNING);
            set_cpu(&b, ix->t_first, t->rec[i].a0 != 0);
        }
    }
    for (size_t i = 0; i < t->n && !b.oom; i++)
        on_record(&b, i);
    pair_rest(&b);
    if (b.oom)
        return viz_fail(e, "out of memory indexing %zu records", t->n);
    for (size_t i = 0; i < ix->nlanes; i++)
        lane_stats(ix, &ix->lane[i]);
    return 0;
}

void viz_index_free(struct viz_index *ix)
{
    for (size_t i = 0; i < ix->nlanes && ix->lane; i++) {
        struct viz_lane *l = &ix->lane[i];
        free(l->ct);
        free(l->crun);
        free(l->crdy);
        free(l->cs);
        free(l->recs.v);
        free(l->irq.v);
        free(l->budget.v);
        free(l->fault.v);
        free(l->signal.v);
        free(l->sent);
        free(l->lat);
    }
    free(ix->lane);
    free(ix->cput);
    free(ix->ccum);
    free(ix->cbusy);
    free(ix->hkey);
    free(ix->hval);
    memset(ix, 0, sizeof *ix);
}

/* ---- queries ---- */

/* The last i < n with v[i] <= t, or -1. */
static long last_at_or_before(const uint64_t *v, size_t n, uint64_t t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

long viz_lane_change_at(const struct viz_lane *l, uint64_t t)
{
    return last_at_or_before(l->ct, l->nchg, t);
}

enum viz_state viz_lane_state_at(const struct viz_lane *l, uint64_t t)
{
    long k = viz_lane_change_at(l, t);
    return k < 0 ? VS_NONE : (enum viz_state)l->cs[k];
}

uint64_t viz_lane_cum(const struct viz_lane *l, uint64_t t_last, uint64_t t, bool ready)
{
    if (t > t_last)
        t = t_last;
    long k = viz_lane_change_at(l, t);
    if (k < 0)
        return 0;
    uint64_t v = ready ? l->crdy[k] : l->crun[k];
    if (l->cs[k] == (ready ? VS_READY : VS_RUNNING))
        v += t - l->ct[k];
    return v;
}

uint64_t viz_cpu_cum(const struct viz_index *ix, uint64_t t)
{
    if (t > ix->t_last)
        t = ix->t_last;
    long k = last_at_or_before(ix->cput, ix->ncpu, t);
    if (k < 0)
        return 0;
    return ix->ccum[k] + (ix->cbusy[k] ? t - ix->cput[k] : 0);
}

size_t viz_idx_lower(const struct viz_trace *tr, const struct viz_idx *x, uint64_t t)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tr->rec[x->v[mid]].time_ns < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t viz_msg_lower(const struct viz_lane *l, uint64_t t)
{
    size_t lo = 0, hi = l->nsent;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->sent[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int hit_rank(unsigned type)
{
    static const int rank[KEEL_TRACE_TYPE_COUNT] = {
        [KEEL_TRACE_FAULT] = 9,  [KEEL_TRACE_BUDGET] = 8, [KEEL_TRACE_IRQ] = 7,
        [KEEL_TRACE_IPC_SEND] = 6, [KEEL_TRACE_IPC_RECV] = 6, [KEEL_TRACE_SIGNAL] = 5,
        [KEEL_TRACE_SWITCH] = 4, [KEEL_TRACE_STATE] = 3,  [KEEL_TRACE_SYSCALL] = 2,
        [KEEL_TRACE_SYSCALL_EXIT] = 1,
    };
    return type < KEEL_TRACE_TYPE_COUNT ? rank[type] : 0;
}

long viz_hit_record(const struct viz_index *ix, const struct viz_lane *l, uint64_t lo,
                    uint64_t hi, uint64_t mid)
{
    const struct viz_trace *t = ix->tr;
    long best = -1;
    int best_rank = -1;
    uint64_t best_d = 0;
    size_t end = l->recs.n, i = viz_idx_lower(t, &l->recs, lo);
    if (end - i > 8192) /* a dense stretch: look at the nearest records only */
        end = i + 8192;
    for (; i < end && t->rec[l->recs.v[i]].time_ns <= hi; i++) {
        const struct keel_trace_rec *r = &t->rec[l->recs.v[i]];
        int rk = hit_rank(r->type);
        uint64_t d = r->time_ns > mid ? r->time_ns - mid : mid - r->time_ns;
        if (rk > best_rank || (rk == best_rank && d < best_d)) {
            best = (long)l->recs.v[i];
            best_rank = rk;
            best_d = d;
        }
    }
    return best;
}

const char *viz_thread_name(uint32_t tid, char *buf, size_t size)
{
    if (tid == 0)
        return "idle";
    if (tid == 1)
        return "root";
    snprintf(buf, size, "thread %" PRIu32, tid);
    return buf;
}
