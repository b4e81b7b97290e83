/* ICMPPingSource's receiver (Click's ReceiverInfo): send times by sequence
 * number, reply counts and round-trip times in microseconds, with Click's
 * formats. Replies may come on any worker: everything is atomic. */
#ifndef PL_ELEMENTS_PING_STATS_H
#define PL_ELEMENTS_PING_STATS_H

#include "../../core/element.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    _Atomic int64_t send_ts[65536];   /* ns, by the sequence field's raw value; negated once answered */
    _Atomic uint64_t nreceived, nduplicate, time_sum, time_sq_sum;
    _Atomic uint32_t time_min, time_max;
} pl_ping_stats;

static inline void pl_ping_sent(pl_ping_stats *st, uint16_t seq_raw, uint64_t ts)
{
    atomic_store_explicit(&st->send_ts[seq_raw], (int64_t)ts, memory_order_relaxed);
}

static inline void pl_ping_min(_Atomic uint32_t *v, uint32_t x, int first)
{
    uint32_t o = atomic_load(v);
    while ((first || x < o) && !atomic_compare_exchange_weak(v, &o, x))
        ;
}

static inline void pl_ping_max(_Atomic uint32_t *v, uint32_t x, int first)
{
    uint32_t o = atomic_load(v);
    while ((first || x > o) && !atomic_compare_exchange_weak(v, &o, x))
        ;
}

/* A reply to request seq_raw, received at rx_ts (0: no timestamp, RTT 0).
 * 0 when no such request was sent (Click ignores it). */
static inline int pl_ping_received(pl_ping_stats *st, uint16_t seq_raw, uint64_t rx_ts,
                                   uint32_t *diff)
{
    int64_t ts = atomic_load_explicit(&st->send_ts[seq_raw], memory_order_relaxed);
    *diff = 0;
    if (!ts)
        return 0;
    if (ts < 0) {
        atomic_fetch_add(&st->nduplicate, 1);
        ts = -ts;
    }
    if (rx_ts) {
        /* Click: (timestamp - send time).usecval() into a uint32_t. */
        *diff = (uint32_t)(((int64_t)rx_ts - ts) / 1000);
        int first = atomic_load(&st->nreceived) == 0;
        pl_ping_min(&st->time_min, *diff, first);
        pl_ping_max(&st->time_max, *diff, first);
        atomic_fetch_add(&st->time_sum, *diff);
        atomic_fetch_add(&st->time_sq_sum, (uint64_t)*diff * *diff);
    }
    atomic_fetch_add(&st->nreceived, 1);
    atomic_store_explicit(&st->send_ts[seq_raw], -ts, memory_order_relaxed);
    return 1;
}

static inline void pl_ping_reset(pl_ping_stats *st)
{
    for (size_t i = 0; i < 65536; i++)
        atomic_store_explicit(&st->send_ts[i], 0, memory_order_relaxed);
    atomic_store(&st->nreceived, 0);
    atomic_store(&st->nduplicate, 0);
    atomic_store(&st->time_sum, 0);
    atomic_store(&st->time_sq_sum, 0);
    atomic_store(&st->time_min, 0);
    atomic_store(&st->time_max, 0);
}

static inline uint32_t pl_ping_avg(pl_ping_stats *st)
{
    uint64_t nr = atomic_load(&st->nreceived);
    return (uint32_t)(atomic_load(&st->time_sum) / (nr ? nr : 1));
}

/* Click's cp_unparse_microseconds: "250us", "0.0015s", "2s", "0s". */
static inline int pl_ping_fmt_us(char *buf, size_t len, uint64_t us)
{
    if (us && us < 1000)
        return pl_fmt(buf, len, "%lluus", (unsigned long long)us);
    char f[16];
    snprintf(f, sizeof f, "%06llu", (unsigned long long)(us % 1000000));
    size_t n = strlen(f);
    while (n && f[n - 1] == '0')
        f[--n] = 0;
    return pl_fmt(buf, len, "%llu%s%ss", (unsigned long long)(us / 1000000), n ? "." : "", f);
}

/* Click's summary handler, byte for byte (its line breaks included). */
static inline int pl_ping_summary(pl_ping_stats *st, uint64_t count, char *buf, size_t len)
{
    uint64_t nr = atomic_load(&st->nreceived), nd = atomic_load(&st->nduplicate);
    size_t n = 0;
    int k = snprintf(buf, len, "%llu packets transmitted, %llu received",
                     (unsigned long long)count, (unsigned long long)(nr - nd));
    if (k < 0 || (size_t)k >= len)
        return -1;
    n = (size_t)k;
    if (nd) {
        k = snprintf(buf + n, len - n, ", +%llu duplicates", (unsigned long long)nd);
        if (k < 0 || (n += (size_t)k) >= len)
            return -1;
    }
    if (count) {
        k = snprintf(buf + n, len - n, ", %d%% packet loss\n",
                     (int)(((int64_t)count - (int64_t)nr - (int64_t)nd) * 100 / (int64_t)count));
        if (k < 0 || (n += (size_t)k) >= len)
            return -1;
    }
    if (nr) {
        uint64_t avg = atomic_load(&st->time_sum) / nr, avg_sq = atomic_load(&st->time_sq_sum) / nr;
        uint64_t mdev = (uint64_t)sqrt((double)(avg_sq - avg * avg));
        uint32_t mn = atomic_load(&st->time_min), mx = atomic_load(&st->time_max);
        k = snprintf(buf + n, len - n, "rtt min/avg/max/mdev = %u.%03u/%u.%03u/%u.%03u/%u.%03u\n",
                     mn / 1000, mn % 1000, (unsigned)(avg / 1000), (unsigned)(avg % 1000),
                     mx / 1000, mx % 1000, (unsigned)(mdev / 1000), (unsigned)(mdev % 1000));
        if (k < 0 || (size_t)k >= len - n)
            return -1;
    }
    return 0;
}

#endif
