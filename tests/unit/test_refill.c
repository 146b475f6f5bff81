/*
 * tests/unit/test_refill.c - the refill algorithms of scheduling contexts
 * (kernel/refill.c) on their own: round-robin charging, the sporadic
 * server's replenishments, unblocking, a full buffer, and a simulation of
 * a thread running and blocking at random that checks the bandwidth bound
 * (no more than the budget in any window of one period) and the buffer's
 * invariants after every step.
 */
#include "harness.h"

#define BITS 10                      /* a 1 KiB context: (1024 - header) / 16 refills */
#define US 1000ull

static _Alignas(1 << BITS) unsigned char mem[1 << BITS];

static struct sched_context *make_sc(uint64_t budget_us, uint64_t period_us, word_t refills)
{
    memset(mem, 0, sizeof(mem));
    struct sched_context *sc = (struct sched_context *)mem;
    sc->refill_max = keel_sc_refills(BITS);
    ck_assert_uint_le(refills, sc->refill_max);
    sc->budget_ns = budget_us * US;
    sc->period_ns = period_us * US;
    sc->refill_used = refills;
    refill_init(sc, 0);
    return sc;
}

static struct refill *nth(struct sched_context *sc, word_t i)
{
    return sc_refill(sc, (sc->refill_head + i) % sc->refill_used);
}

/* Amounts sum to the budget, releases never decrease, 1..max refills. */
static void check_buffer(struct sched_context *sc)
{
    uint64_t sum = 0;
    ck_assert_uint_ge(sc->refill_count, 1);
    ck_assert_uint_le(sc->refill_count, sc->refill_used);
    for (word_t i = 0; i < sc->refill_count; i++) {
        sum += nth(sc, i)->amount_ns;
        if (i)
            ck_assert_uint_le(nth(sc, i - 1)->release_ns, nth(sc, i)->release_ns);
    }
    ck_assert_uint_eq(sum, sc->budget_ns);
}

START_TEST(round_robin_refills_at_once)
{
    struct sched_context *sc = make_sc(1000, 1000, 2);
    ck_assert(refill_ready(sc, 0));
    ck_assert_uint_eq(refill_capacity(sc, 0), 1000 * US);
    refill_charge(sc, 300 * US, 300 * US);
    ck_assert_uint_eq(refill_capacity(sc, 300 * US), 700 * US);
    refill_charge(sc, 700 * US, 1000 * US);           /* spent: full again, now */
    ck_assert_uint_eq(refill_capacity(sc, 1000 * US), 1000 * US);
    ck_assert_uint_eq(sc->refill_count, 1);
    refill_activate(sc, 5000 * US);                    /* nothing to do for round-robin */
    ck_assert_uint_eq(refill_head(sc)->release_ns, 1000 * US);
    check_buffer(sc);
}
END_TEST

/* 2 ms every 10 ms: what is used comes back one period after its refill
 * became usable. */
START_TEST(sporadic_replenishes_one_period_later)
{
    struct sched_context *sc = make_sc(2000, 10000, 4);
    refill_charge(sc, 500 * US, 500 * US);
    ck_assert_uint_eq(sc->refill_count, 2);
    ck_assert_uint_eq(refill_head(sc)->amount_ns, 1500 * US);
    ck_assert_uint_eq(nth(sc, 1)->release_ns, 10000 * US);
    ck_assert_uint_eq(nth(sc, 1)->amount_ns, 500 * US);
    refill_charge(sc, 1500 * US, 2000 * US);          /* the rest: nothing left now */
    ck_assert(!refill_ready(sc, 2000 * US));
    ck_assert_uint_eq(refill_capacity(sc, 2000 * US), 0);
    ck_assert(refill_ready(sc, 10000 * US));
    ck_assert_uint_eq(refill_capacity(sc, 10000 * US), 500 * US);
    check_buffer(sc);
}
END_TEST

/* Blocked past its release: the head starts when the thread wakes, and
 * refills due before the head runs out join it. */
START_TEST(unblock_moves_and_merges)
{
    struct sched_context *sc = make_sc(2000, 10000, 4);
    refill_charge(sc, 500 * US, 500 * US);            /* 1500 now, 500 at 10000 */
    refill_activate(sc, 9000 * US);                    /* 500 due at 10000 < 9000 + 1500 */
    ck_assert_uint_eq(sc->refill_count, 1);
    ck_assert_uint_eq(refill_head(sc)->release_ns, 9000 * US);
    ck_assert_uint_eq(refill_head(sc)->amount_ns, 2000 * US);
    check_buffer(sc);
}
END_TEST

/* A full buffer merges into the tail, whose release only moves later. */
START_TEST(full_buffer_merges_into_tail)
{
    struct sched_context *sc = make_sc(2000, 10000, 2);
    refill_charge(sc, 100 * US, 100 * US);            /* [1900 @0, 100 @10000] */
    refill_charge(sc, 100 * US, 200 * US);            /* full: tail grows */
    ck_assert_uint_eq(sc->refill_count, 2);
    ck_assert_uint_eq(nth(sc, 1)->amount_ns, 200 * US);
    ck_assert_uint_eq(nth(sc, 1)->release_ns, 10000 * US);
    check_buffer(sc);
}
END_TEST

/* A head left below the minimum budget joins the next refill. */
START_TEST(tiny_head_merged)
{
    struct sched_context *sc = make_sc(2000, 10000, 4);
    refill_charge(sc, 1990 * US, 1990 * US);          /* 10 us left < 20 us minimum */
    ck_assert_uint_eq(sc->refill_count, 1);
    ck_assert_uint_eq(refill_head(sc)->release_ns, 10000 * US);
    ck_assert(!refill_ready(sc, 1990 * US));
    check_buffer(sc);
}
END_TEST

struct interval {
    uint64_t start, len;
};

/* The most a thread ran in any window of `window` ns starting where it
 * started to run. */
static uint64_t max_in_window(const struct interval *runs, unsigned n, uint64_t window)
{
    uint64_t worst = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t end = runs[i].start + window, used = 0;
        for (unsigned j = i; j < n && runs[j].start < end; j++) {
            uint64_t stop = runs[j].start + runs[j].len;
            used += (stop < end ? stop : end) - runs[j].start;
        }
        if (used > worst)
            worst = used;
    }
    return worst;
}

/* A thread that runs, waits behind higher priorities and blocks at
 * random; the buffer stays well formed throughout.  Strict: activated at
 * every switch-in, at most the budget in any window of one period.
 * Otherwise (activated only at wake-up): at most k+1 budgets in any k
 * periods. */
static void simulate(uint64_t budget_us, uint64_t period_us, word_t refills, bool strict,
                     uint64_t seed)
{
    static struct interval runs[40000];
    unsigned n = 0;
    uint64_t x = seed, now = 0, period = period_us * US, budget = budget_us * US;
    struct sched_context *sc = make_sc(budget_us, period_us, refills);
    bool waited = false;
    while (n < sizeof(runs) / sizeof(runs[0])) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t cap = refill_capacity(sc, now);
        if (cap && x % 3) {                           /* run for part or all of it */
            if (strict && waited)
                refill_activate(sc, now), cap = refill_capacity(sc, now);
            uint64_t len = 1 + (x >> 8) % cap;
            runs[n++] = (struct interval){now, len};
            now += len;
            refill_charge(sc, len, now);
            waited = false;
        } else if (!cap) {                            /* wait for the release, maybe longer */
            now = refill_head(sc)->release_ns + (x % 4 ? 0 : (x >> 12) % period);
            waited = true;
        } else if (x % 2) {                           /* preempted for a while */
            now += (x >> 10) % period;
            waited = true;
        } else {                                      /* block, wake later */
            now += (x >> 10) % (2 * period);
            refill_activate(sc, now);
            waited = false;
        }
        check_buffer(sc);
    }
    if (strict)
        ck_assert_uint_le(max_in_window(runs, n, period), budget);
    else
        ck_assert_uint_le(max_in_window(runs, n, 10 * period), 11 * budget);
}

START_TEST(bandwidth_bound_holds)
{
    for (int strict = 1; strict >= 0; strict--) {
        simulate(2000, 10000, 8, strict, 0x1234567ull);
        simulate(2000, 10000, 2, strict, 0x9e3779b97f4a7c15ull); /* a full buffer, often */
        simulate(100, 300, 16, strict, 0xfeedull);
        simulate(25, 1000, 4, strict, 0xabcdefull);              /* near the minimum budget */
    }
}
END_TEST

Suite *refill_suite(void)
{
    Suite *s = suite_create("refill");
    TCase *tc = tcase_create("refill");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, round_robin_refills_at_once);
    tcase_add_test(tc, sporadic_replenishes_one_period_later);
    tcase_add_test(tc, unblock_moves_and_merges);
    tcase_add_test(tc, full_buffer_merges_into_tail);
    tcase_add_test(tc, tiny_head_merged);
    tcase_add_test(tc, bandwidth_bound_holds);
    suite_add_tcase(s, tc);
    return s;
}
