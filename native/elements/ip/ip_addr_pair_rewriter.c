/* IPAddrPairRewriter: rewrites IP address pairs by input specs (Click's). */
#include "../../lib/iprw_elem.h"
#include "../../lib/ipfield.h"
#include "../../lib/iputil.h"

#include <stdio.h>

/* A flow is the (source, destination) pair, ports 0, for every IP packet. */
static int apr_flow(iprw_state *s, pl_packet *p, uint8_t *ip, unsigned hl, iprw_fid *fid)
{
    (void)s, (void)p, (void)hl;
    memset(fid, 0, sizeof *fid);
    memcpy(&fid->saddr, ip + 12, 4);
    memcpy(&fid->daddr, ip + 16, 4);
    return 0;
}

static int32_t apr_make(iprw_state *s, int m, int in, const iprw_fid *fid, iprw_fid *rw,
                        uint8_t ip_p, uint64_t now)
{
    (void)ip_p;
    if (rw->sport || rw->dport)       /* a pattern that changes ports */
        return IPRW_NIL;
    return iprw_make_default(s, m, in, fid, rw, 0, now);
}

static void apr_apply(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip,
                      unsigned hl, uint64_t now)
{
    iprw_rewrite_ip(s, f, dir, p, ip);
    iprw_update_l4_csum(f, dir, p, ip, hl);
    iprw_touch(s, f, s->to, now);
}

static int apr_unparse(const iprw_flow *f, int dir, char *buf, size_t len)
{
    char a[16], b[16], c[16], d[16];
    const iprw_fid *x = &f->fid[dir], *r = &f->fid[!dir];
    return snprintf(buf, len, "(%s, %s) => (%s, %s)", pl_ip_str(x->saddr, a),
                    pl_ip_str(x->daddr, b), pl_ip_str(r->daddr, c), pl_ip_str(r->saddr, d));
}

static int32_t apr_find(iprw_state *s, uint8_t ip_p, const iprw_fid *fid)
{
    (void)ip_p;
    iprw_fid f = {fid->saddr, fid->daddr, 0, 0};
    return iprw_map_get(&s->t, 0, &f);
}

static const iprw_ops ops = {
    .find = apr_find,
    .nmaps = 1,
    .flow_of = apr_flow,
    .make = apr_make,
    .apply = apr_apply,
    .be_expiry = iprw_be_base,
    .unparse = apr_unparse,
};

static int apr_configure(pl_element *e, pl_error *err)
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

static const pl_class ip_addr_pair_rewriter = {
    .name = "IPAddrPairRewriter",
    .ports = "1-/1-",
    .processing = "h/h",
    .doc = "IPAddrPairRewriter(INPUTSPEC1, ..., INPUTSPECn [, KEYWORDS])\n"
           "Rewrites IP packets' source and destination addresses by address pair.\n\n"
           "Click's IPAddrPairRewriter. A mapping is by (source, destination) address\n"
           "pair, for any protocol: a packet whose pair has no mapping makes one by its\n"
           "input's spec (IPRewriter's specs; patterns of form 'SADDR DADDR' or 'SADDR\n"
           "SPORT DADDR DPORT' with both ports '-'); its addresses are rewritten, and\n"
           "packets of the reply pair get the original addresses back and leave on the\n"
           "reply output. The IP checksum is updated, and the TCP and UDP checksums of\n"
           "first fragments (a UDP checksum of 0 stays 0); the destination IP annotation\n"
           "is set to the new destination.\n"
           "Threads: the table is this element's, every access under its lock (once a\n"
           "batch).\n"
           "Keywords: CAPACITY (MAPPING_CAPACITY, default 65536, allocated at initialize),\n"
           "REAP_INTERVAL, REPLY_ANNO, TIMEOUT (default 2 hours), GUARANTEE (5 s).\n"
           "Counters (drops): bad (no IP header), unmappable, dropped, no_mapping,\n"
           "table_full, nobufs.\n"
           "Handlers: table (mappings, '(SADDR, DADDR) => (SADDR', DADDR') [*F R] iN\n"
           "expS'), table_size (nmappings), mapping_failures, patterns, patternN, size,\n"
           "capacity, clear.\n\n"
           "Example: rw :: IPAddrPairRewriter(pattern 3.0.0.1-3.0.0.255# - 0 1, drop);",
    .state_size = sizeof(iprw_state),
    .params = params,
    .handlers = handlers,
    .counters = iprw_counters,
    .ndrops = IPRW_NDROPS,
    .configure = apr_configure,
    .initialize = iprw_initialize,
    .cleanup = iprw_cleanup,
    .push = iprw_push,
    .any_read = iprw_any_read,
    .any_write = iprw_any_write,
    .any_mode = iprw_any_mode,
};
PL_REGISTER_CLASS(ip_addr_pair_rewriter);
