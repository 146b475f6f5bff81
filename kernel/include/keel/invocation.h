/*
 * keel/invocation.h - method labels: the label of the message info word
 * selects the method when a kernel-object capability is invoked with Call,
 * Send or NBSend; all three write the result registers, which a Send
 * caller may ignore.  Arguments and errors of each
 * method are listed in docs/abi.md; the argument order mirrors seL4's.
 */
#ifndef KEEL_INVOCATION_H
#define KEEL_INVOCATION_H

enum keel_method {
    KEEL_INVALID_METHOD = 0,

    /* Untyped */
    KEEL_UNTYPED_RETYPE = 1,

    /* CNode: the invoked CNode is the root for the destination address. */
    KEEL_CNODE_REVOKE = 16,
    KEEL_CNODE_DELETE = 17,
    KEEL_CNODE_COPY = 18,
    KEEL_CNODE_MINT = 19,
    KEEL_CNODE_MOVE = 20,
    KEEL_CNODE_MUTATE = 21,
    KEEL_CNODE_ROTATE = 22,
    KEEL_CNODE_CANCEL_BADGED_SENDS = 23,

    /* TCB.  Capabilities the thread will hold (Configure, SetIPCBuffer) are
     * named by cptr words in the invoker's CSpace; 0 means none. */
    KEEL_TCB_READ_REGISTERS = 32,
    KEEL_TCB_WRITE_REGISTERS = 33,
    KEEL_TCB_CONFIGURE = 34,
    KEEL_TCB_SET_PRIORITY = 35,
    KEEL_TCB_SET_MC_PRIORITY = 36,
    KEEL_TCB_SET_IPC_BUFFER = 37,
    KEEL_TCB_RESUME = 38,
    KEEL_TCB_SUSPEND = 39,
    KEEL_TCB_BIND_NOTIFICATION = 40,
    KEEL_TCB_UNBIND_NOTIFICATION = 41,
    KEEL_TCB_SET_TIMEOUT_ENDPOINT = 42,

    /* Frame and PageTable: address spaces (docs/abi.md "Address spaces").
     * The VSpace is extra cap 0: a PageTable given an ASID by ASIDPool_Assign. */
    KEEL_FRAME_GET_ADDRESS = 48,
    KEEL_FRAME_MAP = 49,
    KEEL_FRAME_UNMAP = 50,
    KEEL_PAGE_TABLE_MAP = 56,
    KEEL_PAGE_TABLE_UNMAP = 57,
    /* ASIDControl_MakePool(untyped: extra cap 0, dest: extra cap 1 = CNode
     * root, index, depth) and ASIDPool_Assign(root table: extra cap 0). */
    KEEL_ASID_CONTROL_MAKE_POOL = 60,
    KEEL_ASID_POOL_ASSIGN = 61,

    /* SchedControl and SchedContext (MCS). */
    KEEL_SCHED_CONTROL_CONFIGURE = 64,
    KEEL_SCHED_CONTEXT_BIND = 72,
    KEEL_SCHED_CONTEXT_UNBIND = 73,
    KEEL_SCHED_CONTEXT_UNBIND_OBJECT = 74,
    KEEL_SCHED_CONTEXT_CONSUMED = 75,
    KEEL_SCHED_CONTEXT_YIELD_TO = 76,

    /* IRQControl and IRQHandler: interrupts to user space as signals.
     * IRQControl_Get's destination is (extra cap 0 = CNode root, index,
     * depth), as Retype's; SetNotification's notification is extra cap 0. */
    KEEL_IRQ_CONTROL_GET = 80,
    KEEL_IRQ_HANDLER_ACK = 88,
    KEEL_IRQ_HANDLER_SET_NOTIFICATION = 89,
    KEEL_IRQ_HANDLER_CLEAR = 90,

    KEEL_METHOD_COUNT
};

#endif /* KEEL_INVOCATION_H */
