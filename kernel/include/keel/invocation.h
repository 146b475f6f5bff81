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

    KEEL_METHOD_COUNT
};

#endif /* KEEL_INVOCATION_H */
