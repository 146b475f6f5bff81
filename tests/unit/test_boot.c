/*
 * tests/unit/test_boot.c - kernel/boot.c: kentry_boot builds the root
 * task (CNode, TCB, IPC buffer and boot info frames), the fixed caps of
 * docs/abi.md section 7, and untyped caps covering the rest of memory in
 * naturally aligned blocks; the boot info describes all of it.  Checked
 * for several RAM sizes and root CNode radixes.
 */
#include "harness.h"

#include <stdlib.h>

#define RAM_BASE SIM_PHYS_BASE
#define STACK_BYTES (256ul * 1024) /* sim_boot's root stack, the start of RAM */

static word_t paddr_of(const cap_t *c)
{
    return arch_kptr_to_paddr((const void *)c->obj);
}

/* Interval [start, end) of physical memory. */
struct span {
    word_t start, end;
};

static int by_start(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* RAM untyped blocks and the five boot objects lie in [base+stack,
 * base+ram) without overlap, each block naturally aligned; returns the
 * bytes of that range they leave uncovered. */
static word_t ram_not_covered(word_t ram)
{
    const struct keel_bootinfo *bi = h_bi();
    struct span s[KEEL_BOOTINFO_MAX_UNTYPED + 5];
    unsigned n = 0;
    for (word_t i = 0; i < bi->untyped_count; i++) {
        const struct keel_untyped_desc *d = &bi->untyped_list[i];
        ck_assert_uint_ge(d->size_bits, KEEL_UNTYPED_MIN_BITS);
        ck_assert_uint_le(d->size_bits, KEEL_UNTYPED_MAX_BITS);
        ck_assert(is_aligned(d->paddr, d->size_bits));
        if (!d->is_device)
            s[n++] = (struct span){d->paddr, d->paddr + BIT(d->size_bits)};
    }
    const cap_t *objs[] = {capof(ROOT), capof(KEEL_SLOT_BOOTINFO_FRAME),
                           capof(KEEL_SLOT_INIT_IPC_BUFFER), capof(KEEL_SLOT_INIT_TCB),
                           capof(KEEL_SLOT_INIT_SC)};
    for (unsigned i = 0; i < 5; i++)
        s[n++] = (struct span){paddr_of(objs[i]),
                               paddr_of(objs[i]) + BIT(cap_obj_size_bits(objs[i]))};
    qsort(s, n, sizeof(s[0]), by_start);
    word_t gaps = s[0].start - (RAM_BASE + STACK_BYTES);
    ck_assert_uint_ge(s[0].start, RAM_BASE + STACK_BYTES);
    for (unsigned i = 1; i < n; i++) {
        ck_assert_uint_ge(s[i].start, s[i - 1].end); /* no overlap */
        gaps += s[i].start - s[i - 1].end;
    }
    ck_assert_uint_le(s[n - 1].end, RAM_BASE + ram);
    return gaps + (RAM_BASE + ram - s[n - 1].end);
}

/* Boot info header: magic, version, radix, slot ranges, IPC buffer, frame size mask. */
START_TEST(bootinfo_header)
{
    h_boot();
    const struct keel_bootinfo *bi = h_bi();
    ck_assert_uint_eq(bi->magic, KEEL_BOOTINFO_MAGIC);
    ck_assert_uint_eq(bi->version, KEEL_BOOTINFO_VERSION);
    ck_assert_uint_eq(bi->root_cnode_radix, CONFIG_ROOT_CNODE_RADIX);
    ck_assert_uint_eq(bi->untyped.start, KEEL_SLOT_FIRST_UNTYPED);
    ck_assert_uint_eq(bi->untyped.end, KEEL_SLOT_FIRST_UNTYPED + bi->untyped_count);
    ck_assert_uint_eq(bi->empty.start, bi->untyped.end);
    ck_assert_uint_eq(bi->empty.end, BIT(bi->root_cnode_radix));
    ck_assert_uint_le(bi->untyped_count, KEEL_BOOTINFO_MAX_UNTYPED);
    ck_assert_uint_eq(bi->frame_size_mask, ARCH_FRAME_SIZE_MASK);
    ck_assert_ptr_eq((void *)bi->ipc_buffer, tcb_ipc_buffer(h_root_tcb()));
    ck_assert_uint_eq(bi->ipc_buffer, capof(KEEL_SLOT_INIT_IPC_BUFFER)->obj);
    ck_assert_ptr_eq((const void *)capof(KEEL_SLOT_BOOTINFO_FRAME)->obj, bi);
    /* The root's scheduling context: bound, round-robin with a 1 ms budget. */
    const struct sched_context *sc = (const void *)capof(KEEL_SLOT_INIT_SC)->obj;
    ck_assert_ptr_eq(h_root_tcb()->sc, sc);
    ck_assert_ptr_eq(sc->tcb, h_root_tcb());
    ck_assert_uint_eq(sc->budget_ns, CONFIG_ROOT_BUDGET_NS);
    ck_assert_uint_eq(sc->period_ns, CONFIG_ROOT_BUDGET_NS);
    ck_assert_uint_eq(sc->refill_used, KEEL_SC_MIN_REFILLS);
}
END_TEST

/* Fixed slots 0..10 hold the documented caps, with all rights, as revocable
 * originals (on the sim: no VSpace, no ASIDControl or ASID pool). */
START_TEST(fixed_slots)
{
    h_boot();
    static const uint8_t types[] = {KEEL_CAP_NULL,          KEEL_CAP_TCB,   KEEL_CAP_CNODE,
                                    KEEL_CAP_NULL,          KEEL_CAP_IRQ_CONTROL,
                                    KEEL_CAP_SCHED_CONTROL, KEEL_CAP_FRAME, KEEL_CAP_FRAME,
                                    KEEL_CAP_SCHED_CONTEXT, KEEL_CAP_NULL,  KEEL_CAP_NULL};
    _Static_assert(sizeof(types) == KEEL_SLOT_FIRST_UNTYPED, "one type per fixed slot");
    for (word_t i = 0; i < KEEL_SLOT_FIRST_UNTYPED; i++) {
        const cap_t *c = capof(i);
        ck_assert_uint_eq(c->type, types[i]);
        if (types[i] == KEEL_CAP_NULL) {
            ck_assert_ptr_null(h_slot(i)->mdb_next);
            continue;
        }
        ck_assert_uint_eq(c->rights, KEEL_RIGHTS_ALL);
        ck_assert_uint_eq(c->flags, CAP_F_REVOCABLE);
    }
    ck_assert_ptr_eq((void *)capof(KEEL_SLOT_INIT_TCB)->obj, h_root_tcb());
    const cap_t *cn = capof(ROOT);
    ck_assert_ptr_eq((void *)cn->obj, h_slot(0));
    ck_assert_uint_eq(cn->bits, CONFIG_ROOT_CNODE_RADIX);
    ck_assert_uint_eq(cn->aux, WB - CONFIG_ROOT_CNODE_RADIX);
    ck_assert_uint_eq(cn->data, 0);
    ck_assert_uint_eq(capof(KEEL_SLOT_INIT_IPC_BUFFER)->bits, KEEL_PAGE_BITS);
    ck_assert_uint_eq(capof(KEEL_SLOT_BOOTINFO_FRAME)->bits, KEEL_PAGE_BITS);
    ck_assert_uint_ne(capof(KEEL_SLOT_INIT_IPC_BUFFER)->obj, capof(KEEL_SLOT_BOOTINFO_FRAME)->obj);
}
END_TEST

/* Untyped slots match untyped_list entry by entry; every slot after them is empty. */
START_TEST(untyped_caps_match_list)
{
    h_boot();
    const struct keel_bootinfo *bi = h_bi();
    ck_assert_uint_gt(bi->untyped_count, 1);
    for (word_t i = 0; i < bi->untyped_count; i++) {
        const struct keel_untyped_desc *d = &bi->untyped_list[i];
        const cap_t *c = capof(bi->untyped.start + i);
        ck_assert_uint_eq(c->type, KEEL_CAP_UNTYPED);
        ck_assert_uint_eq(paddr_of(c), d->paddr);
        ck_assert_uint_eq(c->bits, d->size_bits);
        ck_assert_uint_eq(c->data, 0);
        ck_assert_uint_eq(c->rights, KEEL_RIGHTS_ALL);
        ck_assert_uint_eq(c->flags, CAP_F_REVOCABLE | (d->is_device ? CAP_F_DEVICE : 0));
    }
    for (word_t s = bi->empty.start; s < bi->empty.end; s++)
        ck_assert(cap_is_null(capof(s)));
}
END_TEST

/* RAM untyped and boot objects tile free RAM exactly, blocks naturally aligned. */
START_TEST(untyped_cover_ram)
{
    h_boot();
    ck_assert_uint_eq(ram_not_covered(16ul << 20), 0);
    word_t big = h_big_untyped() - KEEL_SLOT_FIRST_UNTYPED;
    ck_assert_uint_eq(BIT(h_bi()->untyped_list[big].size_bits), 8ul << 20);
}
END_TEST

/* The device region becomes one device untyped, last in the list. */
START_TEST(device_untyped)
{
    h_boot();
    const struct keel_bootinfo *bi = h_bi();
    unsigned devices = 0;
    for (word_t i = 0; i < bi->untyped_count; i++)
        devices += bi->untyped_list[i].is_device;
    ck_assert_uint_eq(devices, 1);
    const struct keel_untyped_desc *d = &bi->untyped_list[bi->untyped_count - 1];
    ck_assert_uint_eq(d->is_device, 1);
    ck_assert_uint_eq(d->paddr, SIM_DEV_PHYS);
    ck_assert_uint_eq(BIT(d->size_bits), SIM_DEV_BYTES);
    ck_assert(capof(bi->untyped.end - 1)->flags & CAP_F_DEVICE);
}
END_TEST

/* Root TCB: current, priority 255, child copies of slots 2 and 6, boot info as argument. */
START_TEST(root_tcb)
{
    h_boot();
    struct tcb *t = h_root_tcb();
    ck_assert_ptr_eq(ks.current, t);
    ck_assert_uint_eq(t->state, THREAD_RUNNING);
    ck_assert_uint_eq(t->priority, 255);
    ck_assert_uint_eq(t->mcp, 255);
    ck_assert_uint_eq(t->ctx.regs[KEEL_REG_CPTR], (word_t)h_bi());
    ck_assert_uint_eq(t->ipc_buffer_user, h_bi()->ipc_buffer);
    const slot_t *cs = &t->slots[TCB_SLOT_CSPACE], *ib = &t->slots[TCB_SLOT_IPC_BUFFER];
    ck_assert_uint_eq(cs->cap.type, KEEL_CAP_CNODE);
    ck_assert_uint_eq(cs->cap.obj, capof(ROOT)->obj);
    ck_assert_uint_eq(cs->cap.bits, capof(ROOT)->bits);
    ck_assert_uint_eq(cs->cap.aux, capof(ROOT)->aux);
    ck_assert_uint_eq(cs->cap.flags, 0);
    ck_assert_ptr_eq(h_slot(ROOT)->mdb_next, cs);
    ck_assert(mdb_is_parent(h_slot(ROOT), cs));
    ck_assert_uint_eq(ib->cap.type, KEEL_CAP_FRAME);
    ck_assert_uint_eq(ib->cap.obj, capof(KEEL_SLOT_INIT_IPC_BUFFER)->obj);
    ck_assert_uint_eq(ib->cap.flags, 0);
    ck_assert_ptr_eq(h_slot(KEEL_SLOT_INIT_IPC_BUFFER)->mdb_next, ib);
    ck_assert(cap_is_null(&t->slots[TCB_SLOT_VSPACE].cap));
    ck_assert(cap_is_null(&t->slots[TCB_SLOT_FAULT_EP].cap));
    ck_assert(cap_is_null(&t->slots[TCB_SLOT_TIMEOUT_EP].cap));
}
END_TEST

/* The MDB holds exactly the boot caps in order; counters are zero, a slice is armed. */
START_TEST(mdb_holds_boot_caps)
{
    h_boot();
    const struct keel_bootinfo *bi = h_bi();
    ck_assert_uint_eq(kinv_count_caps(), 7 + bi->untyped_count + 2);
    ck_assert_ptr_null(kinv_check());
    struct tcb *t = h_root_tcb();
    const slot_t *want[8 + KEEL_BOOTINFO_MAX_UNTYPED];
    unsigned n = 0;
    want[n++] = h_slot(KEEL_SLOT_INIT_TCB);
    want[n++] = h_slot(ROOT);
    want[n++] = &t->slots[TCB_SLOT_CSPACE];
    want[n++] = h_slot(KEEL_SLOT_IRQ_CONTROL);
    want[n++] = h_slot(KEEL_SLOT_SCHED_CONTROL);
    want[n++] = h_slot(KEEL_SLOT_INIT_IPC_BUFFER);
    want[n++] = &t->slots[TCB_SLOT_IPC_BUFFER];
    want[n++] = h_slot(KEEL_SLOT_BOOTINFO_FRAME);
    want[n++] = h_slot(KEEL_SLOT_INIT_SC);
    for (word_t i = bi->untyped.start; i < bi->untyped.end; i++)
        want[n++] = h_slot(i);
    const slot_t *s = ks.mdb_head.mdb_next;
    for (unsigned i = 0; i < n; i++, s = s->mdb_next)
        ck_assert_ptr_eq(s, want[i]);
    ck_assert_ptr_eq(s, &ks.mdb_head);
    ck_assert_uint_eq(ks.entries, 0);
    ck_assert_uint_eq(ks.preemptions, 0);
    ck_assert_ptr_eq(ks.time_sc, h_root_tcb()->sc);
    ck_assert_uint_eq(ks.time_start, *sim_clock());
    ck_assert_int_eq(sched_highest_prio(), -1);
}
END_TEST

static const word_t ram_mib[] = {2, 4, 32, 128};
static const unsigned radixes[] = {6, 8, 10, 12};

/* For each RAM size the blocks tile free RAM and the largest is half of RAM. */
START_TEST(ram_sizes)
{
    h_boot_with(ram_mib[0] << 20, 0);
    for (unsigned i = 0; i < sizeof(ram_mib) / sizeof(ram_mib[0]); i++) {
        word_t ram = ram_mib[i] << 20;
        if (i)
            h_boot_with(ram, 0);
        ck_assert_uint_eq(ram_not_covered(ram), 0);
        word_t big = h_big_untyped();
        ck_assert_uint_eq(BIT(capof(big)->bits), ram / 2);
        ck_assert_int_eq(h_retype(big, KEEL_OBJ_UNTYPED, capof(big)->bits, h_free_slot(0), 1),
                         KEEL_OK);
    }
}
END_TEST

/* For each root radix the CNode, guard, slot ranges and full-depth cptrs follow it. */
START_TEST(cnode_radixes)
{
    h_boot_with(16ul << 20, radixes[0]);
    for (unsigned i = 0; i < sizeof(radixes) / sizeof(radixes[0]); i++) {
        unsigned r = radixes[i];
        if (i)
            h_boot_with(16ul << 20, r);
        const struct keel_bootinfo *bi = h_bi();
        ck_assert_uint_eq(bi->root_cnode_radix, r);
        ck_assert_uint_eq(bi->empty.end, BIT(r));
        ck_assert_uint_eq(capof(ROOT)->bits, r);
        ck_assert_uint_eq(capof(ROOT)->aux, WB - r);
        ck_assert_uint_eq(h_root_tcb()->slots[TCB_SLOT_CSPACE].cap.aux, WB - r);
        ck_assert_uint_eq(ram_not_covered(16ul << 20), 0);
        word_t last = BIT(r) - 1;
        ck_assert_int_eq(h_copy(last, KEEL_SLOT_SCHED_CONTROL, KEEL_RIGHTS_ALL), KEEL_OK);
        ck_assert_uint_eq(capof(last)->type, KEEL_CAP_SCHED_CONTROL);
        ck_assert_int_eq(h_copy(BIT(r), KEEL_SLOT_SCHED_CONTROL, KEEL_RIGHTS_ALL),
                         KEEL_FAILED_LOOKUP);
        ck_assert_uint_eq(h_last.v1, KEEL_LOOKUP_GUARD_MISMATCH);
    }
}
END_TEST

/* Cutting stops when the root CNode is full, leaving consistent ranges. */
START_TEST(small_root_cnode_stops_cutting)
{
    h_boot_with(16ul << 20, 4);
    const struct keel_bootinfo *bi = h_bi();
    ck_assert_uint_eq(bi->untyped.start, KEEL_SLOT_FIRST_UNTYPED);
    ck_assert_uint_eq(bi->untyped.end, 16);
    ck_assert_uint_eq(bi->untyped_count, 16 - KEEL_SLOT_FIRST_UNTYPED);
    ck_assert_uint_eq(bi->empty.start, 16);
    ck_assert_uint_eq(bi->empty.end, 16);
    for (word_t i = 0; i < bi->untyped_count; i++) {
        ck_assert_uint_eq(capof(KEEL_SLOT_FIRST_UNTYPED + i)->type, KEEL_CAP_UNTYPED);
        ck_assert_uint_eq(bi->untyped_list[i].is_device, 0);
        const struct keel_untyped_desc *prev = &bi->untyped_list[i - (i > 0)];
        if (i)
            ck_assert_uint_eq(bi->untyped_list[i].paddr, prev->paddr + BIT(prev->size_bits));
    }
    ck_assert_uint_eq(kinv_count_caps(), 7 + bi->untyped_count + 2);
}
END_TEST

/* All free RAM not used by boot objects is handed out as untyped, whatever the radix. */
START_TEST(regress_boot_keeps_alignment_padding)
{
    h_boot_with(16ul << 20, 14);
    /* Regression: with a root CNode larger than the alignment of the first
     * free RAM address (radix 14: 1 MiB CNode at 1 MiB, RAM free from
     * 256 KiB), the padding before it used to be lost for good. */
    word_t lost = ram_not_covered(16ul << 20);
    ck_assert_msg(lost == 0, "%lu bytes of free RAM are covered by no untyped",
                  (unsigned long)lost);
}
END_TEST

/* Booting again gives the same boot info and no trace of the previous run. */
START_TEST(reboot_is_deterministic)
{
    h_boot();
    struct keel_bootinfo first = *h_bi();
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_ENDPOINT, 0, h_free_slot(0), 100), KEEL_OK);
    h_syscall(KEEL_SYS_YIELD, 0, 0);
    h_boot();
    ck_assert_mem_eq(h_bi(), &first, sizeof(first));
    ck_assert(cap_is_null(capof(h_free_slot(0))));
    ck_assert_uint_eq(capof(h_big_untyped())->data, 0);
    ck_assert_uint_eq(ks.entries, 0);
    ck_assert_uint_eq(kinv_count_caps(), 7 + first.untyped_count + 2);
}
END_TEST

Suite *boot_suite(void)
{
    Suite *su = suite_create("boot");
    TCase *tc = tcase_create("boot");
    tcase_add_test(tc, bootinfo_header);
    tcase_add_test(tc, fixed_slots);
    tcase_add_test(tc, untyped_caps_match_list);
    tcase_add_test(tc, untyped_cover_ram);
    tcase_add_test(tc, device_untyped);
    tcase_add_test(tc, root_tcb);
    tcase_add_test(tc, mdb_holds_boot_caps);
    tcase_add_test(tc, ram_sizes);
    tcase_add_test(tc, cnode_radixes);
    tcase_add_test(tc, small_root_cnode_stops_cutting);
    tcase_add_test(tc, reboot_is_deterministic);
    tcase_add_test(tc, regress_boot_keeps_alignment_padding);
    suite_add_tcase(su, tc);
    return su;
}
