/*
 * tests/unit/test_sched.c - the scheduler's data structures and decisions,
 * driven directly: the per-priority FIFO queues, the two-level bitmap
 * (checked against a brute-force scan after every step of a random
 * sequence), head/tail placement, round-robin budgets and the exit decision.
 */
#include "harness.h"

#define NT 64

/* NT fresh TCBs (not runnable) from the largest untyped, each with a
 * 1 ms round-robin scheduling context. */
static struct tcb *tcbs[NT];

static void make_tcbs(void)
{
    h_boot();
    word_t first = h_free_slot(0);
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_TCB, 0, first, NT), KEEL_OK);
    for (unsigned i = 0; i < NT; i++) {
        tcbs[i] = (struct tcb *)capof(first + i)->obj;
        h_give_time(tcbs[i], NT + i, 1000000);
    }
}

/* The highest non-empty queue by scanning every priority. */
static int scan_highest(void)
{
    for (int p = KEEL_NUM_PRIORITIES - 1; p >= 0; p--)
        if (ks.ready[p].head)
            return p;
    return -1;
}

START_TEST(empty_bitmap)
{
    h_boot();
    ck_assert_int_eq(sched_highest_prio(), -1);
    ck_assert_ptr_null(sched_highest());
    ck_assert_uint_eq(ks.ready_l1, 0);
}
END_TEST

/* Every priority, alone: the bitmap finds it, and empties again. */
START_TEST(each_priority)
{
    make_tcbs();
    struct tcb *t = tcbs[0];
    for (unsigned p = 0; p < KEEL_NUM_PRIORITIES; p++) {
        sched_set_priority(t, p);
        sched_make_runnable(t);
        ck_assert_int_eq(sched_highest_prio(), (int)p);
        ck_assert_ptr_eq(sched_highest(), t);
        ck_assert_str_eq(h_invariants(), "");
        sched_dequeue(t);
        ck_assert_int_eq(sched_highest_prio(), -1);
        ck_assert_uint_eq(ks.ready_l1, 0);
        t->state = THREAD_INACTIVE;
    }
}
END_TEST

/* Equal priorities are FIFO; enqueue_head jumps the queue. */
START_TEST(fifo_and_head)
{
    make_tcbs();
    for (unsigned i = 0; i < 3; i++) {
        sched_set_priority(tcbs[i], 100);
        sched_make_runnable(tcbs[i]);
    }
    ck_assert_ptr_eq(ks.ready[100].head, tcbs[0]);
    ck_assert_ptr_eq(ks.ready[100].tail, tcbs[2]);
    sched_dequeue(tcbs[0]);
    sched_enqueue_head(tcbs[0]);
    ck_assert_ptr_eq(ks.ready[100].head, tcbs[0]);
    sched_dequeue(tcbs[1]); /* from the middle */
    ck_assert_ptr_eq(tcbs[0]->sched_next, tcbs[2]);
    ck_assert_ptr_eq(tcbs[2]->sched_prev, tcbs[0]);
    tcbs[1]->state = THREAD_INACTIVE;
    ck_assert_str_eq(h_invariants(), "");
    sched_dequeue(tcbs[1]); /* not queued: nothing happens */
    ck_assert_str_eq(h_invariants(), "");
}
END_TEST

/* Changing the priority of a queued thread moves it to the new queue's tail. */
START_TEST(set_priority_requeues)
{
    make_tcbs();
    sched_set_priority(tcbs[0], 10);
    sched_set_priority(tcbs[1], 20);
    sched_make_runnable(tcbs[0]);
    sched_make_runnable(tcbs[1]);
    ck_assert_int_eq(sched_highest_prio(), 20);
    sched_set_priority(tcbs[0], 20);
    ck_assert_ptr_eq(ks.ready[20].tail, tcbs[0]);
    ck_assert_ptr_null(ks.ready[10].head);
    sched_set_priority(tcbs[1], 200);
    ck_assert_ptr_eq(sched_highest(), tcbs[1]);
    ck_assert_str_eq(h_invariants(), "");
}
END_TEST

/* A random walk of enqueues, dequeues and priority changes: the bitmap
 * always agrees with a scan of the queues. */
START_TEST(random_against_scan)
{
    make_tcbs();
    uint64_t x = 0x2545f4914f6cdd1dull;
    for (unsigned step = 0; step < 20000; step++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        struct tcb *t = tcbs[x % NT];
        switch ((x >> 8) % 4) {
        case 0:
            sched_make_runnable(t);
            break;
        case 1:
            sched_dequeue(t);
            t->state = THREAD_INACTIVE;
            break;
        case 2:
            sched_set_priority(t, (x >> 16) % KEEL_NUM_PRIORITIES);
            break;
        default:
            if (!sched_queued(t)) {
                t->state = THREAD_RUNNING;
                sched_enqueue_head(t);
            }
            break;
        }
        ck_assert_int_eq(sched_highest_prio(), scan_highest());
        if (step % 512 == 0)
            ck_assert_str_eq(h_invariants(), "");
    }
}
END_TEST

/* The exit decision: a higher priority preempts the current thread, which
 * goes back to the head of its queue; an equal one does not. */
START_TEST(preempt_to_head)
{
    make_tcbs();
    struct tcb *root = h_root_tcb(), *peer = tcbs[0], *high = tcbs[1];
    sched_set_priority(root, 100);
    sched_set_priority(peer, 100);
    sched_make_runnable(peer);
    ck_assert_ptr_eq(kentry_exit_ctx(), &root->ctx); /* equal: no preemption */
    sched_set_priority(high, 101);
    sched_make_runnable(high);
    ck_assert_ptr_eq(kentry_exit_ctx(), &high->ctx);
    ck_assert_ptr_eq(ks.ready[100].head, root);      /* ahead of peer */
    ck_assert_ptr_eq(ks.ready[100].tail, peer);
    ck_assert_str_eq(h_invariants(), "");
}
END_TEST

/* Round-robin budgets: the timer ends the running budget, the thread
 * goes to the tail with a full one; a thread switched out keeps what it
 * had left. */
START_TEST(slices)
{
    make_tcbs();
    struct tcb *root = h_root_tcb(), *peer = tcbs[0];
    sched_set_priority(peer, root->priority);
    sched_make_runnable(peer);
    ck_assert_ptr_eq(kentry_exit_ctx(), &root->ctx);
    ck_assert_ptr_eq(ks.time_sc, root->sc);
    *sim_clock() = ks.time_end;
    sim_deliver_irqs();                               /* the budget timer fires */
    ck_assert_ptr_eq(kentry_exit_ctx(), &peer->ctx);
    ck_assert_ptr_eq(ks.ready[root->priority].tail, root);
    ck_assert_uint_eq(refill_capacity(root->sc, *sim_clock()), root->sc->budget_ns);
    /* peer runs 300 us, then yields: it keeps 700 us. */
    *sim_clock() += 300000;
    sched_yield_current();
    ck_assert_ptr_eq(kentry_exit_ctx(), &root->ctx);
    ck_assert_uint_eq(refill_capacity(peer->sc, *sim_clock()), 1000000 - 300000);
    ck_assert_str_eq(h_invariants(), "");
}
END_TEST

/* Regression: the timer ends the running context's budget even when a
 * direct switch in the same kernel entry (the IPC fastpath) has already
 * made another thread current: that context gets its budget back, and
 * the new current thread is not rotated out. */
START_TEST(tick_after_direct_switch)
{
    make_tcbs();
    struct tcb *root = h_root_tcb(), *other = tcbs[0];
    ck_assert_ptr_eq(kentry_exit_ctx(), &root->ctx);
    ck_assert_ptr_eq(ks.time_sc, root->sc);
    *sim_clock() = ks.time_end;                       /* root's time is up */
    /* A direct switch, as fast_call does: root blocks, other runs. */
    root->state = THREAD_INACTIVE;
    sched_set_priority(other, 100);
    other->state = THREAD_RUNNING;
    ks.current = other;
    sched_tick();
    /* root (round-robin context) has its full budget back */
    ck_assert_uint_eq(refill_capacity(root->sc, *sim_clock()), root->sc->budget_ns);
    ck_assert_ptr_eq(ks.current, other);
    ck_assert(!sched_queued(other));
    ck_assert_ptr_eq(kentry_exit_ctx(), &other->ctx);
    ck_assert_ptr_eq(ks.time_sc, other->sc);
    ck_assert_uint_eq(ks.time_end, *sim_clock() + other->sc->budget_ns);
}
END_TEST

/* A runnable thread without a configured context is in no queue: it
 * runs when one reaches it (bound here), and leaves the CPU when its
 * context goes. */
START_TEST(no_context_not_queued)
{
    make_tcbs();
    struct tcb *root = h_root_tcb(), *t = tcbs[0];
    struct sched_context *sc = t->sc;
    sc_move(sc, 0);
    sched_set_priority(root, 100);
    sched_set_priority(t, 200);
    sched_make_runnable(t);
    ck_assert(!sched_queued(t));
    ck_assert_ptr_eq(kentry_exit_ctx(), &root->ctx);
    ck_assert_str_eq(h_invariants(), "");
    sc_move(sc, t);                                   /* it becomes ready */
    ck_assert(sched_queued(t));
    ck_assert_ptr_eq(kentry_exit_ctx(), &t->ctx);
    sc_move(sc, 0);                                   /* current loses its context */
    ck_assert_ptr_eq(kentry_exit_ctx(), &root->ctx);
    ck_assert(!sched_queued(t));
    ck_assert_uint_eq(t->state, THREAD_RUNNING);
    ck_assert_str_eq(h_invariants(), "");
}
END_TEST

/* Nothing runnable: idle, and the timer is off. */
START_TEST(idle_timer_off)
{
    h_boot();
    struct tcb *root = h_root_tcb();
    sched_dequeue(root);
    root->state = THREAD_INACTIVE;
    ck_assert_ptr_null(kentry_exit_ctx());
    ck_assert_ptr_eq(ks.current, &ks.idle);
    ck_assert_ptr_null(ks.time_sc);
    thread_resume(root);
    ck_assert_ptr_eq(kentry_exit_ctx(), &root->ctx);
}
END_TEST

/* The checker sees broken refills and a queued thread without time. */
START_TEST(invariants_catch_bad_refills)
{
    make_tcbs();
    struct sched_context *sc = tcbs[0]->sc;
    ck_assert_str_eq(h_invariants(), "");
    refill_head(sc)->amount_ns = sc->budget_ns + 1;
    ck_assert_ptr_nonnull(strstr(h_invariants(), "add up to its budget"));
    refill_head(sc)->amount_ns = sc->budget_ns;
    ck_assert_str_eq(h_invariants(), "");
    struct tcb *t = tcbs[1];
    sc_move(t->sc, 0);
    t->state = THREAD_RUNNING;
    sched_enqueue(t);                                 /* behind the scheduler's back */
    ck_assert_msg(strstr(h_invariants(), "timeless") || strstr(h_invariants(), "one without is"), "%s", h_invariants());
    sched_dequeue(t);
    ck_assert_str_eq(h_invariants(), "");
}
END_TEST

Suite *sched_suite(void)
{
    Suite *s = suite_create("sched");
    TCase *tc = tcase_create("queues");
    tcase_add_test(tc, empty_bitmap);
    tcase_add_test(tc, each_priority);
    tcase_add_test(tc, fifo_and_head);
    tcase_add_test(tc, set_priority_requeues);
    tcase_add_test(tc, random_against_scan);
    tcase_add_test(tc, preempt_to_head);
    tcase_add_test(tc, slices);
    tcase_add_test(tc, idle_timer_off);
    tcase_add_test(tc, tick_after_direct_switch);
    tcase_add_test(tc, no_context_not_queued);
    tcase_add_test(tc, invariants_catch_bad_refills);
    suite_add_tcase(s, tc);
    return s;
}
