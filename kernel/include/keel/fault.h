/*
 * keel/fault.h - faults as messages, and the user register frame.
 *
 * When a thread faults, the kernel makes it Call its fault endpoint (the
 * capability given to TCB_Configure; for timeout faults, its timeout
 * endpoint) with a message whose label is the
 * fault type and whose words are listed below; the handler's reply resumes
 * it.  A reply with label 0 and length 0 resumes it unchanged (a cap fault
 * re-executes the faulting syscall); a reply with length n > 0 first
 * writes user registers 0..n-1 (enum keel_user_reg) from the reply's words.
 * A thread with no fault endpoint is suspended and the kernel logs the
 * fault; a fault endpoint must be an Endpoint capability with Write and
 * Grant or GrantReply.
 */
#ifndef KEEL_FAULT_H
#define KEEL_FAULT_H

enum keel_fault_type {
    KEEL_FAULT_NULL = 0,
    KEEL_FAULT_CAP = 1,             /* a receive named no endpoint/notification it may use */
    KEEL_FAULT_UNKNOWN_SYSCALL = 2,
    KEEL_FAULT_USER_EXCEPTION = 3,  /* an illegal instruction, a misaligned access, ... */
    KEEL_FAULT_TIMEOUT = 4,         /* MCS budget exhausted (scheduling contexts) */
    KEEL_FAULT_VM = 5,              /* an access the address space does not allow */
    KEEL_FAULT_TYPE_COUNT
};

/* The message words of each fault. */
enum keel_cap_fault_word {
    KEEL_CAP_FAULT_PC = 0,
    KEEL_CAP_FAULT_CPTR = 1,        /* the capability pointer that failed */
    KEEL_CAP_FAULT_IN_RECV = 2,     /* 1: it was the receive phase */
    KEEL_CAP_FAULT_ERROR = 3,       /* enum keel_error: FailedLookup or InvalidCapability */
    KEEL_CAP_FAULT_DETAIL = 4,      /* 3 words: the error's detail (keel/errors.h) */
    KEEL_CAP_FAULT_LENGTH = 7
};

/* UnknownSyscall: the whole user register frame, then the syscall number.
 * Replying with the (edited) frame as length KEEL_UREG_PORTABLE makes the
 * syscall "return" the syscall-register values the handler chose. */
#define KEEL_UNKNOWN_SYSCALL_NUMBER 11
#define KEEL_UNKNOWN_SYSCALL_LENGTH 12

enum keel_user_exception_word {
    KEEL_USER_EXC_PC = 0, KEEL_USER_EXC_SP = 1, KEEL_USER_EXC_NUMBER = 2,
    KEEL_USER_EXC_CODE = 3, KEEL_USER_EXC_LENGTH = 4
};

/* Timeout: the thread's scheduling context ran out of budget and the
 * thread has a timeout endpoint (TCB_SetTimeoutEndpoint).  A label-0 reply
 * lets it go on when its budget is next released. */
enum keel_timeout_fault_word {
    KEEL_TIMEOUT_FAULT_BADGE = 0,     /* the SchedContext's badge (Configure) */
    KEEL_TIMEOUT_FAULT_CONSUMED = 1,  /* its consumed time, us (as Consumed, not reset) */
    KEEL_TIMEOUT_FAULT_LENGTH = 2
};

enum keel_vm_fault_word {
    KEEL_VM_FAULT_PC = 0, KEEL_VM_FAULT_ADDR = 1, KEEL_VM_FAULT_PREFETCH = 2,
    KEEL_VM_FAULT_FSR = 3, KEEL_VM_FAULT_LENGTH = 4
};

/* The user register frame of TCB_ReadRegisters/WriteRegisters and fault
 * replies.  The first KEEL_UREG_PORTABLE registers mean the same on every
 * arch; a port may append its other registers after them.  The syscall
 * registers are the eight words of enum keel_sysreg (KEEL_UREG_SYSREG + i);
 * register 3 is also the first argument a new thread's entry receives. */
enum keel_user_reg {
    KEEL_UREG_PC = 0,
    KEEL_UREG_SP = 1,
    KEEL_UREG_TLS = 2,              /* the thread pointer (libkeel: the IPC buffer) */
    KEEL_UREG_SYSREG = 3,           /* 3..10: enum keel_sysreg */
    KEEL_UREG_ARG0 = 3,
    KEEL_UREG_PORTABLE = 11
};

#endif /* KEEL_FAULT_H */
