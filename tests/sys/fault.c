/*
 * tests/sys/fault.c - faults as messages (docs/ipc.md "Faults",
 * keel/fault.h): cap faults of receives, unknown syscalls, user
 * exceptions and VM faults reach the fault endpoint with their words; the
 * handler's reply resumes the thread (label 0) or sets its registers
 * first; without a handler the thread is suspended and the rest goes on.
 *
 * The root task is the handler: it lets the faulting thread block in its
 * fault Call (settle), then takes the fault with NBRecv and a Reply object.
 */
#include "systest.h"

#define FAULT_WORDS_MAX 16

static struct {
    keel_cptr_t ep, fault_ep, reply, cap, bad_reply, dest;
} g;

static void reset(struct systest_env *env)
{
    __builtin_memset(&g, 0, sizeof(g));
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
}

/* Take one fault message from g.ep: info, badge, all its words. */
static keel_msginfo_t take_fault(keel_word_t *badge, keel_word_t words[FAULT_WORDS_MAX])
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    *badge = 0;
    keel_msginfo_t info = keel_nbrecv(g.ep, badge, g.reply, mr);
    struct keel_ipc_buffer *b = keel_ipc_buffer();
    for (unsigned i = 0; i < FAULT_WORDS_MAX; i++)
        words[i] = i < KEEL_MSG_REGS ? mr[i] : b->msg[i];
    return info;
}

/* Reply through g.reply with label 0 and n words. */
static keel_msginfo_t reply_words(unsigned n, const keel_word_t *words)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    struct keel_ipc_buffer *b = keel_ipc_buffer();
    for (unsigned i = 0; i < n; i++) {
        if (i < KEEL_MSG_REGS)
            mr[i] = words[i];
        else
            b->msg[i] = words[i];
    }
    return keel_reply(g.reply, keel_msginfo(0, 0, 0, n), mr);
}

static keel_cptr_t fault_cap(struct systest_env *env, keel_word_t badge)
{
    return mint(env, g.ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT, badge);
}

/* ---- unknown syscalls ---- */

static void bad_syscall(keel_word_t i)
{
    keel_word_t regs[KEEL_REG_COUNT] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    rec[i].stage = 1;
    keel_arch_syscall(77, regs);
    for (unsigned k = 0; k < KEEL_REG_COUNT; k++)
        rec[i].w[k] = regs[k];
    rec[i].stage = 2;
    park();
}

static void unknown_syscall_reply_frame(struct systest_env *env)
{
    reset(env);
    struct keel_thread t = spawn_with(env, bad_syscall, 1, PRIO, fault_cap(env, 0x61), true);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    keel_word_t badge, w[FAULT_WORDS_MAX];
    keel_msginfo_t info = take_fault(&badge, w);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_UNKNOWN_SYSCALL);
    EXPECT_EQ(keel_msginfo_length(info), KEEL_UNKNOWN_SYSCALL_LENGTH);
    EXPECT_EQ(badge, 0x61);
    EXPECT_EQ(w[KEEL_UNKNOWN_SYSCALL_NUMBER], 77);
    EXPECT_EQ(w[KEEL_UREG_TLS], (keel_word_t)t.ipc_buffer);
    unsigned bad = 0;
    for (unsigned k = 0; k < KEEL_REG_COUNT; k++)
        bad += w[KEEL_UREG_SYSREG + k] != 0x11 * (k + 1);
    EXPECT_EQ(bad, 0);
    /* Reply with the frame, syscall registers edited: the syscall returns them. */
    w[KEEL_UREG_SYSREG + KEEL_REG_CPTR] = 0xbbb;
    w[KEEL_UREG_SYSREG + KEEL_REG_INFO] = 0xccc;
    w[KEEL_UREG_SYSREG + KEEL_REG_MR0] = 0xaaa;
    EXPECT_EQ(keel_msginfo_label(reply_words(KEEL_UREG_PORTABLE, w)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(rec[1].w[KEEL_REG_CPTR], 0xbbb);
    EXPECT_EQ(rec[1].w[KEEL_REG_INFO], 0xccc);
    EXPECT_EQ(rec[1].w[KEEL_REG_MR0], 0xaaa);
    EXPECT_EQ(rec[1].w[KEEL_REG_MR1], 0x44);
    keel_word_t b2, w2[FAULT_WORDS_MAX];
    EXPECT_EQ(take_fault(&b2, w2), 0); /* one fault only */
}

static void unknown_syscall_label0_continues(struct systest_env *env)
{
    reset(env);
    spawn_with(env, bad_syscall, 1, PRIO, fault_cap(env, 0x62), true);
    settle(env);
    keel_word_t badge, w[FAULT_WORDS_MAX];
    EXPECT_EQ(keel_msginfo_label(take_fault(&badge, w)), KEEL_FAULT_UNKNOWN_SYSCALL);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_EQ(keel_msginfo_label(reply_words(0, w)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2); /* continued after the syscall */
    EXPECT_EQ(take_fault(&badge, w), 0);
}

static void returns_from_entry(keel_word_t i)
{
    rec[i].stage = 1;
}

static void entry_return_unknown_syscall(struct systest_env *env)
{
    reset(env);
    spawn_with(env, returns_from_entry, 1, PRIO, fault_cap(env, 0x63), true);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    keel_word_t badge, w[FAULT_WORDS_MAX];
    keel_msginfo_t info = take_fault(&badge, w);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_UNKNOWN_SYSCALL);
    EXPECT_EQ(badge, 0x63);
    EXPECT_EQ(w[KEEL_UNKNOWN_SYSCALL_NUMBER], 0);
}

/* ---- user exceptions and VM faults ---- */

static void raises_exception(keel_word_t i)
{
    rec[i].stage = 1;
    keel_test_user_exception(7 + i, 0x99);
    rec[i].stage = 2;
    park();
}

static void user_exception_resumes(struct systest_env *env)
{
    reset(env);
    spawn_with(env, raises_exception, 1, PRIO, fault_cap(env, 0x64), true);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    keel_word_t badge, w[FAULT_WORDS_MAX];
    keel_msginfo_t info = take_fault(&badge, w);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_USER_EXCEPTION);
    EXPECT_EQ(keel_msginfo_length(info), KEEL_USER_EXC_LENGTH);
    EXPECT_EQ(badge, 0x64);
    EXPECT_EQ(w[KEEL_USER_EXC_NUMBER], 8);
    EXPECT_EQ(w[KEEL_USER_EXC_CODE], 0x99);
    EXPECT(w[KEEL_USER_EXC_SP] != 0);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1); /* waits for the handler */
    EXPECT_EQ(keel_msginfo_label(reply_words(0, w)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
}

static void vm_faulter(keel_word_t i)
{
    rec[i].stage = 1;
    keel_test_vm_fault(0xdead000);
    rec[i].stage = 2;
    keel_test_vm_fault(0xbeef000);
    rec[i].stage = 3;
    park();
}

static void vm_fault_resumes(struct systest_env *env)
{
    reset(env);
    spawn_with(env, vm_faulter, 1, PRIO, fault_cap(env, 0x65), true);
    settle(env);
    keel_word_t badge, w[FAULT_WORDS_MAX];
    keel_msginfo_t info = take_fault(&badge, w);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_VM);
    EXPECT_EQ(keel_msginfo_length(info), KEEL_VM_FAULT_LENGTH);
    EXPECT_EQ(w[KEEL_VM_FAULT_ADDR], 0xdead000);
    EXPECT_EQ(rec[1].stage, 1);
    reply_words(0, w);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    info = take_fault(&badge, w);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_VM);
    EXPECT_EQ(w[KEEL_VM_FAULT_ADDR], 0xbeef000);
    reply_words(0, w);
    settle(env);
    EXPECT_EQ(rec[1].stage, 3);
}

static void fault_badge_identifies_thread(struct systest_env *env)
{
    reset(env);
    spawn_with(env, raises_exception, 1, PRIO, fault_cap(env, 1), true);
    spawn_with(env, raises_exception, 2, PRIO, fault_cap(env, 2), true);
    settle(env);
    for (unsigned n = 0; n < 2; n++) {
        keel_word_t badge, w[FAULT_WORDS_MAX];
        keel_msginfo_t info = take_fault(&badge, w);
        EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_USER_EXCEPTION);
        EXPECT(badge == 1 || badge == 2);
        EXPECT_EQ(w[KEEL_USER_EXC_NUMBER], 7 + badge);
        reply_words(0, w);
    }
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(rec[2].stage, 2);
}

static void fault_ep_copied_at_configure(struct systest_env *env)
{
    reset(env);
    keel_cptr_t fe = fault_cap(env, 0x66);
    struct keel_thread t = spawn_with(env, raises_exception, 1, PRIO, fe, false);
    EXPECT_OK(keel_cnode_delete(ROOT, fe, WB)); /* the TCB keeps its own copy */
    EXPECT_OK(keel_tcb_resume(t.tcb));
    settle(env);
    keel_word_t badge, w[FAULT_WORDS_MAX];
    EXPECT_EQ(keel_msginfo_label(take_fault(&badge, w)), KEEL_FAULT_USER_EXCEPTION);
    EXPECT_EQ(badge, 0x66);
}

static void counter(keel_word_t i)
{
    rec[i].stage = 1;
    keel_yield();
    rec[i].stage = 2;
    park();
}

static void no_handler_suspends(struct systest_env *env)
{
    reset(env);
    spawn(env, raises_exception, 1, PRIO);
    spawn(env, bad_syscall, 2, PRIO);
    spawn(env, vm_faulter, 3, PRIO);
    spawn(env, counter, 4, PRIO);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_EQ(rec[2].stage, 1);
    EXPECT_EQ(rec[3].stage, 1);
    EXPECT_EQ(rec[4].stage, 2); /* the rest of the system goes on */
    keel_word_t badge, w[FAULT_WORDS_MAX];
    EXPECT_EQ(take_fault(&badge, w), 0);
}

/* ---- cap faults ---- */

static void recv_on_cap(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    rec[i].stage = 1;
    keel_msginfo_t info = keel_recv(g.cap, &badge, g.bad_reply, mr);
    record_msg(&rec[i], info, badge, mr);
    rec[i].stage = 2;
    park();
}

static void cap_fault_recv_without_read(struct systest_env *env)
{
    reset(env);
    keel_cptr_t target = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.cap = mint(env, target, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT, 0);
    spawn_with(env, recv_on_cap, 1, PRIO, fault_cap(env, 0x67), true);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    keel_word_t badge, w[FAULT_WORDS_MAX];
    keel_msginfo_t info = take_fault(&badge, w);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_CAP);
    EXPECT_EQ(keel_msginfo_length(info), KEEL_CAP_FAULT_LENGTH);
    EXPECT_EQ(badge, 0x67);
    EXPECT_EQ(w[KEEL_CAP_FAULT_CPTR], g.cap);
    EXPECT_EQ(w[KEEL_CAP_FAULT_IN_RECV], 1);
    EXPECT(w[KEEL_CAP_FAULT_ERROR] == KEEL_FAILED_LOOKUP ||
           w[KEEL_CAP_FAULT_ERROR] == KEEL_INVALID_CAPABILITY);
    /* Fix the cap, reply label 0: the Recv runs again and now waits. */
    EXPECT_OK(keel_cnode_delete(ROOT, g.cap, WB));
    EXPECT_OK(keel_cnode_copy(ROOT, g.cap, WB, ROOT, target, WB, KEEL_RIGHTS_ALL));
    EXPECT_EQ(keel_msginfo_label(reply_words(0, w)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_EQ(take_fault(&badge, w), 0); /* no second fault */
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbsend(target, keel_msginfo(0x19, 0, 0, 0), mr)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x19);
}

static void cap_fault_no_handler(struct systest_env *env)
{
    reset(env);
    keel_cptr_t target = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.cap = mint(env, target, KEEL_RIGHT_WRITE, 0);
    spawn(env, recv_on_cap, 1, PRIO);
    spawn(env, counter, 2, PRIO);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1); /* suspended */
    EXPECT_EQ(rec[2].stage, 2); /* the system goes on */
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_nbsend(target, keel_msginfo(0x1a, 0, 0, 0), mr);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1); /* it was not waiting on the endpoint */
}

static void cap_fault_bad_reply_registers(struct systest_env *env)
{
    reset(env);
    g.cap = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.bad_reply = object(env, KEEL_OBJ_NOTIFICATION, 0); /* not a Reply object */
    keel_cptr_t good_reply = object(env, KEEL_OBJ_REPLY, 0);
    struct keel_thread t = spawn_with(env, recv_on_cap, 1, PRIO, fault_cap(env, 0x68), true);
    settle(env);
    keel_word_t badge, w[FAULT_WORDS_MAX];
    keel_msginfo_t info = take_fault(&badge, w);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_CAP);
    EXPECT_EQ(w[KEEL_CAP_FAULT_IN_RECV], 1);
    EXPECT_EQ(w[KEEL_CAP_FAULT_CPTR], g.bad_reply);
    /* Reply with the thread's frame, REPLY register corrected: the Recv
     * runs again with the new register and waits. */
    keel_word_t regs[KEEL_UREG_PORTABLE] = {0};
    EXPECT_OK(keel_tcb_read_registers(t.tcb, false, KEEL_UREG_PORTABLE, regs));
    EXPECT_EQ(regs[KEEL_UREG_SYSREG + KEEL_REG_REPLY], g.bad_reply);
    regs[KEEL_UREG_SYSREG + KEEL_REG_REPLY] = good_reply;
    EXPECT_EQ(keel_msginfo_label(reply_words(KEEL_UREG_PORTABLE, regs)), KEEL_OK);
    settle(env);
    EXPECT_EQ(take_fault(&badge, w), 0);
    EXPECT_EQ(rec[1].stage, 1);
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_nbsend(g.cap, keel_msginfo(0x1b, 0, 0, 0), mr);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x1b);
}

/* Regression: a receive-phase fault of NBSendRecv restarts the whole
 * syscall, and the send phase then sends the same message again (it used
 * to send info 0, the send phase's OK, the second time). */
static void collect_two(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    for (unsigned k = 0; k < 2; k++) {
        keel_msginfo_t info = keel_recv(g.dest, &badge, 0, mr);
        rec[i].w[k] = info;
        rec[i].w[2 + k] = mr[0];
        rec[i].stage = k + 1;
    }
    park();
}

static void send_then_bad_recv(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0x5a}, badge = 0;
    rec[i].stage = 1;
    keel_msginfo_t info = keel_nbsend_recv(g.dest, keel_msginfo(0x42, 0, 0, 1), g.cap, &badge,
                                           0, mr);
    record_msg(&rec[i], info, badge, mr);
    rec[i].stage = 2;
    park();
}

static void nbsendrecv_restart_resends(struct systest_env *env)
{
    reset(env);
    keel_cptr_t target = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.dest = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.cap = mint(env, target, KEEL_RIGHT_WRITE, 0); /* no Read: the receive faults */
    spawn(env, collect_two, 2, PRIO + 1);
    settle(env);
    spawn_with(env, send_then_bad_recv, 1, PRIO, fault_cap(env, 0x69), true);
    settle(env);
    EXPECT_EQ(rec[2].stage, 1);
    EXPECT_EQ(keel_msginfo_label(rec[2].w[0]), 0x42);
    keel_word_t badge, w[FAULT_WORDS_MAX];
    EXPECT_EQ(keel_msginfo_label(take_fault(&badge, w)), KEEL_FAULT_CAP);
    EXPECT_OK(keel_cnode_delete(ROOT, g.cap, WB));
    EXPECT_OK(keel_cnode_copy(ROOT, g.cap, WB, ROOT, target, WB, KEEL_RIGHTS_ALL));
    EXPECT_EQ(keel_msginfo_label(reply_words(0, w)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[2].stage, 2);                       /* sent again ... */
    EXPECT_EQ(keel_msginfo_label(rec[2].w[1]), 0x42); /* ... the same message */
    EXPECT_EQ(keel_msginfo_length(rec[2].w[1]), 1);
    EXPECT_EQ(rec[2].w[3], 0x5a);
    EXPECT_EQ(rec[1].stage, 1);                       /* now waiting on target */
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_nbsend(target, keel_msginfo(0x1c, 0, 0, 0), mr);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x1c);
}

const struct systest fault_tests[] = {
    {"unknown_syscall_reply_frame", "unknown syscall: frame + number to the handler; its reply frame is the result", unknown_syscall_reply_frame},
    {"unknown_syscall_label0_continues", "a label-0 reply continues after the unknown syscall", unknown_syscall_label0_continues},
    {"entry_return_unknown_syscall", "returning from a thread's entry is an unknown syscall fault", entry_return_unknown_syscall},
    {"user_exception_resumes", "a user exception reaches the handler; label 0 resumes", user_exception_resumes},
    {"vm_fault_resumes", "VM faults reach the handler with the address; label 0 resumes", vm_fault_resumes},
    {"fault_badge_identifies_thread", "the handler sees the fault endpoint cap's badge", fault_badge_identifies_thread},
    {"fault_ep_copied_at_configure", "the fault endpoint is copied at Configure", fault_ep_copied_at_configure},
    {"no_handler_suspends", "without a handler a faulting thread stops; others go on", no_handler_suspends},
    {"cap_fault_recv_without_read", "Recv without Read: cap fault to the handler; reply re-executes", cap_fault_recv_without_read},
    {"cap_fault_no_handler", "Recv without Read and no handler: suspended, system goes on", cap_fault_no_handler},
    {"nbsendrecv_restart_resends", "a restarted NBSendRecv sends the same message again", nbsendrecv_restart_resends},
    {"cap_fault_bad_reply_registers", "a bad REPLY cap faults; a reply frame fixes the registers", cap_fault_bad_reply_registers},
    {0, 0, 0},
};
