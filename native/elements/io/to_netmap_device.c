/* ToNetmapDevice: sends each batch to netmap TX rings, zero copy by buffer swapping. */
#include "../../io/netmap_port.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct tx_thr {
    _Alignas(64) pl_packet *iq;        /* internal queue: packets the ring refused */
    void *q;                           /* this thread's TX ring; NULL: cannot reach us */
    uint32_t qi;
    atomic_flag *lock;                 /* the ring's lock when threads share it */
} tx_thr;

typedef struct {
    pl_netmap_elem d;                  /* first: the shared handlers read it */
    char *devname;
    int64_t queue, n_queues;
    uint64_t burst, iqueue;
    uint8_t blocking;
    int nthreads, locked;
    uint32_t nq;
    tx_thr *thr;
    atomic_flag *locks;
    _Atomic int waiting;               /* threads whose internal queue holds packets */
} tnd_state;

enum { C_DROPPED, C_TOOLONG, C_UNREACHED, C_SENT, C_COPIES };
static const char *const counters[] = {"dropped", "too_long", "unreached", "sent", "copies", NULL};

static int tnd_configure(pl_element *e, pl_error *err)
{
    tnd_state *s = PL_STATE(e, tnd_state);
    s->d.tx = 1;
    if (pl_netmap_require(e, err))
        return err->status;
    s->nthreads = pl_element_nthreads(e);
    /* Every TX ring from QUEUE on (N_QUEUES: at most that many); which thread
     * takes which is decided from the thread vector (tnd_threads_changed). */
    pl_io_conf c = {.name = s->devname, .tx = 1, .first_queue = (uint32_t)s->queue,
                    .nqueues = s->n_queues > 0 ? (uint32_t)s->n_queues : 0,
                    .ndesc = (uint32_t)s->d.ndesc};
    if (pl_element_dry(e))             /* pktlab check: nothing opened */
        return 0;
    if (pl_io_netmap.open(&s->d.dev, &c, e, err))
        return err->status;
#ifdef PL_HAVE_NETMAP
    s->nq = pl_nm_dev_nqueues(s->d.dev);
#endif
    return 0;
}

static int tnd_initialize(pl_element *e, pl_error *err)
{
    tnd_state *s = PL_STATE(e, tnd_state);
    s->thr = aligned_alloc(64, sizeof(tx_thr) * (size_t)s->nthreads);
    s->locks = calloc(s->nq ? s->nq : 1, sizeof *s->locks);
    if (!s->thr || !s->locks)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (uint32_t q = 0; q < s->nq; q++)
        atomic_flag_clear(&s->locks[q]);
    memset(s->thr, 0, sizeof(tx_thr) * (size_t)s->nthreads);   /* mapped by the analysis */
    atomic_store(&s->waiting, 0);
    atomic_store(&e->task_done, 1);    /* the task has work only while a queue holds packets */
    return 0;
}

/* A ring of its own for each thread that can reach the element while there
 * are enough, shared (and locked) beyond (io.h). Workers are parked. */
static void tnd_threads_changed(pl_element *e, uint64_t threads)
{
    tnd_state *s = PL_STATE(e, tnd_state);
    if (!s->thr || !s->nq)
        return;
    int32_t qi[256];
    uint8_t shared[256];
    s->locked = pl_tx_assign(threads, s->nthreads, s->nq, qi, shared);
    for (int t = 0; t < s->nthreads; t++) {
        tx_thr *th = &s->thr[t];
        th->qi = qi[t] >= 0 ? (uint32_t)qi[t] : 0;
        th->q = qi[t] >= 0 ? pl_io_netmap.queue(s->d.dev, th->qi, 1) : NULL;
        th->lock = shared[t] ? &s->locks[th->qi] : NULL;
    }
}

static void tnd_cleanup(pl_element *e)
{
    tnd_state *s = PL_STATE(e, tnd_state);
    if (s->d.dev)
        pl_io_netmap.close(s->d.dev);
    free(s->thr);
    free(s->locks);
    s->thr = NULL;
    s->locks = NULL;
    s->d.dev = NULL;
}

#ifdef PL_HAVE_NETMAP
static inline void take_tallies(pl_element *e, pl_ctx *ctx, pl_nm_queue *q)
{
    if (__builtin_expect(q->h.toolong, 0)) {
        pl_count(ctx, e, C_TOOLONG, q->h.toolong);
        q->h.toolong = 0;
    }
    if (q->copies) {
        pl_count(ctx, e, C_COPIES, q->copies);
        q->copies = 0;
    }
}

/* Send b in bursts; returns what is left unsent. BLOCKING waits for room in
 * poll() (1 ms at a time, giving up when the engine stops or parks). */
static pl_packet *send_all(pl_element *e, tnd_state *s, tx_thr *t, pl_ctx *ctx, pl_packet *b,
                           int blocking)
{
    uint32_t burst = (uint32_t)PL_LIVE(s->burst);
    pl_nm_queue *q = t->q;
    while (b) {
        uint32_t before = b->b_count;
        uint32_t sent = pl_io_netmap.tx_burst(q, ctx, &b, burst);
        pl_count(ctx, e, C_SENT, sent);
        uint32_t done = before - pl_batch_count(b);
        if (b && done < (before < burst ? before : burst)) {      /* the ring is full */
            if (!blocking || pl_engine_waiting(e->eng))
                break;
            struct pollfd pfd = {.fd = q->fd, .events = POLLOUT};
            poll(&pfd, 1, 1);
        }
    }
    take_tallies(e, ctx, q);
    return b;
}

/* The task runs (on every worker that can reach the element) only while some
 * internal queue holds packets: task_done says whether one does, so that an
 * idle ToNetmapDevice costs nothing and an inline run can still finish. */
static void queue_changed(pl_element *e, tnd_state *s, int had, int has)
{
    if (had == has)
        return;
    if (has) {
        atomic_fetch_add(&s->waiting, 1);
        atomic_store(&e->task_done, 0);
    } else if (atomic_fetch_sub(&s->waiting, 1) == 1) {
        atomic_store(&e->task_done, 1);
        if (atomic_load(&s->waiting))          /* another thread queued meanwhile */
            atomic_store(&e->task_done, 0);
    }
}

/* Retries this thread's internal queue when no new batch comes to push it
 * out (FastClick's ToNetmapDevice task): the ring had no room, now it may. */
static uint32_t tnd_run(pl_element *e, pl_ctx *ctx)
{
    tnd_state *s = PL_STATE(e, tnd_state);
    if (!s->thr || ctx->tid >= s->nthreads)
        return 0;
    tx_thr *t = &s->thr[ctx->tid];
    if (!t->iq || !t->q)
        return 0;
    if (t->lock && atomic_flag_test_and_set_explicit(t->lock, memory_order_acquire))
        return 0;                              /* the pushing thread has it: next round */
    uint32_t before = pl_batch_count(t->iq);
    pl_packet *b = t->iq;
    t->iq = NULL;
    t->iq = send_all(e, s, t, ctx, b, 0);
    uint32_t done = before - pl_batch_count(t->iq);
    queue_changed(e, s, 1, t->iq != NULL);
    if (t->lock)
        atomic_flag_clear_explicit(t->lock, memory_order_release);
    return done;
}

static int tnd_task_threads(pl_element *e) { return PL_STATE(e, tnd_state)->nthreads; }
#endif

/* TX is flushed at the end of every batch (the paper's full push). */
static void tnd_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    tnd_state *s = PL_STATE(e, tnd_state);
#ifdef PL_HAVE_NETMAP
    tx_thr *t = &s->thr[ctx->tid];
    if (__builtin_expect(!t->q, 0)) {          /* the analysis says this cannot happen */
        pl_drop_batch(ctx, e, C_UNREACHED, b);
        return;
    }
    if (t->lock)
        while (atomic_flag_test_and_set_explicit(t->lock, memory_order_acquire))
            ;
    int had = t->iq != NULL;
    if (had) {
        pl_batch_join(&t->iq, b);
        b = t->iq;
        t->iq = NULL;
    }
    b = send_all(e, s, t, ctx, b, PL_LIVE(s->blocking));
    if (b)
        t->iq = pl_batch_keep(e, ctx, C_DROPPED, b, PL_LIVE(s->iqueue));
    queue_changed(e, s, had, t->iq != NULL);
    if (t->lock)
        atomic_flag_clear_explicit(t->lock, memory_order_release);
#else
    (void)s;
    pl_drop_batch(ctx, e, C_DROPPED, b);
#endif
}

/* Workers are stopped: the internal queues get one last try, then are freed. */
static void tnd_stop(pl_element *e, pl_ctx *ctx)
{
    tnd_state *s = PL_STATE(e, tnd_state);
#ifdef PL_HAVE_NETMAP
    for (int i = 0; s->thr && i < s->nthreads; i++) {
        tx_thr *t = &s->thr[i];
        if (!t->iq)
            continue;
        pl_packet *b = send_all(e, s, t, ctx, t->iq, 0);
        t->iq = NULL;
        queue_changed(e, s, 1, 0);
        pl_drop_batch(ctx, e, C_DROPPED, b);
    }
#else
    (void)s, (void)ctx;
#endif
}

#define U64(x) pl_fmt(buf, len, "%llu", (unsigned long long)(x))

static uint64_t dropped(pl_element *e)
{
    return pl_counter_total(e, C_DROPPED) + pl_counter_total(e, C_TOOLONG) +
           pl_counter_total(e, C_UNREACHED);
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return U64(pl_counter_total(e, C_SENT) - PL_STATE(e, tnd_state)->d.count_base);
}

static int read_dropped(pl_element *e, char *buf, size_t len)
{
    return U64(dropped(e) - PL_STATE(e, tnd_state)->d.drop_base);
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    (void)v, (void)err;
    tnd_state *s = PL_STATE(e, tnd_state);
    s->d.count_base = pl_counter_total(e, C_SENT);
    s->d.drop_base = dropped(e);
    return 0;
}

static int read_copies(pl_element *e, char *buf, size_t len) { return U64(pl_counter_total(e, C_COPIES)); }

static int read_device(pl_element *e, char *buf, size_t len)
{
    tnd_state *s = PL_STATE(e, tnd_state);
#ifdef PL_HAVE_NETMAP
    if (s->d.dev) {
        char map[256] = "";
        size_t k = 0;
        int n = 0;
        uint32_t first = pl_nm_dev_first(s->d.dev);
        for (int t = 0; s->thr && t < s->nthreads && k < sizeof map - 24; t++)
            if (s->thr[t].q)
                k += (size_t)snprintf(map + k, sizeof map - k, "%s%d->%u%s", n++ ? " " : "", t,
                                      first + s->thr[t].qi, s->thr[t].lock ? "*" : "");
        return pl_fmt(buf, len, "%s, TX rings %u..%u of %u, threads->rings %s%s, NDESC %u, %s",
                      pl_nm_dev_name(s->d.dev), first, first + s->nq - 1,
                      pl_nm_dev_rings(s->d.dev), n ? map : "none",
                      s->locked ? " (* locked: threads share a ring)" : "",
                      pl_nm_dev_ndesc(s->d.dev),
                      pl_nm_dev_zero_copy(s->d.dev) ? "zero copy for netmap packets"
                                                    : "copies (another memory region)");
    }
#endif
    (void)s;
    return pl_fmt(buf, len, "not open");
}

/* One line per thread that can reach the element: "thread ring locked". */
static int read_tx_queues(pl_element *e, char *buf, size_t len)
{
    tnd_state *s = PL_STATE(e, tnd_state);
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
    {"DEVNAME", PL_T_STRING, offsetof(tnd_state, devname), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "netmap port: netmap:eth0, vale0:b, a pipe end vale1:p}1"},
    {"QUEUE", PL_T_INT, offsetof(tnd_state, queue), "0", 0, PL_NM_MAXQ - 1, PL_P_POSITIONAL,
     "first TX ring"},
    {"N_QUEUES", PL_T_INT, offsetof(tnd_state, n_queues), "-1", -1, PL_NM_MAXQ, 0,
     "most TX rings to use (-1: every ring from QUEUE on)"},
    {"BURST", PL_T_UINT, offsetof(tnd_state, burst), "32", 1, 1024, PL_P_LIVE,
     "most packets put in the ring per sync"},
    {"NDESC", PL_T_UINT, offsetof(tnd_state, d.ndesc), "0", 0, 16384, PL_P_LIVE,
     "TX ring slots for a port this engine creates (0: netmap's choice)"},
    {"BLOCKING", PL_T_BOOL, offsetof(tnd_state, blocking), "false", 0, -1, PL_P_LIVE,
     "wait (poll) for ring space instead of queueing and dropping"},
    {"IQUEUE", PL_T_UINT, offsetof(tnd_state, iqueue), "1024", 0, 1 << 20, PL_P_LIVE,
     "per-thread internal queue for packets the ring refused (non-blocking)"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "count", .doc = "packets sent", .read = read_count},
    {.name = "dropped", .doc = "packets dropped (internal queue full, too long)",
     .read = read_dropped},
    {.name = "reset_counts", .doc = "write: count and dropped start again from 0",
     .write = write_reset},
    {.name = "copies", .doc = "packets copied into a slot's buffer (not swapped in)",
     .read = read_copies},
    PL_NETMAP_HANDLERS("TX"),
    {.name = "device", .doc = "port, rings, thread mapping and locking", .read = read_device},
    {.name = "tx_queues", .doc = "per thread that can reach it: thread, TX ring, locked (0/1)",
     .read = read_tx_queues},
    {0}};

static const pl_class to_netmap_device = {
    .name = "ToNetmapDevice",
    .ports = "1/0",
    .processing = "h/h",
    .doc = "ToNetmapDevice(DEVNAME [, QUEUE, N_QUEUES, BURST, NDESC, BLOCKING, IQUEUE])\n"
           "Sends packets to a netmap port.\n\n"
           "Each batch is put in the TX ring when it arrives and the ring is synced\n"
           "(NIOCTXSYNC) after every BURST packets: TX is flushed at the end of every\n"
           "batch. Zero copy: a packet FromNetmapDevice received, in the same memory\n"
           "region, is swapped into the slot (its buffer goes out, the slot's sent\n"
           "buffer comes back to the engine); other packets (engine buffers, shared\n"
           "clones, another region) are copied into the slot's buffer (counter copies).\n"
           "A packet longer than a netmap buffer is copied over several slots flagged\n"
           "NS_MOREFRAG (pipes, VALE ports and drivers that support it carry them).\n"
           "When the ring is full: BLOCKING waits for room in poll(); otherwise the\n"
           "rest waits in a per-thread internal queue of IQUEUE packets, sent before\n"
           "the next batch (or by the element's task, which runs only while a queue\n"
           "holds packets), and what does not fit is dropped (counter dropped). Rings\n"
           "follow the thread vector: each thread that can reach the element gets a\n"
           "TX ring of its own while the port has enough; beyond that threads share\n"
           "rings and only those take a lock (handler device shows the mapping).\n"
           "Counters: dropped, too_long, unreached (drop reasons), sent, copies.\n"
           "Handlers: count, dropped, reset_counts (w), copies, burst (rw), ndesc (rw),\n"
           "ndesc_lost, ndesc_change, buffers, mem, device, tx_queues.\n\n"
           "Example: FromNetmapDevice(vale1:p}1) -> ToNetmapDevice(vale1:p}2);",
    .state_size = sizeof(tnd_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 3,
    .configure = tnd_configure,
    .initialize = tnd_initialize,
    .cleanup = tnd_cleanup,
    .push = tnd_push,
#ifdef PL_HAVE_NETMAP
    .run_task = tnd_run,
    .task_threads = tnd_task_threads,
#endif
    .stop = tnd_stop,
    .threads_changed = tnd_threads_changed,
};
PL_REGISTER_CLASS(to_netmap_device);
