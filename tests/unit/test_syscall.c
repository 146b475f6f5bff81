/*
 * tests/unit/test_syscall.c - kernel/syscall.c (and the scheduling bits of
 * thread.c it uses): the syscall entry.  Call, Send and NBSend invoke
 * kernel objects and write the result or error detail back (docs/abi.md
 * 1.6); the common invocation errors C1-C6 (message too long, extra caps
 * without an IPC buffer, lookup of the invoked and extra caps, objects
 * without methods); Yield; the debug syscalls; unknown syscall numbers,
 * which suspend the thread.  Console output is captured from stdout.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- stdout capture (the sim console writes there) ---- */

static int saved_fd = -1;
static FILE *capture_file;

static void capture_begin(void)
{
    fflush(stdout);
    capture_file = tmpfile();
    ck_assert_ptr_nonnull(capture_file);
    saved_fd = dup(1);
    dup2(fileno(capture_file), 1);
}

static const char *capture_end(void)
{
    static char buf[512];
    fflush(stdout);
    dup2(saved_fd, 1);
    close(saved_fd);
    rewind(capture_file);
    size_t n = fread(buf, 1, sizeof(buf) - 1, capture_file);
    buf[n] = 0;
    fclose(capture_file);
    return buf;
}

/* Enter the kernel once with these registers, the way a trap does. */
static arch_ctx_t *trap(word_t sysno, word_t cptr, word_t info)
{
    arch_ctx_t *c = kentry_exit_ctx();
    ck_assert_ptr_nonnull(c);
    c->sysno = sysno;
    c->regs[KEEL_REG_CPTR] = cptr;
    c->regs[KEEL_REG_INFO] = info;
    for (int i = 0; i < 4; i++)
        c->regs[KEEL_REG_MR0 + i] = 0x1110 + (word_t)i;
    c->restart = 0;
    kentry_syscall();
    return c;
}

/* A successful Call returns label 0, length 0, and leaves MR0..MR3 and CPTR alone. */
START_TEST(call_success_result)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), d = h_free_slot(1);
    word_t w[] = {d, WB, ep, WB, KEEL_RIGHTS_ALL}, root = ROOT;
    ck_assert_int_eq(h_invoke(ROOT, KEEL_CNODE_COPY, 5, w, 1, &root), KEEL_OK);
    arch_ctx_t *c = &h_root_tcb()->ctx;
    ck_assert_uint_eq(c->regs[KEEL_REG_INFO], keel_msginfo(0, 0, 0, 0));
    ck_assert_uint_eq(c->regs[KEEL_REG_CPTR], ROOT);
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(h_last.mr[i], w[i]);
    ck_assert_uint_eq(capof(d)->type, KEEL_CAP_ENDPOINT);
}
END_TEST

/* A failed Call returns the error label, length 4, the detail, and changes nothing. */
START_TEST(call_error_result)
{
    h_boot();
    word_t before = kinv_count_caps();
    word_t w[] = {KEEL_OBJ_CNODE, 0, 0, 0, h_free_slot(0), 1}, root = ROOT;
    h_invoke(h_big_untyped(), KEEL_UNTYPED_RETYPE, 6, w, 1, &root);
    word_t info = h_root_tcb()->ctx.regs[KEEL_REG_INFO];
    ck_assert_uint_eq(info, keel_msginfo(KEEL_RANGE_ERROR, 0, 0, 4));
    ck_assert_uint_eq(h_last.mr[0], 1);
    ck_assert_uint_eq(h_last.mr[1], KEEL_CNODE_MIN_RADIX);
    ck_assert_uint_eq(h_last.mr[2], KEEL_CNODE_MAX_RADIX);
    ck_assert_uint_eq(h_last.mr[3], 0);
    ck_assert_uint_eq(kinv_count_caps(), before);
    ck_assert_uint_eq(capof(h_big_untyped())->data, 0);
}
END_TEST

/* Send and NBSend invoke like Call and also write the result back. */
START_TEST(send_and_nbsend_invoke)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0);
    struct keel_ipc_buffer *b = tcb_ipc_buffer(h_root_tcb());
    static const word_t sys[] = {KEEL_SYS_SEND, KEEL_SYS_NB_SEND};
    for (unsigned i = 0; i < 2; i++) {
        word_t d = h_free_slot(1 + i);
        b->msg[4] = KEEL_RIGHT_READ;
        b->caps_or_badges[0] = ROOT;
        h_last.mr[0] = d, h_last.mr[1] = WB, h_last.mr[2] = ep, h_last.mr[3] = WB;
        word_t info = h_syscall(sys[i], ROOT, keel_msginfo(KEEL_CNODE_COPY, 0, 1, 5));
        ck_assert_uint_eq(info, keel_msginfo(0, 0, 0, 0));
        ck_assert_uint_eq(capof(d)->type, KEEL_CAP_ENDPOINT);
        ck_assert_uint_eq(capof(d)->rights, KEEL_RIGHT_READ);
        info = h_syscall(sys[i], ROOT, keel_msginfo(KEEL_CNODE_COPY, 0, 1, 5));
        ck_assert_uint_eq(info, keel_msginfo(KEEL_DELETE_FIRST, 0, 0, 4));
        ck_assert_uint_eq(h_last.mr[0], 0);
    }
}
END_TEST

/* MR4.. come from msg[i], msg[0..3] are ignored, surplus words and caps too. */
START_TEST(message_words_and_extra_caps)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), d = h_free_slot(1);
    struct keel_ipc_buffer *b = tcb_ipc_buffer(h_root_tcb());
    for (int i = 0; i < 4; i++)
        b->msg[i] = ~(word_t)0;
    word_t w[10] = {d, WB, ep, WB, KEEL_RIGHT_WRITE, 77, 1, 2, 3, 4};
    word_t caps[] = {ROOT, ROOT, KEEL_SLOT_INIT_TCB};
    ck_assert_int_eq(h_invoke(ROOT, KEEL_CNODE_MINT, 10, w, 3, caps), KEEL_OK);
    ck_assert_uint_eq(capof(d)->data, 77);
    ck_assert_uint_eq(capof(d)->rights, KEEL_RIGHT_WRITE);
    word_t del[] = {d, WB, 5, 6, 7};
    ck_assert_int_eq(h_invoke(ROOT, KEEL_CNODE_DELETE, 5, del, 0, 0), KEEL_OK);
    ck_assert(cap_is_null(capof(d)));
}
END_TEST

/* C1: a length above 120 is RangeError on the service (0, 120, length). */
START_TEST(message_too_long)
{
    h_boot();
    word_t w[2] = {h_free_slot(0), WB};
    h_last.mr[0] = w[0], h_last.mr[1] = w[1];
    static const word_t lens[] = {KEEL_MSG_MAX_LENGTH + 1, 127};
    for (unsigned i = 0; i < 2; i++) {
        word_t info =
            h_syscall(KEEL_SYS_CALL, ROOT, keel_msginfo(KEEL_CNODE_DELETE, 0, 0, lens[i]));
        ck_assert_uint_eq(info, keel_msginfo(KEEL_RANGE_ERROR, 0, 0, 4));
        ck_assert_uint_eq(h_last.mr[0], KEEL_ARG_SERVICE);
        ck_assert_uint_eq(h_last.mr[1], 0);
        ck_assert_uint_eq(h_last.mr[2], KEEL_MSG_MAX_LENGTH);
        ck_assert_uint_eq(h_last.mr[3], lens[i]);
        h_last.mr[0] = w[0], h_last.mr[1] = w[1];
    }
    word_t info = h_syscall(KEEL_SYS_CALL, ROOT, keel_msginfo(KEEL_CNODE_DELETE, 0, 0,
                                                               KEEL_MSG_MAX_LENGTH));
    ck_assert_uint_eq(info, keel_msginfo(0, 0, 0, 0));
}
END_TEST

/* Without an IPC buffer: C1 above 4 words, C2 for extra caps, short calls work. */
START_TEST(no_ipc_buffer)
{
    h_boot();
    struct tcb *t = h_root_tcb();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0);
    ck_assert_int_eq(slot_delete(&t->slots[TCB_SLOT_IPC_BUFFER]), KEEL_OK);
    ck_assert_str_eq(h_invariants(), "");
    ck_assert_ptr_null(tcb_ipc_buffer(t));
    ck_assert_uint_eq(capof(KEEL_SLOT_INIT_IPC_BUFFER)->type, KEEL_CAP_FRAME);
    word_t w[] = {h_free_slot(1), WB, ep, WB, KEEL_RIGHTS_ALL}, root = ROOT;
    expect_err(h_invoke(ROOT, KEEL_CNODE_COPY, 5, w, 1, &root), KEEL_RANGE_ERROR,
               KEEL_ARG_SERVICE, 0, KEEL_MSG_REGS, 5);
    expect_err(h_invoke(ROOT, KEEL_CNODE_MOVE, 4, w, 1, &root), KEEL_TRUNCATED_MESSAGE,
               KEEL_ARG_SERVICE, 1, 0, 0);
    expect_err(h_invoke(ROOT, KEEL_CNODE_DELETE, 2, w, 2, &root), KEEL_TRUNCATED_MESSAGE,
               KEEL_ARG_SERVICE, 2, 0, 0);
    ck_assert_int_eq(h_delete(ep), KEEL_OK);
    ck_assert(cap_is_null(capof(ep)));
    /* Revoking the original frame has the same effect as deleting the copy. */
    h_boot();
    ck_assert_int_eq(h_revoke(KEEL_SLOT_INIT_IPC_BUFFER), KEEL_OK);
    ck_assert_ptr_null(tcb_ipc_buffer(h_root_tcb()));
}
END_TEST

/* C3: a failed lookup of the invoked cptr names the service with left/resolved. */
START_TEST(invalid_service_cptr)
{
    h_boot();
    word_t w[] = {h_free_slot(0), WB};
    expect_err(h_invoke((word_t)1 << 40, KEEL_CNODE_DELETE, 2, w, 0, 0), KEEL_FAILED_LOOKUP,
               KEEL_ARG_SERVICE, KEEL_LOOKUP_GUARD_MISMATCH, WB, 0);
    expect_err(h_invoke(h_free_slot(1), KEEL_CNODE_DELETE, 2, w, 0, 0), KEEL_FAILED_LOOKUP,
               KEEL_ARG_SERVICE, KEEL_LOOKUP_MISSING_CAP, 0, WB);
    expect_err(h_invoke(KEEL_SLOT_NULL, KEEL_CNODE_DELETE, 2, w, 0, 0), KEEL_FAILED_LOOKUP,
               KEEL_ARG_SERVICE, KEEL_LOOKUP_MISSING_CAP, 0, WB);
}
END_TEST

/* Without a CSpace root every invocation fails with an invalid root. */
START_TEST(no_cspace_root)
{
    h_boot();
    ck_assert_int_eq(h_revoke(ROOT), KEEL_OK);
    ck_assert(cap_is_null(&h_root_tcb()->slots[TCB_SLOT_CSPACE].cap));
    word_t w[] = {h_free_slot(0), WB};
    expect_err(h_invoke(ROOT, KEEL_CNODE_DELETE, 2, w, 0, 0), KEEL_FAILED_LOOKUP,
               KEEL_ARG_SERVICE, KEEL_LOOKUP_INVALID_ROOT, WB, 0);
    h_syscall(KEEL_SYS_DEBUG_CAP_IDENTIFY, ROOT, 0);
    ck_assert_uint_eq(h_last.mr[0], KEEL_CAP_NULL);
    h_syscall(KEEL_SYS_DEBUG_SNAPSHOT, 0, 0);
    ck_assert_uint_eq(h_last.mr[KEEL_DBG_LIVE_CAPS], kinv_count_caps());
}
END_TEST

/* C4: a failed extra cap lookup names KEEL_ARG_CAP(i), even for an unused cap. */
START_TEST(extra_cap_lookup_failures)
{
    h_boot();
    word_t a = obj(0, KEEL_OBJ_ENDPOINT, 0), e = h_free_slot(1), bad = (word_t)1 << 33;
    word_t rw[] = {e, WB, 0, a, WB, 0, a, WB};
    word_t c1[] = {ROOT, e}, c0[] = {bad, ROOT}, c2[] = {ROOT, ROOT, e};
    expect_err(h_invoke(ROOT, KEEL_CNODE_ROTATE, 8, rw, 2, c1), KEEL_FAILED_LOOKUP,
               KEEL_ARG_CAP(1), KEEL_LOOKUP_MISSING_CAP, 0, WB);
    expect_err(h_invoke(ROOT, KEEL_CNODE_ROTATE, 8, rw, 2, c0), KEEL_FAILED_LOOKUP,
               KEEL_ARG_CAP(0), KEEL_LOOKUP_GUARD_MISMATCH, WB, 0);
    expect_err(h_invoke(ROOT, KEEL_CNODE_ROTATE, 8, rw, 3, c2), KEEL_FAILED_LOOKUP,
               KEEL_ARG_CAP(2), KEEL_LOOKUP_MISSING_CAP, 0, WB);
    word_t dw[] = {a, WB};
    expect_err(h_invoke(ROOT, KEEL_CNODE_DELETE, 2, dw, 1, &e), KEEL_FAILED_LOOKUP,
               KEEL_ARG_CAP(0), KEEL_LOOKUP_MISSING_CAP, 0, WB);
    ck_assert_uint_eq(capof(a)->type, KEEL_CAP_ENDPOINT);
    /* The invoked cap is looked up before the extra caps. */
    expect_err(h_invoke(e, KEEL_CNODE_DELETE, 2, dw, 1, &e), KEEL_FAILED_LOOKUP,
               KEEL_ARG_SERVICE, KEEL_LOOKUP_MISSING_CAP, 0, WB);
}
END_TEST

/* C5: invoking a method a cap does not have is IllegalOperation with its
 * type (endpoint, notification and reply caps are IPC, not methods). */
START_TEST(caps_without_methods)
{
    h_boot();
    word_t caps[] = {obj(3, KEEL_OBJ_FRAME, 12), obj(4, KEEL_OBJ_SCHED_CONTEXT, 8),
                     KEEL_SLOT_INIT_TCB, KEEL_SLOT_IRQ_CONTROL, KEEL_SLOT_SCHED_CONTROL};
    word_t w[] = {h_free_slot(10), WB};
    for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        expect_err(h_invoke(caps[i], KEEL_CNODE_DELETE, 2, w, 0, 0), KEEL_ILLEGAL_OPERATION,
                   KEEL_ARG_SERVICE, capof(caps[i])->type, 0, 0);
}
END_TEST

/* An unknown syscall prints one line and suspends the thread: nothing left to run. */
START_TEST(unknown_syscall_suspends)
{
    h_boot();
    static const word_t numbers[] = {0, 12, 31, KEEL_SYS_COUNT, 1000, ~(word_t)0};
    for (unsigned i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        if (i)
            h_boot();
        struct tcb *t = h_root_tcb();
        char want[128];
        snprintf(want, sizeof(want),
                 "keel: tcb@%lx: unknown syscall (%lx 0) with no fault handler, thread suspended\n",
                 (unsigned long)arch_kptr_to_paddr(t), (unsigned long)numbers[i]);
        capture_begin();
        trap(numbers[i], 0, 0);
        const char *out = capture_end();
        ck_assert_str_eq(out, want);
        ck_assert_ptr_null(kentry_exit_ctx());
        ck_assert_ptr_eq(ks.current, &ks.idle);
        ck_assert_uint_eq(t->state, THREAD_INACTIVE);
        ck_assert_str_eq(h_invariants(), "");
    }
}
END_TEST

/* Regression: an NBSendRecv whose send phase suspends the caller (a
 * Suspend invocation on its own TCB) must not go on to block it in the
 * receive: it stays suspended and no endpoint queues it. */
START_TEST(nbsendrecv_send_phase_suspends)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0);
    struct tcb *root = h_root_tcb();
    arch_ctx_t *c = kentry_exit_ctx();
    c->sysno = KEEL_SYS_NB_SEND_RECV;
    c->regs[KEEL_REG_CPTR] = KEEL_SLOT_INIT_TCB;
    c->regs[KEEL_REG_INFO] = keel_msginfo(KEEL_TCB_SUSPEND, 0, 0, 0);
    c->regs[KEEL_REG_SRC] = ep;
    c->regs[KEEL_REG_REPLY] = 0;
    kentry_syscall();
    ck_assert_uint_eq(root->state, THREAD_INACTIVE);
    ck_assert_ptr_null(((struct endpoint *)capof(ep)->obj)->queue.head);
    ck_assert_str_eq(h_invariants(), "");
    ck_assert_ptr_null(kentry_exit_ctx());
}
END_TEST

/* Yield alone: the caller runs again, no register written, budget not reset. */
START_TEST(yield_alone)
{
    h_boot();
    uint64_t end = ks.time_end;
    *sim_clock() += 1000;
    arch_ctx_t *c = trap(KEEL_SYS_YIELD, 5, 77);
    ck_assert_ptr_eq(kentry_exit_ctx(), c);
    ck_assert_uint_eq(c->regs[KEEL_REG_CPTR], 5);
    ck_assert_uint_eq(c->regs[KEEL_REG_INFO], 77);
    ck_assert_uint_eq(c->regs[KEEL_REG_MR2], 0x1112);
    ck_assert_uint_eq(ks.time_end, end);
    ck_assert_uint_eq(ks.entries, 1);
}
END_TEST

/* Yield puts the caller at the tail of the ready queue behind another thread. */
START_TEST(yield_round_robin)
{
    h_boot();
    word_t t2 = obj(0, KEEL_OBJ_TCB, 0);
    struct tcb *other = (struct tcb *)capof(t2)->obj, *root = h_root_tcb();
    h_give_time(other, 1, 1000000);
    sched_set_priority(other, root->priority);
    sched_make_runnable(other);
    trap(KEEL_SYS_YIELD, 0, 0);
    ck_assert_ptr_eq(kentry_exit_ctx(), &other->ctx);
    ck_assert_ptr_eq(sched_highest(), root);
    ck_assert_str_eq(h_invariants(), "");
    trap(KEEL_SYS_YIELD, 0, 0); /* the other thread yields back */
    ck_assert_ptr_eq(kentry_exit_ctx(), &root->ctx);
    ck_assert_ptr_eq(sched_highest(), other);
    ck_assert_int_eq(h_delete(t2), KEEL_OK);
    ck_assert_ptr_null(sched_highest());
}
END_TEST

/* DebugPutChar prints the low 8 bits of CPTR and writes no register. */
START_TEST(debug_putchar)
{
    h_boot();
    capture_begin();
    trap(KEEL_SYS_DEBUG_PUTCHAR, 'o', 3);
    trap(KEEL_SYS_DEBUG_PUTCHAR, 0x100 | 'k', 3);
    arch_ctx_t *c = trap(KEEL_SYS_DEBUG_PUTCHAR, '\n', 3);
    const char *out = capture_end();
    ck_assert_str_eq(out, "ok\n");
    ck_assert_uint_eq(c->regs[KEEL_REG_INFO], 3);
    ck_assert_uint_eq(c->regs[KEEL_REG_MR0], 0x1110);
    ck_assert_ptr_eq(kentry_exit_ctx(), c);
}
END_TEST

/* DebugHalt stops the system: the sim delivers no more interrupts. */
START_TEST(debug_halt)
{
    h_boot();
    word_t entries = ks.entries;
    sim_raise_irq(ARCH_IRQ_TIMER);
    sim_deliver_irqs();
    ck_assert_uint_eq(ks.entries, entries + 1); /* delivered before the halt */
    kentry_exit_ctx();
    arch_ctx_t *c = trap(KEEL_SYS_DEBUG_HALT, 7, 9);
    ck_assert_uint_eq(c->regs[KEEL_REG_INFO], 9);
    entries = ks.entries;
    sim_raise_irq(ARCH_IRQ_TIMER);
    sim_deliver_irqs();
    ck_assert_uint_eq(ks.entries, entries);
}
END_TEST

/* DebugCapIdentify puts the cap type (0 if none) in MR0 and touches nothing else. */
START_TEST(debug_cap_identify)
{
    h_boot();
    static const struct {
        word_t cptr, type;
    } cases[] = {{KEEL_SLOT_INIT_TCB, KEEL_CAP_TCB},
                 {ROOT, KEEL_CAP_CNODE},
                 {KEEL_SLOT_INIT_VSPACE, KEEL_CAP_NULL},
                 {KEEL_SLOT_IRQ_CONTROL, KEEL_CAP_IRQ_CONTROL},
                 {KEEL_SLOT_SCHED_CONTROL, KEEL_CAP_SCHED_CONTROL},
                 {KEEL_SLOT_BOOTINFO_FRAME, KEEL_CAP_FRAME},
                 {KEEL_SLOT_FIRST_UNTYPED, KEEL_CAP_UNTYPED},
                 {4096, KEEL_CAP_NULL},
                 {~(word_t)0, KEEL_CAP_NULL}};
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        arch_ctx_t *c = trap(KEEL_SYS_DEBUG_CAP_IDENTIFY, cases[i].cptr, 42);
        ck_assert_uint_eq(c->regs[KEEL_REG_MR0], cases[i].type);
        ck_assert_uint_eq(c->regs[KEEL_REG_MR1], 0x1111);
        ck_assert_uint_eq(c->regs[KEEL_REG_MR3], 0x1113);
        ck_assert_uint_eq(c->regs[KEEL_REG_INFO], 42);
        ck_assert_uint_eq(c->regs[KEEL_REG_CPTR], cases[i].cptr);
    }
    word_t rp = obj(0, KEEL_OBJ_REPLY, 0);
    ck_assert_uint_eq(trap(KEEL_SYS_DEBUG_CAP_IDENTIFY, rp, 0)->regs[KEEL_REG_MR0], KEEL_CAP_REPLY);
}
END_TEST

/* DebugSnapshot reports entries, preemptions, live caps and the clock. */
START_TEST(debug_snapshot)
{
    h_boot();
    arch_ctx_t *c = trap(KEEL_SYS_DEBUG_SNAPSHOT, 0, 5);
    ck_assert_uint_eq(c->regs[KEEL_REG_MR0 + KEEL_DBG_KERNEL_ENTRIES], 1);
    ck_assert_uint_eq(c->regs[KEEL_REG_MR0 + KEEL_DBG_PREEMPTIONS], 0);
    ck_assert_uint_eq(c->regs[KEEL_REG_MR0 + KEEL_DBG_LIVE_CAPS], 9 + h_bi()->untyped_count);
    ck_assert_uint_eq(c->regs[KEEL_REG_MR0 + KEEL_DBG_TIME_NS], *sim_clock());
    ck_assert_uint_eq(c->regs[KEEL_REG_INFO], 5);
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_ENDPOINT, 0, h_free_slot(0), 7), KEEL_OK);
    *sim_clock() = 123456789;
    ks.preemptions = 3;
    c = trap(KEEL_SYS_DEBUG_SNAPSHOT, 0, 0);
    ck_assert_uint_eq(c->regs[KEEL_REG_MR0 + KEEL_DBG_KERNEL_ENTRIES], 3);
    ck_assert_uint_eq(c->regs[KEEL_REG_MR0 + KEEL_DBG_PREEMPTIONS], 3);
    ck_assert_uint_eq(c->regs[KEEL_REG_MR0 + KEEL_DBG_LIVE_CAPS], 16 + h_bi()->untyped_count);
    ck_assert_uint_eq(c->regs[KEEL_REG_MR0 + KEEL_DBG_TIME_NS], 123456789);
}
END_TEST

/* Each stop of a restarted syscall counts one preemption, as Snapshot shows. */
START_TEST(snapshot_counts_preemptions)
{
    h_boot();
    word_t cn = obj(0, KEEL_OBJ_CNODE, 9);
    word_t w[] = {KEEL_OBJ_ENDPOINT, 0, cn, WB, 0, 256}, root = ROOT;
    ck_assert_int_eq(h_invoke(h_big_untyped(), KEEL_UNTYPED_RETYPE, 6, w, 1, &root), KEEL_OK);
    w[4] = 256;
    ck_assert_int_eq(h_invoke(h_big_untyped(), KEEL_UNTYPED_RETYPE, 6, w, 1, &root), KEEL_OK);
    ks.work_units = 0;
    sim_raise_irq(ARCH_IRQ_TIMER);
    ck_assert_int_eq(h_delete(cn), KEEL_OK); /* stops once, then runs to the end */
    ck_assert_uint_eq(ks.preemptions, 1);
    h_syscall(KEEL_SYS_DEBUG_SNAPSHOT, 0, 0);
    ck_assert_uint_eq(h_last.mr[KEEL_DBG_PREEMPTIONS], 1);
    ck_assert_uint_eq(h_last.mr[KEEL_DBG_LIVE_CAPS], 9 + h_bi()->untyped_count);
}
END_TEST

/* The IPC buffer is at frame base + (user address mod frame size). */
START_TEST(ipc_buffer_at_user_offset)
{
    h_boot();
    struct tcb *t = h_root_tcb();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), d = h_free_slot(1);
    word_t frame = capof(KEEL_SLOT_INIT_IPC_BUFFER)->obj;
    t->ipc_buffer_user += 0x400 + 4 * BIT(KEEL_PAGE_BITS); /* another page, same offset */
    struct keel_ipc_buffer *b = (struct keel_ipc_buffer *)(frame + 0x400);
    ck_assert_ptr_eq(tcb_ipc_buffer(t), b);
    b->msg[4] = KEEL_RIGHT_GRANT;
    b->msg[5] = 0x99;
    b->caps_or_badges[0] = ROOT;
    h_last.mr[0] = d, h_last.mr[1] = WB, h_last.mr[2] = ep, h_last.mr[3] = WB;
    word_t info = h_syscall(KEEL_SYS_CALL, ROOT, keel_msginfo(KEEL_CNODE_MINT, 0, 1, 6));
    ck_assert_uint_eq(info, keel_msginfo(0, 0, 0, 0));
    ck_assert_uint_eq(capof(d)->data, 0x99);
    ck_assert_uint_eq(capof(d)->rights, KEEL_RIGHT_GRANT);
}
END_TEST

Suite *syscall_suite(void)
{
    Suite *su = suite_create("syscall");
    TCase *tc = tcase_create("syscall");
    tcase_add_test(tc, call_success_result);
    tcase_add_test(tc, call_error_result);
    tcase_add_test(tc, send_and_nbsend_invoke);
    tcase_add_test(tc, message_words_and_extra_caps);
    tcase_add_test(tc, message_too_long);
    tcase_add_test(tc, ipc_buffer_at_user_offset);
    tcase_add_test(tc, no_ipc_buffer);
    tcase_add_test(tc, invalid_service_cptr);
    tcase_add_test(tc, no_cspace_root);
    tcase_add_test(tc, extra_cap_lookup_failures);
    tcase_add_test(tc, caps_without_methods);
    tcase_add_test(tc, unknown_syscall_suspends);
    tcase_add_test(tc, yield_alone);
    tcase_add_test(tc, nbsendrecv_send_phase_suspends);
    tcase_add_test(tc, yield_round_robin);
    tcase_add_test(tc, debug_putchar);
    tcase_add_test(tc, debug_halt);
    tcase_add_test(tc, debug_cap_identify);
    tcase_add_test(tc, debug_snapshot);
    tcase_add_test(tc, snapshot_counts_preemptions);
    suite_add_tcase(su, tc);
    return su;
}
