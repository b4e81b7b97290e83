/*
 * Element classes and instances: what an element author needs.
 *
 * A class is a static pl_class at the bottom of its file, registered with
 * PL_REGISTER_CLASS(). It declares its parameter table (the single source of
 * truth for configuration parsing, handlers, documentation and the widget's
 * forms), its handlers, its counters (drop reasons included) and the
 * functions it implements. An author picks the simplest that fits:
 *
 *   simple_action  one packet in, the same (or another) packet out or NULL
 *                  (then the element freed it, usually with pl_drop()).
 *                  The core runs the batch loop in place.
 *   classify       one packet in, an output port out: the core builds one
 *                  sub-batch per output and pushes each once.
 *   push           the whole batch (batch-aware elements).
 *   run_task       a task (sources): called by its worker thread, returns
 *                  the packets it moved (0 = idle).
 *   pull           outputs that can be pulled (Queue, schedulers); an
 *                  agnostic element with any of the above is pulled through
 *                  them by the core (pull.c), a batch at a time.
 *
 * Ports are push ('h'), pull ('l') or agnostic ('a') in the class's Click
 * processing code; the core resolves agnostic ports across the graph as
 * Click does (processing.c) and an element reads the result with
 * pl_input_is_pull() / pl_output_is_pull().
 *
 * Packets of any size (up to PL_MAX_LEN): a source makes a packet with
 * pl_packet_alloc_len(ctx->pool, len); an element that adds bytes uses
 * pl_push / pl_put below (Click's push() and put()), which move the packet
 * to a larger buffer when its head- or tailroom is too small and return the
 * packet to go on with, or NULL after counting a drop.
 */
#ifndef PL_ELEMENT_H
#define PL_ELEMENT_H

#include "../include/pktlab.h"
#include "pool.h"

#include <stdarg.h>
#include <time.h>

#define PL_HIST_BINS 258          /* bin k = batch size k (1..256), 257 = larger */
/* Packet copies an element may keep per thread (ToMemory, Capture): a
 * configuration asking for more gets an error, not an allocation the
 * machine cannot back (the rings are allocated lazily, so traffic's
 * ToMemory(1048576) of 2 GiB virtual is fine; the fuzzer's build, with its
 * malloc limit, takes less). */
#ifndef PL_RING_BYTES_MAX
#define PL_RING_BYTES_MAX (1ull << 34)
#endif
#define PL_MAX_PORTS 256

#include "notifier.h"

struct pl_engine;
typedef struct pl_element pl_element;

/* Everything a worker thread carries down the call chain. */
typedef struct pl_ctx {
    int tid;
    pl_pool *pool;
    uint64_t *port_stats;         /* this thread: [nports][4] */
    uint64_t *hist;               /* this thread: [nports][PL_HIST_BINS] */
    uint64_t *counters;           /* this thread: [ncounters] */
    struct pl_engine *eng;
    int per_packet;
    int cycles;
    int timestamps;               /* stamp what sources push (pl_output_source); written
                                     live by the control thread: read with PL_LIVE */
    int io_attached;              /* an I/O backend set up the thread running this context
                                     (cleared whenever a thread starts running it) */
    struct pl_packet **capture;   /* pull through a push function: where its output goes */
    int capture_port;
    uint64_t *bd;                 /* Engine(breakdown=True): this worker's stage
                                     accumulators (pl_bd_mark); NULL: off */
    uint64_t bd_last;             /* the TSC at the last mark */
    /* Batch vectors (Engine(vectors=True)): the packets of the last device
     * burst this worker received, in order (vec_n of them; 0: none). A hint
     * only: a user checks vec[0] against its batch head and each link
     * (vec[i]->next == vec[i + 1]) before it follows one, so an element that
     * changed the batch costs the vector, never a wrong packet. NULL: off. */
    struct pl_packet **vec;
    uint32_t vec_n;
} pl_ctx;
#define PL_VEC_MAX 256

typedef void (*pl_push_fn)(pl_element *e, int port, pl_packet *batch, pl_ctx *ctx);
/* Pull up to `max` packets from output `port` of e (NULL: nothing there). */
typedef pl_packet *(*pl_pull_fn)(pl_element *e, int port, uint32_t max, pl_ctx *ctx);

/* An output port's target: replaced as a whole (one atomic store) by live change. */
typedef struct pl_edge {
    pl_element *to;
    pl_push_fn push;
    int to_port;
    uint32_t stat;                /* global port index into the statistics */
    /* Pull connections (a Queue's output to an Unqueue's input) are held by
     * the pulling element's input: where to pull from. */
    pl_element *from;
    int from_port;
    pl_pull_fn pull;
} pl_edge;

typedef enum {
    PL_P_POSITIONAL = 1,          /* may be given without keyword, in table order */
    PL_P_LIVE = 2,                /* writable while running, via handler lower(name) */
    PL_P_REQUIRED = 4,
    PL_P_ANYWHERE = 8             /* ARGS: positional arguments may follow keywords (Script) */
} pl_param_flags;

typedef struct pl_bytes {
    uint8_t *data;
    size_t len;
} pl_bytes;

typedef struct pl_args {          /* PL_T_ARGS: the remaining positional arguments */
    int n;
    char **v;
} pl_args;

typedef struct pl_param {
    const char *name;
    pl_ptype type;
    size_t offset;                /* into the element's state */
    const char *def;              /* default as text, NULL = none */
    double min, max;              /* min > max: unbounded */
    unsigned flags;
    const char *doc;
} pl_param;

/* Handler flags, as Click's (shown by the `handlers` handler). */
enum {
    PL_H_CALM = 1,                /* '.': reading it changes nothing and is cheap */
    PL_H_RAW = 2,                 /* '%': value is raw bytes, printed without a newline added */
    PL_H_EXPENSIVE = 4,           /* '$': reading it costs (a table dump) */
    PL_H_BUTTON = 8,              /* 'b': written to act (reset), the value ignored */
    PL_H_CHECKBOX = 16,           /* 'c': a boolean */
    PL_H_UNCOMMON = 32            /* 'U' */
};

typedef struct pl_handler {
    const char *name;
    const char *doc;
    /* Write the value into buf (NUL-terminated, at most len bytes). */
    int (*read)(pl_element *e, char *buf, size_t len);
    int (*write)(pl_element *e, const char *value, pl_error *err);
    unsigned flags;               /* PL_H_* */
} pl_handler;

/* A read handler with a parameter, as Click's ("lookup 10.0.0.1"): the engine
 * calls it for a read of "NAME PARAM". Fill err on bad input. */
typedef struct pl_param_handler {
    const char *name;
    const char *doc;
    int (*read)(pl_element *e, const char *param, char *buf, size_t len, pl_error *err);
} pl_param_handler;

typedef struct pl_class {
    const char *name;
    const char *ports;            /* Click port count spec: "1/1", "0/1", "1/1-2", "1/-" */
    const char *processing;       /* "h/h" push, "l/l" pull, "a/a" agnostic */
    const char *doc;              /* the manual page */
    size_t state_size;
    const pl_param *params;       /* terminated by {0} */
    const pl_handler *handlers;   /* terminated by {0} */
    const pl_param_handler *param_handlers;   /* reads with a parameter, terminated by {0} */
    const char *const *counters;  /* NULL-terminated names */
    int ndrops;                   /* the first ndrops counters count packets freed here */
    int unused_output_counter;    /* classify: counter for packets sent to an unconnected port */
    int (*configure)(pl_element *e, pl_error *err);   /* after parameters were parsed */
    int (*initialize)(pl_element *e, pl_error *err);  /* ports known, before start */
    void (*cleanup)(pl_element *e);
    pl_packet *(*simple_action)(pl_element *e, pl_packet *p, pl_ctx *ctx);
    int (*classify)(pl_element *e, pl_packet *p, pl_ctx *ctx);
    pl_push_fn push;
    pl_pull_fn pull;              /* outputs in pull mode ('l' in processing) */
    uint32_t (*run_task)(pl_element *e, pl_ctx *ctx);
    /* A task run by several workers at once (e.g. one RX queue each): how
     * many (clamped to the engine's threads; NULL = 1). The core gives them
     * consecutive workers from e->thread; run_task tells them apart by ctx->tid. */
    int (*task_threads)(pl_element *e);
    /* The thread analysis changed the workers that can push into it (bit t of
     * `threads`): map per-thread resources (ToDPDKDevice's TX queues and
     * locks). Called with the workers parked or not started; while a live
     * change settles, `threads` covers the old graph's and the new one's. */
    void (*threads_changed)(pl_element *e, uint64_t threads);
    /* The workers are about to start (pl_engine_start, run_inline), on the
     * control thread: take back a device another engine used meanwhile, or
     * fail saying why it cannot run (the engine then stays stopped). */
    int (*start)(pl_element *e, pl_error *err);
    /* The workers stopped (pl_engine_stop, end of run_inline): give back held
     * packets, flush files. ctx lends worker 0's pool and counters. */
    void (*stop)(pl_element *e, pl_ctx *ctx);
    /* In-memory I/O (FromMemory, ToMemory), reached through pl_element_feed and
     * pl_element_drain. Control thread only; memio.c serializes the calls, so
     * each element sees one producer (feed) or one consumer (drain) at a time. */
    int (*feed)(pl_element *e, const uint8_t *data, const uint32_t *lens, uint32_t n,
                uint32_t *accepted, pl_error *err);
    int (*drain)(pl_element *e, uint8_t *data, size_t cap, pl_pkt_meta *meta, uint32_t maxn,
                 uint32_t *got, pl_error *err);
    /* Live change: `e` replaces `old` (same name). Called on the control
     * thread once `old` is quiescent; `e` may already be receiving packets
     * but is not yet scheduled as a task. Carry counts, tables, queues. */
    void (*take_state)(pl_element *e, pl_element *old);
    unsigned traits;              /* PL_C_* */
    /* Pulled through its push function: at most how many packets it should
     * pull now (Counter with COUNT_CALL stops at the call, as Click's one
     * packet per pull would); NULL: as many as asked. */
    uint32_t (*pull_max)(pl_element *e, uint32_t max);
    /* Click's Storage: packets it holds now (queues; RED reads it). */
    uint64_t (*storage_length)(pl_element *e);
    /* The graph changed (after initialize, after every live change), on the
     * control thread: look up what it depends on in the new graph
     * (e->eng's elements and connections). Old lookups may still be read by
     * a worker until the next grace period (pl_garbage_add them). */
    void (*graph_changed)(pl_element *e);
    /* Handlers by any other name (Script TYPE PROXY): tried last. */
    int (*any_read)(pl_element *e, const char *name, const char *param, char *buf, size_t len,
                    pl_error *err);
    int (*any_write)(pl_element *e, const char *name, const char *value, pl_error *err);
    int (*any_mode)(pl_element *e, const char *name);   /* bit 1 read, 2 write; 0: none */
    /* A DriverManager (an element that set is_driver in initialize): step
     * it when the runcount drops to zero; 0 means it ended normally (Click's
     * "step router"). Called on its home worker. */
    int (*driver_step)(pl_element *e, pl_ctx *ctx);
    /* Click's flow code ("x/x" when NULL: every input reaches every output),
     * read by the processing resolution and the notifier searches. */
    const char *flow;
    /* Click's flag S: 0 = it never makes packets of its own (schedulers,
     * Idle), 1 = it may (sources); a notifier search that ends at an element
     * with no flow through it is busy unless S is 0. */
    int sources;                  /* PL_S_* */
} pl_class;

enum { PL_S_UNKNOWN = 0, PL_S_NONE = 1, PL_S_SOURCE = 2 };

/* Class traits read by the thread analysis (threads.c). */
enum {
    PL_C_BOUNDARY = 1,            /* packets change threads here: the outputs run on the
                                     element's own task (Pipeliner, queues) */
    PL_C_SINGLE_THREAD = 2        /* state not safe for several threads: warn if reached so */
};

struct pl_listen;
struct pl_noteprov;
struct pl_timer;

struct pl_element {
    const pl_class *cls;
    struct pl_engine *eng;
    char *name;
    char *config;
    int index;
    int line, col;
    uint64_t given;               /* parameters the configuration gave (bit i: params[i]) */
    int ninputs, noutputs;
    _Atomic(pl_edge *) *out;      /* noutputs (NULL entries for pull outputs) */
    _Atomic(pl_edge *) *in;       /* ninputs, pull inputs only; NULL if none */
    uint32_t port_base;           /* global index of output 0 */
    uint32_t counter_base;        /* index of counter 0 */
    int thread;                   /* worker running this task, -1 if none */
    int task_count;               /* task_threads: workers thread, thread+1, ... run it */
    uint64_t threads;             /* thread vector: workers that can push into it (bit t) */
    uint64_t threads_told;        /* the vector threads_changed was last called with */
    int cleaned;                  /* cleanup already ran (retired by live change) */
    _Atomic int task_done;
    pl_push_fn push;              /* entry point for packets arriving */
    pl_pull_fn pull;              /* entry point for pulls on its pull outputs */
    char *pmode;                  /* resolved processing: inputs then outputs, 'h' or 'l' */
    _Atomic int sched;            /* its task runs (1) or sleeps until woken (0) */
    uint8_t no_task;              /* initialize: this instance needs no task after all */
    uint8_t is_driver;            /* initialize: it manages the driver's stops (DriverManager) */
    _Atomic int retiring;         /* live change removed it: its timers no longer schedule */
    struct pl_listen *listens;    /* signals it follows (pl_listen), recomputed by the core */
    int nlistens;
    struct pl_noteprov *notes;    /* notifiers it provides (pl_notifier_provide) */
    int nnotes;
    struct pl_timer *timers;      /* its timers (pl_timer_init), cancelled when it retires */
    uint8_t settled;              /* its home worker is known: timers go to that heap */
    pl_signal_slot sink_signal;   /* pl_sink_init: the queues a pulling sink drains */
    uint32_t sink_burst;
    _Alignas(64) unsigned char state[];
};

static inline int pl_input_is_pull(const pl_element *e, int port)
{
    return e->pmode && port < e->ninputs && e->pmode[port] == 'l';
}

static inline int pl_output_is_pull(const pl_element *e, int port)
{
    return e->pmode && port < e->noutputs && e->pmode[e->ninputs + port] == 'l';
}

#define PL_STATE(e, type) ((type *)(void *)(e)->state)

/* An element's name as a worker reads it: live change may rename a kept
 * element (the old name is freed only after a grace period). */
#define PL_NAME(e) ((const char *)__atomic_load_n(&(e)->name, __ATOMIC_ACQUIRE))

/* Live parameters are read with relaxed atomics: the control thread writes them. */
#define PL_LIVE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
/* The same for REAL, TIME and BANDWIDTH parameters (doubles). */
static inline double pl_live_d(const double *p)
{
    double d;
    __atomic_load(p, &d, __ATOMIC_RELAXED);
    return d;
}
static inline void pl_store_d(double *p, double v) { __atomic_store(p, &v, __ATOMIC_RELAXED); }
#define PL_LIVE_D(x) pl_live_d(&(x))

/* CLOCK_MONOTONIC, for rates, timing and deadlines off the per-packet path. */
static inline uint64_t pl_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline double pl_now_us(void) { return (double)pl_now_ns() / 1e3; }

static inline uint64_t pl_rdtsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_ia32_rdtsc();
#else
    return 0;
#endif
}

/*
 * The per-packet cost breakdown (Engine(breakdown=True), `pktlab bench io
 * --breakdown`): a mark reads the TSC and adds the time since the previous
 * mark to the stage that just ended, so the stages tile the worker's time
 * without gaps. Marks sit at stage boundaries on the batch path (a dozen per
 * batch, none per packet); off, each is one predictable branch.
 * ctx->bd holds [PL_BD_N] cycles, [PL_BD_N] mark counts, then the last
 * mark's TSC (so that a reader can count the stage in progress).
 */
enum { PL_BD_DISPATCH, PL_BD_RX_DEVICE, PL_BD_RX_CONV, PL_BD_STATS, PL_BD_TX_CONV,
       PL_BD_TX_DEVICE, PL_BD_PREEMPTED, PL_BD_N };
/* A stage that took longer than this (TSC cycles, ~8 us at 2.5 GHz; a batch
 * of 32 takes well under 1 us) lost the CPU meanwhile (preempted, or a worker
 * sleeping idle): its time is the "preempted" stage's, not the engine's. */
#define PL_BD_PREEMPT 20000

static inline void pl_bd_mark(struct pl_ctx *ctx, int stage)
{
    if (__builtin_expect(ctx->bd != NULL, 0)) {
        uint64_t now = pl_rdtsc(), d = now - ctx->bd_last;
        if (__builtin_expect(d > PL_BD_PREEMPT, 0))
            stage = PL_BD_PREEMPTED;
        uint64_t *c = &ctx->bd[stage], *k = &ctx->bd[PL_BD_N + stage];
        __atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + d, __ATOMIC_RELAXED);
        __atomic_store_n(k, __atomic_load_n(k, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
        ctx->bd_last = now;
        __atomic_store_n(&ctx->bd[2 * PL_BD_N], now, __ATOMIC_RELAXED);   /* for readers */
    }
}

/* Statistics are written by their one owning thread and read by the control
 * thread at any time: relaxed atomic load+store (plain moves on x86, no locked
 * instruction), so readers never see a torn value and TSan sees no race. */
#define PL_STAT_ADD(x, n) \
    __atomic_store_n(&(x), __atomic_load_n(&(x), __ATOMIC_RELAXED) + (n), __ATOMIC_RELAXED)

/* Push a batch out of port `port` of `e`: count it, then hand it on. */
static inline void pl_output(pl_ctx *ctx, pl_element *e, int port, pl_packet *b)
{
    pl_edge *o = atomic_load_explicit(&e->out[port], memory_order_acquire);
    uint64_t *s = ctx->port_stats + (size_t)o->stat * 4;
    uint32_t n = b->b_count;
    pl_bd_mark(ctx, PL_BD_DISPATCH);
    PL_STAT_ADD(s[0], n);
    PL_STAT_ADD(s[1], b->b_bytes);
    PL_STAT_ADD(s[2], 1);
    PL_STAT_ADD(ctx->hist[(size_t)o->stat * PL_HIST_BINS + (n > 256 ? 257 : n)], 1);
    pl_bd_mark(ctx, PL_BD_STATS);
    PL_FUZZ_EMIT(b);
    if (__builtin_expect(ctx->cycles, 0)) {
        uint64_t t0 = pl_rdtsc();
        o->push(o->to, o->to_port, b, ctx);
        PL_STAT_ADD(s[3], pl_rdtsc() - t0);
        return;
    }
    o->push(o->to, o->to_port, b, ctx);
}

static inline void pl_count(pl_ctx *ctx, pl_element *e, int counter, uint64_t n)
{
    PL_STAT_ADD(ctx->counters[e->counter_base + (uint32_t)counter], n);
}

/* Free one packet and count it under drop reason `counter`. */
static inline void pl_drop(pl_ctx *ctx, pl_element *e, int counter, pl_packet *p)
{
    pl_count(ctx, e, counter, 1);
    pl_packet_free(ctx->pool, p);
}

static inline void pl_drop_batch(pl_ctx *ctx, pl_element *e, int counter, pl_packet *b)
{
    if (!b)
        return;
    pl_count(ctx, e, counter, b->b_count);
    pl_batch_free(ctx->pool, b);
}

/*
 * The core's own counters: the first PL_CORE_NCOUNTERS counters of every
 * thread's block in the statistics region (element counters follow), named
 * by pl_core_counter() for Python and the telemetry.
 *   grown       packets moved to a larger buffer by pl_push / pl_put (the
 *               slow path: a copy of the packet)
 *   linearized  multi-segment device packets made contiguous (DPDK jumbo
 *               frames in chained mbufs)
 */
enum { PL_CORE_GROWN, PL_CORE_LINEARIZED, PL_CORE_NCOUNTERS };

static inline void pl_count_core(pl_ctx *ctx, int counter, uint64_t n)
{
    PL_STAT_ADD(ctx->counters[counter], n);
}

/*
 * Growing packets (Click's push(), put(), uniqueify()). Each returns the
 * packet to use from then on (today the same pointer: the data moves, the
 * metadata stays, so batch links stay valid; write `p = pl_push(...)`
 * anyway), writable, with its length changed; or NULL when no buffer could
 * be had or the packet would exceed PL_MAX_LEN: the packet was then freed
 * and counted under drop reason `drop` of `e`. Header annotations follow
 * the data. The fast path is one compare; moving to a larger buffer is
 * counted as "grown" (PL_CORE_GROWN).
 *
 *   p = pl_push(ctx, e, C_NOBUFS, p, 14);    // 14 bytes in front: a header
 *   if (!p) return NULL;
 *   memcpy(p->data, hdr, 14);
 *
 * pl_push            n bytes in front (Click's push)
 * pl_push_nonunique  n bytes in front, copied only when the headroom is too
 *                    small (Click's nonunique_push: Unstrip; do not write)
 * pl_put             n bytes at the end (Click's put); new bytes are not set
 * pl_writable        a private copy of shared data (Click's uniqueify)
 * pl_packet_pull, pl_packet_take (packet.h) shrink a packet in place.
 */
pl_packet *pl_grow(pl_ctx *ctx, pl_element *e, int drop, pl_packet *p, uint32_t front,
                   uint32_t back, int unique);

static inline pl_packet *pl_push(pl_ctx *ctx, pl_element *e, int drop, pl_packet *p, uint32_t n)
{
    if (__builtin_expect(pl_headroom(p) >= n && !pl_packet_shared(p), 1)) {
        pl_packet_push(p, n);
        return p;
    }
    return pl_grow(ctx, e, drop, p, n, 0, 1);
}

static inline pl_packet *pl_push_nonunique(pl_ctx *ctx, pl_element *e, int drop, pl_packet *p,
                                           uint32_t n)
{
    if (__builtin_expect(pl_headroom(p) >= n, 1)) {
        pl_packet_push(p, n);
        return p;
    }
    return pl_grow(ctx, e, drop, p, n, 0, 0);
}

static inline pl_packet *pl_put(pl_ctx *ctx, pl_element *e, int drop, pl_packet *p, uint32_t n)
{
    if (__builtin_expect(pl_tailroom(p) >= n && !pl_packet_shared(p), 1)) {
        pl_packet_put(p, n);
        return p;
    }
    return pl_grow(ctx, e, drop, p, 0, n, 1);
}

static inline pl_packet *pl_writable(pl_ctx *ctx, pl_element *e, int drop, pl_packet *p)
{
    if (__builtin_expect(!pl_packet_shared(p), 1))
        return p;
    return pl_grow(ctx, e, drop, p, 0, 0, 1);
}

/* Pull a batch of at most `max` packets through pull input `port` of `e`
 * (counted on that edge); in per-packet mode, one packet. NULL: none now. */
static inline pl_packet *pl_input_pull(pl_ctx *ctx, pl_element *e, int port, uint32_t max)
{
    pl_edge *in = atomic_load_explicit(&e->in[port], memory_order_acquire);
    if (__builtin_expect(ctx->per_packet, 0))
        max = 1;
    pl_packet *b = in->pull(in->from, in->from_port, max, ctx);
    if (b) {
        PL_FUZZ_EMIT(b);
        uint64_t *s = ctx->port_stats + (size_t)in->stat * 4;
        uint32_t n = b->b_count;
        PL_STAT_ADD(s[0], n);
        PL_STAT_ADD(s[1], b->b_bytes);
        PL_STAT_ADD(s[2], 1);
        PL_STAT_ADD(ctx->hist[(size_t)in->stat * PL_HIST_BINS + (n > 256 ? 257 : n)], 1);
    }
    return b;
}

/* A port's processing from the class's Click processing code ("h/l",
 * "a/ah"): 'h' push, 'l' pull, 'a' agnostic (resolved per element by the
 * core: read pl_input_is_pull / pl_output_is_pull). */
char pl_port_mode(const pl_class *c, int output, int port);

/* Sources push through this: in per-packet mode it emits batches of one.
 * With the engine's timestamps on, it first stamps every packet of the batch
 * that has no first timestamp yet (pl_stamp_batch). */
void pl_output_source(pl_ctx *ctx, pl_element *e, int port, pl_packet *b);

/* Receive/generation timestamps (Engine(timestamps=True)): one clock read per
 * batch (the engine's wall clock, pl_engine_realtime_ns, the clock SetTimestamp
 * FIRST writes) stored in each packet's PL_ANNO_FIRST_TIMESTAMP slot, where
 * LatencyHistogram reads it. A source or receive path stamps in the loop that
 * makes its packets (the line is written there anyway: no extra pass):
 *
 *   uint64_t t = pl_stamp_now(ctx);          // 0 when timestamps are off
 *   ... per packet: if (t) pl_stamp(p, t);
 *
 * pl_output_source stamps a batch whose first packet has no stamp (a source
 * that does not stamp itself), in a pass of its own; packets already stamped
 * (RatedSource's due times, SetTimestamp FIRST upstream) keep theirs. */
#define PL_ANNO_FIRST_TIMESTAMP_SLOT 24   /* = PL_ANNO_FIRST_TIMESTAMP (anno.h) */
static inline void pl_stamp(pl_packet *p, uint64_t t)
{
    memcpy(p->anno + PL_ANNO_FIRST_TIMESTAMP_SLOT, &t, 8);
}
static inline uint64_t pl_stamp_of(const pl_packet *p)
{
    uint64_t t;
    memcpy(&t, p->anno + PL_ANNO_FIRST_TIMESTAMP_SLOT, 8);
    return t;
}
static inline void pl_stamp_batch_at(pl_packet *b, uint64_t t)
{
    for (pl_packet *p = b; p; p = p->next)
        if (!pl_stamp_of(p))
            pl_stamp(p, t);
}
void pl_stamp_batch(pl_ctx *ctx, pl_packet *b);
uint64_t pl_stamp_now(pl_ctx *ctx);
static inline int pl_timestamps_on(const pl_ctx *ctx) { return PL_LIVE(ctx->timestamps); }

/* Sum a counter of `e` over threads (control side). */
uint64_t pl_counter_total(pl_element *e, int counter);
/* Sum packets through output `port` of `e` over threads (control side). */
uint64_t pl_output_total(pl_element *e, int port, int field);

/* Worker threads of the engine (per-thread state is sized with it). */
int pl_element_nthreads(const pl_element *e);

/* A dry engine (pl_engine_opts.dry, `pktlab check`): configure checks the
 * arguments and returns before it acquires a device, a socket or an output
 * file, since nothing will run. */
int pl_element_dry(const pl_element *e);

/* Park every running worker at its next quiescent point (and wait for it),
 * then let them go: for changes the data path must not see half-done, such
 * as rebuilding a device queue. Control thread only. */
void pl_engine_park(struct pl_engine *eng);
void pl_engine_unpark(struct pl_engine *eng);

/* Control side: return once every worker that was inside its loop has
 * passed a quiescent point (no batch it started before the call is still in
 * the graph). Publish a new table with an atomic store, call this, then free
 * the old one. Never call it from a worker. */
void pl_engine_synchronize(struct pl_engine *eng);

/* A worker waiting inside an element (BLOCKING output) should give up: the
 * engine stops, or the control thread wants the workers parked. */
int pl_engine_waiting(struct pl_engine *eng);

/* Free a packet from the control thread (cleanup of a retired or stopped
 * element, e.g. packets still queued in it), counting it under `counter`
 * (a drop reason; -1: not counted) in thread 0's counters. Only for
 * elements no worker can reach any more. */
void pl_packet_free_ctl(pl_element *el, int counter, pl_packet *p);

/* Counters that Click keeps as statics shared by every element of a class
 * (ICMPError's IP ID): one per engine here, so that engines and tests do not
 * see each other's. Live change keeps them (the engine stays). */
enum { PL_SHARED_ICMP_ERROR_ID, PL_SHARED_NSLOTS };
_Atomic uint32_t *pl_engine_shared(struct pl_engine *eng, int slot);

/* Ask the engine to stop (Click's please_stop_driver: the runcount drops by
 * one; at zero a DriverManager may step, else the engine stops). */
void pl_engine_request_stop(struct pl_engine *eng);
/* Click's Router::adjust_runcount. */
void pl_engine_adjust_runcount(struct pl_engine *eng, int delta);

/* ---- tasks: scheduled, or asleep until something wakes them ----
 * A task that finds nothing to do and knows what will give it work (a
 * signal, a timer) sleeps; its worker blocks when every task it runs
 * sleeps, so an idle pull path costs nothing. */
void pl_task_wake(pl_element *e);               /* any thread */
static inline void pl_task_sleep(pl_element *e)  /* its own run_task only */
{
    atomic_store_explicit(&e->sched, 0, memory_order_seq_cst);
}
static inline int pl_task_scheduled(const pl_element *e)
{
    return atomic_load_explicit(&e->sched, memory_order_relaxed);
}

/* The engine's clock (CLOCK_MONOTONIC, or simulated time with
 * Engine(simtime=True)): what timers and rates read. */
uint64_t pl_engine_now_ns(struct pl_engine *eng);
/* Wall-clock time on the same clock (ns since the epoch), for timestamps. */
uint64_t pl_engine_realtime_ns(struct pl_engine *eng);
/* The worker running the caller, or -1 on a thread that is not a worker. */
int pl_current_tid(void);
/* The calling worker's context when it is one of eng's workers (a handler
 * written by a Script or a timer may then push packets), else NULL. */
pl_ctx *pl_current_ctx(struct pl_engine *eng);
/* An element's home worker: its task's, else the first that reaches it. */
int pl_element_home(const pl_element *e);
/* A handler call an element makes (Click's HandlerCall: COUNT_CALL, END_CALL):
 * "ELEMENT.HANDLER VALUE" or a global "HANDLER VALUE" (hcall.c). Set it when
 * configured, resolve it in initialize (every element exists then), write it
 * from anywhere after. A zeroed pl_hcall (text NULL) is unset. */
enum { PL_HCALL_UNSET = -3, PL_HCALL_UNRESOLVED = -2 };
typedef struct pl_hcall {
    char *text;                   /* ELEMENT.HANDLER */
    char *value;
    const char *handler;          /* into text, once resolved */
    int elem;                     /* element index, PL_ROOT_ELEMENT, or PL_HCALL_* */
} pl_hcall;
int pl_hcall_set(pl_hcall *h, pl_element *from, const char *text, pl_error *err);
int pl_hcall_resolve(pl_hcall *h, pl_element *from, const char *keyword, pl_error *err);
int pl_hcall_write(pl_hcall *h, pl_element *from);
/* The same call with another value (TimeFilter's END_CALL expands $t). */
int pl_hcall_write_value(pl_hcall *h, pl_element *from, const char *value);
void pl_hcall_free(pl_hcall *h);

/* A message given while configuring (Click's errh->message/warning, shown in
 * the element's "While configuring" context; an error is pl_seterr). */
enum { PL_MSG_INFO = 0, PL_MSG_WARNING = 1 };
void pl_message(pl_element *e, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void pl_write_all(int fd, const char *s, size_t n);
/* Append a line to the engine's bounded log (Print and friends). */
void pl_log(struct pl_engine *eng, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int pl_seterr(pl_error *err, int status, const pl_element *e, const char *keyword,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- class registration: a pointer in a dedicated section per class ---- */
#define PL_REGISTER_CLASS(c)                                                     \
    __attribute__((used, section("pl_classes"), aligned(sizeof(void *))))       \
    const pl_class *const pl_classreg_##c = &(c)

const pl_class *pl_class_lookup(const char *name);
int pl_class_id(const pl_class *c);
const pl_class *pl_class_at(int i);

/* Format helpers for handlers. */
int pl_fmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Call a handler as Click's HandlerCall: "elem.handler ARGS" relative to
 * ctx's compound, or a handler of ctx's own / a global one without a dot.
 * A read puts the result in buf. Returns 0 or a pl_status (err filled). */
int pl_handler_call(pl_element *ctx, const char *call, int write, char *buf, size_t len,
                    pl_error *err);
/* Resolve the name part (n bytes) of a call: *elem (-1: global) and the handler. */
int pl_handler_resolve(struct pl_engine *eng, pl_element *ctx, const char *name, size_t n,
                       int *elem, char *hname, size_t hlen, pl_error *err);
int pl_element_has_handler(pl_element *e, const char *name);
int pl_handler_mode(pl_element *e, const char *name);   /* bit 1 read, bit 2 write; -1 global */
int pl_global_handler_exists(const char *name);

/* Free p after the next grace period (a worker may still read it). */
void pl_garbage_add(struct pl_engine *eng, void *p);

/* A sink written as a push function (ToDump, ToDevice, ToDPDKDevice, ...)
 * after a Queue: in initialize, pl_sink_init gives it a task when its input
 * is pull (none when push); the class's run_task is pl_sink_run, which pulls
 * up to `burst` packets and hands them to its push function, sleeping while
 * the queues upstream are empty. */
int pl_sink_init(pl_element *e, uint32_t burst, pl_error *err);
uint32_t pl_sink_run(pl_element *e, pl_ctx *ctx);

/* Standard output of the engine (Script's print), beside the log (stderr);
 * pl_err writes raw text to the log (no newline added, any length). */
void pl_out(struct pl_engine *eng, const char *data, size_t len);
void pl_err(struct pl_engine *eng, const char *data, size_t len);

#include "timer.h"

#endif
