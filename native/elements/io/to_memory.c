/* ToMemory: keeps copies of the packets it receives, for pl_element_drain. */
#include "../../lib/pktring.h"

/*
 * One ring per worker thread (lib/pktring.h), so that each has one producer
 * (that worker) and one consumer (the control side, serialized by memio.c):
 * lock-free. A full ring drops the new packets (overflow) and keeps the old.
 */
typedef struct {
    uint64_t capacity;
    uint64_t snaplen;
    uint64_t bytes;
    pl_pktrings rings;
} tm_state;

/* Both count packets freed here: stored ones are consumed, not lost. */
enum { C_STORED, C_OVERFLOW };
static const char *const counters[] = {"stored", "overflow", NULL};

static int tm_initialize(pl_element *e, pl_error *err)
{
    tm_state *s = PL_STATE(e, tm_state);
    /* The fuzzer's build caps this lower (PL_RING_BYTES_MAX): a CAPACITY of
     * 2^40 must be a configuration error, not an attempt to allocate it. */
    uint64_t bytes = pl_pktrings_bytes(s->capacity, s->snaplen, s->bytes);
    if (bytes > PL_RING_BYTES_MAX || s->capacity > PL_RING_BYTES_MAX / 64)
        return pl_seterr(err, PL_ERR_CONFIG, e, "CAPACITY",
                         "CAPACITY %llu needs more than %llu MiB per thread",
                         (unsigned long long)s->capacity, PL_RING_BYTES_MAX >> 20);
    if (pl_pktrings_init(&s->rings, pl_element_nthreads(e), s->capacity, s->snaplen, s->bytes))
        return pl_seterr(err, PL_ERR_NOMEM, e, "CAPACITY",
                         "out of memory for %llu packets (%llu bytes)",
                         (unsigned long long)s->capacity, (unsigned long long)s->rings.bytes);
    return pl_sink_init(e, 32, err);
}

static void tm_cleanup(pl_element *e) { pl_pktrings_free(&PL_STATE(e, tm_state)->rings); }

static void tm_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    tm_state *s = PL_STATE(e, tm_state);
    uint64_t phase = 0;
    uint32_t missed;
    uint32_t stored = pl_pktring_put(&s->rings, ctx->tid, b, 1, &phase, &missed);
    pl_count(ctx, e, C_STORED, stored);
    if (missed)
        pl_count(ctx, e, C_OVERFLOW, missed);
    pl_batch_free(ctx->pool, b);
}

static int tm_drain(pl_element *e, uint8_t *data, size_t cap, pl_pkt_meta *meta, uint32_t maxn,
                    uint32_t *got, pl_error *err)
{
    (void)err;
    return pl_pktrings_drain(&PL_STATE(e, tm_state)->rings, data, cap, meta, maxn, got);
}

static uint64_t pending(pl_element *e)
{
    return pl_pktrings_pending(&PL_STATE(e, tm_state)->rings);
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
    {"SNAPLEN", PL_T_UINT, offsetof(tm_state, snaplen), PL_MAX_LEN_TEXT, 0, PL_MAX_LEN, 0,
     "bytes kept of each packet (default: all of it)"},
    {"BYTES", PL_T_UINT, offsetof(tm_state, bytes), "0", 0, 1ull << 40, 0,
     "packet bytes kept until drained, per worker thread (0: CAPACITY x 2 KB, and at "
     "least two packets of SNAPLEN)"},
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
    .doc = "ToMemory([CAPACITY, SNAPLEN, BYTES])\n"
           "Keeps copies of packets for Python.\n\n"
           "Copies the first SNAPLEN bytes of every packet (all of it by default: up to\n"
           "64 KB and more), with its length and annotations (paint, destination IP,\n"
           "timestamp, the generic bytes), into a ring of CAPACITY packets and BYTES\n"
           "bytes, then frees the packet. Engine.drain\n"
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
    .run_task = pl_sink_run,
    .drain = tm_drain,
};
PL_REGISTER_CLASS(to_memory);
