/* AggregateIPFlows's tables: host pairs (open addressing) and their flows. */
#include "aggregate_ip_flows.h"
#include "../../lib/netpkt.h"

#include <stdlib.h>

static uint32_t aif_pair_hash(uint32_t a, uint32_t b) { return (a << 12) + b + ((a >> 20) & 0x1f); }

static int aif_map_grow(aif_map *m)
{
    uint32_t cap = m->cap ? m->cap * 2 : 64;
    aif_pair *v = calloc(cap, sizeof *v);
    if (!v)
        return -1;
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->v[i].used) {
            uint32_t j = aif_pair_hash(m->v[i].a, m->v[i].b) & (cap - 1);
            while (v[j].used)
                j = (j + 1) & (cap - 1);
            v[j] = m->v[i];
        }
    free(m->v);
    m->v = v, m->cap = cap;
    return 0;
}

aif_pair *aif_map_find(aif_map *m, uint32_t a, uint32_t b)
{
    if (m->n * 2 >= m->cap && aif_map_grow(m))
        return NULL;
    uint32_t j = aif_pair_hash(a, b) & (m->cap - 1);
    while (m->v[j].used) {
        if (m->v[j].a == a && m->v[j].b == b)
            return &m->v[j];
        j = (j + 1) & (m->cap - 1);
    }
    m->v[j] = (aif_pair){.a = a, .b = b, .used = 1};
    m->n++;
    return &m->v[j];
}

const uint8_t *aif_flow_header(const pl_packet *p, const aif_state *s, int *paint)
{
    const uint8_t *ip = pl_net_header(p);
    uint32_t n = pl_net_length(p);
    *paint = 0;
    if (n < 20 || (ip[0] >> 4) != 4 || pl_ip_hl(ip) < 20 || pl_ip_hl(ip) > n)
        return NULL;
    if (ip[9] == 1 && pl_ip_first_fragment(ip) && s->icmp) {
        const uint8_t *icmp = ip + pl_ip_hl(ip);
        uint32_t tl = n - pl_ip_hl(ip);
        if (tl < 8)
            return NULL;
        int t = icmp[0];
        if (t != 3 && t != 11 && t != 12 && t != 4 && t != 5)
            return NULL;
        const uint8_t *q = icmp + 8;
        if (tl < 8 + 20 || pl_ip_hl(q) < 20 || tl < 8 + pl_ip_hl(q))
            return NULL;
        *paint = 2;
        return q;
    }
    return ip;
}

void aif_emit_hook(const pl_packet *p, const uint8_t *ip, aif_flow *f)
{
    f->last_sec = aif_sec(p);
    const uint8_t *end = p->data + p->len, *tcp = ip + pl_ip_hl(ip);
    if (ip[9] == 6 && pl_ip_first_fragment(ip) && tcp + 14 <= end && p->paint < 2) {
        uint8_t flags = tcp[13];
        if (flags & 0x04)
            f->over = 3;
        else if (flags & 0x01)
            f->over |= (uint8_t)(1 << p->paint);
        else if (flags & 0x02)
            f->over = 0;
    }
}

static uint64_t aif_relevant_timeout(const aif_state *s, const aif_flow *f, int udp)
{
    return udp ? s->udp_timeout : f->over == 3 ? s->tcp_done_timeout : s->tcp_timeout;
}

aif_flow *aif_find_flow(aif_state *s, aif_pair *hp, int udp, uint32_t ports, int flipped,
                           const pl_packet *p, const uint8_t *ip)
{
    for (aif_flow **pp = &hp->flows, *f = *pp; f; pp = &f->next, f = *pp)
        if (f->ports == ports) {
            int64_t age = aif_sec(p) - f->last_sec;
            const uint8_t *tcp = ip + pl_ip_hl(ip);
            int syn = ip[9] == 6 && tcp + 14 <= p->data + p->len && (tcp[13] & 0x02);
            if ((age > (int64_t)s->smallest_timeout && age > (int64_t)aif_relevant_timeout(s, f, udp))
                || (f->over == 3 && syn)) {
                f->agg = s->next++;          /* the old flow died: a new number */
                f->reverse = (uint8_t)flipped;
                f->over = 0;
            }
            *pp = f->next;                   /* to the front */
            f->next = hp->flows;
            hp->flows = f;
            return f;
        }
    aif_flow *f = malloc(sizeof *f);
    if (!f)
        return NULL;
    *f = (aif_flow){.ports = ports, .agg = s->next++, .reverse = (uint8_t)flipped,
                    .next = hp->flows};
    hp->flows = f;
    return f;
}
