/* The rewriter elements' shared body (iprw_elem.h): Click's IPRewriterBase
 * configure, initialize, the push loop of its subclasses, gc and handlers. */
#include "iprw_elem.h"
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
    s->rng = pl_rand_seed(e, e->name);
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

/* Click's gc timer, run lazily: expired mappings go at the first packet or
 * handler read after each REAP_INTERVAL (a timer would keep an inline run
 * alive). Called with the lock held. */
static void maybe_reap(iprw_state *s, uint64_t now)
{
    if (!s->reap_ms || (int64_t)(now - s->next_reap) < 0)
        return;
    iprw_shrink(&s->t, s->inputs, now, 0, s->ops->be_expiry, s);
    s->next_reap = now + s->reap_ms;
}

static int resolve(pl_element *e, iprw_input *is, int i, pl_error *err)
{
    char msg[200];
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
        if (resolve(e, &s->inputs[i], i, err))
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
            result = iprw_pattern_rewrite(is->pat, &fid, &rw, &s->t, m, &s->rng);
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
        if (s->reply_anno >= 0)
            iprw_entry_flow(&s->t, en)->reply_anno = p->anno[s->reply_anno];
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
    maybe_reap(s, now);
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        p->next = NULL;
        one(e, s, port, p, ctx, now, outs);
    }
    iprw_unlock(s);
    for (int o = 0; o < e->noutputs; o++)
        if (outs[o])
            pl_output(ctx, e, o, outs[o]);
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
    if (dir && s->reply_anno >= 0)
        p->anno[s->reply_anno] = f->reply_anno;
    iprw_update_csum(ip + 10, dir, f->ip_delta);
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

/* ---- handlers ---- */

int iprw_read_table(pl_element *e, int m, char *buf, size_t len)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    size_t o = 0;
    int rc = 0;
    buf[0] = 0;
    iprw_lock(s);
    maybe_reap(s, iprw_now(e));
    uint32_t now = (uint32_t)iprw_now(e);
    const iprw_map *mp = &s->t.map[m];
    for (uint32_t bk = 0; bk < mp->nb && !rc; bk++)
        for (int32_t en = mp->buckets[bk]; en != IPRW_NIL && !rc; en = s->t.flows[en >> 1].hnext[en & 1]) {
            const iprw_flow *f = &s->t.flows[en >> 1];
            int dir = en & 1;
            char line[256];
            s->ops->unparse(f, dir, line, sizeof line);
            uint32_t exp = (uint32_t)(f->guaranteed ? s->ops->be_expiry(s, f) : f->expiry);
            int n = snprintf(buf + o, len - o, "%s [%s%u %s%u] i%u exp%u\n", line, dir ? "" : "*",
                             f->out[0], dir ? "*" : "", f->out[1], f->input,
                             (uint32_t)(exp + 500u - now) / 1000u);
            if (n < 0 || (size_t)n >= len - o)
                rc = PL_ERR_HANDLER;
            else
                o += (size_t)n;
        }
    iprw_unlock(s);
    return rc;
}

static uint32_t sum_inputs(iprw_state *s, int failures)
{
    uint32_t n = 0;
    for (int i = 0; i < s->ninputs; i++)
        n += atomic_load_explicit(failures ? &s->inputs[i].failures : &s->inputs[i].count,
                                  memory_order_relaxed);
    return n;
}

int iprw_read_nmappings(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%u", sum_inputs(PL_STATE(e, iprw_state), 0));
}
int iprw_read_failures(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%u", sum_inputs(PL_STATE(e, iprw_state), 1));
}
int iprw_read_size(pl_element *e, char *buf, size_t len)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    iprw_lock(s);
    maybe_reap(s, iprw_now(e));
    uint32_t n = iprw_table_size(&s->t);
    iprw_unlock(s);
    return pl_fmt(buf, len, "%u", n);
}
int iprw_read_capacity(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%u", PL_STATE(e, iprw_state)->t.capacity);
}

static int pattern_text(iprw_state *s, int i, char *buf, size_t len)
{
    const iprw_input *is = &s->inputs[i];
    char p[160] = "";
    switch (is->kind) {
    case IPRW_DROP: strcpy(p, "<drop>"); break;
    case IPRW_NOCHANGE: strcpy(p, "<nochange>"); break;
    case IPRW_KEEP: strcpy(p, "<keep>"); break;
    default: iprw_pattern_unparse(is->pat, p, sizeof p); break;
    }
    uint32_t c = atomic_load_explicit(&is->count, memory_order_relaxed);
    int n = c ? snprintf(buf, len, "%s [%u]\n", p, c) : snprintf(buf, len, "%s\n", p);
    return n < 0 || (size_t)n >= len ? -1 : n;
}

int iprw_read_patterns(pl_element *e, char *buf, size_t len)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < s->ninputs; i++) {
        int n = pattern_text(s, i, buf + o, len - o);
        if (n < 0)
            return PL_ERR_HANDLER;
        o += (size_t)n;
    }
    return 0;
}

int iprw_write_capacity(pl_element *e, const char *v, pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    int64_t c;
    if (pl_parse_int(v, &c) || c < 0 || c > (int64_t)s->t.nflows - 1)
        return pl_seterr(err, PL_ERR_CONFIG, e, "capacity",
                         "capacity: expected a number of flows up to %u (the CAPACITY allocated)",
                         s->t.nflows - 1);
    iprw_lock(s);
    s->t.capacity = (uint32_t)c;
    iprw_shrink(&s->t, s->inputs, iprw_now(e), 0, s->ops->be_expiry, s);
    iprw_unlock(s);
    return 0;
}

int iprw_write_clear(pl_element *e, const char *v, pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    iprw_lock(s);
    iprw_shrink(&s->t, s->inputs, iprw_now(e), 1, s->ops->be_expiry, s);
    iprw_unlock(s);
    return 0;
}

/* patternN: read and written (Click's pattern_write_handler). */
static int pattern_index(iprw_state *s, const char *name)
{
    if (strncmp(name, "pattern", 7) || !name[7])
        return -1;
    char *end;
    long i = strtol(name + 7, &end, 10);
    return *end || i < 0 || i >= s->ninputs || (name[7] == '0' && name[8]) ? -1 : (int)i;
}

int iprw_any_mode(pl_element *e, const char *name)
{
    return pattern_index(PL_STATE(e, iprw_state), name) >= 0 ? 3 : 0;
}

int iprw_any_read(pl_element *e, const char *name, const char *param, char *buf, size_t len,
                  pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    int i = pattern_index(s, name);
    if (i < 0)
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "no handler '%s'", name);
    buf[0] = 0;
    return pattern_text(s, i, buf, len) < 0 ? PL_ERR_HANDLER : 0;
}

int iprw_any_write(pl_element *e, const char *name, const char *value, pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    int i = pattern_index(s, name);
    if (i < 0)
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "no handler '%s'", name);
    iprw_input is;
    char msg[200];
    if (iprw_parse_input(value, &is, msg, sizeof msg))
        return pl_seterr(err, PL_ERR_CONFIG, e, name, "input spec %d: %s", i, msg);
    if (resolve(e, &is, i, err)) {
        free(is.pat_name);
        return err->status;
    }
    iprw_lock(s);
    iprw_remove_input(&s->t, s->inputs, i);
    iprw_input *old = &s->inputs[i];
    free(old->pat_name);
    uint32_t c = atomic_load(&old->count), f = atomic_load(&old->failures);
    *old = is;
    if (old->pat == &is.own)
        old->pat = &old->own;
    atomic_store(&old->count, c), atomic_store(&old->failures, f);
    iprw_unlock(s);
    return 0;
}

int iprw_lookup(pl_element *e, int m, const char *param, char *buf, size_t len, pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    char a[64], b[64];
    unsigned sp, dp;
    iprw_fid fid;
    char extra;
    if (sscanf(param ? param : "", "%63s %u %63s %u %c", a, &sp, b, &dp, &extra) != 4 ||
        pl_parse_ipv4(a, &fid.saddr) || pl_parse_ipv4(b, &fid.daddr) || sp > 65535 || dp > 65535)
        return pl_seterr(err, PL_ERR_CONFIG, e, "lookup", "lookup: expected SADDR SPORT DADDR DPORT");
    fid.sport = htons((uint16_t)sp), fid.dport = htons((uint16_t)dp);
    buf[0] = 0;
    iprw_lock(s);
    int32_t en = iprw_map_get(&s->t, m, &fid);
    iprw_fid rw;
    if (en != IPRW_NIL)
        rw = iprw_rev(s->t.flows[en >> 1].fid[!(en & 1)]);
    iprw_unlock(s);
    if (en == IPRW_NIL)
        return 0;
    return pl_fmt(buf, len, "%s %u %s %u", pl_ip_str(rw.saddr, a), ntohs(rw.sport),
                  pl_ip_str(rw.daddr, b), ntohs(rw.dport));
}
