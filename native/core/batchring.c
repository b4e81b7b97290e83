#include "batchring.h"

#include <stdlib.h>

int pl_brings_init(pl_brings *r, pl_element *e, uint64_t capacity, pl_error *err)
{
    uint64_t cap = 1;
    while (cap < capacity)
        cap <<= 1;
    r->mask = cap - 1;                       /* >= capacity slots: a batch has >= 1 packet */
    r->cap = capacity;
    r->n = pl_element_nthreads(e);
    r->next = 0;
    atomic_init(&r->carry, NULL);
    r->ring = aligned_alloc(64, sizeof(pl_bring) * (size_t)r->n);
    if (!r->ring)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    memset(r->ring, 0, sizeof(pl_bring) * (size_t)r->n);
    for (int t = 0; t < r->n; t++) {
        r->ring[t].slot = calloc(cap, sizeof(pl_packet *));
        r->ring[t].pkt = calloc(cap, sizeof(pl_packet *));
        if (!r->ring[t].slot || !r->ring[t].pkt)
            return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    }
    return 0;
}

static void free_batch_ctl(pl_element *e, int counter, pl_packet *b)
{
    while (b) {
        pl_packet *next = b->next;
        pl_packet_free_ctl(e, counter, b);
        b = next;
    }
}

void pl_brings_destroy(pl_brings *r, pl_element *e, int counter)
{
    free_batch_ctl(e, counter, atomic_exchange(&r->carry, NULL));
    for (int t = 0; r->ring && t < r->n; t++) {
        pl_bring *g = &r->ring[t];
        uint64_t head = atomic_load(&g->head);
        for (uint64_t k = atomic_load(&g->tail); g->slot && k != head; k++)
            free_batch_ctl(e, counter, g->slot[k & r->mask]);
        free(g->slot);
        free(g->pkt);
    }
    free(r->ring);
    r->ring = NULL;
}

pl_packet *pl_brings_put(pl_brings *r, int tid, pl_packet *b, int wait, _Atomic int *stop)
{
    pl_bring *g = &r->ring[tid];
    uint64_t head = atomic_load_explicit(&g->head, memory_order_relaxed);
    uint64_t pkts = atomic_load_explicit(&g->head_pkts, memory_order_relaxed);
    while (b) {
        uint64_t room = r->cap - (pkts - g->tail_pkts_seen);
        if (b->b_count > room) {
            g->tail_pkts_seen = atomic_load_explicit(&g->tail_pkts, memory_order_acquire);
            room = r->cap - (pkts - g->tail_pkts_seen);
        }
        pl_packet *rest = NULL;
        if (b->b_count > room) {
            if (!room) {
                if (wait && !atomic_load_explicit(stop, memory_order_relaxed)) {
#if defined(__x86_64__) || defined(__i386__)
                    __builtin_ia32_pause();
#endif
                    continue;
                }
                break;
            }
            rest = pl_batch_split(b, (uint32_t)room);   /* the part that fits goes now */
        }
        uint64_t k = pkts;
        PL_BATCH_FOREACH(p, b)
            g->pkt[k++ & r->mask] = p;
        pkts += b->b_count;
        g->slot[head & r->mask] = b;
        head++;
        /* tail_pkts is read against head_pkts: publish the packets with the slot */
        atomic_store_explicit(&g->head_pkts, pkts, memory_order_relaxed);
        atomic_store_explicit(&g->head, head, memory_order_release);
        b = rest;
    }
    return b;
}

pl_packet *pl_brings_get(pl_brings *r, uint32_t max)
{
    if (atomic_load_explicit(&r->carry, memory_order_relaxed)) {
        pl_packet *c = atomic_exchange_explicit(&r->carry, NULL, memory_order_acquire);
        if (c)
            return c;                        /* handed-over packets first: they are older */
    }
    pl_packet *b = NULL;
    uint32_t got = 0;
    for (int k = 0; k < r->n && got < max; k++) {
        int t = (r->next + k) % r->n;
        pl_bring *g = &r->ring[t];
        uint64_t tail = atomic_load_explicit(&g->tail, memory_order_relaxed);
        uint64_t head = atomic_load_explicit(&g->head, memory_order_acquire);
        if (tail == head)
            continue;
        uint64_t taken = 0;
        const uint64_t tp = atomic_load_explicit(&g->tail_pkts, memory_order_relaxed);
        while (tail != head && got < max) {
            pl_packet *s = g->slot[tail & r->mask];
            /* The producer's core wrote these packets' lines: ask for all of
             * them now (their addresses are in pkt[]), not one link at a time. */
            uint64_t first = tp + taken, upto = atomic_load_explicit(&g->head_pkts,
                                                                    memory_order_relaxed);
            for (uint64_t k = first; k < upto && k < first + (max - got) && k < first + 64; k++)
                __builtin_prefetch(g->pkt[k & r->mask], 1);
            if (s->b_count <= max - got) {
                got += s->b_count;
                taken += s->b_count;
                pl_batch_join(&b, s);
                tail++;
            } else {                         /* take the front of it; the rest stays queued */
                uint32_t k2 = max - got;
                pl_packet *rest = pl_batch_split(s, k2);
                g->slot[tail & r->mask] = rest;
                got += k2;
                taken += k2;
                pl_batch_join(&b, s);
            }
        }
        atomic_store_explicit(&g->tail, tail, memory_order_relaxed);
        atomic_store_explicit(&g->tail_pkts, tp + taken, memory_order_release);
    }
    r->next = (r->next + 1) % r->n;
    return b;
}

uint64_t pl_brings_count(pl_brings *r)
{
    uint64_t n = 0;
    for (int t = 0; r->ring && t < r->n; t++) {
        /* tail first: the packets it counts were put before it was stored */
        uint64_t tp = atomic_load(&r->ring[t].tail_pkts), hp = atomic_load(&r->ring[t].head_pkts);
        n += hp > tp ? hp - tp : 0;
    }
    for (pl_packet *c = atomic_load(&r->carry); c; c = c->next)
        n++;
    return n;
}

pl_packet *pl_brings_take_all(pl_brings *r)
{
    pl_packet *b = NULL;
    for (;;) {
        pl_packet *more = pl_brings_get(r, UINT32_MAX);
        if (!more)
            break;
        pl_batch_join(&b, more);
    }
    return b;
}
