/*
 * Click's token bucket (include/click/tokenbucket.hh: TokenRateX,
 * TokenCounterX), the same integer arithmetic, with 64-bit fractional
 * tokens and nanosecond ticks on the engine clock instead of 32 bits and
 * jiffies: a counter holds a fraction of its capacity (max = full), refilled
 * by tokens_per_tick per elapsed tick, so rates from 1 packet/s to tens of
 * millions are exact over time and the bucket refills smoothly, not once a
 * millisecond. A bucket whose hz is set before its first assign (pl_tb_hz)
 * ticks at that frequency instead, as Click's jiffy buckets do (hz 1000:
 * CLICK_HZ at user level), so that elements that must count as Click counts
 * (RatedUnqueue, RatedSplitter: RATE 100, BURST_SIZE 1 moves a packet every
 * 11 ms, since 10 ticks of truncated tokens fall short of one) do.
 *
 * A bucket is read and written by one thread (its element's); rate changes
 * from the control side go through pl_tb_assign_adjust under the element's
 * own discipline (the element republishes a new rate word).
 */
#ifndef PL_TOKENBUCKET_H
#define PL_TOKENBUCKET_H

#include <stdint.h>

#define PL_TB_MAX UINT64_MAX
#define PL_TB_FREQ 1000000000ull          /* ticks per second: ns */

typedef struct pl_tb {
    uint64_t tokens_per_tick;             /* 0: idle */
    uint64_t scale;                        /* fraction per token */
    uint64_t until_full;                   /* ticks from empty to full; 0: unlimited */
    uint64_t rate;                         /* tokens per second, as configured */
    uint64_t capacity;
    uint64_t tokens;                       /* fraction of the capacity */
    uint64_t time;                         /* ticks, engine clock */
    uint64_t hz;                           /* ticks per second; 0: ns */
} pl_tb;

/* Full, as a fraction: 64 bits; Click's 32 for a jiffy bucket (Click's
 * TokenBucket is unsigned), so that its remainders are Click's too. */
static inline uint64_t pl_tb_max(const pl_tb *b) { return b->hz ? UINT32_MAX : PL_TB_MAX; }
static inline uint64_t pl_tb_freq(const pl_tb *b) { return b->hz ? b->hz : PL_TB_FREQ; }
static inline uint64_t pl_tb_tick_ns(const pl_tb *b) { return PL_TB_FREQ / pl_tb_freq(b); }

/* Click's jiffy bucket: hz ticks per second (a divisor of 10^9) and 32-bit
 * fractions, from the next assign on (before the bucket holds tokens). */
static inline void pl_tb_hz(pl_tb *b, uint64_t hz) { b->hz = hz; }

/* Click's TokenRateX::assign(rate, capacity). */
static inline void pl_tb_assign(pl_tb *b, uint64_t rate, uint64_t capacity)
{
    if (capacity == 0) {
        rate = 0;
        capacity = 1;
    }
    uint64_t freq = pl_tb_freq(b);
    if (rate) {
        /* Click: capacity holds at least one tick's tokens */
        uint64_t min_capacity = (rate - 1) / freq + 1;
        if (capacity < min_capacity)
            capacity = min_capacity;
    }
    if (capacity > pl_tb_max(b))        /* a jiffy bucket holds at most 2^32-1 tokens */
        capacity = pl_tb_max(b);
    b->rate = rate;
    b->capacity = capacity;
    b->scale = pl_tb_max(b) / capacity;
    unsigned __int128 t = (unsigned __int128)rate * b->scale / freq;
    if (rate) {
        b->tokens_per_tick = t > pl_tb_max(b) ? pl_tb_max(b) : t ? (uint64_t)t : 1;
        b->until_full = (pl_tb_max(b) - 1) / b->tokens_per_tick + 1;
    } else {
        b->tokens_per_tick = 0;
        b->until_full = UINT64_MAX;
    }
}

/* A new rate keeping the fill level (TokenBucketX::assign_adjust). */
static inline void pl_tb_assign_adjust(pl_tb *b, uint64_t rate, uint64_t capacity)
{
    uint64_t old_scale = b->scale;
    pl_tb_assign(b, rate, capacity);
    if (old_scale != b->scale && old_scale) {
        unsigned __int128 t = (unsigned __int128)b->tokens * b->scale / old_scale;
        b->tokens = t > pl_tb_max(b) ? pl_tb_max(b) : (uint64_t)t;
    }
}

static inline void pl_tb_set_full(pl_tb *b) { b->tokens = pl_tb_max(b); }

/* Set to t tokens (set(1): one token, as Click's sources start). */
static inline void pl_tb_set(pl_tb *b, uint64_t t)
{
    unsigned __int128 f = (unsigned __int128)t * b->scale;
    b->tokens = f > pl_tb_max(b) ? pl_tb_max(b) : (uint64_t)f;
}

/* now: ns on the engine clock. */
static inline void pl_tb_refill(pl_tb *b, uint64_t now)
{
    now /= pl_tb_tick_ns(b);
    uint64_t diff = now > b->time ? now - b->time : 0;
    if (diff >= b->until_full)
        b->tokens = pl_tb_max(b);
    else if (diff > 0) {
        unsigned __int128 n = (unsigned __int128)diff * b->tokens_per_tick + b->tokens;
        b->tokens = n > pl_tb_max(b) ? pl_tb_max(b) : (uint64_t)n;
    }
    b->time = now;
}

/* Whole tokens in the bucket. */
static inline uint64_t pl_tb_size(const pl_tb *b) { return b->tokens / b->scale; }

static inline int pl_tb_contains(const pl_tb *b, uint64_t t)
{
    unsigned __int128 f = (unsigned __int128)t * b->scale;
    return f <= b->tokens;
}

/* Remove t tokens (to zero at worst). */
static inline void pl_tb_remove(pl_tb *b, uint64_t t)
{
    unsigned __int128 f = (unsigned __int128)t * b->scale;
    b->tokens = f <= b->tokens ? b->tokens - (uint64_t)f : 0;
}

static inline int pl_tb_remove_if(pl_tb *b, uint64_t t)
{
    unsigned __int128 f = (unsigned __int128)t * b->scale;
    if (f > b->tokens)
        return 0;
    b->tokens -= (uint64_t)f;
    return 1;
}

/* Ticks until the bucket holds t tokens; UINT64_MAX: never. */
static inline uint64_t pl_tb_ticks_until(const pl_tb *b, uint64_t t)
{
    unsigned __int128 f = (unsigned __int128)t * b->scale;
    if (f > pl_tb_max(b))
        return UINT64_MAX;
    if (f <= b->tokens || b->until_full == 0)
        return 0;
    if (!b->tokens_per_tick)
        return UINT64_MAX;
    return ((uint64_t)f - b->tokens - 1) / b->tokens_per_tick + 1;
}

/* Nanoseconds until the bucket holds t tokens (whole ticks); UINT64_MAX: never. */
static inline uint64_t pl_tb_time_until(const pl_tb *b, uint64_t t)
{
    uint64_t k = pl_tb_ticks_until(b, t), ns = pl_tb_tick_ns(b);
    return k == UINT64_MAX ? k : k > UINT64_MAX / ns ? UINT64_MAX : k * ns;
}

/* The rate in tokens per second this bucket really runs at (TokenRateX::rate). */
static inline uint64_t pl_tb_rate(const pl_tb *b)
{
    unsigned __int128 r = ((unsigned __int128)b->tokens_per_tick * pl_tb_freq(b) + b->scale / 2) /
                          b->scale;
    return r > UINT64_MAX ? UINT64_MAX : (uint64_t)r;
}

#endif
