/*
 * examples/uart-driver/uart_driver.c - a user-level device driver: the
 * root task drives QEMU virt's NS16550 UART through a frame over its
 * registers and writes a line with it, one byte per transmit interrupt,
 * delivered by the kernel as a signal on a notification.
 *
 *   make ARCH=riscv64 run-uart-driver      (riscv64 only: the sim has no UART)
 *
 * What a driver needs, all through capabilities:
 *   - the device's registers: a Frame retyped from the device untyped
 *     that covers them (keel_device_frame), mapped into the driver's
 *     address space (keel_frame_vaddr);
 *   - its interrupt: an IRQHandler from IRQControl_Get, with a notification
 *     to signal (IRQHandler_SetNotification).
 * The loop: enable the "transmit holding register empty" interrupt; on
 * each signal read the interrupt identification register (which clears
 * that condition), write the next byte, and IRQHandler_Ack to unmask the
 * line again.  The kernel's debug console shares the UART (it polls); this
 * driver's bytes go out between its lines.
 */
#include <keel_arch.h>
#include <libkeel.h>

#define ROOT KEEL_SLOT_INIT_CNODE
#define WB KEEL_WORD_BITS

#ifdef KEEL_ARCH_UART_PADDR

#define UART_THR 0 /* transmit holding register (write) */
#define UART_IER 1 /* interrupt enable */
#define UART_IIR 2 /* interrupt identification (read) */
#define IER_THRE 0x02
#define IIR_ID_MASK 0x0f
#define IIR_THRE 0x02

static const char message[] = "uart-driver: this line was written by a user-level driver, "
                              "one byte per interrupt\n";

static int uart_driver_main(const struct keel_bootinfo *bi)
{
    struct keel_alloc a;
    keel_cptr_t frame, ntfn, handler;
    keel_word_t va;
    keel_alloc_init(&a, bi);
    if (keel_device_frame(&a, KEEL_ARCH_UART_PADDR, &frame) != KEEL_OK ||
        keel_frame_vaddr(&a, frame, KEEL_PAGE_BITS, &va) != KEEL_OK) {
        keel_perror("uart-driver: the UART's registers");
        return 1;
    }
    volatile uint8_t *uart = (volatile uint8_t *)va;
    handler = keel_slot_alloc(&a.slots);
    if (keel_alloc_object(&a, KEEL_OBJ_NOTIFICATION, 0, &ntfn) != KEEL_OK ||
        keel_irq_control_get(KEEL_SLOT_IRQ_CONTROL, KEEL_ARCH_UART_IRQ, ROOT, handler, WB) ||
        keel_irq_handler_set_notification(handler, ntfn)) {
        keel_perror("uart-driver: the UART's interrupt");
        return 1;
    }
    keel_printf("uart-driver: UART registers mapped at 0x%lx, interrupt %u signals a "
                "notification\n", (unsigned long)va, KEEL_ARCH_UART_IRQ);

    unsigned long interrupts = 0, sent = 0;
    uart[UART_IER] = IER_THRE; /* the register is empty now: the first interrupt comes at once */
    while (sent < sizeof(message) - 1) {
        keel_word_t badge, mr[KEEL_MSG_REGS];
        keel_wait(ntfn, &badge, mr);
        interrupts++;
        if ((uart[UART_IIR] & IIR_ID_MASK) == IIR_THRE) /* reading it clears the condition */
            uart[UART_THR] = (uint8_t)message[sent++];
        keel_irq_handler_ack(handler);
    }
    uart[UART_IER] = 0;
    keel_printf("uart-driver: %lu bytes written, %lu interrupts taken\n", sent, interrupts);
    return sent == interrupts ? 0 : 1;
}

#else

static int uart_driver_main(const struct keel_bootinfo *bi)
{
    (void)bi;
    keel_printf("uart-driver: this arch has no NS16550 UART for user drivers (run it on "
                "riscv64)\n");
    return 0;
}

#endif

KEEL_ROOT_TASK(uart_driver, "a user-level UART driver, one byte per interrupt", uart_driver_main);
