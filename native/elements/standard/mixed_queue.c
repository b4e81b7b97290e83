/* MixedQueue: FIFO for packets on input 0, LIFO for packets on input 1 (Click's). */
#include "queue.h"

#include <stdlib.h>

/* One lock guards the ring (both ends move on a push to input 1). */
typedef struct {
    uint64_t capacity;
    pl_packet **slot;
    uint64_t nslots, head, count;  /* head: the next packet pulled, an index */
    atomic_flag lock;
    pl_notifier empty;
    unsigned sleepiness;
    uint64_t highwater, drops_base;
    _Atomic int warned;
} mq_state;

enum { C_DROPS, C_RESET, C_OVERFLOW_OUT };
static const char *const counters[] = {"drops", "reset", "overflow_out", NULL};

static void lock(mq_state *s)
{
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire))
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#else
        ;
#endif
}

static void unlock(mq_state *s) { atomic_flag_clear_explicit(&s->lock, memory_order_release); }

static int mq_initialize(pl_element *e, pl_error *err)
{
    mq_state *s = PL_STATE(e, mq_state);
    s->nslots = s->capacity ? s->capacity : 1;
    s->slot = calloc(s->nslots, sizeof *s->slot);
    if (!s->slot)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    atomic_flag_clear(&s->lock);
    pl_notifier_init(&s->empty, 0);
    return pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->empty, 0, err);
}

static void mq_cleanup(pl_element *e)
{
    mq_state *s = PL_STATE(e, mq_state);
    for (uint64_t i = 0; s->slot && i < s->count; i++)
        pl_packet_free_ctl(e, C_DROPS, s->slot[(s->head + i) % s->nslots]);
    free(s->slot);
    s->slot = NULL;
}

static void mq_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    mq_state *s = PL_STATE(e, mq_state);
    pl_packet *dropped = NULL;
    lock(s);
    uint64_t cap = s->capacity;
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        if (port == 0) {                      /* FIFO: a full queue drops the new packet */
            if (s->count >= cap) {
                pl_batch_append(&dropped, p);
                continue;
            }
            s->slot[(s->head + s->count++) % s->nslots] = p;
        } else {                              /* LIFO: a full queue drops its last packet */
            if (!cap) {
                pl_batch_append(&dropped, p);
                continue;
            }
            if (s->count >= cap)
                pl_batch_append(&dropped, s->slot[(s->head + --s->count) % s->nslots]);
            s->head = (s->head + s->nslots - 1) % s->nslots;
            s->slot[s->head] = p;
            s->count++;
        }
    }
    uint64_t len = s->count;
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

static pl_packet *mq_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    (void)port, (void)ctx;
    mq_state *s = PL_STATE(e, mq_state);
    pl_packet *b = NULL;
    lock(s);
    while (s->count && pl_batch_count(b) < max) {
        pl_batch_append(&b, s->slot[s->head]);
        s->head = (s->head + 1) % s->nslots;
        s->count--;
    }
    unlock(s);
    if (b) {
        s->sleepiness = 0;
        return b;
    }
    if (s->sleepiness >= 9) {
        pl_notifier_sleep(&s->empty);
        lock(s);
        uint64_t left = s->count;
        unlock(s);
        if (left)
            pl_notifier_wake(&s->empty);
    } else
        s->sleepiness++;
    return NULL;
}

static uint64_t mq_length(pl_element *e)
{
    mq_state *s = PL_STATE(e, mq_state);
    lock(s);
    uint64_t n = s->count;
    unlock(s);
    return n;
}

static int read_length(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)mq_length(e));
}

static int read_highwater(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)__atomic_load_n(&PL_STATE(e, mq_state)->highwater,
                                                      __ATOMIC_RELAXED));
}

static int read_capacity(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)PL_STATE(e, mq_state)->capacity);
}

static uint64_t all_drops(pl_element *e)
{
    return pl_counter_total(e, C_DROPS) + pl_counter_total(e, C_OVERFLOW_OUT);
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    uint64_t base = __atomic_load_n(&PL_STATE(e, mq_state)->drops_base, __ATOMIC_RELAXED);
    return pl_fmt(buf, len, "%llu", (unsigned long long)(all_drops(e) - base));
}

static int write_reset_counts(pl_element *e, const char *v, pl_error *err)
{
    mq_state *s = PL_STATE(e, mq_state);
    __atomic_store_n(&s->drops_base, all_drops(e), __ATOMIC_RELAXED);
    __atomic_store_n(&s->highwater, mq_length(e), __ATOMIC_RELAXED);
    return 0;
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    mq_state *s = PL_STATE(e, mq_state);
    pl_engine_park(e->eng);
    lock(s);
    while (s->count) {
        pl_packet_free_ctl(e, C_RESET, s->slot[s->head]);
        s->head = (s->head + 1) % s->nslots;
        s->count--;
    }
    unlock(s);
    pl_engine_unpark(e->eng);
    return 0;
}

static const pl_param params[] = {
    {"CAPACITY", PL_T_UINT, offsetof(mq_state, capacity), "1000", 0, 1 << 24, PL_P_POSITIONAL,
     "packets it holds"},
    {0}};

static const pl_handler handlers[] = {
    {"length", "packets queued", read_length, NULL, 0},
    {"highwater_length", "most packets queued at once since the last reset_counts",
     read_highwater, NULL, 0},
    {"capacity", "packets it holds", read_capacity, NULL, 0},
    {"drops", "packets dropped", read_drops, NULL, 0},
    {"reset_counts", "reset drops and highwater_length", NULL, write_reset_counts, 0},
    {"reset", "drop every queued packet", NULL, write_reset, 0},
    {0}};

static const pl_class mixed_queue = {
    .name = "MixedQueue",
    .ports = "2/1-2",
    .processing = "h/lh",
    .doc = "MixedQueue([CAPACITY])\n"
           "Stores packets in a FIFO/LIFO queue.\n\n"
           "Packets pushed on input 0 join the back of the queue (a full queue drops\n"
           "them); packets pushed on input 1 go to its front, to be pulled next (a full\n"
           "queue drops its last packet to make room), as Click's MixedQueue. Dropped\n"
           "packets leave on output 1 if it is connected; the first drop logs\n"
           "\"NAME :: MixedQueue: overflow\". One lock guards the ring. Empty notifier:\n"
           "what pulls from it sleeps while it is empty.\n"
           "Handlers: length, highwater_length, capacity, drops, reset_counts, reset.\n"
           "Counters: drops, reset (drop reasons), overflow_out.\n\n"
           "Example: a -> [0] m :: MixedQueue(100); urgent -> [1] m; m -> Unqueue -> sink;",
    .state_size = sizeof(mq_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 2,
    .initialize = mq_initialize,
    .cleanup = mq_cleanup,
    .push = mq_push,
    .pull = mq_pull,
    .traits = PL_C_BOUNDARY,
    .sources = PL_S_NONE,
    .storage_length = mq_length,
};
PL_REGISTER_CLASS(mixed_queue);
