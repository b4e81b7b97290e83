/* What Click's RatedUnqueue, RatedSplitter and their Bandwidth variants
 * share (RatedUnqueue::configure_helper): a token bucket of RATE per second
 * holding BURST_DURATION worth of tokens (20 ms by default) or BURST_SIZE. */
#ifndef PL_ELEMENTS_RATES_H
#define PL_ELEMENTS_RATES_H

#include "../../core/args.h"
#include "../../lib/tokenbucket.h"

/* Bandwidth buckets need this much before a packet passes (Click's
 * tb_bandwidth_thresh), and hold that much more. */
#define PL_TB_BANDWIDTH_THRESH 131072

typedef struct pl_rate_conf {
    double rate;                  /* packets/s, or bytes/s for bandwidth */
    double burst_duration;        /* seconds */
    uint64_t burst_size;          /* tokens (BURST_SIZE / BURST_BYTES) */
} pl_rate_conf;

/* Capacity of the bucket for `rate` per Click's rules. */
static inline uint64_t pl_rate_tokens(pl_element *e, const pl_rate_conf *c, int bandwidth,
                                      double rate)
{
    uint64_t tokens;
    if (pl_param_given(e, bandwidth ? "BURST_BYTES" : "BURST_SIZE"))
        tokens = c->burst_size;
    else {
        uint64_t msec = pl_param_given(e, "BURST_DURATION")
                            ? (uint64_t)(c->burst_duration * 1000 + 0.5) : 20;
        tokens = (uint64_t)rate * msec / 1000;
    }
    if (bandwidth)
        tokens += PL_TB_BANDWIDTH_THRESH;
    return tokens ? tokens : 1;
}

/* Capacity at configuration; -1 with err when both kinds of burst are given. */
static inline int64_t pl_rate_capacity(pl_element *e, const pl_rate_conf *c, int bandwidth,
                                       pl_error *err)
{
    const char *bs = bandwidth ? "BURST_BYTES" : "BURST_SIZE";
    if (pl_param_given(e, "BURST_DURATION") && pl_param_given(e, bs)) {
        pl_seterr(err, PL_ERR_CONFIG, e, bs, "cannot specify both BURST_DURATION and %s", bs);
        return -1;
    }
    return (int64_t)pl_rate_tokens(e, c, bandwidth, c->rate);
}

/* The data path picks up a live RATE (the bucket is its thread's alone). */
static inline void pl_rate_follow(pl_element *e, pl_rate_conf *c, pl_tb *tb, double *applied,
                                  int bandwidth)
{
    double r = PL_LIVE_D(c->rate);
    if (r != *applied) {
        pl_tb_assign_adjust(tb, (uint64_t)r, pl_rate_tokens(e, c, bandwidth, r));
        *applied = r;
    }
}

#define PL_RATE_PARAMS(st, bw)                                                                \
    {"RATE", bw ? PL_T_BANDWIDTH : PL_T_REAL, offsetof(st, rc.rate), NULL, 0, 1e12,            \
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE,                                              \
     bw ? "bytes per second (10Mbps, 1.5MBps)" : "packets per second"},                      \
    {"BURST_DURATION", PL_T_TIME, offsetof(st, rc.burst_duration), "0.02", 0, 3600, 0,         \
     "the bucket holds this long's worth of tokens (default 20 ms)"},                         \
    {bw ? "BURST_BYTES" : "BURST_SIZE", PL_T_UINT, offsetof(st, rc.burst_size), "0", 0, -1, 0, \
     bw ? "the bucket holds this many bytes (instead of BURST_DURATION)"                      \
        : "the bucket holds this many packets (instead of BURST_DURATION)"}

#endif
