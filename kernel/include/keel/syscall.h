/*
 * keel/syscall.h - system call numbers and the register-level calling
 * convention.
 *
 * Every syscall carries the same nine words, whatever the arch keeps them
 * in: the syscall number, a capability pointer (on receive: the badge), the
 * message info word, four message registers, a reply capability and a
 * receive source.  See docs/abi.md.
 *
 * The IPC syscalls follow seL4's MCS set.  Call, Send and NBSend on a
 * kernel-object capability invoke a method of it (keel/invocation.h); on an
 * endpoint, notification or reply capability they are IPC.  A syscall
 * number the kernel does not implement is an unknown-syscall fault
 * (keel/fault.h).
 */
#ifndef KEEL_SYSCALL_H
#define KEEL_SYSCALL_H

enum keel_syscall {
    KEEL_SYS_CALL = 1,
    KEEL_SYS_REPLY_RECV = 2,
    KEEL_SYS_NB_SEND_RECV = 3,
    KEEL_SYS_NB_SEND_WAIT = 4,
    KEEL_SYS_SEND = 5,
    KEEL_SYS_NB_SEND = 6,
    KEEL_SYS_RECV = 7,
    KEEL_SYS_NB_RECV = 8,
    KEEL_SYS_WAIT = 9,
    KEEL_SYS_NB_WAIT = 10,
    KEEL_SYS_YIELD = 11,

    /* Debug syscalls: present in every build of this version. */
    KEEL_SYS_DEBUG_PUTCHAR = 32,     /* cptr word = the character */
    KEEL_SYS_DEBUG_HALT = 33,        /* cptr word = exit status; stops the system */
    KEEL_SYS_DEBUG_CAP_IDENTIFY = 34,/* cptr, resolved as an invoked cap -> MR0 = keel_cap_type */
    KEEL_SYS_DEBUG_SNAPSHOT = 35,    /* -> MR0..3 = kernel counters, see keel_debug_counter */
    KEEL_SYS_COUNT
};

/* Indices of the syscall register file (see docs/abi.md "Registers"). */
enum keel_sysreg {
    KEEL_REG_CPTR = 0,   /* in: capability pointer (the send destination, or the
                          * receive source of Recv/Wait); out: the badge on
                          * receive; invocations and sends leave it */
    KEEL_REG_INFO = 1,   /* in and out: message info */
    KEEL_REG_MR0 = 2,
    KEEL_REG_MR1 = 3,
    KEEL_REG_MR2 = 4,
    KEEL_REG_MR3 = 5,
    KEEL_REG_REPLY = 6,  /* in: the Reply object of Recv, NBRecv, ReplyRecv, NBSendRecv */
    KEEL_REG_SRC = 7,    /* in: the receive source of NBSendRecv and NBSendWait */
    KEEL_REG_COUNT = 8
};

#define KEEL_MSG_REGS 4 /* message registers passed in registers */

/* What KEEL_SYS_DEBUG_SNAPSHOT returns in MR0..MR3. */
enum keel_debug_counter {
    KEEL_DBG_KERNEL_ENTRIES = 0,
    KEEL_DBG_PREEMPTIONS = 1,    /* syscalls stopped at a preemption point and restarted */
    KEEL_DBG_LIVE_CAPS = 2,      /* non-null capabilities in the derivation tree */
    KEEL_DBG_TIME_NS = 3         /* the arch clock, in ns */
};

#endif /* KEEL_SYSCALL_H */
