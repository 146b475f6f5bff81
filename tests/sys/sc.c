/*
 * tests/sys/sc.c - scheduling contexts as objects (MCS, issue 4 in
 * progress): SchedControl_Configure's parameter checks, binding rules,
 * unbinding when either end is deleted, and the time charged to a
 * context.  Budget enforcement is not implemented yet and not tested here.
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
    EXPECT_OK(keel_sched_context_bind(sc, n));  /* a TCB and a notification at once */
    EXPECT_ERR(keel_sched_context_bind(sc2, n), KEEL_ILLEGAL_OPERATION);
    EXPECT_ERR(keel_sched_context_bind(sc2, ep), KEEL_INVALID_CAPABILITY);
    EXPECT_ERR(keel_sched_context_unbind_object(sc, t2), KEEL_ILLEGAL_OPERATION);
    EXPECT_ERR(keel_sched_context_unbind_object(sc2, n), KEEL_ILLEGAL_OPERATION);
    EXPECT_OK(keel_sched_context_unbind_object(sc, t1));
    EXPECT_OK(keel_sched_context_bind(sc2, t1)); /* t1 is free again */
    EXPECT_OK(keel_sched_context_bind(sc, t2));
    EXPECT_OK(keel_sched_context_unbind(sc));   /* both t2 and n */
    EXPECT_OK(keel_sched_context_bind(sc2, n));
    EXPECT_OK(keel_sched_context_bind(sc, t2));
}

static void delete_unbinds(struct systest_env *env)
{
    keel_cptr_t sc = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_cptr_t sc2 = object(env, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS);
    keel_cptr_t t = object(env, KEEL_OBJ_TCB, 0), t2 = object(env, KEEL_OBJ_TCB, 0);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    EXPECT_OK(keel_sched_context_bind(sc, t));
    EXPECT_OK(keel_sched_context_bind(sc, n));
    /* Deleting the context frees the TCB and the notification for another. */
    EXPECT_OK(keel_cnode_delete(ROOT, sc, WB));
    EXPECT_OK(keel_sched_context_bind(sc2, t));
    EXPECT_OK(keel_sched_context_bind(sc2, n));
    /* Deleting the TCB and the notification frees the context. */
    EXPECT_OK(keel_cnode_delete(ROOT, t, WB));
    EXPECT_OK(keel_cnode_delete(ROOT, n, WB));
    EXPECT_OK(keel_sched_context_bind(sc2, t2));
    EXPECT_OK(keel_sched_context_unbind(sc2));
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

const struct systest sc_tests[] = {
    {"sc_configure_ranges", "Configure checks budget, period, refills, flags and its cap", configure_ranges},
    {"sc_bind_rules", "a context binds one TCB and one notification, each one context", bind_rules},
    {"sc_delete_unbinds", "deleting either end of a binding frees the other", delete_unbinds},
    {"sc_consumed_counts_time", "a context is charged its thread's running time; Consumed resets", consumed_counts_time},
    {0, 0, 0},
};
