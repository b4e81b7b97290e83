/* IPAddrRewriter: rewrites IP source addresses by input specs (Click's). */
#include "../../lib/iprw_elem.h"
#include "../../lib/ipfield.h"
#include "../../lib/iputil.h"

#include <stdio.h>

static int ar_flow(iprw_state *s, pl_packet *p, uint8_t *ip, unsigned hl, iprw_fid *fid)
{
    memset(fid, 0, sizeof *fid);
    memcpy(&fid->saddr, ip + 12, 4);
    return 0;
}

static int32_t ar_lookup(iprw_state *s, int m, const iprw_fid *fid, const uint8_t *ip)
{
    int32_t en = iprw_map_get(&s->t, 0, fid);
    if (en == IPRW_NIL) {
        iprw_fid r = {0, 0, 0, 0};
        memcpy(&r.daddr, ip + 16, 4);
        en = iprw_map_get(&s->t, 0, &r);
    }
    return en;
}

static int32_t ar_make(iprw_state *s, int m, int in, const iprw_fid *fid, iprw_fid *rw,
                       uint8_t ip_p, uint64_t now)
{
    if (rw->sport || rw->dport || rw->daddr)   /* a pattern that changes more than SADDR */
        return IPRW_NIL;
    return iprw_make_default(s, m, in, fid, rw, 0, now);
}

static void ar_apply(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip,
                     unsigned hl, uint64_t now)
{
    const iprw_fid *rev = &f->fid[!dir];
    if (!dir)
        memcpy(ip + 12, &rev->daddr, 4);
    else {
        memcpy(ip + 16, &rev->saddr, 4);
        p->dst_ip = rev->saddr;
        if (s->reply_anno != IPRW_NO_ANNO)
            *iprw_anno(p, s->reply_anno) = f->reply_anno;
    }
    iprw_update_csum(ip + 10, dir, f->ip_delta);
    iprw_update_l4_csum(f, dir, p, ip, hl);
    iprw_touch(s, f, s->to, now);
}

static int ar_unparse(const iprw_flow *f, int dir, char *buf, size_t len)
{
    char a[16], b[16];
    return snprintf(buf, len, "%s => %s", pl_ip_str(f->fid[dir].saddr, a),
                    pl_ip_str(f->fid[!dir].daddr, b));
}

static int32_t ar_find(iprw_state *s, uint8_t ip_p, const iprw_fid *fid)
{
    (void)ip_p;
    iprw_fid f = {fid->saddr, 0, 0, 0}, r = {0, fid->daddr, 0, 0};
    int32_t en = iprw_map_get(&s->t, 0, &f);
    return en != IPRW_NIL ? en : iprw_map_get(&s->t, 0, &r);
}

static const iprw_ops ops = {
    .find = ar_find,
    .nmaps = 1,
    .flow_of = ar_flow,
    .lookup = ar_lookup,
    .make = ar_make,
    .apply = ar_apply,
    .be_expiry = iprw_be_base,
    .unparse = ar_unparse,
};

static int ar_configure(pl_element *e, pl_error *err)
{
    PL_STATE(e, iprw_state)->dst_anno = 1;
    return iprw_configure(e, &ops, err);
}
static int read_table(pl_element *e, char *b, size_t n) { return iprw_read_table(e, 0, b, n); }

static const pl_param params[] = {
    IPRW_BASE_PARAMS,
    IPRW_REPLY_ANNO_PARAM,
    {"TIMEOUT", PL_T_TIME, offsetof(iprw_state, t0), "7200s", 0, 4294967, 0,
     "timeout of a mapping"},
    {"GUARANTEE", PL_T_TIME, offsetof(iprw_state, t1), "5s", 0, 4294967, 0,
     "time a new or active mapping is kept for sure"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the mappings, one direction a line", read_table, NULL, PL_H_EXPENSIVE},
    {"mappings", "deprecated: table", read_table, NULL, PL_H_EXPENSIVE},
    IPRW_HANDLER_ROWS,
    {0}};

static const pl_class ip_addr_rewriter = {
    .name = "IPAddrRewriter",
    .ports = "1-/1-",
    .processing = "h/h",
    .doc = "IPAddrRewriter(INPUTSPEC1, ..., INPUTSPECn [, KEYWORDS])\n"
           "Rewrites IP packets' source addresses (basic NAT, no ports).\n\n"
           "Click's IPAddrRewriter. A mapping is by address: a packet from SADDR with no\n"
           "mapping makes one by its input's spec (IPRewriter's specs, the pattern of form\n"
           "'SADDR -', or 'SADDR SPORT DADDR DPORT' with only SADDR set); its source\n"
           "becomes the new address. Packets to a new address get the old one as\n"
           "destination (and the destination annotation) and go to the reply output.\n"
           "Every IP packet is mapped (any protocol, fragments too); TCP and UDP\n"
           "checksums are updated in first fragments.\n"
           "Threads: the table is this element's, every access under its lock (once a\n"
           "batch).\n"
           "Keywords: CAPACITY (MAPPING_CAPACITY, default 65536, allocated at initialize),\n"
           "REAP_INTERVAL, REPLY_ANNO, TIMEOUT (default 2 hours), GUARANTEE (5 s).\n"
           "Counters (drops): bad, unmappable, dropped, no_mapping, table_full, nobufs.\n"
           "Handlers: table (mappings), table_size (nmappings), mapping_failures,\n"
           "patterns, patternN, size, capacity, clear.\n\n"
           "Example: rw :: IPAddrRewriter(pattern 10.0.0.1-10.0.0.254 - 0 1, drop);",
    .state_size = sizeof(iprw_state),
    .params = params,
    .handlers = handlers,
    .counters = iprw_counters,
    .ndrops = IPRW_NDROPS,
    .configure = ar_configure,
    .initialize = iprw_initialize,
    .cleanup = iprw_cleanup,
    .push = iprw_push,
    .any_read = iprw_any_read,
    .any_write = iprw_any_write,
    .any_mode = iprw_any_mode,
};
PL_REGISTER_CLASS(ip_addr_rewriter);
