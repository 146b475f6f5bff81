/*
 * kernel/refill.c - the budget of a scheduling context as a list of
 * refills: (release time, amount) pairs in a circular buffer, releases in
 * increasing order, amounts summing to the budget.  The head refill is
 * the budget usable now once its release time has passed.
 *
 * Round-robin contexts (budget = period) have one refill: charging takes
 * from it, and when it is spent it is full again at once (the scheduler
 * moves the thread to the back of its queue).  That case, and reading
 * the head, are inline in state.h: every context switch uses them.
 *
 * Sporadic contexts (budget < period) follow the sporadic-server rule:
 * time consumed from a refill comes back one period after that refill
 * became usable, as a new refill at the tail.  With refill_activate() at
 * every switch-in (KEEL_SC_FLAG_SPORADIC), in any window of one period a
 * context never gets more than its budget, however its thread runs, waits
 * and blocks; tests/unit/test_refill.c checks that by simulation.
 * When the buffer is full, a new refill merges into the tail and the
 * tail's release moves later (never earlier): budget can be delayed but
 * the bound holds.  A head smaller than the minimum budget is merged into
 * the refill after it, so that no refill too small to use is scheduled.
 *
 * Callers: sched.c charges and activates; sc.c initialises.
 */
#include "state.h"

#define MIN_BUDGET_NS ((uint64_t)KEEL_SC_MIN_BUDGET_US * 1000u)

static struct refill *at(struct sched_context *sc, word_t i)
{
    kassert(sc->refill_used >= KEEL_SC_MIN_REFILLS); /* configured */
    return sc_refill(sc, (sc->refill_head + i) % sc->refill_used);
}

static struct refill *tail(struct sched_context *sc)
{
    return at(sc, sc->refill_count - 1);
}

static void pop_head(struct sched_context *sc)
{
    sc->refill_head = (sc->refill_head + 1) % sc->refill_used;
    sc->refill_count--;
}

/* Add `amount` released at `release` (not before the tail's release). */
static void push_tail(struct sched_context *sc, uint64_t release, uint64_t amount)
{
    if (sc->refill_count == sc->refill_used) {
        struct refill *t = tail(sc);
        t->amount_ns += amount;
        if (release > t->release_ns)
            t->release_ns = release;
        return;
    }
    sc->refill_count++;
    *tail(sc) = (struct refill){.release_ns = release, .amount_ns = amount};
}

void refill_init(struct sched_context *sc, uint64_t now)
{
    sc->refill_head = 0;
    sc->refill_count = 1;
    *sc_refill(sc, 0) = (struct refill){.release_ns = now, .amount_ns = sc->budget_ns};
}

/* A sporadic context's thread ran `used` ns on the head refill (which
 * was ready), up to `now`.  More than the head holds (an overrun: kernel
 * time, a late timer) is taken from the following refills, which are
 * delayed. */
void refill_charge_sporadic(struct sched_context *sc, uint64_t used, uint64_t now)
{
    while (used > 0) {
        struct refill *h = refill_head(sc);
        uint64_t release = h->release_ns + sc->period_ns;
        if (used < h->amount_ns) {
            h->amount_ns -= used;
            push_tail(sc, release, used);
            break;
        }
        uint64_t amount = h->amount_ns;
        used -= amount;
        if (sc->refill_count == 1) {
            /* Spent entirely: it comes back one period on. */
            h->release_ns = used ? (release > now ? release : now) + used : release;
            break;
        }
        pop_head(sc);
        push_tail(sc, release, amount);
    }
    /* No unusably small refill at the head. */
    while (sc->refill_count > 1 && refill_head(sc)->amount_ns < MIN_BUDGET_NS) {
        uint64_t amount = refill_head(sc)->amount_ns;
        pop_head(sc);
        refill_head(sc)->amount_ns += amount;
    }
}

/* The thread starts to use its budget at `now`: it woke up, or (strict
 * sporadic contexts) it was switched in after waiting.  Budget that became
 * usable earlier cannot be used in the past: the head starts now, and
 * refills that become usable before it runs out join it.  Applied at
 * every switch-in, this makes every chunk come back one period after it
 * was actually used, the strict sliding-window bound; applied only at
 * wake-up, a thread delayed by higher priorities can use more than its
 * budget in one window but not over time (constant bandwidth). */
void refill_activate_sporadic(struct sched_context *sc, uint64_t now)
{
    struct refill *h = refill_head(sc);
    if (h->release_ns >= now)
        return;
    h->release_ns = now;
    while (sc->refill_count > 1 && at(sc, 1)->release_ns <= now + h->amount_ns) {
        struct refill *next = at(sc, 1);
        uint64_t amount = next->amount_ns;
        /* Remove the second refill: shift the head forward over it. */
        *next = *h;
        pop_head(sc);
        h = refill_head(sc);
        h->amount_ns += amount;
    }
}
