/*
 * tests/tools/ktrace-gen.c - writes the synthetic trace files that
 * tests/tools/test-ktrace feeds to ktrace: `ktrace-gen DIR` creates
 *
 *   good.ktr          34 records covering every record type, with the
 *                     timings tabled below (the test's expected numbers
 *                     are worked out from them)
 *   empty.ktr         a header and no records
 *   short.ktr         30 bytes: less than a header
 *   bad-magic.ktr     "KEELTRX" instead of "KEELTRC"
 *   bad-version.ktr   version KEEL_TRACE_VERSION + 1
 *   bad-recsize.ktr   record_bytes 48
 *   truncated.ktr     3 records, then 20 bytes of a fourth (offset 184)
 *   unknown-type.ktr  4 records, the third of type 42 (offset 144)
 *   backwards.ktr     2 records, the second earlier than the first
 *
 * Files are written little-endian field by field, as the kernel's are.
 */
#include <keel/fault.h>
#include <keel/syscall.h>
#include <keel/trace.h>

#include "tracegen.h"

#include <string.h>

/*
 * Threads: 0 idle, 1 root, 2 a server, 3 a client.  Who runs when:
 *   1000-1200 root (before the first switch, which names it as stopped)
 *   1200-1650 2,  1650-1800 3,  1800-2300 2,  2300-2500 root,
 *   2500-3100 idle,  3100-3400 3
 * so over 1000..3400 (2400 ns): idle 600, root 400, 2 950, 3 450.
 * Messages: 1 (root -> 2, received while 2 is blocked), 2 (the reply,
 * 2 -> root, root blocked), 3 (3 -> root, taken by root's NBRecv while
 * root runs).
 * Wake-ups (STATE running) and the switch to the thread that follows:
 *   2: 1100 -> 1200 (100), 3: 1500 -> 1650 (150), 1: 2000 -> 2300 (300),
 *   3: 2700 -> 3100 (400); 2 is woken at 3200 and never switched to.
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

static const char *dir;

int main(int argc, char **argv)
{
    struct keel_trace_header h;
    struct ev unknown[4];

    if (argc != 2) {
        fprintf(stderr, "usage: ktrace-gen DIR\n");
        return 2;
    }
    dir = argv[1];

    tracegen_header(&h, 0xfedcba9876543210u);
    tracegen_write("ktrace-gen", dir, "good.ktr", &h, sizeof h, good, N_ELEMS(good), 0);
    tracegen_write("ktrace-gen", dir, "empty.ktr", &h, sizeof h, good, 0, 0);
    tracegen_write("ktrace-gen", dir, "short.ktr", &h, 30, good, 0, 0);
    tracegen_write("ktrace-gen", dir, "truncated.ktr", &h, sizeof h, good, 3, 20);
    tracegen_write("ktrace-gen", dir, "backwards.ktr", &h, sizeof h, backwards, N_ELEMS(backwards), 0);
    memcpy(unknown, good, sizeof unknown);
    unknown[2].type = 42;
    tracegen_write("ktrace-gen", dir, "unknown-type.ktr", &h, sizeof h, unknown, N_ELEMS(unknown), 0);

    h.magic[6] = 'X';
    tracegen_write("ktrace-gen", dir, "bad-magic.ktr", &h, sizeof h, good, 2, 0);
    tracegen_header(&h, 0xfedcba9876543210u);
    PUT(h.version, KEEL_TRACE_VERSION + 1);
    tracegen_write("ktrace-gen", dir, "bad-version.ktr", &h, sizeof h, good, 2, 0);
    tracegen_header(&h, 0xfedcba9876543210u);
    PUT(h.record_bytes, 48);
    tracegen_write("ktrace-gen", dir, "bad-recsize.ktr", &h, sizeof h, good, 2, 0);
    return 0;
}
