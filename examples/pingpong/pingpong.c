/*
 * examples/pingpong/pingpong.c - IPC round trips between two CSpaces.
 *
 * The root task builds a server thread with a CSpace of its own: a small
 * CNode holding only a receive (Read) cap to an endpoint and a Reply cap;
 * on arches with page tables also an address space of its own (the
 * program's image mapped as in the root task's, its IPC buffer only there),
 * so each round trip switches address spaces.
 * The root task keeps a badged Write + GrantReply cap to the endpoint and
 * is the client: it Calls the server PINGPONG_ROUNDS times; the server
 * checks the badge, answers with MR0 + 1 and waits for the next call in
 * one ReplyRecv.  At the end it prints the rate measured on the kernel
 * clock (DebugSnapshot's KEEL_DBG_TIME_NS; on sim that is the cost
 * model's virtual clock, not host time: `make bench` measures host time).
 *
 *   build/bin/keel-sim pingpong
 *
 * Uses only libkeel.  pingpong_setup() and pingpong_run() are shared with
 * the benchmark's root task (bench/bench-task.c).
 */
#include "pingpong.h"

#ifndef PINGPONG_ROUNDS
#define PINGPONG_ROUNDS 100000
#endif

#define ROOT KEEL_SLOT_INIT_CNODE
#define WB KEEL_WORD_BITS

/* The server's CSpace: a CNode of 2^SERVER_RADIX slots, with a guard of
 * WB - SERVER_RADIX zero bits so that slot indices are cptrs at depth WB,
 * as in the root task's CNode. */
#define SERVER_RADIX 2
#define SERVER_EP 1
#define SERVER_REPLY 2

/* The server's stack: on sim a thread's stack is the 64 KiB below its SP.
 * It is a 64 KiB-aligned block carved out of twice that at run time:
 * __attribute__((aligned(65536))) would make the linker put .bss in a
 * LOAD segment of its own, and Valgrind 3.19 then loses the program's
 * symbols (counts stay right, profiles show only addresses). */
#define STACK_BYTES 65536ul
static unsigned char server_stack_area[2 * STACK_BYTES] __attribute__((aligned(16)));

static keel_word_t server_stack_top(void)
{
    keel_word_t base = ((keel_word_t)server_stack_area + STACK_BYTES - 1) & ~(STACK_BYTES - 1);
    return base + STACK_BYTES;
}

static void server(keel_word_t arg)
{
    (void)arg;
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    keel_msginfo_t info = keel_recv(SERVER_EP, &badge, SERVER_REPLY, mr);
    for (;;) {
        keel_word_t label = 0;
        if (badge != PINGPONG_BADGE || keel_msginfo_label(info) != PINGPONG_LABEL)
            label = PINGPONG_BAD_BADGE;
        mr[0]++;
        info = keel_reply_recv(SERVER_EP, keel_msginfo(label, 0, 0, 1), &badge, SERVER_REPLY,
                               mr);
    }
}

static keel_error_t step(keel_error_t r, const char *what)
{
    if (r != KEEL_OK)
        keel_perror(what);
    return r;
}

/* The server's IPC buffer: in an address space of its own where the arch
 * has page tables, else where every thread reaches the frame. */
static keel_error_t map_server_buffer(struct keel_alloc *a, struct pingpong *p,
                                      keel_word_t *vaddr)
{
    if (!a->vspace)
        return keel_frame_vaddr(a, p->server_frame, KEEL_PAGE_BITS, vaddr);
    keel_error_t r = keel_vspace_create(a, &p->server_vspace);
    *vaddr = keel_alloc_vaddr(a, 1ul << KEEL_PAGE_BITS, KEEL_PAGE_BITS);
    if (r == KEEL_OK && *vaddr)
        r = keel_map_frame(a, p->server_vspace, p->server_frame, *vaddr,
                           KEEL_RIGHT_READ | KEEL_RIGHT_WRITE, KEEL_MAP_EXECUTE_NEVER);
    return r;
}

keel_error_t pingpong_setup(struct keel_alloc *a, struct pingpong *p, keel_word_t prio,
                            bool passive)
{
    keel_cptr_t ep = 0, reply = 0;
    keel_word_t vaddr = 0;
    keel_error_t r;
    *p = (struct pingpong){0};

    if ((r = step(keel_alloc_object(a, KEEL_OBJ_ENDPOINT, 0, &ep), "pingpong: endpoint")) ||
        (r = step(keel_alloc_object(a, KEEL_OBJ_REPLY, 0, &reply), "pingpong: reply")) ||
        (r = step(keel_alloc_object(a, KEEL_OBJ_CNODE, SERVER_RADIX, &p->server_cnode),
                  "pingpong: server CNode")) ||
        (r = step(keel_alloc_object(a, KEEL_OBJ_TCB, 0, &p->server_tcb),
                  "pingpong: server TCB")) ||
        (r = step(keel_alloc_object(a, KEEL_OBJ_FRAME, KEEL_PAGE_BITS, &p->server_frame),
                  "pingpong: server IPC buffer frame")) ||
        (r = step(keel_alloc_object(a, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS,
                                    &p->server_sc),
                  "pingpong: server scheduling context")) ||
        (r = step(map_server_buffer(a, p, &vaddr), "pingpong: the server's address space")))
        return r;
    if (vaddr == 0) {
        keel_printf("pingpong: the IPC buffer frame has no user address (map it first)\n");
        return KEEL_ILLEGAL_OPERATION;
    }

    /* The server's CSpace: a receive-only endpoint cap and the Reply cap
     * (moved: the root task keeps no access to the server's reply object). */
    if ((r = step(keel_cnode_copy(p->server_cnode, SERVER_EP, SERVER_RADIX, ROOT, ep, WB,
                                  KEEL_RIGHT_READ),
                  "pingpong: endpoint into the server's CNode")) ||
        (r = step(keel_cnode_move(p->server_cnode, SERVER_REPLY, SERVER_RADIX, ROOT, reply, WB),
                  "pingpong: reply into the server's CNode")))
        return r;
    keel_slot_free(&a->slots, reply);

    /* The client's cap: send, and be replied to (GrantReply is enough for
     * the Reply object to take the caller), with the badge the server checks. */
    p->client_ep = keel_slot_alloc(&a->slots);
    if (!p->client_ep) {
        keel_printf("pingpong: no free slot for the client's endpoint cap\n");
        return KEEL_NOT_ENOUGH_MEMORY;
    }
    if ((r = step(keel_cnode_mint(ROOT, p->client_ep, WB, ROOT, ep, WB,
                                  KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, PINGPONG_BADGE),
                  "pingpong: the client's badged endpoint cap")))
        return r;

    /* The server thread: its own CSpace root (guard data set at Configure),
     * no fault endpoint, its VSpace (none on sim), its IPC buffer in its
     * frame,
     * and time: 1 ms round-robin. */
    keel_word_t regs[] = {[KEEL_UREG_PC] = (keel_word_t)server,
                          [KEEL_UREG_SP] = server_stack_top(),
                          [KEEL_UREG_TLS] = vaddr,
                          [KEEL_UREG_ARG0] = 0};
    if ((r = step(keel_tcb_configure(p->server_tcb, 0, p->server_cnode,
                                     keel_cnode_guard(0, WB - SERVER_RADIX), p->server_vspace, 0, vaddr,
                                     p->server_frame),
                  "pingpong: configure the server")) ||
        (r = step(keel_tcb_set_priority(p->server_tcb, KEEL_SLOT_INIT_TCB, prio),
                  "pingpong: the server's priority")) ||
        (r = step(keel_tcb_write_registers(p->server_tcb, false, 4, regs),
                  "pingpong: the server's registers")) ||
        (r = step(keel_sched_control_configure(KEEL_SLOT_SCHED_CONTROL, p->server_sc, 1000,
                                               1000, 0, 0, 0),
                  "pingpong: the server's budget")) ||
        (r = step(keel_sched_context_bind(p->server_sc, p->server_tcb),
                  "pingpong: the server's context")) ||
        (r = step(keel_tcb_resume(p->server_tcb), "pingpong: start the server")))
        return r;
    /* Let the server reach its first Recv (it runs at once if its priority
     * is higher, after this yield if it is equal). */
    keel_yield();
    if (passive) {
        if ((r = step(keel_cnode_delete(ROOT, p->server_sc, WB),
                      "pingpong: make the server passive")))
            return r;
        keel_slot_free(&a->slots, p->server_sc);
        p->server_sc = 0;
    }
    return KEEL_OK;
}

int pingpong_run(const struct pingpong *p, unsigned long n)
{
    for (unsigned long i = 0; i < n; i++) {
        keel_word_t mr[KEEL_MSG_REGS] = {i};
        keel_msginfo_t info = keel_call(p->client_ep, keel_msginfo(PINGPONG_LABEL, 0, 0, 1), mr);
        keel_word_t label = keel_msginfo_label(info);
        if (label == PINGPONG_BAD_BADGE) {
            keel_printf("pingpong: round trip %lu: the server saw a wrong badge or label\n", i);
            return 1;
        }
        if (label != 0) {
            keel_printf("pingpong: round trip %lu: Call failed: %s (detail %lx %lx %lx %lx)\n",
                        i, keel_error_name((keel_error_t)label), (unsigned long)mr[0],
                        (unsigned long)mr[1], (unsigned long)mr[2], (unsigned long)mr[3]);
            return 1;
        }
        if (mr[0] != i + 1 || keel_msginfo_length(info) != 1) {
            keel_printf("pingpong: round trip %lu: reply MR0 %lu, length %lu (want %lu, 1)\n",
                        i, (unsigned long)mr[0], (unsigned long)keel_msginfo_length(info),
                        i + 1);
            return 1;
        }
    }
    return 0;
}

static int pingpong_main(const struct keel_bootinfo *bi)
{
    struct keel_alloc a;
    struct pingpong p;
    keel_word_t t0[4], t1[4];
    unsigned long n = PINGPONG_ROUNDS;

    keel_alloc_init(&a, bi);
    if (pingpong_setup(&a, &p, 255, false) != KEEL_OK)
        return 1;
    keel_debug_snapshot(t0);
    if (pingpong_run(&p, n))
        return 1;
    keel_debug_snapshot(t1);

    unsigned long ns = (unsigned long)(t1[KEEL_DBG_TIME_NS] - t0[KEEL_DBG_TIME_NS]);
    unsigned long entries =
        (unsigned long)(t1[KEEL_DBG_KERNEL_ENTRIES] - t0[KEEL_DBG_KERNEL_ENTRIES]);
    /* one decimal, rounded to nearest */
    unsigned long tenth_ms = (ns + 50000) / 100000,
                  rate = ns ? (unsigned long)((n * 10000ull + ns / 2) / ns) : 0;
    keel_printf("pingpong: %lu round trips, %lu.%lu ms kernel clock (virtual on sim), "
                "%lu.%lu M round trips/s\n",
                n, tenth_ms / 10, tenth_ms % 10, rate / 10, rate % 10);
    keel_printf("pingpong: %lu kernel entries, %lu ns of kernel clock per round trip\n", entries,
                n ? ns / n : 0);
    return 0;
}

KEEL_ROOT_TASK(pingpong, "Call/ReplyRecv round trips between two CSpaces", pingpong_main);
