/* ToMemory: keeps copies of the packets it receives, for pl_element_drain. */
#include "../../core/element.h"

#include <stdlib.h>

/*
 * One ring per worker thread, so that each has one producer (that worker)
 * and one consumer (the control side, serialized by memio.c): lock-free, and
 * the producer publishes its head once per batch. A full ring drops the new
 * packets (overflow) and keeps the old ones.
 */
#define MAX_FRAME (PL_BUFSIZE - PL_HEADROOM)

typedef struct tm_ring {
    _Alignas(64) _Atomic uint64_t head;    /* written by the worker */
    uint64_t tail_cache;                   /* the worker's last view of tail */
    _Alignas(64) _Atomic uint64_t tail;    /* written by the control side */
    pl_pkt_meta *meta;
    uint8_t *data;                         /* capacity x snaplen */
} tm_ring;

typedef struct {
    uint64_t capacity;
    uint64_t snaplen;
    int nrings;
    tm_ring *rings;
} tm_state;

/* Both count packets freed here: stored ones are consumed, not lost. */
enum { C_STORED, C_OVERFLOW };
static const char *const counters[] = {"stored", "overflow", NULL};

static int tm_initialize(pl_element *e, pl_error *err)
{
    tm_state *s = PL_STATE(e, tm_state);
    uint64_t bytes = s->capacity * (s->snaplen ? s->snaplen : 1);
    if (bytes > PL_RING_BYTES_MAX)
        return pl_seterr(err, PL_ERR_CONFIG, e, "CAPACITY",
                         "CAPACITY %llu x SNAPLEN %llu is %llu MiB per thread; at most %llu MiB",
                         (unsigned long long)s->capacity, (unsigned long long)s->snaplen,
                         (unsigned long long)(bytes >> 20), PL_RING_BYTES_MAX >> 20);
    s->nrings = pl_element_nthreads(e);
    s->rings = aligned_alloc(64, sizeof(tm_ring) * (size_t)s->nrings);
    if (!s->rings)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    memset(s->rings, 0, sizeof(tm_ring) * (size_t)s->nrings);
    for (int t = 0; t < s->nrings; t++) {
        tm_ring *r = &s->rings[t];
        r->meta = calloc(s->capacity, sizeof *r->meta);
        r->data = malloc(s->capacity * (s->snaplen ? s->snaplen : 1));
        if (!r->meta || !r->data)
            return pl_seterr(err, PL_ERR_NOMEM, e, "CAPACITY",
                             "out of memory for %llu packets of %llu bytes",
                             (unsigned long long)s->capacity, (unsigned long long)s->snaplen);
    }
    return 0;
}

static void tm_cleanup(pl_element *e)
{
    tm_state *s = PL_STATE(e, tm_state);
    for (int t = 0; s->rings && t < s->nrings; t++) {
        free(s->rings[t].meta);
        free(s->rings[t].data);
    }
    free(s->rings);
    s->rings = NULL;
}

static void tm_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    tm_state *s = PL_STATE(e, tm_state);
    tm_ring *r = &s->rings[ctx->tid];
    uint64_t cap = s->capacity, snap = s->snaplen;
    uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    uint32_t stored = 0;
    PL_BATCH_FOREACH(p, b) {
        if (head - r->tail_cache >= cap) {
            r->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
            if (head - r->tail_cache >= cap)
                break;
        }
        uint64_t slot = head % cap;
        pl_pkt_meta *m = &r->meta[slot];
        m->orig_len = p->len;
        m->len = p->len < snap ? p->len : (uint32_t)snap;
        m->dst_ip = p->dst_ip;
        m->paint = p->paint;
        m->thread = (uint8_t)ctx->tid;
        m->timestamp = p->timestamp;
        memcpy(m->anno, p->anno, sizeof m->anno);
        memcpy(r->data + slot * snap, p->data, m->len);
        head++;
        stored++;
    }
    atomic_store_explicit(&r->head, head, memory_order_release);
    pl_count(ctx, e, C_STORED, stored);
    if (b->b_count > stored)
        pl_count(ctx, e, C_OVERFLOW, b->b_count - stored);
    pl_batch_free(ctx->pool, b);
}

static int tm_drain(pl_element *e, uint8_t *data, size_t cap, pl_pkt_meta *meta, uint32_t maxn,
                    uint32_t *got, pl_error *err)
{
    (void)err;
    tm_state *s = PL_STATE(e, tm_state);
    size_t used = 0;
    for (int t = 0; t < s->nrings; t++) {
        tm_ring *r = &s->rings[t];
        uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
        uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
        for (; tail < head && *got < maxn; tail++) {
            uint64_t slot = tail % s->capacity;
            const pl_pkt_meta *m = &r->meta[slot];
            if (used + m->len > cap)
                break;
            memcpy(data + used, r->data + slot * s->snaplen, m->len);
            meta[(*got)++] = *m;
            used += m->len;
        }
        atomic_store_explicit(&r->tail, tail, memory_order_release);
        if (*got == maxn || tail < head)
            break;
    }
    return 0;
}

static uint64_t pending(pl_element *e)
{
    tm_state *s = PL_STATE(e, tm_state);
    uint64_t n = 0;
    for (int t = 0; s->rings && t < s->nrings; t++)
        n += atomic_load(&s->rings[t].head) - atomic_load(&s->rings[t].tail);
    return n;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_STORED));
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_OVERFLOW));
}

static int read_pending(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pending(e));
}

static const pl_param params[] = {
    {"CAPACITY", PL_T_UINT, offsetof(tm_state, capacity), "1024", 1, 1 << 24, PL_P_POSITIONAL,
     "packets kept until drained (per worker thread)"},
    {"SNAPLEN", PL_T_UINT, offsetof(tm_state, snaplen), "1920", 0, MAX_FRAME, 0,
     "bytes kept of each packet"},
    {0}};

static const pl_handler handlers[] = {
    {"count", "packets stored so far (drained or not)", read_count, NULL},
    {"drops", "packets dropped because the ring was full", read_drops, NULL},
    {"pending", "packets stored and not yet drained", read_pending, NULL},
    {0}};

static const pl_class to_memory = {
    .name = "ToMemory",
    .ports = "1/0",
    .processing = "a/a",
    .doc = "ToMemory([CAPACITY, SNAPLEN])\n"
           "Keeps copies of packets for Python.\n\n"
           "Copies the first SNAPLEN bytes of every packet, with its length and\n"
           "annotations (paint, destination IP, timestamp, the generic bytes), into a\n"
           "ring of CAPACITY packets, then frees the packet. Engine.drain\n"
           "(pl_element_drain) empties the ring, also while the engine runs. When\n"
           "the ring is full new packets are dropped. Each worker thread has its own\n"
           "ring (lock-free: one producer, one consumer), so CAPACITY is per thread.\n"
           "Counters (both drop reasons: every packet ends here): stored, overflow.\n\n"
           "Example: FromMemory(STOP true) -> EtherMirror -> out :: ToMemory(4096);",
    .state_size = sizeof(tm_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 2,
    .initialize = tm_initialize,
    .cleanup = tm_cleanup,
    .push = tm_push,
    .drain = tm_drain,
};
PL_REGISTER_CLASS(to_memory);
