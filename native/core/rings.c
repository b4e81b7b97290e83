#include "rings.h"

#include <stdlib.h>

int pl_rings_init(pl_rings *r, pl_element *e, uint64_t capacity, pl_error *err)
{
    uint64_t cap = 1;
    while (cap < capacity)
        cap <<= 1;
    r->mask = cap - 1;
    atomic_init(&r->cap, capacity);
    r->n = pl_element_nthreads(e);
    r->next = 0;
    atomic_init(&r->carry, NULL);
    r->ring = aligned_alloc(64, sizeof(pl_ring) * (size_t)r->n);
    if (!r->ring)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    memset(r->ring, 0, sizeof(pl_ring) * (size_t)r->n);
    for (int t = 0; t < r->n; t++) {
        r->ring[t].slot = calloc(cap, sizeof(pl_packet *));
        if (!r->ring[t].slot)
            return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    }
    return 0;
}

void pl_rings_destroy(pl_rings *r, pl_element *e, int counter)
{
    pl_packet *c = atomic_exchange(&r->carry, NULL);
    while (c) {
        pl_packet *next = c->next;
        pl_packet_free_ctl(e, counter, c);
        c = next;
    }
    for (int t = 0; r->ring && t < r->n; t++) {
        pl_ring *g = &r->ring[t];
        uint64_t head = atomic_load(&g->head);
        for (uint64_t k = atomic_load(&g->tail); g->slot && k != head; k++)
            pl_packet_free_ctl(e, counter, g->slot[k & r->mask]);
        free(g->slot);
    }
    free(r->ring);
    r->ring = NULL;
}

pl_packet *pl_rings_put(pl_rings *r, int tid, pl_packet *b, int wait, _Atomic int *stop)
{
    pl_ring *g = &r->ring[tid];
    uint64_t head = atomic_load_explicit(&g->head, memory_order_relaxed);
    uint64_t cap = atomic_load_explicit(&r->cap, memory_order_relaxed);
    pl_packet *p = b, *rest = NULL;
    while (p) {
        if (head - g->tail_seen >= cap) {
            g->tail_seen = atomic_load_explicit(&g->tail, memory_order_acquire);
            if (head - g->tail_seen < cap)
                continue;
            if (wait && !atomic_load_explicit(stop, memory_order_relaxed)) {
#if defined(__x86_64__) || defined(__i386__)
                __builtin_ia32_pause();
#endif
                continue;
            }
            break;
        }
        pl_packet *next = p->next;
        g->slot[head & r->mask] = p;
        head++;
        p = next;
    }
    atomic_store_explicit(&g->head, head, memory_order_release);
    if (p) {
        /* The packets that did not fit still form a list: make it a batch. */
        rest = p;
        pl_batch_recount(rest);
    }
    return rest;
}

pl_packet *pl_rings_get(pl_rings *r, uint32_t max)
{
    pl_packet *b = NULL;
    if (atomic_load_explicit(&r->carry, memory_order_relaxed)) {
        b = atomic_exchange_explicit(&r->carry, NULL, memory_order_acquire);
        if (b)
            return b;                          /* handed-over packets first: they are older */
    }
    uint32_t got = 0;
    for (int k = 0; k < r->n && got < max; k++) {
        int t = (r->next + k) % r->n;
        pl_ring *g = &r->ring[t];
        uint64_t tail = atomic_load_explicit(&g->tail, memory_order_relaxed);
        uint64_t head = atomic_load_explicit(&g->head, memory_order_acquire);
        /* The packets' lines were last written by the producer's core: ask for
         * a few ahead while linking this one (their addresses are in the slots). */
        while (tail != head && got < max) {
            if (head - tail > 4)
                __builtin_prefetch(g->slot[(tail + 4) & r->mask], 1);
            pl_batch_append(&b, g->slot[tail & r->mask]);
            tail++;
            got++;
        }
        atomic_store_explicit(&g->tail, tail, memory_order_release);
    }
    r->next = (r->next + 1) % r->n;
    return b;
}

uint64_t pl_rings_count(pl_rings *r)
{
    uint64_t n = 0;
    for (int t = 0; r->ring && t < r->n; t++)
        n += atomic_load(&r->ring[t].head) - atomic_load(&r->ring[t].tail);
    for (pl_packet *c = atomic_load(&r->carry); c; c = c->next)
        n++;
    return n;
}

void pl_rings_hand_over(pl_rings *from, pl_rings *to)
{
    atomic_store_explicit(&to->carry, pl_rings_take_all(from), memory_order_release);
}

uint64_t pl_rings_count_one(pl_rings *r, int tid)
{
    pl_ring *g = &r->ring[tid];
    return atomic_load_explicit(&g->head, memory_order_relaxed) -
           atomic_load_explicit(&g->tail, memory_order_acquire);
}

int pl_rings_set_capacity(pl_rings *r, uint64_t capacity, pl_packet **dropped)
{
    uint64_t slots = 1;
    while (slots < capacity)
        slots <<= 1;
    uint64_t mask = slots - 1 > r->mask ? slots - 1 : r->mask;
    if (mask != r->mask) {
        for (int t = 0; t < r->n; t++) {
            pl_packet **ns = calloc(mask + 1, sizeof *ns);
            if (!ns)
                return -1;
            pl_ring *g = &r->ring[t];
            uint64_t head = atomic_load(&g->head);
            for (uint64_t k = atomic_load(&g->tail); k != head; k++)
                ns[k & mask] = g->slot[k & r->mask];
            free(g->slot);
            g->slot = ns;
        }
        r->mask = mask;
    }
    for (int t = 0; t < r->n; t++) {
        pl_ring *g = &r->ring[t];
        uint64_t head = atomic_load(&g->head), tail = atomic_load(&g->tail);
        while (head - tail > capacity) {
            head--;
            pl_packet *p = g->slot[head & r->mask];
            /* Newest first off the end: prepend to keep the batch in order. */
            p->next = *dropped;
            p->b_tail = *dropped ? (*dropped)->b_tail : p;
            p->b_count = (*dropped ? (*dropped)->b_count : 0) + 1;
            p->b_bytes = (*dropped ? (*dropped)->b_bytes : 0) + p->len;
            *dropped = p;
        }
        atomic_store(&g->head, head);
        g->tail_seen = tail;
    }
    atomic_store(&r->cap, capacity);
    return 0;
}

pl_packet *pl_rings_take_all(pl_rings *r)
{
    pl_packet *b = NULL;
    for (pl_packet *c = atomic_exchange(&r->carry, NULL); c;) {
        pl_packet *next = c->next;
        pl_batch_append(&b, c);
        c = next;
    }
    for (;;) {
        pl_packet *more = pl_rings_get(r, UINT32_MAX);
        if (!more)
            break;
        pl_batch_join(&b, more);
    }
    return b;
}
