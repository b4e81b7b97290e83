/* LatencyHistogram: per-packet latency since the first timestamp, HDR-style. */
#include "../../core/args.h"
#include "../../lib/lathist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    pl_lh h;
    _Atomic(pl_lh_sum *) carry;   /* what the elements this one replaced measured */
} lh_state;

enum { C_UNSTAMPED };
static const char *const counters[] = {"unstamped", NULL};

static int lh_initialize(pl_element *e, pl_error *err)
{
    lh_state *s = PL_STATE(e, lh_state);
    if (!s->h.t && pl_lh_init(&s->h, pl_element_nthreads(e)))
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory (latency histogram)");
    return 0;
}

static void lh_cleanup(pl_element *e)
{
    lh_state *s = PL_STATE(e, lh_state);
    pl_lh_free(&s->h);
    free(atomic_exchange(&s->carry, NULL));
}

static void lh_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    lh_state *s = PL_STATE(e, lh_state);
    uint32_t none = pl_lh_record_batch(&s->h, ctx->tid, b, pl_engine_realtime_ns(e->eng));
    if (__builtin_expect(none, 0))
        pl_count(ctx, e, C_UNSTAMPED, none);
    pl_output(ctx, e, 0, b);
}

/* A merged view (control thread); NULL without memory. */
static pl_lh_sum *merged(pl_element *e)
{
    lh_state *s = PL_STATE(e, lh_state);
    pl_lh_sum *m = malloc(sizeof *m);
    if (m && s->h.t)
        pl_lh_merge(&s->h, m);
    else if (m)
        memset(m, 0, sizeof *m);
    pl_lh_sum *carry = atomic_load(&s->carry);
    if (m && carry)
        pl_lh_sum_add(m, carry);
    return m;
}

/* Microseconds, as FastClick's TimestampDiff reports delays. */
static int fmt_us(char *buf, size_t len, uint64_t ns) { return pl_fmt(buf, len, "%.3f", (double)ns / 1e3); }

static int read_q(pl_element *e, char *buf, size_t len, double q)
{
    pl_lh_sum *m = merged(e);
    if (!m)
        return -1;
    int rc = fmt_us(buf, len, pl_lh_quantile(m, q));
    free(m);
    return rc;
}

static int read_p50(pl_element *e, char *b, size_t n) { return read_q(e, b, n, 0.5); }
static int read_p90(pl_element *e, char *b, size_t n) { return read_q(e, b, n, 0.9); }
static int read_p99(pl_element *e, char *b, size_t n) { return read_q(e, b, n, 0.99); }
static int read_p999(pl_element *e, char *b, size_t n) { return read_q(e, b, n, 0.999); }
static int read_max(pl_element *e, char *b, size_t n) { return read_q(e, b, n, 1.0); }
static int read_min(pl_element *e, char *b, size_t n) { return read_q(e, b, n, 0.0); }

static int read_count(pl_element *e, char *buf, size_t len)
{
    pl_lh_sum *m = merged(e);
    if (!m)
        return -1;
    int rc = pl_fmt(buf, len, "%llu", (unsigned long long)m->count);
    free(m);
    return rc;
}

static int read_mean(pl_element *e, char *buf, size_t len)
{
    pl_lh_sum *m = merged(e);
    if (!m)
        return -1;
    int rc = pl_fmt(buf, len, "%.3f", m->count ? (double)m->sum / (double)m->count / 1e3 : 0.0);
    free(m);
    return rc;
}

/* One line for the telemetry sampler: a consistent set from one merge. */
static int read_summary(pl_element *e, char *buf, size_t len)
{
    pl_lh_sum *m = merged(e);
    if (!m)
        return -1;
    int rc = pl_fmt(buf, len, "%llu %.3f %.3f %.3f %.3f %.3f %.3f %.3f",
                    (unsigned long long)m->count,
                    m->count ? (double)m->sum / (double)m->count / 1e3 : 0.0,
                    (double)pl_lh_quantile(m, 0.0) / 1e3, (double)pl_lh_quantile(m, 0.5) / 1e3,
                    (double)pl_lh_quantile(m, 0.9) / 1e3, (double)pl_lh_quantile(m, 0.99) / 1e3,
                    (double)pl_lh_quantile(m, 0.999) / 1e3, (double)pl_lh_quantile(m, 1.0) / 1e3);
    free(m);
    return rc;
}

/* "LOW_NS COUNT" per non-empty bucket, one a line (a bucket is [LOW, next LOW)). */
static int read_buckets(pl_element *e, char *buf, size_t len)
{
    pl_lh_sum *m = merged(e);
    if (!m)
        return -1;
    size_t off = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < PL_LH_BUCKETS && off < len; i++)
        if (m->bucket[i]) {
            int k = snprintf(buf + off, len - off, "%llu %llu\n", (unsigned long long)pl_lh_low(i),
                             (unsigned long long)m->bucket[i]);
            if (k < 0 || (size_t)k >= len - off) {
                free(m);
                return -1;             /* too small: the caller asks again with more room */
            }
            off += (size_t)k;
        }
    free(m);
    return 0;
}

static int read_perc(pl_element *e, const char *param, char *buf, size_t len, pl_error *err)
{
    char *end;
    double p = strtod(param, &end);
    while (*end == ' ')
        end++;
    if (end == param || *end || !(p >= 0 && p <= 100))
        return pl_seterr(err, PL_ERR_HANDLER, e, "perc",
                         "perc: expected a percentile from 0 to 100, got '%s'", param);
    return read_q(e, buf, len, p / 100.0) ? pl_seterr(err, PL_ERR_NOMEM, e, "perc", "out of memory")
                                           : 0;
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    (void)v, (void)err;
    lh_state *s = PL_STATE(e, lh_state);
    if (s->h.t)
        pl_lh_reset(&s->h);
    pl_garbage_add(e->eng, atomic_exchange(&s->carry, NULL));   /* a reader may hold it */
    return 0;
}

static const pl_handler handlers[] = {
    {"count", "packets measured since the last reset", read_count, NULL, PL_H_CALM},
    {"p50", "median latency, microseconds", read_p50, NULL, PL_H_CALM},
    {"median", "the same as p50 (FastClick's TimestampDiff name)", read_p50, NULL, PL_H_CALM},
    {"p90", "90th percentile, microseconds", read_p90, NULL, PL_H_CALM},
    {"p99", "99th percentile, microseconds", read_p99, NULL, PL_H_CALM},
    {"p999", "99.9th percentile, microseconds", read_p999, NULL, PL_H_CALM},
    {"max", "largest latency, microseconds", read_max, NULL, PL_H_CALM},
    {"min", "smallest latency, microseconds", read_min, NULL, PL_H_CALM},
    {"mean", "mean latency, microseconds", read_mean, NULL, PL_H_CALM},
    {"average", "the same as mean (TimestampDiff's name)", read_mean, NULL, PL_H_CALM},
    {"summary", "'COUNT MEAN MIN P50 P90 P99 P999 MAX' (microseconds) from one merge", read_summary,
     NULL, PL_H_CALM},
    {"buckets", "'LOW_NS COUNT' per non-empty bucket", read_buckets, NULL, PL_H_EXPENSIVE},
    {"reset", "forget what was measured", NULL, write_reset, PL_H_BUTTON},
    {0}};

static const pl_param_handler param_handlers[] = {
    {"perc", "'perc P': the P-th percentile (0-100), microseconds", read_perc},
    {0}};

static const pl_param params[] = {{0}};

/* Live change: the new element goes on from what the old one measured (its
 * workers may already write the new one's own blocks: those stay its own). */
static void lh_take_state(pl_element *e, pl_element *old)
{
    pl_lh_sum *m = merged(old);
    if (m)
        pl_garbage_add(e->eng, atomic_exchange(&PL_STATE(e, lh_state)->carry, m));
}

static const pl_class latency_histogram = {
    .name = "LatencyHistogram",
    .ports = "1/1",
    .processing = "h/h",
    .doc = "LatencyHistogram()\n"
           "Measures each packet's latency since its first timestamp.\n\n"
           "For every packet passing through it, records now minus the packet's\n"
           "first-timestamp annotation (what Engine(timestamps=True) stamps when a\n"
           "source makes or a device receives the packet, or what SetTimestamp(FIRST\n"
           "true) wrote) in a histogram with HDR-style buckets: exact to 64 ns, then 32\n"
           "buckets per power of two (within about 3 %), up to 2^40 ns. The clock is\n"
           "read once per batch: packets of one batch reach it at the same time.\n"
           "Each worker thread has its own histogram (fixed memory, allocated when\n"
           "initialized, written without locks or atomic instructions); reads merge\n"
           "them. Packets without a first timestamp pass uncounted (counter\n"
           "unstamped). Place one wherever latency should be read: several measure\n"
           "the same packets at several points. Latencies are read in microseconds,\n"
           "as FastClick's TimestampDiff reports them.\n\n"
           "Handlers: count, p50 (median), p90, p99, p999, max, min, mean (average),\n"
           "summary (COUNT MEAN MIN P50 P90 P99 P999 MAX, one merge, what the telemetry\n"
           "reads at 10 Hz), buckets (LOW_NS COUNT lines), perc P (any percentile),\n"
           "reset (write).\n"
           "Counters: unstamped.\n\n"
           "Example: RatedSource(RATE 100000, BURST 32) -> CheckLength(1500)\n"
           "  -> lat :: LatencyHistogram -> Discard;   // Engine(..., timestamps=True)\n\n"
           "See also: SetTimestamp (FIRST), RatedSource (TIMEOUT), FastClick's\n"
           "TimestampDiff and RecordTimestamp.",
    .state_size = sizeof(lh_state),
    .params = params,
    .handlers = handlers,
    .param_handlers = param_handlers,
    .counters = counters,
    .initialize = lh_initialize,
    .cleanup = lh_cleanup,
    .push = lh_push,
    .take_state = lh_take_state,
};
PL_REGISTER_CLASS(latency_histogram);
