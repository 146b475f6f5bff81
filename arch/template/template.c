/*
 * arch/template/template.c - every arch_* function of arch/arch.h, each
 * doing the least a port could: a checklist for new ports and the link
 * target of the freestanding build.  A freestanding port also links
 * arch/common/memfuncs.c (the memset/memcpy the compiler may call).
 */
#include <arch.h>

static keel_word_t ram_offset;
static keel_word_t now;

void arch_ctx_init(arch_ctx_t *c, keel_word_t entry, keel_word_t stack_top, keel_word_t arg0)
{
    c->pc = entry;
    c->sp = stack_top;
    c->regs[0] = arg0;
}

void arch_ctx_release(arch_ctx_t *c)
{
    (void)c;
}

void arch_ctx_restart_syscall(arch_ctx_t *c)
{
    c->pc -= 4; /* back onto the trap instruction */
}

keel_word_t arch_ctx_user_get(const arch_ctx_t *c, unsigned i)
{
    if (i == 0)
        return c->pc;
    if (i == 1)
        return c->sp;
    if (i == 2)
        return c->tp;
    return i - 3 < KEEL_REG_COUNT ? c->regs[i - 3] : 0;
}

void arch_ctx_user_set(arch_ctx_t *c, unsigned i, keel_word_t v)
{
    if (i == 0)
        c->pc = v;
    else if (i == 1)
        c->sp = v;
    else if (i == 2)
        c->tp = v;
    else if (i - 3 < KEEL_REG_COUNT)
        c->regs[i - 3] = v;
}

keel_word_t arch_kptr_to_paddr(const void *p)
{
    return (keel_word_t)p - ram_offset;
}

void *arch_paddr_to_kptr(keel_word_t pa)
{
    return (void *)(pa + ram_offset);
}

keel_word_t arch_frame_user_addr(const void *frame)
{
    (void)frame;
    return 0; /* a port with an MMU maps frames explicitly */
}

/* Address spaces: an MMU port sets ARCH_PAGE_TABLE_BITS and implements
 * these (arch/riscv64/machine.c is the example); an MPU port keeps the
 * refusals, returns frame addresses above, and sets it to 0. */
void arch_vspace_init(keel_word_t root)
{
    (void)root;
}

int arch_vspace_map_frame(keel_word_t root, keel_word_t vaddr, keel_word_t frame, unsigned bits,
                          bool writable, bool executable)
{
    (void)root, (void)vaddr, (void)frame, (void)bits, (void)writable, (void)executable;
    return KEEL_RANGE_ERROR;
}

void arch_vspace_unmap_frame(keel_word_t root, keel_word_t vaddr, keel_word_t frame,
                             unsigned bits)
{
    (void)root, (void)vaddr, (void)frame, (void)bits;
}

int arch_vspace_map_table(keel_word_t root, keel_word_t vaddr, keel_word_t table)
{
    (void)root, (void)vaddr, (void)table;
    return KEEL_RANGE_ERROR;
}

void arch_vspace_unmap_table(keel_word_t root, keel_word_t vaddr, keel_word_t table)
{
    (void)root, (void)vaddr, (void)table;
}

void arch_vspace_forget(keel_word_t root)
{
    (void)root;
}

void arch_vspace_activate(keel_word_t root)
{
    (void)root;
}

bool arch_irq_enabled(void)
{
    return false;
}

bool arch_irq_pending(void)
{
    return false;
}

void arch_irq_mask(unsigned irq, bool masked)
{
    (void)irq, (void)masked;
}

void arch_irq_ack(unsigned irq)
{
    (void)irq;
}

uint64_t arch_time_now(void)
{
    return now;
}

void arch_timer_set(uint64_t deadline)
{
    (void)deadline;
}

bool arch_inject_retype_failure(void)
{
    return false;
}

void arch_trace_write(const struct keel_trace_rec *r)
{
    (void)r;
}

void arch_putc(char c)
{
    (void)c;
}

void arch_halt(int status)
{
    (void)status;
    for (;;) {
    }
}

/* The entry a real port's boot code would have. */
void template_start(void);
void template_start(void)
{
    struct kboot_params p = {.ram = {{0x80200000ul, 0x1000000ul}}, .ram_count = 1};
    kentry_boot(&p);
    for (;;) {
        if (kentry_exit_ctx())
            kentry_syscall();
        else
            kentry_irq(ARCH_IRQ_TIMER);
    }
}
