/*
 * tests/unit/test_cap.c - kernel/cap.c: what capabilities refer to
 * (cap_same_object, cap_same_region, cap_obj_size_bits) and the MDB list
 * operations (mdb_is_parent, mdb_is_final, mdb_insert_after, mdb_move,
 * mdb_swap, slot_clear).
 *
 * The list operations are exercised on a private ring of slots with its own
 * sentinel, so they can be checked link by link without disturbing the
 * booted kernel's MDB; the derivation rules (revocable and first-badged
 * flags, badges) are then checked on caps the kernel itself made.
 */
#include "harness.h"

#include <string.h>

static cap_t mk(uint8_t type, word_t obj, uint8_t bits, word_t data, uint8_t flags)
{
    return (cap_t){.obj = obj, .data = data, .type = type, .rights = KEEL_RIGHTS_ALL,
                   .bits = bits, .flags = flags};
}

/* A private MDB ring: a sentinel and eight slots. */
static slot_t head, s[8];

static void ring_init(void)
{
    memset(&head, 0, sizeof(head));
    memset(s, 0, sizeof(s));
    head.mdb_prev = head.mdb_next = &head;
}

static void ring_add(slot_t *x, cap_t c)
{
    mdb_insert_after(head.mdb_prev, x, &c);
}

/* The ring holds exactly `n` slots in this order, with symmetric links. */
static void ring_expect(slot_t *const *order, unsigned n)
{
    const slot_t *p = &head;
    for (unsigned i = 0; i < n; i++) {
        ck_assert_ptr_eq(p->mdb_next, order[i]);
        ck_assert_ptr_eq(order[i]->mdb_prev, p);
        p = order[i];
    }
    ck_assert_ptr_eq(p->mdb_next, &head);
    ck_assert_ptr_eq(head.mdb_prev, p);
}

/* Same object iff type, address and size agree; never null or untyped caps. */
START_TEST(same_object_rules)
{
    h_boot();
    cap_t ep = mk(KEEL_CAP_ENDPOINT, 0x1000, 0, 0, 0), ep2 = ep;
    ep2.data = 5; /* badges do not matter */
    ep2.rights = KEEL_RIGHT_READ;
    ck_assert(cap_same_object(&ep, &ep2));
    cap_t other = mk(KEEL_CAP_ENDPOINT, 0x1020, 0, 0, 0);
    ck_assert(!cap_same_object(&ep, &other));
    cap_t ntfn = mk(KEEL_CAP_NOTIFICATION, 0x1000, 0, 0, 0);
    ck_assert(!cap_same_object(&ep, &ntfn));
    cap_t f12 = mk(KEEL_CAP_FRAME, 0x200000, 12, 0, 0);
    cap_t f21 = mk(KEEL_CAP_FRAME, 0x200000, 21, 0, 0);
    ck_assert(!cap_same_object(&f12, &f21));
    cap_t ut = mk(KEEL_CAP_UNTYPED, 0x10000, 16, 0, 0);
    ck_assert(!cap_same_object(&ut, &ut));
    cap_t null = {0};
    ck_assert(!cap_same_object(&null, &null));
    cap_t irq3 = mk(KEEL_CAP_IRQ_HANDLER, 0, 0, 3, 0), irq3b = mk(KEEL_CAP_IRQ_HANDLER, 9, 0, 3, 0);
    cap_t irq4 = mk(KEEL_CAP_IRQ_HANDLER, 0, 0, 4, 0);
    ck_assert(cap_same_object(&irq3, &irq3b));
    ck_assert(!cap_same_object(&irq3, &irq4));
    cap_t ic = mk(KEEL_CAP_IRQ_CONTROL, 0, 0, 0, 0), ic2 = mk(KEEL_CAP_IRQ_CONTROL, 0, 7, 1, 0);
    ck_assert(cap_same_object(&ic, &ic2));
}
END_TEST

/* An untyped region holds objects wholly inside it, not straddling or sizeless ones. */
START_TEST(same_region_untyped)
{
    h_boot();
    cap_t ut = mk(KEEL_CAP_UNTYPED, 0x10000, 14, 0, 0); /* [0x10000, 0x14000) */
    cap_t in = mk(KEEL_CAP_FRAME, 0x13000, 12, 0, 0);
    cap_t straddle = mk(KEEL_CAP_FRAME, 0x14000 - 0x800, 12, 0, 0);
    cap_t before = mk(KEEL_CAP_ENDPOINT, 0x10000 - 0x20, 0, 0, 0);
    cap_t after = mk(KEEL_CAP_ENDPOINT, 0x14000, 0, 0, 0);
    cap_t nested = mk(KEEL_CAP_UNTYPED, 0x12000, 13, 0, 0);
    cap_t same = ut;
    cap_t cnode = mk(KEEL_CAP_CNODE, 0x10000, 8, 0, 0); /* 2^14 bytes: exactly the untyped */
    cap_t big_cnode = mk(KEEL_CAP_CNODE, 0x10000, 9, 0, 0);
    cap_t sc = mk(KEEL_CAP_SCHED_CONTROL, 0x11000, 0, 0, 0);
    ck_assert(cap_same_region(&ut, &in));
    ck_assert(!cap_same_region(&ut, &straddle));
    ck_assert(!cap_same_region(&ut, &before));
    ck_assert(!cap_same_region(&ut, &after));
    ck_assert(cap_same_region(&ut, &nested));
    ck_assert(!cap_same_region(&nested, &ut));
    ck_assert(cap_same_region(&ut, &same));
    ck_assert(cap_same_region(&ut, &cnode));
    ck_assert(!cap_same_region(&ut, &big_cnode));
    ck_assert(!cap_same_region(&ut, &sc));
}
END_TEST

/* IRQControl covers IRQ handlers; any other cap covers only its own object. */
START_TEST(same_region_irq_control_and_objects)
{
    h_boot();
    cap_t ic = mk(KEEL_CAP_IRQ_CONTROL, 0, 0, 0, 0);
    cap_t h = mk(KEEL_CAP_IRQ_HANDLER, 0, 0, 17, 0);
    cap_t sc = mk(KEEL_CAP_SCHED_CONTROL, 0, 0, 0, 0);
    ck_assert(cap_same_region(&ic, &h));
    ck_assert(cap_same_region(&ic, &ic));
    ck_assert(!cap_same_region(&ic, &sc));
    cap_t ep = mk(KEEL_CAP_ENDPOINT, 0x1000, 0, 0, 0), ep2 = mk(KEEL_CAP_ENDPOINT, 0x1000, 0, 9, 0);
    cap_t ep3 = mk(KEEL_CAP_ENDPOINT, 0x1040, 0, 0, 0);
    ck_assert(cap_same_region(&ep, &ep2));
    ck_assert(!cap_same_region(&ep, &ep3));
    cap_t cn = mk(KEEL_CAP_CNODE, 0x4000, 4, 0, 0);
    cap_t frame_in_cn = mk(KEEL_CAP_FRAME, 0x4000, 12, 0, 0);
    ck_assert(!cap_same_region(&cn, &frame_in_cn));
}
END_TEST

/* cap_obj_size_bits gives each capability type its object size in log2 bytes. */
START_TEST(object_size_bits_per_type)
{
    h_boot();
    cap_t c = mk(KEEL_CAP_CNODE, 0, 5, 0, 0);
    ck_assert_uint_eq(cap_obj_size_bits(&c), 5 + KEEL_SLOT_BITS);
    c = mk(KEEL_CAP_UNTYPED, 0, 20, 0, 0);
    ck_assert_uint_eq(cap_obj_size_bits(&c), 20);
    c = mk(KEEL_CAP_FRAME, 0, 21, 0, 0);
    ck_assert_uint_eq(cap_obj_size_bits(&c), 21);
    c = mk(KEEL_CAP_SCHED_CONTEXT, 0, 9, 0, 0);
    ck_assert_uint_eq(cap_obj_size_bits(&c), 9);
    c = mk(KEEL_CAP_TCB, 0, 3, 0, 0); /* fixed sizes ignore the bits field */
    ck_assert_uint_eq(cap_obj_size_bits(&c), KEEL_TCB_BITS);
    c = mk(KEEL_CAP_ENDPOINT, 0, 0, 0, 0);
    ck_assert_uint_eq(cap_obj_size_bits(&c), KEEL_ENDPOINT_BITS);
    c = mk(KEEL_CAP_NOTIFICATION, 0, 0, 0, 0);
    ck_assert_uint_eq(cap_obj_size_bits(&c), KEEL_NOTIFICATION_BITS);
    c = mk(KEEL_CAP_REPLY, 0, 0, 0, 0);
    ck_assert_uint_eq(cap_obj_size_bits(&c), KEEL_REPLY_BITS);
    c = mk(KEEL_CAP_ZOMBIE, 0, 13, 0, 0);
    ck_assert_uint_eq(cap_obj_size_bits(&c), 13);
    c = mk(KEEL_CAP_IRQ_CONTROL, 0, 9, 0, 0);
    ck_assert_uint_eq(cap_obj_size_bits(&c), 0);
}
END_TEST

/* Only a revocable cap is a parent, and only of caps in its region. */
START_TEST(parent_needs_revocable_and_region)
{
    h_boot();
    ring_init();
    ring_add(&s[0], mk(KEEL_CAP_FRAME, 0x5000, 12, 0, CAP_F_REVOCABLE));
    ring_add(&s[1], mk(KEEL_CAP_FRAME, 0x5000, 12, 0, 0));
    ring_add(&s[2], mk(KEEL_CAP_FRAME, 0x6000, 12, 0, 0));
    ck_assert(mdb_is_parent(&s[0], &s[1]));
    ck_assert(!mdb_is_parent(&s[1], &s[0]));   /* a plain copy is no parent */
    ck_assert(!mdb_is_parent(&s[0], &s[2]));   /* another object */
    ck_assert(mdb_has_children(&s[0]));
    ck_assert(!mdb_has_children(&s[1]));
    ring_init();
    ring_add(&s[0], mk(KEEL_CAP_UNTYPED, 0x10000, 16, 0, CAP_F_REVOCABLE));
    ring_add(&s[1], mk(KEEL_CAP_TCB, 0x10800, 0, 0, CAP_F_REVOCABLE));
    ring_add(&s[2], mk(KEEL_CAP_TCB, 0x20000, 0, 0, CAP_F_REVOCABLE));
    ck_assert(mdb_is_parent(&s[0], &s[1]));
    ck_assert(!mdb_is_parent(&s[0], &s[2]));
    s[0].cap.flags = 0;
    ck_assert(!mdb_is_parent(&s[0], &s[1]));
}
END_TEST

/* Unbadged originals parent all caps to the object; badged ones only same-badge copies. */
START_TEST(parent_badge_rules)
{
    h_boot();
    static const uint8_t types[] = {KEEL_CAP_ENDPOINT, KEEL_CAP_NOTIFICATION};
    for (unsigned t = 0; t < 2; t++) {
        ring_init();
        const uint8_t rf = CAP_F_REVOCABLE | CAP_F_FIRST_BADGED;
        ring_add(&s[0], mk(types[t], 0x3000, 0, 0, CAP_F_REVOCABLE)); /* unbadged original */
        ring_add(&s[1], mk(types[t], 0x3000, 0, 7, rf));              /* badged original 7 */
        ring_add(&s[2], mk(types[t], 0x3000, 0, 7, 0));               /* its copy */
        ring_add(&s[3], mk(types[t], 0x3000, 0, 7, rf));              /* another original 7 */
        ring_add(&s[4], mk(types[t], 0x3000, 0, 8, 0));               /* a copy badged 8 */
        ck_assert(mdb_is_parent(&s[0], &s[1]));
        ck_assert(mdb_is_parent(&s[0], &s[3]));
        ck_assert(mdb_is_parent(&s[0], &s[4]));
        ck_assert(mdb_is_parent(&s[1], &s[2]));
        ck_assert(!mdb_is_parent(&s[1], &s[3])); /* first-badged: a sibling */
        ck_assert(!mdb_is_parent(&s[1], &s[4])); /* other badge */
        ck_assert(!mdb_is_parent(&s[1], &s[0]));
        ck_assert(!mdb_is_parent(&s[2], &s[4])); /* copies are never parents */
    }
}
END_TEST

/* Finality is decided by the two MDB neighbours; untyped is always final. */
START_TEST(final_by_neighbours)
{
    h_boot();
    ring_init();
    ring_add(&s[0], mk(KEEL_CAP_UNTYPED, 0x10000, 16, 0, CAP_F_REVOCABLE));
    ring_add(&s[1], mk(KEEL_CAP_UNTYPED, 0x10000, 16, 0, CAP_F_REVOCABLE)); /* a copy */
    ring_add(&s[2], mk(KEEL_CAP_CNODE, 0x10000, 4, 0, CAP_F_REVOCABLE));
    ring_add(&s[3], mk(KEEL_CAP_CNODE, 0x10000, 4, 3, 0));
    ring_add(&s[4], mk(KEEL_CAP_ENDPOINT, 0x10400, 0, 0, CAP_F_REVOCABLE));
    ck_assert(mdb_is_final(&s[0]));
    ck_assert(mdb_is_final(&s[1]));
    ck_assert(!mdb_is_final(&s[2]));
    ck_assert(!mdb_is_final(&s[3]));
    ck_assert(mdb_is_final(&s[4]));
    slot_clear(&s[3]);
    ck_assert(mdb_is_final(&s[2]));
    slot_t *order[] = {&s[0], &s[1], &s[2], &s[4]};
    ring_expect(order, 4);
}
END_TEST

/* mdb_insert_after links the new cap right after the given slot. */
START_TEST(insert_after_links)
{
    h_boot();
    ring_init();
    ring_add(&s[0], mk(KEEL_CAP_ENDPOINT, 0x100, 0, 0, CAP_F_REVOCABLE));
    ring_add(&s[1], mk(KEEL_CAP_NOTIFICATION, 0x200, 0, 0, CAP_F_REVOCABLE));
    cap_t c = mk(KEEL_CAP_ENDPOINT, 0x100, 0, 4, CAP_F_REVOCABLE | CAP_F_FIRST_BADGED);
    mdb_insert_after(&s[0], &s[2], &c);
    slot_t *order[] = {&s[0], &s[2], &s[1]};
    ring_expect(order, 3);
    ck_assert_uint_eq(s[2].cap.data, 4);
    ck_assert_uint_eq(s[2].cap.type, KEEL_CAP_ENDPOINT);
    mdb_insert_after(&s[1], &s[3], &c); /* after the last: before the sentinel */
    slot_t *order2[] = {&s[0], &s[2], &s[1], &s[3]};
    ring_expect(order2, 4);
}
END_TEST

/* Move keeps the cap unchanged at its MDB position, so its children stay its children. */
START_TEST(move_keeps_position)
{
    h_boot();
    ring_init();
    ring_add(&s[0], mk(KEEL_CAP_ENDPOINT, 0x100, 0, 0, CAP_F_REVOCABLE));
    ring_add(&s[1], mk(KEEL_CAP_CNODE, 0x400, 2, 0, CAP_F_REVOCABLE));
    ring_add(&s[2], mk(KEEL_CAP_TCB, 0x800, 0, 0, CAP_F_REVOCABLE));
    cap_t updated = s[1].cap;
    updated.data = 1;
    updated.aux = 2;
    mdb_move(&s[1], &s[5], &updated);
    slot_t *order[] = {&s[0], &s[5], &s[2]};
    ring_expect(order, 3);
    ck_assert_uint_eq(s[5].cap.type, KEEL_CAP_CNODE);
    ck_assert_uint_eq(s[5].cap.data, 1);
    ck_assert_uint_eq(s[5].cap.aux, 2);
    ck_assert(cap_is_null(&s[1].cap));
    ck_assert_ptr_null(s[1].mdb_prev);
    ck_assert_ptr_null(s[1].mdb_next);
    /* Moving the only element of the ring. */
    ring_init();
    ring_add(&s[0], mk(KEEL_CAP_ENDPOINT, 0x100, 0, 0, 0));
    mdb_move(&s[0], &s[1], &s[0].cap);
    slot_t *order2[] = {&s[1]};
    ring_expect(order2, 1);
    ck_assert_uint_eq(s[1].cap.obj, 0x100);
}
END_TEST

/* mdb_swap exchanges caps and list positions, adjacent (either order) or apart. */
START_TEST(swap_keeps_positions)
{
    h_boot();
    for (int variant = 0; variant < 3; variant++) {
        ring_init();
        cap_t a = mk(KEEL_CAP_ENDPOINT, 0x100, 0, 0, CAP_F_REVOCABLE);
        cap_t b = mk(KEEL_CAP_NOTIFICATION, 0x200, 0, 0, CAP_F_REVOCABLE);
        cap_t x = mk(KEEL_CAP_TCB, 0x800, 0, 0, CAP_F_REVOCABLE);
        ring_add(&s[0], x);
        if (variant == 0) { /* s1, s2 adjacent */
            ring_add(&s[1], a);
            ring_add(&s[2], b);
        } else if (variant == 1) { /* s2 before s1 */
            ring_add(&s[2], b);
            ring_add(&s[1], a);
        } else { /* apart */
            ring_add(&s[1], a);
            ring_add(&s[3], x);
            ring_add(&s[2], b);
        }
        slot_t *p1 = s[1].mdb_prev, *n1 = s[1].mdb_next, *p2 = s[2].mdb_prev, *n2 = s[2].mdb_next;
        mdb_swap(&s[1], &s[2]);
        ck_assert_uint_eq(s[1].cap.type, KEEL_CAP_NOTIFICATION);
        ck_assert_uint_eq(s[2].cap.type, KEEL_CAP_ENDPOINT);
        /* The endpoint (now in s2) sits where s1 was, and vice versa. */
        slot_t *want_p2 = p1 == &s[2] ? &s[1] : p1, *want_n2 = n1 == &s[2] ? &s[1] : n1;
        slot_t *want_p1 = p2 == &s[1] ? &s[2] : p2, *want_n1 = n2 == &s[1] ? &s[2] : n2;
        ck_assert_ptr_eq(s[2].mdb_prev, want_p2);
        ck_assert_ptr_eq(s[2].mdb_next, want_n2);
        ck_assert_ptr_eq(s[1].mdb_prev, want_p1);
        ck_assert_ptr_eq(s[1].mdb_next, want_n1);
        ck_assert_ptr_eq(s[1].mdb_prev->mdb_next, &s[1]);
        ck_assert_ptr_eq(s[2].mdb_next->mdb_prev, &s[2]);
    }
}
END_TEST

/* slot_clear unlinks and empties a slot; clearing an empty slot is harmless. */
START_TEST(slot_clear_unlinks)
{
    h_boot();
    ring_init();
    ring_add(&s[0], mk(KEEL_CAP_ENDPOINT, 0x100, 0, 0, 0));
    ring_add(&s[1], mk(KEEL_CAP_ENDPOINT, 0x200, 0, 0, 0));
    ring_add(&s[2], mk(KEEL_CAP_ENDPOINT, 0x300, 0, 0, 0));
    slot_clear(&s[1]);
    slot_t *order[] = {&s[0], &s[2]};
    ring_expect(order, 2);
    ck_assert(cap_is_null(&s[1].cap));
    ck_assert_ptr_null(s[1].mdb_next);
    slot_clear(&s[5]); /* never linked */
    ck_assert(cap_is_null(&s[5].cap));
    ring_expect(order, 2);
}
END_TEST

/* Retype and untyped copies are revocable; plain copies are not, and follow the source. */
START_TEST(kernel_sets_revocable_flags)
{
    h_boot();
    word_t ep = h_free_slot(0), cp = h_free_slot(1), u = h_free_slot(2), ucp = h_free_slot(3);
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_ENDPOINT, 0, ep, 1), KEEL_OK);
    ck_assert_uint_eq(h_slot(ep)->cap.flags, CAP_F_REVOCABLE);
    ck_assert_ptr_eq(h_slot(ep)->mdb_prev, h_slot(h_big_untyped()));
    ck_assert_int_eq(h_copy(cp, ep, KEEL_RIGHTS_ALL), KEEL_OK);
    ck_assert_uint_eq(h_slot(cp)->cap.flags, 0);
    ck_assert_ptr_eq(h_slot(ep)->mdb_next, h_slot(cp));
    ck_assert(mdb_is_parent(h_slot(ep), h_slot(cp)));
    ck_assert(!mdb_is_final(h_slot(ep)));
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_UNTYPED, 12, u, 1), KEEL_OK);
    ck_assert_int_eq(h_copy(ucp, u, KEEL_RIGHTS_ALL), KEEL_OK);
    ck_assert_uint_eq(h_slot(ucp)->cap.flags, CAP_F_REVOCABLE);
    ck_assert(mdb_is_parent(h_slot(u), h_slot(ucp)));
}
END_TEST

/* A new badge makes a first-badged original; same-badge originals are siblings. */
START_TEST(kernel_sets_badge_flags)
{
    h_boot();
    word_t ep = h_free_slot(0), b = h_free_slot(1), bc = h_free_slot(2), bm = h_free_slot(3);
    word_t b2 = h_free_slot(4);
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_NOTIFICATION, 0, ep, 1), KEEL_OK);
    ck_assert_int_eq(h_mint(b, ep, KEEL_RIGHTS_ALL, 7), KEEL_OK);
    ck_assert_uint_eq(h_slot(b)->cap.flags, CAP_F_REVOCABLE | CAP_F_FIRST_BADGED);
    ck_assert_uint_eq(h_slot(b)->cap.data, 7);
    ck_assert_int_eq(h_copy(bc, b, KEEL_RIGHTS_ALL), KEEL_OK);
    ck_assert_int_eq(h_mint(bm, b, KEEL_RIGHT_WRITE, 0), KEEL_OK);
    ck_assert_uint_eq(h_slot(bc)->cap.data, 7);
    ck_assert_uint_eq(h_slot(bm)->cap.data, 7);
    ck_assert_uint_eq(h_slot(bc)->cap.flags, 0);
    ck_assert_uint_eq(h_slot(bm)->cap.flags, 0);
    ck_assert(mdb_is_parent(h_slot(b), h_slot(bc)));
    ck_assert(mdb_is_parent(h_slot(ep), h_slot(b)));
    ck_assert_int_eq(h_mint(b2, ep, KEEL_RIGHTS_ALL, 7), KEEL_OK);
    ck_assert(!mdb_is_parent(h_slot(b2), h_slot(b)));
    ck_assert(!mdb_is_parent(h_slot(b), h_slot(b2)));
    /* Revoking one badged original leaves the other and its copies. */
    ck_assert_int_eq(h_revoke(b2), KEEL_OK);
    ck_assert_uint_eq(h_slot(b)->cap.type, KEEL_CAP_NOTIFICATION);
    ck_assert_uint_eq(h_slot(bc)->cap.type, KEEL_CAP_NOTIFICATION);
    ck_assert_int_eq(h_revoke(b), KEEL_OK);
    ck_assert(cap_is_null(&h_slot(bc)->cap));
    ck_assert(cap_is_null(&h_slot(bm)->cap));
    ck_assert_uint_eq(h_slot(b2)->cap.type, KEEL_CAP_NOTIFICATION);
}
END_TEST

/* Caps to one object stay adjacent in the MDB, so only the last one is final. */
START_TEST(kernel_copies_adjacent)
{
    h_boot();
    word_t ep = h_free_slot(0), other = h_free_slot(1);
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_ENDPOINT, 0, ep, 1), KEEL_OK);
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_ENDPOINT, 0, other, 1), KEEL_OK);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_int_eq(h_copy(h_free_slot(2 + i), i ? h_free_slot(1 + i) : ep,
                                KEEL_RIGHTS_ALL), KEEL_OK);
    const slot_t *p = h_slot(ep);
    for (unsigned i = 0; i < 4; i++) {
        p = p->mdb_next;
        ck_assert(cap_same_object(&p->cap, &h_slot(ep)->cap));
    }
    for (unsigned i = 0; i < 4; i++) {
        ck_assert(!mdb_is_final(h_slot(h_free_slot(2 + i))));
        ck_assert_int_eq(h_delete(h_free_slot(2 + i)), KEEL_OK);
    }
    ck_assert(mdb_is_final(h_slot(ep)));
    ck_assert(mdb_is_final(h_slot(other)));
}
END_TEST

Suite *cap_suite(void)
{
    Suite *su = suite_create("cap");
    TCase *tc = tcase_create("cap");
    tcase_add_test(tc, same_object_rules);
    tcase_add_test(tc, same_region_untyped);
    tcase_add_test(tc, same_region_irq_control_and_objects);
    tcase_add_test(tc, object_size_bits_per_type);
    tcase_add_test(tc, parent_needs_revocable_and_region);
    tcase_add_test(tc, parent_badge_rules);
    tcase_add_test(tc, final_by_neighbours);
    tcase_add_test(tc, insert_after_links);
    tcase_add_test(tc, move_keeps_position);
    tcase_add_test(tc, swap_keeps_positions);
    tcase_add_test(tc, slot_clear_unlinks);
    tcase_add_test(tc, kernel_sets_revocable_flags);
    tcase_add_test(tc, kernel_sets_badge_flags);
    tcase_add_test(tc, kernel_copies_adjacent);
    suite_add_tcase(su, tc);
    return su;
}
