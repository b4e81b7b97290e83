/* FromNetmapDevice: receives bursts from netmap rings, zero copy by buffer swapping. */
#include "../../io/netmap_port.h"

#include <stdlib.h>

/* A partial burst waits at most this many polls for the rest (latency bound). */
#define WAIT_POLLS 8

typedef struct rx_inst {
    _Alignas(64) pl_packet *pending;   /* received, waiting for a full burst */
    uint32_t polls;
    uint32_t nq, next;
    void **q;                          /* the rings this instance polls, in turn */
} rx_inst;

typedef struct {
    pl_netmap_elem d;                  /* first: the shared handlers read it */
    char *devname;
    int64_t queue, n_queues, maxthreads;
    uint64_t burst, buffers;
    uint8_t promisc, active, copy;
    int nthreads, ninst;
    uint32_t nq;
    rx_inst *inst;
} fnd_state;

enum { C_NOBUFS, C_TOOLONG, C_STOPPED, C_RECEIVED, C_COPIES };
static const char *const counters[] = {"nobufs", "too_long", "stop_flush", "received", "copies",
                                       NULL};

static int fnd_configure(pl_element *e, pl_error *err)
{
    fnd_state *s = PL_STATE(e, fnd_state);
    if (pl_netmap_require(e, err))
        return err->status;
    s->nthreads = pl_element_nthreads(e);
    int threads = s->maxthreads > 0 && s->maxthreads < s->nthreads ? (int)s->maxthreads
                                                                    : s->nthreads;
    /* FastClick's default: every ring (RSS spreads packets over all of them). */
    pl_io_conf c = {.name = s->devname, .rx = 1, .first_queue = (uint32_t)s->queue,
                    .nqueues = s->n_queues > 0 ? (uint32_t)s->n_queues : 0,
                    .ndesc = (uint32_t)s->d.ndesc, .promisc = s->promisc, .copy = s->copy,
                    .buffers = (uint32_t)s->buffers};
    if (pl_element_dry(e))             /* pktlab check: nothing opened */
        return 0;
    if (pl_io_netmap.open(&s->d.dev, &c, e, err))
        return err->status;
#ifdef PL_HAVE_NETMAP
    s->nq = pl_nm_dev_nqueues(s->d.dev);
#endif
    s->ninst = (int)s->nq < threads ? (int)s->nq : threads;
    return 0;
}

static int fnd_task_threads(pl_element *e) { return PL_STATE(e, fnd_state)->ninst; }

static int fnd_initialize(pl_element *e, pl_error *err)
{
    fnd_state *s = PL_STATE(e, fnd_state);
    s->inst = aligned_alloc(64, sizeof(rx_inst) * (size_t)(s->ninst ? s->ninst : 1));
    if (!s->inst)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    memset(s->inst, 0, sizeof(rx_inst) * (size_t)s->ninst);
    for (int i = 0; i < s->ninst; i++) {
        rx_inst *ri = &s->inst[i];
        ri->q = calloc(s->nq, sizeof *ri->q);
        if (!ri->q)
            return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
        for (uint32_t k = (uint32_t)i; k < s->nq; k += (uint32_t)s->ninst)
            ri->q[ri->nq++] = pl_io_netmap.queue(s->d.dev, k, 0);
    }
    return 0;
}

static void fnd_cleanup(pl_element *e)
{
    fnd_state *s = PL_STATE(e, fnd_state);
    for (int i = 0; s->inst && i < s->ninst; i++)
        free(s->inst[i].q);
    if (s->d.dev)
        pl_io_netmap.close(s->d.dev);
    free(s->inst);
    s->inst = NULL;
    s->d.dev = NULL;
}

/* The core gives a multi-thread task consecutive workers from e->thread. */
static inline rx_inst *instance(pl_element *e, fnd_state *s, const pl_ctx *ctx)
{
    int i = ctx->tid - e->thread;
    if (i < 0)
        i += s->nthreads;
    return &s->inst[i];
}

static uint32_t fnd_run(pl_element *e, pl_ctx *ctx)
{
    fnd_state *s = PL_STATE(e, fnd_state);
#ifdef PL_HAVE_NETMAP
    if (!PL_LIVE(s->active))
        return 0;
    rx_inst *ri = instance(e, s, ctx);
    uint32_t burst = (uint32_t)PL_LIVE(s->burst);
    pl_nm_queue *q = ri->q[ri->next];
    if (ri->nq > 1 && ++ri->next == ri->nq)
        ri->next = 0;
    uint32_t have = pl_batch_count(ri->pending);
    uint32_t got = have < burst ? pl_io_netmap.rx_burst(q, ctx, &ri->pending, burst - have) : 0;
    if (__builtin_expect(q->h.nobufs | q->h.toolong | (uint32_t)q->copies, 0)) {
        pl_count(ctx, e, C_NOBUFS, q->h.nobufs);
        pl_count(ctx, e, C_TOOLONG, q->h.toolong);
        pl_count(ctx, e, C_COPIES, q->copies);
        q->h.nobufs = q->h.toolong = 0;
        q->copies = 0;
    }
    have += got;
    if (!have)
        return 0;
    pl_count(ctx, e, C_RECEIVED, got);
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
static void fnd_stop(pl_element *e, pl_ctx *ctx)
{
    fnd_state *s = PL_STATE(e, fnd_state);
    for (int i = 0; s->inst && i < s->ninst; i++) {
        pl_packet *b = s->inst[i].pending;
        s->inst[i].pending = NULL;
        s->inst[i].polls = 0;
        pl_drop_batch(ctx, e, C_STOPPED, b);
    }
}

#define U64(x) pl_fmt(buf, len, "%llu", (unsigned long long)(x))

static uint64_t dropped(pl_element *e)
{
    return pl_counter_total(e, C_NOBUFS) + pl_counter_total(e, C_TOOLONG) +
           pl_counter_total(e, C_STOPPED);
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return U64(pl_counter_total(e, C_RECEIVED) - PL_STATE(e, fnd_state)->d.count_base);
}

static int read_dropped(pl_element *e, char *buf, size_t len)
{
    return U64(dropped(e) - PL_STATE(e, fnd_state)->d.drop_base);
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    (void)v, (void)err;
    fnd_state *s = PL_STATE(e, fnd_state);
    s->d.count_base = pl_counter_total(e, C_RECEIVED);
    s->d.drop_base = dropped(e);
    return 0;
}

static int read_copies(pl_element *e, char *buf, size_t len) { return U64(pl_counter_total(e, C_COPIES)); }

static int read_device(pl_element *e, char *buf, size_t len)
{
    fnd_state *s = PL_STATE(e, fnd_state);
#ifdef PL_HAVE_NETMAP
    if (s->d.dev) {
        uint32_t first = pl_nm_dev_first(s->d.dev);
        return pl_fmt(buf, len, "%s, RX rings %u..%u of %u on %d thread%s, NDESC %u, %s",
                      pl_nm_dev_name(s->d.dev), first, first + s->nq - 1,
                      pl_nm_dev_rings(s->d.dev), s->ninst, s->ninst == 1 ? "" : "s",
                      pl_nm_dev_ndesc(s->d.dev),
                      s->copy ? "COPY" : pl_nm_dev_zero_copy(s->d.dev) ? "zero copy"
                                                                      : "copies (another memory region)");
    }
#endif
    (void)s;
    return pl_fmt(buf, len, "not open");
}

static const pl_param params[] = {
    {"DEVNAME", PL_T_STRING, offsetof(fnd_state, devname), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED,
     "netmap port: netmap:eth0, vale0:a, a pipe end vale1:p{1 / vale1:p}1 (libnetmap's names)"},
    {"QUEUE", PL_T_INT, offsetof(fnd_state, queue), "0", 0, PL_NM_MAXQ - 1, PL_P_POSITIONAL,
     "first RX ring"},
    {"N_QUEUES", PL_T_INT, offsetof(fnd_state, n_queues), "-1", -1, PL_NM_MAXQ, 0,
     "RX rings (-1: every ring from QUEUE on)"},
    {"MAXTHREADS", PL_T_INT, offsetof(fnd_state, maxthreads), "-1", -1, 256, 0,
     "threads that read the rings (-1: all the engine's, at most one per ring)"},
    {"BURST", PL_T_UINT, offsetof(fnd_state, burst), "32", 1, 1024, PL_P_LIVE,
     "packets per batch: a batch is pushed when BURST packets arrived (or after a few polls)"},
    {"NDESC", PL_T_UINT, offsetof(fnd_state, d.ndesc), "0", 0, 16384, PL_P_LIVE,
     "RX ring slots for a port this engine creates (0: netmap's choice)"},
    {"PROMISC", PL_T_BOOL, offsetof(fnd_state, promisc), "false", 0, -1, 0,
     "promiscuous mode (interfaces)"},
    {"ACTIVE", PL_T_BOOL, offsetof(fnd_state, active), "true", 0, -1, PL_P_LIVE,
     "whether to receive"},
    {"COPY", PL_T_BOOL, offsetof(fnd_state, copy), "false", 0, -1, 0,
     "copy each packet into an engine buffer (no buffer swapping)"},
    {"BUFFERS", PL_T_UINT, offsetof(fnd_state, buffers), "0", 0, 1 << 20, 0,
     "netmap buffers the engine holds for zero copy, taken with its first port (0: 4096; "
     "FastClick's NetmapInfo EXTRA_BUFFER)"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "count", .doc = "packets received", .read = read_count},
    {.name = "dropped", .doc = "packets dropped here (no buffer, too long, freed at stop)",
     .read = read_dropped},
    {.name = "reset_counts", .doc = "write: count and dropped start again from 0",
     .write = write_reset},
    {.name = "copies", .doc = "packets copied into an engine buffer (not swapped)",
     .read = read_copies},
    PL_NETMAP_HANDLERS("RX"),
    {.name = "device", .doc = "port, rings, threads, ring size, zero copy or not",
     .read = read_device},
    {0}};

static const pl_class from_netmap_device = {
    .name = "FromNetmapDevice",
    .ports = "0/1",
    .processing = "h/h",
    .doc = "FromNetmapDevice(DEVNAME [, QUEUE, N_QUEUES, MAXTHREADS, BURST, NDESC, PROMISC, ACTIVE, COPY, BUFFERS])\n"
           "Receives packets from a netmap port.\n\n"
           "DEVNAME is a netmap port name as libnetmap reads it: netmap:eth0 (an interface:\n"
           "its native driver, or the generic adapter), vale0:a (a port of VALE switch\n"
           "vale0, created on first use), vale1:p{1 and vale1:p}1 (the two ends of a\n"
           "netmap pipe), with netmap's suffixes (-N one ring, ^ host rings, @conf:...).\n"
           "Each RX ring has a descriptor of its own; the rings are shared among up to\n"
           "MAXTHREADS threads (every ring by default, as FastClick: RSS spreads packets\n"
           "over all of them). Zero copy: the buffer of a filled slot is swapped for a\n"
           "free buffer the engine holds (BUFFERS of them, in the memory region of the\n"
           "engine's first netmap port), so nothing is copied; COPY true copies into\n"
           "engine buffers instead (the paper's Fig. 9 baseline), as do ports in another\n"
           "region and a burst that finds every engine buffer in use (counter copies).\n"
           "I/O batching: a batch is pushed when BURST packets arrived, or after 8\n"
           "polls with fewer. A frame longer than a netmap buffer spans several slots\n"
           "(NS_MOREFRAG): it is copied into one packet of the size class that holds it\n"
           "(up to 65,535 bytes and more; longer: too_long). Needs /dev/netmap.\n"
           "Counters: nobufs, too_long, stop_flush (drop reasons), received, copies.\n"
           "Handlers: count, dropped, reset_counts (w), copies, burst (rw), ndesc (rw),\n"
           "ndesc_lost, ndesc_change, buffers, mem, device.\n\n"
           "Example: FromNetmapDevice(vale0:in) -> ToNetmapDevice(vale1:out);",
    .state_size = sizeof(fnd_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 3,
    .configure = fnd_configure,
    .initialize = fnd_initialize,
    .cleanup = fnd_cleanup,
    .run_task = fnd_run,
    .task_threads = fnd_task_threads,
    .stop = fnd_stop,
};
PL_REGISTER_CLASS(from_netmap_device);
