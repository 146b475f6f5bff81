/*
 * tests/sys/sched.c - the priority scheduler (docs/ipc.md "Scheduler"):
 * a higher-priority thread made runnable runs at once, a lower one waits;
 * FIFO order within a priority; Yield; preempted threads keep the head of
 * their queue; round-robin time slices share the CPU fairly.
 *
 * Threads append to the event log (log_event); the tests compare the
 * order.  Time is virtual: 200 ns per kernel entry, 1 ms slices.
 */
#include "systest.h"

static struct {
    keel_cptr_t n[SYSTEST_THREADS_MAX];
    keel_cptr_t ep, reply;
    volatile keel_word_t count[SYSTEST_THREADS_MAX];
    volatile keel_word_t deadline;
    volatile keel_word_t seen_at;
} g;

static void reset(void)
{
    __builtin_memset((void *)&g, 0, sizeof(g));
}

static void wait_on(keel_cptr_t n)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    keel_wait(n, &badge, mr);
}

/* Log i, then park. */
static void log_and_park(keel_word_t i)
{
    log_event(i);
    park();
}

/* Wait on g.n[i], log i when woken. */
static void woken_logs(keel_word_t i)
{
    wait_on(g.n[i]);
    log_event(i);
    park();
}

/* Log 0x10+i, signal g.n[i+1] (a waiter), log 0x20+i. */
static void signaller(keel_word_t i)
{
    log_event(0x10 + i);
    keel_signal(g.n[i + 1]);
    log_event(0x20 + i);
    park();
}

static void higher_priority_wakeup_preempts(struct systest_env *env)
{
    reset();
    g.n[2] = object(env, KEEL_OBJ_NOTIFICATION, 0);
    spawn(env, woken_logs, 2, PRIO + 10);
    settle(env);
    spawn(env, signaller, 1, PRIO);
    settle(env);
    EXPECT_LOG(0x11, 2, 0x21);
}

static void lower_priority_wakeup_waits(struct systest_env *env)
{
    reset();
    g.n[2] = object(env, KEEL_OBJ_NOTIFICATION, 0);
    spawn(env, woken_logs, 2, PRIO - 10);
    settle(env);
    spawn(env, signaller, 1, PRIO);
    settle(env);
    EXPECT_LOG(0x11, 0x21, 2);
}

static void equal_priority_wakeup_waits(struct systest_env *env)
{
    reset();
    g.n[2] = object(env, KEEL_OBJ_NOTIFICATION, 0);
    spawn(env, woken_logs, 2, PRIO);
    settle(env);
    spawn(env, signaller, 1, PRIO);
    settle(env);
    EXPECT_LOG(0x11, 0x21, 2);
}

/* Server: Recv, log 0x50 + label, reply, loop. */
static void server(keel_word_t unused)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    keel_msginfo_t info = keel_recv(g.ep, &badge, g.reply, mr);
    for (;;) {
        log_event(0x50 + keel_msginfo_label(info));
        g.count[0]++;
        info = keel_reply_recv(g.ep, 0, &badge, g.reply, mr);
    }
}

/* Client: Send label 1 (the server logs 0x51), log 0x61 and the server's
 * count seen right after; then Call label 2, the same with 0x62. */
static void client(keel_word_t unused)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_send(g.ep, keel_msginfo(1, 0, 0, 0), mr);
    log_event(0x61);
    g.count[1] = g.count[0];
    keel_call(g.ep, keel_msginfo(2, 0, 0, 0), mr);
    log_event(0x62);
    g.count[2] = g.count[0];
    park();
}

static void higher_priority_server_runs_at_once(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    spawn(env, server, 0, PRIO + 10);
    settle(env);
    spawn(env, client, 0, PRIO);
    settle(env);
    EXPECT_LOG(0x51, 0x61, 0x52, 0x62);
    EXPECT_EQ(g.count[1], 1);
    EXPECT_EQ(g.count[2], 2);
}

static void lower_priority_server_runs_later(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    spawn(env, server, 0, PRIO - 10);
    settle(env);
    spawn(env, client, 0, PRIO);
    settle(env);
    /* The Send returns first; the Call waits for the reply, which makes
     * the higher-priority client run before the server's next step. */
    EXPECT_LOG(0x61, 0x51, 0x52, 0x62);
    EXPECT_EQ(g.count[1], 0);
}

static void higher_priority_first(struct systest_env *env)
{
    reset();
    keel_word_t prios[4] = {0, 10, 50, 90};
    for (keel_word_t i = 1; i <= 3; i++)
        spawn(env, log_and_park, i, prios[i]);
    settle(env);
    EXPECT_LOG(3, 2, 1);
}

static void equal_priority_fifo_start(struct systest_env *env)
{
    reset();
    for (keel_word_t i = 1; i <= 4; i++)
        spawn(env, log_and_park, i, PRIO);
    settle(env);
    EXPECT_LOG(1, 2, 3, 4);
}

static void fifo_equal_priority_wakeups(struct systest_env *env)
{
    reset();
    for (keel_word_t i = 1; i <= 3; i++) {
        g.n[i] = object(env, KEEL_OBJ_NOTIFICATION, 0);
        spawn(env, woken_logs, i, PRIO);
    }
    settle(env);
    EXPECT_EQ(log_count(), 0);
    EXPECT_OK(keel_signal(g.n[3]));
    EXPECT_OK(keel_signal(g.n[1]));
    EXPECT_OK(keel_signal(g.n[2]));
    settle(env);
    EXPECT_LOG(3, 1, 2);
}

static void yielder(keel_word_t i)
{
    log_event(0x10 + i);
    keel_yield();
    log_event(0x20 + i);
    park();
}

static void yield_passes_cpu(struct systest_env *env)
{
    reset();
    spawn(env, yielder, 1, PRIO);
    spawn(env, yielder, 2, PRIO);
    settle(env);
    EXPECT_LOG(0x11, 0x12, 0x21, 0x22);
}

static void yield_alone_continues(struct systest_env *env)
{
    reset();
    spawn(env, yielder, 1, PRIO);
    spawn(env, log_and_park, 2, PRIO - 1);
    settle(env);
    EXPECT_LOG(0x11, 0x21, 2);
}

/* Preempted by a higher-priority thread it woke, thread 1 continues
 * before thread 2 of its priority: it went back to the head. */
static void preempted_keeps_head(struct systest_env *env)
{
    reset();
    g.n[2] = object(env, KEEL_OBJ_NOTIFICATION, 0);
    spawn(env, woken_logs, 2, PRIO + 10);
    settle(env);
    spawn(env, signaller, 1, PRIO);
    spawn(env, log_and_park, 3, PRIO);
    settle(env);
    EXPECT_LOG(0x11, 2, 0x21, 3);
}

static void set_priority_reorders(struct systest_env *env)
{
    reset();
    struct keel_thread a = spawn(env, log_and_park, 1, 50);
    spawn(env, log_and_park, 2, 60);
    struct keel_thread c = spawn(env, log_and_park, 3, 80);
    EXPECT_OK(keel_tcb_set_priority(a.tcb, KEEL_SLOT_INIT_TCB, 70));
    EXPECT_OK(keel_tcb_set_priority(c.tcb, KEEL_SLOT_INIT_TCB, 40));
    settle(env);
    EXPECT_LOG(1, 2, 3);
}

/* Woken by a higher-priority server's reply, clients go to the tail of
 * their queue: three clients calling twice are served 1, 2, 3, 1, 2, 3. */
static void caller_logs(keel_word_t i)
{
    for (unsigned k = 0; k < 2; k++) {
        keel_word_t mr[KEEL_MSG_REGS] = {0};
        keel_call(g.ep, keel_msginfo(i, 0, 0, 0), mr);
    }
    park();
}

static void woken_goes_to_tail(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    spawn(env, server, 0, PRIO + 10);
    settle(env);
    for (keel_word_t i = 1; i <= 3; i++)
        spawn(env, caller_logs, i, PRIO);
    settle(env);
    EXPECT_LOG(0x51, 0x52, 0x53, 0x51, 0x52, 0x53);
}

/* ---- time slices ---- */

static void spin_until_deadline(keel_word_t i)
{
    while (now_ns() < g.deadline)
        g.count[i]++;
    park();
}

static void round_robin_fairness(struct systest_env *env)
{
    reset();
    g.deadline = now_ns() + 30000000; /* 30 slices */
    for (keel_word_t i = 1; i <= 3; i++)
        spawn(env, spin_until_deadline, i, PRIO);
    settle(env);
    keel_word_t min = ~(keel_word_t)0, max = 0;
    for (unsigned i = 1; i <= 3; i++) {
        if (g.count[i] < min)
            min = g.count[i];
        if (g.count[i] > max)
            max = g.count[i];
    }
    EXPECT(min > 1000);
    if (!EXPECT(2 * max < 3 * min))
        keel_printf("    counts: %lu %lu %lu\n", (unsigned long)g.count[1],
                    (unsigned long)g.count[2], (unsigned long)g.count[3]);
}

/* Thread 1 spins (no yield, no blocking) until thread 2 of its priority
 * has run: the slice end must let thread 2 in within about a slice. */
static void spin_until_flag(keel_word_t i)
{
    keel_word_t start = now_ns();
    while (g.count[2] == 0 && now_ns() < start + 20000000)
        g.count[1]++;
    g.seen_at = now_ns() - start;
    park();
}

static void set_flag(keel_word_t i)
{
    g.count[2] = 1;
    park();
}

static void slice_end_rotates(struct systest_env *env)
{
    reset();
    spawn(env, spin_until_flag, 1, PRIO);
    spawn(env, set_flag, 2, PRIO);
    settle(env);
    EXPECT_EQ(g.count[2], 1);
    EXPECT(g.seen_at <= 1500000); /* one slice, plus a few entries */
    EXPECT(g.seen_at >= 500000);  /* not long before the slice ends */
    if (env->failures)
        keel_printf("    thread 2 ran after %lu ns\n", (unsigned long)g.seen_at);
}

static void record_time(keel_word_t i)
{
    g.seen_at = now_ns();
    park();
}

static void lower_priority_starves_while_higher_spins(struct systest_env *env)
{
    reset();
    g.deadline = now_ns() + 5000000;
    spawn(env, spin_until_deadline, 1, PRIO);
    spawn(env, record_time, 2, PRIO - 1);
    settle(env);
    /* The low thread ran only after the spinner parked. */
    EXPECT(g.count[1] > 1000);
    EXPECT(g.seen_at >= g.deadline);
}

/* ---- the Call/ReplyRecv paths honour priorities ---- */

/* Server: Recv; log 0x50 + label; wake thread 3 (g.n[3]); ReplyRecv. */
static void server_wakes_middle(keel_word_t unused)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    keel_msginfo_t info = keel_recv(g.ep, &badge, g.reply, mr);
    for (;;) {
        log_event(0x50 + keel_msginfo_label(info));
        keel_signal(g.n[3]);
        info = keel_reply_recv(g.ep, 0, &badge, g.reply, mr);
    }
}

static void calls_once(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    log_event(0x10 + i);
    keel_call(g.ep, keel_msginfo(i, 0, 0, 0), mr);
    log_event(0x20 + i);
    park();
}

static void reply_respects_priority(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    g.n[3] = object(env, KEEL_OBJ_NOTIFICATION, 0);
    spawn(env, server_wakes_middle, 0, PRIO + 10);
    spawn(env, woken_logs, 3, PRIO + 5);
    settle(env);
    spawn(env, calls_once, 1, PRIO);
    settle(env);
    /* The reply makes the client runnable, but the middle thread the
     * server woke has the higher priority. */
    EXPECT_LOG(0x11, 0x51, 3, 0x21);
}

/* Client: wake thread 3 (g.n[3]), then Call. */
static void wakes_then_calls(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    log_event(0x10 + i);
    keel_signal(g.n[3]);
    keel_call(g.ep, keel_msginfo(i, 0, 0, 0), mr);
    log_event(0x20 + i);
    park();
}

static void call_respects_priority(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    g.n[3] = object(env, KEEL_OBJ_NOTIFICATION, 0);
    spawn(env, server, 0, PRIO - 10);
    spawn(env, woken_logs, 3, PRIO - 5);
    settle(env);
    spawn(env, wakes_then_calls, 1, PRIO);
    settle(env);
    /* The Call blocks the client; the woken thread outranks the server. */
    EXPECT_LOG(0x11, 3, 0x51, 0x21);
}

/* Thread 1 spins half a slice, wakes thread 3 (higher priority), spins on
 * until thread 2 (its priority) runs: preempted, it kept the rest of its
 * slice, so thread 2 runs about one slice after thread 1 started. */
static void spin_wake_spin(keel_word_t i)
{
    keel_word_t start = now_ns();
    while (now_ns() < start + 500000)
        ;
    keel_signal(g.n[3]);
    while (g.count[2] == 0 && now_ns() < start + 20000000)
        g.count[1]++;
    g.seen_at = now_ns() - start;
    park();
}

static void preempted_keeps_rest_of_slice(struct systest_env *env)
{
    reset();
    g.n[3] = object(env, KEEL_OBJ_NOTIFICATION, 0);
    spawn(env, woken_logs, 3, PRIO + 10);
    settle(env);
    spawn(env, spin_wake_spin, 1, PRIO);
    spawn(env, set_flag, 2, PRIO);
    settle(env);
    EXPECT_LOG(3);
    EXPECT_EQ(g.count[2], 1);
    EXPECT(g.seen_at >= 900000);
    EXPECT(g.seen_at <= 1300000); /* not a fresh slice after the preemption */
    if (env->failures)
        keel_printf("    thread 2 ran after %lu ns\n", (unsigned long)g.seen_at);
}

/* ---- preemption points in user code (sim) ---- */

static volatile int busy_stop;
static volatile keel_word_t busy_t0;

/* Counts without a single syscall until busy_stop is set (or, if it is
 * never preempted, up to BUSY_MAX, so that the test fails, not hangs). */
#define BUSY_MAX 20000000ul

static void busy_loop(keel_word_t i)
{
    while (!busy_stop && rec[i].w[0] < BUSY_MAX)
        rec[i].w[0]++;
    park();
}

/* Runs once A's budget has ended: records A's count and the time. */
static void busy_watcher(keel_word_t i)
{
    rec[i].w[0] = rec[1].w[0];
    rec[i].w[1] = now_ns() - busy_t0;
    busy_stop = 1;
    park();
}

/* A loop with no syscalls is still preempted when its 1 ms budget ends
 * (on sim: at a compiler-inserted preemption point), so the thread
 * behind it runs.  The count it reached is printed: it is the same in
 * every run (the determinism check of `make test` compares two runs). */
static void busy_loop_preempted(struct systest_env *env)
{
    busy_stop = 0;
    busy_t0 = now_ns();
    spawn(env, busy_loop, 1, PRIO);
    spawn(env, busy_watcher, 2, PRIO);
    settle(env);
    EXPECT(rec[2].w[0] > 1000 && rec[2].w[0] < BUSY_MAX); /* A ran a while ... */
    EXPECT(rec[2].w[1] >= SPAWN_SLICE_US * 1000 && rec[2].w[1] < 3 * SPAWN_SLICE_US * 1000);
    EXPECT(rec[1].w[0] >= rec[2].w[0]);        /* ... and went on after */
    keel_printf("    (the loop was preempted after %lu rounds, %lu ns)\n",
                (unsigned long)rec[2].w[0], (unsigned long)rec[2].w[1]);
}

const struct systest sched_tests[] = {
    {"higher_priority_wakeup_preempts", "waking a higher-priority thread runs it at once", higher_priority_wakeup_preempts},
    {"lower_priority_wakeup_waits", "waking a lower-priority thread does not preempt", lower_priority_wakeup_waits},
    {"equal_priority_wakeup_waits", "waking an equal-priority thread does not preempt", equal_priority_wakeup_waits},
    {"higher_priority_server_runs_at_once", "Send/Call to a higher-priority server runs it before the client goes on", higher_priority_server_runs_at_once},
    {"lower_priority_server_runs_later", "a lower-priority server runs only when the client blocks", lower_priority_server_runs_later},
    {"higher_priority_first", "of runnable threads the highest priority runs first", higher_priority_first},
    {"equal_priority_fifo_start", "threads of one priority run in the order they became runnable", equal_priority_fifo_start},
    {"fifo_equal_priority_wakeups", "equal-priority threads run in wakeup order", fifo_equal_priority_wakeups},
    {"yield_passes_cpu", "Yield lets the next thread of the same priority run", yield_passes_cpu},
    {"yield_alone_continues", "Yield alone at its priority continues at once", yield_alone_continues},
    {"preempted_keeps_head", "a preempted thread goes back to the head of its queue", preempted_keeps_head},
    {"set_priority_reorders", "SetPriority moves a runnable thread to its new queue", set_priority_reorders},
    {"woken_goes_to_tail", "a thread woken by a higher-priority one goes to the tail", woken_goes_to_tail},
    {"round_robin_fairness", "three spinners at one priority share the CPU evenly", round_robin_fairness},
    {"slice_end_rotates", "a spinning thread is rotated out when its 1 ms slice ends", slice_end_rotates},
    {"lower_priority_starves_while_higher_spins", "a lower priority never runs while a higher one spins", lower_priority_starves_while_higher_spins},
    {"reply_respects_priority", "after ReplyRecv a higher-priority runnable thread runs before the client", reply_respects_priority},
    {"call_respects_priority", "after Call a runnable thread above the server runs first", call_respects_priority},
    {"preempted_keeps_rest_of_slice", "a preempted thread keeps the rest of its slice", preempted_keeps_rest_of_slice},
    {"busy_loop_preempted", "a loop without syscalls is preempted when its budget ends", busy_loop_preempted},
    {0, 0, 0},
};
