#include "pktring.h"

#include <stdlib.h>

int pl_pktrings_init(pl_pktrings *rs, int nthreads, uint64_t capacity, uint64_t snaplen,
                     uint64_t bytes)
{
    if (!bytes) {
        bytes = capacity * 2048;
        if (bytes < 2 * snaplen)
            bytes = 2 * snaplen;
    }
    rs->n = nthreads;
    rs->capacity = capacity;
    rs->snaplen = snaplen;
    rs->bytes = bytes ? bytes : 1;
    rs->r = aligned_alloc(64, sizeof(pl_pktring) * (size_t)nthreads);
    if (!rs->r)
        return -1;
    memset(rs->r, 0, sizeof(pl_pktring) * (size_t)nthreads);
    for (int t = 0; t < nthreads; t++) {
        rs->r[t].slot = calloc(capacity, sizeof(pl_pktring_slot));
        rs->r[t].data = malloc(rs->bytes);
        if (!rs->r[t].slot || !rs->r[t].data)
            return -1;
    }
    return 0;
}

void pl_pktrings_free(pl_pktrings *rs)
{
    for (int t = 0; rs->r && t < rs->n; t++) {
        free(rs->r[t].slot);
        free(rs->r[t].data);
    }
    free(rs->r);
    rs->r = NULL;
}

/* Room for a record of len bytes: its byte position, or UINT64_MAX. */
static uint64_t room(pl_pktring *r, uint64_t bytes, uint32_t len)
{
    uint64_t pos = r->bytes_head;
    if (pos % bytes + len > bytes)
        pos += bytes - pos % bytes;           /* it would straddle the end: start over */
    if (pos + len - r->bytes_tail_cache > bytes) {
        r->bytes_tail_cache = atomic_load_explicit(&r->bytes_tail, memory_order_acquire);
        if (pos + len - r->bytes_tail_cache > bytes)
            return UINT64_MAX;
    }
    return pos;
}

uint32_t pl_pktring_put(pl_pktrings *rs, int tid, const pl_packet *b, uint64_t every,
                        uint64_t *phase, uint32_t *missed)
{
    pl_pktring *r = &rs->r[tid];
    uint64_t cap = rs->capacity, snap = rs->snaplen, bytes = rs->bytes;
    uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    uint32_t stored = 0;
    *missed = 0;
    for (const pl_packet *p = b; p; p = p->next) {
        if (every > 1 && (*phase)++ % every)
            continue;
        uint32_t len = p->len < snap ? p->len : (uint32_t)snap;
        uint64_t pos = UINT64_MAX;
        if (head - r->tail_cache >= cap)
            r->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
        if (head - r->tail_cache >= cap || (pos = room(r, bytes, len)) == UINT64_MAX) {
            (*missed)++;
            continue;
        }
        pl_pktring_slot *s = &r->slot[head % cap];
        pl_pkt_meta *m = &s->m;
        m->orig_len = p->len;
        m->len = len;
        m->dst_ip = p->dst_ip;
        m->paint = p->paint;
        m->thread = (uint8_t)tid;
        const uint8_t *nh = p->net_off != PL_OFF_UNSET ? p->buf + p->net_off : NULL;
        m->net_off = nh && nh >= p->data && nh - p->data < PL_OFF_UNSET
                         ? (uint16_t)(nh - p->data) : PL_OFF_UNSET;
        m->timestamp = p->timestamp;
        memcpy(m->anno, p->anno, sizeof m->anno);
        memcpy(r->data + pos % bytes, p->data, len);
        s->pos = pos;
        r->bytes_head = pos + len;
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
        uint64_t btail = atomic_load_explicit(&r->bytes_tail, memory_order_relaxed);
        for (; tail < head && *got < maxn; tail++) {
            const pl_pktring_slot *s = &r->slot[tail % rs->capacity];
            if (used + s->m.len > cap)
                break;
            memcpy(data + used, r->data + s->pos % rs->bytes, s->m.len);
            meta[(*got)++] = s->m;
            used += s->m.len;
            btail = s->pos + s->m.len;
        }
        atomic_store_explicit(&r->bytes_tail, btail, memory_order_release);
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
