/*
 * arch/arch.h - the contract between Keel's portable core (kernel/) and a
 * port (arch/<port>/).  This file is the whole boundary: kernel/ includes
 * this and nothing else from arch/, and ports call the core only through the
 * kentry_* functions declared at the end.
 *
 * A port also provides <arch_types.h> (found through -Iarch/<port>) with:
 *   arch_ctx_t              a thread's saved user context (lives in the TCB)
 *   arch_ctx_sysno, arch_ctx_get, arch_ctx_set   static inline (below: the
 *                           IPC paths read and write the syscall registers
 *                           many times per message, and a call each was
 *                           ~15% of a riscv64 round trip)
 *   ARCH_FRAME_SIZE_MASK    bit n set: Frames of 2^n bytes are supported
 *   ARCH_IRQ_TIMER          the interrupt number of the kernel timer
 *   ARCH_NUM_IRQS           the number of interrupt lines
 *   ARCH_CTX_MAX_BYTES      an upper bound of sizeof(arch_ctx_t) (TCB layout)
 *   ARCH_USER_REGS          registers in the user register frame (>= KEEL_UREG_PORTABLE)
 *   ARCH_PAGE_TABLE_BITS    log2 size of a PageTable object; 0: no page tables
 *
 * Execution model (the same on every port): the kernel is an event handler.
 * A port enters it with kentry_syscall() or kentry_irq(), with interrupts
 * disabled; the kernel handles the event, picks the next thread and returns;
 * the port then resumes kentry_exit_ctx() (or idles when that is NULL).  The
 * kernel never switches stacks itself and never runs on a user stack.
 */
#ifndef KEEL_ARCH_H
#define KEEL_ARCH_H

#include <keel/errors.h>
#include <keel/types.h>
#include <arch_types.h>

/* ---------------------------------------------------------------------
 * Implemented by every port.
 * --------------------------------------------------------------------- */

/* Thread contexts.  `arg0` is the first argument the thread's entry gets. */
void arch_ctx_init(arch_ctx_t *c, keel_word_t entry, keel_word_t stack_top, keel_word_t arg0);
/* Forget a context whose TCB is being destroyed (release host resources). */
void arch_ctx_release(arch_ctx_t *c);
/* Inline in <arch_types.h>:
 *   keel_word_t arch_ctx_sysno(const arch_ctx_t *c)
 *       the syscall number of the trap that entered the kernel;
 *   keel_word_t arch_ctx_get(const arch_ctx_t *c, unsigned i)
 *   void arch_ctx_set(arch_ctx_t *c, unsigned i, keel_word_t v)
 *       syscall register i (enum keel_sysreg): arguments in, results out;
 *       i >= KEEL_REG_COUNT reads 0 and writes nothing. */
/* Make the thread execute its syscall again when it next runs (used when
 * a syscall stops at a preemption point, or a blocked thread is suspended). */
void arch_ctx_restart_syscall(arch_ctx_t *c);
/* The user register frame (keel/fault.h, enum keel_user_reg), i < ARCH_USER_REGS:
 * TCB_Read/WriteRegisters and fault messages.  Writing the PC or SP of a
 * thread that is not running takes effect when it next runs. */
keel_word_t arch_ctx_user_get(const arch_ctx_t *c, unsigned i);
void arch_ctx_user_set(arch_ctx_t *c, unsigned i, keel_word_t v);

/* Memory: kernel pointers to physical addresses and back. */
keel_word_t arch_kptr_to_paddr(const void *p);
void *arch_paddr_to_kptr(keel_word_t paddr);
/* The address at which every thread reaches a frame when the arch has no
 * per-thread translation (sim, MPU ports), or 0 (frames must be mapped). */
keel_word_t arch_frame_user_addr(const void *frame);

/* Address spaces (ports with ARCH_PAGE_TABLE_BITS != 0; the others are
 * only ever called arch_vspace_activate(0)).  The core owns the objects,
 * the ASIDs and the record of what is mapped where (in the capabilities,
 * kernel/vspace.c); the port owns the page-table format.  Tables and frames
 * are kernel pointers to objects of their size, a root is a table that
 * arch_vspace_init() prepared, vaddr a user address.  The map functions
 * return KEEL_OK or the caller's error:
 *   KEEL_RANGE_ERROR    vaddr (and the size after it) is not user space
 *   KEEL_FAILED_LOOKUP  a page table on the way to vaddr is missing
 *   KEEL_DELETE_FIRST   something is mapped there already
 * The unmap functions clear an entry only if it still points at the given
 * frame or table (mappings outlive neither), and flush the TLB for it. */
void arch_vspace_init(keel_word_t root);
int arch_vspace_map_frame(keel_word_t root, keel_word_t vaddr, keel_word_t frame, unsigned bits,
                          bool writable, bool executable);
void arch_vspace_unmap_frame(keel_word_t root, keel_word_t vaddr, keel_word_t frame,
                             unsigned bits);
/* Link `table` at the first level on the way to vaddr that has no table. */
int arch_vspace_map_table(keel_word_t root, keel_word_t vaddr, keel_word_t table);
void arch_vspace_unmap_table(keel_word_t root, keel_word_t vaddr, keel_word_t table);
/* `root` lost its ASID (its last cap or its pool was deleted): remove
 * every user mapping from it (a dead root that a thread may still run in,
 * faulting), and leave nothing of it active or cached. */
void arch_vspace_forget(keel_word_t root);
/* The next thread runs in `root` (0: a thread without an address space,
 * or no page tables).  Called at every kernel exit: cheap when unchanged. */
void arch_vspace_activate(keel_word_t root);

/* Interrupts.  The kernel always runs with interrupts disabled. */
bool arch_irq_enabled(void);
bool arch_irq_pending(void);          /* polled at preemption points */
void arch_irq_mask(unsigned irq, bool masked);
/* End of interrupt at the controller (the core calls it before masking
 * the line, which it keeps masked until the driver's IRQHandler_Ack). */
void arch_irq_ack(unsigned irq);

/* Time, in nanoseconds since boot; a one-shot timer raising ARCH_IRQ_TIMER. */
uint64_t arch_time_now(void);
void arch_timer_set(uint64_t deadline_ns);

/* Fault injection (testbeds): true if this Untyped_Retype, otherwise
 * valid, should fail as if the untyped were exhausted.  Hardware ports
 * return false. */
bool arch_inject_retype_failure(void);

/* The kernel trace (keel/trace.h): store one record.  Called only when
 * tracing is compiled in (CONFIG_TRACE) and switched on (kboot_params). */
struct keel_trace_rec;
void arch_trace_write(const struct keel_trace_rec *r);

/* Debug console and stopping the system.  arch_halt() does not return on
 * hardware; on sim it returns and the run ends after this kernel entry. */
void arch_putc(char c);
void arch_halt(int status);

/* ---------------------------------------------------------------------
 * Implemented by the core, called by ports.
 * --------------------------------------------------------------------- */

struct kboot_region {
    keel_word_t paddr;
    keel_word_t size;
};

#define KBOOT_MAX_REGIONS 8

struct kboot_params {
    struct kboot_region ram[KBOOT_MAX_REGIONS];  /* free RAM, for boot objects and untyped */
    unsigned ram_count;
    struct kboot_region dev[KBOOT_MAX_REGIONS];  /* device memory: device untyped */
    unsigned dev_count;
    keel_word_t root_entry;       /* root task entry point (user address) */
    keel_word_t root_stack_top;   /* and its initial stack pointer */
    /* Ports with page tables: the root task's image (with its stack), at
     * image_paddr in RAM outside ram[], to be mapped at image_vaddr; user
     * addresses [map_start, map_end) are free for the boot frames (IPC
     * buffer, boot info) and then for the root task. */
    keel_word_t image_paddr, image_vaddr, image_bytes;
    keel_word_t map_start, map_end;
    unsigned root_cnode_radix;    /* 0: the default (CONFIG_ROOT_CNODE_RADIX) */
    bool log_user_errors;         /* debug builds: print a line per failed invocation */
    bool trace;                   /* emit trace records (CONFIG_TRACE builds) */
};

/* Build the initial system; the root task is current afterwards. */
void kentry_boot(const struct kboot_params *p);
/* The current thread executed a syscall; its registers are in its context. */
void kentry_syscall(void);
/* Interrupt `irq` is pending. */
void kentry_irq(unsigned irq);
/* The current thread took a user exception (KEEL_FAULT_USER_EXCEPTION:
 * w0 = number, w1 = code) or a VM fault (KEEL_FAULT_VM: w0 = address,
 * w1 = 1 for an instruction fetch, w2 = the arch's fault status). */
void kentry_fault(unsigned type, keel_word_t w0, keel_word_t w1, keel_word_t w2);
/* The context to resume, or NULL when the CPU should idle until an interrupt. */
arch_ctx_t *kentry_exit_ctx(void);

#endif /* KEEL_ARCH_H */
