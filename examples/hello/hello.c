/*
 * examples/hello/hello.c - a walk through Keel's capability core, as the
 * root task: print the boot info, retype objects from untyped memory, copy
 * and mint capabilities (badges, shrinking rights), address a second-level
 * CNode, then revoke and watch the derived capabilities disappear.
 *
 * Runs in the sim (`make run`); uses only libkeel, so it would run
 * unchanged as the root task of a hardware port.
 */
#include <libkeel.h>

#define ROOT KEEL_SLOT_INIT_CNODE
#define D KEEL_WORD_BITS

static const char *const cap_names[KEEL_CAP_TYPE_COUNT] = {
    "empty", "Untyped", "TCB", "Endpoint", "Notification", "CNode", "SchedContext",
    "Reply", "Frame", "SchedControl", "IRQControl", "IRQHandler", "Zombie"};

static const char *what(keel_cptr_t slot)
{
    int t = keel_debug_cap_identify(slot);
    return t >= 0 && t < KEEL_CAP_TYPE_COUNT ? cap_names[t] : "?";
}

static int fail(const char *step)
{
    keel_perror(step);
    return 1;
}

static void print_bootinfo(const struct keel_bootinfo *bi)
{
    keel_word_t total = 0;
    keel_printf("Boot info: root CNode of %lu slots; free slots %lu..%lu\n",
                1ul << bi->root_cnode_radix, (unsigned long)bi->empty.start,
                (unsigned long)bi->empty.end - 1);
    keel_printf("Untyped memory (%lu regions):\n", (unsigned long)bi->untyped_count);
    for (keel_word_t i = 0; i < bi->untyped_count; i++) {
        const struct keel_untyped_desc *u = &bi->untyped_list[i];
        keel_printf("  slot %4lu  paddr 0x%09lx  %8lu KiB%s\n",
                    (unsigned long)(bi->untyped.start + i), (unsigned long)u->paddr,
                    (1ul << u->size_bits) >> 10, u->is_device ? "  (device)" : "");
        if (!u->is_device)
            total += (keel_word_t)1 << u->size_bits;
    }
    keel_printf("  %lu KiB of RAM in all\n", (unsigned long)(total >> 10));
}

static int hello_main(const struct keel_bootinfo *bi)
{
    struct keel_alloc a;
    keel_cptr_t ep, cnode, ntfn, ut;
    keel_word_t snap[4];

    keel_printf("Hello from Keel's root task.\n");
    print_bootinfo(bi);
    keel_alloc_init(&a, bi);

    keel_printf("\nRetype: one Endpoint, one Notification, a 16-slot CNode, a 64 KiB Untyped\n");
    if (keel_alloc_object(&a, KEEL_OBJ_ENDPOINT, 0, &ep) ||
        keel_alloc_object(&a, KEEL_OBJ_NOTIFICATION, 0, &ntfn) ||
        keel_alloc_object(&a, KEEL_OBJ_CNODE, 4, &cnode) ||
        keel_alloc_object(&a, KEEL_OBJ_UNTYPED, 16, &ut))
        return fail("retype");
    keel_printf("  slot %lu: %s, slot %lu: %s, slot %lu: %s, slot %lu: %s\n",
                (unsigned long)ep, what(ep), (unsigned long)ntfn, what(ntfn),
                (unsigned long)cnode, what(cnode), (unsigned long)ut, what(ut));

    keel_printf("\nMint badged, send-only copies of the endpoint\n");
    keel_word_t minted[3];
    for (int i = 0; i < 3; i++) {
        minted[i] = keel_slot_alloc(&a.slots);
        if (keel_cnode_mint(ROOT, minted[i], D, ROOT, ep, D, KEEL_RIGHT_WRITE, 0x100 + i))
            return fail("mint");
        keel_printf("  slot %lu: %s with badge 0x%x, rights: write only\n",
                    (unsigned long)minted[i], what(minted[i]), 0x100 + i);
    }
    keel_word_t again = keel_slot_alloc(&a.slots);
    if (keel_cnode_mint(ROOT, again, D, ROOT, minted[0], D, KEEL_RIGHTS_ALL, 0x999) == KEEL_OK)
        return fail("re-badging should fail");
    keel_printf("  re-badging a badged cap is refused: %s\n",
                keel_error_name(keel_last_error().code));

    keel_printf("\nA two-level CSpace: put a second 16-slot CNode into slot 3 of the first\n");
    keel_cptr_t l2;
    if (keel_alloc_object(&a, KEEL_OBJ_CNODE, 4, &l2) ||
        keel_cnode_copy(cnode, 3, 4, ROOT, l2, D, KEEL_RIGHTS_ALL))
        return fail("second level");
    /* From the first CNode, cptr 0x35 at depth 8 is: 4 bits selecting its
     * slot 3 (a CNode), then 4 bits selecting slot 5 there. */
    if (keel_cnode_copy(cnode, 0x35, 8, ROOT, ntfn, D, KEEL_RIGHT_WRITE))
        return fail("copy into the second level");
    keel_word_t back = keel_slot_alloc(&a.slots);
    if (keel_cnode_copy(ROOT, back, D, cnode, 0x35, 8, KEEL_RIGHTS_ALL))
        return fail("copy back from the second level");
    keel_printf("  cptr 0x35 at depth 8 names a %s; copied back to slot %lu: %s (write only)\n",
                what(back), (unsigned long)back, what(back));
    if (keel_cnode_copy(cnode, 0x35, 6, ROOT, ntfn, D, KEEL_RIGHTS_ALL) == KEEL_OK)
        return fail("a short depth should fail");
    keel_printf("  depth 6 ends inside a slot of the first level: %s, %lu bits left\n",
                keel_error_name(keel_last_error().code), (unsigned long)keel_last_error().v2);

    keel_debug_snapshot(snap);
    keel_printf("\nThe kernel now tracks %lu capabilities. Revoke the endpoint:\n",
                (unsigned long)snap[KEEL_DBG_LIVE_CAPS]);
    if (keel_cnode_revoke(ROOT, ep, D))
        return fail("revoke");
    for (int i = 0; i < 3; i++)
        keel_printf("  slot %lu is now %s\n", (unsigned long)minted[i], what(minted[i]));
    keel_debug_snapshot(snap);
    keel_printf("  %lu capabilities remain; slot %lu still holds the original: %s\n",
                (unsigned long)snap[KEEL_DBG_LIVE_CAPS], (unsigned long)ep, what(ep));

    keel_printf("\nRetype the 64 KiB untyped into 16 frames, then revoke it: all gone\n");
    keel_word_t first = a.slots.hint;
    if (keel_untyped_retype(ut, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, first, 16))
        return fail("retype frames");
    keel_printf("  slots %lu..%lu: %s ... %s\n", (unsigned long)first,
                (unsigned long)first + 15, what(first), what(first + 15));
    if (keel_untyped_retype(ut, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, first + 16, 1) == KEEL_OK)
        return fail("retype beyond the untyped");
    keel_printf("  a 17th frame does not fit: %s, %lu bytes left\n",
                keel_error_name(keel_last_error().code), (unsigned long)keel_last_error().v1);
    if (keel_cnode_revoke(ROOT, ut, D))
        return fail("revoke untyped");
    keel_printf("  after revoke: slot %lu is %s; the untyped is reusable: ", (unsigned long)first,
                what(first));
    keel_printf("%s\n", keel_untyped_retype(ut, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, first, 16)
                            ? "no" : "yes, 16 frames made again");
    keel_printf("\nDone.\n");
    return 0;
}

KEEL_ROOT_TASK(hello, "a walk through the capability core", hello_main);
