/* A fast per-element random generator (xorshift64*), for sampling and
 * random switching on the data path; seeded per element. */
#ifndef PL_RANDOM_H
#define PL_RANDOM_H

#include <stdint.h>
#include <stdlib.h>

static inline uint64_t pl_rand_next(uint64_t *s)
{
    uint64_t x = *s ? *s : 0x9E3779B97F4A7C15ull;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, n). */
static inline uint32_t pl_rand_below(uint64_t *s, uint32_t n)
{
    return (uint32_t)(((pl_rand_next(s) >> 32) * (uint64_t)n) >> 32);
}

/* A seed from an element's name and address: different per element. */
static inline uint64_t pl_rand_seed(const void *p, const char *name)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)p;
    for (; name && *name; name++)
        h = (h ^ (unsigned char)*name) * 1099511628211ull;
    return h ? h : 1;
}

/* Click's click_random(low, high) over random(3), the generator RandomSeed
 * seeds: the same numbers as Click after the same seed (glibc's RAND_MAX is
 * Click's CLICK_RAND_MAX). random(3) holds a lock: for draws off the
 * per-packet path (a rewriter's new flow), where Click's sequence matters. */
static inline uint32_t pl_click_random(uint32_t low, uint32_t high)
{
    if (low >= high)
        return low;
    uint32_t r, span = high - low;
    if (span > (uint32_t)RAND_MAX) {
        while ((r = ((uint32_t)random() << 17) ^ ((uint32_t)random() >> 14)) > span)
            ;
        return r + low;
    }
    if (span == 1)
        return low + (((uint32_t)random() >> 14) & 1);
    uint32_t count = ((uint32_t)RAND_MAX + 1) / (span + 1), max = count * (span + 1);
    while ((r = (uint32_t)random()) >= max)
        ;
    return r / count + low;
}

#endif
