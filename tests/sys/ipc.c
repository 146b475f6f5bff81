/*
 * tests/sys/ipc.c - endpoint IPC (docs/ipc.md "Endpoints", "Reply
 * objects", "Deletion and cancellation"): Call/ReplyRecv with badges,
 * message contents, blocking and non-blocking sends and receives, send
 * errors, capability transfer and unwrapping, reply objects, and what
 * deleting an endpoint, reply object or TCB does to blocked threads.
 *
 * Most tests let threads block and then act from the root with the
 * non-blocking calls (NBRecv, NBSend), so that a kernel bug makes a test
 * fail rather than hang.
 */
#include "systest.h"

#define MSG(label, caps, len) keel_msginfo((label), 0, (caps), (len))

static struct {
    keel_cptr_t ep, ep2, reply, ntfn;
    keel_cptr_t cap[SYSTEST_THREADS_MAX]; /* per-thread send caps */
    keel_cptr_t rslot;                    /* receive slot for cap transfer */
    keel_cptr_t rcnode;                   /* the receiver's receive_cnode */
} g;

static void reset(void)
{
    __builtin_memset(&g, 0, sizeof(g));
}

static struct keel_ipc_buffer *ipcbuf(void)
{
    return keel_ipc_buffer();
}

/* ---- thread bodies ---- */

/* Echo server: reply mr0 + badge * 1000 and the label seen; rec[0].w[]
 * collects the badges in arrival order, rec[0].stage counts requests. */
static void echo_server(keel_word_t unused)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    keel_msginfo_t info = keel_recv(g.ep, &badge, g.reply, mr);
    for (;;) {
        keel_word_t n = rec[0].stage++;
        if (n < 8)
            rec[0].w[n] = badge;
        mr[0] = mr[0] + badge * 1000;
        mr[1] = keel_msginfo_label(info);
        info = keel_reply_recv(g.ep, MSG(0x77, 0, 2), &badge, g.reply, mr);
    }
}

/* Client i: two Calls through g.cap[i]. */
static void echo_client(keel_word_t i)
{
    for (keel_word_t k = 0; k < 2; k++) {
        keel_word_t mr[KEEL_MSG_REGS] = {i * 10 + k, 0, 0, 0};
        keel_msginfo_t info = keel_call(g.cap[i], MSG(0x40 + i, 0, 1), mr);
        rec[i].mr[k] = mr[0];
        rec[i].w[k] = mr[1];
        rec[i].info = info;
        rec[i].stage++;
    }
    park();
}

/* Sender i: Send through g.cap[i] label 0xabcde, 4 words; record the result. */
static void sender4(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {11, 22, 33, 44};
    rec[i].stage = 1;
    keel_msginfo_t info = keel_send(g.cap[i], MSG(0xabcde, 0, 4), mr);
    rec[i].info = info;
    rec[i].mr[1] = mr[1];
    rec[i].stage = 2;
    park();
}

/* Receiver i: Recv on g.ep (reply g.reply if set) once, record it. */
static void receiver(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    rec[i].stage = 1;
    keel_msginfo_t info = keel_recv(g.ep, &badge, 0, mr);
    record_msg(&rec[i], info, badge, mr);
    struct keel_ipc_buffer *b = ipcbuf();
    for (unsigned k = 0; k < KEEL_MSG_MAX_EXTRA_CAPS; k++)
        rec[i].w[k] = b->caps_or_badges[k];
    rec[i].stage = 2;
    park();
}

/* Receiver with a receive slot: (g.rcnode, g.rslot, WB). */
static void cap_receiver(keel_word_t i)
{
    keel_set_receive_slot(g.rcnode, g.rslot, WB);
    receiver(i);
}

/* Caller i: one Call through g.cap[i] (label 0x31, mr0 = 7 + i). */
static void caller(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {7 + i, 0, 0, 0};
    rec[i].stage = 1;
    keel_msginfo_t info = keel_call(g.cap[i], MSG(0x31, 0, 1), mr);
    record_msg(&rec[i], info, 0, mr);
    rec[i].stage = 2;
    park();
}

/* ---- Call and ReplyRecv ---- */

static void call_reply_recv_badges(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    for (keel_word_t i = 1; i <= 3; i++)
        g.cap[i] = mint(env, g.ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, i);
    spawn(env, echo_server, 0, PRIO);
    settle(env);
    EXPECT_EQ(rec[0].stage, 0); /* waiting for the first request */
    for (keel_word_t i = 1; i <= 3; i++)
        spawn(env, echo_client, i, PRIO - 50);
    settle(env);
    EXPECT_EQ(rec[0].stage, 6);
    unsigned seen[4] = {0};
    for (unsigned n = 0; n < 6; n++)
        if (rec[0].w[n] >= 1 && rec[0].w[n] <= 3)
            seen[rec[0].w[n]]++;
    for (keel_word_t i = 1; i <= 3; i++) {
        EXPECT_EQ(seen[i], 2); /* the server saw each client's badge twice */
        EXPECT_EQ(rec[i].stage, 2);
        EXPECT_EQ(rec[i].mr[0], i * 10 + 0 + i * 1000);
        EXPECT_EQ(rec[i].mr[1], i * 10 + 1 + i * 1000);
        EXPECT_EQ(rec[i].w[0], 0x40 + i); /* the label the server received */
        EXPECT_EQ(keel_msginfo_label(rec[i].info), 0x77);
        EXPECT_EQ(keel_msginfo_length(rec[i].info), 2);
    }
}

static void call_from_root(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    keel_cptr_t c = mint(env, g.ep, KEEL_RIGHTS_ALL, 9);
    spawn(env, echo_server, 0, PRIO);
    settle(env);
    keel_word_t mr[KEEL_MSG_REGS] = {5, 0, 0, 0};
    keel_msginfo_t info = keel_call(c, MSG(0x123, 0, 1), mr);
    EXPECT_EQ(keel_msginfo_label(info), 0x77);
    EXPECT_EQ(mr[0], 9005);
    EXPECT_EQ(mr[1], 0x123);
    EXPECT_EQ(rec[0].stage, 1);
}

/* ---- message contents ---- */

static void message_in_registers(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE, 0x99);
    spawn(env, sender4, 1, PRIO);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    keel_msginfo_t info = keel_nbrecv(g.ep, &badge, 0, mr);
    EXPECT_EQ(keel_msginfo_label(info), 0xabcde);
    EXPECT_EQ(keel_msginfo_length(info), 4);
    EXPECT_EQ(keel_msginfo_extra_caps(info), 0);
    EXPECT_EQ(keel_msginfo_unwrapped(info), 0);
    EXPECT_EQ(badge, 0x99);
    EXPECT_EQ(mr[0], 11);
    EXPECT_EQ(mr[1], 22);
    EXPECT_EQ(mr[2], 33);
    EXPECT_EQ(mr[3], 44);
    EXPECT_EQ(rec[1].stage, 1); /* lower priority: not run yet */
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), KEEL_OK);
}

static void long_sender(keel_word_t i)
{
    struct keel_ipc_buffer *b = ipcbuf();
    keel_word_t mr[KEEL_MSG_REGS] = {0x1000, 0x1001, 0x1002, 0x1003};
    for (unsigned k = KEEL_MSG_REGS; k < KEEL_MSG_MAX_LENGTH; k++)
        b->msg[k] = 0x1000 + k;
    rec[i].stage = 1;
    rec[i].info = keel_send(g.ep, MSG(0x5, 0, KEEL_MSG_MAX_LENGTH), mr);
    rec[i].stage = 2;
    park();
}

static void long_receiver(keel_word_t i)
{
    struct keel_ipc_buffer *b = ipcbuf();
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    rec[i].stage = 1;
    keel_msginfo_t info = keel_recv(g.ep2, &badge, 0, mr);
    record_msg(&rec[i], info, badge, mr);
    keel_word_t bad = 0;
    for (unsigned k = KEEL_MSG_REGS; k < KEEL_MSG_MAX_LENGTH; k++)
        if (b->msg[k] != 0x2000 + k)
            bad++;
    rec[i].w[0] = bad;
    rec[i].stage = 2;
    park();
}

static void long_messages(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.ep2 = object(env, KEEL_OBJ_ENDPOINT, 0);
    struct keel_ipc_buffer *b = ipcbuf();
    spawn(env, long_sender, 1, PRIO);
    spawn(env, long_receiver, 2, PRIO);
    settle(env);
    /* Thread to root: 120 words. */
    for (unsigned k = KEEL_MSG_REGS; k < KEEL_MSG_MAX_LENGTH; k++)
        b->msg[k] = 0;
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_msginfo_t info = keel_nbrecv(g.ep, 0, 0, mr);
    EXPECT_EQ(keel_msginfo_label(info), 0x5);
    EXPECT_EQ(keel_msginfo_length(info), KEEL_MSG_MAX_LENGTH);
    keel_word_t bad = 0;
    for (unsigned k = 0; k < KEEL_MSG_REGS; k++)
        bad += mr[k] != 0x1000 + k;
    for (unsigned k = KEEL_MSG_REGS; k < KEEL_MSG_MAX_LENGTH; k++)
        bad += b->msg[k] != 0x1000 + k;
    EXPECT_EQ(bad, 0);
    /* Root to thread: 120 words. */
    for (unsigned k = 0; k < KEEL_MSG_REGS; k++)
        mr[k] = 0x2000 + k;
    for (unsigned k = KEEL_MSG_REGS; k < KEEL_MSG_MAX_LENGTH; k++)
        b->msg[k] = 0x2000 + k;
    info = keel_nbsend(g.ep2, MSG(0x6, 0, KEEL_MSG_MAX_LENGTH), mr);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), KEEL_OK);
    EXPECT_EQ(rec[2].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[2].info), 0x6);
    EXPECT_EQ(keel_msginfo_length(rec[2].info), KEEL_MSG_MAX_LENGTH);
    EXPECT_EQ(rec[2].mr[0], 0x2000);
    EXPECT_EQ(rec[2].mr[3], 0x2003);
    EXPECT_EQ(rec[2].w[0], 0); /* words 4..119 all arrived */
}

/* Without an IPC buffer: a 5-word send is a RangeError, 4 words work. */
static void bufferless_sender(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {1, 2, 3, 4};
    keel_msginfo_t info = keel_nbsend(g.ep, MSG(1, 0, 5), mr);
    rec[i].w[0] = keel_msginfo_label(info);
    rec[i].w[1] = mr[2]; /* the maximum length allowed */
    rec[i].w[2] = mr[3]; /* the length given */
    keel_word_t mr2[KEEL_MSG_REGS] = {1, 2, 3, 4};
    rec[i].stage = 1;
    rec[i].info = keel_send(g.ep, MSG(2, 0, 4), mr2);
    rec[i].stage = 2;
    park();
}

static void bufferless_receiver(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    rec[i].stage = 1;
    keel_msginfo_t info = keel_recv(g.ep2, &badge, 0, mr);
    record_msg(&rec[i], info, badge, mr);
    rec[i].w[0] = ipcbuf()->msg[4]; /* its frame is not its IPC buffer any more */
    rec[i].stage = 2;
    park();
}

static void no_ipc_buffer_four_words(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.ep2 = object(env, KEEL_OBJ_ENDPOINT, 0);
    struct keel_thread s = spawn_with(env, bufferless_sender, 1, PRIO, 0, false);
    struct keel_thread r = spawn_with(env, bufferless_receiver, 2, PRIO, 0, false);
    EXPECT_OK(keel_tcb_set_ipc_buffer(s.tcb, 0, 0));
    EXPECT_OK(keel_tcb_set_ipc_buffer(r.tcb, 0, 0));
    EXPECT_OK(keel_tcb_resume(s.tcb));
    EXPECT_OK(keel_tcb_resume(r.tcb));
    settle(env);
    EXPECT_EQ(rec[1].w[0], KEEL_RANGE_ERROR);
    EXPECT_EQ(rec[1].w[1], 4);
    EXPECT_EQ(rec[1].w[2], 5);
    EXPECT_EQ(rec[1].stage, 1);
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_msginfo_t info = keel_nbrecv(g.ep, 0, 0, mr);
    EXPECT_EQ(keel_msginfo_label(info), 2);
    EXPECT_EQ(keel_msginfo_length(info), 4);
    EXPECT_EQ(mr[0], 1);
    EXPECT_EQ(mr[3], 4);
    /* A receiver without a buffer gets the first 4 words of 10. */
    struct keel_ipc_buffer *b = ipcbuf();
    for (unsigned k = 4; k < 10; k++)
        b->msg[k] = 0x500 + k;
    keel_word_t out[KEEL_MSG_REGS] = {0x500, 0x501, 0x502, 0x503};
    info = keel_nbsend(g.ep2, MSG(3, 0, 10), out);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(rec[2].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[2].info), 3);
    EXPECT_EQ(keel_msginfo_length(rec[2].info), 4);
    EXPECT_EQ(rec[2].mr[0], 0x500);
    EXPECT_EQ(rec[2].mr[3], 0x503);
    EXPECT_EQ(rec[2].w[0], 0);
}

/* ---- blocking and non-blocking ---- */

static void send_blocks_until_received(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.cap[1] = g.ep;
    spawn(env, sender4, 1, PRIO);
    settle(env);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1); /* still blocked in Send */
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_msginfo_t info = keel_nbrecv(g.ep, 0, 0, mr);
    EXPECT_EQ(keel_msginfo_label(info), 0xabcde);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), KEEL_OK);
}

static void nbsend_to_nobody_dropped(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t mr[KEEL_MSG_REGS] = {1, 2, 3, 4};
    EXPECT_EQ(keel_msginfo_label(keel_nbsend(g.ep, MSG(0x21, 0, 4), mr)), KEEL_OK);
    keel_word_t badge = 0xdead;
    keel_word_t in[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_nbrecv(g.ep, &badge, 0, in), 0);
    EXPECT_EQ(badge, 0);
    /* Nor does a later blocking receiver get it. */
    keel_word_t mr2[KEEL_MSG_REGS] = {0};
    keel_nbsend(g.ep, MSG(0x22, 0, 0), mr2);
    spawn(env, receiver, 1, PRIO);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    keel_word_t mr3[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbsend(g.ep, MSG(0x23, 0, 0), mr3)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x23);
}

static void nbrecv_nothing_pending(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t badge = 0xdead, mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_nbrecv(g.ep, &badge, 0, mr), 0);
    EXPECT_EQ(badge, 0);
    /* With a receiver queued, a non-blocking receive still finds nothing,
     * and the receiver keeps its place. */
    spawn(env, receiver, 1, PRIO);
    settle(env);
    badge = 0xdead;
    EXPECT_EQ(keel_nbrecv(g.ep, &badge, 0, mr), 0);
    EXPECT_EQ(badge, 0);
    keel_word_t out[KEEL_MSG_REGS] = {0};
    keel_nbsend(g.ep, MSG(0x5, 0, 0), out);
    settle(env);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x5);
}

static void send_errors(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t ro = mint(env, g.ep, KEEL_RIGHT_READ | KEEL_RIGHT_GRANT | KEEL_RIGHT_GRANT_REPLY, 0);
    spawn(env, receiver, 1, PRIO);
    settle(env);
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_msginfo_t info = keel_send(ro, MSG(1, 0, 0), mr);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_INVALID_CAPABILITY);
    EXPECT_EQ(mr[1], KEEL_CAP_ENDPOINT);
    keel_word_t mr2[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbsend(ro, MSG(1, 0, 0), mr2)), KEEL_INVALID_CAPABILITY);
    keel_word_t mr3[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_call(ro, MSG(1, 0, 0), mr3)), KEEL_INVALID_CAPABILITY);
    keel_word_t mr4[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_send(slot(env), MSG(1, 0, 0), mr4)), KEEL_FAILED_LOOKUP);
    keel_word_t mr5[KEEL_MSG_REGS] = {0};
    info = keel_nbsend(g.ep, MSG(1, 0, KEEL_MSG_MAX_LENGTH + 1), mr5);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_RANGE_ERROR);
    EXPECT_EQ(mr5[2], KEEL_MSG_MAX_LENGTH);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1); /* none of them was delivered */
    keel_word_t mr6[KEEL_MSG_REGS] = {0};
    keel_nbsend(g.ep, MSG(9, 0, 0), mr6);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 9);
}

static void multi_receiver(keel_word_t i)
{
    for (unsigned n = 0; n < 2; n++) {
        keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
        keel_msginfo_t info = keel_recv(g.ep, &badge, 0, mr);
        rec[i].w[n] = keel_msginfo_label(info);
        rec[i].stage++;
    }
    park();
}

static void nbsend_recv_and_wait(keel_word_t i)
{
    keel_word_t mr[KEEL_MSG_REGS] = {33, 0, 0, 0}, badge = 0;
    keel_msginfo_t info = keel_nbsend_recv(g.ep, MSG(3, 0, 1), g.ep2, &badge, g.reply, mr);
    record_msg(&rec[i], info, badge, mr);
    rec[i].stage = 1;
    keel_word_t mr2[KEEL_MSG_REGS] = {0};
    info = keel_nbsend_wait(g.ep, MSG(5, 0, 0), g.ntfn, &badge, mr2);
    rec[i].w[0] = badge;
    rec[i].stage = 2;
    park();
}

static void nbsend_recv_combined(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.ep2 = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    g.ntfn = object(env, KEEL_OBJ_NOTIFICATION, 0);
    spawn(env, multi_receiver, 1, PRIO);
    settle(env);
    spawn(env, nbsend_recv_and_wait, 2, PRIO);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_EQ(rec[1].w[0], 3);    /* the send half arrived */
    EXPECT_EQ(rec[2].stage, 0);   /* the receive half waits on ep2 */
    keel_word_t mr[KEEL_MSG_REGS] = {44, 0, 0, 0};
    EXPECT_EQ(keel_msginfo_label(keel_nbsend(g.ep2, MSG(4, 0, 1), mr)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[2].stage, 1);
    EXPECT_EQ(keel_msginfo_label(rec[2].info), 4);
    EXPECT_EQ(rec[2].mr[0], 44);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(rec[1].w[1], 5);    /* NBSendWait's send half */
    keel_cptr_t b = mint(env, g.ntfn, KEEL_RIGHT_WRITE, 0x10);
    EXPECT_OK(keel_signal(b));
    settle(env);
    EXPECT_EQ(rec[2].stage, 2);
    EXPECT_EQ(rec[2].w[0], 0x10);
}

static void send_queue_fifo(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    for (keel_word_t i = 1; i <= 3; i++) {
        g.cap[i] = mint(env, g.ep, KEEL_RIGHT_WRITE, i);
        spawn(env, sender4, i, PRIO);
    }
    settle(env);
    for (keel_word_t i = 1; i <= 3; i++) {
        keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
        keel_msginfo_t info = keel_nbrecv(g.ep, &badge, 0, mr);
        EXPECT_EQ(keel_msginfo_label(info), 0xabcde);
        EXPECT_EQ(badge, i);
    }
    keel_word_t badge = 0xdead, mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_nbrecv(g.ep, &badge, 0, mr), 0);
    settle(env);
    for (keel_word_t i = 1; i <= 3; i++)
        EXPECT_EQ(rec[i].stage, 2);
}

static void recv_queue_fifo(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    for (keel_word_t i = 1; i <= 3; i++)
        spawn(env, receiver, i, PRIO);
    settle(env);
    for (keel_word_t i = 1; i <= 3; i++) {
        keel_word_t mr[KEEL_MSG_REGS] = {0};
        EXPECT_EQ(keel_msginfo_label(keel_nbsend(g.ep, MSG(0x60 + i, 0, 0), mr)), KEEL_OK);
    }
    settle(env);
    for (keel_word_t i = 1; i <= 3; i++) {
        EXPECT_EQ(rec[i].stage, 2);
        EXPECT_EQ(keel_msginfo_label(rec[i].info), 0x60 + i);
    }
}

/* ---- capability transfer ---- */

static keel_msginfo_t send_caps(keel_cptr_t through, keel_word_t label, unsigned n,
                                const keel_cptr_t *caps)
{
    struct keel_ipc_buffer *b = ipcbuf();
    for (unsigned k = 0; k < n; k++)
        b->caps_or_badges[k] = caps[k];
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_msginfo_t info = keel_nbsend(through, MSG(label, n, 0), mr);
    for (unsigned k = 0; k < KEEL_MSG_MAX_EXTRA_CAPS; k++)
        b->caps_or_badges[k] = 0;
    return info;
}

static void grant_transfers_cap(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t nb = mint(env, n, KEEL_RIGHT_WRITE, 0x3c);
    g.rslot = slot(env);
    g.rcnode = ROOT;
    spawn(env, cap_receiver, 1, PRIO);
    settle(env);
    keel_cptr_t caps[1] = {nb};
    EXPECT_EQ(keel_msginfo_label(send_caps(g.ep, 5, 1, caps)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 5);
    EXPECT_EQ(keel_msginfo_extra_caps(rec[1].info), 1);
    EXPECT_EQ(keel_msginfo_unwrapped(rec[1].info), 0);
    EXPECT_EQ(cap_type(g.rslot), KEEL_CAP_NOTIFICATION);
    EXPECT_EQ(cap_type(nb), KEEL_CAP_NOTIFICATION); /* copied, not moved */
    /* It is the same notification, with the same badge. */
    EXPECT_OK(keel_signal(g.rslot));
    EXPECT_EQ(keel_poll(n), 0x3c);
}

static void no_grant_no_transfer(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t w = mint(env, g.ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, 0);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    g.rslot = slot(env);
    g.rcnode = ROOT;
    spawn(env, cap_receiver, 1, PRIO);
    settle(env);
    keel_cptr_t caps[1] = {n};
    EXPECT_EQ(keel_msginfo_label(send_caps(w, 6, 1, caps)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 6);
    EXPECT_EQ(keel_msginfo_extra_caps(rec[1].info), 0);
    EXPECT_EQ(cap_type(g.rslot), KEEL_CAP_NULL);
}

static void unwrap_same_endpoint(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t b77 = mint(env, g.ep, KEEL_RIGHT_WRITE, 0x77);
    keel_cptr_t b88 = mint(env, g.ep, KEEL_RIGHT_WRITE, 0x88);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    g.rslot = slot(env);
    g.rcnode = ROOT;
    spawn(env, cap_receiver, 1, PRIO);
    settle(env);
    /* [ep badge 0x77, a notification, ep badge 0x88]: the endpoint caps
     * arrive as badges, the notification in the receive slot. */
    keel_cptr_t caps[3] = {b77, n, b88};
    EXPECT_EQ(keel_msginfo_label(send_caps(g.ep, 7, 3, caps)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 7);
    EXPECT_EQ(keel_msginfo_extra_caps(rec[1].info), 3);
    EXPECT_EQ(keel_msginfo_unwrapped(rec[1].info), 0x5);
    EXPECT_EQ(rec[1].w[0], 0x77);
    EXPECT_EQ(rec[1].w[2], 0x88);
    EXPECT_EQ(cap_type(g.rslot), KEEL_CAP_NOTIFICATION);
}

static void unwrap_only(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t b77 = mint(env, g.ep, KEEL_RIGHT_WRITE, 0x77);
    g.rslot = slot(env);
    g.rcnode = ROOT;
    spawn(env, cap_receiver, 1, PRIO);
    settle(env);
    keel_cptr_t caps[1] = {b77};
    EXPECT_EQ(keel_msginfo_label(send_caps(g.ep, 8, 1, caps)), KEEL_OK);
    settle(env);
    EXPECT_EQ(keel_msginfo_extra_caps(rec[1].info), 1);
    EXPECT_EQ(keel_msginfo_unwrapped(rec[1].info), 1);
    EXPECT_EQ(rec[1].w[0], 0x77);
    EXPECT_EQ(cap_type(g.rslot), KEEL_CAP_NULL); /* no slot used */
}

static void occupied_receive_slot(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    g.rslot = slot(env);
    g.rcnode = ROOT;
    EXPECT_OK(keel_cnode_copy(ROOT, g.rslot, WB, ROOT, g.ep, WB, KEEL_RIGHT_READ));
    spawn(env, cap_receiver, 1, PRIO);
    spawn(env, receiver, 2, PRIO); /* no receive slot at all */
    settle(env);
    keel_cptr_t caps[1] = {n};
    EXPECT_EQ(keel_msginfo_label(send_caps(g.ep, 9, 1, caps)), KEEL_OK);
    EXPECT_EQ(keel_msginfo_label(send_caps(g.ep, 10, 1, caps)), KEEL_OK);
    settle(env);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 9);
    EXPECT_EQ(keel_msginfo_extra_caps(rec[1].info), 0);
    EXPECT_EQ(cap_type(g.rslot), KEEL_CAP_ENDPOINT); /* left alone */
    EXPECT_EQ(keel_msginfo_label(rec[2].info), 10);
    EXPECT_EQ(keel_msginfo_extra_caps(rec[2].info), 0);
}

/* ---- reply objects ---- */

static void call_without_grant_inactive(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE, 5);
    spawn(env, caller, 1, PRIO);
    settle(env);
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    keel_msginfo_t info = keel_nbrecv(g.ep, &badge, g.reply, mr);
    EXPECT_EQ(keel_msginfo_label(info), 0x31); /* the message itself arrives */
    EXPECT_EQ(badge, 5);
    EXPECT_EQ(mr[0], 8);
    keel_word_t out[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_send(g.reply, MSG(1, 0, 0), out)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1); /* the caller never returns */
}

static void reply_through_reply_cap(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, 5);
    spawn(env, caller, 1, PRIO);
    settle(env);
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbrecv(g.ep, &badge, g.reply, mr)), 0x31);
    EXPECT_EQ(rec[1].stage, 1);
    keel_word_t out[KEEL_MSG_REGS] = {70, 71, 0, 0};
    EXPECT_EQ(keel_msginfo_label(keel_send(g.reply, MSG(0x55, 0, 2), out)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x55);
    EXPECT_EQ(keel_msginfo_length(rec[1].info), 2);
    EXPECT_EQ(rec[1].mr[0], 70);
    EXPECT_EQ(rec[1].mr[1], 71);
    /* A second reply finds no caller: OK, and nothing happens. */
    keel_word_t out2[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_send(g.reply, MSG(0x56, 0, 0), out2)), KEEL_OK);
    settle(env);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x55);
}

static void reply_without_caller(struct systest_env *env)
{
    reset();
    keel_cptr_t r = object(env, KEEL_OBJ_REPLY, 0);
    keel_word_t mr[KEEL_MSG_REGS] = {1, 2, 3, 4};
    EXPECT_EQ(keel_msginfo_label(keel_send(r, MSG(3, 0, 4), mr)), KEEL_OK);
    keel_word_t mr2[KEEL_MSG_REGS] = {1, 2, 3, 4};
    EXPECT_EQ(keel_msginfo_label(keel_nbsend(r, MSG(3, 0, 4), mr2)), KEEL_OK);
    EXPECT_EQ(cap_type(r), KEEL_CAP_REPLY);
}

static void reply_reuse_aborts_caller(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, 1);
    g.cap[2] = mint(env, g.ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, 2);
    spawn(env, caller, 1, PRIO);
    spawn(env, caller, 2, PRIO);
    settle(env);
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    keel_nbrecv(g.ep, &badge, g.reply, mr);
    EXPECT_EQ(badge, 1);
    keel_word_t badge2 = 0, mr2[KEEL_MSG_REGS] = {0};
    keel_nbrecv(g.ep, &badge2, g.reply, mr2); /* the reply object still holds caller 1 */
    EXPECT_EQ(badge2, 2);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), KEEL_IPC_ABORTED);
    EXPECT_EQ(rec[2].stage, 1);
    keel_word_t out[KEEL_MSG_REGS] = {0};
    keel_send(g.reply, MSG(0x66, 0, 0), out);
    settle(env);
    EXPECT_EQ(rec[2].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[2].info), 0x66);
}

/* ---- deletion and cancellation ---- */

static void delete_endpoint_aborts_senders(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    for (keel_word_t i = 1; i <= 10; i++) {
        g.cap[i] = g.ep;
        spawn(env, sender4, i, PRIO);
    }
    settle(env);
    for (keel_word_t i = 1; i <= 10; i++)
        EXPECT_EQ(rec[i].stage, 1);
    EXPECT_OK(keel_cnode_delete(ROOT, g.ep, WB));
    settle(env);
    unsigned aborted = 0;
    for (keel_word_t i = 1; i <= 10; i++)
        aborted += rec[i].stage == 2 && keel_msginfo_label(rec[i].info) == KEEL_IPC_ABORTED &&
                   rec[i].mr[1] == KEEL_CAP_ENDPOINT;
    EXPECT_EQ(aborted, 10);
}

static void delete_endpoint_aborts_receivers(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    for (keel_word_t i = 1; i <= 3; i++)
        spawn(env, receiver, i, PRIO);
    settle(env);
    EXPECT_OK(keel_cnode_delete(ROOT, g.ep, WB));
    settle(env);
    for (keel_word_t i = 1; i <= 3; i++) {
        EXPECT_EQ(rec[i].stage, 2);
        EXPECT_EQ(keel_msginfo_label(rec[i].info), KEEL_IPC_ABORTED);
        EXPECT_EQ(rec[i].mr[1], KEEL_CAP_ENDPOINT);
    }
}

static void delete_reply_aborts_caller(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT, 1);
    spawn(env, caller, 1, PRIO);
    settle(env);
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbrecv(g.ep, &badge, g.reply, mr)), 0x31);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_OK(keel_cnode_delete(ROOT, g.reply, WB));
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), KEEL_IPC_ABORTED);
}

static void delete_tcb_blocked_on_endpoint(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE, 0x11);
    struct keel_thread s = spawn(env, sender4, 1, PRIO);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_OK(keel_cnode_delete(ROOT, s.tcb, WB));
    keel_word_t badge = 0xdead, mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_nbrecv(g.ep, &badge, 0, mr), 0); /* the sender is gone */
    EXPECT_EQ(badge, 0);
    /* A deleted receiver leaves the queue too. */
    struct keel_thread r = spawn(env, receiver, 2, PRIO);
    settle(env);
    EXPECT_OK(keel_cnode_delete(ROOT, r.tcb, WB));
    keel_word_t out[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbsend(g.ep, MSG(0x41, 0, 0), out)), KEEL_OK);
    EXPECT_EQ(rec[2].stage, 1);
    /* The endpoint still works both ways. */
    spawn(env, receiver, 3, PRIO);
    settle(env);
    keel_word_t out2[KEEL_MSG_REGS] = {0};
    keel_nbsend(g.ep, MSG(0x42, 0, 0), out2);
    settle(env);
    EXPECT_EQ(rec[3].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[3].info), 0x42);
    g.cap[4] = mint(env, g.ep, KEEL_RIGHT_WRITE, 0x44);
    spawn(env, sender4, 4, PRIO);
    settle(env);
    keel_word_t b2 = 0, mr2[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbrecv(g.ep, &b2, 0, mr2)), 0xabcde);
    EXPECT_EQ(b2, 0x44);
}

static void cancel_badged_sends(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t badges[4] = {0, 5, 6, 5};
    for (keel_word_t i = 1; i <= 3; i++) {
        g.cap[i] = mint(env, g.ep, KEEL_RIGHT_WRITE, badges[i]);
        spawn(env, sender4, i, PRIO);
    }
    settle(env);
    keel_cptr_t all5 = mint(env, g.ep, KEEL_RIGHTS_ALL, 5);
    EXPECT_OK(keel_cnode_cancel_badged_sends(ROOT, all5, WB));
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), KEEL_IPC_ABORTED);
    EXPECT_EQ(rec[1].mr[1], KEEL_CAP_ENDPOINT);
    EXPECT_EQ(rec[3].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[3].info), KEEL_IPC_ABORTED);
    EXPECT_EQ(rec[2].stage, 1);
    /* An unbadged cap cancels nothing. */
    EXPECT_OK(keel_cnode_cancel_badged_sends(ROOT, g.ep, WB));
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbrecv(g.ep, &badge, 0, mr)), 0xabcde);
    EXPECT_EQ(badge, 6);
    badge = 0xdead;
    EXPECT_EQ(keel_nbrecv(g.ep, &badge, 0, mr), 0);
}

static void cancel_badged_sends_rights(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE, 5);
    spawn(env, sender4, 1, PRIO);
    settle(env);
    keel_cptr_t c = mint(env, g.ep, KEEL_RIGHT_READ | KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT, 5);
    EXPECT_ERR(keel_cnode_cancel_badged_sends(ROOT, c, WB), KEEL_ILLEGAL_OPERATION);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    EXPECT_ERR(keel_cnode_cancel_badged_sends(ROOT, n, WB), KEEL_ILLEGAL_OPERATION);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1); /* still queued */
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbrecv(g.ep, &badge, 0, mr)), 0xabcde);
    EXPECT_EQ(badge, 5);
}

/* ---- more: replies carrying caps, queues and priorities, deletion ---- */

/* Caller with a receive slot for a cap in the reply. */
static void cap_caller(keel_word_t i)
{
    struct keel_ipc_buffer *b = ipcbuf();
    b->receive_cnode = g.rcnode;
    b->receive_index = g.rslot;
    b->receive_depth = WB;
    caller(i);
}

static void reply_transfers_cap(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, 1);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    g.rslot = slot(env);
    g.rcnode = ROOT;
    spawn(env, cap_caller, 1, PRIO);
    settle(env);
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbrecv(g.ep, &badge, g.reply, mr)), 0x31);
    /* Reply caps have all rights, Grant included: the cap travels. */
    keel_cptr_t caps[1] = {n};
    EXPECT_EQ(keel_msginfo_label(send_caps(g.reply, 0x32, 1, caps)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x32);
    EXPECT_EQ(keel_msginfo_extra_caps(rec[1].info), 1);
    EXPECT_EQ(cap_type(g.rslot), KEEL_CAP_NOTIFICATION);
}

static void uncopyable_cap_not_transferred(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t r = object(env, KEEL_OBJ_REPLY, 0);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    g.rslot = slot(env);
    g.rcnode = ROOT;
    spawn(env, cap_receiver, 1, PRIO);
    settle(env);
    /* A Reply cap cannot be copied: transfer stops at it. */
    keel_cptr_t caps[2] = {r, n};
    EXPECT_EQ(keel_msginfo_label(send_caps(g.ep, 0x33, 2, caps)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x33);
    EXPECT_EQ(keel_msginfo_extra_caps(rec[1].info), 0);
    EXPECT_EQ(cap_type(g.rslot), KEEL_CAP_NULL);
}

static void send_queue_fifo_not_priority(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE, 1);
    g.cap[2] = mint(env, g.ep, KEEL_RIGHT_WRITE, 2);
    spawn(env, sender4, 1, PRIO - 50);
    settle(env);
    spawn(env, sender4, 2, PRIO + 50);
    settle(env);
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    keel_nbrecv(g.ep, &badge, 0, mr);
    EXPECT_EQ(badge, 1); /* FIFO, not priority order */
    keel_nbrecv(g.ep, &badge, 0, mr);
    EXPECT_EQ(badge, 2);
}

static void delete_endpoint_spares_reply_waiter(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, 1);
    spawn(env, caller, 1, PRIO);
    settle(env);
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbrecv(g.ep, &badge, g.reply, mr)), 0x31);
    /* The caller waits on the Reply object now, not on the endpoint. */
    EXPECT_OK(keel_cnode_delete(ROOT, g.cap[1], WB));
    EXPECT_OK(keel_cnode_delete(ROOT, g.ep, WB));
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    keel_word_t out[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_send(g.reply, MSG(0x34, 0, 0), out)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x34);
}

static void delete_caller_frees_reply(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, 1);
    g.cap[2] = mint(env, g.ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, 2);
    struct keel_thread c1 = spawn(env, caller, 1, PRIO);
    settle(env);
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbrecv(g.ep, &badge, g.reply, mr)), 0x31);
    EXPECT_OK(keel_cnode_delete(ROOT, c1.tcb, WB));
    /* The Reply object holds no caller: replying does nothing... */
    keel_word_t out[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_send(g.reply, MSG(0x35, 0, 0), out)), KEEL_OK);
    /* ...and it serves the next caller. */
    spawn(env, caller, 2, PRIO);
    settle(env);
    EXPECT_EQ(keel_msginfo_label(keel_nbrecv(g.ep, &badge, g.reply, mr)), 0x31);
    EXPECT_EQ(badge, 2);
    keel_word_t out2[KEEL_MSG_REGS] = {0};
    keel_send(g.reply, MSG(0x36, 0, 0), out2);
    settle(env);
    EXPECT_EQ(rec[2].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[2].info), 0x36);
}

static void suspend_blocked_send_reexecutes(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.cap[1] = mint(env, g.ep, KEEL_RIGHT_WRITE, 0x12);
    struct keel_thread t = spawn(env, sender4, 1, PRIO);
    settle(env);
    EXPECT_OK(keel_tcb_suspend(t.tcb));
    keel_word_t badge = 0xdead, mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_nbrecv(g.ep, &badge, 0, mr), 0); /* left the queue */
    EXPECT_OK(keel_tcb_resume(t.tcb));
    settle(env);
    EXPECT_EQ(rec[1].stage, 1); /* sending again */
    EXPECT_EQ(keel_msginfo_label(keel_nbrecv(g.ep, &badge, 0, mr)), 0xabcde);
    EXPECT_EQ(badge, 0x12);
    EXPECT_EQ(mr[3], 44);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), KEEL_OK);
}

/* Server for call_long_with_cap: a receive slot, Recv, check 120 words,
 * answer 120 words with ReplyRecv. */
static void long_cap_server(keel_word_t i)
{
    struct keel_ipc_buffer *b = ipcbuf();
    b->receive_cnode = g.rcnode;
    b->receive_index = g.rslot;
    b->receive_depth = WB;
    keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
    keel_msginfo_t info = keel_recv(g.ep, &badge, g.reply, mr);
    for (;;) {
        record_msg(&rec[i], info, badge, mr);
        keel_word_t bad = 0;
        for (unsigned k = KEEL_MSG_REGS; k < KEEL_MSG_MAX_LENGTH; k++)
            bad += b->msg[k] != 0x3000 + k;
        rec[i].w[0] = bad;
        rec[i].stage++;
        for (unsigned k = 0; k < KEEL_MSG_REGS; k++)
            mr[k] = 0x4000 + k;
        for (unsigned k = KEEL_MSG_REGS; k < KEEL_MSG_MAX_LENGTH; k++)
            b->msg[k] = 0x4000 + k;
        info = keel_reply_recv(g.ep, MSG(0x38, 0, KEEL_MSG_MAX_LENGTH), &badge, g.reply, mr);
    }
}

static void call_long_with_cap(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    g.reply = object(env, KEEL_OBJ_REPLY, 0);
    g.rslot = slot(env);
    g.rcnode = ROOT;
    keel_cptr_t c = mint(env, g.ep, KEEL_RIGHTS_ALL, 0x3);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    spawn(env, long_cap_server, 1, PRIO);
    settle(env);
    struct keel_ipc_buffer *b = ipcbuf();
    keel_word_t mr[KEEL_MSG_REGS];
    for (unsigned k = 0; k < KEEL_MSG_REGS; k++)
        mr[k] = 0x3000 + k;
    for (unsigned k = KEEL_MSG_REGS; k < KEEL_MSG_MAX_LENGTH; k++)
        b->msg[k] = 0x3000 + k;
    b->caps_or_badges[0] = n;
    keel_msginfo_t info = keel_call(c, MSG(0x37, 1, KEEL_MSG_MAX_LENGTH), mr);
    b->caps_or_badges[0] = 0;
    EXPECT_EQ(keel_msginfo_label(info), 0x38);
    EXPECT_EQ(keel_msginfo_length(info), KEEL_MSG_MAX_LENGTH);
    keel_word_t bad = 0;
    for (unsigned k = 0; k < KEEL_MSG_REGS; k++)
        bad += mr[k] != 0x4000 + k;
    for (unsigned k = KEEL_MSG_REGS; k < KEEL_MSG_MAX_LENGTH; k++)
        bad += b->msg[k] != 0x4000 + k;
    EXPECT_EQ(bad, 0);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x37);
    EXPECT_EQ(keel_msginfo_length(rec[1].info), KEEL_MSG_MAX_LENGTH);
    EXPECT_EQ(keel_msginfo_extra_caps(rec[1].info), 1);
    EXPECT_EQ(rec[1].badge, 0x3);
    EXPECT_EQ(rec[1].mr[3], 0x3003);
    EXPECT_EQ(rec[1].w[0], 0);
    EXPECT_EQ(cap_type(g.rslot), KEEL_CAP_NOTIFICATION);
    /* A second, short Call on the same server. */
    keel_word_t mr2[KEEL_MSG_REGS] = {1, 2, 3, 4};
    info = keel_call(c, MSG(0x39, 0, 2), mr2);
    EXPECT_EQ(keel_msginfo_label(info), 0x38);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 0x39);
    EXPECT_EQ(keel_msginfo_length(rec[1].info), 2);
    EXPECT_EQ(keel_msginfo_extra_caps(rec[1].info), 0);
    EXPECT_EQ(rec[1].mr[1], 2);
}

const struct systest ipc_tests[] = {
    {"call_reply_recv_badges", "Call/ReplyRecv: the server sees each client's badge, clients get their replies", call_reply_recv_badges},
    {"call_from_root", "a Call to a waiting server returns the server's reply", call_from_root},
    {"message_in_registers", "label, length, badge and 4 words arrive; the sender gets OK", message_in_registers},
    {"long_messages", "120 words travel through the IPC buffers both ways", long_messages},
    {"no_ipc_buffer_four_words", "without IPC buffer: send <= 4 words (else RangeError), receive 4", no_ipc_buffer_four_words},
    {"send_blocks_until_received", "Send blocks until a receiver takes the message", send_blocks_until_received},
    {"nbsend_to_nobody_dropped", "NBSend with no receiver is dropped and returns OK", nbsend_to_nobody_dropped},
    {"nbrecv_nothing_pending", "NBRecv with no sender returns badge 0 and info 0", nbrecv_nothing_pending},
    {"send_errors", "sends without Write, to no cap or too long fail with the error", send_errors},
    {"nbsend_recv_combined", "NBSendRecv and NBSendWait send, then receive from SRC", nbsend_recv_combined},
    {"send_queue_fifo", "blocked senders are received in FIFO order", send_queue_fifo},
    {"recv_queue_fifo", "blocked receivers get messages in FIFO order", recv_queue_fifo},
    {"grant_transfers_cap", "with Grant an extra cap is copied to the receive slot", grant_transfers_cap},
    {"no_grant_no_transfer", "without Grant no cap arrives, extra caps 0", no_grant_no_transfer},
    {"unwrap_same_endpoint", "caps to the carrying endpoint arrive as badges (unwrapped bits)", unwrap_same_endpoint},
    {"unwrap_only", "an unwrapped cap uses no receive slot", unwrap_only},
    {"occupied_receive_slot", "an occupied or missing receive slot gets no cap", occupied_receive_slot},
    {"call_without_grant_inactive", "a Call through a cap without Grant(Reply) is never replied to", call_without_grant_inactive},
    {"reply_through_reply_cap", "Send on the Reply cap replies once; a second reply does nothing", reply_through_reply_cap},
    {"reply_without_caller", "replying through an unused Reply object returns OK", reply_without_caller},
    {"reply_reuse_aborts_caller", "Recv with a Reply object holding a caller aborts that Call", reply_reuse_aborts_caller},
    {"delete_endpoint_aborts_senders", "deleting an endpoint aborts all ten blocked senders", delete_endpoint_aborts_senders},
    {"delete_endpoint_aborts_receivers", "deleting an endpoint aborts its blocked receivers", delete_endpoint_aborts_receivers},
    {"delete_reply_aborts_caller", "deleting a Reply object aborts its caller's Call", delete_reply_aborts_caller},
    {"delete_tcb_blocked_on_endpoint", "a deleted TCB leaves the endpoint queue; the endpoint works on", delete_tcb_blocked_on_endpoint},
    {"cancel_badged_sends", "CancelBadgedSends aborts only senders with that badge", cancel_badged_sends},
    {"cancel_badged_sends_rights", "CancelBadgedSends needs an endpoint cap with all rights", cancel_badged_sends_rights},
    {"reply_transfers_cap", "a reply through a Reply cap carries a cap to the caller", reply_transfers_cap},
    {"uncopyable_cap_not_transferred", "a cap that cannot be copied stops the transfer", uncopyable_cap_not_transferred},
    {"send_queue_fifo_not_priority", "endpoint queues are FIFO whatever the priorities", send_queue_fifo_not_priority},
    {"delete_endpoint_spares_reply_waiter", "deleting an endpoint leaves a caller waiting for its reply", delete_endpoint_spares_reply_waiter},
    {"delete_caller_frees_reply", "deleting a waiting caller frees its Reply object", delete_caller_frees_reply},
    {"suspend_blocked_send_reexecutes", "Suspend takes a sender off the queue; Resume sends again", suspend_blocked_send_reexecutes},
    {"call_long_with_cap", "Call and ReplyRecv carry 120 words and a cap each way they should", call_long_with_cap},
    {0, 0, 0},
};
