/* BatchStats: statistics of the sizes of the batches passing by (FastClick's). */
#include "../../core/element.h"

#include <stdio.h>
#include <stdlib.h>

#define NBINS PL_HIST_BINS          /* size k in bin k (1..256), 257: larger */
#define STRIDE ((NBINS + 7) & ~7)   /* per thread, padded to cache lines */

typedef struct {
    int nthreads;
    uint64_t *hist;                 /* nthreads x STRIDE, 64-byte aligned */
    uint64_t *base;                 /* NBINS: totals at the last reset (control side) */
} bs_state;

static int bs_initialize(pl_element *e, pl_error *err)
{
    bs_state *s = PL_STATE(e, bs_state);
    s->nthreads = pl_element_nthreads(e);
    s->hist = aligned_alloc(64, sizeof(uint64_t) * STRIDE * (size_t)s->nthreads);
    s->base = calloc(NBINS, sizeof(uint64_t));
    if (!s->hist || !s->base)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    memset(s->hist, 0, sizeof(uint64_t) * STRIDE * (size_t)s->nthreads);
    return 0;
}

static void bs_cleanup(pl_element *e)
{
    bs_state *s = PL_STATE(e, bs_state);
    free(s->hist);
    free(s->base);
}

static void bs_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    bs_state *s = PL_STATE(e, bs_state);
    uint32_t n = b->b_count;
    PL_STAT_ADD(s->hist[(size_t)ctx->tid * STRIDE + (n > 256 ? 257 : n)], 1);
    pl_output(ctx, e, 0, b);
}

/* Batches of each size since the last reset, summed over threads. */
static void totals(bs_state *s, uint64_t out[NBINS])
{
    for (int k = 0; k < NBINS; k++) {
        uint64_t v = 0;
        for (int t = 0; s->hist && t < s->nthreads; t++)
            v += __atomic_load_n(&s->hist[(size_t)t * STRIDE + k], __ATOMIC_RELAXED);
        out[k] = v - (s->base ? __atomic_load_n(&s->base[k], __ATOMIC_RELAXED) : 0);
    }
}

static int read_average(pl_element *e, char *buf, size_t len)
{
    uint64_t h[NBINS];
    totals(PL_STATE(e, bs_state), h);
    double n = 0, sum = 0;
    for (int k = 1; k < NBINS; k++) {
        n += (double)h[k];
        sum += (double)h[k] * k;
    }
    return pl_fmt(buf, len, "%.6g", n ? sum / n : 0.0);
}

static int read_median(pl_element *e, char *buf, size_t len)
{
    uint64_t h[NBINS], n = 0, seen = 0;
    totals(PL_STATE(e, bs_state), h);
    for (int k = 1; k < NBINS; k++)
        n += h[k];
    for (int k = 1; k < NBINS; k++) {
        seen += h[k];
        if (n && seen * 2 >= n)
            return pl_fmt(buf, len, "%d", k);
    }
    return pl_fmt(buf, len, "0");
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    uint64_t h[NBINS], n = 0;
    totals(PL_STATE(e, bs_state), h);
    for (int k = 1; k < NBINS; k++)
        n += h[k];
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static int read_dump(pl_element *e, char *buf, size_t len)
{
    uint64_t h[NBINS];
    totals(PL_STATE(e, bs_state), h);
    size_t k = 0;
    buf[0] = 0;
    for (int i = 1; i < NBINS; i++) {
        if (!h[i])
            continue;
        int w = snprintf(buf + k, len - k, "%s%d: %llu\n", i == 257 ? ">" : "", i == 257 ? 256 : i,
                         (unsigned long long)h[i]);
        if (w < 0 || (size_t)w >= len - k)
            return PL_ERR_HANDLER;
        k += (size_t)w;
    }
    return 0;
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    (void)v;
    (void)err;
    bs_state *s = PL_STATE(e, bs_state);
    uint64_t h[NBINS];
    totals(s, h);
    for (int k = 0; s->base && k < NBINS; k++)
        __atomic_store_n(&s->base[k], s->base[k] + h[k], __ATOMIC_RELAXED);
    return 0;
}

static const pl_handler handlers[] = {
    {"average", "average batch size", read_average, NULL},
    {"median", "median batch size", read_median, NULL},
    {"count", "batches seen", read_count, NULL},
    {"dump", "'SIZE: BATCHES' for every size seen ('>256' for larger)", read_dump, NULL},
    {"reset", "forget the batches seen", NULL, write_reset},
    {0}};

static const pl_class batch_stats = {
    .name = "BatchStats",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "BatchStats\n"
           "Keeps statistics about batching.\n\n"
           "Passes batches unchanged, remembering the size of each (per thread, one\n"
           "counter update per batch). average, median and dump give the distribution\n"
           "(FastClick's handlers); in per-packet mode every batch has one packet.\n\n"
           "Example: FromDPDKDevice(0) -> bs :: BatchStats -> ...   (read bs.average)",
    .state_size = sizeof(bs_state),
    .handlers = handlers,
    .initialize = bs_initialize,
    .cleanup = bs_cleanup,
    .push = bs_push,
};
PL_REGISTER_CLASS(batch_stats);
