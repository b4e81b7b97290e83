/*
 * Pushing batches out, counting, dropping, and growing packets.
 * Part of element.h (the header element authors include).
 */
#ifndef PL_ELEMENT_OUTPUT_H
#define PL_ELEMENT_OUTPUT_H

#include "element_clock.h"

/* Statistics are written by their one owning thread and read by the control
 * thread at any time: relaxed atomic load+store (plain moves on x86, no locked
 * instruction), so readers never see a torn value and TSan sees no race. */
#define PL_STAT_ADD(x, n) \
    __atomic_store_n(&(x), __atomic_load_n(&(x), __ATOMIC_RELAXED) + (n), __ATOMIC_RELAXED)

/* Push a batch out of port `port` of `e`: count it, then hand it on. */
static inline void pl_output(pl_ctx *ctx, pl_element *e, int port, pl_packet *b)
{
    pl_edge *o = atomic_load_explicit(&e->out[port], memory_order_acquire);
    uint64_t *s = ctx->port_stats + (size_t)o->stat * 4;
    uint32_t n = b->b_count;
    pl_bd_mark(ctx, PL_BD_DISPATCH);
    PL_STAT_ADD(s[0], n);
    PL_STAT_ADD(s[1], b->b_bytes);
    PL_STAT_ADD(s[2], 1);
    PL_STAT_ADD(ctx->hist[(size_t)o->stat * PL_HIST_BINS + (n > 256 ? 257 : n)], 1);
    pl_bd_mark(ctx, PL_BD_STATS);
    PL_FUZZ_EMIT(b);
    if (__builtin_expect(ctx->cycles, 0)) {
        uint64_t t0 = pl_rdtsc();
        o->push(o->to, o->to_port, b, ctx);
        PL_STAT_ADD(s[3], pl_rdtsc() - t0);
        return;
    }
    o->push(o->to, o->to_port, b, ctx);
}

static inline void pl_count(pl_ctx *ctx, pl_element *e, int counter, uint64_t n)
{
    PL_STAT_ADD(ctx->counters[e->counter_base + (uint32_t)counter], n);
}

/* Free one packet and count it under drop reason `counter`. */
static inline void pl_drop(pl_ctx *ctx, pl_element *e, int counter, pl_packet *p)
{
    pl_count(ctx, e, counter, 1);
    pl_packet_free(ctx->pool, p);
}

static inline void pl_drop_batch(pl_ctx *ctx, pl_element *e, int counter, pl_packet *b)
{
    if (!b)
        return;
    pl_count(ctx, e, counter, b->b_count);
    pl_batch_free(ctx->pool, b);
}

/*
 * The core's own counters: the first PL_CORE_NCOUNTERS counters of every
 * thread's block in the statistics region (element counters follow), named
 * by pl_core_counter() for Python and the telemetry.
 *   grown       packets moved to a larger buffer by pl_push / pl_put (the
 *               slow path: a copy of the packet)
 *   linearized  multi-segment device packets made contiguous (DPDK jumbo
 *               frames in chained mbufs)
 */
enum { PL_CORE_GROWN, PL_CORE_LINEARIZED, PL_CORE_NCOUNTERS };

static inline void pl_count_core(pl_ctx *ctx, int counter, uint64_t n)
{
    PL_STAT_ADD(ctx->counters[counter], n);
}

/*
 * Growing packets (Click's push(), put(), uniqueify()). Each returns the
 * packet to use from then on (today the same pointer: the data moves, the
 * metadata stays, so batch links stay valid; write `p = pl_push(...)`
 * anyway), writable, with its length changed; or NULL when no buffer could
 * be had or the packet would exceed PL_MAX_LEN: the packet was then freed
 * and counted under drop reason `drop` of `e`. Header annotations follow
 * the data. The fast path is one compare; moving to a larger buffer is
 * counted as "grown" (PL_CORE_GROWN).
 *
 *   p = pl_push(ctx, e, C_NOBUFS, p, 14);    // 14 bytes in front: a header
 *   if (!p) return NULL;
 *   memcpy(p->data, hdr, 14);
 *
 * pl_push            n bytes in front (Click's push)
 * pl_push_nonunique  n bytes in front, copied only when the headroom is too
 *                    small (Click's nonunique_push: Unstrip; do not write)
 * pl_put             n bytes at the end (Click's put); new bytes are not set
 * pl_writable        a private copy of shared data (Click's uniqueify)
 * pl_packet_pull, pl_packet_take (packet.h) shrink a packet in place.
 */
pl_packet *pl_grow(pl_ctx *ctx, pl_element *e, int drop, pl_packet *p, uint32_t front,
                   uint32_t back, int unique);

static inline pl_packet *pl_push(pl_ctx *ctx, pl_element *e, int drop, pl_packet *p, uint32_t n)
{
    if (__builtin_expect(pl_headroom(p) >= n && !pl_packet_shared(p), 1)) {
        pl_packet_push(p, n);
        return p;
    }
    return pl_grow(ctx, e, drop, p, n, 0, 1);
}

static inline pl_packet *pl_push_nonunique(pl_ctx *ctx, pl_element *e, int drop, pl_packet *p,
                                           uint32_t n)
{
    if (__builtin_expect(pl_headroom(p) >= n, 1)) {
        pl_packet_push(p, n);
        return p;
    }
    return pl_grow(ctx, e, drop, p, n, 0, 0);
}

static inline pl_packet *pl_put(pl_ctx *ctx, pl_element *e, int drop, pl_packet *p, uint32_t n)
{
    if (__builtin_expect(pl_tailroom(p) >= n && !pl_packet_shared(p), 1)) {
        pl_packet_put(p, n);
        return p;
    }
    return pl_grow(ctx, e, drop, p, 0, n, 1);
}

static inline pl_packet *pl_writable(pl_ctx *ctx, pl_element *e, int drop, pl_packet *p)
{
    if (__builtin_expect(!pl_packet_shared(p), 1))
        return p;
    return pl_grow(ctx, e, drop, p, 0, 0, 1);
}

#endif
