/*
 * kernel/thread.c - threads as far as the capability core needs them: the
 * current thread, a round-robin ready queue with a timer-driven time slice,
 * suspension, the idle thread and the IPC buffer lookup.
 *
 * The full scheduler (256 priorities, O(1) selection) and the TCB methods
 * come with issue 3; this file keeps their shape: sched_* own the ready
 * queue, a thread is in it iff it is THREAD_RUNNING and not current.
 */
#include "state.h"

static bool in_queue(const struct tcb *t)
{
    return t->sched_prev || t->sched_next || ks.ready_head == t;
}

void sched_make_runnable(struct tcb *t)
{
    t->state = THREAD_RUNNING;
    if (ks.timeslice_end == 0) { /* the CPU was idle: start a slice */
        ks.timeslice_end = arch_time_now() + CONFIG_TIMESLICE_NS;
        arch_timer_set(ks.timeslice_end);
    }
    if (t == ks.current || in_queue(t))
        return;
    t->sched_prev = ks.ready_tail;
    t->sched_next = 0;
    if (ks.ready_tail)
        ks.ready_tail->sched_next = t;
    else
        ks.ready_head = t;
    ks.ready_tail = t;
}

static void queue_unlink(struct tcb *t)
{
    if (!in_queue(t))
        return;
    if (t->sched_prev)
        t->sched_prev->sched_next = t->sched_next;
    else
        ks.ready_head = t->sched_next;
    if (t->sched_next)
        t->sched_next->sched_prev = t->sched_prev;
    else
        ks.ready_tail = t->sched_prev;
    t->sched_prev = t->sched_next = 0;
}

/* Take t off the CPU (if current) and out of the ready queue. */
void sched_remove(struct tcb *t)
{
    queue_unlink(t);
    if (ks.current == t)
        ks.current = &ks.idle;
}

/* The time slice ended: rotate the ready queue and arm the next slice,
 * or leave the timer off when nothing is runnable (tickless idle). */
void sched_tick(void)
{
    struct tcb *t = ks.current;
    if (t != &ks.idle && t->state == THREAD_RUNNING) {
        ks.current = &ks.idle;
        sched_make_runnable(t);
    }
    if (ks.ready_head || ks.current != &ks.idle) {
        ks.timeslice_end = arch_time_now() + CONFIG_TIMESLICE_NS;
        arch_timer_set(ks.timeslice_end);
    } else {
        ks.timeslice_end = 0;
        arch_timer_set(UINT64_MAX);
    }
}

void thread_suspend(struct tcb *t)
{
    sched_remove(t);
    t->state = THREAD_INACTIVE;
}

struct keel_ipc_buffer *tcb_ipc_buffer(const struct tcb *t)
{
    const cap_t *f = &t->slots[TCB_SLOT_IPC_BUFFER].cap;
    if (f->type != KEEL_CAP_FRAME)
        return 0;
    return (struct keel_ipc_buffer *)(f->obj + (t->ipc_buffer_user & MASK(f->bits)));
}

arch_ctx_t *kentry_exit_ctx(void)
{
    if (ks.current == &ks.idle && ks.ready_head) {
        struct tcb *t = ks.ready_head;
        queue_unlink(t);
        ks.current = t;
    }
    return ks.current == &ks.idle ? 0 : &ks.current->ctx;
}

void kentry_irq(unsigned irq)
{
    kassert(!arch_irq_enabled());
    ks.entries++;
    if (irq == ARCH_IRQ_TIMER) {
        sched_tick();
        return;
    }
    /* IRQHandler caps and notification delivery arrive with the ports'
     * interrupt support; an unexpected line is masked so it cannot storm. */
    kprintf("keel: unexpected interrupt %u masked\n", irq);
    arch_irq_mask(irq, true);
}
