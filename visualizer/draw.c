/*
 * visualizer/draw.c - the picture keel-viz draws, on any SDL_Renderer (the
 * window's, or a software renderer on a surface for --png and --bench).
 *
 * viz_layout_compute() decides where everything goes; viz_draw_frame()
 * draws the title, the CPU-load strip, the time axis, one lane per thread
 * (running solid, ready light and hatched, blocked a thin grey line, out of
 * budget a dashed amber line, inactive or unknown empty), the markers
 * (interrupts, budget exhaustions, faults, signals), the IPC arrows from
 * sender to receiver, the legend, then ui.c's side panel and details box.
 *
 * Level of detail: every lane is drawn column by column from index.c's
 * prefix sums (the running and ready share of each pixel column: two
 * binary searches), and neighbouring columns that look the same are merged
 * into one rectangle, so a lane costs at most one rectangle per column
 * however many events the trace has.  Markers and arrows are stepped
 * through with binary searches that skip to the next free pixel column:
 * O(width) primitives per lane at any zoom; when a lane has many markers
 * in view they shrink to ticks, and IPC arrows turn thin and translucent,
 * then (over two a column) are left out with a note under the legend.  A
 * partly running column is drawn in a paler shade of the lane's colour (16
 * steps of its running share).  Rectangles are batched by colour and
 * triangles go in one geometry call.  Colours: a thread keeps its colour
 * (by tid) in every trace; --layout prints them for the tests.
 */
#include "viz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct viz_rgb viz_ipc_rgb = {20, 30, 120}, viz_reply_rgb = {0, 110, 70},
                     viz_irq_rgb = {120, 0, 160}, viz_budget_rgb = {240, 150, 0},
                     viz_fault_rgb = {215, 25, 28}, viz_blocked_rgb = {150, 150, 155},
                     viz_cpu_rgb = {70, 110, 160};
static const struct viz_rgb bg_rgb = {250, 250, 250}, lane_bg[2] = {{255, 255, 255},
                                                                    {241, 243, 246}};
static const struct viz_rgb ink = {30, 30, 30}, grid_rgb = {222, 224, 228},
                            title_bg = {38, 44, 56}, white = {255, 255, 255},
                            ink_muted = {110, 114, 122};
static const struct viz_rgb palette[] = {
    {76, 114, 176}, {85, 168, 104}, {129, 114, 178}, {204, 165, 80},  {100, 181, 205},
    {140, 86, 75},  {160, 170, 60}, {227, 119, 194}, {95, 130, 150},  {180, 120, 90},
};
static const struct viz_rgb idle_rgb = {160, 160, 160};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct viz_rgb viz_lane_colour(const struct viz_lane *l)
{
    if (l->tid == 0)
        return idle_rgb;
    /* by tid, so a thread keeps its colour whatever else the trace holds */
    return palette[(l->tid - 1) % N_ELEMS(palette)];
}

static struct viz_rgb mix(struct viz_rgb a, struct viz_rgb b, double f)
{
    return (struct viz_rgb){(uint8_t)lround(a.r + (b.r - a.r) * f),
                            (uint8_t)lround(a.g + (b.g - a.g) * f),
                            (uint8_t)lround(a.b + (b.b - a.b) * f)};
}

/* ---- layout and coordinates ---- */

void viz_layout_compute(struct viz_layout *lo, const struct viz_index *ix, int w, int h,
                        size_t scroll)
{
    memset(lo, 0, sizeof *lo);
    lo->w = w;
    lo->h = h;
    lo->title_h = 26;
    lo->panel_w = w >= 1000 ? (w / 4 < 330 ? 330 : w / 4 > 420 ? 420 : w / 4) : 0;
    lo->panel_x = w - lo->panel_w;
    lo->label_w = w >= 500 ? 96 : 64;
    lo->plot_x = lo->label_w;
    lo->plot_w = lo->panel_x - lo->plot_x - 12;
    if (lo->plot_w < 16)
        lo->plot_w = 16;
    lo->cpu_x = lo->plot_x;
    lo->cpu_w = lo->plot_w;
    lo->cpu_y = lo->title_h + 8;
    lo->cpu_h = h >= 400 ? 40 : 20;
    lo->axis_y = lo->cpu_y + lo->cpu_h + 2;
    lo->axis_h = 20;
    lo->plot_y = lo->axis_y + lo->axis_h;
    lo->plot_h = h - lo->plot_y - 26; /* the legend below */
    if (lo->plot_h < 0)
        lo->plot_h = 0;
    size_t n = ix->nlanes ? ix->nlanes : 1;
    int lh = (int)(lo->plot_h / (int)(n < 1000 ? n : 1000));
    lo->lane_h = lh < 16 ? 16 : lh > 60 ? 60 : lh;
    lo->band_off = lo->lane_h / 7 < 2 ? 2 : lo->lane_h / 7;
    lo->band_h = lo->lane_h - 2 * lo->band_off;
    size_t fit = (size_t)(lo->plot_h / lo->lane_h);
    if (scroll + fit > ix->nlanes)
        scroll = ix->nlanes > fit ? ix->nlanes - fit : 0;
    lo->first_lane = scroll;
    lo->nvisible = ix->nlanes - scroll < fit ? ix->nlanes - scroll : fit;
}

int viz_lane_y(const struct viz_layout *lo, size_t i)
{
    if (i < lo->first_lane || i >= lo->first_lane + lo->nvisible)
        return -1;
    return lo->plot_y + (int)(i - lo->first_lane) * lo->lane_h;
}

static double rel(uint64_t t, uint64_t from)
{
    return t >= from ? (double)(t - from) : -(double)(from - t);
}

double viz_time_x(const struct viz_layout *lo, const struct viz_view *v, uint64_t t)
{
    return lo->plot_x + rel(t, v->from) * lo->plot_w / (double)(v->to - v->from);
}

uint64_t viz_col_time(const struct viz_layout *lo, const struct viz_view *v, int col)
{
    if (col <= 0)
        return v->from;
    if (col >= lo->plot_w)
        return v->to;
    return v->from + (uint64_t)((double)col * (double)(v->to - v->from) / lo->plot_w);
}

/* ---- batched primitives ---- */

struct frame {
    SDL_Renderer *r;
    struct viz_text *tx;
    const struct viz_index *ix;
    const struct viz_layout *lo;
    const struct viz_view *v;
    SDL_Vertex *vx;                /* triangles, drawn in one call at the end */
    int nvx, capvx;
    SDL_Rect *rb;                  /* a rectangle batch */
    struct seg {
        int x0, x1;
        uint8_t key;
    } *seg;                        /* a lane's merged columns */
    size_t arrows_hidden;          /* IPC arrows too many to draw */
};

static void tri(struct frame *f, float x0, float y0, float x1, float y1, float x2, float y2,
                struct viz_rgb c, uint8_t a)
{
    if (f->nvx + 3 > f->capvx) {
        int nc = f->capvx ? f->capvx * 2 : 1024;
        SDL_Vertex *nv = realloc(f->vx, (size_t)nc * sizeof *nv);
        if (!nv)
            return; /* out of memory: the marker is not drawn */
        f->vx = nv;
        f->capvx = nc;
    }
    SDL_Color col = {c.r, c.g, c.b, a};
    SDL_Vertex *p = &f->vx[f->nvx];
    p[0] = (SDL_Vertex){{x0, y0}, col, {0, 0}};
    p[1] = (SDL_Vertex){{x1, y1}, col, {0, 0}};
    p[2] = (SDL_Vertex){{x2, y2}, col, {0, 0}};
    f->nvx += 3;
}

static void flush_tris(struct frame *f)
{
    if (f->nvx > 0)
        SDL_RenderGeometry(f->r, NULL, f->vx, f->nvx, NULL, 0);
    f->nvx = 0;
}

static void set_colour(SDL_Renderer *r, struct viz_rgb c, uint8_t a)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, a);
}

/* ---- lanes ---- */

/* Segment keys: 0 nothing, 1 blocked, 2 out of budget, 3 ready, then
 * running at intensity key - 4 (1..16 sixteenths of the column). */
enum { K_NONE, K_BLOCKED, K_THROTTLED, K_READY, K_RUN0, K_COUNT = K_RUN0 + 17 };

/* The key of the column [ta, tb) from the lane's running and ready ns. */
static uint8_t column_key(const struct viz_index *ix, const struct viz_lane *l, uint64_t ta,
                          uint64_t tb, uint64_t drun, uint64_t drdy)
{
    uint64_t a = ta > ix->t_first ? ta : ix->t_first, b = tb < ix->t_last ? tb : ix->t_last;
    if (a > b || (a == b && a == ix->t_last && ix->t_last != ix->t_first))
        return K_NONE;
    if (a == b) { /* less than a ns per column */
        enum viz_state s = viz_lane_state_at(l, a);
        drun = s == VS_RUNNING;
        drdy = s == VS_READY;
        b = a + 1;
    }
    if (drun > 0) {
        long q = lround(16.0 * (double)drun / (double)(b - a));
        return (uint8_t)(K_RUN0 + (q < 1 ? 1 : q > 16 ? 16 : q));
    }
    if (drdy > 0)
        return K_READY;
    switch (viz_lane_state_at(l, a + (b - a) / 2)) {
    case VS_BLOCKED:
        return K_BLOCKED;
    case VS_THROTTLED:
        return K_THROTTLED;
    default:
        return K_NONE;
    }
}

/* The lane's columns, merged into runs of equal keys, into f->seg. */
static int lane_segments(struct frame *f, const struct viz_lane *l)
{
    const struct viz_index *ix = f->ix;
    int nseg = 0;
    uint64_t ta = viz_col_time(f->lo, f->v, 0);
    uint64_t run_a = viz_lane_cum(l, ix->t_last, ta, false);
    uint64_t rdy_a = viz_lane_cum(l, ix->t_last, ta, true);
    for (int c = 0; c < f->lo->plot_w; c++) {
        uint64_t tb = viz_col_time(f->lo, f->v, c + 1);
        uint64_t run_b = viz_lane_cum(l, ix->t_last, tb, false);
        uint64_t rdy_b = viz_lane_cum(l, ix->t_last, tb, true);
        uint8_t k = column_key(ix, l, ta, tb, run_b - run_a, rdy_b - rdy_a);
        if (nseg > 0 && f->seg[nseg - 1].key == k)
            f->seg[nseg - 1].x1 = c + 1;
        else
            f->seg[nseg++] = (struct seg){c, c + 1, k};
        ta = tb;
        run_a = run_b;
        rdy_a = rdy_b;
    }
    return nseg;
}

/* Diagonal hatch lines over [x0, x1) of the band, aligned to the picture
 * so that neighbouring segments continue the pattern. */
static void hatch(SDL_Renderer *r, int x0, int x1, int yt, int h)
{
    const int step = 6;
    for (int s = x0 - h - (x0 - h) % step - step; s < x1; s += step) {
        /* the line (s + k, yt + h - 1 - k), k = 0..h-1, within [x0, x1) */
        int k0 = x0 - s > 0 ? x0 - s : 0, k1 = x1 - 1 - s < h - 1 ? x1 - 1 - s : h - 1;
        if (k0 <= k1)
            SDL_RenderDrawLine(r, s + k0, yt + h - 1 - k0, s + k1, yt + h - 1 - k1);
    }
}

static void fill_batch(struct frame *f, int n, struct viz_rgb c, uint8_t a)
{
    if (n > 0) {
        set_colour(f->r, c, a);
        SDL_RenderFillRects(f->r, f->rb, n);
    }
}

/* Rectangles for every segment of one key, then one call. */
static void draw_key(struct frame *f, int nseg, uint8_t key, int y, int h, struct viz_rgb c,
                     bool dashed)
{
    int n = 0, x0 = f->lo->plot_x;
    for (int i = 0; i < nseg; i++) {
        if (f->seg[i].key != key)
            continue;
        if (!dashed) {
            f->rb[n++] = (SDL_Rect){x0 + f->seg[i].x0, y, f->seg[i].x1 - f->seg[i].x0, h};
            if (n == f->lo->plot_w + 1) {
                fill_batch(f, n, c, 255);
                n = 0;
            }
            continue;
        }
        for (int x = f->seg[i].x0; x < f->seg[i].x1; x = x - x % 9 + 9) { /* 5 on, 4 off */
            if (x % 9 >= 5)
                continue;
            int e = x - x % 9 + 5 < f->seg[i].x1 ? x - x % 9 + 5 : f->seg[i].x1;
            f->rb[n++] = (SDL_Rect){x0 + x, y, e - x, h};
            if (n == f->lo->plot_w + 1) {
                fill_batch(f, n, c, 255);
                n = 0;
            }
        }
    }
    fill_batch(f, n, c, 255);
}

static void draw_lane(struct frame *f, const struct viz_lane *l, size_t i, int y)
{
    const struct viz_layout *lo = f->lo;
    struct viz_rgb bg = lane_bg[i % 2], col = viz_lane_colour(l);
    int nseg = lane_segments(f, l), bt = y + lo->band_off, bh = lo->band_h;
    int mid = bt + bh / 2;
    draw_key(f, nseg, K_BLOCKED, mid - 1, 2, viz_blocked_rgb, false);
    draw_key(f, nseg, K_THROTTLED, mid - 1, 3, viz_budget_rgb, true);
    draw_key(f, nseg, K_READY, bt, bh, mix(bg, col, 0.28), false);
    set_colour(f->r, mix(bg, col, 0.7), 255);
    for (int s = 0; s < nseg; s++)
        if (f->seg[s].key == K_READY && f->seg[s].x1 - f->seg[s].x0 >= 3)
            hatch(f->r, lo->plot_x + f->seg[s].x0, lo->plot_x + f->seg[s].x1, bt, bh);
    for (int q = 1; q <= 16; q++)
        draw_key(f, nseg, (uint8_t)(K_RUN0 + q), bt, bh, mix(bg, col, 0.3 + 0.7 * q / 16.0),
                 false);
}

/* ---- markers and arrows ---- */

typedef void mark_fn(struct frame *f, int x, int y, bool dense);

/* Calls mark() for the events of x in view, at most one per few columns;
 * when there are many, with a smaller glyph (dense). */
static void step_markers(struct frame *f, const struct viz_idx *x, int y, mark_fn *mark)
{
    const struct viz_trace *t = f->ix->tr;
    size_t i = viz_idx_lower(t, x, f->v->from);
    size_t n = f->v->to < UINT64_MAX ? viz_idx_lower(t, x, f->v->to + 1) - i : x->n - i;
    bool dense = n > (size_t)f->lo->plot_w / 10;
    int gap = dense ? 2 : 5;
    while (i < x->n) {
        uint64_t tm = t->rec[x->v[i]].time_ns;
        if (tm > f->v->to)
            break;
        int px = (int)floor(viz_time_x(f->lo, f->v, tm));
        mark(f, px, y, dense);
        int next_col = px - f->lo->plot_x + gap;
        if (next_col >= f->lo->plot_w)
            break;
        size_t j = viz_idx_lower(t, x, viz_col_time(f->lo, f->v, next_col));
        i = j > i ? j : i + 1;
    }
}

static void mark_irq(struct frame *f, int x, int y, bool dense)
{
    float top = (float)y + 1, s = f->lo->lane_h < 24 ? 4.0f : 5.5f;
    if (dense) {
        viz_fill(f->r, x, y + 1, 1, f->lo->band_off + 2, viz_irq_rgb, 255);
        return;
    }
    tri(f, (float)x - s, top, (float)x + s + 1, top, (float)x + 0.5f, top + s + 1, viz_irq_rgb,
        255);
}

static void mark_budget(struct frame *f, int x, int y, bool dense)
{
    int bt = y + f->lo->band_off, bh = f->lo->band_h;
    if (dense) {
        viz_fill(f->r, x, bt, 1, bh / 3, viz_budget_rgb, 255);
        return;
    }
    f->rb[0] = (SDL_Rect){x, bt, 2, bh};
    f->rb[1] = (SDL_Rect){x - 3, bt, 8, 5};
    fill_batch(f, 2, viz_budget_rgb, 255);
}

static void mark_fault(struct frame *f, int x, int y, bool dense)
{
    int bt = y + f->lo->band_off, bh = f->lo->band_h;
    float b = (float)(bt + bh);
    if (dense) {
        viz_fill(f->r, x, bt + bh - 1, 1, f->lo->band_off, viz_fault_rgb, 255);
        return;
    }
    f->rb[0] = (SDL_Rect){x, bt, 2, bh};
    fill_batch(f, 1, viz_fault_rgb, 255);
    tri(f, (float)x - 5, b + 1, (float)x + 7, b + 1, (float)x + 1, b - 9, viz_fault_rgb, 255);
}

static void mark_signal(struct frame *f, int x, int y, bool dense)
{
    static const struct viz_rgb green = {20, 150, 20};
    float c = (float)(y + f->lo->band_off + f->lo->band_h), xf = (float)x + 0.5f;
    if (dense) {
        viz_fill(f->r, x, y + f->lo->band_off + f->lo->band_h - 1, 1, 3, green, 255);
        return;
    }
    tri(f, xf - 3, c, xf + 3, c, xf, c + 3, green, 255);
    tri(f, xf - 3, c, xf + 3, c, xf, c - 3, green, 255);
}

static void draw_markers(struct frame *f)
{
    for (size_t i = f->lo->first_lane; i < f->lo->first_lane + f->lo->nvisible; i++) {
        const struct viz_lane *l = &f->ix->lane[i];
        int y = viz_lane_y(f->lo, i);
        step_markers(f, &l->signal, y, mark_signal);
        step_markers(f, &l->irq, y, mark_irq);
        step_markers(f, &l->budget, y, mark_budget);
        step_markers(f, &l->fault, y, mark_fault);
    }
}

/* The y where an arrow leaves or enters lane i (clamped to the plot when
 * the lane is scrolled out of view). */
static int lane_end_y(const struct viz_layout *lo, size_t i, bool top)
{
    int y = viz_lane_y(lo, i);
    if (y < 0)
        return i < lo->first_lane ? lo->plot_y : lo->plot_y + (int)lo->nvisible * lo->lane_h;
    return top ? y + lo->band_off : y + lo->band_off + lo->band_h;
}

static void arrow(struct frame *f, int x, size_t from, size_t to, struct viz_rgb c, uint8_t a,
                  int width, bool with_head)
{
    const struct viz_layout *lo = f->lo;
    if (viz_lane_y(lo, from) < 0 && viz_lane_y(lo, to) < 0)
        return;
    bool down = to > from;
    int y0 = viz_lane_y(lo, from) >= 0 ? viz_lane_y(lo, from) + lo->lane_h / 2
                                       : lane_end_y(lo, from, down);
    int y1 = lane_end_y(lo, to, down);
    if (from == to) { /* to itself: a short tick above the band */
        y1 = y0 - lo->lane_h / 2;
        down = false;
    }
    int head = with_head && (y1 - y0 > 8 || y0 - y1 > 8) ? 6 : 0;
    int ys = down ? y0 : y1 + head, ye = down ? y1 - head : y0;
    set_colour(f->r, c, a);
    SDL_RenderFillRect(f->r, &(SDL_Rect){x, ys, width, ye - ys > 0 ? ye - ys : 1});
    if (head) {
        float xc = (float)x + width / 2.0f, yb = (float)(down ? y1 - head : y1 + head);
        tri(f, xc - 4, yb, xc + 4, yb, xc, (float)y1, c, a);
    }
}

/* IPC arrows, one per few columns per sender.  Many in view: thin,
 * translucent and headless; too many to read (over two a column): none,
 * and the legend says how many there are. */
static void draw_arrows(struct frame *f)
{
    const struct viz_index *ix = f->ix;
    size_t shown = 0;
    for (size_t i = 0; i < ix->nlanes; i++)
        shown += (f->v->to < UINT64_MAX ? viz_msg_lower(&ix->lane[i], f->v->to + 1)
                                         : ix->lane[i].nsent) -
                 viz_msg_lower(&ix->lane[i], f->v->from);
    if (shown > 2 * (size_t)f->lo->plot_w) {
        f->arrows_hidden = shown;
        return;
    }
    bool dense = shown > (size_t)f->lo->plot_w / 5;
    uint8_t alpha = dense ? 90 : 255;
    int width = dense ? 1 : 2, gap = 3;
    for (size_t i = 0; i < ix->nlanes; i++) {
        const struct viz_lane *l = &ix->lane[i];
        size_t k = viz_msg_lower(l, f->v->from);
        while (k < l->nsent && l->sent[k].t <= f->v->to) {
            int px = (int)floor(viz_time_x(f->lo, f->v, l->sent[k].t));
            arrow(f, px, i, l->sent[k].to, l->sent[k].reply ? viz_reply_rgb : viz_ipc_rgb, alpha,
                  width, !dense);
            int next_col = px - f->lo->plot_x + gap;
            if (next_col >= f->lo->plot_w)
                break;
            size_t j = viz_msg_lower(l, viz_col_time(f->lo, f->v, next_col));
            k = j > k ? j : k + 1;
        }
    }
}

/* ---- strips, axis, labels, legend ---- */

static void draw_cpu(struct frame *f)
{
    const struct viz_layout *lo = f->lo;
    const struct viz_index *ix = f->ix;
    viz_fill(f->r, lo->cpu_x, lo->cpu_y, lo->cpu_w, lo->cpu_h, white, 255);
    int n = 0, prev_h = -1;
    uint64_t ta = viz_col_time(lo, f->v, 0), ca = viz_cpu_cum(ix, ta);
    for (int c = 0; c < lo->cpu_w; c++) {
        uint64_t tb = viz_col_time(lo, f->v, c + 1), cb = viz_cpu_cum(ix, tb);
        uint64_t a = ta > ix->t_first ? ta : ix->t_first, b = tb < ix->t_last ? tb : ix->t_last;
        int h = 0;
        if (b > a)
            h = (int)lround((double)(cb - ca) / (double)(b - a) * lo->cpu_h);
        if (h > 0 && h == prev_h && n > 0)
            f->rb[n - 1].w++;
        else if (h > 0)
            f->rb[n++] = (SDL_Rect){lo->cpu_x + c, lo->cpu_y + lo->cpu_h - h, 1, h};
        prev_h = h;
        ta = tb;
        ca = cb;
    }
    fill_batch(f, n, viz_cpu_rgb, 255);
    set_colour(f->r, (struct viz_rgb){190, 195, 205}, 255);
    SDL_RenderDrawRect(f->r, &(SDL_Rect){lo->cpu_x, lo->cpu_y, lo->cpu_w, lo->cpu_h});
    bool two = lo->cpu_h >= 34;
    viz_text_draw(f->tx, VF_BOLD, lo->cpu_x - 8, lo->cpu_y + lo->cpu_h / 2 - (two ? 15 : 8), ink,
                  VA_RIGHT, "CPU load");
    if (two)
        viz_text_draw(f->tx, VF_SMALL, lo->cpu_x - 8, lo->cpu_y + lo->cpu_h / 2 + 1,
                      (struct viz_rgb){100, 100, 105}, VA_RIGHT, "non-idle");
}

/* A tick step of 1, 2 or 5 x 10^k ns giving ticks at least min_px apart. */
static uint64_t tick_step(uint64_t span, int plot_w, int min_px)
{
    double want = (double)span * min_px / plot_w;
    uint64_t step = 1;
    for (;;) {
        static const int m[] = {1, 2, 5};
        for (size_t i = 0; i < 3; i++)
            if ((double)step * m[i] >= want)
                return step * (uint64_t)m[i];
        if (step > UINT64_MAX / 100)
            return step * 10;
        step *= 10;
    }
}

static void draw_axis(struct frame *f)
{
    const struct viz_layout *lo = f->lo;
    uint64_t span = f->v->to - f->v->from, step = tick_step(span, lo->plot_w, 110);
    uint64_t up = f->v->from % step ? step - f->v->from % step : 0; /* to the first tick */
    bool none = f->v->from > UINT64_MAX - up; /* no tick before the end of time */
    uint64_t t = none ? 0 : f->v->from + up;
    int bottom = lo->plot_y + (int)lo->nvisible * lo->lane_h;
    int step_px = (int)((double)step * lo->plot_w / (double)span);
    set_colour(f->r, ink, 255);
    SDL_RenderDrawLine(f->r, lo->plot_x, lo->plot_y - 1, lo->plot_x + lo->plot_w - 1,
                       lo->plot_y - 1);
    for (; !none && t <= f->v->to; t += step) {
        int x = (int)floor(viz_time_x(lo, f->v, t));
        char s[40];
        viz_fmt_time(t, step, s, sizeof s);
        set_colour(f->r, grid_rgb, 255);
        SDL_RenderDrawLine(f->r, x, lo->plot_y, x, bottom - 1);
        set_colour(f->r, ink, 255);
        SDL_RenderDrawLine(f->r, x, lo->plot_y - 5, x, lo->plot_y - 1);
        int half = viz_text_width(f->tx, VF_SMALL, s) / 2, right = lo->plot_x + lo->plot_w;
        if (x - half < lo->plot_x) /* the first one, at the left edge */
            viz_text_draw(f->tx, VF_SMALL, lo->plot_x, lo->axis_y + 1, ink, VA_LEFT, s);
        else if (x + half <= right)
            viz_text_draw(f->tx, VF_SMALL, x, lo->axis_y + 1, ink, VA_CENTER, s);
        else if (right - 2 * half > x - step_px + half + 6) /* clear of the one before */
            viz_text_draw(f->tx, VF_SMALL, right, lo->axis_y + 1, ink, VA_RIGHT, s);
        if (t > UINT64_MAX - step)
            break;
    }
    viz_text_draw(f->tx, VF_SMALL, lo->plot_x - 12, lo->axis_y + 1, ink, VA_RIGHT, "time");
}

static void draw_lane_frames(struct frame *f)
{
    const struct viz_layout *lo = f->lo;
    for (size_t i = lo->first_lane; i < lo->first_lane + lo->nvisible; i++) {
        int y = viz_lane_y(lo, i);
        const struct viz_lane *l = &f->ix->lane[i];
        char name[32], label[48];
        viz_fill(f->r, 0, y, lo->plot_x + lo->plot_w, lo->lane_h, lane_bg[i % 2], 255);
        viz_fill(f->r, 6, y + lo->lane_h / 2 - 5, 10, 10, viz_lane_colour(l), 255);
        int font = lo->lane_h >= 22 ? VF_NORMAL : VF_SMALL, th = viz_text_height(f->tx, font);
        /* The priority, where the trace gives it, under the name if it fits. */
        bool prio = l->prio >= 0 && lo->lane_h >= 2 * th + 4;
        int ty = y + (lo->lane_h - th) / 2 - (prio ? th / 2 : 0);
        viz_text_draw(f->tx, font, 21, ty, ink, VA_LEFT, viz_thread_name(l->tid, name, sizeof name));
        if (prio) {
            snprintf(label, sizeof label, "priority %d", l->prio);
            viz_text_draw(f->tx, VF_SMALL, 21, ty + th, ink_muted, VA_LEFT, label);
        }
    }
    if (lo->first_lane > 0)
        viz_text_draw(f->tx, VF_SMALL, lo->plot_x - 8, lo->plot_y - 16, ink, VA_RIGHT, "more ^");
    if (lo->first_lane + lo->nvisible < f->ix->nlanes)
        viz_text_draw(f->tx, VF_SMALL, lo->plot_x - 8,
                      lo->plot_y + (int)lo->nvisible * lo->lane_h + 2, ink, VA_RIGHT, "more v");
}

static void draw_title(struct frame *f)
{
    const struct viz_trace *t = f->ix->tr;
    char s[320], a[40], b[40], span[40];
    viz_fill(f->r, 0, 0, f->lo->w, f->lo->title_h, title_bg, 255);
    viz_fmt_time(f->v->from, 0, a, sizeof a);
    viz_fmt_time(f->v->to, 0, b, sizeof b);
    viz_fmt_time(f->v->to - f->v->from, 0, span, sizeof span);
    snprintf(s, sizeof s, "keel-viz   %s   seed %llu, %u-bit, %zu records, %zu threads", t->system,
             (unsigned long long)t->seed, (unsigned)t->word_bits, t->n, f->ix->nlanes);
    viz_text_draw(f->tx, VF_BOLD, 8, 5, white, VA_LEFT, s);
    snprintf(s, sizeof s, "view %s to %s (%s)", a, b, span);
    viz_text_draw(f->tx, VF_NORMAL, f->lo->panel_x - 12, 5, (struct viz_rgb){200, 210, 225},
                  VA_RIGHT, s);
}

/* One legend entry: a swatch drawn by kind, then its name; returns the next x. */
static int legend_item(struct frame *f, int x, int y, int kind, const char *name)
{
    struct viz_rgb c = palette[0];
    switch (kind) {
    case 0: viz_fill(f->r, x, y + 2, 18, 12, c, 255); break;
    case 1:
        viz_fill(f->r, x, y + 2, 18, 12, mix(white, c, 0.28), 255);
        set_colour(f->r, mix(white, c, 0.7), 255);
        hatch(f->r, x, x + 18, y + 2, 12);
        break;
    case 2: viz_fill(f->r, x, y + 7, 18, 2, viz_blocked_rgb, 255); break;
    case 3: viz_fill(f->r, x, y + 7, 5, 3, viz_budget_rgb, 255);
        viz_fill(f->r, x + 9, y + 7, 5, 3, viz_budget_rgb, 255); break;
    case 4: mark_irq(f, x + 8, y + 2, false); break;
    case 5: viz_fill(f->r, x + 8, y + 1, 2, 14, viz_budget_rgb, 255);
        viz_fill(f->r, x + 5, y + 1, 8, 5, viz_budget_rgb, 255); break;
    case 6: viz_fill(f->r, x + 8, y + 1, 2, 14, viz_fault_rgb, 255);
        tri(f, (float)x + 3, (float)y + 16, (float)x + 15, (float)y + 16, (float)x + 9,
            (float)y + 6, viz_fault_rgb, 255); break;
    case 7: case 8: {
        struct viz_rgb ac = kind == 7 ? viz_ipc_rgb : viz_reply_rgb;
        viz_fill(f->r, x, y + 7, 12, 2, ac, 255);
        tri(f, (float)x + 12, (float)y + 4, (float)x + 12, (float)y + 12, (float)x + 18,
            (float)y + 8, ac, 255);
        break;
    }
    default:
        tri(f, (float)x + 5, (float)y + 8, (float)x + 11, (float)y + 8, (float)x + 8,
            (float)y + 11, (struct viz_rgb){20, 150, 20}, 255);
        tri(f, (float)x + 5, (float)y + 8, (float)x + 11, (float)y + 8, (float)x + 8,
            (float)y + 5, (struct viz_rgb){20, 150, 20}, 255);
        break;
    }
    return x + 24 + viz_text_draw(f->tx, VF_SMALL, x + 22, y + 1, ink, VA_LEFT, name) + 10;
}

static void draw_legend(struct frame *f)
{
    static const char *const names[] = {"running", "ready", "blocked", "out of budget",
                                        "interrupt", "budget exhausted", "fault", "IPC",
                                        "reply", "signal"};
    const struct viz_layout *lo = f->lo;
    int y = lo->plot_y + (int)lo->nvisible * lo->lane_h + 8, x = lo->plot_x;
    if (lo->first_lane + lo->nvisible < f->ix->nlanes)
        y += 14; /* below "more v" */
    if (y > lo->h - 22)
        y = lo->h - 22;
    for (int k = 0; k < (int)N_ELEMS(names) && x < lo->panel_x - 60; k++)
        x = legend_item(f, x, y, k, names[k]);
    if (f->arrows_hidden) {
        char s[96];
        snprintf(s, sizeof s, "IPC arrows not drawn: %zu messages in view (zoom in)",
                 f->arrows_hidden);
        viz_text_draw(f->tx, VF_SMALL, lo->plot_x, y + 18, (struct viz_rgb){120, 60, 0},
                      VA_LEFT, s);
    }
}

void viz_draw_frame(SDL_Renderer *r, struct viz_text *tx, const struct viz_index *ix,
                    const struct viz_layout *lo, const struct viz_view *v)
{
    struct frame f = {.r = r, .tx = tx, .ix = ix, .lo = lo, .v = v};
    f.rb = malloc(((size_t)lo->plot_w + 2) * sizeof *f.rb);
    f.seg = malloc(((size_t)lo->plot_w + 2) * sizeof *f.seg);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    set_colour(r, bg_rgb, 255);
    SDL_RenderClear(r);
    if (f.rb && f.seg) {
        draw_lane_frames(&f);
        draw_axis(&f);
        for (size_t i = lo->first_lane; i < lo->first_lane + lo->nvisible; i++)
            draw_lane(&f, &ix->lane[i], i, viz_lane_y(lo, i));
        draw_markers(&f);
        if (v->arrows)
            draw_arrows(&f);
        draw_cpu(&f);
        draw_legend(&f);
    }
    flush_tris(&f);
    draw_title(&f);
    viz_draw_panel(r, tx, ix, lo, v);
    viz_draw_details(r, tx, ix, lo, v);
    free(f.vx);
    free(f.rb);
    free(f.seg);
}
