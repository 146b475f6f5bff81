/*
 * kernel/syscall.c - the syscall entry: decoding the trap, looking up the
 * invoked capability and the extra capabilities, dispatching to the
 * object's decoder and writing the result back.
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
#include "state.h"

struct kstate ks;

static const char *const method_names[KEEL_METHOD_COUNT] = {
    [KEEL_UNTYPED_RETYPE] = "Untyped_Retype", [KEEL_CNODE_REVOKE] = "CNode_Revoke",
    [KEEL_CNODE_DELETE] = "CNode_Delete",     [KEEL_CNODE_COPY] = "CNode_Copy",
    [KEEL_CNODE_MINT] = "CNode_Mint",         [KEEL_CNODE_MOVE] = "CNode_Move",
    [KEEL_CNODE_MUTATE] = "CNode_Mutate",     [KEEL_CNODE_ROTATE] = "CNode_Rotate",
};

static const char *const error_names[KEEL_ERROR_COUNT] = {
    "OK", "InvalidArgument", "InvalidCapability", "IllegalOperation", "RangeError",
    "AlignmentError", "FailedLookup", "TruncatedMessage", "DeleteFirst", "RevokeFirst",
    "NotEnoughMemory",
};

word_t inv_mr(const struct invocation *inv, word_t i)
{
    if (i < KEEL_MSG_REGS)
        return arch_ctx_get(&inv->thread->ctx, KEEL_REG_MR0 + (unsigned)i);
    return inv->buf->msg[i];
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

/* Fill inv from the current thread's registers and IPC buffer. */
static int decode_message(struct tcb *t, struct invocation *inv, struct kerr *e)
{
    word_t info = arch_ctx_get(&t->ctx, KEEL_REG_INFO);
    *inv = (struct invocation){.thread = t, .buf = tcb_ipc_buffer(t),
                               .label = keel_msginfo_label(info),
                               .length = keel_msginfo_length(info),
                               .nextra = keel_msginfo_extra_caps(info)};
    word_t avail = inv->buf ? KEEL_MSG_MAX_LENGTH : KEEL_MSG_REGS;
    if (inv->length > avail)
        return kerr_set(e, KEEL_RANGE_ERROR, KEEL_ARG_SERVICE, 0, avail, inv->length,
                        "invocation: message longer than the thread's message registers");
    if (inv->nextra > 0 && !inv->buf)
        return kerr_set(e, KEEL_TRUNCATED_MESSAGE, KEEL_ARG_SERVICE, inv->nextra, 0, 0,
                        "invocation: extra caps need an IPC buffer");
    int r = cspace_lookup_cap(t, arch_ctx_get(&t->ctx, KEEL_REG_CPTR), KEEL_ARG_SERVICE,
                              &inv->slot, e);
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
    default:
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, inv->slot->cap.type, 0, 0,
                        "invocation: this capability type has no methods yet");
    }
}

static void log_error(const struct tcb *t, const struct invocation *inv, int code,
                      const struct kerr *e)
{
    const char *m = inv->label < KEEL_METHOD_COUNT ? method_names[inv->label] : 0;
    kprintf("keel: tcb@%lx %s: %s -> %s (arg %lu)\n", (unsigned long)arch_kptr_to_paddr(t),
            m ? m : "invocation", e->why ? e->why : "", error_names[code],
            (unsigned long)e->arg);
}

static void handle_invocation(struct tcb *t)
{
    struct invocation inv;
    struct kerr e = {0};
    int r = decode_message(t, &inv, &e);
    if (r == KEEL_OK)
        r = dispatch(&inv, &e);
    if (r == KEEL_PREEMPTED) {
        arch_ctx_restart_syscall(&t->ctx);
        ks.preemptions++;
        return;
    }
    if (r != KEEL_OK) {
        if (CONFIG_DEBUG && ks.log_user_errors)
            log_error(t, &inv, r, &e);
        inv.nresults = 4;
        arch_ctx_set(&t->ctx, KEEL_REG_MR0, e.arg);
        arch_ctx_set(&t->ctx, KEEL_REG_MR1, e.v1);
        arch_ctx_set(&t->ctx, KEEL_REG_MR2, e.v2);
        arch_ctx_set(&t->ctx, KEEL_REG_MR3, e.v3);
    }
    arch_ctx_set(&t->ctx, KEEL_REG_INFO, keel_msginfo((word_t)r, 0, 0, inv.nresults));
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

void kentry_syscall(void)
{
    struct tcb *t = ks.current;
    kassert(!arch_irq_enabled());
    ks.entries++;
    switch (arch_ctx_sysno(&t->ctx)) {
    case KEEL_SYS_CALL:
    case KEEL_SYS_SEND:
    case KEEL_SYS_NB_SEND:
        handle_invocation(t);
        break;
    case KEEL_SYS_YIELD:
        sched_remove(t);
        sched_make_runnable(t);
        break;
    case KEEL_SYS_DEBUG_PUTCHAR:
        arch_putc((char)arch_ctx_get(&t->ctx, KEEL_REG_CPTR));
        break;
    case KEEL_SYS_DEBUG_HALT:
        arch_halt((int)arch_ctx_get(&t->ctx, KEEL_REG_CPTR));
        break;
    case KEEL_SYS_DEBUG_CAP_IDENTIFY:
        debug_identify(t);
        break;
    case KEEL_SYS_DEBUG_SNAPSHOT:
        debug_snapshot(t);
        break;
    default:
        /* Fault delivery to a handler arrives with issue 3; until then the
         * thread is stopped and the rest of the system goes on. */
        kprintf("keel: tcb@%lx: unknown syscall %lu, thread suspended\n",
                (unsigned long)arch_kptr_to_paddr(t),
                (unsigned long)arch_ctx_sysno(&t->ctx));
        thread_suspend(t);
        break;
    }
}
