/*
 * arch/riscv64/entry.S - the riscv64 port's assembly: the boot entry from
 * OpenSBI, the trap vector, and the return to a user thread.
 *
 * sscratch holds the context (arch_ctx_t) of the user thread that runs,
 * and 0 while the kernel runs.  A trap from user mode swaps it into t6,
 * saves every register into that context (the pc into slot 0), switches
 * to the one kernel stack and calls rv_trap(), which returns the context
 * to resume; rv_resume puts it back in sscratch and restores it (the pc
 * too: rv_trap moved it past an ecall).  sstatus.SPP is cleared once at
 * boot: a trap from user mode and sret both leave it 0 (user), so every
 * sret returns to user mode.  A trap with sscratch 0 came from the
 * kernel itself: a kernel bug, reported by rv_kernel_fault().
 */

    .section .text.init, "ax"
    .globl _start
_start:                         /* a0 = hart id, a1 = the device tree (OpenSBI) */
    la      sp, rv_kernel_stack_top
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  la      t0, rv_trap_entry
    csrw    stvec, t0
    csrw    sscratch, zero
    li      t0, 0x100           /* sstatus.SPP = 0: sret goes to user mode */
    csrc    sstatus, t0
    call    rv_boot             /* does not return */
3:  wfi
    j       3b

    .text
    .balign 4
    .globl rv_trap_entry
rv_trap_entry:
    csrrw   t6, sscratch, t6
    beqz    t6, rv_kernel_trap
    sd      x1, 1*8(t6)
    sd      x2, 2*8(t6)
    sd      x3, 3*8(t6)
    sd      x4, 4*8(t6)
    sd      x5, 5*8(t6)
    sd      x6, 6*8(t6)
    sd      x7, 7*8(t6)
    sd      x8, 8*8(t6)
    sd      x9, 9*8(t6)
    sd      x10, 10*8(t6)
    sd      x11, 11*8(t6)
    sd      x12, 12*8(t6)
    sd      x13, 13*8(t6)
    sd      x14, 14*8(t6)
    sd      x15, 15*8(t6)
    sd      x16, 16*8(t6)
    sd      x17, 17*8(t6)
    sd      x18, 18*8(t6)
    sd      x19, 19*8(t6)
    sd      x20, 20*8(t6)
    sd      x21, 21*8(t6)
    sd      x22, 22*8(t6)
    sd      x23, 23*8(t6)
    sd      x24, 24*8(t6)
    sd      x25, 25*8(t6)
    sd      x26, 26*8(t6)
    sd      x27, 27*8(t6)
    sd      x28, 28*8(t6)
    sd      x29, 29*8(t6)
    sd      x30, 30*8(t6)
    csrr    t5, sscratch        /* the thread's t6 */
    sd      t5, 31*8(t6)
    csrr    t5, sepc
    sd      t5, 0(t6)
    csrw    sscratch, zero
    la      sp, rv_kernel_stack_top
    mv      a0, t6
    call    rv_trap             /* -> a0: the context to resume */

    .globl rv_resume
rv_resume:                      /* a0: the context; does not return */
    ld      t5, 0(a0)
    csrw    sepc, t5
    csrw    sscratch, a0
    mv      t6, a0
    ld      x1, 1*8(t6)
    ld      x2, 2*8(t6)
    ld      x3, 3*8(t6)
    ld      x4, 4*8(t6)
    ld      x5, 5*8(t6)
    ld      x6, 6*8(t6)
    ld      x7, 7*8(t6)
    ld      x8, 8*8(t6)
    ld      x9, 9*8(t6)
    ld      x10, 10*8(t6)
    ld      x11, 11*8(t6)
    ld      x12, 12*8(t6)
    ld      x13, 13*8(t6)
    ld      x14, 14*8(t6)
    ld      x15, 15*8(t6)
    ld      x16, 16*8(t6)
    ld      x17, 17*8(t6)
    ld      x18, 18*8(t6)
    ld      x19, 19*8(t6)
    ld      x20, 20*8(t6)
    ld      x21, 21*8(t6)
    ld      x22, 22*8(t6)
    ld      x23, 23*8(t6)
    ld      x24, 24*8(t6)
    ld      x25, 25*8(t6)
    ld      x26, 26*8(t6)
    ld      x27, 27*8(t6)
    ld      x28, 28*8(t6)
    ld      x29, 29*8(t6)
    ld      x30, 30*8(t6)
    ld      x31, 31*8(t6)
    sret

rv_kernel_trap:                 /* a trap while the kernel ran: a bug */
    csrrw   t6, sscratch, t6    /* t6 back, sscratch 0 again */
    la      sp, rv_kernel_stack_top
    csrr    a0, scause
    csrr    a1, sepc
    csrr    a2, stval
    call    rv_kernel_fault     /* does not return */
4:  wfi
    j       4b

/* The root task and the other user programs: one ELF image, packed into
 * the kernel image by the build (RV_USER_ELF names the file; RV_SYSTEM is
 * the system's name, RV_TRACE 1 in an image that records a trace). */
    .section .rodata.user, "a"
    .balign 8
    .globl rv_user_image, rv_user_image_end
rv_user_image:
    .incbin RV_USER_ELF
rv_user_image_end:
/* The system's name (the trace header), and whether this image traces. */
    .globl rv_system_name, rv_trace_on
rv_system_name:
    .asciz RV_SYSTEM
rv_trace_on:
    .byte RV_TRACE
