/*
 * Clocks for rates and timing, and the per-packet cost breakdown's marks.
 * Part of element.h (the header element authors include).
 */
#ifndef PL_ELEMENT_CLOCK_H
#define PL_ELEMENT_CLOCK_H

#include "element_instance.h"

/* CLOCK_MONOTONIC, for rates, timing and deadlines off the per-packet path. */
static inline uint64_t pl_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline double pl_now_us(void) { return (double)pl_now_ns() / 1e3; }

static inline uint64_t pl_rdtsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_ia32_rdtsc();
#else
    return 0;
#endif
}

/*
 * The per-packet cost breakdown (Engine(breakdown=True), `pktlab bench io
 * --breakdown`): a mark reads the TSC and adds the time since the previous
 * mark to the stage that just ended, so the stages tile the worker's time
 * without gaps. Marks sit at stage boundaries on the batch path (a dozen per
 * batch, none per packet); off, each is one predictable branch.
 * ctx->bd holds [PL_BD_N] cycles, [PL_BD_N] mark counts, then the last
 * mark's TSC (so that a reader can count the stage in progress).
 */
enum { PL_BD_DISPATCH, PL_BD_RX_DEVICE, PL_BD_RX_CONV, PL_BD_STATS, PL_BD_TX_CONV,
       PL_BD_TX_DEVICE, PL_BD_PREEMPTED, PL_BD_N };
/* A stage that took longer than this (TSC cycles, ~8 us at 2.5 GHz; a batch
 * of 32 takes well under 1 us) lost the CPU meanwhile (preempted, or a worker
 * sleeping idle): its time is the "preempted" stage's, not the engine's. */
#define PL_BD_PREEMPT 20000

static inline void pl_bd_mark(struct pl_ctx *ctx, int stage)
{
    if (__builtin_expect(ctx->bd != NULL, 0)) {
        uint64_t now = pl_rdtsc(), d = now - ctx->bd_last;
        if (__builtin_expect(d > PL_BD_PREEMPT, 0))
            stage = PL_BD_PREEMPTED;
        uint64_t *c = &ctx->bd[stage], *k = &ctx->bd[PL_BD_N + stage];
        __atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + d, __ATOMIC_RELAXED);
        __atomic_store_n(k, __atomic_load_n(k, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
        ctx->bd_last = now;
        __atomic_store_n(&ctx->bd[2 * PL_BD_N], now, __ATOMIC_RELAXED);   /* for readers */
    }
}

#endif
