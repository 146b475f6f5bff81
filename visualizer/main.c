/*
 * visualizer/main.c - keel-viz: views a Keel kernel trace (keel-sim --trace
 * FILE; docs/trace-format.md) as one lane per thread over time.
 *
 *   keel-viz [--from T] [--to T] TRACE          an interactive window
 *            [--events LIST]                    (input replayed, for tests)
 *   keel-viz --png OUT.png [--from T] [--to T] [--width W] [--height H]
 *            [--layout] TRACE                   the same picture, headless
 *   keel-viz --layout [...] [--hover X,Y] TRACE where lanes and strips go, and
 *                                               the details box's lines
 *   keel-viz --stats TRACE                      the side panel's numbers
 *   keel-viz --bench [TRACE]                    load and frame timings
 *
 * T is a time in ns, or with a unit: 1500, 1500ns, 1.5us, 20ms, 0.02s.
 * This file owns the options, the view (zoom, pan, fit, lane scrolling),
 * the headless modes and the event loop; it is the only part that prints
 * an error and exits: one line on stderr, status 1 for bad input (a file
 * that cannot be read or is not a valid trace, no display), 2 for bad
 * usage.  The picture itself is draw.c's and ui.c's; the data index.c's.
 */
#include "viz.h"

#include <SDL_image.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SPAN 100u /* ns: the deepest zoom */

static void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("keel-viz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(status);
}

static void usage(FILE *f)
{
    fputs("usage: keel-viz [--from T] [--to T] [--events LIST] TRACE\n"
          "       keel-viz --png OUT.png [--width W] [--height H] [--from T] [--to T]\n"
          "                [--hover X,Y] [--layout] TRACE\n"
          "       keel-viz --layout [--width W] [--height H] [--from T] [--to T] [--hover X,Y] TRACE\n"
          "       keel-viz --stats TRACE\n"
          "       keel-viz --bench [--width W] [--height H] [TRACE]\n"
          "Shows a Keel kernel trace (keel-sim --trace FILE) as one lane per thread.\n"
          "  T             a time in ns, or with a unit: 1500, 1.5us, 20ms, 0.02s\n"
          "  --png         draw the picture into OUT.png, no display needed (1600x900)\n"
          "  --layout      print where the plot, strips and lanes are, and their colours\n"
          "  --hover X,Y   the pointer at X,Y: the details box (--layout prints its lines)\n"
          "  --stats       per-thread CPU, IPC counts and wake-up latency, as text\n"
          "  --bench       time loading and drawing a one-million-record trace\n"
          "  --events LIST replay input in the window, then quit and print the view (for\n"
          "                tests): key:NAME wheel:DY@X,Y click:X,Y drag:X0,Y0,X1,Y1\n"
          "In the window: wheel or + - zoom, drag or arrow keys pan, f or 0 fit, up/down\n"
          "scroll the lanes, hover or click for details, a toggles IPC arrows, q quits.\n",
          f);
}

/* ---- options ---- */

struct opts {
    const char *trace, *png, *events;
    bool layout, stats, bench, have_from, have_to;
    uint64_t from, to;
    int w, h;
    int hover_x, hover_y;           /* --hover: the pointer, for the details box */
};

/* A time: digits, an optional fraction, an optional unit (ns, us, ms, s). */
static bool parse_time(const char *s, uint64_t *out)
{
    static const struct {
        const char *name;
        uint64_t mul;
    } units[] = {{"", 1}, {"ns", 1}, {"us", 1000}, {"\xc2\xb5s", 1000}, {"ms", 1000000},
                 {"s", 1000000000}};
    uint64_t whole = 0, frac = 0, frac_div = 1;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (whole > (UINT64_MAX - 9) / 10)
            return false;
        whole = whole * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        if (p[1] < '0' || p[1] > '9')
            return false;
        for (p++; *p >= '0' && *p <= '9'; p++) {
            if (frac_div < 1000000000) { /* finer than 1 ns of a second is dropped */
                frac = frac * 10 + (uint64_t)(*p - '0');
                frac_div *= 10;
            }
        }
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(p, units[i].name) != 0)
            continue;
        uint64_t m = units[i].mul;
        if (whole > UINT64_MAX / m || whole * m > UINT64_MAX - frac * m / frac_div)
            return false;
        *out = whole * m + frac * m / frac_div;
        return true;
    }
    return false;
}

static int parse_size(const char *opt, const char *s, int lo, int hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        die(2, "%s '%s': expected a number of pixels from %d to %d", opt, s, lo, hi);
    return (int)v;
}

/* The value of option argv[*i] (as --opt VALUE or --opt=VALUE), or NULL
 * if argv[*i] is not opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != 0)
        return NULL;
    if (*i + 1 == argc)
        die(2, "%s needs a value (see keel-viz --help)", opt);
    return argv[++*i];
}

static bool flag(const char *arg, const char *name, bool *out)
{
    if (strcmp(arg, name) != 0)
        return false;
    *out = true;
    return true;
}

static void parse_one(struct opts *o, int argc, char **argv, int *i)
{
    const char *v;
    if ((v = opt_value(argc, argv, i, "--png"))) {
        if (!*v)
            die(2, "--png needs a file name");
        o->png = v;
    } else if ((v = opt_value(argc, argv, i, "--from"))) {
        if (!parse_time(v, &o->from))
            die(2, "--from '%s': not a time (ns, or a number with ns, us, ms or s)", v);
        o->have_from = true;
    } else if ((v = opt_value(argc, argv, i, "--to"))) {
        if (!parse_time(v, &o->to))
            die(2, "--to '%s': not a time (ns, or a number with ns, us, ms or s)", v);
        o->have_to = true;
    } else if ((v = opt_value(argc, argv, i, "--width"))) {
        o->w = parse_size("--width", v, 200, 8192);
    } else if ((v = opt_value(argc, argv, i, "--height"))) {
        o->h = parse_size("--height", v, 150, 8192);
    } else if ((v = opt_value(argc, argv, i, "--events"))) {
        o->events = v;
    } else if ((v = opt_value(argc, argv, i, "--hover"))) {
        char *comma = strchr(v, ',');
        if (!comma || comma == v)
            die(2, "--hover '%s': expected X,Y (pixels)", v);
        *comma = 0;
        o->hover_x = parse_size("--hover", v, 0, 8191);
        o->hover_y = parse_size("--hover", comma + 1, 0, 8191);
    } else if (flag(argv[*i], "--layout", &o->layout) || flag(argv[*i], "--stats", &o->stats) ||
               flag(argv[*i], "--bench", &o->bench)) {
    } else if (argv[*i][0] == '-' && argv[*i][1] != 0) {
        die(2, "unknown option '%s' (see keel-viz --help)", argv[*i]);
    } else if (!o->trace) {
        o->trace = argv[*i];
    } else {
        die(2, "one TRACE file only ('%s' is extra)", argv[*i]);
    }
}

static void parse_args(struct opts *o, int argc, char **argv)
{
    *o = (struct opts){.w = 1600, .h = 900, .hover_x = -1, .hover_y = -1};
    for (int i = 1; i < argc; i++)
        parse_one(o, argc, argv, &i);
    if (o->bench && (o->png || o->layout || o->stats))
        die(2, "--bench goes alone (with an optional TRACE)");
    if (o->stats && (o->png || o->layout))
        die(2, "--stats goes alone (with the TRACE)");
    if (o->events && (o->png || o->layout || o->stats))
        die(2, "--events is for the window, not with --png, --layout or --stats");
    if (!o->trace && !o->bench)
        die(2, "no TRACE file (usage: keel-viz [--png OUT.png] TRACE; see keel-viz --help)");
    if (o->have_from && o->have_to && o->from >= o->to)
        die(2, "--from must be earlier than --to");
}

/* ---- the view ---- */

/* The whole trace, at least MIN_SPAN wide. */
static void fit(const struct viz_index *ix, struct viz_view *v)
{
    v->from = ix->t_first;
    v->to = ix->t_last;
    if (v->to - v->from < MIN_SPAN) {
        if (v->from > UINT64_MAX - MIN_SPAN)
            v->from = UINT64_MAX - MIN_SPAN;
        v->to = v->from + MIN_SPAN;
    }
}

/* The view the options ask for (the whole trace by default). */
static void initial_view(const struct viz_index *ix, const struct opts *o, struct viz_view *v)
{
    fit(ix, v);
    if (o->have_from) {
        v->from = o->from;
        if (!o->have_to && v->to <= v->from)
            v->to = v->from <= UINT64_MAX - MIN_SPAN ? v->from + MIN_SPAN : UINT64_MAX;
    }
    if (o->have_to) {
        v->to = o->to;
        if (!o->have_from && v->from >= v->to)
            v->from = v->to > MIN_SPAN ? v->to - MIN_SPAN : 0;
    }
    if (v->from >= v->to) /* --from UINT64_MAX */
        v->from = v->to - 1;
}

/* Keep the view within the trace (unless it is smaller than a view). */
static void clamp_view(const struct viz_index *ix, struct viz_view *v)
{
    struct viz_view all = *v;
    fit(ix, &all);
    uint64_t span = v->to - v->from;
    if (span >= all.to - all.from) {
        v->from = all.from;
        v->to = all.to;
        return;
    }
    if (v->from < all.from) {
        v->from = all.from;
        v->to = all.from + span;
    } else if (v->to > all.to) {
        v->to = all.to;
        v->from = all.to - span;
    }
}

/* Zoom by factor (< 1: in) keeping time `at` at the same pixel. */
static void zoom(const struct viz_index *ix, struct viz_view *v, double factor, uint64_t at)
{
    double span = (double)(v->to - v->from), ns = span * factor;
    if (ns < MIN_SPAN)
        ns = MIN_SPAN;
    if (ns > 1.8e19)
        ns = 1.8e19;
    uint64_t left = (uint64_t)((double)(at - v->from) / span * ns), width = (uint64_t)ns;
    v->from = left > at ? 0 : at - left;
    if (v->from > UINT64_MAX - width)
        v->from = UINT64_MAX - width;
    v->to = v->from + width;
    clamp_view(ix, v);
}

static void pan(const struct viz_index *ix, struct viz_view *v, double ns)
{
    uint64_t d = (uint64_t)(ns < 0 ? -ns : ns);
    if (ns < 0) {
        d = d > v->from ? v->from : d;
        v->from -= d;
        v->to -= d;
    } else {
        d = d > UINT64_MAX - v->to ? UINT64_MAX - v->to : d;
        v->from += d;
        v->to += d;
    }
    clamp_view(ix, v);
}

/* ---- headless modes ---- */

static void print_layout(const struct viz_index *ix, const struct viz_layout *lo,
                         const struct viz_view *v)
{
    printf("image %d %d\n", lo->w, lo->h);
    printf("plot %d %d %d %d %" PRIu64 " %" PRIu64 "\n", lo->plot_x, lo->plot_y, lo->plot_w,
           lo->plot_h, v->from, v->to);
    static const struct {
        const char *name;
        const struct viz_rgb *c;
    } colours[] = {{"ipc", &viz_ipc_rgb},       {"reply", &viz_reply_rgb},
                   {"irq", &viz_irq_rgb},       {"budget", &viz_budget_rgb},
                   {"fault", &viz_fault_rgb},   {"blocked", &viz_blocked_rgb},
                   {"cpu", &viz_cpu_rgb},       {"box", &viz_box_rgb}};
    printf("cpu %d %d %d %d\n", lo->cpu_x, lo->cpu_y, lo->cpu_w, lo->cpu_h);
    printf("axis %d %d\n", lo->axis_y, lo->axis_h);
    printf("labels 0 %d\n", lo->label_w);
    for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++)
        printf("colour %s %u %u %u\n", colours[i].name, colours[i].c->r, colours[i].c->g,
               colours[i].c->b);
    for (size_t i = lo->first_lane; i < lo->first_lane + lo->nvisible; i++) {
        struct viz_rgb c = viz_lane_colour(&ix->lane[i]);
        printf("lane %" PRIu32 " %d %d %d %d %u %u %u\n", ix->lane[i].tid, viz_lane_y(lo, i),
               lo->lane_h, viz_lane_y(lo, i) + lo->band_off, lo->band_h, c.r, c.g, c.b);
    }
    printf("lanes %zu shown %zu\n", ix->nlanes, lo->nvisible);
}

static void print_stats(const struct viz_trace *t, const struct viz_index *ix)
{
    double span = (double)(ix->t_last - ix->t_first);
    printf("trace: system \"%s\", %zu records, %" PRIu64 " ns to %" PRIu64 " ns, %zu threads\n",
           t->system, t->n, ix->t_first, ix->t_last, ix->nlanes);
    for (size_t i = 0; i < ix->nlanes; i++) {
        const struct viz_lane *l = &ix->lane[i];
        char name[32];
        printf("%s: tid %" PRIu32 ", cpu %" PRIu64 " ns (%.2f%%), sent %" PRIu64
               ", received %" PRIu64 ", wake-ups %zu",
               viz_thread_name(l->tid, name, sizeof name), l->tid, l->cpu_ns,
               span > 0 ? 100.0 * (double)l->cpu_ns / span : 0.0, l->n_send, l->n_recv, l->nlat);
        if (l->nlat)
            printf(" (mean %.1f ns, p99 %" PRIu64 " ns, max %" PRIu64 " ns)", l->lat_mean,
                   l->lat_p99, l->lat_max);
        printf("%s\n", l->lat_pending ? ", 1 not followed by a switch in" : "");
    }
    printf("messages: %zu paired; interrupts: %zu\n", ix->nmsgs, ix->nirqs);
}

/* Draw the picture on a software renderer; the surface, or NULL with e set. */
static SDL_Surface *render_surface(const struct viz_index *ix, const struct viz_view *v, int w,
                                   int h, struct viz_err *e)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = s ? SDL_CreateSoftwareRenderer(s) : NULL;
    struct viz_text *tx = r ? viz_text_open(r, e) : NULL;
    if (!tx) {
        if (!r)
            viz_fail(e, "cannot make a %dx%d software renderer: %s", w, h, SDL_GetError());
        if (r)
            SDL_DestroyRenderer(r);
        SDL_FreeSurface(s);
        return NULL;
    }
    struct viz_layout lo;
    viz_layout_compute(&lo, ix, w, h, v->scroll);
    viz_draw_frame(r, tx, ix, &lo, v);
    SDL_RenderPresent(r);
    viz_text_close(tx);
    SDL_DestroyRenderer(r);
    return s;
}

static int headless(const struct opts *o, const struct viz_index *ix, const struct viz_view *v)
{
    struct viz_err e;
    if (o->png) {
        SDL_Surface *s = render_surface(ix, v, o->w, o->h, &e);
        if (!s)
            die(1, "%s", e.msg);
        if (IMG_SavePNG(s, o->png) != 0)
            die(1, "%s: cannot write the PNG: %s", o->png, IMG_GetError());
        SDL_FreeSurface(s);
    }
    if (o->layout) {
        struct viz_layout lo;
        char lines[8][VIZ_LINE];
        viz_layout_compute(&lo, ix, o->w, o->h, v->scroll);
        print_layout(ix, &lo, v);
        int n = viz_details(ix, &lo, v, lines, 8);
        for (int i = 0; i < n; i++)
            printf("details %s\n", lines[i]);
    }
    return 0;
}

/* ---- the window ---- */

struct ui {
    const struct viz_index *ix;
    struct viz_view v;
    struct viz_layout lo;
    bool quit, dirty, dragging, dragged;
    int drag_x;
    uint64_t drag_from, drag_to;
};

static uint64_t time_at(const struct ui *u, int x)
{
    int c = x - u->lo.plot_x;
    return viz_col_time(&u->lo, &u->v, c < 0 ? 0 : c > u->lo.plot_w ? u->lo.plot_w : c);
}

static void scroll_lanes(struct ui *u, long d)
{
    long s = (long)u->v.scroll + d;
    u->v.scroll = s < 0 ? 0 : (size_t)s;
    viz_layout_compute(&u->lo, u->ix, u->lo.w, u->lo.h, u->v.scroll);
    u->v.scroll = u->lo.first_lane;
}

static void on_key(struct ui *u, SDL_Keycode k)
{
    uint64_t mid = u->v.from + (u->v.to - u->v.from) / 2;
    double span = (double)(u->v.to - u->v.from);
    switch (k) {
    case SDLK_q: case SDLK_ESCAPE: u->quit = true; break;
    case SDLK_f: case SDLK_0: case SDLK_KP_0: fit(u->ix, &u->v); break;
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS: zoom(u->ix, &u->v, 0.5, mid); break;
    case SDLK_MINUS: case SDLK_KP_MINUS: zoom(u->ix, &u->v, 2.0, mid); break;
    case SDLK_LEFT: pan(u->ix, &u->v, -0.15 * span); break;
    case SDLK_RIGHT: pan(u->ix, &u->v, 0.15 * span); break;
    case SDLK_UP: scroll_lanes(u, -1); break;
    case SDLK_DOWN: scroll_lanes(u, 1); break;
    case SDLK_PAGEUP: scroll_lanes(u, -(long)(u->lo.nvisible ? u->lo.nvisible : 1)); break;
    case SDLK_PAGEDOWN: scroll_lanes(u, (long)(u->lo.nvisible ? u->lo.nvisible : 1)); break;
    case SDLK_a: u->v.arrows = !u->v.arrows; break;
    default: return;
    }
    u->dirty = true;
}

static void on_mouse(struct ui *u, const SDL_Event *ev)
{
    if (ev->type == SDL_MOUSEWHEEL && ev->wheel.y != 0) {
        if (SDL_GetModState() & KMOD_SHIFT)
            scroll_lanes(u, -ev->wheel.y);
        else
            zoom(u->ix, &u->v, ev->wheel.y > 0 ? 0.8 : 1.25, time_at(u, u->v.mouse_x));
    } else if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT) {
        u->dragging = true;
        u->dragged = false;
        u->drag_x = ev->button.x;
        u->drag_from = u->v.from;
        u->drag_to = u->v.to;
    } else if (ev->type == SDL_MOUSEBUTTONUP && ev->button.button == SDL_BUTTON_LEFT) {
        if (u->dragging && !u->dragged) { /* a click: pin the details here, or unpin */
            u->v.pinned = !(u->v.pinned && abs(u->v.pin_x - ev->button.x) < 4);
            u->v.pin_x = ev->button.x;
            u->v.pin_y = ev->button.y;
        }
        u->dragging = false;
    } else if (ev->type == SDL_MOUSEMOTION) {
        u->v.mouse_x = ev->motion.x;
        u->v.mouse_y = ev->motion.y;
        if (u->dragging && abs(ev->motion.x - u->drag_x) > 3)
            u->dragged = true;
        if (u->dragging && u->dragged) {
            double per_px = (double)(u->drag_to - u->drag_from) / u->lo.plot_w;
            u->v.from = u->drag_from;
            u->v.to = u->drag_to;
            pan(u->ix, &u->v, -(ev->motion.x - u->drag_x) * per_px);
        }
    } else {
        return;
    }
    u->dirty = true;
}

static void on_event(struct ui *u, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_QUIT:
        u->quit = true;
        break;
    case SDL_KEYDOWN:
        on_key(u, ev->key.keysym.sym);
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_LEAVE)
            u->v.mouse_x = u->v.mouse_y = -1;
        u->dirty = true;
        break;
    default:
        on_mouse(u, ev);
        break;
    }
}

/* --events "TOKEN ...": input pushed into the window's queue before any
 * real input, then a quit; for testing the interaction without a person
 * (SDL_VIDEODRIVER=dummy).  Tokens: key:NAME (an SDL key name: +, -, Left,
 * F, PageDown...), wheel:DY@X,Y, click:X,Y, drag:X0,Y0,X1,Y1. */
static void push_mouse(Uint32 type, int x, int y)
{
    SDL_Event ev = {.type = type};
    if (type == SDL_MOUSEMOTION) {
        ev.motion.x = x;
        ev.motion.y = y;
    } else {
        ev.button.button = SDL_BUTTON_LEFT;
        ev.button.x = x;
        ev.button.y = y;
    }
    SDL_PushEvent(&ev);
}

static void push_token(const char *tok)
{
    int x, y, x1, y1, dy, end = 0;
    SDL_Event ev = {0};
    if (!strncmp(tok, "key:", 4) && SDL_GetKeyFromName(tok + 4) != SDLK_UNKNOWN) {
        ev.type = SDL_KEYDOWN;
        ev.key.keysym.sym = SDL_GetKeyFromName(tok + 4);
        SDL_PushEvent(&ev);
    } else if (sscanf(tok, "wheel:%d@%d,%d%n", &dy, &x, &y, &end) == 3 && !tok[end]) {
        push_mouse(SDL_MOUSEMOTION, x, y);
        ev.type = SDL_MOUSEWHEEL;
        ev.wheel.y = dy;
        SDL_PushEvent(&ev);
    } else if (sscanf(tok, "click:%d,%d%n", &x, &y, &end) == 2 && !tok[end]) {
        push_mouse(SDL_MOUSEMOTION, x, y);
        push_mouse(SDL_MOUSEBUTTONDOWN, x, y);
        push_mouse(SDL_MOUSEBUTTONUP, x, y);
    } else if (sscanf(tok, "drag:%d,%d,%d,%d%n", &x, &y, &x1, &y1, &end) == 4 && !tok[end]) {
        push_mouse(SDL_MOUSEMOTION, x, y);
        push_mouse(SDL_MOUSEBUTTONDOWN, x, y);
        push_mouse(SDL_MOUSEMOTION, x1, y1);
        push_mouse(SDL_MOUSEBUTTONUP, x1, y1);
    } else {
        die(2, "--events: bad event '%s' (key:NAME, wheel:DY@X,Y, click:X,Y, drag:X0,Y0,X1,Y1)",
            tok);
    }
}

static void push_events(const char *list)
{
    char tok[64];
    while (*list) {
        size_t n = strcspn(list, " ");
        if (n >= sizeof tok)
            die(2, "--events: bad event '%.*s'", (int)n, list);
        memcpy(tok, list, n);
        tok[n] = 0;
        if (n)
            push_token(tok);
        list += n + (list[n] == ' ');
    }
    SDL_Event quit = {.type = SDL_QUIT};
    SDL_PushEvent(&quit);
}

/* Start SDL's video on a display a person can see: X11 when only DISPLAY
 * is set (no Wayland probe, which would print on stderr), SDL's choice
 * with WAYLAND_DISPLAY or SDL_VIDEODRIVER; no display is an error, and so
 * is a driver that shows nothing, unless replaying --events. */
static void open_display(bool replay)
{
    const char *x11 = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    if (!getenv("SDL_VIDEODRIVER")) {
        if ((!x11 || !*x11) && (!wl || !*wl))
            die(1, "no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset); "
                   "keel-viz --png OUT.png TRACE draws without one");
        if (!wl || !*wl)
            SDL_setenv("SDL_VIDEODRIVER", "x11", 0);
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        die(1, "cannot open a window: %s (keel-viz --png OUT.png TRACE draws without a display)",
            SDL_GetError());
    const char *drv = SDL_GetCurrentVideoDriver();
    if (!replay && drv && (!strcmp(drv, "offscreen") || !strcmp(drv, "dummy")))
        die(1, "no display: SDL's '%s' video driver shows no window; "
               "keel-viz --png OUT.png TRACE draws without one", drv);
}

static int run_window(const struct viz_trace *t, const struct viz_index *ix,
                      const struct viz_view *v0, const char *events)
{
    struct viz_err e;
    char title[96];
    open_display(events != NULL);
    snprintf(title, sizeof title, "keel-viz: %s", t->system);
    SDL_Rect usable = {0, 0, 1500, 860};
    if (SDL_GetDisplayUsableBounds(0, &usable) != 0 || usable.w < 400 || usable.h < 300)
        usable = (SDL_Rect){0, 0, 1500, 860};
    int ww = usable.w * 9 / 10 < 1500 ? usable.w * 9 / 10 : 1500;
    int wh = usable.h * 9 / 10 < 860 ? usable.h * 9 / 10 : 860;
    SDL_Window *win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, ww,
                                       wh, SDL_WINDOW_RESIZABLE);
    if (!win)
        die(1, "cannot open a window: %s", SDL_GetError());
    SDL_Renderer *r = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!r && !(r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE)))
        die(1, "cannot draw in the window: %s", SDL_GetError());
    struct viz_text *tx = viz_text_open(r, &e);
    if (!tx)
        die(1, "%s", e.msg);
    struct ui u = {.ix = ix, .v = *v0, .dirty = true};
    u.v.interactive = true;
    SDL_GetWindowSize(win, &ww, &wh);
    viz_layout_compute(&u.lo, ix, ww, wh, 0);
    if (events)
        push_events(events);
    while (!u.quit) {
        SDL_Event ev;
        if (!SDL_WaitEvent(&ev))
            break;
        do
            on_event(&u, &ev);
        while (SDL_PollEvent(&ev));
        if (!u.dirty || u.quit)
            continue;
        int w, h;
        SDL_GetRendererOutputSize(r, &w, &h);
        viz_layout_compute(&u.lo, ix, w, h, u.v.scroll);
        viz_draw_frame(r, tx, ix, &u.lo, &u.v);
        SDL_RenderPresent(r);
        u.dirty = false;
    }
    if (events) /* what the input did */
        printf("view %" PRIu64 " %" PRIu64 " scroll %zu arrows %d pinned %d window %d %d\n",
               u.v.from, u.v.to, u.v.scroll, u.v.arrows, u.v.pinned, u.lo.w, u.lo.h);
    viz_text_close(tx);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    struct viz_trace t;
    struct viz_index ix;
    struct viz_err e;
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    parse_args(&o, argc, argv);
    if (o.bench)
        return viz_bench(o.trace, o.w, o.h);
    if (o.png || o.layout) /* no display needed: say so before SDL looks for one */
        SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (viz_trace_load(&t, o.trace, &e) != 0 || viz_index_build(&ix, &t, &e) != 0)
        die(1, "%s", e.msg);
    struct viz_view v = {.arrows = true, .mouse_x = o.hover_x, .mouse_y = o.hover_y};
    initial_view(&ix, &o, &v);
    int rc;
    if (o.stats) {
        print_stats(&t, &ix);
        rc = 0;
    } else if (o.png || o.layout) {
        rc = headless(&o, &ix, &v);
    } else {
        rc = run_window(&t, &ix, &v, o.events);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        die(1, "cannot write to standard output: %s", strerror(errno));
    viz_index_free(&ix);
    viz_trace_free(&t);
    SDL_Quit();
    return rc;
}
