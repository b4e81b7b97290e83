/* FrontDropQueue: a queue that drops its oldest packet when full (Click's). */
#include "../../core/args.h"
#include "queue.h"

#include <stdio.h>
#include <stdlib.h>

/* Both ends move on a push (a full queue drops its head), so one lock
 * guards the ring; it is taken once per batch on each side. */
typedef struct {
    uint64_t capacity;
    pl_packet **slot;
    uint64_t nslots, head, tail;  /* head: oldest; tail: next free (counters) */
    atomic_flag lock;
    pl_notifier empty;
    unsigned sleepiness;
    uint64_t highwater, drops_base;
    _Atomic int warned;
} fdq_state;

enum { C_DROPS, C_CAPACITY_DROPS, C_RESET, C_OVERFLOW_OUT };
static const char *const counters[] = {"drops", "capacity_drops", "reset", "overflow_out", NULL};

static uint64_t all_drops(pl_element *e)
{
    return pl_counter_total(e, C_DROPS) + pl_counter_total(e, C_OVERFLOW_OUT);
}

static void lock(fdq_state *s)
{
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire))
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#else
        ;
#endif
}

static void unlock(fdq_state *s) { atomic_flag_clear_explicit(&s->lock, memory_order_release); }

static int fdq_initialize(pl_element *e, pl_error *err)
{
    fdq_state *s = PL_STATE(e, fdq_state);
    s->nslots = s->capacity ? s->capacity : 1;
    s->slot = calloc(s->nslots, sizeof *s->slot);
    if (!s->slot)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    atomic_flag_clear(&s->lock);
    pl_notifier_init(&s->empty, 0);
    return pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->empty, 0, err);
}

static void fdq_cleanup(pl_element *e)
{
    fdq_state *s = PL_STATE(e, fdq_state);
    for (uint64_t k = s->head; s->slot && k != s->tail; k++)
        pl_packet_free_ctl(e, C_DROPS, s->slot[k % s->nslots]);
    free(s->slot);
    s->slot = NULL;
}

static void fdq_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    fdq_state *s = PL_STATE(e, fdq_state);
    pl_packet *dropped = NULL;
    lock(s);
    uint64_t cap = s->capacity;
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        if (!cap) {
            pl_batch_append(&dropped, p);
            continue;
        }
        if (s->tail - s->head >= cap)
            pl_batch_append(&dropped, s->slot[s->head++ % s->nslots]);
        s->slot[s->tail++ % s->nslots] = p;
    }
    uint64_t len = s->tail - s->head;
    if (len > s->highwater)
        __atomic_store_n(&s->highwater, len, __ATOMIC_RELAXED);
    unlock(s);
    if (len)
        pl_notifier_wake(&s->empty);
    if (!dropped)
        return;
    if (cap)
        pl_queue_overflow(e, &s->warned);
    if (e->noutputs > 1) {
        pl_count(ctx, e, C_OVERFLOW_OUT, dropped->b_count);
        pl_output(ctx, e, 1, dropped);
    } else
        pl_drop_batch(ctx, e, C_DROPS, dropped);
}

static pl_packet *fdq_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    fdq_state *s = PL_STATE(e, fdq_state);
    pl_packet *b = NULL;
    lock(s);
    while (s->head != s->tail && pl_batch_count(b) < max)
        pl_batch_append(&b, s->slot[s->head++ % s->nslots]);
    uint64_t left = s->tail - s->head;
    unlock(s);
    if (b) {
        s->sleepiness = 0;
        return b;
    }
    if (s->sleepiness >= 9) {
        pl_notifier_sleep(&s->empty);
        lock(s);
        left = s->tail - s->head;
        unlock(s);
        if (left)
            pl_notifier_wake(&s->empty);
    } else
        s->sleepiness++;
    return NULL;
}

static uint64_t fdq_length(pl_element *e)
{
    fdq_state *s = PL_STATE(e, fdq_state);
    lock(s);
    uint64_t n = s->tail - s->head;
    unlock(s);
    return n;
}

/* Live change: the old queue's packets, newest kept when they do not fit. */
static void fdq_take_state(pl_element *e, pl_element *old)
{
    fdq_state *s = PL_STATE(e, fdq_state), *o = PL_STATE(old, fdq_state);
    lock(o);
    while (o->tail - o->head > s->capacity)
        pl_packet_free_ctl(old, C_CAPACITY_DROPS, o->slot[o->head++ % o->nslots]);
    while (o->head != o->tail)
        s->slot[s->tail++ % s->nslots] = o->slot[o->head++ % o->nslots];
    unlock(o);
    s->highwater = s->tail - s->head;
    if (s->tail != s->head)
        pl_notifier_wake(&s->empty);
}

static int read_length(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)fdq_length(e));
}

static int read_highwater(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)__atomic_load_n(&PL_STATE(e, fdq_state)->highwater,
                                                      __ATOMIC_RELAXED));
}

static int read_capacity(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)__atomic_load_n(&PL_STATE(e, fdq_state)->capacity,
                                                      __ATOMIC_RELAXED));
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    uint64_t base = __atomic_load_n(&PL_STATE(e, fdq_state)->drops_base, __ATOMIC_RELAXED);
    return pl_fmt(buf, len, "%llu", (unsigned long long)(all_drops(e) - base));
}

/* Click's FrontDropQueue::live_reconfigure: the newest packets stay. */
static int write_capacity(pl_element *e, const char *v, pl_error *err)
{
    fdq_state *s = PL_STATE(e, fdq_state);
    uint64_t cap;
    if (pl_parse_uint(v, &cap) || cap > (1u << 24))
        return pl_seterr(err, PL_ERR_HANDLER, e, "capacity",
                         "capacity: expected an unsigned integer up to 16777216, got '%s'", v);
    pl_packet **ns = calloc(cap ? cap : 1, sizeof *ns);
    if (!ns)
        return pl_seterr(err, PL_ERR_NOMEM, e, "capacity", "out of memory");
    pl_engine_park(e->eng);
    lock(s);
    while (s->tail - s->head > cap)
        pl_packet_free_ctl(e, C_CAPACITY_DROPS, s->slot[s->head++ % s->nslots]);
    uint64_t n = 0;
    while (s->head != s->tail)
        ns[n++] = s->slot[s->head++ % s->nslots];
    free(s->slot);
    s->slot = ns;
    s->nslots = cap ? cap : 1;
    s->head = 0;
    s->tail = n;
    __atomic_store_n(&s->capacity, cap, __ATOMIC_RELAXED);
    unlock(s);
    pl_engine_unpark(e->eng);
    return 0;
}

static int write_reset_counts(pl_element *e, const char *v, pl_error *err)
{
    fdq_state *s = PL_STATE(e, fdq_state);
    __atomic_store_n(&s->drops_base, all_drops(e), __ATOMIC_RELAXED);
    __atomic_store_n(&s->highwater, fdq_length(e), __ATOMIC_RELAXED);
    return 0;
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    fdq_state *s = PL_STATE(e, fdq_state);
    pl_engine_park(e->eng);
    lock(s);
    while (s->head != s->tail)
        pl_packet_free_ctl(e, C_RESET, s->slot[s->head++ % s->nslots]);
    unlock(s);
    pl_engine_unpark(e->eng);
    return 0;
}

static const pl_param params[] = {
    {"CAPACITY", PL_T_UINT, offsetof(fdq_state, capacity), "1000", 0, 1 << 24,
     PL_P_POSITIONAL | PL_P_LIVE, "packets it holds"},
    {0}};

static const pl_handler handlers[] = {
    {"length", "packets queued", read_length, NULL},
    {"highwater_length", "most packets queued at once since the last reset_counts",
     read_highwater, NULL},
    {"capacity", "packets it holds; written live, a smaller capacity drops the oldest",
     read_capacity, write_capacity},
    {"drops", "packets dropped (the oldest, when full)", read_drops, NULL},
    {"reset_counts", "reset drops and highwater_length", NULL, write_reset_counts},
    {"reset", "drop every queued packet", NULL, write_reset},
    {0}};

static const pl_class front_drop_queue = {
    .name = "FrontDropQueue",
    .ports = "1/1-2",
    .processing = "h/lh",
    .doc = "FrontDropQueue([CAPACITY])\n"
           "Stores packets in a FIFO queue that drops from the front.\n\n"
           "As Queue, but when a packet arrives at a full queue the oldest packet (the\n"
           "head) is dropped to make room: the queue always holds the newest CAPACITY\n"
           "packets. Dropped packets leave on output 1 if it is connected. One lock\n"
           "guards both ends (taken once per batch), so any threads may push and pull.\n"
           "Empty notifier: what pulls from it sleeps while it is empty.\n"
           PL_QUEUE_DOC_HANDLERS "\n\n"
           "Example: src -> FrontDropQueue(64) -> Unqueue -> sink;",
    .state_size = sizeof(fdq_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 3,
    .initialize = fdq_initialize,
    .cleanup = fdq_cleanup,
    .push = fdq_push,
    .pull = fdq_pull,
    .take_state = fdq_take_state,
    .traits = PL_C_BOUNDARY,
    .sources = PL_S_NONE,
    .storage_length = fdq_length,
};
PL_REGISTER_CLASS(front_drop_queue);
