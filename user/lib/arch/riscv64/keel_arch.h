/*
 * user/lib/arch/riscv64/keel_arch.h - libkeel's trap instruction on
 * riscv64, inline so that the IPC stubs (user/lib/syscall.c) keep the
 * syscall registers in registers: a0..a7 carry the eight syscall words
 * both ways, t0 the syscall number (arch/riscv64/arch_types.h).
 */
#ifndef KEEL_USER_ARCH_RISCV64_H
#define KEEL_USER_ARCH_RISCV64_H

#include <keel/syscall.h>
#include <keel/types.h>

static inline void keel_arch_trap(keel_word_t sysno, keel_word_t regs[KEEL_REG_COUNT])
{
    register keel_word_t a0 __asm__("a0") = regs[0];
    register keel_word_t a1 __asm__("a1") = regs[1];
    register keel_word_t a2 __asm__("a2") = regs[2];
    register keel_word_t a3 __asm__("a3") = regs[3];
    register keel_word_t a4 __asm__("a4") = regs[4];
    register keel_word_t a5 __asm__("a5") = regs[5];
    register keel_word_t a6 __asm__("a6") = regs[6];
    register keel_word_t a7 __asm__("a7") = regs[7];
    register keel_word_t t0 __asm__("t0") = sysno;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
                       "+r"(a7)
                     : "r"(t0)
                     : "memory");
    regs[0] = a0, regs[1] = a1, regs[2] = a2, regs[3] = a3;
    regs[4] = a4, regs[5] = a5, regs[6] = a6, regs[7] = a7;
}

/* QEMU virt's NS16550 UART (examples/uart-driver): registers, PLIC source. */
#define KEEL_ARCH_UART_PADDR 0x10000000ul
#define KEEL_ARCH_UART_IRQ 10u

/* A device that interrupts on demand, for tests of IRQHandlers: QEMU
 * virt's goldfish RTC (PLIC source 11), whose alarm set in the past fires
 * at once.  raise: enable its interrupt and set the alarm to time 0;
 * clear: the device's acknowledgement (CLEAR_INTERRUPT), so the line drops. */
#define KEEL_ARCH_TEST_IRQ 11u
#define KEEL_ARCH_TEST_IRQ_PADDR 0x101000ul

static inline void keel_arch_test_irq_raise(volatile void *dev)
{
    volatile uint32_t *rtc = (volatile uint32_t *)dev;
    rtc[0x10 / 4] = 1; /* IRQ_ENABLED */
    rtc[0x0c / 4] = 0; /* ALARM_HIGH */
    rtc[0x08 / 4] = 0; /* ALARM_LOW: sets the alarm */
}

static inline void keel_arch_test_irq_clear(volatile void *dev)
{
    ((volatile uint32_t *)dev)[0x1c / 4] = 1; /* CLEAR_INTERRUPT */
}

#endif /* KEEL_USER_ARCH_RISCV64_H */
