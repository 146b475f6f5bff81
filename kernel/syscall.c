/*
 * kernel/syscall.c - the syscall entry: each syscall's capabilities are
 * looked up here and the work handed to ipc.c, notification.c or, for a
 * Call/Send on a kernel object, to that object's decoder (an invocation).
 *
 * Send-phase errors (a bad cptr, a missing Write right, a message longer
 * than the sender can hold) are returned to the sender as an invocation
 * error is; receive-phase errors are cap faults (fault.c), as in seL4.
 *
 * Result of an invocation (Call, Send, NBSend on a kernel object):
 *   success: info label 0, length = result words, MR0.. = results
 *   failure: info label = error code, length 4, MR0..MR3 = the detail
 *            (argument index and three code-specific words, keel/errors.h)
 *   preempted: no result; the thread executes the same syscall again.
 * Keel departs from seL4 in one place: a failed lookup of the invoked or an
 * extra capability returns KEEL_FAILED_LOOKUP to the caller rather than
 * raising a capability fault, so that bad input never stops a thread.
 */
#include "invoke.h"
#include "trace.h"

struct kstate ks;

static const char *const method_names[KEEL_METHOD_COUNT] = {
    [KEEL_UNTYPED_RETYPE] = "Untyped_Retype", [KEEL_CNODE_REVOKE] = "CNode_Revoke",
    [KEEL_CNODE_DELETE] = "CNode_Delete",     [KEEL_CNODE_COPY] = "CNode_Copy",
    [KEEL_CNODE_MINT] = "CNode_Mint",         [KEEL_CNODE_MOVE] = "CNode_Move",
    [KEEL_CNODE_MUTATE] = "CNode_Mutate",     [KEEL_CNODE_ROTATE] = "CNode_Rotate",
    [KEEL_CNODE_CANCEL_BADGED_SENDS] = "CNode_CancelBadgedSends",
    [KEEL_TCB_READ_REGISTERS] = "TCB_ReadRegisters", [KEEL_TCB_WRITE_REGISTERS] = "TCB_WriteRegisters",
    [KEEL_TCB_CONFIGURE] = "TCB_Configure",   [KEEL_TCB_SET_PRIORITY] = "TCB_SetPriority",
    [KEEL_TCB_SET_MC_PRIORITY] = "TCB_SetMCPriority", [KEEL_TCB_SET_IPC_BUFFER] = "TCB_SetIPCBuffer",
    [KEEL_TCB_RESUME] = "TCB_Resume",         [KEEL_TCB_SUSPEND] = "TCB_Suspend",
    [KEEL_TCB_BIND_NOTIFICATION] = "TCB_BindNotification",
    [KEEL_TCB_UNBIND_NOTIFICATION] = "TCB_UnbindNotification",
    [KEEL_TCB_SET_TIMEOUT_ENDPOINT] = "TCB_SetTimeoutEndpoint",
    [KEEL_FRAME_GET_ADDRESS] = "Frame_GetAddress", [KEEL_FRAME_MAP] = "Frame_Map",
    [KEEL_FRAME_UNMAP] = "Frame_Unmap",       [KEEL_PAGE_TABLE_MAP] = "PageTable_Map",
    [KEEL_PAGE_TABLE_UNMAP] = "PageTable_Unmap",
    [KEEL_ASID_CONTROL_MAKE_POOL] = "ASIDControl_MakePool",
    [KEEL_ASID_POOL_ASSIGN] = "ASIDPool_Assign",
    [KEEL_SCHED_CONTROL_CONFIGURE] = "SchedControl_Configure",
    [KEEL_SCHED_CONTEXT_BIND] = "SchedContext_Bind", [KEEL_SCHED_CONTEXT_UNBIND] = "SchedContext_Unbind",
    [KEEL_SCHED_CONTEXT_UNBIND_OBJECT] = "SchedContext_UnbindObject",
    [KEEL_SCHED_CONTEXT_CONSUMED] = "SchedContext_Consumed",
    [KEEL_SCHED_CONTEXT_YIELD_TO] = "SchedContext_YieldTo",
    [KEEL_IRQ_CONTROL_GET] = "IRQControl_Get", [KEEL_IRQ_HANDLER_ACK] = "IRQHandler_Ack",
    [KEEL_IRQ_HANDLER_SET_NOTIFICATION] = "IRQHandler_SetNotification",
    [KEEL_IRQ_HANDLER_CLEAR] = "IRQHandler_Clear",
};

static const char *const error_names[KEEL_ERROR_COUNT] = {
    "OK", "InvalidArgument", "InvalidCapability", "IllegalOperation", "RangeError",
    "AlignmentError", "FailedLookup", "TruncatedMessage", "DeleteFirst", "RevokeFirst",
    "NotEnoughMemory", "IPCAborted",
};

/* Word i of the invocation; callers have checked i against the message's
 * length (inv_need), which decode_message bounded by KEEL_MSG_MAX_LENGTH. */
word_t inv_mr(const struct invocation *inv, word_t i)
{
    if (i < KEEL_MSG_REGS)
        return arch_ctx_get(&inv->thread->ctx, KEEL_REG_MR0 + (unsigned)i);
    return inv->buf->msg[i]; /* cppcheck-suppress arrayIndexOutOfBoundsCond ; see above */
}

int inv_need(const struct invocation *inv, word_t words, word_t caps, struct kerr *e)
{
    if (inv->length < words)
        return kerr_set(e, KEEL_TRUNCATED_MESSAGE, KEEL_ARG_SERVICE, words, inv->length, 0,
                        "invocation: message too short for this method");
    if (inv->nextra < caps)
        return kerr_set(e, KEEL_TRUNCATED_MESSAGE, KEEL_ARG_SERVICE, caps, inv->nextra, 0,
                        "invocation: too few extra capabilities for this method");
    return KEEL_OK;
}

void inv_set_result(struct invocation *inv, word_t i, word_t v)
{
    if (i < KEEL_MSG_REGS)
        arch_ctx_set(&inv->thread->ctx, KEEL_REG_MR0 + (unsigned)i, v);
    else
        inv->buf->msg[i] = v; /* cppcheck-suppress arrayIndexOutOfBoundsCond ; i < capacity */
    if (inv->nresults < i + 1)
        inv->nresults = i + 1;
}

word_t inv_capacity(const struct invocation *inv)
{
    return inv->buf ? KEEL_MSG_MAX_LENGTH : KEEL_MSG_REGS;
}

int inv_lookup_opt(const struct invocation *inv, word_t arg, slot_t **out, struct kerr *e)
{
    word_t cptr = inv_mr(inv, arg);
    *out = 0;
    return cptr ? cspace_lookup_cap(inv->thread, cptr, arg, out, e) : KEEL_OK;
}

/* The length a thread's message may have. */
static int check_length(struct tcb *t, struct kerr *e)
{
    word_t len = keel_msginfo_length(arch_ctx_get(&t->ctx, KEEL_REG_INFO));
    word_t avail = tcb_ipc_buffer(t) ? KEEL_MSG_MAX_LENGTH : KEEL_MSG_REGS;
    if (len > avail)
        return kerr_set(e, KEEL_RANGE_ERROR, KEEL_ARG_SERVICE, 0, avail, len,
                        "message longer than the thread's message registers");
    return KEEL_OK;
}

/* Fill inv from the current thread's registers and IPC buffer. */
static int decode_message(struct tcb *t, slot_t *slot, struct invocation *inv, struct kerr *e)
{
    word_t info = arch_ctx_get(&t->ctx, KEEL_REG_INFO);
    *inv = (struct invocation){.thread = t, .buf = tcb_ipc_buffer(t), .slot = slot,
                               .label = keel_msginfo_label(info),
                               .length = keel_msginfo_length(info),
                               .nextra = keel_msginfo_extra_caps(info)};
    int r = check_length(t, e);
    if (r == KEEL_OK && inv->nextra > 0 && !inv->buf)
        return kerr_set(e, KEEL_TRUNCATED_MESSAGE, KEEL_ARG_SERVICE, inv->nextra, 0, 0,
                        "invocation: extra caps need an IPC buffer");
    for (word_t i = 0; r == KEEL_OK && i < inv->nextra; i++)
        r = cspace_lookup_cap(t, inv->buf->caps_or_badges[i], KEEL_ARG_CAP(i),
                              &inv->extra[i], e);
    return r;
}

static int dispatch(struct invocation *inv, struct kerr *e)
{
    switch (inv->slot->cap.type) {
    case KEEL_CAP_UNTYPED:
        return untyped_decode(inv, e);
    case KEEL_CAP_CNODE:
        return cnode_decode(inv, e);
    case KEEL_CAP_TCB:
        return tcb_decode(inv, e);
    case KEEL_CAP_FRAME:
        return frame_decode(inv, e);
    case KEEL_CAP_PAGE_TABLE:
        return page_table_decode(inv, e);
    case KEEL_CAP_ASID_POOL:
        return asid_pool_decode(inv, e);
    case KEEL_CAP_ASID_CONTROL:
        return asid_control_decode(inv, e);
    case KEEL_CAP_SCHED_CONTROL:
        return sched_control_decode(inv, e);
    case KEEL_CAP_IRQ_CONTROL:
        return irq_control_decode(inv, e);
    case KEEL_CAP_IRQ_HANDLER:
        return irq_handler_decode(inv, e);
    case KEEL_CAP_SCHED_CONTEXT:
        return sched_context_decode(inv, e);
    default:
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, inv->slot->cap.type, 0, 0,
                        "invocation: this capability type has no methods");
    }
}

/* A failed syscall: the error code as the label, the detail in MR0-3. */
static void write_error(struct tcb *t, const char *what, int code, const struct kerr *e)
{
    if (CONFIG_DEBUG && ks.log_user_errors)
        kprintf("keel: tcb@%lx %s: %s -> %s (arg %lu)\n", (unsigned long)arch_kptr_to_paddr(t),
                what, e->why ? e->why : "", error_names[code], (unsigned long)e->arg);
    arch_ctx_set(&t->ctx, KEEL_REG_MR0, e->arg);
    arch_ctx_set(&t->ctx, KEEL_REG_MR1, e->v1);
    arch_ctx_set(&t->ctx, KEEL_REG_MR2, e->v2);
    arch_ctx_set(&t->ctx, KEEL_REG_MR3, e->v3);
    arch_ctx_set(&t->ctx, KEEL_REG_INFO, keel_msginfo((word_t)code, 0, 0, 4));
}

static void set_ok(struct tcb *t)
{
    arch_ctx_set(&t->ctx, KEEL_REG_INFO, keel_msginfo(KEEL_OK, 0, 0, 0));
}

static int handle_invocation(struct tcb *t, slot_t *slot)
{
    struct invocation inv;
    struct kerr e = {0};
    int r = decode_message(t, slot, &inv, &e);
    if (r == KEEL_OK)
        r = dispatch(&inv, &e);
    if (r == KEEL_PREEMPTED) {
        arch_ctx_restart_syscall(&t->ctx);
        ks.preemptions++;
    } else if (r != KEEL_OK) {
        const char *m = inv.label < KEEL_METHOD_COUNT ? method_names[inv.label] : 0;
        write_error(t, m ? m : "invocation", r, &e);
    } else {
        arch_ctx_set(&t->ctx, KEEL_REG_INFO, keel_msginfo(KEEL_OK, 0, 0, inv.nresults));
    }
    return r;
}

/* Call, Send, NBSend, and the send phase of NBSendRecv/NBSendWait: IPC
 * on endpoints, notifications and replies, else an invocation.  Returns
 * KEEL_OK if the send phase succeeded. */
static int handle_send(struct tcb *t, word_t flags, bool blocking)
{
    slot_t *s;
    struct kerr e = {0};
    int r = cspace_lookup_cap(t, arch_ctx_get(&t->ctx, KEEL_REG_CPTR), KEEL_ARG_SERVICE, &s, &e);
    if (r != KEEL_OK) {
        write_error(t, "send", r, &e);
        return r;
    }
    const cap_t *c = &s->cap;
    switch (c->type) {
    case KEEL_CAP_ENDPOINT:
        if (!(c->rights & KEEL_RIGHT_WRITE))
            r = kerr_set(&e, KEEL_INVALID_CAPABILITY, KEEL_ARG_SERVICE, c->type, c->rights, 0,
                         "send: endpoint capability without Write");
        else if ((r = check_length(t, &e)) == KEEL_OK) {
            if (c->rights & KEEL_RIGHT_GRANT)
                flags |= IPC_F_GRANT;
            if (c->rights & KEEL_RIGHT_GRANT_REPLY)
                flags |= IPC_F_GRANT_REPLY;
            if (!ep_send((struct endpoint *)c->obj, t, c->data, flags, blocking))
                set_ok(t); /* NBSend with no receiver: dropped */
        }
        break;
    case KEEL_CAP_NOTIFICATION:
        if (!(c->rights & KEEL_RIGHT_WRITE))
            r = kerr_set(&e, KEEL_INVALID_CAPABILITY, KEEL_ARG_SERVICE, c->type, c->rights, 0,
                         "signal: notification capability without Write");
        else {
            ntfn_signal((struct notification *)c->obj, c->data);
            set_ok(t);
        }
        break;
    case KEEL_CAP_REPLY:
        if ((r = check_length(t, &e)) == KEEL_OK) {
            reply_send((struct reply *)c->obj, t, c->rights & KEEL_RIGHT_GRANT);
            set_ok(t);
        }
        break;
    default:
        return handle_invocation(t, s);
    }
    if (r != KEEL_OK)
        write_error(t, "send", r, &e);
    return r;
}

/* The Reply object named by the REPLY register (0: none).  False if it
 * names something else: the thread has taken a cap fault. */
static bool lookup_reply(struct tcb *t, slot_t **out)
{
    word_t cptr = arch_ctx_get(&t->ctx, KEEL_REG_REPLY);
    struct kerr e = {0};
    *out = 0;
    if (cptr == 0)
        return true;
    int r = cspace_lookup_cap(t, cptr, 0, out, &e);
    if (r == KEEL_OK && (*out)->cap.type != KEEL_CAP_REPLY)
        r = kerr_set(&e, KEEL_INVALID_CAPABILITY, 0, (*out)->cap.type, 0, 0,
                     "receive: the reply capability is not a Reply");
    if (r != KEEL_OK)
        fault_cap(t, cptr, true, r, &e);
    return r == KEEL_OK;
}

/* Recv, NBRecv, Wait, NBWait and receive phases: on an endpoint (Read)
 * or a notification (Read; bound to no other thread). */
static void handle_recv(struct tcb *t, word_t cptr, bool blocking, bool with_reply)
{
    slot_t *s, *rs = 0;
    struct kerr e = {0};
    int r = cspace_lookup_cap(t, cptr, 0, &s, &e);
    if (r != KEEL_OK) {
        fault_cap(t, cptr, true, r, &e);
        return;
    }
    const cap_t *c = &s->cap;
    if (c->type == KEEL_CAP_ENDPOINT && (c->rights & KEEL_RIGHT_READ)) {
        if (!with_reply || lookup_reply(t, &rs))
            ep_receive((struct endpoint *)c->obj, t, rs ? (struct reply *)rs->cap.obj : 0,
                       blocking);
        return;
    }
    struct notification *n = (struct notification *)c->obj;
    if (c->type == KEEL_CAP_NOTIFICATION && (c->rights & KEEL_RIGHT_READ) &&
        (!n->bound_tcb || n->bound_tcb == t)) {
        ntfn_wait(n, t, blocking);
        return;
    }
    kerr_set(&e, KEEL_INVALID_CAPABILITY, 0, c->type, c->rights, 0,
             "receive: needs an endpoint or notification cap with Read");
    fault_cap(t, cptr, true, KEEL_INVALID_CAPABILITY, &e);
}

/* DebugCapIdentify: the type of the capability at cptr, or 0. */
static void debug_identify(struct tcb *t)
{
    slot_t *s;
    struct kerr e;
    word_t type = 0;
    if (cspace_lookup_cap(t, arch_ctx_get(&t->ctx, KEEL_REG_CPTR), 0, &s, &e) == KEEL_OK)
        type = s->cap.type;
    arch_ctx_set(&t->ctx, KEEL_REG_MR0, type);
}

static void debug_snapshot(struct tcb *t)
{
    arch_ctx_set(&t->ctx, KEEL_REG_MR0 + KEEL_DBG_KERNEL_ENTRIES, ks.entries);
    arch_ctx_set(&t->ctx, KEEL_REG_MR0 + KEEL_DBG_PREEMPTIONS, ks.preemptions);
    arch_ctx_set(&t->ctx, KEEL_REG_MR0 + KEEL_DBG_LIVE_CAPS, kinv_count_caps());
    arch_ctx_set(&t->ctx, KEEL_REG_MR0 + KEEL_DBG_TIME_NS, (word_t)arch_time_now());
}

static inline __attribute__((always_inline)) void syscall_dispatch(struct tcb *t, word_t sysno,
                                                                  word_t cptr)
{
    slot_t *rs;
    if (CONFIG_FASTPATH && fastpath(t, sysno))
        return;
    switch (sysno) {
    case KEEL_SYS_CALL:
        handle_send(t, IPC_F_CALL, true);
        break;
    case KEEL_SYS_SEND:
        handle_send(t, 0, true);
        break;
    case KEEL_SYS_NB_SEND:
        handle_send(t, 0, false);
        break;
    case KEEL_SYS_RECV:
    case KEEL_SYS_NB_RECV:
        handle_recv(t, cptr, sysno == KEEL_SYS_RECV, true);
        break;
    case KEEL_SYS_WAIT:
    case KEEL_SYS_NB_WAIT:
        handle_recv(t, cptr, sysno == KEEL_SYS_WAIT, false);
        break;
    case KEEL_SYS_REPLY_RECV:
        if (!lookup_reply(t, &rs))
            break;
        if (rs) /* a reply longer than the replier can hold is cut to what it holds */
            reply_send((struct reply *)rs->cap.obj, t, rs->cap.rights & KEEL_RIGHT_GRANT);
        handle_recv(t, cptr, true, true);
        break;
    case KEEL_SYS_NB_SEND_RECV:
    case KEEL_SYS_NB_SEND_WAIT: {
        /* The send phase's OK is not a result: keep the message info, so
         * that a restarted syscall (a receive-phase fault, a Suspend while
         * receiving) sends the same message again, as seL4 does. */
        word_t info = arch_ctx_get(&t->ctx, KEEL_REG_INFO);
        /* The send phase may have stopped the thread (an invocation that
         * suspends or deletes its own TCB): then there is no receive.  It
         * gives the sender's scheduling context to a passive receiver
         * (MCS: no return guarantee). */
        if (handle_send(t, IPC_F_DONATE, false) != KEEL_OK || t->state != THREAD_RUNNING)
            break;
        arch_ctx_set(&t->ctx, KEEL_REG_INFO, info);
        handle_recv(t, arch_ctx_get(&t->ctx, KEEL_REG_SRC), true,
                    sysno == KEEL_SYS_NB_SEND_RECV);
        break;
    }
    case KEEL_SYS_YIELD:
        sched_yield_current();
        break;
    case KEEL_SYS_DEBUG_PUTCHAR:
        arch_putc((char)cptr);
        break;
    case KEEL_SYS_DEBUG_HALT:
        arch_halt((int)cptr);
        break;
    case KEEL_SYS_DEBUG_CAP_IDENTIFY:
        debug_identify(t);
        break;
    case KEEL_SYS_DEBUG_SNAPSHOT:
        debug_snapshot(t);
        break;
    default:
        fault_raise(t, KEEL_FAULT_UNKNOWN_SYSCALL, &sysno, 1);
        break;
    }
}

void kentry_syscall(void)
{
    struct tcb *t = ks.current;
    word_t sysno = arch_ctx_sysno(&t->ctx);
    word_t cptr = arch_ctx_get(&t->ctx, KEEL_REG_CPTR);
    kassert(!arch_irq_enabled());
    ks.entries++;
    if (trace_on())
        trace_record(KEEL_TRACE_SYSCALL, t, sysno, cptr, 0);
    syscall_dispatch(t, sysno, cptr);
    if (trace_on() && ks.trace_prev) /* (else the syscall destroyed its own thread) */
        trace_record(KEEL_TRACE_SYSCALL_EXIT, t, sysno,
                     keel_msginfo_label(arch_ctx_get(&t->ctx, KEEL_REG_INFO)), t->state);
}
