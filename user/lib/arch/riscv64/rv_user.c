/*
 * user/lib/arch/riscv64/rv_user.c - libkeel's arch layer on riscv64: the
 * syscall is an ecall with the eight syscall registers in a0..a7 and the
 * number in t0 (keel_arch.h, inline); the thread pointer tp holds
 * the IPC buffer; _start is the root task's first code (its crt0).  The
 * build links one program per image and names its root task with
 * --defsym=rv_root_task=<name>_root_task.
 *
 * memset and memcpy, which the compiler may call, come from
 * arch/common/memfuncs.c: user programs link no libc.
 *
 * The test hooks: keel_test_user_exception and keel_test_vm_fault are the
 * port's test traps (an ecall taken as that fault); keel_test_compute
 * spins on the time CSR, so it measures wall time, preemptions included.
 */
#include <libkeel.h>
#include <arch_types.h>
#include <keel_arch.h>

extern const struct keel_root_task rv_root_task;
void rv_user_start(keel_word_t bootinfo) __attribute__((noreturn, used));

/* The kernel starts the root task with a0 = the boot info and sp set. */
__asm__(".section .text.init, \"ax\"\n"
        ".globl _start\n"
        "_start:\n"
        "    call rv_user_start\n"
        "1:  j 1b\n"
        ".text\n");

void rv_user_start(keel_word_t bootinfo)
{
    const struct keel_bootinfo *bi = (const struct keel_bootinfo *)bootinfo;
    keel_runtime_init(bi);
    keel_debug_halt(rv_root_task.main(bi));
    for (;;) {
    }
}

/* Where a thread's entry function returns to: syscall 0, which no
 * kernel has, so the thread takes an unknown-syscall fault (as on sim). */
void rv_thread_return(void);
__asm__(".text\n"
        ".globl rv_thread_return\n"
        "rv_thread_return:\n"
        "    li t0, 0\n"
        "    ecall\n"
        "    j rv_thread_return\n");

/* ra (register KEEL_UREG_PORTABLE of the riscv64 frame) = rv_thread_return. */
unsigned keel_arch_thread_frame(keel_word_t *regs)
{
    regs[KEEL_UREG_PORTABLE] = (keel_word_t)rv_thread_return;
    return KEEL_UREG_PORTABLE + 1;
}

struct keel_ipc_buffer *keel_ipc_buffer(void)
{
    struct keel_ipc_buffer *b;
    __asm__("mv %0, tp" : "=r"(b));
    return b;
}

void keel_set_ipc_buffer(struct keel_ipc_buffer *b)
{
    __asm__ volatile("mv tp, %0" ::"r"(b));
}

void keel_test_user_exception(keel_word_t number, keel_word_t code)
{
    keel_word_t regs[KEEL_REG_COUNT] = {number, code};
    keel_arch_trap(RV_TRAP_USER_EXCEPTION, regs);
}

void keel_test_vm_fault(keel_word_t addr)
{
    keel_word_t regs[KEEL_REG_COUNT] = {addr};
    keel_arch_trap(RV_TRAP_VM_FAULT, regs);
}

void keel_test_compute(keel_word_t ns)
{
    keel_word_t t0, t;
    __asm__ volatile("rdtime %0" : "=r"(t0));
    do
        __asm__ volatile("rdtime %0" : "=r"(t));
    while ((t - t0) * 100 < ns); /* the time CSR counts at 10 MHz */
}
