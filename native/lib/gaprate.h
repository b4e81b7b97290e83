/*
 * Click's GapRate (include/click/gaprate.hh): "let an event through when
 * the count of events this second is behind rate * elapsed fraction of the
 * second", the arithmetic Shaper and BandwidthShaper use, on the engine's
 * wall clock (simulated time included). One thread reads and writes it.
 */
#ifndef PL_GAPRATE_H
#define PL_GAPRATE_H

#include <stdint.h>

#define PL_GAP_SHIFT 12
#define PL_GAP_MAX_RATE (1000000u << PL_GAP_SHIFT)

typedef struct pl_gaprate {
    uint32_t ugap;                /* (1000000 << SHIFT) / rate */
    int64_t sec_count;            /* events this second so far */
    int64_t tv_sec;               /* the current second, -1 after a reset */
    uint32_t rate;
} pl_gaprate;

static inline void pl_gap_init_rate(pl_gaprate *g, uint32_t r)
{
    g->rate = r;
    g->ugap = r == 0 ? PL_GAP_MAX_RATE + 1 : PL_GAP_MAX_RATE / r;
}

static inline void pl_gap_reset(pl_gaprate *g) { g->tv_sec = -1; }

static inline void pl_gap_set_rate(pl_gaprate *g, uint32_t r, uint64_t now_ns)
{
    if (r > PL_GAP_MAX_RATE)
        r = PL_GAP_MAX_RATE;
    if (g->rate != r) {
        pl_gap_init_rate(g, r);
        if (g->tv_sec >= 0 && r != 0) {
            uint64_t usec = (now_ns / 1000) % 1000000;
            g->sec_count = (int64_t)((usec << PL_GAP_SHIFT) / g->ugap);
        }
    }
}

/* How many events may pass now (Click's need_update is this > 0). */
static inline int64_t pl_gap_allowed(pl_gaprate *g, uint64_t now_ns)
{
    int64_t sec = (int64_t)(now_ns / 1000000000u);
    uint64_t usec = (now_ns / 1000) % 1000000;
    int64_t need = (int64_t)((usec << PL_GAP_SHIFT) / g->ugap);
    if (g->tv_sec < 0) {
        g->tv_sec = sec;
        g->sec_count = need + (((usec << PL_GAP_SHIFT) - (uint64_t)need * g->ugap) > g->ugap / 2);
    } else if (sec > g->tv_sec) {
        g->tv_sec = sec;
        if (g->sec_count > 0)
            g->sec_count -= g->rate;
    }
    return need >= g->sec_count ? need - g->sec_count + 1 : 0;
}

static inline void pl_gap_update(pl_gaprate *g, int64_t n) { g->sec_count += n; }

/* When the next event may pass (ns on the same clock), 0 if unknown. */
static inline uint64_t pl_gap_expiry(const pl_gaprate *g)
{
    if (g->tv_sec < 0 || g->rate == 0)
        return 0;
    if (g->sec_count < 0)
        return (uint64_t)g->tv_sec * 1000000000u;
    int64_t sec = g->tv_sec, count = g->sec_count;
    if ((uint64_t)count >= g->rate) {
        sec += count / g->rate;
        count %= g->rate;
    }
    uint64_t usec = ((uint64_t)count * g->ugap) >> PL_GAP_SHIFT;
    return (uint64_t)sec * 1000000000u + usec * 1000;
}

#endif
