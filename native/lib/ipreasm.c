/* IPReassembler's datagram table (ipreasm.h). */
#include "ipreasm.h"

#include <stdlib.h>

int ra_table_init(ra_table *t, uint64_t himem)
{
    t->mem_high = himem;
    t->mem_low = (himem >> 2) * 3;
    /* under HIMEM at most HIMEM / 48 datagrams are held, and one more may come */
    t->nslots = (uint32_t)(himem / (RA_MEM_PER + 8) + 2);
    t->slots = calloc(t->nslots, sizeof *t->slots);
    if (!t->slots)
        return -1;
    for (uint32_t k = 0; k < t->nslots; k++)
        t->slots[k].next = k + 1 < t->nslots ? (int32_t)(k + 1) : -1;
    t->free_slot = 0;
    for (int b = 0; b < RA_NMAP; b++)
        t->map[b] = -1;
    return 0;
}

void ra_table_destroy(ra_table *t, pl_element *e, int counter)
{
    for (uint32_t k = 0; t->slots && k < t->nslots; k++)
        if (t->slots[k].q)
            pl_packet_free_ctl(e, counter, t->slots[k].q);
    free(t->slots);
    t->slots = NULL;
}

static void ra_mem(ra_table *t, int64_t delta)
{
    atomic_store_explicit(&t->mem_used, (uint64_t)((int64_t)ra_mem_used(t) + delta),
                          memory_order_relaxed);
}

static inline int ra_same(const uint8_t *a, const uint8_t *b)
{
    return !memcmp(a + 4, b + 4, 2) && a[9] == b[9] && !memcmp(a + 12, b + 12, 8);
}

int32_t *ra_find(ra_table *t, const uint8_t *ip)
{
    int32_t *link = &t->map[ra_bucket(ip)];
    while (*link >= 0 && !ra_same(ip, pl_net_header(t->slots[*link].q)))
        link = &t->slots[*link].next;
    return link;
}

int ra_add(ra_table *t, pl_packet *q, uint32_t off, uint32_t lastoff)
{
    int32_t k = t->free_slot;
    if (k < 0)
        return -1;
    ra_slot *s = &t->slots[k];
    t->free_slot = s->next;
    s->q = q;
    s->first = (ra_chunk){(uint16_t)off, (uint16_t)lastoff};
    s->tlen = lastoff;
    s->sec = (int64_t)(q->timestamp / 1000000000u);
    int b = ra_bucket(pl_net_header(q));
    s->next = t->map[b];
    t->map[b] = k;
    ra_mem(t, RA_MEM_PER + lastoff);
    atomic_fetch_add_explicit(&t->pending, 1, memory_order_relaxed);
    return 0;
}

pl_packet *ra_unlink(ra_table *t, int32_t *link)
{
    int32_t k = *link;
    ra_slot *s = &t->slots[k];
    pl_packet *q = s->q;
    *link = s->next;
    ra_mem(t, -(int64_t)(RA_MEM_PER + s->tlen));
    s->q = NULL;
    s->next = t->free_slot;
    t->free_slot = k;
    atomic_fetch_sub_explicit(&t->pending, 1, memory_order_relaxed);
    return q;
}

static inline ra_chunk ra_load(const ra_slot *s, int at)
{
    ra_chunk c = s->first;
    if (at >= 0)
        memcpy(&c, ra_payload(s->q) + at, sizeof c);
    return c;
}

static inline void ra_store(ra_slot *s, int at, ra_chunk c)
{
    if (at < 0)
        s->first = c;
    else
        memcpy(ra_payload(s->q) + at, &c, sizeof c);
}

void ra_extend(ra_table *t, ra_slot *s, uint32_t len)
{
    uint32_t old = s->tlen;
    memset(ra_payload(s->q) + old, 0, len - old);   /* holes read as zeros */
    s->tlen = len;
    /* the last chunk ended at old: an empty chunk at the new end follows it */
    ra_store(s, (int)old, (ra_chunk){(uint16_t)len, (uint16_t)len});
    ra_mem(t, len - old);
}

int ra_add_chunk(ra_slot *s, uint32_t a, uint32_t z)
{
    /* c: the first chunk ending at or after a; l: the first ending at or after z */
    int cat = -1;
    ra_chunk c = s->first;
    while (c.lastoff < a && c.lastoff < s->tlen) {
        cat = c.lastoff;
        c = ra_load(s, cat);
    }
    ra_chunk l = c;
    while (l.lastoff < z && l.lastoff < s->tlen)
        l = ra_load(s, l.lastoff);
    if (z < l.off) {             /* a hole stays before l: its link moves to z */
        if (l.off - z < sizeof(ra_chunk))
            return -1;
        ra_store(s, (int)z, l);
        c.lastoff = (uint16_t)z;
    } else
        c.lastoff = l.lastoff;
    if (a < c.off)
        c.off = (uint16_t)a;
    ra_store(s, cat, c);
    return 0;
}

pl_packet *ra_expire(ra_table *t, int64_t older_than)
{
    pl_packet *out = NULL;
    for (int b = 0; b < RA_NMAP; b++)
        for (int32_t *link = &t->map[b]; *link >= 0;)
            if (t->slots[*link].sec < older_than)
                pl_batch_append(&out, ra_unlink(t, link));
            else
                link = &t->slots[*link].next;
    return out;
}

pl_packet *ra_evict(ra_table *t, int64_t now)
{
    pl_packet *out = NULL;
    for (int delta = 10; delta >= 0; delta -= 5)
        for (int b = 0; b < RA_NMAP; b++)
            for (int32_t *link = &t->map[b]; *link >= 0;)
                if (!delta || t->slots[*link].sec < now - delta) {
                    pl_batch_append(&out, ra_unlink(t, link));
                    if (ra_mem_used(t) <= t->mem_low)
                        return out;
                } else
                    link = &t->slots[*link].next;
    return out;
}
