/* Counter: counts packets and bytes, one update per batch. */
#include "../../core/element.h"


typedef struct {
    uint64_t base_count, base_bytes;    /* totals at the last reset */
    uint64_t carry_count, carry_bytes;  /* counts of the elements this one replaced */
    uint64_t since_ns;                  /* time of the last reset or start */
} counter_state;

enum { C_COUNT, C_BYTES };
static const char *const counters[] = {"count", "byte_count", NULL};

static void counter_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_count(ctx, e, C_COUNT, b->b_count);
    pl_count(ctx, e, C_BYTES, b->b_bytes);
    pl_output(ctx, e, 0, b);
}

static int counter_initialize(pl_element *e, pl_error *err)
{
    (void)err;
    __atomic_store_n(&PL_STATE(e, counter_state)->since_ns, pl_now_ns(), __ATOMIC_RELAXED);
    return 0;
}

static uint64_t total(pl_element *e, int which)
{
    counter_state *s = PL_STATE(e, counter_state);
    uint64_t base = __atomic_load_n(which == C_COUNT ? &s->base_count : &s->base_bytes,
                                    __ATOMIC_RELAXED);
    uint64_t carry = __atomic_load_n(which == C_COUNT ? &s->carry_count : &s->carry_bytes,
                                     __ATOMIC_RELAXED);
    return pl_counter_total(e, which) + carry - base;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)total(e, C_COUNT));
}

static int read_bytes(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)total(e, C_BYTES));
}

/* Average rate since the last reset (the telemetry sampler gives instant rates). */
static double elapsed(pl_element *e)
{
    uint64_t since = __atomic_load_n(&PL_STATE(e, counter_state)->since_ns, __ATOMIC_RELAXED);
    double s = (double)(pl_now_ns() - since) / 1e9;
    return s > 0 ? s : 1e-9;
}

static int read_rate(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%.6g", (double)total(e, C_COUNT) / elapsed(e));
}

static int read_bit_rate(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%.6g", 8.0 * (double)total(e, C_BYTES) / elapsed(e));
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    (void)v;
    (void)err;
    counter_state *s = PL_STATE(e, counter_state);
    __atomic_store_n(&s->base_count, pl_counter_total(e, C_COUNT) + s->carry_count, __ATOMIC_RELAXED);
    __atomic_store_n(&s->base_bytes, pl_counter_total(e, C_BYTES) + s->carry_bytes, __ATOMIC_RELAXED);
    __atomic_store_n(&s->since_ns, pl_now_ns(), __ATOMIC_RELAXED);
    return 0;
}

/* Live change: keep counting where the replaced Counter stopped. */
static void counter_take_state(pl_element *e, pl_element *old)
{
    counter_state *s = PL_STATE(e, counter_state);
    __atomic_store_n(&s->carry_count, total(old, C_COUNT), __ATOMIC_RELAXED);
    __atomic_store_n(&s->carry_bytes, total(old, C_BYTES), __ATOMIC_RELAXED);
    __atomic_store_n(&s->since_ns, PL_STATE(old, counter_state)->since_ns, __ATOMIC_RELAXED);
}

static const pl_handler handlers[] = {
    {"count", "packets counted since the last reset", read_count, NULL},
    {"byte_count", "bytes counted since the last reset", read_bytes, NULL},
    {"rate", "average packets/s since the last reset", read_rate, NULL},
    {"bit_rate", "average bits/s since the last reset", read_bit_rate, NULL},
    {"reset", "reset the counts", NULL, write_reset},
    {"reset_counts", "reset the counts", NULL, write_reset},
    {0}};

static const pl_class counter = {
    .name = "Counter",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Counter\n"
           "Measures packet count and rate.\n\n"
           "Passes packets unchanged, counting packets and bytes per thread, once per\n"
           "batch. rate and bit_rate are averages since the last reset; the telemetry\n"
           "sampler gives instantaneous rates. Replaced by live change, a Counter\n"
           "keeps its counts.\n\n"
           "Example: InfiniteSource -> c :: Counter -> Discard;",
    .state_size = sizeof(counter_state),
    .handlers = handlers,
    .counters = counters,
    .initialize = counter_initialize,
    .push = counter_push,
    .take_state = counter_take_state,
};
PL_REGISTER_CLASS(counter);
