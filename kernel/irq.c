/*
 * kernel/irq.c - interrupts: the kernel's entry for them, and user-level
 * drivers' IRQControl and IRQHandler capabilities.
 *
 * After seL4: IRQControl_Get makes the one IRQHandler cap of a line (a
 * second Get fails with RevokeFirst until every cap to it is deleted);
 * IRQHandler_SetNotification names a notification (and its badge) that the
 * line signals; Clear forgets it.  When the line fires the kernel masks
 * it, signals, and acknowledges it at the interrupt controller; the driver
 * handles its device and calls IRQHandler_Ack, which unmasks the line.  A
 * line with a handler but no notification is masked until an Ack.  The
 * timer line (ARCH_IRQ_TIMER) is the kernel's.
 *
 * Callers: the ports (kentry_irq), syscall.c (the decoders), object.c
 * (deleting handlers and notifications).
 */
#include "invoke.h"
#include "state.h"
#include "trace.h"

void kentry_irq(unsigned irq)
{
    kassert(!arch_irq_enabled());
    ks.entries++;
    ks.exit_decided = false; /* the interrupt may change who runs */
    trace_emit(KEEL_TRACE_IRQ, ks.current, irq, 0, 0);
    if (irq == ARCH_IRQ_TIMER) {
        sched_tick();
        return;
    }
    /* End of interrupt first: a controller may ignore it for a masked
     * line (the PLIC does), which would leave the line claimed for good. */
    arch_irq_ack(irq);
    arch_irq_mask(irq, true); /* until the driver's Ack */
    if (irq < ARCH_NUM_IRQS && ks.irq[irq].ntfn)
        ntfn_signal(ks.irq[irq].ntfn, ks.irq[irq].badge);
    else if (irq >= ARCH_NUM_IRQS || !ks.irq[irq].issued)
        kprintf("keel: interrupt %u has no handler: masked\n", irq);
}

/* IRQControl_Get(irq, dest: extra cap 0 = CNode root, index, depth). */
int irq_control_decode(struct invocation *inv, struct kerr *e)
{
    slot_t *dest;
    if (inv->label != KEEL_IRQ_CONTROL_GET)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_IRQ_CONTROL, 0, 0,
                        "IRQControl: unknown method");
    int r = inv_need(inv, 3, 1, e);
    if (r != KEEL_OK)
        return r;
    word_t irq = inv_mr(inv, 0);
    if (irq >= ARCH_NUM_IRQS || irq == ARCH_IRQ_TIMER)
        return kerr_set(e, KEEL_RANGE_ERROR, 0, ARCH_IRQ_TIMER == 0 ? 1 : 0, ARCH_NUM_IRQS - 1, irq,
                        "IRQControl_Get: no such line (or the kernel's timer)");
    if (ks.irq[irq].issued)
        return kerr_set(e, KEEL_REVOKE_FIRST, 0, irq, 0, 0,
                        "IRQControl_Get: the line has a handler already");
    const cap_t *root = &inv->extra[0]->cap;
    if (root->type != KEEL_CAP_CNODE)
        return kerr_set(e, KEEL_FAILED_LOOKUP, KEEL_ARG_CAP(0), KEEL_LOOKUP_INVALID_ROOT,
                        inv_mr(inv, 2), 0, "IRQControl_Get: the destination root is not a CNode");
    if ((r = cspace_lookup_slot(root, inv_mr(inv, 1), inv_mr(inv, 2), 1, &dest, e)) != KEEL_OK)
        return r;
    if (!cap_is_null(&dest->cap))
        return kerr_set(e, KEEL_DELETE_FIRST, 1, 0, 0, 0,
                        "IRQControl_Get: destination slot not empty");
    cap_t c = {.type = KEEL_CAP_IRQ_HANDLER, .rights = KEEL_RIGHTS_ALL, .data = irq,
               .flags = CAP_F_REVOCABLE};
    mdb_insert_after(inv->slot, dest, &c);
    ks.irq[irq].issued = true;
    arch_irq_mask((unsigned)irq, false);
    return KEEL_OK;
}

int irq_handler_decode(struct invocation *inv, struct kerr *e)
{
    word_t irq = inv->slot->cap.data;
    struct irq_line *l = &ks.irq[irq];
    switch (inv->label) {
    case KEEL_IRQ_HANDLER_ACK:
        arch_irq_mask((unsigned)irq, false);
        return KEEL_OK;
    case KEEL_IRQ_HANDLER_CLEAR:
        l->ntfn = 0;
        l->badge = 0;
        return KEEL_OK;
    case KEEL_IRQ_HANDLER_SET_NOTIFICATION: {
        int r = inv_need(inv, 0, 1, e);
        if (r != KEEL_OK)
            return r;
        const cap_t *n = &inv->extra[0]->cap;
        if (n->type != KEEL_CAP_NOTIFICATION || !(n->rights & KEEL_RIGHT_WRITE))
            return kerr_set(e, KEEL_INVALID_CAPABILITY, KEEL_ARG_CAP(0), n->type, n->rights, 0,
                            "IRQHandler_SetNotification: needs a notification cap with Write");
        l->ntfn = (struct notification *)n->obj;
        l->badge = n->data;
        return KEEL_OK;
    }
    default:
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_IRQ_HANDLER, 0, 0,
                        "IRQHandler: unknown method");
    }
}

/* The last IRQHandler cap of the line is gone: the line is free again. */
void irq_handler_deleted(word_t irq)
{
    if (irq >= ARCH_NUM_IRQS)
        return;
    ks.irq[irq] = (struct irq_line){0};
    arch_irq_mask((unsigned)irq, true);
}

/* A notification is being destroyed: no line may signal it any more. */
void irq_forget_ntfn(const struct notification *n)
{
    for (unsigned i = 0; i < ARCH_NUM_IRQS; i++)
        if (ks.irq[i].ntfn == n) {
            ks.irq[i].ntfn = 0;
            ks.irq[i].badge = 0;
        }
}
