/* FromDPDKDevice: receives bursts from a DPDK port, zero copy, one RX queue per thread. */
#include "../../io/dpdk.h"

#include <stdlib.h>

/* A partial burst waits at most this many polls for the rest (latency bound). */
#define WAIT_POLLS 8

typedef struct rx_inst {
    _Alignas(64) pl_packet *pending;   /* received, waiting for a full burst */
    uint32_t polls;                    /* polls since pending got its first packet */
    uint32_t nq, next;
    void **q;                          /* the RX queues this instance polls, in turn */
} rx_inst;

typedef struct {
    pl_dpdk_elem d;                    /* first: the shared handlers read it */
    char *port;
    int64_t queue, n_queues, maxthreads;
    uint64_t burst, mtu;
    uint8_t promisc, active, copy;
    int nthreads, ninst;
    uint32_t nq;
    rx_inst *inst;
} fdd_state;

enum { C_NOBUFS, C_TOOLONG, C_STOPPED, C_RECEIVED };
static const char *const counters[] = {"nobufs", "too_long", "stop_flush", "received", NULL};

static int fdd_configure(pl_element *e, pl_error *err)
{
    fdd_state *s = PL_STATE(e, fdd_state);
    if (pl_dpdk_require(e, err))
        return err->status;
    (void)s;
#ifdef PL_HAVE_DPDK
    if (!s->port || !*s->port)
        return pl_seterr(err, PL_ERR_CONFIG, e, "PORT", "missing PORT");
    s->nthreads = pl_element_nthreads(e);
    int threads = s->maxthreads > 0 && s->maxthreads < s->nthreads ? (int)s->maxthreads
                                                                    : s->nthreads;
    pl_io_conf c = {.name = s->port, .rx = 1, .first_queue = (uint32_t)s->queue,
                    .nqueues = s->n_queues > 0 ? (uint32_t)s->n_queues : (uint32_t)threads,
                    .upto = s->n_queues <= 0, .ndesc = (uint32_t)s->d.ndesc,
                    .promisc = s->promisc, .copy = s->copy, .mtu = (uint32_t)s->mtu};
    if (pl_io_dpdk.open(&s->d.dev, &c, e, err))
        return err->status;
    s->nq = pl_dpdk_dev_nqueues(s->d.dev);
    s->ninst = (int)s->nq < threads ? (int)s->nq : threads;
#endif
    return 0;
}

static int fdd_task_threads(pl_element *e) { return PL_STATE(e, fdd_state)->ninst; }

static int fdd_initialize(pl_element *e, pl_error *err)
{
    fdd_state *s = PL_STATE(e, fdd_state);
#ifdef PL_HAVE_DPDK
    s->inst = aligned_alloc(64, sizeof(rx_inst) * (size_t)s->ninst);
    if (!s->inst)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    memset(s->inst, 0, sizeof(rx_inst) * (size_t)s->ninst);
    for (int i = 0; i < s->ninst; i++) {
        rx_inst *ri = &s->inst[i];
        ri->q = calloc(s->nq, sizeof *ri->q);
        if (!ri->q)
            return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
        for (uint32_t k = (uint32_t)i; k < s->nq; k += (uint32_t)s->ninst)
            ri->q[ri->nq++] = pl_io_dpdk.queue(s->d.dev, k, 0);
    }
    return pl_dpdk_dev_start(s->d.dev, e, err);
#else
    (void)s;
    return pl_dpdk_require(e, err);
#endif
}

static void fdd_cleanup(pl_element *e)
{
    fdd_state *s = PL_STATE(e, fdd_state);
#ifdef PL_HAVE_DPDK
    for (int i = 0; s->inst && i < s->ninst; i++)
        free(s->inst[i].q);
    if (s->d.dev)
        pl_io_dpdk.close(s->d.dev);
#endif
    free(s->inst);
    s->inst = NULL;
    s->d.dev = NULL;
}

/* Which instance the calling worker runs: the core gives a multi-thread task
 * consecutive workers starting at e->thread. */
static inline rx_inst *instance(pl_element *e, fdd_state *s, const pl_ctx *ctx)
{
    int i = ctx->tid - e->thread;
    if (i < 0)
        i += s->nthreads;
    return &s->inst[i];
}

static uint32_t fdd_run(pl_element *e, pl_ctx *ctx)
{
    fdd_state *s = PL_STATE(e, fdd_state);
#ifdef PL_HAVE_DPDK
    if (!PL_LIVE(s->active))
        return 0;
    rx_inst *ri = instance(e, s, ctx);
    pl_dpdk_attach(ctx);
    uint32_t burst = (uint32_t)PL_LIVE(s->burst);
    pl_dpdk_queue *q = ri->q[ri->next];
    if (ri->nq > 1 && ++ri->next == ri->nq)
        ri->next = 0;
    uint32_t have = pl_batch_count(ri->pending);
    uint32_t got = have < burst ? pl_io_dpdk.rx_burst(q, ctx, &ri->pending, burst - have) : 0;
    if (__builtin_expect(q->h.nobufs | q->h.toolong, 0)) {
        pl_count(ctx, e, C_NOBUFS, q->h.nobufs);
        pl_count(ctx, e, C_TOOLONG, q->h.toolong);
        q->h.nobufs = q->h.toolong = 0;
    }
    have += got;
    if (!have)
        return 0;
    pl_bd_mark(ctx, PL_BD_DISPATCH);
    pl_count(ctx, e, C_RECEIVED, got);
    pl_bd_mark(ctx, PL_BD_STATS);
    /* I/O batching: push full bursts; a partial one after WAIT_POLLS polls. */
    if (have < burst && ++ri->polls < WAIT_POLLS)
        return 1;
    ri->polls = 0;
    pl_packet *b = ri->pending;
    ri->pending = NULL;
    pl_output_source(ctx, e, 0, b);
    return have;
#else
    (void)s, (void)ctx;
    return 0;
#endif
}

/* Workers are stopped: packets still waiting for a full burst are freed. */
static void fdd_stop(pl_element *e, pl_ctx *ctx)
{
    fdd_state *s = PL_STATE(e, fdd_state);
    for (int i = 0; s->inst && i < s->ninst; i++) {
        pl_packet *b = s->inst[i].pending;
        s->inst[i].pending = NULL;
        s->inst[i].polls = 0;
        pl_drop_batch(ctx, e, C_STOPPED, b);
    }
}

#define U64(x) pl_fmt(buf, len, "%llu", (unsigned long long)(x))

static int read_count(pl_element *e, char *buf, size_t len) { return U64(pl_counter_total(e, C_RECEIVED)); }

static int read_dropped(pl_element *e, char *buf, size_t len)
{
    return U64(pl_counter_total(e, C_NOBUFS) + pl_counter_total(e, C_TOOLONG) +
               pl_counter_total(e, C_STOPPED));
}

static int read_nombufs(pl_element *e, char *buf, size_t len)
{
    pl_io_stats st;
    return pl_dpdk_io_stats(e, &st) ? PL_ERR_HANDLER : U64(st.nombuf + pl_counter_total(e, C_NOBUFS));
}

static int read_device(pl_element *e, char *buf, size_t len)
{
    fdd_state *s = PL_STATE(e, fdd_state);
#ifdef PL_HAVE_DPDK
    if (s->d.dev)
        return pl_fmt(buf, len, "%s port %u, RX queues %lld..%lld on %d thread%s, NDESC %u",
                      pl_dpdk_dev_name(s->d.dev), pl_dpdk_dev_port(s->d.dev), (long long)s->queue,
                      (long long)s->queue + s->nq - 1, s->ninst, s->ninst == 1 ? "" : "s",
                      pl_dpdk_dev_ndesc(s->d.dev));
#endif
    (void)s;
    return pl_fmt(buf, len, "not open");
}

static const pl_param params[] = {
    {"PORT", PL_T_STRING, offsetof(fdd_state, port), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "port index, device name (net_null0) or PCI address"},
    {"QUEUE", PL_T_INT, offsetof(fdd_state, queue), "0", 0, PL_DPDK_MAXQ - 1, 0,
     "first RX queue"},
    {"N_QUEUES", PL_T_INT, offsetof(fdd_state, n_queues), "-1", -1, PL_DPDK_MAXQ - 1, 0,
     "RX queues (-1: one per thread, as many as the device has)"},
    {"MAXTHREADS", PL_T_INT, offsetof(fdd_state, maxthreads), "-1", -1, 256, 0,
     "threads that read the device (-1: all the engine's)"},
    {"BURST", PL_T_UINT, offsetof(fdd_state, burst), "32", 1, 1024, PL_P_LIVE,
     "packets per batch: a batch is pushed when BURST packets arrived (or after a few polls)"},
    {"NDESC", PL_T_UINT, offsetof(fdd_state, d.ndesc), "0", 0, 65535, PL_P_LIVE,
     "RX ring size (0: 256, adjusted to the device's limits)"},
    {"PROMISC", PL_T_BOOL, offsetof(fdd_state, promisc), "false", 0, -1, 0,
     "promiscuous mode"},
    {"ACTIVE", PL_T_BOOL, offsetof(fdd_state, active), "true", 0, -1, PL_P_LIVE,
     "whether to receive"},
    {"COPY", PL_T_BOOL, offsetof(fdd_state, copy), "false", 0, -1, 0,
     "copy each packet into an engine buffer and free the mbuf at once (no zero copy)"},
    {"MTU", PL_T_UINT, offsetof(fdd_state, mtu), "0", 0, 65535, 0,
     "the port's MTU (0: the device's default, 1500); jumbo frames: 9000"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "count", .doc = "packets received", .read = read_count},
    {.name = "dropped", .doc = "packets dropped here (no buffer, too long, freed at stop)", .read = read_dropped},
    {.name = "nombufs", .doc = "mbuf allocation failures", .read = read_nombufs},
    PL_DPDK_HANDLERS("RX", "received", "dropped (RX ring full, errors)"),
    {.name = "device", .doc = "port, queues and threads", .read = read_device},
    {0}};

static const pl_class from_dpdk_device = {
    .name = "FromDPDKDevice",
    .ports = "0/1",
    .processing = "h/h",
    .doc = "FromDPDKDevice(PORT [, QUEUE, N_QUEUES, MAXTHREADS, BURST, NDESC, PROMISC, ACTIVE, COPY,\n"
           "               MTU])\n"
           "Receives packets from a DPDK port.\n\n"
           "Polls RX queues with rte_eth_rx_burst. Zero copy: each packet's metadata\n"
           "lives in its mbuf's private area and its data is the mbuf's buffer, so\n"
           "nothing is allocated or copied (COPY true copies into engine buffers\n"
           "instead, the paper's Fig. 9 baseline). I/O batching: a batch is pushed\n"
           "when BURST packets arrived, or after 8 polls with fewer, so latency stays\n"
           "bounded at low rates. Multi-queue: one RX queue per thread (RSS where the\n"
           "device has it), up to MAXTHREADS threads and N_QUEUES queues; a thread\n"
           "with several queues polls them in turn. PORT is an index, a device name\n"
           "(net_null0, net_ring0) or a PCI address. Needs the EAL initialised\n"
           "(pktlab.dpdk.init, Engine(dpdk=...), pktlab run --dpdk).\n"
           "Jumbo frames as FastClick's: MTU sets the port's (the largest its elements\n"
           "ask for). A frame that fits one mbuf (pktlab.dpdk.init(mbuf_size=...);\n"
           "Engine's own initialisation enlarges the mbufs for MTUs up to 9216) is zero\n"
           "copy; one the device delivered as a chain of mbufs (scattered RX) is made\n"
           "contiguous in an engine buffer of its size, counted as the core's\n"
           "linearized.\n"
           "Counters: nobufs, too_long, stop_flush (drop reasons), received.\n"
           "Handlers: count, dropped, hw_count, hw_dropped, nombufs, burst (rw), ndesc (rw:\n"
           "rebuilds the rings with the workers parked), ndesc_lost, ndesc_change, device.\n\n"
           "Example: FromDPDKDevice(net_null0, BURST 32) -> ToDPDKDevice(net_null1);",
    .state_size = sizeof(fdd_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 3,
    .configure = fdd_configure,
    .initialize = fdd_initialize,
    .start = pl_dpdk_elem_start,
    .cleanup = fdd_cleanup,
    .run_task = fdd_run,
    .task_threads = fdd_task_threads,
    .stop = fdd_stop,
};
PL_REGISTER_CLASS(from_dpdk_device);
