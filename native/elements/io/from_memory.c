/* FromMemory: pushes packets fed from the control side (pl_element_feed). */
#include "../../core/element.h"

#include <stdlib.h>

/*
 * The queue is an append-only list of chunks holding records [u32 len][bytes],
 * padded to 8 bytes: one producer (the control thread, serialized by memio.c)
 * and one consumer (this task). The producer writes a record, then publishes
 * the chunk's `used` (release); it links a new chunk only after its last
 * record in the old one is published, so the consumer never misses one. The
 * producer frees the chunks the consumer has left (seq < rd_seq); with LOOP
 * nothing is freed and the consumer wraps to the first chunk.
 */
#define CHUNK_BYTES (1u << 20)

typedef struct fm_chunk {
    _Atomic(struct fm_chunk *) next;
    uint64_t seq;
    size_t cap;
    _Atomic size_t used;
    _Alignas(8) uint8_t data[];
} fm_chunk;

typedef struct {
    uint64_t burst;
    int64_t limit;
    uint8_t stop, loop, active;
    /* producer side */
    fm_chunk *first, *tail;
    uint64_t next_seq;
    _Atomic uint64_t fed;
    /* consumer side */
    fm_chunk *cur;
    size_t off;
    _Atomic uint64_t rd_seq;      /* the chunk the consumer reads; older ones are free to go */
} fm_state;

enum { C_SENT, C_NOBUFS };
static const char *const counters[] = {"sent", "nobufs", NULL};

static fm_chunk *chunk_new(fm_state *s, size_t need)
{
    size_t cap = need > CHUNK_BYTES ? need : CHUNK_BYTES;
    fm_chunk *c = malloc(sizeof *c + cap);
    if (!c)
        return NULL;
    atomic_init(&c->next, NULL);
    atomic_init(&c->used, 0);
    c->seq = s->next_seq++;
    c->cap = cap;
    return c;
}

static int fm_configure(pl_element *e, pl_error *err)
{
    fm_state *s = PL_STATE(e, fm_state);
    s->first = s->tail = s->cur = chunk_new(s, 0);
    if (!s->first)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    return 0;
}

static void fm_cleanup(pl_element *e)
{
    fm_state *s = PL_STATE(e, fm_state);
    for (fm_chunk *c = s->first, *nx; c; c = nx) {
        nx = atomic_load_explicit(&c->next, memory_order_relaxed);
        free(c);
    }
    s->first = s->tail = s->cur = NULL;
}

static size_t rec_size(uint32_t len) { return (4 + (size_t)len + 7) & ~(size_t)7; }

static int fm_feed(pl_element *e, const uint8_t *data, const uint32_t *lens, uint32_t n,
                   uint32_t *accepted, pl_error *err)
{
    fm_state *s = PL_STATE(e, fm_state);
    if (!s->loop) {
        uint64_t rd = atomic_load_explicit(&s->rd_seq, memory_order_acquire);
        while (s->first != s->tail && s->first->seq < rd) {
            fm_chunk *c = s->first;
            s->first = atomic_load_explicit(&c->next, memory_order_relaxed);
            free(c);
        }
    }
    for (uint32_t i = 0; i < n; i++)
        if (lens[i] > PL_MAX_LEN)
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "packet %u is %u bytes; at most %d fit",
                             i, lens[i], PL_MAX_LEN);
    fm_chunk *t = s->tail;
    size_t used = atomic_load_explicit(&t->used, memory_order_relaxed);
    for (uint32_t i = 0; i < n; i++) {
        size_t sz = rec_size(lens[i]);
        if (used + sz > t->cap) {
            atomic_store_explicit(&t->used, used, memory_order_release);
            fm_chunk *c = chunk_new(s, sz);
            if (!c)
                return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory after %u packets", i);
            atomic_store_explicit(&t->next, c, memory_order_release);
            s->tail = t = c;
            used = 0;
        }
        memcpy(t->data + used, &lens[i], 4);
        memcpy(t->data + used + 4, data, lens[i]);
        data += lens[i];
        used += sz;
        atomic_store_explicit(&t->used, used, memory_order_release);
        atomic_store_explicit(&s->fed, atomic_load(&s->fed) + 1, memory_order_relaxed);
        *accepted = i + 1;
    }
    pl_task_wake(e);
    return 0;
}

/* The next record, or NULL when the queue is (for now) empty. */
static const uint8_t *next_record(fm_state *s)
{
    for (;;) {
        fm_chunk *c = s->cur;
        if (s->off < atomic_load_explicit(&c->used, memory_order_acquire))
            return c->data + s->off;
        fm_chunk *nx = atomic_load_explicit(&c->next, memory_order_acquire);
        if (nx) {
            if (s->off < atomic_load_explicit(&c->used, memory_order_acquire))
                continue;        /* the producer published more before linking */
            s->cur = nx;
            s->off = 0;
            atomic_store_explicit(&s->rd_seq, nx->seq, memory_order_release);
            continue;
        }
        return NULL;
    }
}

static uint32_t fm_run(pl_element *e, pl_ctx *ctx)
{
    fm_state *s = PL_STATE(e, fm_state);
    if (!PL_LIVE(s->active)) {
        pl_task_sleep(e);            /* writing active wakes it */
        return 0;
    }
    uint64_t n = PL_LIVE(s->burst);
    int64_t limit = PL_LIVE(s->limit);
    uint64_t sent = pl_counter_total(e, C_SENT);
    if (limit >= 0) {
        uint64_t left = sent < (uint64_t)limit ? (uint64_t)limit - sent : 0;
        if (n > left)
            n = left;
    }
    pl_packet *b = NULL;
    uint64_t first = pl_stamp_now(ctx);
    int progress = 1;             /* LOOP: wrap only after sending something */
    while (n) {
        const uint8_t *r = next_record(s);
        if (!r) {
            if (!s->loop || !progress)
                break;
            s->cur = s->first;    /* never freed with LOOP */
            s->off = 0;
            progress = 0;
            continue;
        }
        uint32_t len;
        memcpy(&len, r, 4);
        pl_packet *p = pl_packet_alloc_len(ctx->pool, len);
        if (!p) {
            pl_count(ctx, e, C_NOBUFS, 1);
            break;
        }
        memcpy(p->data, r + 4, len);
        p->mac_off = PL_HEADROOM;
        memset(p->anno, 0, sizeof p->anno);      /* the pool leaves them as they were */
        if (first)
            pl_stamp(p, first);
        s->off += rec_size(len);
        pl_batch_append(&b, p);
        progress = 1;
        n--;
    }
    if (!b) {
        int finished = (limit >= 0 && sent >= (uint64_t)limit) || (!s->loop && !next_record(s));
        if (s->stop && finished) {
            pl_engine_request_stop(e->eng);
            atomic_store_explicit(&e->task_done, 1, memory_order_relaxed);
        } else if (finished || !PL_LIVE(s->active)) {
            /* Nothing to send until fed (or reset, or activated): sleep. */
            pl_task_sleep(e);
            if (PL_LIVE(s->active) && next_record(s) && (limit < 0 || sent < (uint64_t)limit))
                pl_task_wake(e);
        }
        return 0;
    }
    uint32_t got = b->b_count;
    pl_count(ctx, e, C_SENT, got);
    pl_output_source(ctx, e, 0, b);
    return got;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_SENT));
}

static int read_fed(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)atomic_load(&PL_STATE(e, fm_state)->fed));
}

static const pl_param params[] = {
    {"BURST", PL_T_UINT, offsetof(fm_state, burst), "32", 1, 4096, PL_P_POSITIONAL | PL_P_LIVE,
     "packets per batch, at most"},
    {"STOP", PL_T_BOOL, offsetof(fm_state, stop), "false", 0, -1, 0,
     "stop the engine once the queue is empty (or LIMIT is reached)"},
    {"LOOP", PL_T_BOOL, offsetof(fm_state, loop), "false", 0, -1, 0,
     "replay the queued packets forever instead of consuming them"},
    {"LIMIT", PL_T_INT, offsetof(fm_state, limit), "-1", -1, 9.2e18, PL_P_LIVE,
     "packets to send in all, -1 for no limit"},
    {"ACTIVE", PL_T_BOOL, offsetof(fm_state, active), "true", 0, -1, PL_P_LIVE,
     "whether the source sends"},
    {0}};

static const pl_handler handlers[] = {
    {"count", "packets sent", read_count, NULL},
    {"fed", "packets fed (queued) so far", read_fed, NULL},
    {0}};

static const pl_class from_memory = {
    .name = "FromMemory",
    .ports = "0/1",
    .processing = "a/h",
    .doc = "FromMemory([BURST, KEYWORDS])\n"
           "Pushes packets fed from Python.\n\n"
           "Packets given to Engine.feed (pl_element_feed) are queued in the element,\n"
           "in order; each time its task runs it copies up to BURST of them into pool\n"
           "buffers and pushes them as one batch. Feeding is safe while the engine\n"
           "runs: the queue is a lock-free single-producer/single-consumer list of\n"
           "1 MiB chunks that grows as needed. With LOOP the queue is replayed forever\n"
           "(packets fed later join the loop). With STOP the engine stops once the\n"
           "queue is empty, or LIMIT packets were sent.\n"
           "Counters: sent, nobufs (runs that found the pool empty; nothing is lost).\n\n"
           "Example: src :: FromMemory(STOP true) -> Classifier(12/0800, -) -> ...",
    .state_size = sizeof(fm_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .configure = fm_configure,
    .cleanup = fm_cleanup,
    .run_task = fm_run,
    .feed = fm_feed,
};
PL_REGISTER_CLASS(from_memory);
