/*
 * examples/passive-server/passive_server.c - clients with budgets calling
 * a pool of passive servers (MCS scheduling contexts).
 *
 * Three server threads wait in Recv on one service endpoint, each with a
 * Reply object of its own, at priority 100 (above every client: the
 * priority ceiling).  They are started on a scheduling context of their
 * own to reach that Recv; the root then deletes those contexts, so the
 * servers are passive: they run only on time lent to them.  Three clients at
 * priorities 50, 40 and 30 have contexts of 1, 2 and 3 ms every 10 ms and
 * Call the service in a loop.  A Call lends the client's context to the
 * server that takes it, so the server's work (20 us per request) is paid
 * from the client's budget, and several clients are served at once by
 * different servers, each on its caller's time.  The root task, below
 * them all, measures 200 ms and prints each client's share of the CPU
 * (SchedContext_Consumed), which should be its budget / period; it halts
 * with status 0 if every share is within 1.5 points of that.
 *
 *   build/bin/keel-sim passive_server
 *
 * Uses only libkeel.
 */
#include <libkeel.h>

#define NSERVERS 3
#define NCLIENTS 3
#define SERVER_PRIO 100
#define WORK_ROUNDS 100          /* syscalls of work per request: 20 us on sim */
#define RUN_NS 200000000ull      /* 200 ms */
#define PERIOD_US 10000

static const keel_word_t budget_us[NCLIENTS] = {1000, 2000, 3000};
static const keel_word_t client_prio[NCLIENTS] = {50, 40, 30};

static struct {
    keel_cptr_t service;         /* the endpoint (all rights) */
    keel_cptr_t reply[NSERVERS];
    keel_cptr_t client_cap[NCLIENTS];  /* Write + GrantReply, badged i + 1 */
    volatile keel_word_t calls[NCLIENTS];
    volatile keel_word_t served[NSERVERS];
} g;

static char stacks[NSERVERS + NCLIENTS][64 * 1024] __attribute__((aligned(16)));

static keel_word_t clock_ns(void)
{
    keel_word_t snap[4];
    keel_debug_snapshot(snap);
    return snap[KEEL_DBG_TIME_NS];
}

static void server(keel_word_t k)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    keel_recv(g.service, &badge, g.reply[k], mr);
    for (;;) {
        for (unsigned i = 0; i < WORK_ROUNDS; i++)
            clock_ns();
        g.served[k]++;
        mr[0] = badge;
        keel_reply_recv(g.service, keel_msginfo(0, 0, 0, 1), &badge, g.reply[k], mr);
    }
}

static void client(keel_word_t i)
{
    for (;;) {
        keel_word_t mr[KEEL_MSG_REGS] = {0};
        keel_msginfo_t info = keel_call(g.client_cap[i], keel_msginfo(1, 0, 0, 0), mr);
        if (keel_msginfo_label(info) == 0 && mr[0] == i + 1)
            g.calls[i]++;
    }
}

static int step(keel_error_t r, const char *what)
{
    if (r != KEEL_OK) {
        keel_perror(what);
        return 1;
    }
    return 0;
}

static int passive_main(const struct keel_bootinfo *bi)
{
    struct keel_alloc a;
    struct keel_thread servers[NSERVERS], clients[NCLIENTS];
    keel_cptr_t sc[NCLIENTS];
    keel_alloc_init(&a, bi);
    keel_printf("passive-server: %u passive servers at priority %u, %u clients with budgets\n",
                NSERVERS, SERVER_PRIO, NCLIENTS);
    if (step(keel_alloc_object(&a, KEEL_OBJ_ENDPOINT, 0, &g.service), "endpoint"))
        return 1;
    for (unsigned k = 0; k < NSERVERS; k++) {
        if (step(keel_alloc_object(&a, KEEL_OBJ_REPLY, 0, &g.reply[k]), "reply") ||
            step(keel_thread_create(&a, &servers[k], server, k, stacks[k + 1], SERVER_PRIO, 0),
                 "server thread") ||
            step(keel_thread_give_time(&a, &servers[k], KEEL_SLOT_SCHED_CONTROL, 1000, 1000, 0),
                 "server's first context") ||
            step(keel_thread_start(&servers[k]), "server start"))
            return 1;
    }
    /* The root goes below the servers for a moment: they run to their
     * Recv.  Without their contexts they are then passive. */
    if (step(keel_tcb_set_priority(KEEL_SLOT_INIT_TCB, KEEL_SLOT_INIT_TCB, SERVER_PRIO - 1),
             "root priority") ||
        step(keel_tcb_set_priority(KEEL_SLOT_INIT_TCB, KEEL_SLOT_INIT_TCB, 255), "root priority"))
        return 1;
    for (unsigned k = 0; k < NSERVERS; k++)
        if (step(keel_cnode_delete(KEEL_SLOT_INIT_CNODE, servers[k].sc, KEEL_WORD_BITS),
                 "make the server passive"))
            return 1;
    for (unsigned i = 0; i < NCLIENTS; i++) {
        keel_word_t slot = keel_slot_alloc(&a.slots);
        g.client_cap[i] = slot;
        if (!slot ||
            step(keel_cnode_mint(KEEL_SLOT_INIT_CNODE, slot, KEEL_WORD_BITS, KEEL_SLOT_INIT_CNODE,
                                 g.service, KEEL_WORD_BITS,
                                 KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, i + 1),
                 "client cap") ||
            step(keel_alloc_object(&a, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS, &sc[i]),
                 "context") ||
            step(keel_sched_control_configure(KEEL_SLOT_SCHED_CONTROL, sc[i], budget_us[i],
                                              PERIOD_US, 0, i + 1, KEEL_SC_FLAG_SPORADIC),
                 "configure") ||
            step(keel_thread_create(&a, &clients[i], client, i, stacks[NSERVERS + i + 1],
                                    client_prio[i], 0),
                 "client thread") ||
            step(keel_sched_context_bind(sc[i], clients[i].tcb), "bind"))
            return 1;
    }
    /* The root goes below every client and lets them run. */
    if (step(keel_tcb_set_priority(KEEL_SLOT_INIT_TCB, KEEL_SLOT_INIT_TCB, 10), "root priority"))
        return 1;
    for (unsigned i = 0; i < NCLIENTS; i++)
        if (step(keel_thread_start(&clients[i]), "client start"))
            return 1;
    keel_word_t us;
    for (unsigned i = 0; i < NCLIENTS; i++)
        keel_sched_context_consumed(sc[i], &us); /* from now on */
    keel_word_t t0 = clock_ns();
    while (clock_ns() - t0 < RUN_NS)
        ;
    keel_word_t elapsed_us = (clock_ns() - t0) / 1000;
    for (unsigned i = 0; i < NCLIENTS; i++)
        keel_tcb_suspend(clients[i].tcb);
    keel_tcb_set_priority(KEEL_SLOT_INIT_TCB, KEEL_SLOT_INIT_TCB, 255);

    int bad = 0;
    keel_printf("passive-server: %lu us of kernel clock (virtual on sim)\n",
                (unsigned long)elapsed_us);
    for (unsigned i = 0; i < NCLIENTS; i++) {
        keel_sched_context_consumed(sc[i], &us);
        keel_word_t share10 = us * 1000 / elapsed_us, want10 = budget_us[i] * 1000 / PERIOD_US;
        keel_printf("  client %u: priority %lu, %lu us every %u us: %lu.%lu%% of the CPU, "
                    "%lu calls\n",
                    i + 1, (unsigned long)client_prio[i], (unsigned long)budget_us[i],
                    PERIOD_US, (unsigned long)(share10 / 10), (unsigned long)(share10 % 10),
                    (unsigned long)g.calls[i]);
        if (share10 + 15 < want10 || share10 > want10 + 15 || g.calls[i] == 0)
            bad = 1;
    }
    for (unsigned k = 0; k < NSERVERS; k++)
        keel_printf("  server %u: %lu requests\n", k + 1, (unsigned long)g.served[k]);
    keel_printf(bad ? "passive-server: shares are off\n" : "Done.\n");
    return bad;
}

KEEL_ROOT_TASK(passive_server, "clients with budgets calling a pool of passive servers",
               passive_main);
