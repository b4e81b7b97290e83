#include "pktring.h"

#include <stdlib.h>

int pl_pktrings_init(pl_pktrings *rs, int nthreads, uint64_t capacity, uint64_t snaplen)
{
    rs->n = nthreads;
    rs->capacity = capacity;
    rs->snaplen = snaplen;
    rs->r = aligned_alloc(64, sizeof(pl_pktring) * (size_t)nthreads);
    if (!rs->r)
        return -1;
    memset(rs->r, 0, sizeof(pl_pktring) * (size_t)nthreads);
    for (int t = 0; t < nthreads; t++) {
        rs->r[t].meta = calloc(capacity, sizeof(pl_pkt_meta));
        rs->r[t].data = malloc(capacity * (snaplen ? snaplen : 1));
        if (!rs->r[t].meta || !rs->r[t].data)
            return -1;
    }
    return 0;
}

void pl_pktrings_free(pl_pktrings *rs)
{
    for (int t = 0; rs->r && t < rs->n; t++) {
        free(rs->r[t].meta);
        free(rs->r[t].data);
    }
    free(rs->r);
    rs->r = NULL;
}

uint32_t pl_pktring_put(pl_pktrings *rs, int tid, const pl_packet *b, uint64_t every,
                        uint64_t *phase, uint32_t *missed)
{
    pl_pktring *r = &rs->r[tid];
    uint64_t cap = rs->capacity, snap = rs->snaplen;
    uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    uint32_t stored = 0;
    *missed = 0;
    for (const pl_packet *p = b; p; p = p->next) {
        if (every > 1 && (*phase)++ % every)
            continue;
        if (head - r->tail_cache >= cap) {
            r->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
            if (head - r->tail_cache >= cap) {
                (*missed)++;
                continue;
            }
        }
        uint64_t slot = head % cap;
        pl_pkt_meta *m = &r->meta[slot];
        m->orig_len = p->len;
        m->len = p->len < snap ? p->len : (uint32_t)snap;
        m->dst_ip = p->dst_ip;
        m->paint = p->paint;
        m->thread = (uint8_t)tid;
        m->timestamp = p->timestamp;
        memcpy(m->anno, p->anno, sizeof m->anno);
        memcpy(r->data + slot * snap, p->data, m->len);
        head++;
        stored++;
    }
    atomic_store_explicit(&r->head, head, memory_order_release);
    return stored;
}

int pl_pktrings_drain(pl_pktrings *rs, uint8_t *data, size_t cap, pl_pkt_meta *meta,
                      uint32_t maxn, uint32_t *got)
{
    size_t used = 0;
    for (int t = 0; rs->r && t < rs->n; t++) {
        pl_pktring *r = &rs->r[t];
        uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
        uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
        for (; tail < head && *got < maxn; tail++) {
            uint64_t slot = tail % rs->capacity;
            const pl_pkt_meta *m = &r->meta[slot];
            if (used + m->len > cap)
                break;
            memcpy(data + used, r->data + slot * rs->snaplen, m->len);
            meta[(*got)++] = *m;
            used += m->len;
        }
        atomic_store_explicit(&r->tail, tail, memory_order_release);
        if (*got == maxn || tail < head)
            break;
    }
    return 0;
}

uint64_t pl_pktrings_pending(const pl_pktrings *rs)
{
    uint64_t n = 0;
    for (int t = 0; rs->r && t < rs->n; t++)
        n += atomic_load(&rs->r[t].head) - atomic_load(&rs->r[t].tail);
    return n;
}
