/*
 * fuzz/syscalls.c - fuzz harness 1: programs of syscalls whose
 * capabilities flow between calls.
 *
 * Every input is a valid program: it is read as a sequence of operations,
 * each an opcode byte and a fixed number of argument bytes (missing bytes
 * read as 0), up to KFUZZ_MAX_OPS operations.  Slot arguments name one of
 * 64 root-CNode slots: the boot capabilities (untyped among them) and a
 * window of empty slots that earlier operations fill, so that an object
 * retyped by one operation is copied, minted, granted, bound or deleted by
 * later ones (syzkaller's resources, with slots as the resource).
 *
 * Each operation is a syscall made by whichever thread the kernel runs
 * now: the root task at first, then any thread the program created and
 * started (they share the root's CSpace).  When no thread can run, the
 * clock jumps to the timer deadline and the interrupt is taken.  The
 * kernel is booted afresh for every input (a new sim arena: no state
 * carries over), and the invariant checker runs after every operation:
 * a violation aborts, which libFuzzer and AFL++ both report as a crash.
 *
 * Built three ways from this file: with libFuzzer (make fuzz), with
 * AFL++ (make fuzz-afl), and with fuzz/replay.c as a plain program that
 * runs and lists inputs (build/bin/fuzz-syscalls-replay --list FILE).
 */
#include "kfuzz.h"
#include "syscalls.h"

int kfuzz_listing __attribute__((weak)); /* fuzz/replay.c sets it (--list) */

/* ---- the operations ---- */

static const struct op_info {
    const char *name;
    unsigned nargs; /* argument bytes after the opcode */
} ops[OP_COUNT] = {
    [OP_RETYPE] = {"Retype ut type bits dest n", 5},
    [OP_COPY] = {"Copy dest src rights", 3},
    [OP_MINT] = {"Mint dest src rights badge", 4},
    [OP_MOVE] = {"Move dest src", 2},
    [OP_MUTATE] = {"Mutate dest src data", 3},
    [OP_ROTATE] = {"Rotate dest pivot src badge", 4},
    [OP_DELETE] = {"Delete slot", 1},
    [OP_REVOKE] = {"Revoke slot", 1},
    [OP_CANCEL_BADGED] = {"CancelBadgedSends slot", 1},
    [OP_TCB_CONFIGURE] = {"TCB_Configure tcb fault_ep frame", 3},
    [OP_TCB_PRIORITY] = {"TCB_SetPriority tcb prio", 2},
    [OP_TCB_MCP] = {"TCB_SetMCPriority tcb mcp", 2},
    [OP_TCB_RESUME] = {"TCB_Resume tcb", 1},
    [OP_TCB_SUSPEND] = {"TCB_Suspend tcb", 1},
    [OP_TCB_BIND_NTFN] = {"TCB_BindNotification tcb ntfn", 2},
    [OP_TCB_UNBIND_NTFN] = {"TCB_UnbindNotification tcb", 1},
    [OP_TCB_TIMEOUT_EP] = {"TCB_SetTimeoutEndpoint tcb ep", 2},
    [OP_TCB_READ_REGS] = {"TCB_ReadRegisters tcb count", 2},
    [OP_TCB_WRITE_REGS] = {"TCB_WriteRegisters tcb count value", 3},
    [OP_SC_CONFIGURE] = {"SchedControl_Configure sc budget period extra flags", 5},
    [OP_SC_BIND] = {"SchedContext_Bind sc obj", 2},
    [OP_SC_UNBIND] = {"SchedContext_Unbind sc", 1},
    [OP_SC_UNBIND_OBJECT] = {"SchedContext_UnbindObject sc obj", 2},
    [OP_SC_CONSUMED] = {"SchedContext_Consumed sc", 1},
    [OP_SC_YIELD_TO] = {"SchedContext_YieldTo sc", 1},
    [OP_SEND] = {"Send cap label len cap0 cap1 recvslot", 6},
    [OP_NBSEND] = {"NBSend cap label len cap0 cap1 recvslot", 6},
    [OP_CALL] = {"Call cap label len cap0 cap1 recvslot", 6},
    [OP_RECV] = {"Recv cap reply recvslot", 3},
    [OP_NBRECV] = {"NBRecv cap reply recvslot", 3},
    [OP_REPLY_RECV] = {"ReplyRecv cap reply len recvslot", 4},
    [OP_NBSEND_RECV] = {"NBSendRecv dest src reply len", 4},
    [OP_NBSEND_WAIT] = {"NBSendWait dest src len", 3},
    [OP_WAIT] = {"Wait cap", 1},
    [OP_NBWAIT] = {"NBWait cap", 1},
    [OP_YIELD] = {"Yield", 0},
    [OP_TICK] = {"Tick (time jumps to the timer deadline)", 0},
    [OP_FRAME_ADDRESS] = {"Frame_GetAddress frame", 1},
    [OP_IRQ_GET] = {"IRQControl_Get irq dest", 2},
    [OP_IRQ_HANDLER] = {"IRQHandler_Ack/SetNotification/Clear handler method ntfn", 3},
    [OP_IRQ_RAISE] = {"raise interrupt line (taken at once)", 1},
    [OP_VSPACE] = {"Frame/PageTable Map/Unmap, ASID MakePool/Assign cap method cap vaddr rights", 5},
};

/* Object sizes worth trying: the type's own size (0), small and large. */
static word_t obj_bits(word_t type, uint8_t b)
{
    static const uint8_t cnode[] = {5, 6, 7, 8}, ut[] = {4, 6, 8, 10, 12, 16};
    switch (type) {
    case KEEL_OBJ_CNODE: return cnode[b % sizeof(cnode)] + (b >= 200 ? 20 : 0);
    case KEEL_OBJ_UNTYPED: return ut[b % sizeof(ut)] + (b >= 250 ? 40 : 0);
    case KEEL_OBJ_SCHED_CONTEXT: return KEEL_SCHED_CONTEXT_MIN_BITS + b % 3;
    case KEEL_OBJ_FRAME: return KEEL_PAGE_BITS + (b % 8 == 7);
    default: return b >= 240 ? b - 240 : 0;
    }
}

/* Put n words of a message (MRs, then the IPC buffer) and up to two extra
 * caps into the current thread's registers and buffer. */
static word_t message(struct kfuzz *k, word_t label, uint8_t len, uint8_t c0, uint8_t c1)
{
    word_t n = len % 8, ncaps = len / 64;
    for (word_t i = 0; i < n; i++)
        kfuzz_mr(k, i, (i + 1) * 0x101);
    kfuzz_extra_cap(k, 0, kfuzz_slot(c0));
    kfuzz_extra_cap(k, 1, kfuzz_slot(c1));
    return keel_msginfo(label % 0x80, 0, ncaps, n);
}

static void run_op(struct kfuzz *k, enum op op, const uint8_t *a)
{
    word_t s0 = kfuzz_slot(a[0]), s1 = kfuzz_slot(a[1]);
    switch (op) {
    case OP_RETYPE: {
        word_t type = a[1] % KEEL_OBJ_TYPE_COUNT;
        word_t w[] = {type, obj_bits(type, a[2]), 0, 0, kfuzz_slot(a[3]), 1 + a[4] % 4};
        kfuzz_invoke(k, s0, KEEL_UNTYPED_RETYPE, w, 6, KEEL_SLOT_INIT_CNODE);
        break;
    }
    case OP_COPY:
    case OP_MINT:
    case OP_MUTATE: {
        word_t w[] = {s0, WB, s1, WB, a[2] & 0xf, a[3] % 8};
        static const word_t labels[] = {[OP_COPY] = KEEL_CNODE_COPY, [OP_MINT] = KEEL_CNODE_MINT,
                                        [OP_MUTATE] = KEEL_CNODE_MUTATE};
        if (op == OP_MUTATE)
            w[4] = a[2] % 4 ? 0 : keel_cnode_guard(a[2] >> 4, a[2] & 0xf);
        kfuzz_invoke(k, KEEL_SLOT_INIT_CNODE, labels[op], w, op == OP_MINT ? 6 : 5,
                     KEEL_SLOT_INIT_CNODE);
        break;
    }
    case OP_MOVE: {
        word_t w[] = {s0, WB, s1, WB};
        kfuzz_invoke(k, KEEL_SLOT_INIT_CNODE, KEEL_CNODE_MOVE, w, 4, KEEL_SLOT_INIT_CNODE);
        break;
    }
    case OP_ROTATE: {
        word_t w[] = {s0, WB, a[3] % 4, s1, WB, kfuzz_slot(a[2]), WB, a[3] / 64};
        kfuzz_invoke2(k, KEEL_SLOT_INIT_CNODE, KEEL_CNODE_ROTATE, w, 8, KEEL_SLOT_INIT_CNODE,
                      KEEL_SLOT_INIT_CNODE);
        break;
    }
    case OP_DELETE:
    case OP_REVOKE:
    case OP_CANCEL_BADGED: {
        word_t w[] = {s0, WB};
        kfuzz_invoke(k, KEEL_SLOT_INIT_CNODE,
                     op == OP_DELETE   ? KEEL_CNODE_DELETE
                     : op == OP_REVOKE ? KEEL_CNODE_REVOKE
                                       : KEEL_CNODE_CANCEL_BADGED_SENDS,
                     w, 2, 0);
        break;
    }
    case OP_TCB_CONFIGURE: {
        /* CSpace: the root CNode, so the program's slots mean the same to
         * every thread; IPC buffer: the frame in slot a[2] (its address
         * looked up as a program would with Frame_GetAddress). */
        word_t frame = kfuzz_slot(a[2]);
        word_t w[] = {a[1] % 4 ? s1 : 0, KEEL_SLOT_INIT_CNODE, 0, 0, 0,
                      kfuzz_frame_addr(k, frame), frame};
        kfuzz_invoke(k, s0, KEEL_TCB_CONFIGURE, w, 7, 0);
        break;
    }
    case OP_TCB_PRIORITY:
    case OP_TCB_MCP: {
        word_t w[] = {a[1]};
        kfuzz_invoke(k, s0, op == OP_TCB_PRIORITY ? KEEL_TCB_SET_PRIORITY : KEEL_TCB_SET_MC_PRIORITY,
                     w, 1, KEEL_SLOT_INIT_TCB);
        break;
    }
    case OP_TCB_RESUME:
    case OP_TCB_SUSPEND:
    case OP_TCB_UNBIND_NTFN:
        kfuzz_invoke(k, s0,
                     op == OP_TCB_RESUME    ? KEEL_TCB_RESUME
                     : op == OP_TCB_SUSPEND ? KEEL_TCB_SUSPEND
                                            : KEEL_TCB_UNBIND_NOTIFICATION,
                     0, 0, 0);
        break;
    case OP_TCB_BIND_NTFN:
        kfuzz_invoke(k, s0, KEEL_TCB_BIND_NOTIFICATION, 0, 0, s1);
        break;
    case OP_TCB_TIMEOUT_EP: {
        word_t w[] = {a[1] % 8 ? s1 : 0};
        kfuzz_invoke(k, s0, KEEL_TCB_SET_TIMEOUT_ENDPOINT, w, 1, 0);
        break;
    }
    case OP_TCB_READ_REGS: {
        word_t w[] = {0, a[1] % 16};
        kfuzz_invoke(k, s0, KEEL_TCB_READ_REGISTERS, w, 2, 0);
        break;
    }
    case OP_TCB_WRITE_REGS: {
        word_t n = a[1] % 4, w[2 + 4] = {a[1] / 128, n, 0x1000u * a[2], 0, 0, a[2]};
        kfuzz_invoke(k, s0, KEEL_TCB_WRITE_REGISTERS, w, 2 + n, 0);
        break;
    }
    case OP_SC_CONFIGURE: {
        static const word_t us[] = {10, 20, 100, 500, 1000, 2000, 10000, 3600000001u};
        word_t budget = us[a[1] % 8], period = us[a[2] % 8];
        word_t w[] = {budget, a[2] >= 128 ? budget : period, a[3] % 8, a[0], a[4] % 3};
        kfuzz_invoke(k, KEEL_SLOT_SCHED_CONTROL, KEEL_SCHED_CONTROL_CONFIGURE, w, 5, s0);
        break;
    }
    case OP_SC_BIND:
    case OP_SC_UNBIND_OBJECT:
        kfuzz_invoke(k, s0, op == OP_SC_BIND ? KEEL_SCHED_CONTEXT_BIND
                                             : KEEL_SCHED_CONTEXT_UNBIND_OBJECT,
                     0, 0, s1);
        break;
    case OP_SC_UNBIND:
    case OP_SC_CONSUMED:
    case OP_SC_YIELD_TO:
        kfuzz_invoke(k, s0,
                     op == OP_SC_UNBIND     ? KEEL_SCHED_CONTEXT_UNBIND
                     : op == OP_SC_CONSUMED ? KEEL_SCHED_CONTEXT_CONSUMED
                                            : KEEL_SCHED_CONTEXT_YIELD_TO,
                     0, 0, 0);
        break;
    case OP_FRAME_ADDRESS:
        kfuzz_invoke(k, s0, KEEL_FRAME_GET_ADDRESS, 0, 0, 0);
        break;
    case OP_IRQ_GET: {
        /* Lines 0..7: the timer, free lines and (by repetition) taken ones. */
        word_t w[] = {a[0] % 8 + (a[0] >= 250 ? 1000 : 0), s1, WB};
        kfuzz_invoke(k, KEEL_SLOT_IRQ_CONTROL, KEEL_IRQ_CONTROL_GET, w, 3, KEEL_SLOT_INIT_CNODE);
        break;
    }
    case OP_IRQ_HANDLER: {
        static const word_t labels[] = {KEEL_IRQ_HANDLER_ACK, KEEL_IRQ_HANDLER_SET_NOTIFICATION,
                                        KEEL_IRQ_HANDLER_CLEAR};
        kfuzz_invoke(k, s0, labels[a[1] % 3], 0, 0, kfuzz_slot(a[2]));
        break;
    }
    case OP_IRQ_RAISE:
        sim_raise_irq(a[0] % 8);
        sim_deliver_irqs();
        kfuzz_check();
        break;
    case OP_VSPACE: {
        /* Refused on the sim (no page tables): the decoders' checks. */
        static const word_t labels[] = {KEEL_FRAME_MAP, KEEL_FRAME_UNMAP, KEEL_PAGE_TABLE_MAP,
                                        KEEL_PAGE_TABLE_UNMAP, KEEL_ASID_POOL_ASSIGN,
                                        KEEL_ASID_CONTROL_MAKE_POOL};
        word_t w[] = {(word_t)a[3] << 12, a[4] % 4, a[4] / 64};
        kfuzz_invoke2(k, s0, labels[a[1] % 6], w, a[1] % 6 == 0 ? 3 : 2, kfuzz_slot(a[2]),
                      a[1] % 6 == 5 ? KEEL_SLOT_INIT_CNODE : 0);
        break;
    }
    case OP_SEND:
    case OP_NBSEND:
    case OP_CALL: {
        kfuzz_receive_slot(k, kfuzz_slot(a[5]));
        word_t info = message(k, a[1], a[2], a[3], a[4]);
        kfuzz_syscall(k, op == OP_SEND ? KEEL_SYS_SEND : op == OP_NBSEND ? KEEL_SYS_NB_SEND
                                                                          : KEEL_SYS_CALL,
                      s0, info, 0, 0);
        break;
    }
    case OP_RECV:
    case OP_NBRECV:
        kfuzz_receive_slot(k, kfuzz_slot(a[2]));
        kfuzz_syscall(k, op == OP_RECV ? KEEL_SYS_RECV : KEEL_SYS_NB_RECV, s0, 0,
                      a[1] % 4 ? s1 : 0, 0);
        break;
    case OP_REPLY_RECV:
        kfuzz_receive_slot(k, kfuzz_slot(a[3]));
        kfuzz_syscall(k, KEEL_SYS_REPLY_RECV, s0, message(k, 0, a[2], a[3], a[3]), s1, 0);
        break;
    case OP_NBSEND_RECV:
        kfuzz_syscall(k, KEEL_SYS_NB_SEND_RECV, s0, message(k, 1, a[3], a[1], a[2]),
                      kfuzz_slot(a[2]), s1);
        break;
    case OP_NBSEND_WAIT:
        kfuzz_syscall(k, KEEL_SYS_NB_SEND_WAIT, s0, message(k, 2, a[2], a[1], a[1]), 0, s1);
        break;
    case OP_WAIT:
    case OP_NBWAIT:
        kfuzz_syscall(k, op == OP_WAIT ? KEEL_SYS_WAIT : KEEL_SYS_NB_WAIT, s0, 0, 0, 0);
        break;
    case OP_YIELD:
        kfuzz_syscall(k, KEEL_SYS_YIELD, 0, 0, 0, 0);
        break;
    case OP_TICK:
        kfuzz_tick(k);
        break;
    case OP_COUNT:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kfuzz k;
    kfuzz_boot(&k);
    size_t at = 0;
    for (unsigned n = 0; n < KFUZZ_MAX_OPS && at < size && !k.over; n++) {
        enum op op = (enum op)(data[at++] % OP_COUNT);
        uint8_t a[8] = {0};
        for (unsigned i = 0; i < ops[op].nargs; i++)
            a[i] = at < size ? data[at++] : 0;
        kfuzz_begin(&k, n, ops[op].name, a, ops[op].nargs);
        run_op(&k, op, a);
        kfuzz_end(&k);
    }
    kfuzz_shutdown(&k);
    return 0;
}
