/*
 * tests/sys/irq.c - interrupts to user space (docs/abi.md "Interrupts"):
 * IRQControl_Get issues one handler per line; a line with a notification
 * signals it with the cap's badge and stays masked until IRQHandler_Ack;
 * Clear and deleting the handler stop the signals.
 *
 * The interrupting device is the arch's test device (libkeel's
 * keel_arch.h: the sim's interrupt generator, QEMU virt's goldfish RTC),
 * reached through a frame retyped from the device untyped that covers it,
 * as a user-level driver would.
 */
#include "systest.h"

#include <keel_arch.h>

#define IRQ KEEL_ARCH_TEST_IRQ

/* A frame over the test device, mapped for the root task; 0 if none. */
static volatile void *test_device(struct systest_env *env, keel_cptr_t *frame)
{
    keel_word_t va = 0, pa = 0;
    if (!EXPECT_OK(keel_device_frame(&env->alloc, KEEL_ARCH_TEST_IRQ_PADDR, frame)) ||
        !EXPECT_OK(keel_frame_vaddr(&env->alloc, *frame, KEEL_PAGE_BITS, &va)))
        return 0;
    EXPECT_OK(keel_frame_get_address(*frame, &pa, 0));
    EXPECT_EQ(pa, KEEL_ARCH_TEST_IRQ_PADDR & ~(((keel_word_t)1 << KEEL_PAGE_BITS) - 1));
    return (volatile char *)va + (KEEL_ARCH_TEST_IRQ_PADDR & ((1u << KEEL_PAGE_BITS) - 1));
}

static keel_word_t poll(keel_cptr_t ntfn)
{
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    keel_nbwait(ntfn, &badge, mr);
    return badge;
}

static void irq_control_rules(struct systest_env *env)
{
    keel_cptr_t h = slot(env), h2 = slot(env);
    EXPECT_ERR(keel_irq_control_get(KEEL_SLOT_IRQ_CONTROL, 0, ROOT, h, WB), KEEL_RANGE_ERROR);
    EXPECT_EQ(keel_last_error().v1, 1); /* line 0 is the timer's on both ports */
    EXPECT_ERR(keel_irq_control_get(KEEL_SLOT_IRQ_CONTROL, 1000, ROOT, h, WB), KEEL_RANGE_ERROR);
    EXPECT_EQ(keel_last_error().v3, 1000);
    EXPECT_OK(keel_irq_control_get(KEEL_SLOT_IRQ_CONTROL, IRQ, ROOT, h, WB));
    EXPECT_EQ(cap_type(h), KEEL_CAP_IRQ_HANDLER);
    EXPECT_ERR(keel_irq_control_get(KEEL_SLOT_IRQ_CONTROL, IRQ, ROOT, h2, WB), KEEL_REVOKE_FIRST);
    EXPECT_ERR(keel_irq_control_get(KEEL_SLOT_IRQ_CONTROL, IRQ + 1, ROOT, h, WB),
               KEEL_DELETE_FIRST);
    EXPECT_ERR(keel_irq_control_get(KEEL_SLOT_IRQ_CONTROL, IRQ + 1, h, h2, WB),
               KEEL_FAILED_LOOKUP);
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0), n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t n_ro = mint(env, n, KEEL_RIGHT_READ, 0);
    EXPECT_ERR(keel_irq_handler_set_notification(h, ep), KEEL_INVALID_CAPABILITY);
    EXPECT_ERR(keel_irq_handler_set_notification(h, n_ro), KEEL_INVALID_CAPABILITY);
    EXPECT_OK(keel_irq_handler_set_notification(h, n));
    EXPECT_OK(keel_irq_handler_clear(h));
    EXPECT_OK(keel_irq_handler_ack(h));
    /* A copy is one more cap to the same handler; the line is free only
     * once every cap is gone. */
    EXPECT_OK(keel_cnode_copy(ROOT, h2, WB, ROOT, h, WB, KEEL_RIGHTS_ALL));
    EXPECT_OK(keel_cnode_delete(ROOT, h, WB));
    EXPECT_ERR(keel_irq_control_get(KEEL_SLOT_IRQ_CONTROL, IRQ, ROOT, h, WB), KEEL_REVOKE_FIRST);
    EXPECT_OK(keel_cnode_delete(ROOT, h2, WB));
    EXPECT_OK(keel_irq_control_get(KEEL_SLOT_IRQ_CONTROL, IRQ, ROOT, h, WB));
    /* Revoking IRQControl takes every handler. */
    EXPECT_OK(keel_cnode_revoke(ROOT, KEEL_SLOT_IRQ_CONTROL, WB));
    EXPECT_EQ(cap_type(h), KEEL_CAP_NULL);
    EXPECT_ERR(keel_invoke(KEEL_SLOT_IRQ_CONTROL, 99, 0, 0, 0, 0), KEEL_ILLEGAL_OPERATION);
}

static void irq_signals_until_ack(struct systest_env *env)
{
    keel_cptr_t dev_frame;
    volatile void *dev = test_device(env, &dev_frame);
    if (!dev)
        return;
    keel_cptr_t h = slot(env), n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    EXPECT_OK(keel_irq_control_get(KEEL_SLOT_IRQ_CONTROL, IRQ, ROOT, h, WB));
    EXPECT_OK(keel_irq_handler_set_notification(h, mint(env, n, KEEL_RIGHT_WRITE, 0x40)));

    /* It fires: the notification gets the badge. */
    keel_arch_test_irq_raise(dev);
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    keel_wait(n, &badge, mr);
    EXPECT_EQ(badge, 0x40);
    keel_arch_test_irq_clear(dev);

    /* Masked until Ack: a second interrupt waits for it. */
    keel_arch_test_irq_raise(dev);
    keel_yield();
    EXPECT_EQ(poll(n), 0);
    keel_arch_test_irq_clear(dev);
    keel_arch_test_irq_raise(dev);
    EXPECT_OK(keel_irq_handler_ack(h));
    keel_wait(n, &badge, mr);
    EXPECT_EQ(badge, 0x40);
    keel_arch_test_irq_clear(dev);

    /* Cleared: the line fires into nothing, and stays masked. */
    EXPECT_OK(keel_irq_handler_clear(h));
    EXPECT_OK(keel_irq_handler_ack(h));
    keel_arch_test_irq_raise(dev);
    keel_yield();
    EXPECT_EQ(poll(n), 0);
    keel_arch_test_irq_clear(dev);

    /* A new notification, and the handler deleted: nothing comes. */
    EXPECT_OK(keel_irq_handler_set_notification(h, mint(env, n, KEEL_RIGHT_WRITE, 0x2)));
    EXPECT_OK(keel_irq_handler_ack(h));
    keel_arch_test_irq_raise(dev);
    keel_wait(n, &badge, mr);
    EXPECT_EQ(badge, 0x2);
    keel_arch_test_irq_clear(dev);
    EXPECT_OK(keel_cnode_delete(ROOT, h, WB));
    keel_arch_test_irq_raise(dev);
    keel_yield();
    EXPECT_EQ(poll(n), 0);
    keel_arch_test_irq_clear(dev);
    /* (The runner deletes the device frames, children of a boot untyped.) */
}

const struct systest irq_tests[] = {
    {"irq_control_rules", "IRQControl_Get: one handler per line, in an empty slot; revocable",
     irq_control_rules},
    {"irq_signals_until_ack", "an interrupt signals the handler's notification, then waits for Ack",
     irq_signals_until_ack},
    {0, 0, 0},
};
