/*
 * tests/sys/ntfn.c - notifications (docs/ipc.md "Notifications"): Signal
 * ORs badges, Wait blocks or takes the word, NBWait/Poll, rights, bound
 * notifications waking a Recv, BindNotification errors, and deletion.
 */
#include "systest.h"

static struct {
    keel_cptr_t n, n2, ep, waitcap;
} g;

static void reset(void)
{
    __builtin_memset(&g, 0, sizeof(g));
}

/* Waiter i: Wait on g.waitcap (default g.n) once; record the word. */
static void waiter(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    rec[i].stage = 1;
    keel_msginfo_t info = keel_wait(g.waitcap ? g.waitcap : g.n, &badge, mr);
    record_msg(&rec[i], info, badge, mr);
    rec[i].stage = 2;
    park();
}

/* Recv on g.ep twice (bound notification tests). */
static void ep_receiver(keel_word_t i)
{
    for (unsigned k = 0; k < 2; k++) {
        keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
        keel_msginfo_t info = keel_recv(g.ep, &badge, 0, mr);
        rec[i].w[2 * k] = badge;
        rec[i].w[2 * k + 1] = info;
        rec[i].stage++;
    }
    park();
}

static void sender(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_send(g.ep, keel_msginfo(0x3e, 0, 0, 0), mr);
    rec[i].stage = 1;
    park();
}

static void signal_ors_badges(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t b1 = mint(env, g.n, KEEL_RIGHT_WRITE, 0x1);
    keel_cptr_t b4 = mint(env, g.n, KEEL_RIGHT_WRITE, 0x4);
    EXPECT_OK(keel_signal(b1));
    EXPECT_OK(keel_signal(b4));
    EXPECT_OK(keel_signal(b4));
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    keel_wait(g.n, &badge, mr); /* pending: does not block */
    EXPECT_EQ(badge, 0x5);
    EXPECT_EQ(keel_poll(g.n), 0); /* Wait cleared the word */
}

static void wait_blocks_then_wakes(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t b8 = mint(env, g.n, KEEL_RIGHT_WRITE, 0x8);
    spawn(env, waiter, 1, PRIO);
    settle(env);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_OK(keel_signal(b8));
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(rec[1].badge, 0x8);
    EXPECT_EQ(keel_poll(g.n), 0); /* the waiter took the word */
}

static void nbwait_nothing_pending(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t b = mint(env, g.n, KEEL_RIGHT_WRITE, 0x30);
    keel_word_t badge = 0xdead, mr[KEEL_MSG_REGS] = {0};
    keel_nbwait(g.n, &badge, mr);
    EXPECT_EQ(badge, 0);
    EXPECT_EQ(keel_poll(g.n), 0);
    EXPECT_OK(keel_signal(b));
    EXPECT_EQ(keel_poll(g.n), 0x30);
    EXPECT_EQ(keel_poll(g.n), 0);
}

static void signal_without_write(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t ro = mint(env, g.n, KEEL_RIGHT_READ, 0x2);
    keel_cptr_t rw = mint(env, g.n, KEEL_RIGHT_READ | KEEL_RIGHT_WRITE, 0x40);
    EXPECT_ERR(keel_signal(ro), KEEL_INVALID_CAPABILITY);
    EXPECT_EQ(keel_poll(g.n), 0);
    EXPECT_OK(keel_signal(rw));
    EXPECT_EQ(keel_poll(g.n), 0x40);
}

static void signal_by_call_and_nbsend(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t b1 = mint(env, g.n, KEEL_RIGHT_WRITE, 0x100);
    keel_cptr_t b2 = mint(env, g.n, KEEL_RIGHT_WRITE, 0x200);
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_call(b1, 0, mr)), KEEL_OK); /* does not wait */
    keel_word_t mr2[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbsend(b2, 0, mr2)), KEEL_OK);
    /* Recv on a notification is Wait. */
    keel_word_t badge = 0, mr3[KEEL_MSG_REGS] = {0};
    keel_recv(g.n, &badge, 0, mr3);
    EXPECT_EQ(badge, 0x300);
}

static void bound_ntfn_wakes_recv(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t b = mint(env, g.n, KEEL_RIGHT_WRITE, 0x20);
    struct keel_thread t = spawn_with(env, ep_receiver, 1, PRIO, 0, false);
    EXPECT_OK(keel_tcb_bind_notification(t.tcb, g.n));
    EXPECT_OK(keel_tcb_resume(t.tcb));
    settle(env);
    EXPECT_EQ(rec[1].stage, 0); /* in Recv on the endpoint */
    EXPECT_OK(keel_signal(b));
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_EQ(rec[1].w[0], 0x20);
    EXPECT_EQ(rec[1].w[1], 0); /* info 0 */
    /* It still receives messages on the endpoint. */
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_nbsend(g.ep, keel_msginfo(0x3f, 0, 0, 0), mr);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].w[3]), 0x3f);
}

static void bound_ntfn_pending_first(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t b = mint(env, g.n, KEEL_RIGHT_WRITE, 0x40);
    spawn(env, sender, 2, PRIO); /* a sender waits on the endpoint */
    settle(env);
    EXPECT_OK(keel_signal(b));
    struct keel_thread t = spawn_with(env, ep_receiver, 1, PRIO, 0, false);
    EXPECT_OK(keel_tcb_bind_notification(t.tcb, g.n));
    EXPECT_OK(keel_tcb_resume(t.tcb));
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(rec[1].w[0], 0x40); /* the signal first */
    EXPECT_EQ(rec[1].w[1], 0);
    EXPECT_EQ(keel_msginfo_label(rec[1].w[3]), 0x3e); /* then the message */
    EXPECT_EQ(rec[2].stage, 1);
}

static void bind_errors(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    g.n2 = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t t1 = object(env, KEEL_OBJ_TCB, 0);
    keel_cptr_t t2 = object(env, KEEL_OBJ_TCB, 0);
    EXPECT_ERR(keel_tcb_unbind_notification(t1), KEEL_ILLEGAL_OPERATION); /* none bound */
    EXPECT_OK(keel_tcb_bind_notification(t1, g.n));
    EXPECT_ERR(keel_tcb_bind_notification(t1, g.n2), KEEL_ILLEGAL_OPERATION); /* t1 has one */
    EXPECT_ERR(keel_tcb_bind_notification(t2, g.n), KEEL_ILLEGAL_OPERATION); /* n is bound */
    keel_cptr_t wo = mint(env, g.n2, KEEL_RIGHT_WRITE, 0);
    EXPECT(keel_tcb_bind_notification(t2, wo) != KEEL_OK); /* needs Read */
    EXPECT_OK(keel_tcb_unbind_notification(t1));
    EXPECT_OK(keel_tcb_bind_notification(t2, g.n)); /* free again */
    /* A notification with a waiter cannot be bound. */
    g.waitcap = g.n2;
    spawn(env, waiter, 1, PRIO);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_ERR(keel_tcb_bind_notification(t1, g.n2), KEEL_ILLEGAL_OPERATION);
}

static void deleted_tcb_unbinds(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t t1 = object(env, KEEL_OBJ_TCB, 0);
    keel_cptr_t t2 = object(env, KEEL_OBJ_TCB, 0);
    EXPECT_OK(keel_tcb_bind_notification(t1, g.n));
    EXPECT_OK(keel_cnode_delete(ROOT, t1, WB));
    EXPECT_OK(keel_tcb_bind_notification(t2, g.n));
    EXPECT_OK(keel_tcb_unbind_notification(t2));
    /* Deleting a bound notification unbinds the TCB. */
    EXPECT_OK(keel_tcb_bind_notification(t2, g.n));
    EXPECT_OK(keel_cnode_delete(ROOT, g.n, WB));
    EXPECT_ERR(keel_tcb_unbind_notification(t2), KEEL_ILLEGAL_OPERATION);
}

static void delete_ntfn_with_waiter(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    spawn(env, waiter, 1, PRIO);
    spawn(env, waiter, 2, PRIO);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_EQ(rec[2].stage, 1);
    EXPECT_OK(keel_cnode_delete(ROOT, g.n, WB));
    settle(env);
    for (unsigned i = 1; i <= 2; i++) {
        EXPECT_EQ(rec[i].stage, 2);
        EXPECT_EQ(keel_msginfo_label(rec[i].info), KEEL_IPC_ABORTED);
        EXPECT_EQ(rec[i].mr[1], KEEL_CAP_NOTIFICATION);
    }
}

static void wait_without_read_faults(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    g.waitcap = mint(env, g.n, KEEL_RIGHT_WRITE, 0x1);
    struct keel_thread t = spawn(env, waiter, 1, PRIO);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1); /* suspended by the cap fault */
    EXPECT_OK(keel_signal(g.waitcap));
    settle(env);
    EXPECT_EQ(rec[1].stage, 1); /* not waiting: the signal stays pending */
    EXPECT_EQ(keel_poll(g.n), 0x1);
    keel_word_t regs[1];
    EXPECT_OK(keel_tcb_read_registers(t.tcb, false, 1, regs)); /* it still exists */
}

static void signal_wakes_one_waiter(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t b = mint(env, g.n, KEEL_RIGHT_WRITE, 0x2);
    spawn(env, waiter, 1, PRIO);
    spawn(env, waiter, 2, PRIO);
    settle(env);
    EXPECT_OK(keel_signal(b));
    settle(env);
    EXPECT_EQ(rec[1].stage + rec[2].stage, 3); /* exactly one woke */
    EXPECT_EQ(rec[1].stage, 2);                /* the first in the queue */
    EXPECT_EQ(rec[1].badge, 0x2);
    EXPECT_OK(keel_signal(b));
    settle(env);
    EXPECT_EQ(rec[2].stage, 2);
    EXPECT_EQ(rec[2].badge, 0x2);
}

static void unbadged_signal_wakes_waiter(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    spawn(env, waiter, 1, PRIO);
    settle(env);
    EXPECT_OK(keel_signal(g.n)); /* badge 0 */
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(rec[1].badge, 0);
}

/* Bound to g.n, the thread Waits on g.n2, then Recvs on g.ep. */
static void bound_waits_elsewhere(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    rec[i].stage = 1;
    keel_wait(g.n2, &badge, mr);
    rec[i].w[0] = badge;
    rec[i].stage = 2;
    keel_word_t mr2[KEEL_MSG_REGS] = {0};
    keel_msginfo_t info = keel_recv(g.ep, &badge, 0, mr2);
    rec[i].w[1] = badge;
    rec[i].w[2] = info;
    rec[i].stage = 3;
    park();
}

static void bound_ntfn_only_wakes_recv(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    g.n2 = object(env, KEEL_OBJ_NOTIFICATION, 0);
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t b = mint(env, g.n, KEEL_RIGHT_WRITE, 0x4);
    keel_cptr_t b2 = mint(env, g.n2, KEEL_RIGHT_WRITE, 0x8);
    struct keel_thread t = spawn_with(env, bound_waits_elsewhere, 1, PRIO, 0, false);
    EXPECT_OK(keel_tcb_bind_notification(t.tcb, g.n));
    EXPECT_OK(keel_tcb_resume(t.tcb));
    settle(env);
    EXPECT_OK(keel_signal(b)); /* it waits on another notification: stays pending */
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_OK(keel_signal(b2));
    settle(env);
    EXPECT_EQ(rec[1].stage, 3);
    EXPECT_EQ(rec[1].w[0], 0x8);
    EXPECT_EQ(rec[1].w[1], 0x4); /* the pending bound word, at its Recv */
    EXPECT_EQ(rec[1].w[2], 0);
}

static void delete_waiting_tcb(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t b = mint(env, g.n, KEEL_RIGHT_WRITE, 0x10);
    struct keel_thread t = spawn(env, waiter, 1, PRIO);
    settle(env);
    EXPECT_OK(keel_cnode_delete(ROOT, t.tcb, WB));
    /* No waiter left: the signal stays pending. */
    EXPECT_OK(keel_signal(b));
    EXPECT_EQ(keel_poll(g.n), 0x10);
    spawn(env, waiter, 2, PRIO);
    settle(env);
    EXPECT_OK(keel_signal(b));
    settle(env);
    EXPECT_EQ(rec[2].stage, 2);
    EXPECT_EQ(rec[2].badge, 0x10);
}

const struct systest ntfn_tests[] = {
    {"signal_ors_badges", "signals OR their badges until a Wait takes the word", signal_ors_badges},
    {"wait_blocks_then_wakes", "Wait blocks until a Signal, which delivers the badge", wait_blocks_then_wakes},
    {"nbwait_nothing_pending", "NBWait/Poll return 0 when nothing is pending", nbwait_nothing_pending},
    {"signal_without_write", "Signal needs Write (InvalidCapability)", signal_without_write},
    {"signal_by_call_and_nbsend", "Call and NBSend signal too; Recv on a notification waits", signal_by_call_and_nbsend},
    {"bound_ntfn_wakes_recv", "a signal wakes a bound thread in Recv with the word, info 0", bound_ntfn_wakes_recv},
    {"bound_ntfn_pending_first", "Recv returns a bound notification's pending word first", bound_ntfn_pending_first},
    {"bind_errors", "BindNotification: one per TCB, one TCB per notification, no waiters", bind_errors},
    {"deleted_tcb_unbinds", "deleting a bound TCB or notification unbinds them", deleted_tcb_unbinds},
    {"delete_ntfn_with_waiter", "deleting a notification aborts its waiters", delete_ntfn_with_waiter},
    {"wait_without_read_faults", "Wait without Read is a cap fault (no handler: suspended)", wait_without_read_faults},
    {"signal_wakes_one_waiter", "a signal wakes the first waiter only", signal_wakes_one_waiter},
    {"unbadged_signal_wakes_waiter", "a signal through an unbadged cap wakes a waiter with 0", unbadged_signal_wakes_waiter},
    {"bound_ntfn_only_wakes_recv", "a bound signal does not wake a Wait elsewhere; Recv gets it later", bound_ntfn_only_wakes_recv},
    {"delete_waiting_tcb", "a deleted waiter leaves the notification; signals stay pending", delete_waiting_tcb},
    {0, 0, 0},
};
