/*
 * user/lib/arch/sim/sim_syscall.c - libkeel's arch layer on the sim: the
 * syscall "instruction" is a call into the sim machine, which switches from
 * this thread's fiber to the kernel; the thread pointer is the fiber's tls
 * word.  sim_entry_root() is the root task's first code (its crt0).  The
 * test hooks trap with sim-only numbers the port turns into faults, or
 * (keel_test_compute) into virtual time passing without a syscall.
 */
#include <libkeel.h>
#include "sim.h"

/* A sim thread whose entry returns traps as syscall 0 already. */
unsigned keel_arch_thread_frame(keel_word_t *regs)
{
    (void)regs;
    return 4;
}

struct keel_ipc_buffer *keel_ipc_buffer(void)
{
    return (struct keel_ipc_buffer *)sim_tls_get();
}

void keel_set_ipc_buffer(struct keel_ipc_buffer *b)
{
    sim_tls_set((keel_word_t)b);
}

void keel_test_user_exception(keel_word_t number, keel_word_t code)
{
    keel_word_t regs[KEEL_REG_COUNT] = {number, code};
    sim_syscall(SIM_TRAP_USER_EXCEPTION, regs);
}

void keel_test_vm_fault(keel_word_t addr)
{
    keel_word_t regs[KEEL_REG_COUNT] = {addr};
    sim_syscall(SIM_TRAP_VM_FAULT, regs);
}

void keel_test_compute(keel_word_t ns)
{
    while (ns) {
        keel_word_t regs[KEEL_REG_COUNT] = {ns};
        sim_syscall(SIM_TRAP_COMPUTE, regs);
        ns = regs[0];
    }
}

void sim_entry_root(keel_word_t bootinfo)
{
    const struct keel_bootinfo *bi = (const struct keel_bootinfo *)bootinfo;
    keel_runtime_init(bi);
    keel_debug_halt(sim_root_main()(bi));
}
