/* AverageCounter: counts packets and measures their average rate. */
#include "../../core/element.h"

#include <stdlib.h>

typedef struct {
    _Alignas(64) _Atomic uint64_t first_ns, last_ns;   /* this thread's first and last batch */
} avc_thread;

typedef struct {
    double ignore;
    int nthreads;
    avc_thread *t;
    uint64_t base_count, base_bytes, epoch_ns;          /* the last reset */
} avc_state;

enum { C_COUNT, C_BYTES };
static const char *const counters[] = {"count", "byte_count", NULL};

static int avc_initialize(pl_element *e, pl_error *err)
{
    avc_state *s = PL_STATE(e, avc_state);
    s->nthreads = pl_element_nthreads(e);
    s->t = aligned_alloc(64, sizeof(avc_thread) * (size_t)s->nthreads);
    if (!s->t)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    memset(s->t, 0, sizeof(avc_thread) * (size_t)s->nthreads);
    return 0;
}

static void avc_cleanup(pl_element *e) { free(PL_STATE(e, avc_state)->t); }

static void avc_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    avc_state *s = PL_STATE(e, avc_state);
    avc_thread *t = &s->t[ctx->tid];
    uint64_t now = pl_now_ns();
    uint64_t first = atomic_load_explicit(&t->first_ns, memory_order_relaxed);
    uint64_t epoch = __atomic_load_n(&s->epoch_ns, __ATOMIC_RELAXED);
    if (!first || first < epoch) {
        atomic_store_explicit(&t->first_ns, now, memory_order_relaxed);
        first = now;
    }
    /* IGNORE: the first seconds after the first packet are not counted. */
    if (now - first >= (uint64_t)(s->ignore * 1e9)) {
        pl_count(ctx, e, C_COUNT, b->b_count);
        pl_count(ctx, e, C_BYTES, b->b_bytes);
        atomic_store_explicit(&t->last_ns, now, memory_order_relaxed);
    }
    pl_output(ctx, e, 0, b);
}

static uint64_t total(pl_element *e, int c)
{
    avc_state *s = PL_STATE(e, avc_state);
    return pl_counter_total(e, c) -
           __atomic_load_n(c == C_COUNT ? &s->base_count : &s->base_bytes, __ATOMIC_RELAXED);
}

/* Seconds from the first counted packet to the last one, over threads. */
static double span(pl_element *e)
{
    avc_state *s = PL_STATE(e, avc_state);
    uint64_t first = UINT64_MAX, last = 0;
    uint64_t ign = (uint64_t)(s->ignore * 1e9);
    for (int i = 0; s->t && i < s->nthreads; i++) {
        uint64_t f = atomic_load(&s->t[i].first_ns), l = atomic_load(&s->t[i].last_ns);
        if (!f || !l || l < f + ign)
            continue;
        if (f + ign < first)
            first = f + ign;
        if (l > last)
            last = l;
    }
    return last > first ? (double)(last - first) / 1e9 : 0;
}

static int rate(pl_element *e, int c, double scale, char *buf, size_t len)
{
    double d = span(e);
    return pl_fmt(buf, len, "%.6g", d > 0 ? scale * (double)total(e, c) / d : 0.0);
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)total(e, C_COUNT));
}
static int read_byte_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)total(e, C_BYTES));
}
static int read_rate(pl_element *e, char *buf, size_t len) { return rate(e, C_COUNT, 1, buf, len); }
static int read_byte_rate(pl_element *e, char *buf, size_t len) { return rate(e, C_BYTES, 1, buf, len); }
static int read_bit_rate(pl_element *e, char *buf, size_t len) { return rate(e, C_BYTES, 8, buf, len); }
static int read_time(pl_element *e, char *buf, size_t len) { return pl_fmt(buf, len, "%.6f", span(e)); }

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    (void)v;
    (void)err;
    avc_state *s = PL_STATE(e, avc_state);
    __atomic_store_n(&s->base_count, pl_counter_total(e, C_COUNT), __ATOMIC_RELAXED);
    __atomic_store_n(&s->base_bytes, pl_counter_total(e, C_BYTES), __ATOMIC_RELAXED);
    __atomic_store_n(&s->epoch_ns, pl_now_ns(), __ATOMIC_RELAXED);
    for (int i = 0; s->t && i < s->nthreads; i++)
        atomic_store(&s->t[i].last_ns, 0);
    return 0;
}

static const pl_param params[] = {
    {"IGNORE", PL_T_TIME, offsetof(avc_state, ignore), "0", 0, 1e6, PL_P_POSITIONAL,
     "seconds after the first packet that are not counted (warm-up)"},
    {0}};

static const pl_handler handlers[] = {
    {"count", "packets counted", read_count, NULL},
    {"byte_count", "bytes counted", read_byte_count, NULL},
    {"rate", "packets per second, from the first counted packet to the last", read_rate, NULL},
    {"byte_rate", "bytes per second", read_byte_rate, NULL},
    {"bit_rate", "bits per second", read_bit_rate, NULL},
    {"time", "seconds from the first counted packet to the last", read_time, NULL},
    {"reset", "start counting again", NULL, write_reset},
    {0}};

static const pl_class average_counter = {
    .name = "AverageCounter",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "AverageCounter([IGNORE])\n"
           "Measures historical packet count and rate.\n\n"
           "Passes packets unchanged, counting packets and bytes (once per batch, per\n"
           "thread) and remembering when the first and the last counted batch went by;\n"
           "rate, byte_rate and bit_rate are averages over that span, so idle time\n"
           "after the traffic stopped does not lower them. Packets in the first IGNORE\n"
           "seconds are not counted. reset starts again.\n"
           "Counters: count, byte_count.\n\n"
           "Example: ... -> avg :: AverageCounter(IGNORE 0.5) -> Discard;",
    .state_size = sizeof(avc_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .initialize = avc_initialize,
    .cleanup = avc_cleanup,
    .push = avc_push,
};
PL_REGISTER_CLASS(average_counter);
