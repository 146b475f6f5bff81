/*
 * tests/rv64/faults.c - real hardware exceptions on the riscv64 port, as
 * the root task `rv64faults` (make rv64-test).  The portable suite
 * (tests/sys) raises faults through the ports' test traps; this program
 * makes the CPU raise them and checks what reaches the fault handler:
 *
 *   - an illegal instruction: a UserException, number = scause 2, code =
 *     stval, PC = the instruction;
 *   - a load and a store to supervisor-only memory (the device window at
 *     0x1000): VM faults with the address, prefetch 0, FSR = scause 13, 15;
 *   - a jump to 0x2000: a VM fault with prefetch 1, PC = 0x2000.
 *
 * The handler (this root task) resumes the thread each time by replying
 * with its register frame edited: past the instruction, or back to the
 * return address after the bad jump.  It prints one line per check and
 * halts with the number of failures.
 */
#include <libkeel.h>

#define ROOT KEEL_SLOT_INIT_CNODE
#define STACK_BYTES (16u << 10)
#define BAD_DATA 0x1000ul   /* in the supervisor-only device gigapage */
#define BAD_CODE 0x2000ul
#define RV_UREG_RA 11       /* ra in the riscv64 user frame (docs/abi.md 1.2) */

static unsigned char stack[STACK_BYTES] __attribute__((aligned(16)));
static volatile unsigned stage;
static volatile keel_word_t loaded;
static unsigned failures;

static void expect(bool ok, const char *what)
{
    keel_printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    failures += !ok;
}

/* The faulting thread: each step traps, and the handler lets it go on.
 * Each faulting instruction is a 4-byte one (norvc: no compressed form),
 * so the handler skips it with PC + 4. */
#define FULL(insn) ".option push\n.option norvc\n" insn "\n.option pop"
static void faulter(keel_word_t park)
{
    stage = 1;
    __asm__ volatile(".word 0" ::: "memory"); /* all-zero: illegal (and 4 bytes) */
    stage = 2;
    keel_word_t v = 0x77;
    __asm__ volatile(FULL("ld %0, 0(%1)") : "+r"(v) : "r"(BAD_DATA) : "memory");
    loaded = v; /* the handler skipped the load: v is unchanged */
    stage = 3;
    __asm__ volatile(FULL("sd %0, 0(%1)") ::"r"(v), "r"(BAD_DATA) : "memory");
    stage = 4;
    __asm__ volatile(FULL("jalr ra, 0(%0)") ::"r"(BAD_CODE) : "ra", "memory");
    stage = 5;
    for (;;) { /* done: wait on a notification nobody signals */
        keel_word_t badge, mr[KEEL_MSG_REGS];
        keel_wait(park, &badge, mr);
    }
}

struct fault {
    keel_msginfo_t info;
    keel_word_t badge, w[8];
};

static void take(keel_cptr_t ep, keel_cptr_t reply, struct fault *f)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    f->info = keel_recv(ep, &f->badge, reply, mr);
    for (unsigned i = 0; i < 8; i++)
        f->w[i] = i < KEEL_MSG_REGS ? mr[i] : keel_ipc_buffer()->msg[i];
}

/* Resume the thread with registers 0..n-1 of its frame replaced by regs. */
static void resume_with(keel_cptr_t reply, const keel_word_t *regs, unsigned n)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    for (unsigned i = 0; i < n; i++) {
        if (i < KEEL_MSG_REGS)
            mr[i] = regs[i];
        else
            keel_ipc_buffer()->msg[i] = regs[i];
    }
    keel_reply(reply, keel_msginfo(0, 0, 0, n), mr);
}

static int rv64_faults_main(const struct keel_bootinfo *bi)
{
    struct keel_alloc a;
    struct keel_thread t;
    keel_cptr_t ep, reply, fault_ep, park;
    keel_alloc_init(&a, bi);
    keel_printf("riscv64 hardware faults\n");
    if (keel_alloc_object(&a, KEEL_OBJ_ENDPOINT, 0, &ep) ||
        keel_alloc_object(&a, KEEL_OBJ_REPLY, 0, &reply) ||
        keel_alloc_object(&a, KEEL_OBJ_NOTIFICATION, 0, &park) ||
        !(fault_ep = keel_slot_alloc(&a.slots)) ||
        keel_cnode_mint(ROOT, fault_ep, KEEL_WORD_BITS, ROOT, ep, KEEL_WORD_BITS,
                        KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT, 0x5a) ||
        keel_thread_create(&a, &t, faulter, park, stack + STACK_BYTES, 100, fault_ep) ||
        keel_thread_give_time(&a, &t, KEEL_SLOT_SCHED_CONTROL, 1000, 1000, 0) ||
        keel_thread_start(&t)) {
        keel_perror("setup");
        return 1;
    }
    struct fault f;
    keel_word_t pc;

    take(ep, reply, &f); /* 1: the illegal instruction */
    expect(keel_msginfo_label(f.info) == KEEL_FAULT_USER_EXCEPTION && f.badge == 0x5a,
           "an illegal instruction is a UserException to the handler");
    expect(f.w[KEEL_USER_EXC_NUMBER] == 2 && stage == 1, "  its number is scause 2 (illegal)");
    pc = f.w[KEEL_USER_EXC_PC] + 4;
    resume_with(reply, &pc, 1); /* PC past it */

    take(ep, reply, &f); /* 2: the load */
    expect(keel_msginfo_label(f.info) == KEEL_FAULT_VM && f.w[KEEL_VM_FAULT_ADDR] == BAD_DATA,
           "a load from supervisor memory is a VM fault with its address");
    expect(f.w[KEEL_VM_FAULT_PREFETCH] == 0 && f.w[KEEL_VM_FAULT_FSR] == 13 && stage == 2,
           "  not a fetch; FSR = scause 13 (load page fault)");
    pc = f.w[KEEL_VM_FAULT_PC] + 4;
    resume_with(reply, &pc, 1);

    take(ep, reply, &f); /* 3: the store */
    expect(keel_msginfo_label(f.info) == KEEL_FAULT_VM && f.w[KEEL_VM_FAULT_ADDR] == BAD_DATA &&
               f.w[KEEL_VM_FAULT_FSR] == 15 && stage == 3 && loaded == 0x77,
           "a store is a VM fault with FSR = scause 15; the skipped load left its register");
    pc = f.w[KEEL_VM_FAULT_PC] + 4;
    resume_with(reply, &pc, 1);

    take(ep, reply, &f); /* 4: the jump */
    expect(keel_msginfo_label(f.info) == KEEL_FAULT_VM && f.w[KEEL_VM_FAULT_PC] == BAD_CODE &&
               f.w[KEEL_VM_FAULT_ADDR] == BAD_CODE && f.w[KEEL_VM_FAULT_PREFETCH] == 1,
           "a jump to supervisor memory is a VM fault on the fetch, PC = the target");
    keel_word_t frame[RV_UREG_RA + 1];
    expect(keel_tcb_read_registers(t.tcb, false, RV_UREG_RA + 1, frame) == KEEL_OK &&
               frame[KEEL_UREG_PC] == BAD_CODE,
           "  ReadRegisters sees the same PC");
    frame[KEEL_UREG_PC] = frame[RV_UREG_RA]; /* back to after the jalr */
    resume_with(reply, frame, RV_UREG_RA + 1);

    /* Below the thread's priority: it runs to its end and waits there. */
    keel_tcb_set_priority(KEEL_SLOT_INIT_TCB, KEEL_SLOT_INIT_TCB, 50);
    expect(stage == 5, "the thread went on after every fault");
    keel_tcb_suspend(t.tcb);
    keel_printf("rv64faults: %u failures\n", failures);
    return failures ? 1 : 0;
}

KEEL_ROOT_TASK(rv64faults, "real exceptions on riscv64 reach the fault handler", rv64_faults_main);
