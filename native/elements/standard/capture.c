/* Capture: a tap that samples passing packets into rings Python reads. */
#include "../../core/element.h"
#include "../../lib/pktring.h"

#include <stdlib.h>

typedef struct {
    uint64_t capacity, snaplen, sample;
    uint8_t active;
    pl_pktrings rings;
    uint64_t *phase;              /* per thread: packets seen while active */
} cap_state;

enum { C_CAPTURED, C_MISSED };
static const char *const counters[] = {"captured", "missed", NULL};

static int cap_initialize(pl_element *e, pl_error *err)
{
    cap_state *s = PL_STATE(e, cap_state);
    uint64_t bytes = pl_pktrings_bytes(s->capacity, s->snaplen, 0);
    if (bytes > PL_RING_BYTES_MAX || s->capacity > PL_RING_BYTES_MAX / 64)
        return pl_seterr(err, PL_ERR_CONFIG, e, "CAPACITY",
                         "CAPACITY %llu (SNAPLEN %llu) needs more than %llu MiB per thread",
                         (unsigned long long)s->capacity, (unsigned long long)s->snaplen,
                         PL_RING_BYTES_MAX >> 20);
    int n = pl_element_nthreads(e);
    s->phase = calloc((size_t)n * 8, sizeof *s->phase);   /* a cache line per thread */
    if (!s->phase || pl_pktrings_init(&s->rings, n, s->capacity, s->snaplen, 0))
        return pl_seterr(err, PL_ERR_NOMEM, e, "CAPACITY", "out of memory for %llu packets",
                         (unsigned long long)s->capacity);
    return 0;
}

static void cap_cleanup(pl_element *e)
{
    cap_state *s = PL_STATE(e, cap_state);
    pl_pktrings_free(&s->rings);
    free(s->phase);
    s->phase = NULL;
}

static void cap_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    cap_state *s = PL_STATE(e, cap_state);
    if (__builtin_expect(PL_LIVE(s->active), 0)) {      /* the only cost when idle */
        uint32_t missed;
        uint32_t n = pl_pktring_put(&s->rings, ctx->tid, b, PL_LIVE(s->sample),
                                    &s->phase[(size_t)ctx->tid * 8], &missed);
        if (n)
            pl_count(ctx, e, C_CAPTURED, n);
        if (missed)
            pl_count(ctx, e, C_MISSED, missed);
    }
    pl_output(ctx, e, 0, b);
}

static int cap_drain(pl_element *e, uint8_t *data, size_t cap, pl_pkt_meta *meta, uint32_t maxn,
                     uint32_t *got, pl_error *err)
{
    (void)err;
    cap_state *s = PL_STATE(e, cap_state);
    return pl_pktrings_drain(&s->rings, data, cap, meta, maxn, got);
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_CAPTURED));
}

static int read_pending(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)pl_pktrings_pending(&PL_STATE(e, cap_state)->rings));
}

static const pl_param params[] = {
    {"CAPACITY", PL_T_UINT, offsetof(cap_state, capacity), "1024", 1, 1 << 20, PL_P_POSITIONAL,
     "packets kept until read, per worker thread"},
    {"SNAPLEN", PL_T_UINT, offsetof(cap_state, snaplen), "1920", 14, PL_MAX_LEN, 0,
     "bytes kept of each packet (up to 64 KB and more)"},
    {"SAMPLE", PL_T_UINT, offsetof(cap_state, sample), "1", 1, 1e9, PL_P_LIVE,
     "keep one packet in SAMPLE"},
    {"ACTIVE", PL_T_BOOL, offsetof(cap_state, active), "false", 0, -1, PL_P_LIVE,
     "capture (false: packets pass untouched)"},
    {0}};

static const pl_handler handlers[] = {
    {"count", "packets captured so far", read_count, NULL},
    {"pending", "packets captured and not yet read", read_pending, NULL},
    {0}};

static const pl_class capture = {
    .name = "Capture",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Capture([CAPACITY, KEYWORDS])\n"
           "Samples passing packets for Python.\n\n"
           "A tap: every packet passes to output 0 unchanged. While ACTIVE, one packet\n"
           "in SAMPLE is copied (SNAPLEN bytes, with its annotations) into a ring of\n"
           "CAPACITY packets per worker thread, which pktlab.traffic.capture() (or\n"
           "Engine.drain) reads as scapy packets while the engine runs. When the ring\n"
           "is full, packets are not copied and are counted as missed. Inactive, it\n"
           "costs one flag test per batch.\n"
           "Counters: captured, missed.\n\n"
           "Example: ... -> tap :: Capture(256, SAMPLE 100) -> ...   "
           "(traffic.capture(eng, \"tap\", 10))",
    .state_size = sizeof(cap_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .initialize = cap_initialize,
    .cleanup = cap_cleanup,
    .push = cap_push,
    .drain = cap_drain,
};
PL_REGISTER_CLASS(capture);
