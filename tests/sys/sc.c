/*
 * tests/sys/sc.c - scheduling contexts (MCS): SchedControl_Configure's
 * parameter checks, binding rules, unbinding when either end is deleted,
 * the time charged to a context, budgets enforced by the scheduler
 * (shares of the CPU in virtual time), timeout faults, passive servers
 * and notification-bound contexts, threads without a context, YieldTo.
 */
#include "systest.h"

#define SCHED_CONTROL KEEL_SLOT_SCHED_CONTROL
#define MIN KEEL_SC_MIN_BUDGET_US

static keel_error_t configure(keel_cptr_t sc, keel_word_t budget, keel_word_t period,
                              keel_word_t extra, keel_word_t flags)
{
    return keel_sched_control_configure(SCHED_CONTROL, sc, budget, period, extra, 0x5c, flags);
}

#define EXPECT_RANGE(call, argi, lo, hi, val)                          \
    do {                                                               \
        if (EXPECT_ERR(call, KEEL_RANGE_ERROR)) {                      \
            struct keel_error_detail d = keel_last_error();            \
            EXPECT_EQ(d.arg, argi);                                    \
            EXPECT_EQ(d.v1, lo);                                       \
            EXPECT_EQ(d.v2, hi);                                       \
            EXPECT_EQ(d.v3, val);                                      \
        }                                                              \
    } while (0)

static void configure_ranges(struct systest_env *env)
{
    keel_cptr_t sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_word_t max_extra = keel_sc_refills(KEEL_SCHED_CONTEXT_MIN_BITS) - KEEL_SC_MIN_REFILLS;
    EXPECT_RANGE(configure(sc, MIN - 1, 1000, 0, 0), 0, MIN, 1000, MIN - 1);
    EXPECT_RANGE(configure(sc, 1001, 1000, 0, 0), 0, MIN, 1000, 1001);
    EXPECT_RANGE(configure(sc, MIN, MIN - 1, 0, 0), 1, MIN, KEEL_SC_MAX_PERIOD_US, MIN - 1);
    EXPECT_RANGE(configure(sc, 1000, (keel_word_t)KEEL_SC_MAX_PERIOD_US + 1, 0, 0), 1, MIN,
                 KEEL_SC_MAX_PERIOD_US, (keel_word_t)KEEL_SC_MAX_PERIOD_US + 1);
    EXPECT_RANGE(configure(sc, 1000, 1000, max_extra + 1, 0), 2, 0, max_extra, max_extra + 1);
    EXPECT_ERR(configure(sc, 1000, 1000, 0, 0x2), KEEL_INVALID_ARGUMENT);
    EXPECT_EQ(keel_last_error().arg, 4);
    /* The extra cap must be a SchedContext. */
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    EXPECT_ERR(configure(ep, 1000, 1000, 0, 0), KEEL_INVALID_CAPABILITY);
    EXPECT_EQ(keel_last_error().arg, KEEL_ARG_CAP(0));
    /* The edges are accepted: budget = minimum, budget = period, all refills. */
    EXPECT_OK(configure(sc, MIN, MIN, 0, 0));
    EXPECT_OK(configure(sc, 2000, 10000, max_extra, KEEL_SC_FLAG_SPORADIC));
    EXPECT_OK(configure(sc, KEEL_SC_MAX_PERIOD_US, KEEL_SC_MAX_PERIOD_US, 0, 0));
    /* A bigger object holds more refills. */
    keel_cptr_t big = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS + 2);
    EXPECT_OK(configure(big, 2000, 10000, max_extra + 1, 0));
    /* Only SchedControl configures. */
    keel_word_t w[5] = {1000, 1000, 0, 0, 0};
    EXPECT_ERR(keel_invoke(sc, KEEL_SCHED_CONTROL_CONFIGURE, 5, w, 1, &sc),
               KEEL_ILLEGAL_OPERATION);
}

static void bind_rules(struct systest_env *env)
{
    keel_cptr_t sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_cptr_t sc2 = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_cptr_t t1 = object(env, KEEL_OBJ_TCB, 0), t2 = object(env, KEEL_OBJ_TCB, 0);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    EXPECT_OK(configure(sc, 1000, 1000, 0, 0));
    EXPECT_OK(keel_sched_context_bind(sc, t1));
    EXPECT_ERR(keel_sched_context_bind(sc, t2), KEEL_ILLEGAL_OPERATION); /* sc has a TCB */
    EXPECT_EQ(keel_last_error().arg, KEEL_ARG_SERVICE);
    EXPECT_ERR(keel_sched_context_bind(sc2, t1), KEEL_ILLEGAL_OPERATION); /* t1 has one */
    EXPECT_EQ(keel_last_error().arg, KEEL_ARG_CAP(0));
    EXPECT_ERR(keel_sched_context_bind(sc, n), KEEL_ILLEGAL_OPERATION); /* one object only */
    EXPECT_OK(keel_sched_context_bind(sc2, n));
    EXPECT_ERR(keel_sched_context_bind(sc2, t2), KEEL_ILLEGAL_OPERATION);
    EXPECT_ERR(keel_sched_context_bind(sc2, ep), KEEL_INVALID_CAPABILITY);
    EXPECT_ERR(keel_sched_context_unbind_object(sc, t2), KEEL_ILLEGAL_OPERATION);
    EXPECT_ERR(keel_sched_context_unbind_object(sc, n), KEEL_ILLEGAL_OPERATION);
    EXPECT_OK(keel_sched_context_unbind_object(sc, t1));
    EXPECT_OK(keel_sched_context_unbind(sc2));   /* n */
    EXPECT_OK(keel_sched_context_bind(sc2, t1)); /* both free again */
    EXPECT_OK(keel_sched_context_bind(sc, n));
    EXPECT_OK(keel_sched_context_unbind(sc));
    EXPECT_OK(keel_sched_context_bind(sc, t2));
}

static void delete_unbinds(struct systest_env *env)
{
    keel_cptr_t sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_cptr_t sc2 = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_cptr_t sn = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_cptr_t sn2 = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_cptr_t t = object(env, KEEL_OBJ_TCB, 0), t2 = object(env, KEEL_OBJ_TCB, 0);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    EXPECT_OK(keel_sched_context_bind(sc, t));
    EXPECT_OK(keel_sched_context_bind(sn, n));
    /* Deleting a context frees its TCB or notification for another. */
    EXPECT_OK(keel_cnode_delete(ROOT, sc, WB));
    EXPECT_OK(keel_cnode_delete(ROOT, sn, WB));
    EXPECT_OK(keel_sched_context_bind(sc2, t));
    EXPECT_OK(keel_sched_context_bind(sn2, n));
    /* Deleting the TCB and the notification frees the contexts. */
    EXPECT_OK(keel_cnode_delete(ROOT, t, WB));
    EXPECT_OK(keel_cnode_delete(ROOT, n, WB));
    EXPECT_OK(keel_sched_context_bind(sc2, t2));
    EXPECT_OK(keel_sched_context_unbind(sc2));
    EXPECT_OK(keel_sched_context_bind(sn2, t2));
}

static keel_word_t clock_ns(void)
{
    keel_word_t snap[4];
    keel_debug_snapshot(snap);
    return snap[KEEL_DBG_TIME_NS];
}

/* The root's own context (boot slot 8) is charged the time it runs. */
static void consumed_counts_time(struct systest_env *env)
{
    keel_word_t us = 0, before;
    EXPECT_OK(keel_sched_context_consumed(KEEL_SLOT_INIT_SC, &us)); /* reset */
    keel_word_t t0 = clock_ns();
    for (unsigned i = 0; i < 2000; i++)
        clock_ns();
    keel_word_t t1 = clock_ns();
    EXPECT_OK(keel_sched_context_consumed(KEEL_SLOT_INIT_SC, &us));
    before = us;
    EXPECT(us > 0);
    EXPECT(us * 1000 >= (t1 - t0) / 2);             /* the root ran all that time ... */
    EXPECT(us * 1000 <= (t1 - t0) + 1000000);       /* ... and not more than elapsed */
    EXPECT_OK(keel_sched_context_consumed(KEEL_SLOT_INIT_SC, &us)); /* was reset */
    EXPECT(us < before);
    keel_cptr_t sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    EXPECT_OK(keel_sched_context_consumed(sc, &us)); /* never ran */
    EXPECT_EQ(us, 0);
}

/* A thread that never blocks: it counts, one syscall per round. */
static void spinner(keel_word_t i)
{
    for (;;) {
        rec[i].w[0]++;
        now_ns();
    }
}

/* A thread that computes without syscalls, 100 us at a time. */
static void computer(keel_word_t i)
{
    for (;;) {
        keel_test_compute(100000);
        rec[i].w[0]++;
    }
}

/* Budget enforcement: a thread with 2 ms every 10 ms gets at most 20% of
 * the CPU (within one budget) over 1 s of virtual time while the root,
 * busy at a lower priority, soaks up the rest.  Both compute without
 * syscalls (keel_test_compute), so the budget timer preempts the thread
 * in the middle of its work. */
static void budget_limits_share(struct systest_env *env)
{
    keel_cptr_t sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    EXPECT_OK(configure(sc, 2000, 10000, 0, KEEL_SC_FLAG_SPORADIC));
    struct keel_thread t = spawn_bare(env, computer, 1, 50);
    EXPECT_OK(keel_sched_context_bind(sc, t.tcb));
    EXPECT_OK(keel_tcb_set_priority(KEEL_SLOT_INIT_TCB, KEEL_SLOT_INIT_TCB, 10));
    EXPECT_OK(keel_tcb_resume(t.tcb)); /* it runs at once, until its budget is spent */
    keel_word_t spin_us, root_us;
    EXPECT_OK(keel_sched_context_consumed(sc, &spin_us));
    EXPECT_OK(keel_sched_context_consumed(KEEL_SLOT_INIT_SC, &root_us));
    keel_word_t t0 = now_ns(), rounds = 0;
    while (now_ns() - t0 < 1000000000) {
        keel_test_compute(500000);
        rounds++;
    }
    keel_word_t elapsed_us = (now_ns() - t0) / 1000;
    EXPECT_OK(keel_tcb_suspend(t.tcb));
    EXPECT_OK(keel_tcb_set_priority(KEEL_SLOT_INIT_TCB, KEEL_SLOT_INIT_TCB, 255));
    EXPECT_OK(keel_sched_context_consumed(sc, &spin_us));
    EXPECT_OK(keel_sched_context_consumed(KEEL_SLOT_INIT_SC, &root_us));
    EXPECT(spin_us * 100 <= elapsed_us * 20 + 2000 * 100); /* at most 20% + one budget */
    EXPECT(spin_us * 100 >= elapsed_us * 19);              /* and it got its share */
    EXPECT(root_us * 100 >= elapsed_us * 79);              /* the root had the rest */
    EXPECT(rec[1].w[0] >= 1900 && rounds > 0);             /* 100 us rounds: 190 ms */
    keel_printf("    (2 ms / 10 ms over %lu us: %lu us = %lu.%02lu%%; the root %lu us)\n",
                (unsigned long)elapsed_us, (unsigned long)spin_us,
                (unsigned long)(spin_us * 100 / elapsed_us),
                (unsigned long)(spin_us * 10000 / elapsed_us % 100), (unsigned long)root_us);
}

/* Two sporadic servers on one priority, 1 ms and 3 ms every 10 ms, under
 * a busy lower priority: 10% and 30% of the CPU, as configured. */
static void sporadic_pair_shares(struct systest_env *env)
{
    keel_cptr_t a = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_cptr_t b = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    EXPECT_OK(configure(a, 1000, 10000, 0, KEEL_SC_FLAG_SPORADIC));
    EXPECT_OK(configure(b, 3000, 10000, 0, KEEL_SC_FLAG_SPORADIC));
    struct keel_thread ta = spawn_bare(env, spinner, 1, 50);
    struct keel_thread tb = spawn_bare(env, spinner, 2, 50);
    EXPECT_OK(keel_sched_context_bind(a, ta.tcb));
    EXPECT_OK(keel_sched_context_bind(b, tb.tcb));
    EXPECT_OK(keel_tcb_set_priority(KEEL_SLOT_INIT_TCB, KEEL_SLOT_INIT_TCB, 10));
    EXPECT_OK(keel_tcb_resume(ta.tcb));
    EXPECT_OK(keel_tcb_resume(tb.tcb));
    keel_word_t ua, ub;
    EXPECT_OK(keel_sched_context_consumed(a, &ua));
    EXPECT_OK(keel_sched_context_consumed(b, &ub));
    keel_word_t t0 = now_ns();
    while (now_ns() - t0 < 100000000)
        ;
    keel_word_t elapsed_us = (now_ns() - t0) / 1000;
    EXPECT_OK(keel_tcb_suspend(ta.tcb));
    EXPECT_OK(keel_tcb_suspend(tb.tcb));
    EXPECT_OK(keel_tcb_set_priority(KEEL_SLOT_INIT_TCB, KEEL_SLOT_INIT_TCB, 255));
    EXPECT_OK(keel_sched_context_consumed(a, &ua));
    EXPECT_OK(keel_sched_context_consumed(b, &ub));
    EXPECT(ua * 100 >= elapsed_us * 9 && ua * 100 <= elapsed_us * 10 + 1000 * 100);
    EXPECT(ub * 100 >= elapsed_us * 28 && ub * 100 <= elapsed_us * 30 + 3000 * 100);
}

/* A round-robin context (budget = period) is a time slice: two spinners
 * at one priority with 200 us and 600 us slices share 1:3. */
static void round_robin_budgets(struct systest_env *env)
{
    keel_cptr_t a = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_cptr_t b = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    EXPECT_OK(configure(a, 200, 200, 0, 0));
    EXPECT_OK(configure(b, 600, 600, 0, 0));
    struct keel_thread ta = spawn_bare(env, spinner, 1, 50);
    struct keel_thread tb = spawn_bare(env, spinner, 2, 50);
    EXPECT_OK(keel_sched_context_bind(a, ta.tcb));
    EXPECT_OK(keel_sched_context_bind(b, tb.tcb));
    EXPECT_OK(keel_tcb_resume(ta.tcb));
    EXPECT_OK(keel_tcb_resume(tb.tcb));
    run_for(env, 50, 20000000);          /* 20 ms at their priority */
    EXPECT_OK(keel_tcb_suspend(ta.tcb));
    EXPECT_OK(keel_tcb_suspend(tb.tcb));
    keel_word_t ua, ub;
    EXPECT_OK(keel_sched_context_consumed(a, &ua));
    EXPECT_OK(keel_sched_context_consumed(b, &ub));
    EXPECT(ua > 0 && ub > 0);
    EXPECT(ub * 10 >= ua * 25 && ub * 10 <= ua * 35); /* 3:1 within 20% */
}

/* Timeout faults: a thread whose budget runs out and that has a timeout
 * endpoint Calls it with the context's badge and consumed time; after a
 * label-0 reply it goes on when its budget comes back. */
static void timeout_fault(struct systest_env *env)
{
    keel_cptr_t sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0), reply = object(env, KEEL_OBJ_REPLY, 0);
    keel_cptr_t handler = mint(env, ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT, 0x7e);
    EXPECT_OK(configure(sc, 1000, 10000, 0, KEEL_SC_FLAG_SPORADIC));
    struct keel_thread t = spawn_bare(env, spinner, 1, 50);
    /* Without Grant/GrantReply the endpoint cannot carry a reply. */
    keel_cptr_t weak = mint(env, ep, KEEL_RIGHT_WRITE, 0);
    EXPECT_ERR(keel_tcb_set_timeout_endpoint(t.tcb, weak), KEEL_INVALID_CAPABILITY);
    EXPECT_OK(keel_tcb_set_timeout_endpoint(t.tcb, handler));
    EXPECT_OK(keel_sched_context_bind(sc, t.tcb));
    EXPECT_OK(keel_tcb_resume(t.tcb));
    for (unsigned k = 1; k <= 2; k++) {
        run_for(env, 50, 12000000);      /* enough for its budget to come back */
        keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
        keel_msginfo_t info = keel_nbrecv(ep, &badge, reply, mr);
        EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_TIMEOUT);
        EXPECT_EQ(keel_msginfo_length(info), KEEL_TIMEOUT_FAULT_LENGTH);
        EXPECT_EQ(badge, 0x7e);
        EXPECT_EQ(mr[KEEL_TIMEOUT_FAULT_BADGE], 0x5c);         /* configure()'s badge */
        EXPECT(mr[KEEL_TIMEOUT_FAULT_CONSUMED] >= k * 1000);    /* k budgets used */
        EXPECT(mr[KEEL_TIMEOUT_FAULT_CONSUMED] <= k * 1000 + 50);
        keel_word_t counted = rec[1].w[0];
        EXPECT(counted > 0);
        keel_word_t none[KEEL_MSG_REGS] = {0};
        EXPECT_EQ(keel_msginfo_label(keel_reply(reply, 0, none)), KEEL_OK);
    }
    /* No handler: the budget just runs out and comes back, no fault. */
    EXPECT_OK(keel_tcb_set_timeout_endpoint(t.tcb, 0));
    run_for(env, 50, 12000000);
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    EXPECT_EQ(keel_msginfo_label(keel_nbrecv(ep, &badge, reply, mr)), 0);
    EXPECT_EQ(badge, 0);
    EXPECT_OK(keel_tcb_suspend(t.tcb));
}

/* ---- passive servers: a Call lends the caller's context ---- */

static struct {
    keel_cptr_t ep[3], reply[3], go;
} ps;

/* Server k: receive on ep[k]; spin 2000 syscalls (400 us on sim); if
 * k < 2 and ep[k + 1] is set, call server k + 1; if go is set, wait on
 * it first; reply; forever. */
static void passive_server(keel_word_t k)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    keel_recv(ps.ep[k], &badge, ps.reply[k], mr);
    for (;;) {
        rec[2 + k].stage++;
        if (ps.go)
            keel_wait(ps.go, &badge, mr);
        for (unsigned i = 0; i < 2000; i++)
            now_ns();
        if (k < 2 && ps.ep[k + 1])
            keel_call(ps.ep[k + 1], keel_msginfo(0, 0, 0, 0), mr);
        keel_reply_recv(ps.ep[k], keel_msginfo(0, 0, 0, 0), &badge, ps.reply[k], mr);
    }
}

static void client(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    rec[i].info = keel_call(ps.ep[0], keel_msginfo(0x51, 0, 0, 0), mr);
    rec[i].stage = 1;
    park();
}

/* Bound to a TCB already?  Binding a fresh context tells. */
static bool has_sc(struct systest_env *env, keel_cptr_t tcb)
{
    keel_cptr_t probe = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_error_t r = keel_sched_context_bind(probe, tcb);
    if (r == KEEL_OK)
        keel_sched_context_unbind(probe);
    return r != KEEL_OK;
}

static struct keel_thread setup_client(struct systest_env *env, keel_cptr_t *sc, unsigned servers)
{
    __builtin_memset(&ps, 0, sizeof(ps));
    for (unsigned k = 0; k < servers; k++) {
        ps.ep[k] = object(env, KEEL_OBJ_ENDPOINT, 0);
        ps.reply[k] = object(env, KEEL_OBJ_REPLY, 0);
    }
    for (unsigned k = 0; k < servers; k++) /* they block in Recv, then have no context */
        spawn_passive(env, passive_server, k, 60 + k);
    *sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    EXPECT_OK(configure(*sc, 20000, 20000, 0, 0)); /* 20 ms: no timer end in the test */
    struct keel_thread c = spawn_bare(env, client, 1, 50);
    EXPECT_OK(keel_sched_context_bind(*sc, c.tcb));
    return c;
}

/* A chain A -> B -> C of passive servers runs on the client's context,
 * which comes back to the client with the reply. */
static void passive_chain(struct systest_env *env)
{
    keel_cptr_t sc;
    struct keel_thread c = setup_client(env, &sc, 3);
    keel_word_t us;
    EXPECT_OK(keel_sched_context_consumed(sc, &us));
    EXPECT_OK(keel_tcb_resume(c.tcb));
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0);
    EXPECT_EQ(rec[2].stage, 1);
    EXPECT_EQ(rec[3].stage, 1);
    EXPECT_EQ(rec[4].stage, 1);
    EXPECT_OK(keel_sched_context_consumed(sc, &us));
    EXPECT(us >= 3 * 400);                     /* all three servers' spinning */
    EXPECT_ERR(keel_sched_context_bind(sc, c.tcb), KEEL_ILLEGAL_OPERATION); /* back home */
    EXPECT_OK(keel_sched_context_unbind_object(sc, c.tcb));
}

/* While the server works for the client it holds the client's context;
 * deleting its Reply object mid-call gives the context back to the
 * client (whose Call is aborted) and leaves the server without. */
static void reply_deleted_returns_sc(struct systest_env *env)
{
    keel_cptr_t sc;
    struct keel_thread c = setup_client(env, &sc, 1);
    ps.go = object(env, KEEL_OBJ_NOTIFICATION, 0);
    EXPECT_OK(keel_tcb_resume(c.tcb));
    settle(env);                               /* the server waits on go, in the call */
    EXPECT_EQ(rec[2].stage, 1);
    EXPECT_EQ(rec[1].stage, 0);
    EXPECT(!has_sc(env, c.tcb));               /* lent ... */
    EXPECT_ERR(keel_sched_context_bind(sc, c.tcb), KEEL_ILLEGAL_OPERATION);
    EXPECT_OK(keel_cnode_delete(ROOT, ps.reply[0], WB));
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), KEEL_IPC_ABORTED);
    EXPECT(has_sc(env, c.tcb));                /* ... and given back */
    EXPECT_OK(keel_sched_context_unbind_object(sc, c.tcb));
}

/* A passive thread woken by a notification that has a scheduling context
 * runs on it, and gives it back when it waits again. */
static keel_cptr_t ntfn_sc_n;

static void ntfn_worker(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    for (;;) {
        keel_wait(ntfn_sc_n, &badge, mr);
        for (unsigned k = 0; k < 1500; k++)   /* 300 us on sim */
            now_ns();
        rec[i].stage++;
    }
}

static void notification_lends_sc(struct systest_env *env)
{
    keel_cptr_t sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    ntfn_sc_n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    EXPECT_OK(configure(sc, 5000, 5000, 0, 0));
    EXPECT_OK(keel_sched_context_bind(sc, ntfn_sc_n));
    struct keel_thread w = spawn_passive(env, ntfn_worker, 1, 50);
    keel_word_t us;
    EXPECT_OK(keel_sched_context_consumed(sc, &us));
    for (unsigned k = 1; k <= 2; k++) {
        EXPECT_OK(keel_signal(ntfn_sc_n));
        settle(env);
        EXPECT_EQ(rec[1].stage, k);
    }
    EXPECT_OK(keel_sched_context_consumed(sc, &us));
    EXPECT(us >= 2 * 300);                 /* the worker ran on the notification's context */
    EXPECT(!has_sc(env, w.tcb));           /* and gave it back */
    EXPECT_ERR(keel_sched_context_bind(sc, ntfn_sc_n), KEEL_ILLEGAL_OPERATION); /* still bound */
}

/* NBSendRecv gives the sender's context to a passive receiver for good:
 * two threads pass one context back and forth, each running on it only
 * while it holds it (migrating-thread style). */
static keel_cptr_t mig_a, mig_s;

static void migrate_a(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    for (;;) {
        keel_nbsend_recv(mig_s, keel_msginfo(0x61, 0, 0, 0), mig_a, &badge, 0, mr);
        rec[i].w[0]++;
    }
}

static void migrate_s(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    keel_recv(mig_s, &badge, 0, mr);
    for (;;) {
        rec[i].w[0]++;
        keel_nbsend_recv(mig_a, keel_msginfo(0x62, 0, 0, 0), mig_s, &badge, 0, mr);
    }
}

static void nbsendrecv_gives_sc(struct systest_env *env)
{
    keel_cptr_t sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    mig_a = object(env, KEEL_OBJ_ENDPOINT, 0);
    mig_s = object(env, KEEL_OBJ_ENDPOINT, 0);
    EXPECT_OK(configure(sc, 1000, 5000, 0, KEEL_SC_FLAG_SPORADIC));
    struct keel_thread ts = spawn_passive(env, migrate_s, 2, 60); /* waits on mig_s */
    struct keel_thread ta = spawn_bare(env, migrate_a, 1, 50);
    EXPECT_OK(keel_sched_context_bind(sc, ta.tcb));
    keel_word_t us;
    EXPECT_OK(keel_sched_context_consumed(sc, &us));
    EXPECT_OK(keel_tcb_resume(ta.tcb));
    run_for(env, 40, 20000000);       /* below both: runs while their budget is spent */
    EXPECT_OK(keel_tcb_suspend(ta.tcb));
    EXPECT_OK(keel_tcb_suspend(ts.tcb));
    EXPECT_OK(keel_sched_context_consumed(sc, &us));
    EXPECT(rec[1].w[0] > 10 && rec[2].w[0] > 10);
    keel_word_t d = rec[1].w[0] > rec[2].w[0] ? rec[1].w[0] - rec[2].w[0]
                                               : rec[2].w[0] - rec[1].w[0];
    EXPECT(d <= 1);                   /* strictly alternating */
    EXPECT(us >= 3000 && us <= 5000); /* both ran on the one context: about 20% of 20 ms */
    EXPECT(has_sc(env, ta.tcb) != has_sc(env, ts.tcb)); /* exactly one holds it */
}

/* ---- threads without a context, and YieldTo ---- */

static void counter(keel_word_t i)
{
    for (;;) {
        rec[i].stage++;
        keel_yield();
        if (rec[i].stage >= 3)
            park();
    }
}

/* A thread runs only on a configured context: resumed without one, or
 * with an unconfigured one, it waits; binding a configured one starts it,
 * and unbinding it (from another thread) stops it again. */
static void no_context_no_run(struct systest_env *env)
{
    struct keel_thread t = spawn_bare(env, counter, 1, PRIO);
    EXPECT_OK(keel_tcb_resume(t.tcb));
    settle(env);
    EXPECT_EQ(rec[1].stage, 0);
    keel_cptr_t sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    EXPECT_OK(keel_sched_context_bind(sc, t.tcb)); /* not configured: still no time */
    settle(env);
    EXPECT_EQ(rec[1].stage, 0);
    EXPECT_OK(configure(sc, 1000, 1000, 0, 0));
    settle(env);
    EXPECT_EQ(rec[1].stage, 3);
    /* A spinner loses its context while it runs: it stops there. */
    struct keel_thread s = spawn(env, spinner, 2, 40);
    run_for(env, 40, 2000000);
    EXPECT(rec[2].w[0] > 0);
    EXPECT_OK(keel_sched_context_unbind_object(s.sc, s.tcb));
    keel_word_t before = rec[2].w[0];
    run_for(env, 40, 2000000);
    EXPECT_EQ(rec[2].w[0], before);
    EXPECT_OK(keel_sched_context_bind(s.sc, s.tcb));
    run_for(env, 40, 2000000);
    EXPECT(rec[2].w[0] > before);
    EXPECT_OK(keel_tcb_suspend(s.tcb));
}

static struct {
    keel_cptr_t target_sc;
    keel_cptr_t own_sc;          /* deleted by the target while the yielder waits */
    keel_word_t result, us;
} yt;

/* Logs 0xa1, yields to yt.target_sc, logs 0xa2 with the result. */
static void yielder(keel_word_t i)
{
    log_event(0xa1);
    yt.result = keel_sched_context_yield_to(yt.target_sc, (keel_word_t *)&yt.us);
    log_event(0xa2);
    park();
}

/* The yielder with MCP mcp (a spawned thread's is 0). */
static void spawn_yielder(struct systest_env *env, keel_word_t prio, keel_word_t mcp)
{
    struct keel_thread y = spawn_with(env, yielder, 1, prio, 0, false);
    EXPECT_OK(keel_tcb_set_mc_priority(y.tcb, KEEL_SLOT_INIT_TCB, mcp));
    EXPECT_OK(keel_tcb_resume(y.tcb));
}

/* Logs 0xb0 + i, works 200 syscalls (40 us on sim), deletes yt.own_sc if
 * set (its own context: it stops there), logs again, parks. */
static void yield_target(keel_word_t i)
{
    log_event(0xb0 + i);
    for (unsigned k = 0; k < 200; k++)
        now_ns();
    if (yt.own_sc)
        keel_cnode_delete(ROOT, yt.own_sc, WB);
    log_event(0xc0 + i);
    park();
}

/* At an equal priority the target runs first, before threads queued
 * ahead of it, and the yielder's result counts the target's run; a
 * target below the caller only moves to the head of its queue and the
 * result comes at once. */
static void yield_to_order(struct systest_env *env)
{
    __builtin_memset(&yt, 0, sizeof(yt));
    spawn_yielder(env, PRIO, PRIO);
    spawn(env, yield_target, 2, PRIO);
    struct keel_thread b = spawn(env, yield_target, 3, PRIO);
    yt.target_sc = b.sc;
    settle(env);
    EXPECT_LOG(0xa1, 0xb3, 0xc3, 0xa2, 0xb2, 0xc2);
    EXPECT_EQ(yt.result, KEEL_OK);
    EXPECT(yt.us >= 40 && yt.us < 1000);

    __builtin_memset(&yt, 0, sizeof(yt));
    log_reset();
    spawn_yielder(env, PRIO, PRIO);
    spawn(env, yield_target, 2, PRIO - 10);
    b = spawn(env, yield_target, 3, PRIO - 10);
    yt.target_sc = b.sc;
    settle(env);
    EXPECT_LOG(0xa1, 0xa2, 0xb3, 0xc3, 0xb2, 0xc2);
    EXPECT_EQ(yt.result, KEEL_OK);
    EXPECT(yt.us < 40);          /* it had not run yet */
}

/* Deleting the context a yielder waits on returns its YieldTo; a blocked
 * target's context returns at once; bad targets are errors. */
static void yield_to_edges(struct systest_env *env)
{
    __builtin_memset(&yt, 0, sizeof(yt));
    spawn_yielder(env, PRIO, PRIO);
    struct keel_thread b = spawn(env, yield_target, 2, PRIO);
    yt.target_sc = yt.own_sc = b.sc;
    settle(env);
    EXPECT_LOG(0xa1, 0xb2, 0xa2); /* b stopped without its context */
    EXPECT_EQ(yt.result, KEEL_OK);
    EXPECT(yt.us >= 40);

    keel_word_t us = 1;
    yt.own_sc = 0;
    struct keel_thread c = spawn(env, yield_target, 3, PRIO); /* works 40 us, parks */
    settle(env);
    EXPECT_OK(keel_sched_context_yield_to(c.sc, &us));
    EXPECT(us > 0);
    EXPECT_OK(keel_sched_context_yield_to(c.sc, &us)); /* consumed was reset */
    EXPECT_EQ(us, 0);

    keel_cptr_t free_sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    EXPECT_ERR(keel_sched_context_yield_to(free_sc, &us), KEEL_ILLEGAL_OPERATION);
    EXPECT_ERR(keel_sched_context_yield_to(KEEL_SLOT_INIT_SC, &us), KEEL_ILLEGAL_OPERATION);
    EXPECT_ERR(keel_sched_context_yield_to(ROOT, &us), KEEL_ILLEGAL_OPERATION);
    /* A caller may not yield to a priority above its MCP. */
    __builtin_memset(&yt, 0, sizeof(yt));
    log_reset();
    struct keel_thread hi = spawn(env, counter, 4, PRIO + 10);
    settle(env);
    yt.target_sc = hi.sc;
    spawn_yielder(env, PRIO, PRIO + 9);
    settle(env);
    EXPECT_EQ(yt.result, KEEL_ILLEGAL_OPERATION);
}

const struct systest sc_tests[] = {
    {"sc_configure_ranges", "Configure checks budget, period, refills, flags and its cap", configure_ranges},
    {"sc_bind_rules", "a context binds one TCB or one notification, each one context", bind_rules},
    {"sc_delete_unbinds", "deleting either end of a binding frees the other", delete_unbinds},
    {"sc_budget_limits_share", "2 ms / 10 ms gets 20% of 1 s of CPU; a lower priority the rest", budget_limits_share},
    {"sc_sporadic_pair_shares", "two sporadic servers at one priority get 10% and 30% as configured", sporadic_pair_shares},
    {"sc_round_robin_budgets", "budget = period is a time slice of that length", round_robin_budgets},
    {"sc_timeout_fault", "a spent budget with a timeout endpoint is a timeout fault; reply resumes", timeout_fault},
    {"sc_passive_chain", "A calls B calls C, all passive: they run on A's context, which returns", passive_chain},
    {"sc_reply_deleted_returns_sc", "deleting the Reply object mid-call gives the context back", reply_deleted_returns_sc},
    {"sc_notification_lends_sc", "a notification's context runs the passive thread it wakes", notification_lends_sc},
    {"sc_nbsendrecv_gives_sc", "NBSendRecv gives the context to a passive receiver, back and forth", nbsendrecv_gives_sc},
    {"sc_no_context_no_run", "a thread runs only on a configured context; unbinding stops it", no_context_no_run},
    {"sc_yield_to_order", "YieldTo runs the context's thread first, or heads its queue if lower", yield_to_order},
    {"sc_yield_to_edges", "YieldTo: target deletes its context, blocked target, bad targets", yield_to_edges},
    {"sc_consumed_counts_time", "a context is charged its thread's running time; Consumed resets", consumed_counts_time},
    {0, 0, 0},
};
