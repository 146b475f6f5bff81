/*
 * arch/sim/ctx.c - user threads as fibers of the host process.
 *
 * The kernel runs on the host's main stack; each user thread runs on its
 * own stack (user memory).  Switching is a hand-written routine on x86-64
 * and aarch64 hosts (callee-saved registers and the stack pointer, no
 * signal mask: about 12 ns against swapcontext's 280 ns, which makes a
 * sigprocmask syscall every time); other hosts, or a build with
 * -DSIM_SWITCH_UCONTEXT, use makecontext/swapcontext.  A new thread's first
 * frame is built by hand so that the first switch "returns" into
 * fiber_start(), which runs the thread's entry.
 *
 * Every switch is announced to AddressSanitizer (start/finish_switch_fiber)
 * and every stack to Valgrind (VALGRIND_STACK_REGISTER), so both follow the
 * program across stacks.
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef VALGRIND_STACK_REGISTER
#define VALGRIND_STACK_REGISTER(lo, hi) 0u
#define VALGRIND_STACK_DEREGISTER(id) ((void)(id))
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SIM_ASAN 1
#endif

#ifdef SIM_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
                                     size_t *size_old);
#define ASAN_START(save, bottom, size) __sanitizer_start_switch_fiber(save, bottom, size)
#define ASAN_FINISH(save, bottom, size) __sanitizer_finish_switch_fiber(save, bottom, size)
#else
#define ASAN_START(save, bottom, size) ((void)(save), (void)(bottom), (void)(size))
#define ASAN_FINISH(save, bottom, size) ((void)(save), (void)(bottom), (void)(size))
#endif

#if !defined(SIM_SWITCH_UCONTEXT) && !defined(__x86_64__) && !defined(__aarch64__)
#define SIM_SWITCH_UCONTEXT 1
#endif

/* The kernel side: its saved stack pointer or ucontext, and its stack
 * bounds as ASan reports them on the first switch. */
static struct {
    void *sp; /* cppcheck-suppress unusedStructMember ; used by the hand-written switch */
    ucontext_t uc;
    void *fake_stack;
    const void *stack_bottom;
    size_t stack_size;
} kside;

static const void *stack_bottom(const arch_ctx_t *c)
{
    return (const void *)(c->stack_top - c->stack_bytes);
}

#ifndef SIM_SWITCH_UCONTEXT
/* void sim_switch(void **save_sp, void *new_sp): save callee-saved state
 * on the current stack, store the stack pointer, load new_sp, restore and
 * return there. */
void sim_switch(void **save_sp, void *new_sp);
#if defined(__x86_64__)
__asm__(".text\n.globl sim_switch\n.type sim_switch,@function\nsim_switch:\n"
        "  pushq %rbp\n  pushq %rbx\n  pushq %r12\n  pushq %r13\n  pushq %r14\n  pushq %r15\n"
        "  movq %rsp, (%rdi)\n  movq %rsi, %rsp\n"
        "  popq %r15\n  popq %r14\n  popq %r13\n  popq %r12\n  popq %rbx\n  popq %rbp\n"
        "  ret\n.size sim_switch, .-sim_switch\n");
#define SIM_FRAME_WORDS 6 /* callee-saved registers below the return address */
#elif defined(__aarch64__)
__asm__(".text\n.globl sim_switch\n.type sim_switch,%function\nsim_switch:\n"
        "  sub sp, sp, #160\n"
        "  stp x19, x20, [sp, #0]\n  stp x21, x22, [sp, #16]\n  stp x23, x24, [sp, #32]\n"
        "  stp x25, x26, [sp, #48]\n  stp x27, x28, [sp, #64]\n  stp x29, x30, [sp, #80]\n"
        "  stp d8, d9, [sp, #96]\n  stp d10, d11, [sp, #112]\n  stp d12, d13, [sp, #128]\n"
        "  stp d14, d15, [sp, #144]\n"
        "  mov x2, sp\n  str x2, [x0]\n  mov sp, x1\n"
        "  ldp x19, x20, [sp, #0]\n  ldp x21, x22, [sp, #16]\n  ldp x23, x24, [sp, #32]\n"
        "  ldp x25, x26, [sp, #48]\n  ldp x27, x28, [sp, #64]\n  ldp x29, x30, [sp, #80]\n"
        "  ldp d8, d9, [sp, #96]\n  ldp d10, d11, [sp, #112]\n  ldp d12, d13, [sp, #128]\n"
        "  ldp d14, d15, [sp, #144]\n"
        "  add sp, sp, #160\n  ret\n.size sim_switch, .-sim_switch\n");
#endif

static arch_ctx_t *starting; /* the context whose first frame is being entered */

static void fiber_start(void)
{
    sim_fiber_thread_main(starting);
}

/* Build the first frame: switching to it "returns" into fiber_start with
 * the stack aligned as after a call. */
static void *first_frame(arch_ctx_t *c)
{
    uintptr_t *top = (uintptr_t *)(c->stack_top & ~(keel_word_t)15);
#if defined(__x86_64__)
    top -= 2;                           /* [0]: fiber_start, [1]: no return address */
    top[0] = (uintptr_t)fiber_start;
    top[1] = 0;
    top -= SIM_FRAME_WORDS;
    memset(top, 0, SIM_FRAME_WORDS * sizeof(*top));
#else
    top -= 20;                          /* the 160-byte frame sim_switch pops */
    memset(top, 0, 20 * sizeof(*top));
    top[11] = (uintptr_t)fiber_start;   /* x30 */
#endif
    return top;
}

const char *sim_switch_kind(void)
{
    return "hand-written";
}
#else
static void fiber_start_uc(void);
static arch_ctx_t *starting;
const char *sim_switch_kind(void)
{
    return "ucontext";
}
#endif

void sim_fiber_resume(arch_ctx_t *c)
{
    if (!c->started) {
        c->started = 1;
        c->valgrind_stack_id = VALGRIND_STACK_REGISTER(stack_bottom(c), (void *)c->stack_top);
        starting = c;
#ifdef SIM_SWITCH_UCONTEXT
        ucontext_t *uc = (ucontext_t *)c->host;
        _Static_assert(sizeof(ucontext_t) <= SIM_HOST_CTX_BYTES, "host context too small");
        getcontext(uc);
        uc->uc_stack.ss_sp = (void *)stack_bottom(c);
        uc->uc_stack.ss_size = c->stack_bytes;
        uc->uc_link = 0;
        makecontext(uc, fiber_start_uc, 0);
#else
        c->host_sp = first_frame(c);
#endif
    }
    ASAN_START(&kside.fake_stack, stack_bottom(c), c->stack_bytes);
#ifdef SIM_SWITCH_UCONTEXT
    swapcontext(&kside.uc, (ucontext_t *)c->host);
#else
    sim_switch(&kside.sp, c->host_sp);
#endif
    ASAN_FINISH(kside.fake_stack, 0, 0);
}

void sim_fiber_trap(arch_ctx_t *c)
{
    ASAN_START(&c->asan_fake_stack, kside.stack_bottom, kside.stack_size);
#ifdef SIM_SWITCH_UCONTEXT
    swapcontext((ucontext_t *)c->host, &kside.uc);
#else
    sim_switch(&c->host_sp, kside.sp);
#endif
    ASAN_FINISH(c->asan_fake_stack, 0, 0);
}

void sim_fiber_forget(arch_ctx_t *c)
{
    if (c->started)
        VALGRIND_STACK_DEREGISTER(c->valgrind_stack_id);
    c->started = 0;
}

#ifdef SIM_SWITCH_UCONTEXT
static void fiber_start_uc(void)
{
    sim_fiber_thread_main(starting);
}
#endif

/* The first code a thread runs on its own stack. */
void sim_fiber_thread_main(arch_ctx_t *c)
{
    ASAN_FINISH(0, &kside.stack_bottom, &kside.stack_size);
    void (*entry)(keel_word_t) = (void (*)(keel_word_t))c->entry;
    entry(c->regs[KEEL_REG_CPTR]);
    /* Running off the end of a thread's entry is a user error, as it would
     * be on hardware; trap with no syscall so the kernel stops the thread. */
    for (;;) {
        keel_word_t regs[KEEL_REG_COUNT] = {0};
        sim_syscall(0, regs);
    }
}
