/* The rewriter elements' shared body (iprw_elem.h): Click's IPRewriterBase
 * configure, initialize, the push loop of its subclasses, gc and handlers. */
#include "iprw_elem.h"
#include "iprw_registry.h"
#include "ipfield.h"
#include "iputil.h"
#include "random.h"
#include "../core/args.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const iprw_counters[] = {"bad", "unmappable", "dropped", "no_mapping", "table_full",
                                     "nobufs", NULL};

#define DEFAULT_CAPACITY 65536
#define MAX_CAPACITY 4000000

static uint64_t ms(double sec) { return (uint64_t)llround(sec) * 1000u; }

int iprw_configure(pl_element *e, const iprw_ops *ops, pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    s->ops = ops;
    s->self = e;
    atomic_flag_clear(&s->lock);
    s->to[0] = ms(s->t0), s->to[1] = ms(s->t1);
    s->tcp_data_ms = ms(s->tcp_data), s->tcp_done_ms = ms(s->tcp_done);
    s->udp_to[0] = ms(s->udp0), s->udp_to[1] = ms(s->udp1);
    s->streaming_given = pl_param_given(e, "UDP_STREAMING_TIMEOUT") > 0 ||
                         pl_param_given(e, "STREAMING_TIMEOUT") > 0;
    s->udp_stream_ms = s->streaming_given ? ms(s->udp_stream) : 0;
    s->reap_ms = ms(s->reap);
    if (iprw_parse_anno(s->reply_anno_s, &s->reply_anno))
        return pl_seterr(err, PL_ERR_CONFIG, e, "REPLY_ANNO",
                         "REPLY_ANNO: expected PAINT or an annotation byte 0..%d, got '%s'",
                         PL_ANNO_SIZE - 1, s->reply_anno_s);
    if (s->capacity_s) {
        int64_t c;
        if (pl_parse_int(s->capacity_s, &c))
            return pl_seterr(err, PL_ERR_CONFIG, e, "MAPPING_CAPACITY",
                             "bad MAPPING_CAPACITY (a number: pktlab's rewriters do not share "
                             "another rewriter's table)");
        if (c < 0 || c > MAX_CAPACITY)
            return pl_seterr(err, PL_ERR_CONFIG, e, "MAPPING_CAPACITY",
                             "MAPPING_CAPACITY: %lld is out of range [0, %d]", (long long)c,
                             MAX_CAPACITY);
    }
    free(s->inputs);
    s->ninputs = s->specs.n;
    s->inputs = calloc((size_t)(s->ninputs ? s->ninputs : 1), sizeof *s->inputs);
    if (!s->inputs)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    /* Every bad spec is reported, one a line, as Click does. */
    char all[480] = "";
    size_t o = 0;
    for (int i = 0; i < s->ninputs; i++) {
        char msg[200];
        if (iprw_parse_input(s->specs.v[i], &s->inputs[i], msg, sizeof msg) && o < sizeof all)
            o += (size_t)snprintf(all + o, sizeof all - o, "%sinput spec %d: %s", o ? "\n" : "",
                                  i, msg);
    }
    return o ? pl_seterr(err, PL_ERR_CONFIG, e, "INPUTSPEC", "%s", all) : 0;
}

int iprw_parse_anno(const char *text, int *anno)
{
    *anno = IPRW_NO_ANNO;
    if (!text || !*text)
        return 0;
    if (!strcmp(text, "PAINT")) {
        *anno = IPRW_ANNO_PAINT;
        return 0;
    }
    int64_t v;
    if (pl_parse_int(text, &v) || v < 0 || v >= PL_ANNO_SIZE)
        return -1;
    *anno = (int)v;
    return 0;
}

/* Click's gc timer, run lazily: expired mappings go at the first packet or
 * handler read after each REAP_INTERVAL (a timer would keep an inline run
 * alive). Called with the lock held. */
void iprw_maybe_reap(iprw_state *s, uint64_t now)
{
    if (!s->reap_ms || (int64_t)(now - s->next_reap) < 0)
        return;
    iprw_shrink(&s->t, s->inputs, now, 0, s->ops->be_expiry, s);
    s->next_reap = now + s->reap_ms;
}

int iprw_resolve(pl_element *e, iprw_input *is, int i, pl_error *err)
{
    char msg[200];
    if (is->kind == IPRW_MAPPER) {
        is->mapper = iprw_find_mapper(e->eng, is->pat_name);
        if (!is->mapper)
            return pl_seterr(err, PL_ERR_CONFIG, e, "INPUTSPEC", "input spec %d: %s '%s'", i,
                             pl_engine_find(e->eng, is->pat_name) < 0 ? "unknown specification"
                                                                      : "element is not an IPMapper",
                             is->pat_name);
        return iprw_mapper_resolve(e, is->mapper, is->pat_name, err);
    }
    if (is->kind == IPRW_PATTERN && is->pat_name) {
        is->pat = iprw_named_pattern(e->eng, is->pat_name);
        if (!is->pat)
            return pl_seterr(err, PL_ERR_CONFIG, e, "INPUTSPEC", "input spec %d: no such pattern '%s'",
                             i, is->pat_name);
    }
    if (iprw_check_input(is, e->noutputs, msg, sizeof msg))
        return pl_seterr(err, PL_ERR_CONFIG, e, "INPUTSPEC", "input spec %d: %s", i, msg);
    return 0;
}

int iprw_initialize(pl_element *e, pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    if (s->ninputs != e->ninputs)
        return pl_seterr(err, PL_ERR_CONFIG, e, "INPUTSPEC", "need %d arguments, one per input port",
                         e->ninputs);
    for (int i = 0; i < s->ninputs; i++)
        if (iprw_resolve(e, &s->inputs[i], i, err))
            return err->status;
    int64_t cap = DEFAULT_CAPACITY;
    if (s->capacity_s)
        pl_parse_int(s->capacity_s, &cap);
    if (iprw_table_init(&s->t, (uint32_t)cap, s->ops->nmaps))
        return pl_seterr(err, PL_ERR_NOMEM, e, "CAPACITY", "no memory for a table of %lld flows",
                         (long long)cap);
    s->next_reap = iprw_now(e) + s->reap_ms;
    return 0;
}

void iprw_cleanup(pl_element *e)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    for (int i = 0; i < s->ninputs; i++)
        free(s->inputs[i].pat_name);
    free(s->inputs);
    s->inputs = NULL;
    iprw_table_destroy(&s->t);
}

/* Click's checked_output_push for a packet no flow took. */
static void no_flow(pl_element *e, iprw_state *s, pl_ctx *ctx, int port, int result, int why,
                    pl_packet *p, pl_packet **outs)
{
    if (result >= 0 && result < e->noutputs)
        pl_batch_append(&outs[result], p);
    else
        pl_drop(ctx, e, why, p);
    (void)s, (void)port;
}

static void one(pl_element *e, iprw_state *s, int port, pl_packet *p, pl_ctx *ctx, uint64_t now,
                pl_packet **outs)
{
    const iprw_ops *ops = s->ops;
    iprw_input *is = &s->inputs[port];
    unsigned hl;
    uint8_t *ip = pl_ip_header_ok(p, &hl);
    if (!ip) {
        pl_drop(ctx, e, IPRW_C_BAD, p);
        return;
    }
    iprw_fid fid;
    int m = ops->flow_of(s, p, ip, hl, &fid);
    if (m < 0) {
        no_flow(e, s, ctx, port, is->kind == IPRW_NOCHANGE ? is->foutput : -1, IPRW_C_UNMAPPABLE,
                p, outs);
        return;
    }
    int32_t en = ops->lookup ? ops->lookup(s, m, &fid, ip) : iprw_map_get(&s->t, m, &fid);
    if (en == IPRW_NIL && ops->can_make && !ops->can_make(ip, hl)) {
        no_flow(e, s, ctx, port, is->kind == IPRW_NOCHANGE ? is->foutput : -1, IPRW_C_UNMAPPABLE,
                p, outs);
        return;
    }
    if (en == IPRW_NIL) {
        iprw_fid rw;
        int result = IPRW_RW_DROP, why = IPRW_C_DROPPED;
        switch (is->kind) {
        case IPRW_NOCHANGE:
            result = is->foutput;
            break;
        case IPRW_KEEP:
            rw = fid;
            result = IPRW_RW_ADDMAP;
            break;
        case IPRW_PATTERN:
        case IPRW_MAPPER:
            result = is->kind == IPRW_MAPPER
                         ? iprw_mapper_rewrite(is->mapper, is, &fid, &rw, &s->t, m)
                         : iprw_pattern_rewrite(is->pat, &fid, &rw, &s->t, m);
            if (result == IPRW_RW_DROP) {
                atomic_fetch_add_explicit(&is->failures, 1, memory_order_relaxed);
                why = IPRW_C_NO_MAPPING;
            }
            break;
        }
        if (result == IPRW_RW_ADDMAP) {
            en = ops->make(s, m, port, &fid, &rw, ip[9], now);
            why = IPRW_C_TABLE_FULL;
        }
        if (en == IPRW_NIL) {
            no_flow(e, s, ctx, port, result, why, p, outs);
            return;
        }
        if (s->reply_anno != IPRW_NO_ANNO)
            iprw_entry_flow(&s->t, en)->reply_anno = *iprw_anno(p, s->reply_anno);
    }
    if (pl_packet_shared(p)) {
        p = pl_writable(ctx, e, IPRW_C_NOBUFS, p);
        if (!p)
            return;
        ip = pl_net_header(p);
    }
    iprw_flow *f = iprw_entry_flow(&s->t, en);
    int dir = en & 1;
    ops->apply(s, f, dir, p, ip, hl, now);
    pl_batch_append(&outs[f->out[dir]], p);
}

void iprw_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    pl_packet *outs[e->noutputs];
    memset(outs, 0, sizeof outs);
    uint64_t now = iprw_now(e);
    iprw_lock(s);
    iprw_maybe_reap(s, now);
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        p->next = NULL;
        one(e, s, port, p, ctx, now, outs);
    }
    iprw_unlock(s);
    for (int o = 0; o < e->noutputs; o++)
        if (outs[o])
            pl_output(ctx, e, o, outs[o]);
}

int32_t iprw_find_entry(iprw_state *s, uint8_t ip_p, const iprw_fid *fid)
{
    if (s->ops->find)
        return s->ops->find(s, ip_p, fid);
    int32_t en = iprw_map_get(&s->t, 0, fid);
    if (en != IPRW_NIL && ip_p) {
        uint8_t fp = iprw_entry_flow(&s->t, en)->ip_p;
        if (fp && fp != ip_p)
            return IPRW_NIL;
    }
    return en;
}

/* ---- flow helpers ---- */

uint64_t iprw_be_base(void *arg, const iprw_flow *f)
{
    const iprw_state *s = arg;
    return f->expiry + s->to[0] - s->to[1];
}

void iprw_rewrite_ip(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip)
{
    const iprw_fid *rev = &f->fid[!dir];
    memcpy(ip + 12, &rev->daddr, 4);
    memcpy(ip + 16, &rev->saddr, 4);
    if (s->dst_anno)
        p->dst_ip = rev->saddr;
    if (dir && s->reply_anno != IPRW_NO_ANNO)
        *iprw_anno(p, s->reply_anno) = f->reply_anno;
    iprw_update_csum(ip + 10, dir, f->ip_delta);
}

void iprw_update_l4_csum(const iprw_flow *f, int dir, const pl_packet *p, uint8_t *ip,
                         unsigned hl)
{
    uint32_t tl = pl_transport_length(p);
    if (!pl_ip_first_fragment(ip))
        return;
    if (ip[9] == 6 && tl >= 18)
        iprw_update_csum(ip + hl + 16, dir, f->udp_delta);
    else if (ip[9] == 17 && tl >= 8 && (ip[hl + 6] | ip[hl + 7]))
        iprw_update_csum(ip + hl + 6, dir, f->udp_delta);
}

int32_t iprw_make_default(iprw_state *s, int m, int in, const iprw_fid *fid, iprw_fid *rw,
                          uint8_t ip_p, uint64_t now)
{
    uint64_t rel = s->to[1] ? s->to[1] : s->to[0];
    return iprw_add_flow(&s->t, m, s->inputs, in, fid, rw, ip_p, s->to[1] != 0, now + rel, now,
                         s->ops->be_expiry, s);
}

void iprw_touch(iprw_state *s, iprw_flow *f, const uint64_t to[2], uint64_t now)
{
    iprw_change_expiry(&s->t, f, to[1] != 0, now + (to[1] ? to[1] : to[0]));
}

int iprw_unparse_fids(const iprw_flow *f, int dir, char *buf, size_t len)
{
    char a[64], b[64];
    iprw_fid rw = iprw_rev(f->fid[!dir]);
    iprw_fid_unparse(&f->fid[dir], a, sizeof a);
    iprw_fid_unparse(&rw, b, sizeof b);
    return snprintf(buf, len, "%s => %s", a, b);
}
