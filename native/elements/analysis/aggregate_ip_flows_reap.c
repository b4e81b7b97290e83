/* AggregateIPFlows's reaping: flows past their timeout, fragments that waited too long. */
#include "aggregate_ip_flows.h"
#include "../../core/anno.h"
#include "../../lib/netpkt.h"

#include <stdlib.h>

static void out(pl_packet **b, pl_packet *p) { pl_batch_append(b, p); }

/* The first waiting fragment leaves: annotated from (or annotating) the
 * others of its IP ID; one that no first fragment named is dropped. */
void aif_emit_fragment_head(pl_element *e, aif_pair *hp, pl_packet **yes, pl_ctx *ctx)
{
    pl_packet *head = hp->fhead;
    hp->fhead = head->next;
    aif_state *s = PL_STATE(e, aif_state);
    int paint;
    const uint8_t *ip = aif_flow_header(head, s, &paint);
    uint16_t id = pl_rd16(ip + 4);
    uint32_t agg = pl_anno_u32(head, PL_ANNO_AGGREGATE);
    for (pl_packet *p = hp->fhead; p; p = p->next) {
        const uint8_t *q = aif_flow_header(p, s, &paint);
        if (pl_rd16(q + 4) != id)
            continue;
        if (agg) {
            pl_anno_set_u32(p, PL_ANNO_AGGREGATE, agg);
            p->paint = head->paint;
        } else if (pl_anno_u32(p, PL_ANNO_AGGREGATE)) {
            agg = pl_anno_u32(p, PL_ANNO_AGGREGATE);
            pl_anno_set_u32(head, PL_ANNO_AGGREGATE, agg);
            head->paint = p->paint;
            break;
        }
    }
    if (!agg) {
        pl_drop(ctx, e, C_STALE_FRAGMENT, head);
        return;
    }
    for (aif_flow **pp = &hp->flows, *f = *pp; f; pp = &f->next, f = *pp)
        if (f->agg == agg) {
            *pp = f->next;
            f->next = hp->flows;
            hp->flows = f;
            aif_emit_hook(head, ip, f);
            break;
        }
    out(yes, head);
}

static void aif_reap_map(pl_element *e, aif_map *m, uint64_t timeout, uint64_t done_timeout,
                     pl_packet **yes, pl_ctx *ctx)
{
    aif_state *s = PL_STATE(e, aif_state);
    int64_t t = s->active_sec - (int64_t)timeout, dt = s->active_sec - (int64_t)done_timeout;
    int64_t ft = s->active_sec - (int64_t)s->fragment_timeout;
    int paint;
    for (uint32_t i = 0; i < m->cap; i++) {
        aif_pair *hp = &m->v[i];
        if (!hp->used)
            continue;
        while (hp->fhead && (aif_sec(hp->fhead) < ft
                             || !pl_ip_is_fragment(aif_flow_header(hp->fhead, s, &paint))))
            aif_emit_fragment_head(e, hp, yes, ctx);
        if (hp->fhead)
            continue;                        /* no flow goes while fragments wait */
        for (aif_flow **pp = &hp->flows, *f = *pp; f; f = *pp)
            if ((int32_t)((uint32_t)f->last_sec - (uint32_t)(f->over == 3 ? dt : t)) < 0) {
                *pp = f->next;
                free(f);
            } else
                pp = &f->next;
    }
}

void aif_reap(pl_element *e, pl_packet **yes, pl_ctx *ctx)
{
    aif_state *s = PL_STATE(e, aif_state);
    if (s->gc_sec) {
        aif_reap_map(e, &s->map[0], s->tcp_timeout, s->tcp_done_timeout, yes, ctx);
        aif_reap_map(e, &s->map[1], s->udp_timeout, s->udp_timeout, yes, ctx);
    }
    s->gc_sec = s->active_sec + (int64_t)s->reap;
}
