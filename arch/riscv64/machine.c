/*
 * arch/riscv64/machine.c - the riscv64 port (QEMU virt, S-mode under
 * OpenSBI): every arch_* function of arch/arch.h, the boot, and the trap
 * dispatch.
 *
 * Memory: Sv39.  The kernel's own table (page_root) maps, for the
 * supervisor only and identity, the devices (root entry 0: the first
 * GiB, one gigapage) and all RAM (root entry 2, through page_l1: the
 * kernel's megapage at 0x80200000 and every megapage after it).  Every
 * VSpace root shares those two entries (arch_vspace_init), so the kernel
 * reaches every object at its physical address in any address space and
 * never touches user addresses.  User space is root entries 1 and 3..255:
 * [0x40000000, 0x80000000) and [0xc0000000, 2^38).  The packed user image
 * is linked at 0x40000000 (user.ld), loaded into RAM at 0x80400000, and
 * mapped there for the root task by the core's boot (kboot_params.image_*);
 * frames the root task maps later go from 0x100000000 up.  The port writes
 * satp (and flushes the TLB: no hardware ASIDs are used) only when the
 * next thread's root differs from the active one.
 *
 * Time: the `time` CSR (10 MHz on virt) in ns; the one-shot timer is the
 * stimecmp CSR where the hart has Sstc (the device tree's riscv,isa says
 * so; OpenSBI then lets S-mode write it), else the SBI timer call (about
 * 250 instructions through OpenSBI).  Setting the deadline it already has
 * costs nothing.  Interrupts: the kernel runs with sstatus.SIE = 0 and user
 * code is always interruptible; the idle loop waits with wfi and polls sip.
 * External interrupts come through the PLIC (context 1: hart 0, S-mode).
 *
 * Trace: an image built with tracing (entry.S's rv_trace_on, make
 * ARCH=riscv64 run TRACE=FILE) keeps the records in the top 4 MiB of RAM,
 * laid out as a trace file (keel/trace.h: header, then records), and
 * prints that file in hex between KEEL-TRACE-BEGIN and KEEL-TRACE-END when
 * the system halts; `ktrace serial` turns the console log back into it.
 *
 * Called by entry.S: rv_boot() once, rv_trap() at every trap from user
 * mode, rv_kernel_fault() at a trap from the kernel (a bug: it halts).
 */
#include <arch.h>
#include <keel/trace.h>

#define KERNEL_BASE 0x80200000ul
#define USER_BASE 0x80400000ul   /* where the user image is loaded in RAM */
#define USER_VBASE 0x40000000ul  /* its link address (user.ld), root entry 1 */
#define MAP_START 0x100000000ul  /* user addresses for the root task to map */
#define USER_TOP (1ul << 38)     /* the end of Sv39's lower half */
#define MEGA (1ul << 21)
#define RAM_LIMIT 0xc0000000ul   /* what the one level-1 table covers */

#define UART_BASE 0x10000000ul
#define SIFIVE_TEST 0x100000ul
#define PLIC_BASE 0x0c000000ul
#define PLIC_ENABLE_S (PLIC_BASE + 0x2080)     /* context 1 */
#define PLIC_THRESHOLD_S (PLIC_BASE + 0x201000)
#define PLIC_CLAIM_S (PLIC_BASE + 0x201004)

#define SIE_SEIE (1ul << 9)
#define SIE_STIE (1ul << 5)
#define SCAUSE_IRQ (1ul << 63)
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define EXC_ILLEGAL 2
#define EXC_ECALL_U 8
#define EXC_INST_PAGE 12
#define EXC_LOAD_PAGE 13
#define EXC_STORE_PAGE 15

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80

#define NS_PER_TICK 100ull       /* the 10 MHz time CSR */

#define csr_read(csr)                                        \
    ({                                                       \
        keel_word_t v_;                                      \
        __asm__ volatile("csrr %0, " #csr : "=r"(v_));       \
        v_;                                                  \
    })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"(v))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"r"(v))

static inline void mmio_w32(keel_word_t a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

static inline uint32_t mmio_r32(keel_word_t a)
{
    return *(volatile uint32_t *)a;
}

extern char __kernel_end[];
extern const unsigned char rv_trace_on; /* entry.S: 1 in a TRACE= image */
extern const char rv_system_name[];     /* entry.S: the system's name */
extern const unsigned char rv_user_image[], rv_user_image_end[];
void rv_resume(arch_ctx_t *c) __attribute__((noreturn));
void rv_boot(keel_word_t hart, keel_word_t dtb) __attribute__((noreturn));
arch_ctx_t *rv_trap(arch_ctx_t *c);
void rv_kernel_fault(keel_word_t cause, keel_word_t pc, keel_word_t tval)
    __attribute__((noreturn));

/* arch/common/memfuncs.c: the boot's ELF loader uses them too. */
void *memset(void *p, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);

/* ---- console and exit ---- */

void arch_putc(char c)
{
    volatile uint8_t *u = (volatile uint8_t *)UART_BASE;
    if (c == '\n')
        arch_putc('\r');
    while (!(u[5] & 0x20)) /* LSR: transmit holding register empty */
        ;
    u[0] = (uint8_t)c;
}

static void put_str(const char *s)
{
    while (*s)
        arch_putc(*s++);
}

static void put_hex(keel_word_t v)
{
    put_str("0x");
    for (int i = 60; i >= 0; i -= 4)
        arch_putc("0123456789abcdef"[(v >> i) & 15]);
}

/* QEMU's sifive_test device ends the run with the status as its exit code. */
static void trace_dump(void);
static unsigned char *trace_buf;

void arch_halt(int status)
{
    if (trace_buf)
        trace_dump();
    mmio_w32(SIFIVE_TEST, status == 0 ? 0x5555u : ((uint32_t)status << 16) | 0x3333u);
    for (;;)
        __asm__ volatile("wfi");
}

static void __attribute__((noreturn)) panic(const char *why, keel_word_t v)
{
    put_str("keel riscv64: ");
    put_str(why);
    put_str(" ");
    put_hex(v);
    put_str("\n");
    arch_halt(3);
    for (;;) {
    }
}

void rv_kernel_fault(keel_word_t cause, keel_word_t pc, keel_word_t tval)
{
    put_str("keel riscv64: kernel trap, scause ");
    put_hex(cause);
    put_str(" sepc ");
    put_hex(pc);
    put_str(" stval ");
    put_hex(tval);
    put_str("\n");
    arch_halt(3);
    for (;;) {
    }
}

/* ---- thread contexts ---- */

/* User register frame index (keel/fault.h, then the rest) -> x register. */
static const uint8_t ureg_x[ARCH_USER_REGS] = {
    RV_CTX_PC, RV_REG_SP, RV_REG_TP, 10, 11, 12, 13, 14, 15, 16, 17, /* the portable 11 */
    1, 3, 5, 6, 7, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

void arch_ctx_init(arch_ctx_t *c, keel_word_t entry, keel_word_t stack_top, keel_word_t arg0)
{
    for (unsigned i = 0; i < 32; i++)
        c->x[i] = 0;
    c->x[RV_CTX_PC] = entry;
    c->x[RV_REG_SP] = stack_top;
    c->x[RV_REG_A0] = arg0;
    c->advance = 0;
}

void arch_ctx_release(arch_ctx_t *c)
{
    (void)c;
}

/* Step the pc back onto the ecall, so that resuming executes it again.
 * Idempotent, and a no-op after a fault (nothing was stepped over). */
void arch_ctx_restart_syscall(arch_ctx_t *c)
{
    c->x[RV_CTX_PC] -= c->advance;
    c->advance = 0;
}

keel_word_t arch_ctx_user_get(const arch_ctx_t *c, unsigned i)
{
    if (i >= ARCH_USER_REGS)
        return 0;
    return c->x[ureg_x[i]];
}

void arch_ctx_user_set(arch_ctx_t *c, unsigned i, keel_word_t v)
{
    if (i >= ARCH_USER_REGS)
        return;
    if (ureg_x[i] == RV_CTX_PC)
        c->advance = 0;
    c->x[ureg_x[i]] = v;
}

/* ---- memory: the kernel's identity map, and Sv39 address spaces ---- */

keel_word_t arch_kptr_to_paddr(const void *p)
{
    return (keel_word_t)p;
}

void *arch_paddr_to_kptr(keel_word_t pa)
{
    return (void *)pa;
}

keel_word_t arch_frame_user_addr(const void *frame)
{
    (void)frame;
    return 0; /* frames are reached where they are mapped */
}

static keel_word_t page_root[512] __attribute__((aligned(4096)));
static keel_word_t page_l1[512] __attribute__((aligned(4096)));
static keel_word_t active_root; /* what satp points at; 0: page_root */

#define SATP_SV39 (8ul << 60)
#define VPN(va, level) (((va) >> (12 + 9 * (level))) & 511)
#define PTE_LEAF (PTE_R | PTE_W | PTE_X)

static keel_word_t pte(keel_word_t pa, keel_word_t flags)
{
    return (pa >> 12) << 10 | flags | PTE_V | PTE_A | PTE_D;
}

static keel_word_t *pte_table(keel_word_t e)
{
    return (keel_word_t *)((e >> 10) << 12);
}

static bool pte_points_at(keel_word_t e, keel_word_t pa)
{
    return (e & PTE_V) && (e >> 10) == (pa >> 12);
}

static void flush_tlb(void)
{
    __asm__ volatile("sfence.vma" ::: "memory");
}

static void flush_page(keel_word_t va)
{
    __asm__ volatile("sfence.vma %0" ::"r"(va) : "memory");
}

/* [va, va + 2^bits) lies in user space: below 2^38 and outside root
 * entries 0 and 2 (the kernel's). */
static bool user_range(keel_word_t va, unsigned bits)
{
    keel_word_t end = va + (1ul << bits) - 1;
    return end >= va && end < USER_TOP && VPN(va, 2) == VPN(end, 2) && VPN(va, 2) != 0 &&
           VPN(va, 2) != 2;
}

void arch_vspace_init(keel_word_t root)
{
    keel_word_t *r = (keel_word_t *)root;
    r[0] = page_root[0];
    r[2] = page_root[2];
}

/* The table at `level` on the way to va (walking down from the root), or
 * 0 with *err set: a level missing, or a leaf in the way. */
static keel_word_t *walk(keel_word_t root, keel_word_t va, unsigned level, int *err)
{
    keel_word_t *t = (keel_word_t *)root;
    for (unsigned l = 2; l > level; l--) {
        keel_word_t e = t[VPN(va, l)];
        if (!(e & PTE_V)) {
            *err = KEEL_FAILED_LOOKUP;
            return 0;
        }
        if (e & PTE_LEAF) {
            *err = KEEL_DELETE_FIRST;
            return 0;
        }
        t = pte_table(e);
    }
    return t;
}

int arch_vspace_map_frame(keel_word_t root, keel_word_t va, keel_word_t frame, unsigned bits,
                          bool writable, bool executable)
{
    unsigned level = bits == 21 ? 1 : 0;
    int err = KEEL_OK;
    if (!user_range(va, bits))
        return KEEL_RANGE_ERROR;
    keel_word_t *t = walk(root, va, level, &err);
    if (!t)
        return err;
    keel_word_t *e = &t[VPN(va, level)];
    if (*e & PTE_V)
        return KEEL_DELETE_FIRST;
    *e = pte(frame, PTE_U | PTE_R | (writable ? PTE_W : 0) | (executable ? PTE_X : 0));
    flush_page(va);
    return KEEL_OK;
}

void arch_vspace_unmap_frame(keel_word_t root, keel_word_t va, keel_word_t frame, unsigned bits)
{
    unsigned level = bits == 21 ? 1 : 0;
    int err;
    keel_word_t *t = user_range(va, bits) ? walk(root, va, level, &err) : 0;
    if (t && pte_points_at(t[VPN(va, level)], frame) && (t[VPN(va, level)] & PTE_LEAF)) {
        t[VPN(va, level)] = 0;
        flush_page(va);
    }
}

int arch_vspace_map_table(keel_word_t root, keel_word_t va, keel_word_t table)
{
    if (!user_range(va, 12))
        return KEEL_RANGE_ERROR;
    keel_word_t *t = (keel_word_t *)root;
    for (unsigned l = 2; l >= 1; l--) {
        keel_word_t *e = &t[VPN(va, l)];
        if (!(*e & PTE_V)) {
            *e = ((table >> 12) << 10) | PTE_V;
            flush_tlb();
            return KEEL_OK;
        }
        if (*e & PTE_LEAF)
            break;
        t = pte_table(*e);
    }
    return KEEL_DELETE_FIRST;
}

void arch_vspace_unmap_table(keel_word_t root, keel_word_t va, keel_word_t table)
{
    if (!user_range(va, 12))
        return;
    keel_word_t *t = (keel_word_t *)root;
    for (unsigned l = 2; l >= 1; l--) {
        keel_word_t *e = &t[VPN(va, l)];
        if (!(*e & PTE_V) || (*e & PTE_LEAF))
            return;
        if (pte_points_at(*e, table)) {
            *e = 0;
            flush_tlb();
            return;
        }
        t = pte_table(*e);
    }
}

void arch_vspace_activate(keel_word_t root)
{
    if (root == active_root)
        return;
    active_root = root;
    csr_write(satp, SATP_SV39 | ((root ? root : (keel_word_t)page_root) >> 12));
    flush_tlb();
}

void arch_vspace_forget(keel_word_t root)
{
    keel_word_t *r = (keel_word_t *)root;
    for (unsigned i = 1; i < 512; i++)
        if (i != 2) /* the kernel's entries 0 and 2 stay */
            r[i] = 0;
    if (root == active_root)
        arch_vspace_activate(0);
    flush_tlb();
}

/* ---- interrupts: the SBI timer and the PLIC ---- */

bool arch_irq_enabled(void)
{
    return csr_read(sstatus) & 2; /* SIE */
}

bool arch_irq_pending(void)
{
    return csr_read(sip) & csr_read(sie) & (SIE_STIE | SIE_SEIE);
}

void arch_irq_mask(unsigned irq, bool masked)
{
    if (irq == ARCH_IRQ_TIMER || irq >= ARCH_NUM_IRQS)
        return;
    keel_word_t word = PLIC_ENABLE_S + 4ul * (irq / 32);
    uint32_t bit = 1u << (irq % 32);
    mmio_w32(word, masked ? mmio_r32(word) & ~bit : mmio_r32(word) | bit);
    /* Priority 1 (above the threshold 0), written after the enable bit:
     * QEMU's PLIC re-evaluates its output on a priority write, not on an
     * enable write, so a line unmasked while pending would wait. */
    mmio_w32(PLIC_BASE + 4ul * irq, 1);
}

/* The PLIC holds a claimed source until it is completed: completing it
 * is the acknowledgement. */
void arch_irq_ack(unsigned irq)
{
    if (irq != ARCH_IRQ_TIMER && irq < ARCH_NUM_IRQS)
        mmio_w32(PLIC_CLAIM_S, irq);
}

static void sbi_set_timer(uint64_t ticks)
{
    register keel_word_t a0 __asm__("a0") = ticks;
    register keel_word_t a6 __asm__("a6") = 0;
    register keel_word_t a7 __asm__("a7") = 0x54494d45; /* "TIME" */
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a6), "r"(a7) : "a1", "memory");
}

uint64_t arch_time_now(void)
{
    return csr_read(time) * NS_PER_TICK;
}

static bool has_sstc;
static uint64_t timer_ticks = UINT64_MAX; /* what the timer is set to */

static void timer_program(uint64_t ticks)
{
    timer_ticks = ticks;
    if (has_sstc)
        csr_write(0x14d, ticks); /* stimecmp */
    else
        sbi_set_timer(ticks);
}

void arch_timer_set(uint64_t deadline_ns)
{
    /* Round up: the interrupt must not come before the deadline. */
    uint64_t ticks = deadline_ns == UINT64_MAX ? UINT64_MAX
                                               : (deadline_ns + NS_PER_TICK - 1) / NS_PER_TICK;
    if (ticks != timer_ticks)
        timer_program(ticks);
}

bool arch_inject_retype_failure(void)
{
    return false;
}

#define TRACE_BYTES (4ul << 20)
/* trace_buf: the trace file being built, or 0 */
static keel_word_t trace_len, trace_dropped;

void arch_trace_write(const struct keel_trace_rec *r)
{
    if (!trace_buf)
        return;
    if (TRACE_BYTES - trace_len < sizeof(*r)) {
        trace_dropped++;
        return;
    }
    memcpy(trace_buf + trace_len, r, sizeof(*r));
    trace_len += sizeof(*r);
}

static void trace_start(keel_word_t at)
{
    struct keel_trace_header h = {.version = KEEL_TRACE_VERSION,
                                  .record_bytes = sizeof(struct keel_trace_rec),
                                  .word_bits = KEEL_WORD_BITS};
    for (unsigned i = 0; i < sizeof(h.magic); i++)
        h.magic[i] = KEEL_TRACE_MAGIC[i];
    for (unsigned i = 0; i + 1 < sizeof(h.system) && rv_system_name[i]; i++)
        h.system[i] = rv_system_name[i];
    trace_buf = (unsigned char *)at;
    memcpy(trace_buf, &h, sizeof(h));
    trace_len = sizeof(h);
}

static void trace_dump(void)
{
    put_str("\nKEEL-TRACE-BEGIN ");
    put_hex(trace_len);
    put_str(" ");
    put_hex(trace_dropped);
    for (keel_word_t i = 0; i < trace_len; i++) {
        if (i % 32 == 0)
            arch_putc('\n');
        arch_putc("0123456789abcdef"[trace_buf[i] >> 4]);
        arch_putc("0123456789abcdef"[trace_buf[i] & 15]);
    }
    put_str("\nKEEL-TRACE-END\n");
}

/* Take whatever interrupt is pending: the timer (disarmed first, the
 * kernel re-arms it) or a PLIC source (claimed; the IRQHandler's Ack
 * completes it). */
static void take_interrupts(void)
{
    keel_word_t pending = csr_read(sip) & csr_read(sie);
    if (pending & SIE_STIE) {
        timer_program(UINT64_MAX);
        kentry_irq(ARCH_IRQ_TIMER);
    }
    if (pending & SIE_SEIE) {
        uint32_t irq = mmio_r32(PLIC_CLAIM_S);
        if (irq && irq < ARCH_NUM_IRQS)
            kentry_irq(irq);
        else if (irq)
            mmio_w32(PLIC_CLAIM_S, irq);
    }
}

/* The next thread to run; the CPU waits for interrupts while there is none. */
static arch_ctx_t *next_ctx(void)
{
    arch_ctx_t *c;
    while (!(c = kentry_exit_ctx())) {
        __asm__ volatile("wfi");
        take_interrupts();
    }
    return c;
}

arch_ctx_t *rv_trap(arch_ctx_t *c)
{
    keel_word_t cause = csr_read(scause);
    if (cause == EXC_ECALL_U) {
        /* Resume past the ecall unless the syscall restarts (advance). */
        c->x[RV_CTX_PC] += 4;
        c->advance = 4;
        keel_word_t n = c->x[RV_REG_T0];
        if (__builtin_expect(n != RV_TRAP_USER_EXCEPTION && n != RV_TRAP_VM_FAULT, 1))
            kentry_syscall();
        else if (n == RV_TRAP_USER_EXCEPTION)
            kentry_fault(KEEL_FAULT_USER_EXCEPTION, c->x[RV_REG_A0], c->x[RV_REG_A0 + 1], 0);
        else
            kentry_fault(KEEL_FAULT_VM, c->x[RV_REG_A0], 0, 0);
        return next_ctx();
    }
    c->advance = 0; /* the pc is the interrupted or faulting instruction */
    if (cause & SCAUSE_IRQ) {
        take_interrupts();
        return next_ctx();
    }
    keel_word_t tval = csr_read(stval);
    switch (cause) {
    case EXC_INST_PAGE:
    case EXC_LOAD_PAGE:
    case EXC_STORE_PAGE:
        kentry_fault(KEEL_FAULT_VM, tval, cause == EXC_INST_PAGE, cause);
        break;
    default:
        kentry_fault(KEEL_FAULT_USER_EXCEPTION, cause, tval, 0);
        break;
    }
    return next_ctx();
}

/* ---- boot ---- */

/* The kernel's map, for the supervisor only: devices (one gigapage), the
 * kernel's megapage, and all RAM up to ram_top. */
static void map_memory(keel_word_t ram_top)
{
    page_root[0] = pte(0, PTE_R | PTE_W | PTE_G);
    page_root[2] = (((keel_word_t)page_l1 >> 12) << 10) | PTE_V;
    for (keel_word_t pa = KERNEL_BASE; pa < USER_BASE; pa += MEGA)
        page_l1[(pa - 0x80000000ul) / MEGA] = pte(pa, PTE_R | PTE_W | PTE_X | PTE_G);
    for (keel_word_t pa = USER_BASE; pa < ram_top; pa += MEGA)
        page_l1[(pa - 0x80000000ul) / MEGA] = pte(pa, PTE_R | PTE_W | PTE_G);
    flush_tlb();
    csr_write(satp, SATP_SV39 | ((keel_word_t)page_root >> 12));
    flush_tlb();
}

/* The ELF64 header and program header (their layout: the loader reads
 * only some fields; tools/cppcheck.supp lets the rest be unused). */
struct elf64_ehdr {
    unsigned char ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
#define PT_LOAD 1
#define EM_RISCV 243

/* Copy the user image's loadable segments into RAM (link address
 * USER_VBASE + x goes to USER_BASE + x, below ram_end); returns the entry
 * point and sets *end to the first user address after the highest segment. */
static keel_word_t load_user_image(keel_word_t ram_end, keel_word_t *end)
{
    const unsigned char *img = rv_user_image;
    /* cppcheck-suppress comparePointers ; two linker symbols around one blob */
    keel_word_t size = (keel_word_t)(rv_user_image_end - rv_user_image);
    const struct elf64_ehdr *eh = (const void *)img;
    if (size < sizeof(*eh) || img[0] != 0x7f || img[1] != 'E' || img[2] != 'L' ||
        img[3] != 'F' || img[4] != 2 || eh->machine != EM_RISCV ||
        eh->phentsize != sizeof(struct elf64_phdr) ||
        eh->phoff + (keel_word_t)eh->phnum * sizeof(struct elf64_phdr) > size)
        panic("the packed user image is not a riscv64 ELF file, size", size);
    keel_word_t limit = USER_VBASE + (ram_end - USER_BASE);
    *end = USER_VBASE;
    for (unsigned i = 0; i < eh->phnum; i++) {
        const struct elf64_phdr *ph = (const void *)(img + eh->phoff + i * sizeof(*ph));
        if (ph->type != PT_LOAD || ph->memsz == 0)
            continue;
        if (ph->vaddr < USER_VBASE || ph->vaddr >= limit || ph->memsz > limit - ph->vaddr ||
            ph->filesz > ph->memsz || ph->offset + ph->filesz > size)
            panic("a user segment lies outside user RAM or the image, at", ph->vaddr);
        unsigned char *to = (unsigned char *)(ph->vaddr - USER_VBASE + USER_BASE);
        memcpy(to, img + ph->offset, ph->filesz);
        memset(to + ph->filesz, 0, ph->memsz - ph->filesz);
        if (ph->vaddr + ph->memsz > *end)
            *end = ph->vaddr + ph->memsz;
    }
    __asm__ volatile("fence.i" ::: "memory");
    return eh->entry;
}

/* Does the device tree's riscv,isa string name Sstc?  The blob is
 * searched for "_sstc": nothing else in a device tree spells it. */
static bool dtb_has_sstc(keel_word_t dtb)
{
    const unsigned char *b = (const unsigned char *)dtb;
    if (b[0] != 0xd0 || b[1] != 0x0d || b[2] != 0xfe || b[3] != 0xed)
        return false;
    uint32_t size = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
    for (uint32_t i = 0; i + 5 <= size && i < (1u << 20); i++)
        if (b[i] == '_' && b[i + 1] == 's' && b[i + 2] == 's' && b[i + 3] == 't' && b[i + 4] == 'c')
            return true;
    return false;
}

#define ROOT_STACK_BYTES (64ul << 10)

void rv_boot(keel_word_t hart, keel_word_t dtb)
{
    (void)hart;
    if ((keel_word_t)__kernel_end > USER_BASE)
        panic("the kernel image overlaps user RAM, ending at", (keel_word_t)__kernel_end);
    /* QEMU puts the device tree in the last 2 MiB of RAM: RAM ends there
     * for us. */
    keel_word_t ram_end = dtb & ~(MEGA - 1);
    if (ram_end <= USER_BASE + 4 * MEGA || ram_end > RAM_LIMIT)
        panic("unexpected RAM layout: device tree at", dtb);
    has_sstc = dtb_has_sstc(dtb); /* read before paging: the tree is not mapped */
    keel_word_t top = ram_end;
    if (rv_trace_on)
        ram_end -= TRACE_BYTES;
    map_memory(top);
    if (rv_trace_on)
        trace_start(ram_end);
    keel_word_t user_end;
    keel_word_t entry = load_user_image(ram_end, &user_end);
    /* The root task's stack: the first 64 KiB after its image, mapped
     * with it. */
    keel_word_t stack = (user_end + 4095) & ~4095ul;
    keel_word_t image_bytes = stack + ROOT_STACK_BYTES - USER_VBASE;
    keel_word_t free = USER_BASE + image_bytes;
    if (free >= ram_end)
        panic("the user image does not fit RAM, bytes", image_bytes);
    memset((void *)(stack - USER_VBASE + USER_BASE), 0, ROOT_STACK_BYTES);
    struct kboot_params p = {
        .ram = {{free, ram_end - free}},
        .ram_count = 1,
        /* Device untyped: the goldfish RTC, the UART (for user drivers; the
         * kernel's debug console writes it too), the virtio-mmio slots and
         * the PCIe MMIO window (the PLIC and the test device stay the
         * kernel's). */
        .dev = {{0x101000ul, 0x1000ul}, {UART_BASE, 0x1000ul}, {0x10001000ul, 0x8000ul},
                {0x40000000ul, 0x40000000ul}},
        .dev_count = 4,
        .root_entry = entry,
        .root_stack_top = stack + ROOT_STACK_BYTES,
        .image_paddr = USER_BASE,
        .image_vaddr = USER_VBASE,
        .image_bytes = image_bytes,
        .map_start = MAP_START,
        .map_end = USER_TOP,
        .log_user_errors = false,
        .trace = rv_trace_on,
    };
    csr_set(sie, SIE_STIE | SIE_SEIE);
    csr_write(scounteren, 7ul); /* user code may read cycle, time and instret */
    mmio_w32(PLIC_THRESHOLD_S, 0);
    kentry_boot(&p);
    rv_resume(next_ctx());
}
