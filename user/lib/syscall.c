/*
 * user/lib/syscall.c - the portable half of libkeel's syscall layer: the
 * IPC syscalls, the debug calls, and keel_invoke(), on top of the per-arch
 * trap, keel_arch_trap() (inline, user/lib/arch/<arch>/keel_arch.h).
 *
 * The IPC buffer pointer lives in the thread pointer (sim: the fiber's
 * tls word; hardware: tp/TPIDR), so each thread finds its own.
 */
#include <libkeel.h>
#include <keel_arch.h>

void keel_arch_syscall(keel_word_t sysno, keel_word_t regs[KEEL_REG_COUNT])
{
    keel_arch_trap(sysno, regs);
}

/* One IPC syscall: the register file in, results out to mr and badge.
 * The IPC stubs below are defined `inline` (external definitions with the
 * inline hint): with link-time optimisation they inline into their
 * callers' loops, as seL4's header stubs do, which took 47 instructions
 * off a riscv64 round trip (docs/riscv64.md). */
static inline __attribute__((always_inline)) keel_msginfo_t
ipc(keel_word_t sysno, keel_cptr_t cap, keel_msginfo_t info, keel_cptr_t reply, keel_cptr_t src,
    keel_word_t *badge, keel_word_t mr[KEEL_MSG_REGS])
{
    keel_word_t regs[KEEL_REG_COUNT] = {cap, info, mr[0], mr[1], mr[2], mr[3], reply, src};
    keel_arch_trap(sysno, regs);
    for (unsigned i = 0; i < KEEL_MSG_REGS; i++)
        mr[i] = regs[KEEL_REG_MR0 + i];
    if (badge)
        *badge = regs[KEEL_REG_CPTR];
    return regs[KEEL_REG_INFO];
}

inline keel_msginfo_t keel_call(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS])
{
    return ipc(KEEL_SYS_CALL, cap, info, 0, 0, 0, mr);
}

inline keel_msginfo_t keel_send(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS])
{
    return ipc(KEEL_SYS_SEND, cap, info, 0, 0, 0, mr);
}

inline keel_msginfo_t keel_nbsend(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS])
{
    return ipc(KEEL_SYS_NB_SEND, cap, info, 0, 0, 0, mr);
}

inline keel_msginfo_t keel_recv(keel_cptr_t src, keel_word_t *badge, keel_cptr_t reply,
                         keel_word_t mr[KEEL_MSG_REGS])
{
    return ipc(KEEL_SYS_RECV, src, 0, reply, 0, badge, mr);
}

inline keel_msginfo_t keel_nbrecv(keel_cptr_t src, keel_word_t *badge, keel_cptr_t reply,
                           keel_word_t mr[KEEL_MSG_REGS])
{
    return ipc(KEEL_SYS_NB_RECV, src, 0, reply, 0, badge, mr);
}

inline keel_msginfo_t keel_reply_recv(keel_cptr_t src, keel_msginfo_t info, keel_word_t *badge,
                               keel_cptr_t reply, keel_word_t mr[KEEL_MSG_REGS])
{
    return ipc(KEEL_SYS_REPLY_RECV, src, info, reply, 0, badge, mr);
}

inline keel_msginfo_t keel_nbsend_recv(keel_cptr_t dest, keel_msginfo_t info, keel_cptr_t src,
                                keel_word_t *badge, keel_cptr_t reply,
                                keel_word_t mr[KEEL_MSG_REGS])
{
    return ipc(KEEL_SYS_NB_SEND_RECV, dest, info, reply, src, badge, mr);
}

inline keel_msginfo_t keel_nbsend_wait(keel_cptr_t dest, keel_msginfo_t info, keel_cptr_t src,
                                keel_word_t *badge, keel_word_t mr[KEEL_MSG_REGS])
{
    return ipc(KEEL_SYS_NB_SEND_WAIT, dest, info, 0, src, badge, mr);
}

inline keel_msginfo_t keel_wait(keel_cptr_t src, keel_word_t *badge, keel_word_t mr[KEEL_MSG_REGS])
{
    return ipc(KEEL_SYS_WAIT, src, 0, 0, 0, badge, mr);
}

inline keel_msginfo_t keel_nbwait(keel_cptr_t src, keel_word_t *badge, keel_word_t mr[KEEL_MSG_REGS])
{
    return ipc(KEEL_SYS_NB_WAIT, src, 0, 0, 0, badge, mr);
}

void keel_yield(void)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    ipc(KEEL_SYS_YIELD, 0, 0, 0, 0, 0, mr);
}

inline keel_msginfo_t keel_reply(keel_cptr_t reply, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS])
{
    return ipc(KEEL_SYS_SEND, reply, info, 0, 0, 0, mr);
}

void keel_set_receive_slot(keel_cptr_t cnode, keel_word_t index, keel_word_t depth)
{
    struct keel_ipc_buffer *b = keel_ipc_buffer();
    b->receive_cnode = cnode;
    b->receive_index = index;
    b->receive_depth = depth;
}

keel_error_t keel_signal(keel_cptr_t ntfn)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    return (keel_error_t)keel_msginfo_label(keel_send(ntfn, 0, mr));
}

keel_word_t keel_poll(keel_cptr_t ntfn)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    keel_nbwait(ntfn, &badge, mr);
    return badge;
}

keel_error_t keel_invoke(keel_cptr_t cap, keel_word_t label, unsigned nwords,
                         const keel_word_t *words, unsigned ncaps, const keel_cptr_t *caps)
{
    struct keel_ipc_buffer *b = keel_ipc_buffer();
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    for (unsigned i = 0; i < nwords; i++) {
        if (i < KEEL_MSG_REGS)
            mr[i] = words[i];
        else
            b->msg[i] = words[i];
    }
    for (unsigned i = 0; i < ncaps; i++)
        b->caps_or_badges[i] = caps[i];
    keel_msginfo_t info = keel_call(cap, keel_msginfo(label, 0, ncaps, nwords), mr);
    /* Keep the reply where keel_last_error() and result readers find it. */
    b->tag = info;
    for (unsigned i = 0; i < KEEL_MSG_REGS; i++)
        b->msg[i] = mr[i];
    return (keel_error_t)keel_msginfo_label(info);
}

struct keel_error_detail keel_last_error(void)
{
    struct keel_ipc_buffer *b = keel_ipc_buffer();
    return (struct keel_error_detail){(keel_error_t)keel_msginfo_label(b->tag), b->msg[0],
                                      b->msg[1], b->msg[2], b->msg[3]};
}

const char *keel_error_name(keel_error_t code)
{
    static const char *const names[KEEL_ERROR_COUNT] = {
        "OK", "InvalidArgument", "InvalidCapability", "IllegalOperation", "RangeError",
        "AlignmentError", "FailedLookup", "TruncatedMessage", "DeleteFirst", "RevokeFirst",
        "NotEnoughMemory", "IPCAborted"};
    return code >= 0 && code < KEEL_ERROR_COUNT ? names[code] : "UnknownError";
}

void keel_perror(const char *what)
{
    struct keel_error_detail d = keel_last_error();
    keel_printf("%s: %s (arg %lu; %lx %lx %lx)\n", what, keel_error_name(d.code),
                (unsigned long)d.arg, (unsigned long)d.v1, (unsigned long)d.v2,
                (unsigned long)d.v3);
}

static keel_word_t debug_call(keel_word_t sysno, keel_word_t arg, keel_word_t out[4])
{
    keel_word_t regs[KEEL_REG_COUNT] = {arg};
    keel_arch_syscall(sysno, regs);
    if (out)
        for (unsigned i = 0; i < 4; i++)
            out[i] = regs[KEEL_REG_MR0 + i];
    return regs[KEEL_REG_MR0];
}

void keel_debug_putchar(char c)
{
    debug_call(KEEL_SYS_DEBUG_PUTCHAR, (unsigned char)c, 0);
}

void keel_debug_halt(int status)
{
    debug_call(KEEL_SYS_DEBUG_HALT, (keel_word_t)status, 0);
}

int keel_debug_cap_identify(keel_cptr_t cap)
{
    return (int)debug_call(KEEL_SYS_DEBUG_CAP_IDENTIFY, cap, 0);
}

void keel_debug_snapshot(keel_word_t out[4])
{
    debug_call(KEEL_SYS_DEBUG_SNAPSHOT, 0, out);
}

void keel_runtime_init(const struct keel_bootinfo *bi)
{
    keel_set_ipc_buffer((struct keel_ipc_buffer *)bi->ipc_buffer);
}
