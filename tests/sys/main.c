/*
 * tests/sys/main.c - the system test runner (keel-sim systest): runs every
 * table of tests in a sandbox, prints one line per test and a summary, and
 * halts with status 0 only if all passed.
 */
#include "systest.h"

#define SANDBOX_BITS 22         /* 4 MiB of untyped per test */
#define RANGE_SLOTS 2048        /* root-CNode slots per test */

static const struct systest *const tables[] = {
    untyped_tests, cnode_tests, cspace_tests, mdb_tests,   syscall_tests,
    ipc_tests,     ntfn_tests,  tcb_tests,    fault_tests, sched_tests,   sc_tests,
    vspace_tests,  irq_tests,   0};

bool systest_expect(struct systest_env *env, bool ok, const char *what, const char *file,
                    int line)
{
    if (!ok) {
        env->failures++;
        keel_printf("    FAIL %s:%d: %s\n", file, line, what);
    }
    return ok;
}

bool systest_expect_err(struct systest_env *env, keel_error_t got, keel_error_t want,
                        const char *what, const char *file, int line)
{
    if (got == want)
        return true;
    struct keel_error_detail d = keel_last_error();
    env->failures++;
    keel_printf("    FAIL %s:%d: %s: got %s, want %s (detail: arg %lu, %lx %lx %lx)\n", file,
                line, what, keel_error_name(got), keel_error_name(want), (unsigned long)d.arg,
                (unsigned long)d.v1, (unsigned long)d.v2, (unsigned long)d.v3);
    return false;
}

bool systest_expect_eq(struct systest_env *env, keel_word_t got, keel_word_t want,
                       const char *what, const char *file, int line)
{
    if (got == want)
        return true;
    env->failures++;
    keel_printf("    FAIL %s:%d: %s: got 0x%lx, want 0x%lx\n", file, line, what,
                (unsigned long)got, (unsigned long)want);
    return false;
}

keel_word_t slot(struct systest_env *env)
{
    keel_word_t s = keel_slot_alloc(&env->alloc.slots);
    if (!s)
        systest_expect(env, false, "a free slot in the test's range", __FILE__, __LINE__);
    return s;
}

keel_cptr_t object(struct systest_env *env, keel_word_t type, keel_word_t size_bits)
{
    keel_cptr_t c = 0;
    systest_expect_err(env, keel_alloc_object(&env->alloc, type, size_bits, &c), KEEL_OK,
                       "allocate a test object", __FILE__, __LINE__);
    return c;
}

int cap_type(keel_cptr_t s)
{
    return keel_debug_cap_identify(s);
}

keel_word_t live_caps(void)
{
    keel_word_t snap[4];
    keel_debug_snapshot(snap);
    return snap[KEEL_DBG_LIVE_CAPS];
}

/* The largest RAM untyped of the boot info. */
static keel_cptr_t biggest_untyped(const struct keel_bootinfo *bi, unsigned *bits)
{
    keel_cptr_t best = 0;
    *bits = 0;
    for (keel_word_t i = 0; i < bi->untyped_count; i++)
        if (!bi->untyped_list[i].is_device && bi->untyped_list[i].size_bits > *bits) {
            *bits = bi->untyped_list[i].size_bits;
            best = bi->untyped.start + i;
        }
    return best;
}

static unsigned run_one(const struct keel_bootinfo *bi, const struct systest *t,
                        keel_cptr_t pool, keel_word_t first)
{
    struct systest_env env = {.bi = bi, .ut = first, .ut_bits = SANDBOX_BITS};
    keel_word_t before = live_caps();
    if (keel_untyped_retype(pool, KEEL_OBJ_UNTYPED, SANDBOX_BITS, ROOT, 0, 0, first, 1)) {
        keel_perror("systest: sandbox");
        return 1;
    }
    /* The boot info's VSpace and user addresses: everything a test maps
     * goes with the sandbox, so each test may start from map_start again. */
    keel_alloc_init(&env.alloc, bi);
    keel_slots_init(&env.alloc.slots, ROOT, first + 1, first + RANGE_SLOTS);
    env.alloc.count = 1;
    env.alloc.ut[0].cap = first;
    env.alloc.ut[0].size_bits = SANDBOX_BITS;
    env.alloc.ut[0].is_device = 0;
    env.alloc.ut[0].used = 0;
    systest_current = t->name;
    threads_reset();
    t->fn(&env);
    /* Clean up: everything made from the sandbox, then the range. */
    keel_cnode_revoke(ROOT, first, WB);
    for (keel_word_t s = first; s < first + RANGE_SLOTS; s++)
        if (cap_type(s) != KEEL_CAP_NULL)
            keel_cnode_delete(ROOT, s, WB);
    keel_word_t after = live_caps();
    if (after != before) {
        env.failures++;
        keel_printf("    FAIL: the kernel holds %ld capabilities more after the test\n",
                    (long)(after - before));
    }
    keel_printf("%s %-34s %s\n", env.failures ? "FAIL" : "ok  ", t->name, t->rule);
    return env.failures ? 1 : 0;
}

static int systest_main(const struct keel_bootinfo *bi)
{
    unsigned bits, run = 0, failed = 0;
    keel_cptr_t pool = biggest_untyped(bi, &bits);
    keel_word_t first = bi->empty.start + 16; /* keep a few slots for the runner */
    if (bits < SANDBOX_BITS || bi->empty.end < first + RANGE_SLOTS) {
        keel_printf("systest: need a %u-bit untyped and %u free slots\n", SANDBOX_BITS,
                    RANGE_SLOTS);
        return 1;
    }
    keel_printf("Keel system tests\n");
    for (const struct systest *const *tab = tables; *tab; tab++)
        for (const struct systest *t = *tab; t->name; t++) {
            failed += run_one(bi, t, pool, first);
            run++;
        }
    keel_printf("systest: %u tests, %u passed, %u failed\n", run, run - failed, failed);
    return failed ? 1 : 0;
}

KEEL_ROOT_TASK(systest, "the user-level system test suite", systest_main);
