/*
 * kernel/fault.c - faults as IPC.  A faulting thread remembers the fault
 * (type and words) and Calls its fault endpoint, the capability copied
 * into its TCB by Configure; ipc.c builds the message from the fault when
 * a handler receives it (fault_message) and hands the handler's reply back
 * here (fault_reply).  With no handler the thread is suspended and the
 * kernel prints one line.  A timeout fault (sched.c, when a budget runs
 * out) goes to the timeout endpoint instead and is raised only if there
 * is one; it interrupts the thread between syscalls, so it is never
 * "restarted".
 */
#include "trace.h"

static const char *const fault_names[KEEL_FAULT_TYPE_COUNT] = {
    "no fault", "cap fault", "unknown syscall", "user exception", "timeout fault", "VM fault",
};

void fault_raise(struct tcb *t, word_t type, const word_t *words, unsigned n)
{
    const cap_t *h = &t->slots[type == KEEL_FAULT_TIMEOUT ? TCB_SLOT_TIMEOUT_EP
                                                            : TCB_SLOT_FAULT_EP].cap;
    t->fault_type = (uint8_t)type;
    for (unsigned i = 0; i < FAULT_WORDS; i++)
        t->fault[i] = i < n ? words[i] : 0;
    trace_emit(KEEL_TRACE_FAULT, t, type, t->fault[0], t->fault[1]);
    if (h->type != KEEL_CAP_ENDPOINT) {
        kprintf("keel: tcb@%lx: %s (%lx %lx) with no fault handler, thread suspended\n",
                (unsigned long)arch_kptr_to_paddr(t), fault_names[type],
                (unsigned long)t->fault[0], (unsigned long)t->fault[1]);
        thread_suspend(t);
        arch_ctx_restart_syscall(&t->ctx); /* a Resume faults again */
        return;
    }
    word_t flags = IPC_F_CALL;
    if (h->rights & KEEL_RIGHT_GRANT)
        flags |= IPC_F_GRANT;
    if (h->rights & KEEL_RIGHT_GRANT_REPLY)
        flags |= IPC_F_GRANT_REPLY;
    ep_send((struct endpoint *)h->obj, t, h->data, flags, true);
}

void fault_cap(struct tcb *t, word_t cptr, bool in_recv, int code, const struct kerr *e)
{
    word_t w[FAULT_WORDS] = {cptr, in_recv, (word_t)code, e->v1, e->v2, e->v3};
    /* The thread will execute its syscall again, whatever the handler
     * does: from now on its pc is the syscall's, so a handler that reads
     * the registers and writes them back changes nothing (on hardware the
     * pc would otherwise already be past the trap instruction). */
    arch_ctx_restart_syscall(&t->ctx);
    fault_raise(t, KEEL_FAULT_CAP, w, FAULT_WORDS);
}

/* The message words of t's fault (keel/fault.h); returns their number. */
word_t fault_message(const struct tcb *t, word_t *w)
{
    const arch_ctx_t *c = &t->ctx;
    switch (t->fault_type) {
    case KEEL_FAULT_CAP:
        w[0] = arch_ctx_user_get(c, KEEL_UREG_PC);
        for (unsigned i = 0; i < 6; i++)
            w[1 + i] = t->fault[i];
        return KEEL_CAP_FAULT_LENGTH;
    case KEEL_FAULT_UNKNOWN_SYSCALL:
        for (unsigned i = 0; i < KEEL_UREG_PORTABLE; i++)
            w[i] = arch_ctx_user_get(c, i);
        w[KEEL_UNKNOWN_SYSCALL_NUMBER] = t->fault[0];
        return KEEL_UNKNOWN_SYSCALL_LENGTH;
    case KEEL_FAULT_USER_EXCEPTION:
        w[0] = arch_ctx_user_get(c, KEEL_UREG_PC);
        w[1] = arch_ctx_user_get(c, KEEL_UREG_SP);
        w[2] = t->fault[0];
        w[3] = t->fault[1];
        return KEEL_USER_EXC_LENGTH;
    case KEEL_FAULT_TIMEOUT:
        w[0] = t->fault[0];
        w[1] = t->fault[1];
        return KEEL_TIMEOUT_FAULT_LENGTH;
    default: /* KEEL_FAULT_VM */
        w[0] = arch_ctx_user_get(c, KEEL_UREG_PC);
        w[1] = t->fault[0];
        w[2] = t->fault[1];
        w[3] = t->fault[2];
        return KEEL_VM_FAULT_LENGTH;
    }
}

/* The handler replied: registers 0..n-1 from the reply; label 0 resumes
 * the thread (a cap fault re-executes its syscall: fault_cap set that
 * up), any other label leaves it suspended, as seL4. */
void fault_reply(struct tcb *t, word_t label, const word_t *regs, word_t n)
{
    t->fault_type = KEEL_FAULT_NULL;
    for (word_t i = 0; i < n; i++)
        arch_ctx_user_set(&t->ctx, (unsigned)i, regs[i]);
    if (label != 0) {
        t->state = THREAD_INACTIVE;
        return;
    }
    sched_make_runnable(t);
}

void kentry_fault(unsigned type, keel_word_t w0, keel_word_t w1, keel_word_t w2)
{
    kassert(!arch_irq_enabled());
    ks.entries++;
    word_t w[3] = {w0, w1, w2};
    if (type != KEEL_FAULT_USER_EXCEPTION && type != KEEL_FAULT_VM)
        type = KEEL_FAULT_USER_EXCEPTION; /* a port bug; still stop the thread */
    fault_raise(ks.current, type, w, 3);
}
