/*
 * fuzz/seeds.c - writes the seed corpus of fuzz harness 1 (fuzz/syscalls.c)
 * into a directory: small hand-written programs that, between them, make
 * every invocation and every syscall the harness knows succeed at least
 * once (objects of every type, CNode operations, a second thread with its
 * own scheduling context, IPC with and without a reply, a passive server,
 * notifications, faults, timeouts, revocation).  The fuzzer starts from
 * them; `make test` replays them as regression tests.
 *
 *   fuzz-seeds DIR DICT   (make fuzz-seeds writes fuzz/corpus/syscalls/ and
 *                          fuzz/syscalls.dict: every operation used here, as
 *                          a libFuzzer/AFL++ dictionary entry)
 *
 * Slot bytes (kfuzz.h): 0..19 name slots 1..20 (U = the 1 MiB untyped,
 * slot 17), 20 + j names the j-th empty slot (W(j)).
 */
#include "syscalls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TCB0 0  /* the root task's TCB (slot 1) */
#define CTRL 4  /* SchedControl (slot 5) */
#define RSC 7   /* the root task's SchedContext (slot 8) */
#define U 16    /* the largest untyped (slot 17) */
#define W(j) (20 + (j))

/* Object types (keel/objects.h) */
enum { UT, TCB, EP, NTFN, CNODE, SC, REPLY, FRAME };

static unsigned char prog[4096];
static size_t len;
static FILE *dict;
static unsigned entries;

/* Append one operation; the first time an operation (with these
 * arguments) appears, it also becomes a dictionary entry. */
static void op(int code, int n, ...)
{
    static char seen[512][24];
    char hex[128];
    size_t start = len, h = 0;
    __builtin_va_list ap;
    __builtin_va_start(ap, n);
    prog[len++] = (unsigned char)code;
    for (int i = 0; i < n; i++)
        prog[len++] = (unsigned char)__builtin_va_arg(ap, int);
    __builtin_va_end(ap);
    for (size_t i = start; i < len; i++)
        h += (size_t)snprintf(hex + h, sizeof(hex) - h, "\\x%02x", prog[i]);
    for (unsigned i = 0; i < entries; i++)
        if (len - start == (size_t)seen[i][0] && !memcmp(seen[i] + 1, prog + start, len - start))
            return;
    if (entries < 512) {
        seen[entries][0] = (char)(len - start);
        memcpy(seen[entries] + 1, prog + start, len - start);
        fprintf(dict, "op%u=\"%s\"\n", entries++, hex);
    }
}

#define OP(code, ...) op(code, sizeof((int[]){__VA_ARGS__}) / sizeof(int), __VA_ARGS__)
#define OP0(code) op(code, 0)

static void retype(int type, int dest)
{
    OP(OP_RETYPE, U, type, 0, dest, 0);
}

/* A thread in W(t) with an IPC buffer frame in W(t+1), a 1 ms round-robin
 * context in W(t+2) (period byte 4 = 1000 us, budget = period), priority
 * prio, fault endpoint fault (a slot byte), started. */
static void thread(int t, int prio, int fault)
{
    retype(TCB, W(t));
    retype(FRAME, W(t + 1));
    retype(SC, W(t + 2));
    OP(OP_SC_CONFIGURE, W(t + 2), 4, 4, 0, 0);
    OP(OP_SC_BIND, W(t + 2), W(t));
    OP(OP_TCB_CONFIGURE, W(t), fault, W(t + 1));
    OP(OP_TCB_PRIORITY, W(t), prio);
    OP(OP_TCB_RESUME, W(t));
}

static void save(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(prog, 1, len, f) != len || fclose(f)) {
        fprintf(stderr, "fuzz-seeds: cannot write '%s'\n", path);
        exit(1);
    }
    len = 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: fuzz-seeds DIR DICT\n");
        return 2;
    }
    const char *dir = argv[1];
    dict = fopen(argv[2], "w");
    if (!dict) {
        fprintf(stderr, "fuzz-seeds: cannot write '%s'\n", argv[2]);
        return 1;
    }
    fprintf(dict, "# fuzz/syscalls.dict - written by fuzz/seeds.c (make fuzz-seeds): every\n"
                  "# operation of the seed programs, for libFuzzer -dict and afl-fuzz -x.\n");

    /* Every object type, then every CNode operation on them. */
    for (int t = 0; t < 8; t++)
        retype(t, W(t));
    OP(OP_COPY, W(10), W(2), 0xf);
    OP(OP_MINT, W(11), W(2), 0x7, 5);
    OP(OP_MINT, W(12), W(11), 0x3, 0);
    OP(OP_MUTATE, W(13), W(10), 1);
    OP(OP_MOVE, W(14), W(13));
    OP(OP_ROTATE, W(15), W(14), W(11), 0);
    OP(OP_MUTATE, W(16), W(4), 0x15);          /* a CNode with a guard */
    OP(OP_CANCEL_BADGED, W(15));
    OP(OP_FRAME_ADDRESS, W(7));
    OP(OP_REVOKE, W(2));
    OP(OP_DELETE, W(11));
    OP(OP_DELETE, W(0));
    OP(OP_REVOKE, U);
    save(dir, "objects-and-cnode-ops");

    /* Untyped inside untyped, objects from the child, revoke the parent. */
    OP(OP_RETYPE, U, UT, 4, W(0), 1);          /* 2 x 2^10? (bits byte 4 -> 2^10) */
    OP(OP_RETYPE, W(0), EP, 0, W(2), 3);
    OP(OP_RETYPE, W(1), CNODE, 0, W(6), 0);
    OP(OP_COPY, W(7), W(0), 0xf);
    OP(OP_RETYPE, W(7), NTFN, 0, W(8), 0);     /* through a copy: refused */
    OP(OP_REVOKE, W(0));
    OP(OP_RETYPE, W(0), TCB, 0, W(9), 0);
    OP(OP_REVOKE, U);
    save(dir, "untyped-tree-revoke");

    /* A second thread, IPC both ways with a reply object, caps granted. */
    retype(EP, W(10));
    retype(REPLY, W(11));
    retype(NTFN, W(12));
    OP(OP_MINT, W(13), W(10), 0xf, 7);         /* badged, all rights */
    thread(0, 255, W(10));
    OP(OP_TCB_MCP, W(0), 200);
    OP0(OP_YIELD);
    OP(OP_RECV, W(10), W(11), W(20));          /* made by the new thread: it blocks */
    OP(OP_CALL, W(13), 9, 64 + 3, W(12), W(12), W(21)); /* root calls with a cap */
    OP(OP_REPLY_RECV, W(10), W(11), 2, W(22)); /* the thread replies, waits again */
    OP(OP_SEND, W(13), 1, 1, 0, 0, W(23));
    OP(OP_NBSEND, W(13), 1, 1, 0, 0, W(23));
    OP(OP_TCB_READ_REGS, W(0), 11);
    OP(OP_TCB_WRITE_REGS, W(0), 3, 5);
    OP(OP_TCB_SUSPEND, W(0));
    OP(OP_TCB_RESUME, W(0));
    OP(OP_CANCEL_BADGED, W(10));
    OP(OP_DELETE, W(11));
    OP(OP_DELETE, W(0));
    save(dir, "thread-call-reply");

    /* Notifications: bound to a thread, signalled, waited on. */
    retype(NTFN, W(10));
    retype(EP, W(11));
    thread(0, 255, 0);
    OP(OP_TCB_BIND_NTFN, W(0), W(10));
    OP0(OP_YIELD);
    OP(OP_RECV, W(11), 0, 0);                  /* the thread waits on the endpoint */
    OP(OP_SEND, W(10), 0, 0, 0, 0, 0);         /* root signals its notification */
    OP(OP_WAIT, W(10));
    OP(OP_NBWAIT, W(10));
    OP(OP_TCB_UNBIND_NTFN, W(0));
    OP(OP_NBSEND_WAIT, W(10), W(10), 0);
    OP(OP_NBRECV, W(11), 0, 0);
    save(dir, "notifications");

    /* A passive server: it blocks in Recv, loses its context, and runs on
     * the caller's; then scheduling-context methods. */
    retype(EP, W(10));
    retype(REPLY, W(11));
    thread(0, 255, 0);
    OP0(OP_YIELD);
    OP(OP_RECV, W(10), W(11), 0);
    OP(OP_SC_UNBIND_OBJECT, W(2), W(0));
    OP(OP_CALL, W(10), 3, 2, 0, 0, 0);         /* lends the root's context */
    OP(OP_REPLY_RECV, W(10), W(11), 1, 0);
    OP(OP_SC_CONSUMED, RSC);
    OP(OP_SC_BIND, W(2), W(0));
    OP(OP_SC_YIELD_TO, W(2));
    OP(OP_SC_UNBIND, W(2));
    OP(OP_NBSEND_RECV, W(10), W(10), W(11), 1);
    OP(OP_SC_CONFIGURE, W(2), 2, 6, 2, 1);     /* sporadic 100 us / 10 ms */
    OP(OP_SC_BIND, W(2), W(0));
    OP(OP_DELETE, W(2));
    save(dir, "passive-server-and-sc");

    /* Budgets, timeouts and faults: a spinning thread with a small
     * sporadic budget and a timeout endpoint; a thread that faults. */
    retype(EP, W(10));
    retype(REPLY, W(11));
    retype(TCB, W(0));
    retype(FRAME, W(1));
    retype(SC, W(2));
    OP(OP_SC_CONFIGURE, W(2), 1, 6, 0, 1);     /* 20 us every 10 ms, sporadic */
    OP(OP_SC_BIND, W(2), W(0));
    OP(OP_TCB_CONFIGURE, W(0), W(10), W(1));
    OP(OP_TCB_TIMEOUT_EP, W(0), W(10));
    OP(OP_TCB_PRIORITY, W(0), 100);
    OP(OP_TCB_RESUME, W(0));
    OP(OP_TCB_PRIORITY, TCB0, 50);             /* root below: the thread runs */
    for (int i = 0; i < 6; i++)
        OP0(OP_YIELD);
    OP0(OP_TICK);
    OP(OP_RECV, W(3), 0, 0);                   /* a cap fault (no endpoint there) */
    OP0(OP_TICK);
    OP(OP_RECV, W(10), W(11), 0);              /* root takes a fault message */
    OP(OP_REPLY_RECV, W(10), W(11), 0, 0);
    OP0(OP_TICK);
    save(dir, "budgets-faults-timeouts");

    /* Bad arguments everywhere: wrong types, empty slots, huge sizes. */
    OP(OP_RETYPE, U, CNODE, 250, W(0), 3);
    OP(OP_RETYPE, U, UT, 255, W(0), 0);
    OP(OP_RETYPE, TCB0, EP, 0, W(0), 0);
    OP(OP_COPY, W(0), W(1), 0xf);
    OP(OP_MINT, TCB0, RSC, 0xf, 1);
    OP(OP_TCB_CONFIGURE, RSC, 1, 2);
    OP(OP_SC_CONFIGURE, W(5), 0, 7, 7, 2);
    OP(OP_SC_BIND, RSC, TCB0);
    OP(OP_SC_YIELD_TO, RSC);
    OP(OP_CALL, TCB0, 0x7f, 7, 3, 4, 5);
    OP(OP_ROTATE, W(0), W(0), W(0), 0);
    save(dir, "bad-arguments");
    if (fclose(dict)) {
        fprintf(stderr, "fuzz-seeds: cannot write '%s'\n", argv[2]);
        return 1;
    }
    return 0;
}
