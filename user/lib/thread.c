/*
 * user/lib/thread.c - creating threads the way most programs want them:
 * a TCB and an IPC buffer frame from the object allocator, the creator's
 * CSpace (the allocator's CNode), an address space (the allocator's, or
 * one from keel_vspace_create, with the IPC buffer mapped), a priority, a fault
 * endpoint, and the first registers (entry, stack, thread pointer = the
 * IPC buffer so that keel_ipc_buffer() works from the first instruction,
 * and the entry's argument); and its time: a scheduling context of its
 * own (a thread without one runs only on a context lent to it).
 */
#include <libkeel.h>

keel_error_t keel_thread_create(struct keel_alloc *a, struct keel_thread *t,
                                void (*entry)(keel_word_t), keel_word_t arg, void *stack_top,
                                keel_word_t prio, keel_cptr_t fault_ep)
{
    return keel_thread_create_in(a, t, a->vspace, entry, arg, stack_top, prio, fault_ep);
}

/* The IPC buffer frame, reachable by the thread in vspace. */
static keel_error_t ipc_buffer_frame(struct keel_alloc *a, keel_cptr_t vspace,
                                     keel_cptr_t frame, keel_word_t *vaddr)
{
    if (vspace == a->vspace)
        return keel_frame_vaddr(a, frame, KEEL_PAGE_BITS, vaddr);
    *vaddr = keel_alloc_vaddr(a, 1ul << KEEL_PAGE_BITS, KEEL_PAGE_BITS);
    if (*vaddr == 0)
        return KEEL_NOT_ENOUGH_MEMORY;
    return keel_map_frame(a, vspace, frame, *vaddr, KEEL_RIGHT_READ | KEEL_RIGHT_WRITE,
                          KEEL_MAP_EXECUTE_NEVER);
}

keel_error_t keel_thread_create_in(struct keel_alloc *a, struct keel_thread *t,
                                   keel_cptr_t vspace, void (*entry)(keel_word_t),
                                   keel_word_t arg, void *stack_top, keel_word_t prio,
                                   keel_cptr_t fault_ep)
{
    keel_word_t vaddr = 0;
    t->sc = 0;
    keel_error_t r = keel_alloc_object(a, KEEL_OBJ_TCB, 0, &t->tcb);
    if (r == KEEL_OK)
        r = keel_alloc_object(a, KEEL_OBJ_FRAME, KEEL_PAGE_BITS, &t->ipc_frame);
    if (r == KEEL_OK)
        r = ipc_buffer_frame(a, vspace, t->ipc_frame, &vaddr);
    if (r == KEEL_OK && vaddr == 0)
        r = KEEL_ILLEGAL_OPERATION; /* no address and no VSpace to map it into */
    if (r == KEEL_OK)
        r = keel_tcb_configure(t->tcb, fault_ep, a->slots.cnode, 0, vspace, 0, vaddr,
                               t->ipc_frame);
    if (r == KEEL_OK)
        r = keel_tcb_set_priority(t->tcb, KEEL_SLOT_INIT_TCB, prio);
    if (r == KEEL_OK) {
        keel_word_t regs[KEEL_UREG_PORTABLE + 1] = {[KEEL_UREG_PC] = (keel_word_t)entry,
                                                    [KEEL_UREG_SP] = (keel_word_t)stack_top,
                                                    [KEEL_UREG_TLS] = vaddr,
                                                    [KEEL_UREG_ARG0] = arg};
        r = keel_tcb_write_registers(t->tcb, false, keel_arch_thread_frame(regs), regs);
    }
    t->ipc_buffer = (struct keel_ipc_buffer *)vaddr;
    return r;
}

keel_error_t keel_thread_give_time(struct keel_alloc *a, struct keel_thread *t,
                                   keel_cptr_t sched_control, keel_word_t budget_us,
                                   keel_word_t period_us, keel_word_t flags)
{
    keel_cptr_t sc;
    keel_error_t r = keel_alloc_object(a, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS, &sc);
    if (r == KEEL_OK)
        r = keel_sched_control_configure(sched_control, sc, budget_us, period_us, 0, 0, flags);
    if (r == KEEL_OK)
        r = keel_sched_context_bind(sc, t->tcb);
    if (r == KEEL_OK)
        t->sc = sc;
    return r;
}

keel_error_t keel_thread_start(struct keel_thread *t)
{
    return keel_tcb_resume(t->tcb);
}
