/* ToDPDKDevice: sends each batch to a DPDK port, zero copy, TX queues from the thread vector. */
#include "../../io/dpdk.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct tx_thr {
    _Alignas(64) pl_packet *iq;        /* internal queue: packets the ring refused */
    void *q;                           /* this thread's TX queue; NULL: cannot reach us */
    uint32_t qi;                       /* its index among the element's queues */
    atomic_flag *lock;                 /* the queue's lock when threads share it */
} tx_thr;

typedef struct {
    pl_dpdk_elem d;                    /* first: the shared handlers read it */
    char *port;
    int64_t queue, n_queues;
    uint64_t mtu, burst, iqueue;
    uint8_t blocking;
    int nthreads;
    uint32_t nq;
    int locked;                        /* threads that take a lock (share a queue) */
    uint64_t vec;                      /* the thread vector the queues are mapped for */
    tx_thr *thr;
    atomic_flag *locks;
} tdd_state;

enum { C_DROPPED, C_NOBUFS, C_TOOLONG, C_UNREACHED, C_SENT, C_COPIES };
static const char *const counters[] = {"dropped", "nobufs", "too_long", "unreached", "sent",
                                       "copies", NULL};

static int tdd_configure(pl_element *e, pl_error *err)
{
    tdd_state *s = PL_STATE(e, tdd_state);
    s->d.tx = 1;
    if (pl_dpdk_require(e, err))
        return err->status;
    (void)s;
#ifdef PL_HAVE_DPDK
    if (!s->port || !*s->port)
        return pl_seterr(err, PL_ERR_CONFIG, e, "PORT", "missing PORT");
    s->nthreads = pl_element_nthreads(e);
    /* Enough TX queues for every thread (N_QUEUES: at most that many), fewer
     * if the device has fewer; which thread takes which is decided from the
     * thread vector (tdd_threads_changed). */
    uint32_t want = s->n_queues > 0 ? (uint32_t)s->n_queues : (uint32_t)s->nthreads;
    pl_io_conf c = {.name = s->port, .tx = 1, .first_queue = (uint32_t)s->queue,
                    .nqueues = want, .upto = 1, .ndesc = (uint32_t)s->d.ndesc,
                    .mtu = (uint32_t)s->mtu};
    if (pl_io_dpdk.open(&s->d.dev, &c, e, err))
        return err->status;
    s->nq = pl_dpdk_dev_nqueues(s->d.dev);
#endif
    return 0;
}

static int tdd_initialize(pl_element *e, pl_error *err)
{
    tdd_state *s = PL_STATE(e, tdd_state);
#ifdef PL_HAVE_DPDK
    s->thr = aligned_alloc(64, sizeof(tx_thr) * (size_t)s->nthreads);
    s->locks = calloc(s->nq, sizeof *s->locks);
    if (!s->thr || !s->locks)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (uint32_t q = 0; q < s->nq; q++)
        atomic_flag_clear(&s->locks[q]);
    memset(s->thr, 0, sizeof(tx_thr) * (size_t)s->nthreads);   /* mapped by the analysis */
    if (pl_sink_init(e, (uint32_t)s->burst, err))
        return err->status;
    return pl_dpdk_dev_start(s->d.dev, e, err);
#else
    (void)s;
    return pl_dpdk_require(e, err);
#endif
}

/*
 * The paper's queue assignment (§5.6): each thread that can reach this
 * element (bit t of `threads`) gets a TX queue of its own while there are
 * enough; beyond that threads share queues, and only threads sharing a queue
 * take its lock. Threads that cannot reach it get none. Workers are parked.
 */
static void tdd_threads_changed(pl_element *e, uint64_t threads)
{
    tdd_state *s = PL_STATE(e, tdd_state);
#ifdef PL_HAVE_DPDK
    if (!s->thr || !s->nq)
        return;
    int32_t qi[256];
    uint8_t shared[256];
    s->locked = pl_tx_assign(threads, s->nthreads, s->nq, qi, shared);
    for (int t = 0; t < s->nthreads; t++) {
        tx_thr *th = &s->thr[t];
        th->qi = qi[t] >= 0 ? (uint32_t)qi[t] : 0;
        th->q = qi[t] >= 0 ? pl_io_dpdk.queue(s->d.dev, th->qi, 1) : NULL;
        th->lock = shared[t] ? &s->locks[th->qi] : NULL;
    }
#endif
    s->vec = threads;
}

static void tdd_cleanup(pl_element *e)
{
    tdd_state *s = PL_STATE(e, tdd_state);
#ifdef PL_HAVE_DPDK
    if (s->d.dev)
        pl_io_dpdk.close(s->d.dev);
#endif
    free(s->thr);
    free(s->locks);
    s->thr = NULL;
    s->locks = NULL;
    s->d.dev = NULL;
}

#ifdef PL_HAVE_DPDK
/* Move the queue's per-packet tallies into this thread's counters. */
static inline void take_tallies(pl_element *e, pl_ctx *ctx, pl_dpdk_queue *q)
{
    if (__builtin_expect(q->h.nobufs | q->h.toolong, 0)) {
        pl_count(ctx, e, C_NOBUFS, q->h.nobufs);
        pl_count(ctx, e, C_TOOLONG, q->h.toolong);
        q->h.nobufs = q->h.toolong = 0;
    }
    if (q->copies) {
        pl_count(ctx, e, C_COPIES, q->copies);
        q->copies = 0;
    }
}

/* Send b (after what is queued) in bursts; returns what is left unsent. */
static pl_packet *send_all(pl_element *e, tdd_state *s, tx_thr *t, pl_ctx *ctx, pl_packet *b,
                           int blocking)
{
    uint32_t burst = (uint32_t)PL_LIVE(s->burst);
    if (burst > PL_DPDK_MAX_BURST)
        burst = PL_DPDK_MAX_BURST;
    while (b && t->q) {
        uint32_t before = b->b_count;
        uint32_t sent = pl_io_dpdk.tx_burst(t->q, ctx, &b, burst);
        pl_count(ctx, e, C_SENT, sent);
        pl_bd_mark(ctx, PL_BD_STATS);
        uint32_t done = before - pl_batch_count(b);
        uint32_t tried = before < burst ? before : burst;
        if (done < tried) {                       /* the ring is full */
            take_tallies(e, ctx, t->q);
            if (!blocking || pl_engine_waiting(e->eng))
                break;
        }
    }
    if (t->q)
        take_tallies(e, ctx, t->q);
    return b;
}
#endif

/* TX is flushed at the end of every batch (the paper's full push). */
static void tdd_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    tdd_state *s = PL_STATE(e, tdd_state);
#ifdef PL_HAVE_DPDK
    tx_thr *t = &s->thr[ctx->tid];
    if (__builtin_expect(!t->q, 0)) {          /* the analysis says this cannot happen */
        pl_drop_batch(ctx, e, C_UNREACHED, b);
        return;
    }
    pl_dpdk_attach(ctx);
    if (t->lock)
        while (atomic_flag_test_and_set_explicit(t->lock, memory_order_acquire))
            ;
    if (t->iq) {
        pl_batch_join(&t->iq, b);
        b = t->iq;
        t->iq = NULL;
    }
    b = send_all(e, s, t, ctx, b, PL_LIVE(s->blocking));
    if (b)
        t->iq = pl_batch_keep(e, ctx, C_DROPPED, b, PL_LIVE(s->iqueue));
    if (t->lock)
        atomic_flag_clear_explicit(t->lock, memory_order_release);
#else
    (void)s;
    pl_drop_batch(ctx, e, C_DROPPED, b);
#endif
}

/* Workers are stopped: one last try for the internal queues, then free them. */
static void tdd_stop(pl_element *e, pl_ctx *ctx)
{
    tdd_state *s = PL_STATE(e, tdd_state);
#ifdef PL_HAVE_DPDK
    for (int i = 0; s->thr && i < s->nthreads; i++) {
        tx_thr *t = &s->thr[i];
        if (!t->iq)
            continue;
        pl_packet *b = send_all(e, s, t, ctx, t->iq, 0);
        t->iq = NULL;
        pl_drop_batch(ctx, e, C_DROPPED, b);
    }
#else
    (void)s, (void)ctx;
#endif
}

#define U64(x) pl_fmt(buf, len, "%llu", (unsigned long long)(x))

static int read_count(pl_element *e, char *buf, size_t len) { return U64(pl_counter_total(e, C_SENT)); }

static int read_dropped(pl_element *e, char *buf, size_t len)
{
    return U64(pl_counter_total(e, C_DROPPED) + pl_counter_total(e, C_NOBUFS) +
               pl_counter_total(e, C_TOOLONG) + pl_counter_total(e, C_UNREACHED));
}

static int read_nombufs(pl_element *e, char *buf, size_t len) { return U64(pl_counter_total(e, C_NOBUFS)); }

static int read_copies(pl_element *e, char *buf, size_t len) { return U64(pl_counter_total(e, C_COPIES)); }

static int read_device(pl_element *e, char *buf, size_t len)
{
    tdd_state *s = PL_STATE(e, tdd_state);
#ifdef PL_HAVE_DPDK
    if (s->d.dev) {
        char map[256] = "";
        size_t k = 0;
        int n = 0;
        for (int t = 0; s->thr && t < s->nthreads && k < sizeof map - 24; t++)
            if (s->thr[t].q) {
                k += (size_t)snprintf(map + k, sizeof map - k, "%s%d->%lld%s", n++ ? " " : "", t,
                                      (long long)s->queue + s->thr[t].qi,
                                      s->thr[t].lock ? "*" : "");
            }
        return pl_fmt(buf, len, "%s port %u, TX queues %lld..%lld, threads->queues %s%s, NDESC %u",
                      pl_dpdk_dev_name(s->d.dev), pl_dpdk_dev_port(s->d.dev), (long long)s->queue,
                      (long long)s->queue + s->nq - 1, n ? map : "none",
                      s->locked ? " (* locked: threads share a queue)" : "",
                      pl_dpdk_dev_ndesc(s->d.dev));
    }
#endif
    (void)s;
    return pl_fmt(buf, len, "not open");
}

/* One line per thread that can reach the element: "thread queue locked". */
static int read_tx_queues(pl_element *e, char *buf, size_t len)
{
    tdd_state *s = PL_STATE(e, tdd_state);
    size_t k = 0;
    buf[0] = 0;
    for (int t = 0; s->thr && t < s->nthreads; t++)
        if (s->thr[t].q) {
            int n = snprintf(buf + k, len - k, "%d %lld %d\n", t, (long long)s->queue + s->thr[t].qi,
                             s->thr[t].lock != NULL);
            if (n < 0 || (size_t)n >= len - k)
                return PL_ERR_HANDLER;
            k += (size_t)n;
        }
    return 0;
}

static const pl_param params[] = {
    {"PORT", PL_T_STRING, offsetof(tdd_state, port), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "port index, device name (net_null1) or PCI address"},
    {"QUEUE", PL_T_INT, offsetof(tdd_state, queue), "0", 0, PL_DPDK_MAXQ - 1, 0,
     "first TX queue"},
    {"N_QUEUES", PL_T_INT, offsetof(tdd_state, n_queues), "-1", -1, PL_DPDK_MAXQ, 0,
     "most TX queues to use (-1: one per engine thread, as many as the device has)"},
    {"BURST", PL_T_UINT, offsetof(tdd_state, burst), "32", 1, 1024, PL_P_LIVE,
     "most packets per rte_eth_tx_burst call"},
    {"NDESC", PL_T_UINT, offsetof(tdd_state, d.ndesc), "0", 0, 65535, PL_P_LIVE,
     "TX ring size (0: 1024, adjusted to the device's limits)"},
    {"BLOCKING", PL_T_BOOL, offsetof(tdd_state, blocking), "false", 0, -1, PL_P_LIVE,
     "wait for ring space instead of queueing and dropping"},
    {"IQUEUE", PL_T_UINT, offsetof(tdd_state, iqueue), "1024", 0, 1 << 20, PL_P_LIVE,
     "per-thread internal queue for packets the ring refused (non-blocking)"},
    {"MTU", PL_T_UINT, offsetof(tdd_state, mtu), "0", 0, 65535, 0,
     "the port's MTU (0: the device's default, 1500); longer frames are too_long"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "count", .doc = "packets sent", .read = read_count},
    {.name = "dropped", .doc = "packets dropped (internal queue full, no mbuf to copy into, too long)", .read = read_dropped},
    {.name = "nombufs", .doc = "packets dropped for want of an mbuf to copy them into", .read = read_nombufs},
    {.name = "copies", .doc = "packets copied into a fresh mbuf (not received by DPDK, or shared)", .read = read_copies},
    PL_DPDK_HANDLERS("TX", "sent", "failed to send"),
    {.name = "device", .doc = "port, queues and locking", .read = read_device},
    {.name = "tx_queues", .doc = "per thread that can reach it: thread, TX queue, locked (0/1)", .read = read_tx_queues},
    {0}};

static const pl_class to_dpdk_device = {
    .name = "ToDPDKDevice",
    .ports = "1/0",
    .processing = "a/a",
    .doc = "ToDPDKDevice(PORT [, QUEUE, N_QUEUES, BURST, NDESC, BLOCKING, IQUEUE, MTU])\n"
           "Sends packets to a DPDK port.\n\n"
           "Each batch is sent when it arrives (TX flushed at the end of every batch),\n"
           "in rte_eth_tx_burst calls of at most BURST packets. Packets received by\n"
           "FromDPDKDevice go out zero copy (their mbuf is handed over); others, and\n"
           "shared clones, are copied into a fresh mbuf (counter copies). When the\n"
           "ring is full: BLOCKING waits for space; otherwise the rest waits in a\n"
           "per-thread internal queue of IQUEUE packets, sent before the next batch,\n"
           "and what does not fit is dropped (counter dropped). Queues follow the\n"
           "thread vector: each thread that can reach the element gets a TX queue\n"
           "of its own while the device (or N_QUEUES) has enough; beyond that\n"
           "threads share queues and only those take a lock (handler device shows\n"
           "the mapping). Redone after every live change. Jumbo frames: MTU sets the\n"
           "port's; a copied packet longer than an mbuf holds goes out as a chain of\n"
           "mbufs (multi-segment TX); a frame longer than the MTU allows (+14 bytes of\n"
           "Ethernet header, +4 with a VLAN tag) is dropped as too_long.\n"
           "Its input is agnostic\n"
           "(FastClick's): after a Queue its task pulls up to BURST packets a run.\n"
           "Counters: dropped, nobufs, too_long, unreached (drop reasons; unreached\n"
           "counts packets from a thread the analysis says cannot reach it: 0), sent,\n"
           "copies.\n"
           "Handlers: count, dropped, hw_count, hw_dropped, nombufs, copies, burst (rw),\n"
           "ndesc (rw: rebuilds the rings with the workers parked), ndesc_lost, ndesc_change,\n"
           "device.\n\n"
           "Example: FromDPDKDevice(0) -> EtherMirror -> ToDPDKDevice(0);",
    .state_size = sizeof(tdd_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 4,
    .configure = tdd_configure,
    .initialize = tdd_initialize,
    .start = pl_dpdk_elem_start,
    .cleanup = tdd_cleanup,
    .push = tdd_push,
    .run_task = pl_sink_run,
    .stop = tdd_stop,
    .threads_changed = tdd_threads_changed,
};
PL_REGISTER_CLASS(to_dpdk_device);
