/*
 * user/lib/invoke.c - one typed wrapper per kernel method.  Argument order
 * and message layout are those of docs/abi.md; each wrapper only packs
 * words and extra caps for keel_invoke().
 */
#include <libkeel.h>

keel_error_t keel_untyped_retype(keel_cptr_t untyped, keel_word_t type, keel_word_t size_bits,
                                 keel_cptr_t root, keel_word_t node_index,
                                 keel_word_t node_depth, keel_word_t node_offset,
                                 keel_word_t num_objects)
{
    keel_word_t w[] = {type, size_bits, node_index, node_depth, node_offset, num_objects};
    return keel_invoke(untyped, KEEL_UNTYPED_RETYPE, 6, w, 1, &root);
}

keel_error_t keel_cnode_copy(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                             keel_cptr_t src_root, keel_word_t src_index,
                             keel_word_t src_depth, keel_word_t rights)
{
    keel_word_t w[] = {dest_index, dest_depth, src_index, src_depth, rights};
    return keel_invoke(root, KEEL_CNODE_COPY, 5, w, 1, &src_root);
}

keel_error_t keel_cnode_mint(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                             keel_cptr_t src_root, keel_word_t src_index,
                             keel_word_t src_depth, keel_word_t rights, keel_word_t badge)
{
    keel_word_t w[] = {dest_index, dest_depth, src_index, src_depth, rights, badge};
    return keel_invoke(root, KEEL_CNODE_MINT, 6, w, 1, &src_root);
}

keel_error_t keel_cnode_move(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                             keel_cptr_t src_root, keel_word_t src_index,
                             keel_word_t src_depth)
{
    keel_word_t w[] = {dest_index, dest_depth, src_index, src_depth};
    return keel_invoke(root, KEEL_CNODE_MOVE, 4, w, 1, &src_root);
}

keel_error_t keel_cnode_mutate(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                               keel_cptr_t src_root, keel_word_t src_index,
                               keel_word_t src_depth, keel_word_t data)
{
    keel_word_t w[] = {dest_index, dest_depth, src_index, src_depth, data};
    return keel_invoke(root, KEEL_CNODE_MUTATE, 5, w, 1, &src_root);
}

keel_error_t keel_cnode_rotate(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                               keel_word_t dest_badge, keel_cptr_t pivot_root,
                               keel_word_t pivot_index, keel_word_t pivot_depth,
                               keel_word_t pivot_badge, keel_cptr_t src_root,
                               keel_word_t src_index, keel_word_t src_depth)
{
    keel_word_t w[] = {dest_index,  dest_depth,  dest_badge, pivot_index,
                       pivot_depth, pivot_badge, src_index,  src_depth};
    keel_cptr_t caps[] = {pivot_root, src_root};
    return keel_invoke(root, KEEL_CNODE_ROTATE, 8, w, 2, caps);
}

keel_error_t keel_cnode_delete(keel_cptr_t root, keel_word_t index, keel_word_t depth)
{
    keel_word_t w[] = {index, depth};
    return keel_invoke(root, KEEL_CNODE_DELETE, 2, w, 0, 0);
}

keel_error_t keel_cnode_revoke(keel_cptr_t root, keel_word_t index, keel_word_t depth)
{
    keel_word_t w[] = {index, depth};
    return keel_invoke(root, KEEL_CNODE_REVOKE, 2, w, 0, 0);
}

keel_error_t keel_cnode_cancel_badged_sends(keel_cptr_t root, keel_word_t index,
                                           keel_word_t depth)
{
    keel_word_t w[] = {index, depth};
    return keel_invoke(root, KEEL_CNODE_CANCEL_BADGED_SENDS, 2, w, 0, 0);
}

keel_error_t keel_tcb_configure(keel_cptr_t tcb, keel_cptr_t fault_ep, keel_cptr_t cspace_root,
                                keel_word_t cspace_root_data, keel_cptr_t vspace_root,
                                keel_word_t vspace_root_data, keel_word_t buffer,
                                keel_cptr_t buffer_frame)
{
    keel_word_t w[] = {fault_ep,         cspace_root, cspace_root_data, vspace_root,
                       vspace_root_data, buffer,      buffer_frame};
    return keel_invoke(tcb, KEEL_TCB_CONFIGURE, 7, w, 0, 0);
}

keel_error_t keel_tcb_set_priority(keel_cptr_t tcb, keel_cptr_t authority, keel_word_t prio)
{
    return keel_invoke(tcb, KEEL_TCB_SET_PRIORITY, 1, &prio, 1, &authority);
}

keel_error_t keel_tcb_set_mc_priority(keel_cptr_t tcb, keel_cptr_t authority, keel_word_t mcp)
{
    return keel_invoke(tcb, KEEL_TCB_SET_MC_PRIORITY, 1, &mcp, 1, &authority);
}

keel_error_t keel_tcb_set_ipc_buffer(keel_cptr_t tcb, keel_word_t buffer,
                                     keel_cptr_t buffer_frame)
{
    keel_word_t w[] = {buffer, buffer_frame};
    return keel_invoke(tcb, KEEL_TCB_SET_IPC_BUFFER, 2, w, 0, 0);
}

keel_error_t keel_tcb_read_registers(keel_cptr_t tcb, bool suspend_source, keel_word_t count,
                                     keel_word_t *regs)
{
    keel_word_t w[] = {suspend_source, count};
    keel_error_t r = keel_invoke(tcb, KEEL_TCB_READ_REGISTERS, 2, w, 0, 0);
    if (r == KEEL_OK)
        for (keel_word_t i = 0; i < count; i++)
            regs[i] = keel_ipc_buffer()->msg[i];
    return r;
}

keel_error_t keel_tcb_write_registers(keel_cptr_t tcb, bool resume_target, keel_word_t count,
                                      const keel_word_t *regs)
{
    keel_word_t w[KEEL_MSG_MAX_LENGTH];
    if (count > KEEL_MSG_MAX_LENGTH - 2)
        count = KEEL_MSG_MAX_LENGTH - 1; /* the kernel reports the range error */
    w[0] = resume_target;
    w[1] = count;
    for (keel_word_t i = 0; i < count && i + 2 < KEEL_MSG_MAX_LENGTH; i++)
        w[i + 2] = regs[i];
    unsigned n = (unsigned)(count + 2 < KEEL_MSG_MAX_LENGTH ? count + 2 : KEEL_MSG_MAX_LENGTH);
    return keel_invoke(tcb, KEEL_TCB_WRITE_REGISTERS, n, w, 0, 0);
}

keel_error_t keel_tcb_resume(keel_cptr_t tcb)
{
    return keel_invoke(tcb, KEEL_TCB_RESUME, 0, 0, 0, 0);
}

keel_error_t keel_tcb_suspend(keel_cptr_t tcb)
{
    return keel_invoke(tcb, KEEL_TCB_SUSPEND, 0, 0, 0, 0);
}

keel_error_t keel_tcb_bind_notification(keel_cptr_t tcb, keel_cptr_t ntfn)
{
    return keel_invoke(tcb, KEEL_TCB_BIND_NOTIFICATION, 0, 0, 1, &ntfn);
}

keel_error_t keel_tcb_unbind_notification(keel_cptr_t tcb)
{
    return keel_invoke(tcb, KEEL_TCB_UNBIND_NOTIFICATION, 0, 0, 0, 0);
}

keel_error_t keel_frame_get_address(keel_cptr_t frame, keel_word_t *paddr, keel_word_t *vaddr)
{
    keel_error_t r = keel_invoke(frame, KEEL_FRAME_GET_ADDRESS, 0, 0, 0, 0);
    if (r == KEEL_OK) {
        if (paddr)
            *paddr = keel_ipc_buffer()->msg[0];
        if (vaddr)
            *vaddr = keel_ipc_buffer()->msg[1];
    }
    return r;
}

keel_error_t keel_irq_control_get(keel_cptr_t irq_control, keel_word_t irq, keel_cptr_t root,
                                  keel_word_t index, keel_word_t depth)
{
    keel_word_t w[] = {irq, index, depth};
    return keel_invoke(irq_control, KEEL_IRQ_CONTROL_GET, 3, w, 1, &root);
}

keel_error_t keel_irq_handler_ack(keel_cptr_t handler)
{
    return keel_invoke(handler, KEEL_IRQ_HANDLER_ACK, 0, 0, 0, 0);
}

keel_error_t keel_irq_handler_set_notification(keel_cptr_t handler, keel_cptr_t ntfn)
{
    return keel_invoke(handler, KEEL_IRQ_HANDLER_SET_NOTIFICATION, 0, 0, 1, &ntfn);
}

keel_error_t keel_irq_handler_clear(keel_cptr_t handler)
{
    return keel_invoke(handler, KEEL_IRQ_HANDLER_CLEAR, 0, 0, 0, 0);
}

keel_error_t keel_frame_map(keel_cptr_t frame, keel_cptr_t vspace, keel_word_t vaddr,
                            keel_word_t rights, keel_word_t attr)
{
    keel_word_t w[] = {vaddr, rights, attr};
    return keel_invoke(frame, KEEL_FRAME_MAP, 3, w, 1, &vspace);
}

keel_error_t keel_frame_unmap(keel_cptr_t frame)
{
    return keel_invoke(frame, KEEL_FRAME_UNMAP, 0, 0, 0, 0);
}

keel_error_t keel_page_table_map(keel_cptr_t table, keel_cptr_t vspace, keel_word_t vaddr)
{
    return keel_invoke(table, KEEL_PAGE_TABLE_MAP, 1, &vaddr, 1, &vspace);
}

keel_error_t keel_page_table_unmap(keel_cptr_t table)
{
    return keel_invoke(table, KEEL_PAGE_TABLE_UNMAP, 0, 0, 0, 0);
}

keel_error_t keel_asid_control_make_pool(keel_cptr_t asid_control, keel_cptr_t untyped,
                                         keel_cptr_t root, keel_word_t index, keel_word_t depth)
{
    keel_word_t w[] = {index, depth};
    keel_cptr_t caps[] = {untyped, root};
    return keel_invoke(asid_control, KEEL_ASID_CONTROL_MAKE_POOL, 2, w, 2, caps);
}

keel_error_t keel_asid_pool_assign(keel_cptr_t pool, keel_cptr_t table, keel_word_t *asid)
{
    keel_error_t r = keel_invoke(pool, KEEL_ASID_POOL_ASSIGN, 0, 0, 1, &table);
    if (r == KEEL_OK && asid)
        *asid = keel_ipc_buffer()->msg[0];
    return r;
}

keel_error_t keel_sched_control_configure(keel_cptr_t sched_control, keel_cptr_t sc,
                                          keel_word_t budget_us, keel_word_t period_us,
                                          keel_word_t extra_refills, keel_word_t badge,
                                          keel_word_t flags)
{
    keel_word_t w[] = {budget_us, period_us, extra_refills, badge, flags};
    return keel_invoke(sched_control, KEEL_SCHED_CONTROL_CONFIGURE, 5, w, 1, &sc);
}

keel_error_t keel_sched_context_bind(keel_cptr_t sc, keel_cptr_t tcb_or_ntfn)
{
    return keel_invoke(sc, KEEL_SCHED_CONTEXT_BIND, 0, 0, 1, &tcb_or_ntfn);
}

keel_error_t keel_sched_context_unbind(keel_cptr_t sc)
{
    return keel_invoke(sc, KEEL_SCHED_CONTEXT_UNBIND, 0, 0, 0, 0);
}

keel_error_t keel_sched_context_unbind_object(keel_cptr_t sc, keel_cptr_t tcb_or_ntfn)
{
    return keel_invoke(sc, KEEL_SCHED_CONTEXT_UNBIND_OBJECT, 0, 0, 1, &tcb_or_ntfn);
}

keel_error_t keel_sched_context_consumed(keel_cptr_t sc, keel_word_t *us)
{
    keel_error_t r = keel_invoke(sc, KEEL_SCHED_CONTEXT_CONSUMED, 0, 0, 0, 0);
    if (r == KEEL_OK && us)
        *us = keel_ipc_buffer()->msg[0];
    return r;
}

keel_error_t keel_sched_context_yield_to(keel_cptr_t sc, keel_word_t *us)
{
    keel_error_t r = keel_invoke(sc, KEEL_SCHED_CONTEXT_YIELD_TO, 0, 0, 0, 0);
    if (r == KEEL_OK && us)
        *us = keel_ipc_buffer()->msg[0];
    return r;
}

keel_error_t keel_tcb_set_timeout_endpoint(keel_cptr_t tcb, keel_cptr_t ep)
{
    return keel_invoke(tcb, KEEL_TCB_SET_TIMEOUT_ENDPOINT, 1, &ep, 0, 0);
}
