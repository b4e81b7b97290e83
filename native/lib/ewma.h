/*
 * Click's moving averages (include/click/ewma.hh): DirectEWMAX with a
 * stability shift and fixed-point scale, and RateEWMAX, a rate in events
 * per epoch (a millisecond of the engine clock here, Click's jiffy at user
 * level) averaged over epochs. The same integer arithmetic, so Meter, RED
 * and friends decide as Click's do.
 */
#ifndef PL_EWMA_H
#define PL_EWMA_H

#include <stdint.h>

typedef struct pl_ewma {
    int64_t avg;                  /* scaled */
    unsigned stability, scale;
} pl_ewma;

static inline void pl_ewma_init(pl_ewma *a, unsigned stability, unsigned scale)
{
    a->avg = 0;
    a->stability = stability;
    a->scale = scale;
}

static inline void pl_ewma_update(pl_ewma *a, int64_t x)
{
    int64_t xs = (x << a->scale) + (a->stability ? (1 << (a->stability - 1)) : 0);
    a->avg += (xs - a->avg) >> a->stability;
}

static inline void pl_ewma_update_n(pl_ewma *a, int64_t x, uint64_t n)
{
    int64_t xs = x << a->scale;
    if (n >= 100) {
        a->avg = xs;
        return;
    }
    xs += a->stability ? (1 << (a->stability - 1)) : 0;
    for (; n > 0; n--)
        a->avg += (xs - a->avg) >> a->stability;
}

static inline int64_t pl_ewma_unscaled(const pl_ewma *a)
{
    return (a->avg + ((int64_t)1 << a->scale >> 1)) >> a->scale;
}

/* RateEWMA (stability 4, scale 10, epochs of 1 ms). */
typedef struct pl_rate_ewma {
    uint64_t epoch;
    int64_t current;
    pl_ewma avg;
} pl_rate_ewma;

#define PL_RATE_EPOCH_NS 1000000u
#define PL_RATE_EPOCH_FREQ 1000

static inline void pl_rate_ewma_init(pl_rate_ewma *r, uint64_t now_ns)
{
    r->epoch = now_ns / PL_RATE_EPOCH_NS;
    r->current = 0;
    pl_ewma_init(&r->avg, 4, 10);
}

static inline void pl_rate_ewma_update(pl_rate_ewma *r, int64_t delta, uint64_t now_ns)
{
    uint64_t now = now_ns / PL_RATE_EPOCH_NS;
    if (now != r->epoch) {
        pl_ewma_update(&r->avg, r->current);
        if (r->epoch + 1 != now && now > r->epoch)
            pl_ewma_update_n(&r->avg, 0, now - r->epoch - 1);
        r->current = 0;
        r->epoch = now;
    }
    r->current += delta;
}

/* Scaled events per epoch (Click's scaled_average). */
static inline int64_t pl_rate_ewma_scaled(const pl_rate_ewma *r) { return r->avg.avg; }

/* Events per second. */
static inline double pl_rate_ewma_rate(const pl_rate_ewma *r)
{
    return (double)r->avg.avg * PL_RATE_EPOCH_FREQ / (double)(1 << r->avg.scale);
}

#endif
