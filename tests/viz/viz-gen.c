/*
 * tests/viz/viz-gen.c - writes the synthetic traces tests/viz/test-viz
 * feeds to keel-viz: `viz-gen DIR` creates
 *
 *   good.ktr          34 records, every record type, the timings below
 *                     (the test's expected pixels and numbers come from them)
 *   many.ktr          60 threads switched to in turn (more lanes than fit)
 *   empty.ktr         a header and no records (valid: an empty picture)
 *   zero.ktr          0 bytes
 *   short.ktr         30 bytes: less than a header
 *   bad-magic.ktr     "KEELTRX" instead of "KEELTRC"
 *   bad-version.ktr   version KEEL_TRACE_VERSION + 1
 *   bad-recsize.ktr   record_bytes 48
 *   truncated.ktr     3 records, then 20 bytes of a fourth (offset 184)
 *   unknown-type.ktr  4 records, the third of type 42 (offset 144)
 *   backwards.ktr     2 records, the second earlier than the first
 *   bad-switch.ktr    a SWITCH whose stopped thread is 2^40 (offset 64)
 *
 * Files are written little-endian field by field, as the kernel's are.
 */
#include <keel/fault.h>
#include <keel/syscall.h>
#include <keel/trace.h>

#include "../tools/tracegen.h"

#include <string.h>

/*
 * Threads: 0 idle, 1 root, 2 a server, 3 a client.  Who runs when:
 *   1000-1200 root (before the first switch, which names it as stopped)
 *   1200-1650 2,  1650-1800 3,  1800-2300 2,  2300-2500 root,
 *   2500-3100 idle,  3100-3400 3
 * so over 1000..3400 (2400 ns): idle 600, root 400, 2 950, 3 450.
 * Other states: 2 ready 1650-1800 (preempted), blocked from 2300;
 * root blocked 1200-2000, ready 2000-2300, blocked from 2500; 3 out of
 * budget 1800-2700, ready 2700-3100.
 * Messages: 1 at 1100 (root -> 2), 2 at 2000 (the reply, 2 -> root),
 * 3 at 2450 (3 -> root, taken by root's NBRecv while root runs).
 * Wake-ups and the switch in that follows: 2: 1100 -> 1200 (100),
 * 3: 1500 -> 1650 (150), root: 2000 -> 2300 (300), 3: 2700 -> 3100
 * (400); 2 is woken at 3200 and not switched to.
 * Markers: irq 5 at 1500 (on 2), budget and fault at 1800 (on 3), irqs at
 * 2600 and 2700 (on idle), a signal at 1500 (on 2).
 */
static const struct ev good[] = {
    {1000, KEEL_TRACE_SYSCALL, 1, KEEL_SYS_CALL, 0x10, 0},
    {1100, KEEL_TRACE_IPC_SEND, 1, 1, 0x2, 0x7},
    {1100, KEEL_TRACE_IPC_RECV, 2, 1, 1, 0},
    {1100, KEEL_TRACE_STATE, 2, KEEL_TRACE_ST_RUNNING, KEEL_TRACE_ST_BLOCKED_RECV, 0},
    {1200, KEEL_TRACE_SWITCH, 2, 1, KEEL_TRACE_SW_BLOCKED, 0},
    {1200, KEEL_TRACE_SYSCALL_EXIT, 2, KEEL_SYS_RECV, 0x2, KEEL_TRACE_ST_RUNNING},
    {1500, KEEL_TRACE_IRQ, 2, 5, 0, 0},
    {1500, KEEL_TRACE_SIGNAL, 2, 0xffff0000u, 0x1, 3 + 1},
    {1500, KEEL_TRACE_STATE, 3, KEEL_TRACE_ST_RUNNING, KEEL_TRACE_ST_BLOCKED_NTFN, 0},
    {1650, KEEL_TRACE_SWITCH, 3, 2, KEEL_TRACE_SW_PREEMPTED, 1},
    {1800, KEEL_TRACE_BUDGET, 3, 0x3, 5, 1},
    {1800, KEEL_TRACE_FAULT, 3, KEEL_FAULT_TIMEOUT, 0x3, 0x5},
    {1800, KEEL_TRACE_SWITCH, 2, 3, KEEL_TRACE_SW_BUDGET, 0},
    {2000, KEEL_TRACE_SYSCALL, 2, KEEL_SYS_REPLY_RECV, 0x20, 0},
    {2000, KEEL_TRACE_IPC_SEND, 2, 2, 0x0, 0x0},
    {2000, KEEL_TRACE_IPC_RECV, 1, 2, 2, 1},
    {2000, KEEL_TRACE_STATE, 1, KEEL_TRACE_ST_RUNNING, KEEL_TRACE_ST_BLOCKED_REPLY, 0},
    {2300, KEEL_TRACE_SWITCH, 1, 2, KEEL_TRACE_SW_BLOCKED, 0},
    {2300, KEEL_TRACE_SYSCALL_EXIT, 1, KEEL_SYS_CALL, 0x0, KEEL_TRACE_ST_RUNNING},
    {2400, KEEL_TRACE_SYSCALL, 1, KEEL_SYS_YIELD, 0x0, 0},
    {2400, KEEL_TRACE_SYSCALL_EXIT, 1, KEEL_SYS_YIELD, 0x0, KEEL_TRACE_ST_RUNNING},
    {2450, KEEL_TRACE_SYSCALL, 1, KEEL_SYS_NB_RECV, 0x30, 0},
    {2450, KEEL_TRACE_IPC_SEND, 3, 3, 0x1, 0x9},
    {2450, KEEL_TRACE_IPC_RECV, 1, 3, 3, 0},
    {2450, KEEL_TRACE_SYSCALL_EXIT, 1, KEEL_SYS_NB_RECV, 0x1, KEEL_TRACE_ST_RUNNING},
    {2500, KEEL_TRACE_SYSCALL, 1, KEEL_SYS_RECV, 0x30, 0},
    {2500, KEEL_TRACE_SWITCH, 0, 1, KEEL_TRACE_SW_BLOCKED, 0},
    {2600, KEEL_TRACE_IRQ, 0, 5, 0, 0},
    {2700, KEEL_TRACE_IRQ, 0, 9, 0, 0},
    {2700, KEEL_TRACE_STATE, 3, KEEL_TRACE_ST_RUNNING, KEEL_TRACE_ST_INACTIVE, 0},
    {3100, KEEL_TRACE_SWITCH, 3, 0, KEEL_TRACE_SW_IDLE, 0},
    {3200, KEEL_TRACE_STATE, 2, KEEL_TRACE_ST_RUNNING, KEEL_TRACE_ST_BLOCKED_RECV, 0},
    {3200, KEEL_TRACE_SYSCALL, 3, KEEL_SYS_DEBUG_PUTCHAR, 'k', 0},
    {3400, KEEL_TRACE_SYSCALL, 3, KEEL_SYS_DEBUG_HALT, 0x0, 0},
};

static const struct ev backwards[] = {
    {2000, KEEL_TRACE_IRQ, 0, 5, 0, 0},
    {1000, KEEL_TRACE_IRQ, 0, 5, 0, 0},
};

static const struct ev bad_switch[] = {
    {1000, KEEL_TRACE_SWITCH, 1, (uint64_t)1 << 40, KEEL_TRACE_SW_BLOCKED, 0},
};

#define MANY 60

static const char *dir;

/* Threads 1..MANY, each running 1000 ns in turn. */
static void write_many(const struct keel_trace_header *h)
{
    static struct ev evs[MANY + 1];
    for (uint32_t i = 0; i < MANY; i++)
        evs[i] = (struct ev){1000 + 1000 * (uint64_t)i, KEEL_TRACE_SWITCH, i + 1, i,
                             KEEL_TRACE_SW_YIELDED, 1};
    evs[MANY] = (struct ev){1000 + 1000 * (uint64_t)MANY, KEEL_TRACE_IRQ, MANY, 3, 0, 0};
    tracegen_write("viz-gen", dir, "many.ktr", h, sizeof *h, evs, N_ELEMS(evs), 0);
}

int main(int argc, char **argv)
{
    struct keel_trace_header h;
    struct ev unknown[4];

    if (argc != 2) {
        fprintf(stderr, "usage: viz-gen DIR\n");
        return 2;
    }
    dir = argv[1];
    tracegen_header(&h, 42);
    tracegen_write("viz-gen", dir, "good.ktr", &h, sizeof h, good, N_ELEMS(good), 0);
    write_many(&h);
    tracegen_write("viz-gen", dir, "empty.ktr", &h, sizeof h, good, 0, 0);
    tracegen_write("viz-gen", dir, "zero.ktr", &h, 0, good, 0, 0);
    tracegen_write("viz-gen", dir, "short.ktr", &h, 30, good, 0, 0);
    tracegen_write("viz-gen", dir, "truncated.ktr", &h, sizeof h, good, 3, 20);
    tracegen_write("viz-gen", dir, "backwards.ktr", &h, sizeof h, backwards, N_ELEMS(backwards), 0);
    tracegen_write("viz-gen", dir, "bad-switch.ktr", &h, sizeof h, bad_switch, N_ELEMS(bad_switch), 0);
    memcpy(unknown, good, sizeof unknown);
    unknown[2].type = 42;
    tracegen_write("viz-gen", dir, "unknown-type.ktr", &h, sizeof h, unknown, N_ELEMS(unknown), 0);
    h.magic[6] = 'X';
    tracegen_write("viz-gen", dir, "bad-magic.ktr", &h, sizeof h, good, 2, 0);
    tracegen_header(&h, 42);
    PUT(h.version, KEEL_TRACE_VERSION + 1);
    tracegen_write("viz-gen", dir, "bad-version.ktr", &h, sizeof h, good, 2, 0);
    tracegen_header(&h, 42);
    PUT(h.record_bytes, 48);
    tracegen_write("viz-gen", dir, "bad-recsize.ktr", &h, sizeof h, good, 2, 0);
    return 0;
}
