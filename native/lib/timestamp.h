/*
 * Packet timestamps as Click writes them. pktlab keeps a packet's timestamp
 * annotation as nanoseconds in pl_packet.timestamp; elements that shift it
 * (AdjustTimestamp, SetTimestampDelta) may make it negative, so it is read
 * as a signed count. Click prints a timestamp as seconds with six decimals
 * ("1.000030", "-0.900000").
 */
#ifndef PL_TIMESTAMP_H
#define PL_TIMESTAMP_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

static inline int64_t pl_ts_get(const uint64_t *ts) { return (int64_t)*ts; }
static inline void pl_ts_set(uint64_t *ts, int64_t v) { *ts = (uint64_t)v; }

static inline int64_t pl_ts_from_sec(double s)
{
    return (int64_t)(s * 1e9 + (s < 0 ? -0.5 : 0.5));     /* rounded (no libm) */
}

/* Times a configuration may give, in seconds either way (about 126 years):
 * a timestamp plus one of them stays far inside int64 nanoseconds. */
#define PL_TS_MAX_SEC 4e9

/* s seconds as ns in *ns; -1 (nothing stored) outside PL_TS_MAX_SEC or NaN. */
static inline int pl_ts_from_sec_checked(double s, int64_t *ns)
{
    if (!(s > -PL_TS_MAX_SEC && s < PL_TS_MAX_SEC))
        return -1;
    *ns = pl_ts_from_sec(s);
    return 0;
}

/* a + b and a - b wrapping as the unsigned annotation does (never UB). */
static inline int64_t pl_ts_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline int64_t pl_ts_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }

/* Wall-clock now, as Click's Timestamp::now(). */
static inline int64_t pl_ts_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Click's Timestamp::unparse (microsecond precision). */
static inline int pl_ts_format(char *buf, size_t len, int64_t ns)
{
    int neg = ns < 0;
    uint64_t a = neg ? (uint64_t)-(ns + 1) + 1 : (uint64_t)ns;
    uint64_t us = a / 1000;
    return snprintf(buf, len, "%s%llu.%06llu", neg ? "-" : "",
                    (unsigned long long)(us / 1000000), (unsigned long long)(us % 1000000));
}

#endif
