/*
 * tests/sys/threads.c - helpers for tests with threads: static stacks,
 * spawning (with a scheduling context of their own, without, or passive),
 * letting the other threads run until they are all blocked
 * (settle), letting virtual time pass (run_for), parking a thread, and an
 * event log for checking the order in which threads ran.
 *
 * settle() works with an idle thread at priority 1, below every test
 * thread: it runs only when nothing else can, and then wakes the root.  If
 * it finds the root blocked somewhere else (a Recv or Call that nothing
 * will ever answer), the test has deadlocked: it says so and halts, rather
 * than leaving the sim to stop with "no runnable thread".
 */
#include "systest.h"

#define STACK_BYTES (64 * 1024) /* what the sim gives every thread's fiber */
#define IDLE_PRIO 1

static char stacks[SYSTEST_THREADS_MAX][STACK_BYTES] __attribute__((aligned(16)));
static unsigned stacks_used;

const char *systest_current = "";

static keel_cptr_t park_ntfn;           /* nobody signals it */
static keel_cptr_t idle_ntfn;           /* the idle thread wakes the root here */
static volatile int settling;           /* the root waits in settle() */

static struct {
    bool made;
    struct keel_thread t;
    keel_word_t prio;
    keel_cptr_t go, done;
    volatile keel_word_t deadline;
} ticker;

struct record rec[SYSTEST_THREADS_MAX];

static volatile keel_word_t events[SYSTEST_EVENTS_MAX];
static volatile unsigned nevents;

void threads_reset(void)
{
    stacks_used = 0;
    park_ntfn = idle_ntfn = 0;
    settling = 0;
    ticker.made = false;
    nevents = 0;
    __builtin_memset((void *)rec, 0, sizeof(rec));
}

void record_msg(struct record *r, keel_msginfo_t info, keel_word_t badge,
                const keel_word_t mr[KEEL_MSG_REGS])
{
    r->info = info;
    r->badge = badge;
    for (unsigned i = 0; i < KEEL_MSG_REGS; i++)
        r->mr[i] = mr[i];
}

keel_word_t now_ns(void)
{
    keel_word_t snap[4];
    keel_debug_snapshot(snap);
    return snap[KEEL_DBG_TIME_NS];
}

void park(void)
{
    for (;;) {
        keel_word_t mr[KEEL_MSG_REGS] = {0};
        keel_wait(park_ntfn, 0, mr);
    }
}

keel_cptr_t mint(struct systest_env *env, keel_cptr_t cap, keel_word_t rights,
                 keel_word_t badge)
{
    keel_word_t s = slot(env);
    EXPECT_OK(keel_cnode_mint(ROOT, s, WB, ROOT, cap, WB, rights, badge));
    return s;
}

static struct keel_thread create(struct systest_env *env, void (*fn)(keel_word_t),
                                 keel_word_t arg, keel_word_t prio, keel_cptr_t fault_ep)
{
    struct keel_thread t = {0};
    if (!park_ntfn)
        park_ntfn = object(env, KEEL_OBJ_NOTIFICATION, 0);
    if (!EXPECT(stacks_used < SYSTEST_THREADS_MAX))
        return t;
    char *top = stacks[stacks_used++] + STACK_BYTES;
    if (!EXPECT_OK(keel_thread_create(&env->alloc, &t, fn, arg, top, prio, fault_ep)))
        t.tcb = 0;
    return t;
}

struct keel_thread spawn_with(struct systest_env *env, void (*fn)(keel_word_t),
                              keel_word_t arg, keel_word_t prio, keel_cptr_t fault_ep,
                              bool start)
{
    struct keel_thread t = create(env, fn, arg, prio, fault_ep);
    if (!t.tcb)
        return t;
    if (!EXPECT_OK(keel_thread_give_time(&env->alloc, &t, KEEL_SLOT_SCHED_CONTROL, SPAWN_SLICE_US,
                                         SPAWN_SLICE_US, 0))) {
        t.tcb = 0;
        return t;
    }
    if (start)
        EXPECT_OK(keel_thread_start(&t));
    return t;
}

struct keel_thread spawn(struct systest_env *env, void (*fn)(keel_word_t), keel_word_t arg,
                         keel_word_t prio)
{
    return spawn_with(env, fn, arg, prio, 0, true);
}

struct keel_thread spawn_bare(struct systest_env *env, void (*fn)(keel_word_t),
                              keel_word_t arg, keel_word_t prio)
{
    return create(env, fn, arg, prio, 0);
}

struct keel_thread spawn_passive(struct systest_env *env, void (*fn)(keel_word_t),
                                 keel_word_t arg, keel_word_t prio)
{
    struct keel_thread t = spawn(env, fn, arg, prio);
    if (!t.tcb)
        return t;
    settle(env);
    EXPECT_OK(keel_cnode_delete(ROOT, t.sc, WB)); /* unbinds it */
    t.sc = 0;
    return t;
}

static void idle_main(keel_word_t ntfn)
{
    for (;;) {
        if (settling) {
            settling = 0;
            keel_signal(ntfn);
        } else {
            keel_printf("    FAIL %s: every thread is blocked, the root task too (deadlock); "
                        "halting\n",
                        systest_current);
            keel_debug_halt(3);
        }
    }
}

void settle(struct systest_env *env)
{
    if (!idle_ntfn) {
        keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
        if (!spawn(env, idle_main, n, IDLE_PRIO).tcb)
            return; /* cannot wait safely; the failure is reported */
        idle_ntfn = n;
    }
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    settling = 1;
    keel_wait(idle_ntfn, 0, mr);
    EXPECT(!settling);
}

static void ticker_main(keel_word_t unused)
{
    for (;;) {
        keel_word_t mr[KEEL_MSG_REGS] = {0};
        keel_wait(ticker.go, 0, mr);
        while (now_ns() < ticker.deadline)
            keel_yield(); /* time passes even without time slices */
        keel_signal(ticker.done);
    }
}

void run_for(struct systest_env *env, keel_word_t prio, keel_word_t ns)
{
    if (!ticker.made) {
        ticker.go = object(env, KEEL_OBJ_NOTIFICATION, 0);
        ticker.done = object(env, KEEL_OBJ_NOTIFICATION, 0);
        ticker.t = spawn(env, ticker_main, 0, prio);
        if (!ticker.t.tcb)
            return;
        ticker.prio = prio;
        ticker.made = true;
    } else if (ticker.prio != prio) {
        EXPECT_OK(keel_tcb_set_priority(ticker.t.tcb, KEEL_SLOT_INIT_TCB, prio));
        ticker.prio = prio;
    }
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    ticker.deadline = now_ns() + ns;
    keel_signal(ticker.go);
    keel_wait(ticker.done, 0, mr);
}

void log_event(keel_word_t e)
{
    unsigned n = nevents;
    if (n < SYSTEST_EVENTS_MAX)
        events[n] = e;
    nevents = n + 1;
}

void log_reset(void)
{
    nevents = 0;
}

unsigned log_count(void)
{
    return nevents;
}

keel_word_t log_at(unsigned i)
{
    return i < SYSTEST_EVENTS_MAX ? events[i] : 0;
}

bool systest_expect_log(struct systest_env *env, unsigned n, const keel_word_t *want,
                        const char *file, int line)
{
    bool ok = nevents == n;
    for (unsigned i = 0; ok && i < n; i++)
        ok = events[i] == want[i];
    if (ok)
        return true;
    env->failures++;
    keel_printf("    FAIL %s:%d: event log:", file, line);
    for (unsigned i = 0; i < nevents && i < SYSTEST_EVENTS_MAX; i++)
        keel_printf(" %lx", (unsigned long)events[i]);
    keel_printf("; want:");
    for (unsigned i = 0; i < n; i++)
        keel_printf(" %lx", (unsigned long)want[i]);
    keel_printf("\n");
    return false;
}
