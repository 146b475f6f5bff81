/*
 * visualizer/viz.h - the parts of keel-viz, the SDL2 viewer of Keel kernel
 * traces, and how they talk to each other.
 *
 *   trace.c   reads and checks a trace file (docs/trace-format.md): the
 *             records in host order, or one line naming the problem
 *   index.c   turns the records into lanes (one per thread): state
 *             changes with prefix sums of running and ready time, marker
 *             lists, IPC messages, per-thread statistics; the queries the
 *             renderer and the hit tests use
 *   draw.c    the layout (where lanes, axis and strips go) and the drawing
 *             of one frame on any SDL_Renderer (window or software)
 *   ui.c      text (a cache of rendered strings), the side panel, the
 *             legend, event descriptions and the hover/click details box
 *   bench.c   --bench: a one-million-record trace, load and frame timings
 *   main.c    options, the headless --png/--layout/--stats modes and the
 *             interactive window
 *
 * Nothing here includes a kernel header other than <keel/trace.h> (and the
 * <keel/types.h> it pulls in): keel-viz reads the documented format only.
 * Errors are returned as -1 with a one-line message in a struct viz_err;
 * only main.c prints them and exits.
 */
#ifndef KEEL_VIZ_H
#define KEEL_VIZ_H

#include <keel/trace.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- errors ---- */

struct viz_err {
    char msg[512];
};
/* Fill e with a printf-style message and return -1. */
int viz_fail(struct viz_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- trace.c: the file ---- */

struct viz_trace {
    uint32_t version, word_bits;
    uint64_t seed;
    char system[33];               /* printable, 0-terminated */
    struct keel_trace_rec *rec;    /* host order, time never decreasing */
    size_t n;
};

/* Read and check PATH (errors name it); 0 or -1. */
int viz_trace_load(struct viz_trace *t, const char *path, struct viz_err *e);
/* The same from SIZE bytes in memory; NAME prefixes the messages. */
int viz_trace_parse(struct viz_trace *t, const unsigned char *buf, size_t size, const char *name,
                    struct viz_err *e);
void viz_trace_free(struct viz_trace *t);

/* ---- index.c: lanes, messages, statistics ---- */

/* What a lane shows at a time; the order is the drawing priority. */
enum viz_state {
    VS_NONE,       /* not known (before its first event), or the idle thread not running */
    VS_INACTIVE,   /* not started or suspended */
    VS_BLOCKED,    /* waiting in IPC or on a notification */
    VS_THROTTLED,  /* out of budget: runnable once its context is replenished */
    VS_READY,      /* runnable, waiting for the CPU */
    VS_RUNNING,
    VS_COUNT
};

/* Record indices (into viz_trace.rec) in time order. */
struct viz_idx {
    uint32_t *v;
    size_t n, cap;
};

/* A message that reached its receiver: both records are in the trace. */
struct viz_msg {
    uint64_t t;
    uint32_t send, recv;           /* record indices */
    uint32_t to;                   /* the receiver's lane */
    bool reply;
};

struct viz_lane {
    uint32_t tid;
    int prio;                      /* its last PRIORITY record's priority, or -1 */
    /* state changes: from ct[i] on the lane is in state cs[i]; crun[i] and
     * crdy[i] are the running and ready ns before ct[i] */
    uint64_t *ct, *crun, *crdy;
    uint8_t *cs;
    size_t nchg, capchg;
    struct viz_idx recs;           /* every record about this thread */
    struct viz_idx irq, budget, fault, signal;
    struct viz_msg *sent;          /* messages it sent, in time order */
    size_t nsent, capsent;
    /* statistics over the whole trace */
    uint64_t cpu_ns, n_send, n_recv, n_sys;
    uint64_t *lat;                 /* wake-up latencies, sorted */
    size_t nlat, caplat, lat_pending;
    double lat_mean;
    uint64_t lat_p99, lat_max;
    /* while indexing */
    bool waking;
    uint64_t wake_at;
};

struct viz_index {
    const struct viz_trace *tr;
    struct viz_lane *lane;         /* display order: by priority, root, tid; idle last */
    size_t nlanes;
    uint64_t t_first, t_last;      /* the traced interval */
    bool have_switch;              /* without SWITCH records nothing ran, as far as we know */
    /* non-idle CPU time: from cput[i] on the CPU is busy iff cbusy[i];
     * ccum[i] = busy ns before cput[i] */
    uint64_t *cput, *ccum;
    uint8_t *cbusy;
    size_t ncpu, capcpu;
    size_t nmsgs, nirqs;
    /* tid -> lane (open addressing) */
    uint32_t *hkey;
    uint32_t *hval;
    size_t hcap;
};

#define VIZ_MAX_LANES 65536u

int viz_index_build(struct viz_index *ix, const struct viz_trace *t, struct viz_err *e);
void viz_index_free(struct viz_index *ix);
/* The lane of tid, or -1. */
long viz_lane_of(const struct viz_index *ix, uint32_t tid);
/* Running (ready = false) or ready (true) ns of lane l before time t. */
uint64_t viz_lane_cum(const struct viz_lane *l, uint64_t t_last, uint64_t t, bool ready);
/* The index of the state change in force at t, or -1 before the first. */
long viz_lane_change_at(const struct viz_lane *l, uint64_t t);
enum viz_state viz_lane_state_at(const struct viz_lane *l, uint64_t t);
/* Non-idle CPU ns before t. */
uint64_t viz_cpu_cum(const struct viz_index *ix, uint64_t t);
/* The first position in x whose record is at or after t. */
size_t viz_idx_lower(const struct viz_trace *tr, const struct viz_idx *x, uint64_t t);
/* The first message of l sent at or after t. */
size_t viz_msg_lower(const struct viz_lane *l, uint64_t t);
/* The record of lane l in [lo, hi] that a hover should name (the most
 * important type, then the nearest to mid), or -1. */
long viz_hit_record(const struct viz_index *ix, const struct viz_lane *l, uint64_t lo,
                    uint64_t hi, uint64_t mid);
/* "idle", "root" or "thread N" into buf. */
const char *viz_thread_name(uint32_t tid, char *buf, size_t size);

/* ---- draw.c: layout and frames ---- */

struct viz_rgb {
    uint8_t r, g, b;
};

/* Where things go in a W x H picture.  Time t is at pixel column
 * plot_x + floor((t - from) * plot_w / (to - from)). */
struct viz_layout {
    int w, h;
    int title_h;
    int cpu_x, cpu_y, cpu_w, cpu_h;      /* the CPU-load strip */
    int axis_y, axis_h;                  /* the time axis (labels) */
    int plot_x, plot_y, plot_w, plot_h;  /* the lanes' area */
    int label_w;                         /* lane labels, left of plot_x */
    int panel_x, panel_w;                /* the side panel (panel_w 0: none) */
    int lane_h, band_off, band_h;        /* lane pitch; the coloured band inside it */
    size_t first_lane, nvisible;         /* lanes shown (vertical scrolling) */
};

/* What to show: the time range, the lane scroll, the pointer. */
struct viz_view {
    uint64_t from, to;                   /* to > from */
    size_t scroll;                       /* first lane shown */
    bool arrows;                         /* IPC arrows on */
    bool interactive;                    /* a window: the panel lists the keys */
    int mouse_x, mouse_y;                /* -1: none */
    bool pinned;                         /* details box pinned by a click */
    int pin_x, pin_y;
};

/* The fonts and the rendered-text cache (ui.c). */
struct viz_text;

void viz_layout_compute(struct viz_layout *lo, const struct viz_index *ix, int w, int h,
                        size_t scroll);
/* The lane's running colour, as drawn for a fully running column. */
struct viz_rgb viz_lane_colour(const struct viz_lane *l);
extern const struct viz_rgb viz_ipc_rgb, viz_reply_rgb, viz_irq_rgb, viz_budget_rgb,
    viz_fault_rgb, viz_blocked_rgb, viz_cpu_rgb;
/* The top pixel row of the i-th lane (display order), or -1 if hidden. */
int viz_lane_y(const struct viz_layout *lo, size_t i);
/* Pixel column of time t (may be outside the plot), and the time at a
 * column boundary. */
double viz_time_x(const struct viz_layout *lo, const struct viz_view *v, uint64_t t);
uint64_t viz_col_time(const struct viz_layout *lo, const struct viz_view *v, int col);
/* Draw one full frame. */
void viz_draw_frame(SDL_Renderer *r, struct viz_text *tx, const struct viz_index *ix,
                    const struct viz_layout *lo, const struct viz_view *v);

/* ---- ui.c: text, panel, details ---- */

enum viz_font { VF_NORMAL, VF_BOLD, VF_SMALL };
enum viz_align { VA_LEFT, VA_CENTER, VA_RIGHT };

struct viz_text *viz_text_open(SDL_Renderer *r, struct viz_err *e);
void viz_text_close(struct viz_text *tx);
/* Draw s at (x, y) (top of the text; x per align); returns its width. */
int viz_text_draw(struct viz_text *tx, enum viz_font f, int x, int y, struct viz_rgb c,
                  enum viz_align a, const char *s);
int viz_text_width(struct viz_text *tx, enum viz_font f, const char *s);
int viz_text_height(struct viz_text *tx, enum viz_font f);
void viz_fill(SDL_Renderer *r, int x, int y, int w, int h, struct viz_rgb c, uint8_t alpha);
void viz_draw_panel(SDL_Renderer *r, struct viz_text *tx, const struct viz_index *ix,
                    const struct viz_layout *lo, const struct viz_view *v);
void viz_draw_details(SDL_Renderer *r, struct viz_text *tx, const struct viz_index *ix,
                      const struct viz_layout *lo, const struct viz_view *v);
/* The details box's lines for the pointer (or pinned) position: the event
 * under it (or the lane's state there), or the CPU load; how many. */
#define VIZ_LINE 128
int viz_details(const struct viz_index *ix, const struct viz_layout *lo,
                const struct viz_view *v, char (*out)[VIZ_LINE], int max);
extern const struct viz_rgb viz_box_rgb;
/* One record decoded, as ktrace dump prints its fields. */
void viz_describe(const struct keel_trace_rec *r, char *out, size_t size);
const char *viz_type_name(unsigned type);
const char *viz_syscall_name(uint64_t n);
const char *viz_fault_name(uint64_t n);
const char *viz_state_name(enum viz_state s);
/* ns as "12.345 ms" with a precision that fits step (0: natural). */
void viz_fmt_time(uint64_t ns, uint64_t step, char *buf, size_t size);

/* ---- bench.c ---- */

/* Write a synthetic trace of n records to path; 0 or -1. */
int viz_bench_write(const char *path, size_t n, struct viz_err *e);
/* --bench [TRACE]: prints the two bench lines; returns the exit status. */
int viz_bench(const char *trace, int w, int h);

#endif /* KEEL_VIZ_H */
