/*
 * Latency histograms (LatencyHistogram): HDR-style log-linear buckets in fixed
 * memory, one block per worker thread written only by that thread, merged
 * when read.
 *
 * Buckets, in nanoseconds: 0..63 one each; above, 32 per power of two (each
 * octave [2^k, 2^(k+1)) cut into 32 equal parts), so a bucket is never wider
 * than 1/32 of its value (about 3 %); values of 2^40 ns (18 minutes) and more
 * share the last bucket. 1,152 buckets, 9 KB per thread.
 *
 * Threads: a worker writes its own block with relaxed load+store (no locked
 * instruction, as the statistics region); the control thread reads every block
 * at any time. Reset bumps the histogram's generation; a worker that sees a
 * new generation zeroes its own block before it counts again, and a reader
 * skips blocks still at an older generation (they have counted nothing since
 * the reset). Nothing is locked and no thread writes another's block.
 */
#ifndef PL_LATHIST_H
#define PL_LATHIST_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define PL_LH_SUB_BITS 5
#define PL_LH_SUB (1 << PL_LH_SUB_BITS)                 /* buckets per octave */
#define PL_LH_MAX_BITS 40                              /* 2^40 ns and more: the last bucket */
#define PL_LH_BUCKETS ((PL_LH_MAX_BITS - PL_LH_SUB_BITS + 1) * PL_LH_SUB)

typedef struct pl_lh_block {
    _Alignas(64) uint64_t gen;    /* generation counted since (atomic, the owner writes) */
    uint64_t count, sum, max, min, future;
    uint64_t bucket[PL_LH_BUCKETS];
} pl_lh_block;

typedef struct pl_lh {
    pl_lh_block *t;               /* nthreads blocks */
    int nthreads;
    _Atomic uint64_t gen;         /* reset: the control thread bumps it */
} pl_lh;

/* The merged view a reader computes (control thread). */
typedef struct pl_lh_sum {
    uint64_t count, sum, max, min, future;
    uint64_t bucket[PL_LH_BUCKETS];
} pl_lh_sum;

static inline unsigned pl_lh_index(uint64_t v)
{
    if (v < 2 * PL_LH_SUB)
        return (unsigned)v;
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);
    if (msb >= PL_LH_MAX_BITS)
        return PL_LH_BUCKETS - 1;
    unsigned shift = msb - PL_LH_SUB_BITS;
    return shift * PL_LH_SUB + (unsigned)(v >> shift);
}

/* Bucket i holds [pl_lh_low(i), pl_lh_low(i) + pl_lh_width(i)). */
static inline uint64_t pl_lh_low(unsigned i)
{
    if (i < 2 * PL_LH_SUB)
        return i;
    unsigned shift = i / PL_LH_SUB - 1;
    return (uint64_t)(i - shift * PL_LH_SUB) << shift;
}
static inline uint64_t pl_lh_width(unsigned i)
{
    return i < 2 * PL_LH_SUB ? 1 : (uint64_t)1 << (i / PL_LH_SUB - 1);
}

int pl_lh_init(pl_lh *h, int nthreads);      /* -1: no memory */
void pl_lh_free(pl_lh *h);
/* Worker `tid`: the packets of batch b, now - their first timestamp (ns);
 * returns how many had none (not counted). A first timestamp after `now`
 * (the wall clock stepped back) counts as 0 and in `future`. */
struct pl_packet;
uint32_t pl_lh_record_batch(pl_lh *h, int tid, const struct pl_packet *b, uint64_t now);
/* Worker `tid`: one value (tests, the fuzzer). */
void pl_lh_record(pl_lh *h, int tid, uint64_t v);
void pl_lh_reset(pl_lh *h);                  /* control thread */
void pl_lh_merge(pl_lh *h, pl_lh_sum *out);  /* control thread */
void pl_lh_sum_add(pl_lh_sum *to, const pl_lh_sum *from);
/* The value at quantile q (0..1) of a merged view, ns: the highest value of
 * the bucket that holds it (HDR's convention), never above the maximum; 0
 * when empty. */
uint64_t pl_lh_quantile(const pl_lh_sum *s, double q);

#endif
