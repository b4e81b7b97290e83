/*
 * The slow path of pl_push / pl_put / pl_writable (element.h): make a packet
 * writable, or give it a larger buffer, as Click's expensive_push and
 * expensive_put do.
 */
#include "element.h"

const char *pl_core_counter(int i)
{
    static const char *const names[PL_CORE_NCOUNTERS] = {"grown", "linearized"};
    return i >= 0 && i < PL_CORE_NCOUNTERS ? names[i] : NULL;
}

int pl_core_ncounters(void) { return PL_CORE_NCOUNTERS; }

pl_packet *pl_grow(pl_ctx *ctx, pl_element *e, int drop, pl_packet *p, uint32_t front,
                   uint32_t back, int unique)
{
    uint32_t head = pl_headroom(p), tail = pl_tailroom(p);
    pl_packet *q;
    if (head >= front && tail >= back) {
        /* Room enough, but shared: a private copy, the same room. */
        q = unique ? pl_packet_uniqueify(ctx->pool, p) : p;
    } else if ((uint64_t)p->len + front + back > PL_MAX_LEN) {
        q = NULL;
    } else {
        /* A larger buffer: room for this push (and the usual headroom in
         * front of it, so that the next header costs no copy), or the put. */
        uint32_t h = front > head ? front + PL_HEADROOM : head < PL_HEADROOM ? head : PL_HEADROOM;
        if (h < front || (uint64_t)h + p->len + back > PL_BUFSIZE_MAX)
            h = front;
        q = pl_packet_reroom(ctx->pool, p, h, back);
        if (q)
            pl_count_core(ctx, PL_CORE_GROWN, 1);
    }
    if (!q) {
        pl_drop(ctx, e, drop, p);
        return NULL;
    }
    q->data -= front;
    q->len += front + back;
    return q;
}
