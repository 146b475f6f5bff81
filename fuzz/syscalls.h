/*
 * fuzz/syscalls.h - the operations of fuzz harness 1 (fuzz/syscalls.c):
 * an input is a sequence of an opcode byte (taken modulo OP_COUNT) and
 * the operation's argument bytes.  Shared with the seed-corpus generator
 * (fuzz/seeds.c), which writes programs in this encoding.
 */
#ifndef KEEL_FUZZ_SYSCALLS_H
#define KEEL_FUZZ_SYSCALLS_H

enum op {
    OP_RETYPE, OP_COPY, OP_MINT, OP_MOVE, OP_MUTATE, OP_ROTATE, OP_DELETE, OP_REVOKE,
    OP_CANCEL_BADGED, OP_TCB_CONFIGURE, OP_TCB_PRIORITY, OP_TCB_MCP, OP_TCB_RESUME,
    OP_TCB_SUSPEND, OP_TCB_BIND_NTFN, OP_TCB_UNBIND_NTFN, OP_TCB_TIMEOUT_EP,
    OP_TCB_READ_REGS, OP_TCB_WRITE_REGS, OP_SC_CONFIGURE, OP_SC_BIND, OP_SC_UNBIND,
    OP_SC_UNBIND_OBJECT, OP_SC_CONSUMED, OP_SC_YIELD_TO, OP_SEND, OP_NBSEND, OP_CALL,
    OP_RECV, OP_NBRECV, OP_REPLY_RECV, OP_NBSEND_RECV, OP_NBSEND_WAIT, OP_WAIT, OP_NBWAIT,
    OP_YIELD, OP_TICK, OP_FRAME_ADDRESS, OP_IRQ_GET, OP_IRQ_HANDLER, OP_IRQ_RAISE, OP_VSPACE,
    OP_COUNT
};


#endif /* KEEL_FUZZ_SYSCALLS_H */
