/*
 * user/lib/syscall.c - the portable half of libkeel's syscall layer: Call,
 * Send, NBSend, Yield, the debug calls, and keel_invoke(), on top of the
 * per-arch keel_arch_syscall() (user/lib/arch/<arch>/).
 *
 * The IPC buffer pointer lives in the thread pointer (sim: the fiber's
 * tls word; hardware: tp/TPIDR), so each thread finds its own.
 */
#include <libkeel.h>

static keel_msginfo_t trap(keel_word_t sysno, keel_cptr_t cap, keel_msginfo_t info,
                           keel_word_t mr[KEEL_MSG_REGS])
{
    keel_word_t regs[KEEL_REG_COUNT] = {cap, info, mr[0], mr[1], mr[2], mr[3]};
    keel_arch_syscall(sysno, regs);
    for (unsigned i = 0; i < KEEL_MSG_REGS; i++)
        mr[i] = regs[KEEL_REG_MR0 + i];
    return regs[KEEL_REG_INFO];
}

keel_msginfo_t keel_call(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS])
{
    return trap(KEEL_SYS_CALL, cap, info, mr);
}

void keel_send(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS])
{
    trap(KEEL_SYS_SEND, cap, info, mr);
}

void keel_nbsend(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS])
{
    trap(KEEL_SYS_NB_SEND, cap, info, mr);
}

void keel_yield(void)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    trap(KEEL_SYS_YIELD, 0, 0, mr);
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
        "NotEnoughMemory"};
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
