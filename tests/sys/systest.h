/*
 * tests/sys/systest.h - the user-level system test framework.  Tests run
 * as the root task, through libkeel only, so the same sources run on the
 * sim and on every hardware port.
 *
 * Each test gets a sandbox: an untyped region of its own (env->ut, also
 * behind env->alloc) and a range of free root-CNode slots.  After the test
 * the runner revokes the sandbox, deletes everything left in the slot
 * range and checks that the kernel holds exactly as many capabilities as
 * before: a test that leaks capabilities fails.
 */
#ifndef KEEL_SYSTEST_H
#define KEEL_SYSTEST_H

#include <libkeel.h>

#define ROOT KEEL_SLOT_INIT_CNODE
#define WB KEEL_WORD_BITS

struct systest_env {
    const struct keel_bootinfo *bi;
    keel_cptr_t ut;              /* the sandbox untyped */
    unsigned ut_bits;
    struct keel_alloc alloc;     /* objects from the sandbox, slots from the range */
    unsigned failures;
};

struct systest {
    const char *name;
    const char *rule;            /* the rule the test checks, in one line */
    void (*fn)(struct systest_env *env);
};

bool systest_expect(struct systest_env *env, bool ok, const char *what, const char *file,
                    int line);
bool systest_expect_err(struct systest_env *env, keel_error_t got, keel_error_t want,
                        const char *what, const char *file, int line);
bool systest_expect_eq(struct systest_env *env, keel_word_t got, keel_word_t want,
                       const char *what, const char *file, int line);

#define EXPECT(c) systest_expect(env, (c), #c, __FILE__, __LINE__)
#define EXPECT_OK(e) systest_expect_err(env, (e), KEEL_OK, #e, __FILE__, __LINE__)
#define EXPECT_ERR(e, code) systest_expect_err(env, (e), (code), #e, __FILE__, __LINE__)
#define EXPECT_EQ(a, b) systest_expect_eq(env, (keel_word_t)(a), (keel_word_t)(b), #a " == " #b, \
                                          __FILE__, __LINE__)

/* Helpers: a fresh slot of the test's range, an object in a fresh slot,
 * the type of a slot's cap, the kernel's live capability count. */
keel_word_t slot(struct systest_env *env);
keel_cptr_t object(struct systest_env *env, keel_word_t type, keel_word_t size_bits);
int cap_type(keel_cptr_t slot);
keel_word_t live_caps(void);

/* ---- threads (threads.c) ----
 * Tests start threads in the root task's CSpace and address space, with a
 * static 64 KiB stack each, at priorities 2..254 (the root runs at 255;
 * priority 1 is the test's idle thread).  They run only while the root
 * blocks.  Threads talk to the test through static variables (volatile).
 * The runner deletes every thread with the sandbox after the test. */
#define PRIO 100                  /* the usual priority of a test thread */
#define SYSTEST_THREADS_MAX 16    /* threads per test, the idle thread included */
#define SYSTEST_EVENTS_MAX 64

extern const char *systest_current; /* the running test's name */
void threads_reset(void);         /* the runner, before each test */

/* Create a thread running fn(arg) at prio with fault endpoint fault_ep
 * (0: none) and a scheduling context of its own (round-robin, 1 ms:
 * SPAWN_SLICE_US); start it if start.  The result's tcb is 0 if it
 * failed. */
#define SPAWN_SLICE_US 1000
struct keel_thread spawn_with(struct systest_env *env, void (*fn)(keel_word_t),
                              keel_word_t arg, keel_word_t prio, keel_cptr_t fault_ep,
                              bool start);
/* The same, started, without fault endpoint. */
struct keel_thread spawn(struct systest_env *env, void (*fn)(keel_word_t), keel_word_t arg,
                         keel_word_t prio);
/* A thread without a scheduling context, not started: the test binds
 * one, or resumes it to run on contexts lent to it. */
struct keel_thread spawn_bare(struct systest_env *env, void (*fn)(keel_word_t),
                              keel_word_t arg, keel_word_t prio);
/* A passive server: spawned, run until it blocks (settle), then its own
 * context is unbound and deleted; from then on it runs on its callers'
 * time. */
struct keel_thread spawn_passive(struct systest_env *env, void (*fn)(keel_word_t),
                                 keel_word_t arg, keel_word_t prio);
/* Block the root until no thread above priority 1 can run (every test
 * thread blocked, suspended or finished).  If the root is ever blocked
 * elsewhere with nothing else runnable, the idle thread reports the
 * deadlock and halts the system. */
void settle(struct systest_env *env);
/* Block the root for ns of virtual time while threads of priority prio
 * run: a ticker thread at prio spins on the clock and then wakes the root
 * (so it shares the CPU with the threads at prio). */
void run_for(struct systest_env *env, keel_word_t prio, keel_word_t ns);
/* For threads: never return (wait on a notification nobody signals). */
void park(void) __attribute__((noreturn));
/* The virtual clock (DebugSnapshot). */
keel_word_t now_ns(void);
/* Mint cap with rights and badge into a fresh slot. */
keel_cptr_t mint(struct systest_env *env, keel_cptr_t cap, keel_word_t rights,
                 keel_word_t badge);

/* What a test thread records for the test to check (threads_reset
 * clears them): rec[i] belongs to the thread the test numbered i. */
struct record {
    volatile keel_word_t stage, info, badge, mr[KEEL_MSG_REGS], w[8];
};
extern struct record rec[SYSTEST_THREADS_MAX];
/* Store a receive's results in r. */
void record_msg(struct record *r, keel_msginfo_t info, keel_word_t badge,
                const keel_word_t mr[KEEL_MSG_REGS]);

/* An event log in the order threads append to it. */
void log_event(keel_word_t e);
void log_reset(void);
unsigned log_count(void);
keel_word_t log_at(unsigned i);
bool systest_expect_log(struct systest_env *env, unsigned n, const keel_word_t *want,
                        const char *file, int line);
#define EXPECT_LOG(...)                                                                  \
    do {                                                                                 \
        const keel_word_t want_[] = {__VA_ARGS__};                                       \
        systest_expect_log(env, sizeof(want_) / sizeof(want_[0]), want_, __FILE__, __LINE__); \
    } while (0)

/* The test tables, one per file. */
extern const struct systest untyped_tests[], cnode_tests[], cspace_tests[], mdb_tests[],
    syscall_tests[], ipc_tests[], ntfn_tests[], tcb_tests[], fault_tests[], sched_tests[],
    sc_tests[], vspace_tests[], irq_tests[];

#endif
