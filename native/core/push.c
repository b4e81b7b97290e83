/*
 * Batch loops the core provides, so that an element author who writes only a
 * per-packet function still gets compute batching (the paper's §5.3
 * compatibility story).
 */
#include "push.h"
#include "anno.h"

_Static_assert(PL_ANNO_FIRST_TIMESTAMP == PL_ANNO_FIRST_TIMESTAMP_SLOT, "element.h's copy of the slot");

/* simple_action: rewrite the batch in place, keeping its links. */
void pl_push_simple(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_packet *(*act)(pl_element *, pl_packet *, pl_ctx *) = e->cls->simple_action;
    pl_packet *head = NULL, *last = NULL;
    uint32_t n = 0;
    uint64_t bytes = 0;
    pl_packet *p = b;
    while (p) {
        pl_packet *next = p->next;
        pl_packet *q = act(e, p, ctx);
        if (q) {
            if (last)
                last->next = q;
            else
                head = q;
            last = q;
            n++;
            bytes += q->len;
        }
        p = next;
    }
    if (!head)
        return;
    last->next = NULL;
    head->b_tail = last;
    head->b_count = n;
    head->b_bytes = bytes;
    pl_output(ctx, e, 0, head);
}

/*
 * classify: one sub-batch per output, each pushed once, in port order.
 * Packets classified to a port the configuration left unconnected are
 * dropped and counted (Click's "an unused output means drop").
 */
void pl_push_classify(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    int (*cls)(pl_element *, pl_packet *, pl_ctx *) = e->cls->classify;
    int nout = e->noutputs;
    pl_packet *outs[PL_MAX_PORTS];
    memset(outs, 0, sizeof(pl_packet *) * (size_t)nout);
    pl_packet *drops = NULL;
    pl_packet *p = b;
    while (p) {
        pl_packet *next = p->next;
        int o = cls(e, p, ctx);
        if (o >= 0 && o < nout)
            pl_batch_append(&outs[o], p);
        else if (o >= 0)
            pl_batch_append(&drops, p);
        /* o < 0: the element consumed the packet itself. */
        p = next;
    }
    if (drops)
        pl_drop_batch(ctx, e, e->cls->unused_output_counter, drops);
    for (int k = 0; k < nout; k++)
        if (outs[k])
            pl_output(ctx, e, k, outs[k]);
}

void pl_stamp_batch(pl_ctx *ctx, pl_packet *b)
{
    pl_stamp_batch_at(b, pl_engine_realtime_ns(ctx->eng));
}

uint64_t pl_stamp_now(pl_ctx *ctx)
{
    return pl_timestamps_on(ctx) ? pl_engine_realtime_ns(ctx->eng) : 0;
}

void pl_output_source(pl_ctx *ctx, pl_element *e, int port, pl_packet *b)
{
    if (__builtin_expect(pl_timestamps_on(ctx), 0) && !pl_stamp_of(b))
        pl_stamp_batch(ctx, b);
    if (!ctx->per_packet || b->b_count == 1) {
        pl_output(ctx, e, port, b);
        return;
    }
    pl_packet *p = b;
    while (p) {
        pl_packet *next = p->next;
        pl_output(ctx, e, port, pl_batch_one(p));
        p = next;
    }
}
