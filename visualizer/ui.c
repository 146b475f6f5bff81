/*
 * visualizer/ui.c - the words in keel-viz's picture: fonts and a cache of
 * rendered strings (SDL2_ttf, DejaVu Sans), the side panel (per-thread CPU
 * share, IPC counts and wake-up latency; CPU in view; the keys), and the
 * details box for the event or state under the pointer or pinned by a
 * click.  Also the names of record types, syscalls, faults and states, as
 * docs/trace-format.md lists them (keel-viz includes no kernel header but
 * <keel/trace.h>; tests/viz/viz-fuzz.c checks these tables against
 * keel/syscall.h and keel/fault.h), and the time format.
 *
 * Called by draw.c (every frame), main.c (opening the fonts) and bench.c.
 */
#include "viz.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define FONT_DIR "/usr/share/fonts/truetype/dejavu/"
#define CACHE_MAX 768

/* ---- text ---- */

struct cached {
    uint32_t hash;
    uint8_t font;
    struct viz_rgb c;
    char *s;
    SDL_Texture *tex;
    int w, h;
    unsigned long used;
};

struct viz_text {
    SDL_Renderer *r;
    TTF_Font *font[3];
    struct cached *e;
    size_t n;
    unsigned long clock;
};

struct viz_text *viz_text_open(SDL_Renderer *r, struct viz_err *e)
{
    static const int size[3] = {13, 13, 11};
    const char *path = getenv("KEEL_VIZ_FONT");
    const char *bold = path ? path : FONT_DIR "DejaVuSans-Bold.ttf";
    if (!path)
        path = FONT_DIR "DejaVuSans.ttf";
    if (!TTF_WasInit() && TTF_Init() != 0) {
        viz_fail(e, "cannot start SDL2_ttf: %s", TTF_GetError());
        return NULL;
    }
    struct viz_text *tx = calloc(1, sizeof *tx);
    if (tx)
        tx->e = calloc(CACHE_MAX, sizeof *tx->e);
    if (!tx || !tx->e) {
        free(tx);
        viz_fail(e, "out of memory for the text cache");
        return NULL;
    }
    tx->r = r;
    for (int i = 0; i < 3; i++) {
        tx->font[i] = TTF_OpenFont(i == VF_BOLD ? bold : path, size[i]);
        if (!tx->font[i] && i == VF_BOLD) /* no bold face: the regular one, emboldened */
            if ((tx->font[i] = TTF_OpenFont(path, size[i])) != NULL)
                TTF_SetFontStyle(tx->font[i], TTF_STYLE_BOLD);
        if (!tx->font[i]) {
            viz_fail(e, "cannot open the font %s: %s (fonts-dejavu-core; or set KEEL_VIZ_FONT)",
                     path, TTF_GetError());
            viz_text_close(tx);
            return NULL;
        }
    }
    return tx;
}

void viz_text_close(struct viz_text *tx)
{
    if (!tx)
        return;
    for (size_t i = 0; i < tx->n; i++) {
        free(tx->e[i].s);
        SDL_DestroyTexture(tx->e[i].tex);
    }
    for (int i = 0; i < 3; i++)
        if (tx->font[i])
            TTF_CloseFont(tx->font[i]);
    free(tx->e);
    free(tx);
}

static uint32_t hash_str(const char *s, unsigned font, struct viz_rgb c)
{
    uint32_t h = 2166136261u ^ font ^ (uint32_t)c.r << 8 ^ (uint32_t)c.g << 16 ^ (uint32_t)c.b << 24;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The cached texture of s, rendering it if new (NULL if it cannot be). */
static struct cached *text_get(struct viz_text *tx, enum viz_font f, struct viz_rgb c,
                               const char *s)
{
    uint32_t h = hash_str(s, f, c);
    size_t victim = 0;
    tx->clock++;
    for (size_t i = 0; i < tx->n; i++) {
        struct cached *k = &tx->e[i];
        if (k->hash == h && k->font == f && !memcmp(&k->c, &c, sizeof c) && !strcmp(k->s, s)) {
            k->used = tx->clock;
            return k;
        }
        if (k->used < tx->e[victim].used)
            victim = i;
    }
    SDL_Surface *surf = TTF_RenderUTF8_Blended(tx->font[f], s, (SDL_Color){c.r, c.g, c.b, 255});
    if (!surf)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(tx->r, surf);
    char *copy = strdup(s);
    if (!tex || !copy) {
        SDL_FreeSurface(surf);
        SDL_DestroyTexture(tex);
        free(copy);
        return NULL;
    }
    if (tx->n < CACHE_MAX) {
        victim = tx->n++;
    } else {
        free(tx->e[victim].s);
        SDL_DestroyTexture(tx->e[victim].tex);
    }
    tx->e[victim] = (struct cached){h, (uint8_t)f, c, copy, tex, surf->w, surf->h, tx->clock};
    SDL_FreeSurface(surf);
    return &tx->e[victim];
}

int viz_text_draw(struct viz_text *tx, enum viz_font f, int x, int y, struct viz_rgb c,
                  enum viz_align a, const char *s)
{
    if (!s[0])
        return 0;
    struct cached *k = text_get(tx, f, c, s);
    if (!k)
        return 0;
    int x0 = a == VA_LEFT ? x : a == VA_CENTER ? x - k->w / 2 : x - k->w;
    SDL_RenderCopy(tx->r, k->tex, NULL, &(SDL_Rect){x0, y, k->w, k->h});
    return k->w;
}

int viz_text_width(struct viz_text *tx, enum viz_font f, const char *s)
{
    int w = 0, h = 0;
    if (s[0])
        TTF_SizeUTF8(tx->font[f], s, &w, &h);
    return w;
}

int viz_text_height(struct viz_text *tx, enum viz_font f)
{
    return TTF_FontHeight(tx->font[f]);
}

void viz_fill(SDL_Renderer *r, int x, int y, int w, int h, struct viz_rgb c, uint8_t alpha)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, alpha);
    SDL_RenderFillRect(r, &(SDL_Rect){x, y, w, h});
}

/* ---- names and formats ---- */

const char *viz_type_name(unsigned type)
{
    static const char *const names[KEEL_TRACE_TYPE_COUNT] = {
        [KEEL_TRACE_SWITCH] = "switch",         [KEEL_TRACE_SYSCALL] = "syscall",
        [KEEL_TRACE_SYSCALL_EXIT] = "syscall-exit", [KEEL_TRACE_IPC_SEND] = "ipc-send",
        [KEEL_TRACE_IPC_RECV] = "ipc-recv",     [KEEL_TRACE_SIGNAL] = "signal",
        [KEEL_TRACE_IRQ] = "irq",               [KEEL_TRACE_BUDGET] = "budget",
        [KEEL_TRACE_FAULT] = "fault",           [KEEL_TRACE_STATE] = "state",
        [KEEL_TRACE_PRIORITY] = "priority",
    };
    return type < KEEL_TRACE_TYPE_COUNT && names[type] ? names[type] : "?";
}

/* Syscall numbers as docs/trace-format.md lists them (keel/syscall.h). */
const char *viz_syscall_name(uint64_t n)
{
    static const char *const low[] = {NULL,     "Call",   "ReplyRecv", "NBSendRecv",
                                      "NBSendWait", "Send", "NBSend",  "Recv",
                                      "NBRecv", "Wait",   "NBWait",    "Yield"};
    static const char *const debug[] = {"DebugPutChar", "DebugHalt", "DebugCapIdentify",
                                        "DebugSnapshot"};
    if (n < N_ELEMS(low))
        return low[n];
    if (n >= 32 && n < 32 + N_ELEMS(debug))
        return debug[n - 32];
    return NULL;
}

const char *viz_fault_name(uint64_t n)
{
    static const char *const names[] = {"NullFault", "CapFault", "UnknownSyscall",
                                        "UserException", "Timeout", "VMFault"};
    return n < N_ELEMS(names) ? names[n] : NULL;
}

static const char *trace_state_name(uint64_t s)
{
    static const char *const names[] = {"inactive", "running", "blocked-send", "blocked-recv",
                                        "blocked-reply", "blocked-ntfn", "idle"};
    return s < N_ELEMS(names) ? names[s] : "?";
}

static const char *switch_name(uint64_t s)
{
    static const char *const names[] = {"blocked", "preempted", "yielded",
                                        "budget",  "stopped",   "idle"};
    return s < N_ELEMS(names) ? names[s] : "?";
}

const char *viz_state_name(enum viz_state s)
{
    static const char *const names[VS_COUNT] = {
        [VS_NONE] = "not known", [VS_INACTIVE] = "inactive", [VS_BLOCKED] = "blocked",
        [VS_THROTTLED] = "out of budget", [VS_READY] = "ready", [VS_RUNNING] = "running",
    };
    return (unsigned)s < VS_COUNT ? names[s] : "?";
}

void viz_describe(const struct keel_trace_rec *r, char *out, size_t size)
{
    const char *n;
    switch (r->type) {
    case KEEL_TRACE_SWITCH:
        snprintf(out, size, "from %" PRIu64 " (%s), %" PRIu64 " ready", r->a0, switch_name(r->a1),
                 r->a2);
        break;
    case KEEL_TRACE_SYSCALL:
        n = viz_syscall_name(r->a0);
        if (n)
            snprintf(out, size, "%s cptr 0x%" PRIx64, n, r->a1);
        else
            snprintf(out, size, "syscall %" PRIu64 " cptr 0x%" PRIx64, r->a0, r->a1);
        break;
    case KEEL_TRACE_SYSCALL_EXIT:
        n = viz_syscall_name(r->a0);
        if (n)
            snprintf(out, size, "%s label 0x%" PRIx64 ", now %s", n, r->a1,
                     trace_state_name(r->a2));
        else
            snprintf(out, size, "syscall %" PRIu64 " label 0x%" PRIx64 ", now %s", r->a0, r->a1,
                     trace_state_name(r->a2));
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
            snprintf(out, size, "ntfn 0x%" PRIx64 " badge 0x%" PRIx64 ", woke none", r->a0,
                     r->a1);
        break;
    case KEEL_TRACE_IRQ:
        snprintf(out, size, "irq %" PRIu64, r->a0);
        break;
    case KEEL_TRACE_BUDGET:
        snprintf(out, size, "badge 0x%" PRIx64 " consumed %" PRIu64 " us%s", r->a0, r->a1,
                 r->a2 ? ", timeout fault follows" : "");
        break;
    case KEEL_TRACE_FAULT:
        n = viz_fault_name(r->a0);
        snprintf(out, size, "%s 0x%" PRIx64 " 0x%" PRIx64, n ? n : "fault ?", r->a1, r->a2);
        break;
    case KEEL_TRACE_STATE:
        snprintf(out, size, "%s (was %s)", trace_state_name(r->a0), trace_state_name(r->a1));
        break;
    case KEEL_TRACE_PRIORITY:
        snprintf(out, size, "priority %" PRIu64, r->a0);
        break;
    default:
        snprintf(out, size, "?");
        break;
    }
}

void viz_fmt_time(uint64_t ns, uint64_t step, char *buf, size_t size)
{
    static const struct {
        uint64_t div;
        const char *name;
    } units[] = {{1000000000, "s"}, {1000000, "ms"}, {1000, "\xc2\xb5s"}, {1, "ns"}};
    if (ns == 0) {
        snprintf(buf, size, "0");
        return;
    }
    size_t u = 0;
    while (u + 1 < N_ELEMS(units) && ns < units[u].div)
        u++;
    uint64_t div = units[u].div, part = div;
    int digits = 0;
    if (step == 0) /* natural: three decimals */
        digits = div >= 1000 ? 3 : 0;
    while (step && step % part != 0 && part > 1) {
        part /= 10;
        digits++;
    }
    digits = digits < 0 ? 0 : digits > 9 ? 9 : digits;
    uint64_t scale = 1;
    for (int i = 0; i < digits; i++)
        scale *= 10;
    if (digits == 0)
        snprintf(buf, size, "%" PRIu64 " %s", ns / div, units[u].name);
    else
        snprintf(buf, size, "%" PRIu64 ".%0*" PRIu64 " %s", ns / div, digits,
                 ns % div / (div / scale), units[u].name);
}

/* ns in a few characters: "850 ns", "12.3 µs", "4.56 ms". */
static void fmt_short(double ns, char *buf, size_t size)
{
    if (ns < 1000)
        snprintf(buf, size, "%.0f ns", ns);
    else if (ns < 1e6)
        snprintf(buf, size, "%.1f \xc2\xb5s", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, size, "%.2f ms", ns / 1e6);
    else
        snprintf(buf, size, "%.2f s", ns / 1e9);
}

/* ---- the side panel ---- */

static const struct viz_rgb ink = {30, 30, 30}, grey = {105, 105, 110};
const struct viz_rgb viz_box_rgb = {255, 253, 231};

/* Right edges of the table's columns, as fractions of the inner width. */
static const double col_right[] = {0.37, 0.49, 0.61, 0.72, 0.86, 1.0};
static const char *const col_name[] = {"CPU", "sent", "recv", "wakes", "mean", "p99"};

static void table_row(struct viz_text *tx, int x, int w, int y, const char *const cells[6],
                      struct viz_rgb c, enum viz_font f)
{
    for (int i = 0; i < 6; i++)
        viz_text_draw(tx, f, x + (int)(col_right[i] * w), y, c, VA_RIGHT, cells[i]);
}

/* The whole-trace table; returns the y below it. */
static int panel_table(SDL_Renderer *r, struct viz_text *tx, const struct viz_index *ix, int x,
                       int w, int y, int max_y)
{
    viz_text_draw(tx, VF_BOLD, x, y, ink, VA_LEFT, "Threads (whole trace)");
    y += 20;
    viz_text_draw(tx, VF_SMALL, x, y, grey, VA_LEFT, "thread");
    table_row(tx, x, w, y, col_name, grey, VF_SMALL);
    y += 16;
    double span = (double)(ix->t_last - ix->t_first);
    size_t i;
    for (i = 0; i < ix->nlanes && y + 17 <= max_y; i++, y += 17) {
        const struct viz_lane *l = &ix->lane[i];
        char name[32], c[6][24];
        viz_fill(r, x, y + 4, 8, 8, viz_lane_colour(l), 255);
        viz_text_draw(tx, VF_SMALL, x + 12, y, ink, VA_LEFT, viz_thread_name(l->tid, name, 32));
        if (span > 0)
            snprintf(c[0], 24, "%.2f%%", 100.0 * (double)l->cpu_ns / span);
        else
            snprintf(c[0], 24, "-");
        snprintf(c[1], 24, "%" PRIu64, l->n_send);
        snprintf(c[2], 24, "%" PRIu64, l->n_recv);
        snprintf(c[3], 24, "%zu", l->nlat);
        if (l->nlat) {
            fmt_short(l->lat_mean, c[4], 24);
            fmt_short((double)l->lat_p99, c[5], 24);
        } else {
            snprintf(c[4], 24, "-");
            snprintf(c[5], 24, "-");
        }
        const char *const cells[6] = {c[0], c[1], c[2], c[3], c[4], c[5]};
        table_row(tx, x, w, y, cells, ink, VF_SMALL);
    }
    if (i < ix->nlanes) {
        char more[48];
        snprintf(more, sizeof more, "... and %zu more threads", ix->nlanes - i);
        viz_text_draw(tx, VF_SMALL, x, y, grey, VA_LEFT, more);
        y += 17;
    }
    viz_text_draw(tx, VF_SMALL, x, y + 2, grey, VA_LEFT,
                  "wake-up latency: from becoming ready (STATE or IPC)");
    viz_text_draw(tx, VF_SMALL, x, y + 16, grey, VA_LEFT,
                  "to the next switch in; p99 by nearest rank");
    return y + 40;
}

/* CPU share of each thread within the view, as bars; returns the y below. */
static int panel_view(SDL_Renderer *r, struct viz_text *tx, const struct viz_index *ix,
                      const struct viz_view *v, int x, int w, int y, int max_y)
{
    uint64_t a = v->from > ix->t_first ? v->from : ix->t_first;
    uint64_t b = v->to < ix->t_last ? v->to : ix->t_last;
    double span = b > a ? (double)(b - a) : 0;
    char s[96], t[32];
    if (y + 40 > max_y)
        return y;
    viz_fmt_time(v->to - v->from, 0, t, sizeof t);
    snprintf(s, sizeof s, "In view (%s): CPU busy %.1f%%", t,
             span > 0 ? 100.0 * (double)(viz_cpu_cum(ix, b) - viz_cpu_cum(ix, a)) / span : 0.0);
    viz_text_draw(tx, VF_BOLD, x, y, ink, VA_LEFT, s);
    y += 20;
    for (size_t i = 0; i < ix->nlanes && y + 15 <= max_y; i++, y += 15) {
        const struct viz_lane *l = &ix->lane[i];
        double share = span > 0 ? (double)(viz_lane_cum(l, ix->t_last, b, false) -
                                           viz_lane_cum(l, ix->t_last, a, false)) / span
                                : 0;
        char name[32];
        viz_text_draw(tx, VF_SMALL, x, y, ink, VA_LEFT, viz_thread_name(l->tid, name, 32));
        int bw = (int)((w - 140) * share + 0.5);
        viz_fill(r, x + 80, y + 3, w - 140, 9, (struct viz_rgb){228, 230, 235}, 255);
        viz_fill(r, x + 80, y + 3, bw, 9, viz_lane_colour(l), 255);
        snprintf(s, sizeof s, "%.1f%%", 100.0 * share);
        viz_text_draw(tx, VF_SMALL, x + w, y, ink, VA_RIGHT, s);
    }
    return y + 10;
}

static void panel_keys(struct viz_text *tx, int x, int y, int max_y)
{
    static const char *const keys[] = {
        "wheel, + -   zoom (at the pointer)",   "drag, left right   pan",
        "f, 0   fit the whole trace",           "up down, PgUp PgDn   scroll lanes",
        "hover   details; click pins them",     "a   IPC arrows on/off;  q, Esc   quit",
    };
    if (y + 20 + 15 * (int)N_ELEMS(keys) > max_y)
        return;
    viz_text_draw(tx, VF_BOLD, x, y, ink, VA_LEFT, "Keys");
    for (size_t i = 0; i < N_ELEMS(keys); i++)
        viz_text_draw(tx, VF_SMALL, x, y + 20 + 15 * (int)i, grey, VA_LEFT, keys[i]);
}

void viz_draw_panel(SDL_Renderer *r, struct viz_text *tx, const struct viz_index *ix,
                    const struct viz_layout *lo, const struct viz_view *v)
{
    if (lo->panel_w == 0)
        return;
    int x = lo->panel_x + 12, w = lo->panel_w - 24, y = lo->title_h + 10;
    viz_fill(r, lo->panel_x, lo->title_h, lo->panel_w, lo->h - lo->title_h,
             (struct viz_rgb){244, 245, 248}, 255);
    viz_fill(r, lo->panel_x, lo->title_h, 1, lo->h - lo->title_h, (struct viz_rgb){200, 203, 210},
             255);
    int keys_h = v->interactive ? 115 : 0;
    y = panel_table(r, tx, ix, x, w, y, (lo->h - keys_h) * 2 / 3);
    y = panel_view(r, tx, ix, v, x, w, y, lo->h - keys_h - 10);
    if (v->interactive)
        panel_keys(tx, x, lo->h - keys_h, lo->h);
}

/* ---- the details box ---- */

struct lines {
    char (*s)[VIZ_LINE];
    int n, max;
};

static void add_line(struct lines *ls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_line(struct lines *ls, const char *fmt, ...)
{
    if (ls->n == ls->max)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ls->s[ls->n++], VIZ_LINE, fmt, ap);
    va_end(ap);
}

/* The lines about record ri of lane l. */
static void record_lines(const struct viz_index *ix, const struct viz_lane *l, long ri,
                         struct lines *ls)
{
    const struct keel_trace_rec *r = &ix->tr->rec[ri];
    char f[160], t[40], name[32];
    viz_describe(r, f, sizeof f);
    viz_fmt_time(r->time_ns, 1, t, sizeof t);
    add_line(ls, "%s at %s", viz_type_name(r->type), t);
    add_line(ls, "%s", f);
    if (r->type == KEEL_TRACE_IPC_SEND) {
        size_t k = viz_msg_lower(l, r->time_ns);
        for (; k < l->nsent && l->sent[k].t == r->time_ns; k++)
            if (l->sent[k].send == (uint32_t)ri)
                add_line(ls, "to %s%s",
                         viz_thread_name(ix->lane[l->sent[k].to].tid, name, sizeof name),
                         l->sent[k].reply ? " (a reply)" : "");
    }
}

/* The lines about lane l at time t: its state and how long it lasted. */
static void state_lines(const struct viz_index *ix, const struct viz_lane *l, uint64_t t,
                        struct lines *ls)
{
    long k = viz_lane_change_at(l, t);
    char a[40], b[40], d[40];
    if (k < 0 || t > ix->t_last) {
        add_line(ls, "state not known here");
        return;
    }
    uint64_t end = (size_t)k + 1 < l->nchg ? l->ct[k + 1] : ix->t_last;
    viz_fmt_time(l->ct[k], 1, a, sizeof a);
    viz_fmt_time(end, 1, b, sizeof b);
    viz_fmt_time(end - l->ct[k], 1, d, sizeof d);
    add_line(ls, "%s from %s to %s (%s)", viz_state_name((enum viz_state)l->cs[k]), a, b, d);
}

static void plot_lines(const struct viz_index *ix, const struct viz_layout *lo,
                       const struct viz_view *v, int x, int y, struct lines *ls)
{
    size_t i = lo->first_lane + (size_t)((y - lo->plot_y) / lo->lane_h);
    if (i >= lo->first_lane + lo->nvisible)
        return;
    const struct viz_lane *l = &ix->lane[i];
    int c = x - lo->plot_x;
    uint64_t t = viz_col_time(lo, v, c);
    long ri = viz_hit_record(ix, l, viz_col_time(lo, v, c - 4), viz_col_time(lo, v, c + 5), t);
    char name[32];
    add_line(ls, "%s", viz_thread_name(l->tid, name, sizeof name));
    if (ri >= 0)
        record_lines(ix, l, ri, ls);
    state_lines(ix, l, ri >= 0 ? ix->tr->rec[ri].time_ns : t, ls);
}

static void cpu_lines(const struct viz_index *ix, const struct viz_layout *lo,
                      const struct viz_view *v, int x, struct lines *ls)
{
    uint64_t a = viz_col_time(lo, v, x - lo->plot_x), b = viz_col_time(lo, v, x - lo->plot_x + 1);
    char t[40], w[40];
    if (a < ix->t_first)
        a = ix->t_first;
    if (b > ix->t_last)
        b = ix->t_last;
    if (b <= a)
        return;
    viz_fmt_time(a, 1, t, sizeof t);
    viz_fmt_time(b - a, 1, w, sizeof w);
    add_line(ls, "CPU load %.1f%%", 100.0 * (double)(viz_cpu_cum(ix, b) - viz_cpu_cum(ix, a)) /
                                        (double)(b - a));
    add_line(ls, "at %s (a column of %s)", t, w);
}

int viz_details(const struct viz_index *ix, const struct viz_layout *lo,
                const struct viz_view *v, char (*out)[VIZ_LINE], int max)
{
    int x = v->pinned ? v->pin_x : v->mouse_x, y = v->pinned ? v->pin_y : v->mouse_y;
    struct lines ls = {.s = out, .n = 0, .max = max};
    if (x < lo->plot_x || x >= lo->plot_x + lo->plot_w || y < 0)
        return 0;
    if (y >= lo->plot_y && y < lo->plot_y + (int)lo->nvisible * lo->lane_h)
        plot_lines(ix, lo, v, x, y, &ls);
    else if (y >= lo->cpu_y && y < lo->cpu_y + lo->cpu_h)
        cpu_lines(ix, lo, v, x, &ls);
    return ls.n;
}

void viz_draw_details(SDL_Renderer *r, struct viz_text *tx, const struct viz_index *ix,
                      const struct viz_layout *lo, const struct viz_view *v)
{
    char s[8][VIZ_LINE];
    int n = viz_details(ix, lo, v, s, 8);
    int x = v->pinned ? v->pin_x : v->mouse_x, y = v->pinned ? v->pin_y : v->mouse_y;
    if (n == 0)
        return;
    int bw = 0, lh = viz_text_height(tx, VF_NORMAL) + 2;
    for (int i = 0; i < n; i++) {
        int tw = viz_text_width(tx, i ? VF_NORMAL : VF_BOLD, s[i]);
        bw = tw > bw ? tw : bw;
    }
    bw += 16;
    int bh = n * lh + 10, bx = x + 14, by = y + 14;
    if (bx + bw > lo->w)
        bx = x - 14 - bw;
    if (by + bh > lo->h)
        by = y - 14 - bh;
    if (v->pinned)
        viz_fill(r, x, lo->plot_y, 1, (int)lo->nvisible * lo->lane_h, ink, 160);
    viz_fill(r, bx, by, bw, bh, (struct viz_rgb){60, 60, 70}, 255);
    viz_fill(r, bx + 1, by + 1, bw - 2, bh - 2, viz_box_rgb, 255);
    for (int i = 0; i < n; i++)
        viz_text_draw(tx, i ? VF_NORMAL : VF_BOLD, bx + 8, by + 5 + i * lh, ink, VA_LEFT, s[i]);
}
