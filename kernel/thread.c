/*
 * kernel/thread.c - threads: the TCB methods (Configure, priorities,
 * registers, Resume/Suspend, notification binding, IPC buffer), suspension
 * and destruction, and the IPC buffer lookup.
 *
 * A TCB holds copies of the capabilities it runs with (CSpace root, IPC
 * buffer frame, fault endpoint) in its own slots, so deleting the
 * originals does not leave it pointing at freed objects; the copies are
 * ordinary MDB children and go when their parents are revoked.
 *
 * Callers: syscall.c (tcb_decode), delete.c and object.c (suspend when a
 * TCB is destroyed), boot.c.
 */
#include "invoke.h"
#include "trace.h"

/* Alignment of an IPC buffer: its size, 1 KiB with 64-bit words, 512 B
 * with 32-bit ones (with the default message size). */
#define IPC_BUFFER_BITS (sizeof(word_t) == 8 ? 10u : 9u)
_Static_assert(sizeof(struct keel_ipc_buffer) <= (1u << (sizeof(word_t) == 8 ? 10 : 9)), "IPC buffer size");

struct keel_ipc_buffer *tcb_ipc_buffer(const struct tcb *t)
{
    const cap_t *f = &t->slots[TCB_SLOT_IPC_BUFFER].cap;
    if (f->type != KEEL_CAP_FRAME)
        return 0;
    return (struct keel_ipc_buffer *)(f->obj + (t->ipc_buffer_user & MASK(f->bits)));
}

static bool is_blocked(const struct tcb *t)
{
    return t->state >= THREAD_BLOCKED_SEND && t->state <= THREAD_BLOCKED_NTFN;
}

/* Stop t.  A thread stopped in the middle of an IPC leaves it and will
 * execute that syscall again when resumed (seL4's Restart). */
void thread_suspend(struct tcb *t)
{
    if (t->state == THREAD_INACTIVE || t->state == THREAD_IDLE)
        return;
    if (is_blocked(t)) {
        ipc_cancel(t);
        if (t->fault_type != KEEL_FAULT_TIMEOUT) /* that came between syscalls */
            arch_ctx_restart_syscall(&t->ctx);
    }
    t->fault_type = KEEL_FAULT_NULL;
    trace_emit(KEEL_TRACE_STATE, t, KEEL_TRACE_ST_INACTIVE, t->state, 0);
    sc_yield_cancel(t);
    sched_dequeue(t);
    t->state = THREAD_INACTIVE;
}

void thread_resume(struct tcb *t)
{
    if (t->state == THREAD_INACTIVE)
        sched_make_runnable(t);
}

/* The TCB's last capability is gone: no kernel object may keep pointing
 * at it. */
void thread_destroy(struct tcb *t)
{
    thread_suspend(t);
    if (t->bound_ntfn)
        ntfn_unbind(t->bound_ntfn);
    if (t->sc)
        sc_move(t->sc, 0);
    sched_forget(t);
    arch_ctx_release(&t->ctx);
}

/* ---- decoding ---- */

static struct tcb *target(const struct invocation *inv)
{
    return (struct tcb *)inv->slot->cap.obj;
}

static int not_self(const struct invocation *inv, const char *why, struct kerr *e)
{
    if (target(inv) == inv->thread)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_TCB, 0, 0, why);
    return KEEL_OK;
}

/* An IPC buffer: address `buf` (MR arg) in the frame at `frame` (may be
 * 0 together with buf 0: no buffer). */
static int check_buffer(word_t buf, const slot_t *frame, word_t arg, struct kerr *e)
{
    if (!frame) {
        if (buf != 0)
            return kerr_set(e, KEEL_INVALID_ARGUMENT, arg, buf, 0, 0,
                            "TCB: an IPC buffer address needs a frame");
        return KEEL_OK;
    }
    if (frame->cap.type != KEEL_CAP_FRAME)
        return kerr_set(e, KEEL_INVALID_CAPABILITY, arg + 1, frame->cap.type, 0, 0,
                        "TCB: the IPC buffer must be in a Frame");
    if (!is_aligned(buf, IPC_BUFFER_BITS))
        return kerr_set(e, KEEL_ALIGNMENT_ERROR, arg, buf, IPC_BUFFER_BITS, 0,
                        "TCB: IPC buffer address misaligned");
    return KEEL_OK;
}

/* Replace the cap in TCB slot `i` of the invoked TCB by a copy of src's
 * (or nothing).  Deleting the old cap can delete a CNode, and with it src
 * or even the invoked TCB cap (a thread re-configuring itself out of its
 * only CSpace); then there is nothing left to copy into. */
static int set_slot(const struct invocation *inv, unsigned i, slot_t *src)
{
    struct tcb *t = target(inv);
    slot_t *dst = &t->slots[i];
    int r = slot_delete(dst);
    if (r != KEEL_OK || !src || cap_is_null(&src->cap) ||
        inv->slot->cap.type != KEEL_CAP_TCB || inv->slot->cap.obj != (word_t)t)
        return r;
    cap_t c = src->cap;
    struct kerr ignored;
    c.flags &= (uint8_t)~(CAP_F_REVOCABLE | CAP_F_FIRST_BADGED);
    (void)vspace_derive(&c, &ignored); /* a frame's copy is unmapped; Configure took a root */
    mdb_insert_after(src, dst, &c);
    return KEEL_OK;
}

static bool valid_fault_ep(const cap_t *c)
{
    return c->type == KEEL_CAP_ENDPOINT && (c->rights & KEEL_RIGHT_WRITE) &&
           (c->rights & (KEEL_RIGHT_GRANT | KEEL_RIGHT_GRANT_REPLY));
}

static int decode_configure(struct invocation *inv, struct kerr *e)
{
    slot_t *fault, *cspace, *vspace, *frame;
    int r = inv_need(inv, 7, 0, e);
    if (r == KEEL_OK)
        r = inv_lookup_opt(inv, 0, &fault, e);
    if (r == KEEL_OK)
        r = inv_lookup_opt(inv, 1, &cspace, e);
    if (r == KEEL_OK)
        r = inv_lookup_opt(inv, 3, &vspace, e);
    if (r == KEEL_OK)
        r = inv_lookup_opt(inv, 6, &frame, e);
    if (r != KEEL_OK)
        return r;
    if (fault && !valid_fault_ep(&fault->cap))
        return kerr_set(e, KEEL_INVALID_CAPABILITY, 0, fault->cap.type, fault->cap.rights, 0,
                        "Configure: fault endpoint needs Write and Grant or GrantReply");
    if (!cspace || cspace->cap.type != KEEL_CAP_CNODE)
        return kerr_set(e, KEEL_INVALID_CAPABILITY, 1, cspace ? cspace->cap.type : 0, 0, 0,
                        "Configure: the CSpace root must be a CNode");
    cap_t croot = cspace->cap;
    if (inv_mr(inv, 2) != 0 && (r = cap_update_data(&croot, inv_mr(inv, 2), false, 2, e)))
        return r;
    if (vspace && !vspace_is_root(&vspace->cap))
        return kerr_set(e, KEEL_INVALID_CAPABILITY, 3, vspace->cap.type, 0, 0,
                        "Configure: the VSpace must be a PageTable with an ASID (or 0)");
    if ((r = check_buffer(inv_mr(inv, 5), frame, 5, e)) != KEEL_OK)
        return r;

    struct tcb *t = target(inv);
    if ((r = set_slot(inv, TCB_SLOT_FAULT_EP, fault)) != KEEL_OK ||
        (r = set_slot(inv, TCB_SLOT_CSPACE, cspace)) != KEEL_OK ||
        (r = set_slot(inv, TCB_SLOT_VSPACE, vspace)) != KEEL_OK ||
        (r = set_slot(inv, TCB_SLOT_IPC_BUFFER, frame)) != KEEL_OK)
        return r;
    /* Mutate-style guard change on the TCB's own copy. */
    if (t->slots[TCB_SLOT_CSPACE].cap.type == KEEL_CAP_CNODE) {
        t->slots[TCB_SLOT_CSPACE].cap.data = croot.data;
        t->slots[TCB_SLOT_CSPACE].cap.aux = croot.aux;
    }
    t->ipc_buffer_user = inv_mr(inv, 5);
    return KEEL_OK;
}

static int decode_set_ipc_buffer(struct invocation *inv, struct kerr *e)
{
    slot_t *frame;
    int r = inv_need(inv, 2, 0, e);
    if (r == KEEL_OK)
        r = inv_lookup_opt(inv, 1, &frame, e);
    if (r == KEEL_OK)
        r = check_buffer(inv_mr(inv, 0), frame, 0, e);
    if (r != KEEL_OK)
        return r;
    struct tcb *t = target(inv);
    if ((r = set_slot(inv, TCB_SLOT_IPC_BUFFER, frame)) != KEEL_OK)
        return r;
    t->ipc_buffer_user = inv_mr(inv, 0);
    return KEEL_OK;
}

/* SetPriority and SetMCPriority: the value must not exceed the MCP of
 * the authority TCB (extra cap 0). */
static int decode_priority(struct invocation *inv, struct kerr *e)
{
    int r = inv_need(inv, 1, 1, e);
    if (r != KEEL_OK)
        return r;
    const cap_t *auth = &inv->extra[0]->cap;
    if (auth->type != KEEL_CAP_TCB)
        return kerr_set(e, KEEL_INVALID_CAPABILITY, KEEL_ARG_CAP(0), auth->type, 0, 0,
                        "priority: the authority must be a TCB");
    word_t v = inv_mr(inv, 0), mcp = ((struct tcb *)auth->obj)->mcp;
    if (v > mcp)
        return kerr_set(e, KEEL_RANGE_ERROR, 0, 0, mcp, v,
                        "priority: above the authority's maximum controlled priority");
    struct tcb *t = target(inv);
    if (inv->label == KEEL_TCB_SET_PRIORITY)
        sched_set_priority(t, v);
    else
        t->mcp = (uint8_t)v;
    return KEEL_OK;
}

static int decode_read_registers(struct invocation *inv, struct kerr *e)
{
    int r = inv_need(inv, 2, 0, e);
    if (r == KEEL_OK)
        r = not_self(inv, "ReadRegisters: a thread cannot read its own registers", e);
    if (r != KEEL_OK)
        return r;
    word_t n = inv_mr(inv, 1), max = ARCH_USER_REGS;
    if (max > inv_capacity(inv))
        max = inv_capacity(inv);
    if (n > max)
        return kerr_set(e, KEEL_RANGE_ERROR, 1, 0, max, n,
                        "ReadRegisters: count beyond the frame or the message");
    struct tcb *t = target(inv);
    if (inv_mr(inv, 0))
        thread_suspend(t);
    for (word_t i = 0; i < n; i++)
        inv_set_result(inv, i, arch_ctx_user_get(&t->ctx, (unsigned)i));
    return KEEL_OK;
}

static int decode_write_registers(struct invocation *inv, struct kerr *e)
{
    int r = inv_need(inv, 2, 0, e);
    if (r == KEEL_OK)
        r = not_self(inv, "WriteRegisters: a thread cannot write its own registers", e);
    if (r != KEEL_OK)
        return r;
    word_t n = inv_mr(inv, 1);
    if (n > ARCH_USER_REGS)
        return kerr_set(e, KEEL_RANGE_ERROR, 1, 0, ARCH_USER_REGS, n,
                        "WriteRegisters: count beyond the register frame");
    if ((r = inv_need(inv, 2 + n, 0, e)) != KEEL_OK)
        return r;
    struct tcb *t = target(inv);
    for (word_t i = 0; i < n; i++)
        arch_ctx_user_set(&t->ctx, (unsigned)i, inv_mr(inv, 2 + i));
    if (inv_mr(inv, 0))
        thread_resume(t);
    return KEEL_OK;
}

/* SetTimeoutEndpoint(ep cptr, 0: none): where timeout faults go. */
static int decode_set_timeout_ep(struct invocation *inv, struct kerr *e)
{
    slot_t *ep;
    int r = inv_need(inv, 1, 0, e);
    if (r == KEEL_OK)
        r = inv_lookup_opt(inv, 0, &ep, e);
    if (r != KEEL_OK)
        return r;
    if (ep && !valid_fault_ep(&ep->cap))
        return kerr_set(e, KEEL_INVALID_CAPABILITY, 0, ep->cap.type, ep->cap.rights, 0,
                        "SetTimeoutEndpoint: needs an endpoint with Write and Grant or GrantReply");
    return set_slot(inv, TCB_SLOT_TIMEOUT_EP, ep);
}

static int decode_bind(struct invocation *inv, struct kerr *e)
{
    int r = inv_need(inv, 0, 1, e);
    if (r != KEEL_OK)
        return r;
    const cap_t *c = &inv->extra[0]->cap;
    struct tcb *t = target(inv);
    if (c->type != KEEL_CAP_NOTIFICATION || !(c->rights & KEEL_RIGHT_READ))
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_CAP(0), c->type, c->rights, 0,
                        "BindNotification: needs a notification cap with Read");
    struct notification *n = (struct notification *)c->obj;
    if (t->bound_ntfn)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_TCB, 0, 0,
                        "BindNotification: the thread already has a notification");
    if (n->bound_tcb || n->state == NTFN_WAITING)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_CAP(0), KEEL_CAP_NOTIFICATION, 0, 0,
                        "BindNotification: notification is bound or has waiters");
    n->bound_tcb = t;
    t->bound_ntfn = n;
    return KEEL_OK;
}

int tcb_decode(struct invocation *inv, struct kerr *e)
{
    struct tcb *t = target(inv);
    switch (inv->label) {
    case KEEL_TCB_CONFIGURE:
        return decode_configure(inv, e);
    case KEEL_TCB_SET_PRIORITY:
    case KEEL_TCB_SET_MC_PRIORITY:
        return decode_priority(inv, e);
    case KEEL_TCB_SET_IPC_BUFFER:
        return decode_set_ipc_buffer(inv, e);
    case KEEL_TCB_READ_REGISTERS:
        return decode_read_registers(inv, e);
    case KEEL_TCB_WRITE_REGISTERS:
        return decode_write_registers(inv, e);
    case KEEL_TCB_RESUME:
        thread_resume(t);
        return KEEL_OK;
    case KEEL_TCB_SUSPEND:
        thread_suspend(t);
        return KEEL_OK;
    case KEEL_TCB_BIND_NOTIFICATION:
        return decode_bind(inv, e);
    case KEEL_TCB_SET_TIMEOUT_ENDPOINT:
        return decode_set_timeout_ep(inv, e);
    case KEEL_TCB_UNBIND_NOTIFICATION:
        if (!t->bound_ntfn)
            return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_TCB, 0, 0,
                            "UnbindNotification: no notification is bound");
        ntfn_unbind(t->bound_ntfn);
        return KEEL_OK;
    default:
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_TCB, 0, 0,
                        "TCB: unknown method");
    }
}
