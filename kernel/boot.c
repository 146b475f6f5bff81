/*
 * kernel/boot.c - building the initial system: the root task's CNode, TCB,
 * scheduling context, IPC buffer and boot info, the singleton control
 * caps, and untyped caps covering the rest of memory.  Read top to bottom in kentry_boot().
 *
 * Boot objects are carved from the start of the first RAM region that fits
 * them; they are not covered by any untyped cap (as in seL4).  What remains
 * of every region is cut into the largest naturally aligned power-of-two
 * blocks, each an untyped cap.  All boot caps form one MDB list.
 *
 * On ports with page tables the root task also gets ASIDControl, the first
 * ASID pool, and a VSpace (ASID 1):
 * its image's frames mapped where the port loaded it, one cap per page,
 * then the boot info and IPC buffer frames mapped at the start of the
 * port's free user addresses.  The page tables those mappings need are
 * boot objects without caps: they live as long as the root's VSpace.
 */
#include "trace.h"

/* Free RAM during boot: the port's regions, plus the alignment padding
 * left in front of each boot object (at most one piece per object). */
#define CARVE_MAX (KBOOT_MAX_REGIONS + 4)
struct carve {
    struct kboot_region ram[CARVE_MAX];
    unsigned count;
};

/* Take 2^bits aligned bytes from the first region that has them; the
 * padding skipped in front stays free as a region of its own. */
static word_t carve_take(struct carve *c, unsigned bits)
{
    for (unsigned i = 0; i < c->count; i++) {
        struct kboot_region *r = &c->ram[i];
        word_t start = align_up(r->paddr, bits);
        if (start < r->paddr || start - r->paddr > r->size ||
            r->size - (start - r->paddr) < BIT(bits))
            continue;
        if (start != r->paddr && c->count < CARVE_MAX)
            c->ram[c->count++] = (struct kboot_region){r->paddr, start - r->paddr};
        r->size -= start + BIT(bits) - r->paddr;
        r->paddr = start + BIT(bits);
        void *p = arch_paddr_to_kptr(start);
        kmemset(p, 0, BIT(bits));
        return (word_t)p;
    }
    kpanic("boot: not enough memory for the root task's objects");
}

/* The root task's address space while boot fills it (root 0: none). */
struct boot_vspace {
    word_t root;
    word_t next;        /* the next free user address for boot frames */
};

/* LCOV_EXCL_START: ports with page tables only (see kernel/vspace.c) */
/* Map the frame cap c (4 KiB) at vaddr in the root's VSpace, carving the
 * page tables it needs, and record the mapping in the cap. */
static void boot_map(struct carve *mem, const struct boot_vspace *v, cap_t *c, word_t vaddr,
                     bool exec)
{
    int r;
    while ((r = arch_vspace_map_frame(v->root, vaddr, c->obj, KEEL_PAGE_BITS, true, exec)) ==
           KEEL_FAILED_LOOKUP)
        if (arch_vspace_map_table(v->root, vaddr, carve_take(mem, ARCH_PAGE_TABLE_BITS)) != KEEL_OK)
            kpanic("boot: cannot link a page table for the root task");
    if (r != KEEL_OK)
        kpanic("boot: cannot map the root task's memory (check the port's addresses)");
    c->aux = 1;
    c->data = vaddr;
}
/* LCOV_EXCL_STOP */

/* Where the root task sees a boot frame: mapped at the next free address
 * (and a guard page), or where every thread sees it without page tables. */
static word_t boot_user_addr(struct carve *mem, struct boot_vspace *v, cap_t *c)
{
    if (!v->root)
        return arch_frame_user_addr((const void *)c->obj);
    boot_map(mem, v, c, v->next, false);
    v->next += 2 * BIT(KEEL_PAGE_BITS);
    return c->data;
}

static slot_t *root_slot(word_t cnode, word_t i)
{
    return cnode_slot(cnode, i);
}

static void give(word_t cnode, word_t i, cap_t c)
{
    mdb_insert_after(ks.mdb_head.mdb_prev, root_slot(cnode, i), &c);
}

/* Cut [paddr, paddr+size) into untyped caps from slot *next on. */
static void give_untyped(word_t cnode, word_t nslots, struct keel_bootinfo *bi, word_t *next,
                         word_t paddr, word_t size, bool device)
{
    while (size >= BIT(KEEL_UNTYPED_MIN_BITS) && *next < nslots &&
           bi->untyped_count < KEEL_BOOTINFO_MAX_UNTYPED) {
        unsigned bits = KEEL_UNTYPED_MAX_BITS;
        while (bits > KEEL_UNTYPED_MIN_BITS && (BIT(bits) > size || !is_aligned(paddr, bits)))
            bits--;
        if (!is_aligned(paddr, bits)) { /* skip to the next 16-byte boundary */
            word_t skip = align_up(paddr, bits) - paddr;
            paddr += skip;
            size = size > skip ? size - skip : 0;
            continue;
        }
        cap_t c = {.obj = (word_t)arch_paddr_to_kptr(paddr), .type = KEEL_CAP_UNTYPED,
                   .rights = KEEL_RIGHTS_ALL, .bits = (uint8_t)bits,
                   .flags = (uint8_t)(CAP_F_REVOCABLE | (device ? CAP_F_DEVICE : 0))};
        give(cnode, *next, c);
        bi->untyped_list[bi->untyped_count++] =
            (struct keel_untyped_desc){.paddr = paddr, .size_bits = (uint8_t)bits,
                                       .is_device = device};
        ++*next;
        paddr += BIT(bits);
        size -= BIT(bits);
    }
}

void kentry_boot(const struct kboot_params *p)
{
    struct carve mem = {.count = p->ram_count};
    unsigned radix = p->root_cnode_radix ? p->root_cnode_radix : CONFIG_ROOT_CNODE_RADIX;
    word_t nslots = BIT(radix);

    if (radix < CONFIG_ROOT_CNODE_MIN_RADIX || radix > KEEL_CNODE_MAX_RADIX)
        kpanic("boot: root CNode radix out of range");  /* a port misconfiguration */
    kmemset(&ks, 0, sizeof(ks));                       /* a known state, even on re-boot */
    ks.mdb_head.mdb_prev = ks.mdb_head.mdb_next = &ks.mdb_head;
    ks.log_user_errors = p->log_user_errors;
    ks.trace_on = p->trace;
    ks.trace_prev = &ks.idle;
    ks.idle.state = THREAD_IDLE;
    ks.current = &ks.idle;
    for (unsigned i = 0; i < p->ram_count && i < KBOOT_MAX_REGIONS; i++)
        mem.ram[i] = p->ram[i];

    /* The root task's objects, largest first to waste little alignment. */
    word_t cnode = carve_take(&mem, radix + KEEL_SLOT_BITS);
    word_t bi_frame = carve_take(&mem, KEEL_PAGE_BITS);
    word_t ipc_frame = carve_take(&mem, KEEL_PAGE_BITS);
    struct tcb *root = (struct tcb *)carve_take(&mem, KEEL_TCB_BITS);
    struct sched_context *root_sc =
        (struct sched_context *)carve_take(&mem, KEEL_SCHED_CONTEXT_MIN_BITS);
    struct keel_bootinfo *bi = (struct keel_bootinfo *)bi_frame;
    struct boot_vspace vs = {.root = ARCH_PAGE_TABLE_BITS ? carve_take(&mem, ARCH_PAGE_TABLE_BITS) : 0,
                             .next = p->map_start};
    word_t *pool = vs.root ? (word_t *)carve_take(&mem, KEEL_ASID_POOL_BITS) : 0;

    /* Fixed caps of the root CNode (keel/bootinfo.h). */
    cap_t c_cnode = {.obj = cnode, .type = KEEL_CAP_CNODE, .rights = KEEL_RIGHTS_ALL,
                     .bits = (uint8_t)radix, .aux = KEEL_WORD_BITS - radix,
                     .flags = CAP_F_REVOCABLE};
    cap_t c_frame = {.type = KEEL_CAP_FRAME, .rights = KEEL_RIGHTS_ALL, .bits = KEEL_PAGE_BITS,
                     .flags = CAP_F_REVOCABLE};
    give(cnode, KEEL_SLOT_INIT_TCB,
         (cap_t){.obj = (word_t)root, .type = KEEL_CAP_TCB, .rights = KEEL_RIGHTS_ALL,
                 .flags = CAP_F_REVOCABLE});
    give(cnode, KEEL_SLOT_INIT_CNODE, c_cnode);
    give(cnode, KEEL_SLOT_IRQ_CONTROL,
         (cap_t){.type = KEEL_CAP_IRQ_CONTROL, .rights = KEEL_RIGHTS_ALL,
                 .flags = CAP_F_REVOCABLE});
    give(cnode, KEEL_SLOT_SCHED_CONTROL,
         (cap_t){.type = KEEL_CAP_SCHED_CONTROL, .rights = KEEL_RIGHTS_ALL,
                 .flags = CAP_F_REVOCABLE});
    if (vs.root) {
        /* ASIDControl, the first ASID pool (ASIDs 1..511), and the root
         * task's VSpace with ASID 1. */
        cap_t c_vspace = {.obj = vs.root, .type = KEEL_CAP_PAGE_TABLE, .rights = KEEL_RIGHTS_ALL,
                          .bits = ARCH_PAGE_TABLE_BITS, .flags = CAP_F_REVOCABLE};
        ks.asid_pool[0] = pool;
        vspace_make_root(&c_vspace, pool, 1);
        give(cnode, KEEL_SLOT_INIT_VSPACE, c_vspace);
        give(cnode, KEEL_SLOT_ASID_CONTROL,
             (cap_t){.type = KEEL_CAP_ASID_CONTROL, .rights = KEEL_RIGHTS_ALL,
                     .flags = CAP_F_REVOCABLE});
        give(cnode, KEEL_SLOT_INIT_ASID_POOL,
             (cap_t){.obj = (word_t)pool, .data = 0, .type = KEEL_CAP_ASID_POOL,
                     .rights = KEEL_RIGHTS_ALL, .bits = KEEL_ASID_POOL_BITS,
                     .flags = CAP_F_REVOCABLE});
    }
    c_frame.obj = ipc_frame;
    root->ipc_buffer_user = boot_user_addr(&mem, &vs, &c_frame);
    give(cnode, KEEL_SLOT_INIT_IPC_BUFFER, c_frame);
    c_frame.obj = bi_frame;
    word_t bi_user = boot_user_addr(&mem, &vs, &c_frame);
    give(cnode, KEEL_SLOT_BOOTINFO_FRAME, c_frame);
    give(cnode, KEEL_SLOT_INIT_SC,
         (cap_t){.obj = (word_t)root_sc, .type = KEEL_CAP_SCHED_CONTEXT,
                 .rights = KEEL_RIGHTS_ALL, .bits = KEEL_SCHED_CONTEXT_MIN_BITS,
                 .flags = CAP_F_REVOCABLE});
    ks.root_cnode = root_slot(cnode, KEEL_SLOT_INIT_CNODE);

    /* The root TCB refers to its CSpace, VSpace and IPC buffer through
     * copies (the frame's copy is unmapped, as every copy of a frame). */
    cap_t copy = c_cnode;
    copy.flags = 0;
    mdb_insert_after(ks.root_cnode, &root->slots[TCB_SLOT_CSPACE], &copy);
    if (vs.root) {
        copy = root_slot(cnode, KEEL_SLOT_INIT_VSPACE)->cap;
        copy.flags &= (uint8_t)~CAP_F_REVOCABLE;
        mdb_insert_after(root_slot(cnode, KEEL_SLOT_INIT_VSPACE), &root->slots[TCB_SLOT_VSPACE],
                         &copy);
    }
    copy = root_slot(cnode, KEEL_SLOT_INIT_IPC_BUFFER)->cap;
    copy.flags = 0;
    copy.aux = 0;
    copy.data = 0;
    mdb_insert_after(root_slot(cnode, KEEL_SLOT_INIT_IPC_BUFFER),
                     &root->slots[TCB_SLOT_IPC_BUFFER], &copy);
    root->priority = root->mcp = 255;
    root->tid = ++ks.trace_tids; /* 1 */
    trace_emit(KEEL_TRACE_PRIORITY, root, root->priority, 0, 0);
    /* Its scheduling context: round-robin, the whole time slice as budget. */
    root_sc->refill_max = keel_sc_refills(KEEL_SCHED_CONTEXT_MIN_BITS);
    sc_configure(root_sc, CONFIG_ROOT_BUDGET_NS, CONFIG_ROOT_BUDGET_NS, KEEL_SC_MIN_REFILLS, 0, 0);
    sc_bind_tcb(root_sc, root);

    /* Everything else becomes untyped. */
    *bi = (struct keel_bootinfo){.magic = KEEL_BOOTINFO_MAGIC, .version = KEEL_BOOTINFO_VERSION,
                                 .root_cnode_radix = radix,
                                 .ipc_buffer = root->ipc_buffer_user,
                                 .frame_size_mask = ARCH_FRAME_SIZE_MASK};
    word_t next = KEEL_SLOT_FIRST_UNTYPED;
    if (vs.root) {
        /* The image's frames, mapped where the port put the image. */
        bi->image_frames.start = next;
        bi->image_vaddr = p->image_vaddr;
        for (word_t off = 0; off < p->image_bytes; off += BIT(KEEL_PAGE_BITS)) {
            if (next >= nslots)
                kpanic("boot: the root CNode has no slot for every image page");
            c_frame.obj = (word_t)arch_paddr_to_kptr(p->image_paddr + off);
            boot_map(&mem, &vs, &c_frame, p->image_vaddr + off, true);
            give(cnode, next++, c_frame);
        }
        bi->image_frames.end = next;
        bi->map_start = vs.next;
        bi->map_end = p->map_end;
    }
    word_t first_untyped = next;
    for (unsigned i = 0; i < mem.count; i++)
        give_untyped(cnode, nslots, bi, &next, mem.ram[i].paddr, mem.ram[i].size, false);
    for (unsigned i = 0; i < p->dev_count && i < KBOOT_MAX_REGIONS; i++)
        give_untyped(cnode, nslots, bi, &next, p->dev[i].paddr, p->dev[i].size, true);
    bi->untyped = (struct keel_slot_range){first_untyped, next};
    bi->empty = (struct keel_slot_range){next, nslots};

    /* Start the root task on its budget. */
    arch_ctx_init(&root->ctx, p->root_entry, p->root_stack_top, bi_user);
    sched_make_runnable(root);
}
