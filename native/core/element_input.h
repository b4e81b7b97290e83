/*
 * Pulling batches in, sources' output, and receive timestamps.
 * Part of element.h (the header element authors include).
 */
#ifndef PL_ELEMENT_INPUT_H
#define PL_ELEMENT_INPUT_H

#include "element_output.h"

/* Pull a batch of at most `max` packets through pull input `port` of `e`
 * (counted on that edge); in per-packet mode, one packet. NULL: none now. */
static inline pl_packet *pl_input_pull(pl_ctx *ctx, pl_element *e, int port, uint32_t max)
{
    pl_edge *in = atomic_load_explicit(&e->in[port], memory_order_acquire);
    if (__builtin_expect(ctx->per_packet, 0))
        max = 1;
    pl_packet *b = in->pull(in->from, in->from_port, max, ctx);
    if (b) {
        PL_FUZZ_EMIT(b);
        uint64_t *s = ctx->port_stats + (size_t)in->stat * 4;
        uint32_t n = b->b_count;
        PL_STAT_ADD(s[0], n);
        PL_STAT_ADD(s[1], b->b_bytes);
        PL_STAT_ADD(s[2], 1);
        PL_STAT_ADD(ctx->hist[(size_t)in->stat * PL_HIST_BINS + (n > 256 ? 257 : n)], 1);
    }
    return b;
}

/* A port's processing from the class's Click processing code ("h/l",
 * "a/ah"): 'h' push, 'l' pull, 'a' agnostic (resolved per element by the
 * core: read pl_input_is_pull / pl_output_is_pull). */
char pl_port_mode(const pl_class *c, int output, int port);

/* Sources push through this: in per-packet mode it emits batches of one.
 * With the engine's timestamps on, it first stamps every packet of the batch
 * that has no first timestamp yet (pl_stamp_batch). */
void pl_output_source(pl_ctx *ctx, pl_element *e, int port, pl_packet *b);

/* Receive/generation timestamps (Engine(timestamps=True)): one clock read per
 * batch (the engine's wall clock, pl_engine_realtime_ns, the clock SetTimestamp
 * FIRST writes) stored in each packet's PL_ANNO_FIRST_TIMESTAMP slot, where
 * LatencyHistogram reads it. A source or receive path stamps in the loop that
 * makes its packets (the line is written there anyway: no extra pass):
 *
 *   uint64_t t = pl_stamp_now(ctx);          // 0 when timestamps are off
 *   ... per packet: if (t) pl_stamp(p, t);
 *
 * pl_output_source stamps a batch whose first packet has no stamp (a source
 * that does not stamp itself), in a pass of its own; packets already stamped
 * (RatedSource's due times, SetTimestamp FIRST upstream) keep theirs. */
#define PL_ANNO_FIRST_TIMESTAMP_SLOT 24   /* = PL_ANNO_FIRST_TIMESTAMP (anno.h) */
static inline void pl_stamp(pl_packet *p, uint64_t t)
{
    memcpy(p->anno + PL_ANNO_FIRST_TIMESTAMP_SLOT, &t, 8);
}
static inline uint64_t pl_stamp_of(const pl_packet *p)
{
    uint64_t t;
    memcpy(&t, p->anno + PL_ANNO_FIRST_TIMESTAMP_SLOT, 8);
    return t;
}
static inline void pl_stamp_batch_at(pl_packet *b, uint64_t t)
{
    for (pl_packet *p = b; p; p = p->next)
        if (!pl_stamp_of(p))
            pl_stamp(p, t);
}
void pl_stamp_batch(pl_ctx *ctx, pl_packet *b);
uint64_t pl_stamp_now(pl_ctx *ctx);
static inline int pl_timestamps_on(const pl_ctx *ctx) { return PL_LIVE(ctx->timestamps); }

#endif
