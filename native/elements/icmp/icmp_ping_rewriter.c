/* ICMPPingRewriter: rewrites ICMP echo flows' addresses and identifiers (Click's). */
#include "../../lib/iprw_elem.h"
#include "../../lib/ipfield.h"
#include "../../lib/iputil.h"

#include <arpa/inet.h>
#include <stdio.h>

static int pr_flow(iprw_state *s, pl_packet *p, uint8_t *ip, unsigned hl, iprw_fid *fid)
{
    if (ip[9] != 1 || !pl_ip_first_fragment(ip) || pl_transport_length(p) < 6)
        return -1;
    const uint8_t *ic = ip + hl;
    if (ic[0] != 8 && ic[0] != 0)
        return -1;
    int echo = ic[0] == 8;
    uint16_t id;                      /* network order, +1 as Click adds it */
    memcpy(&id, ic + 4, 2);
    memcpy(&fid->saddr, ip + 12, 4);
    memcpy(&fid->daddr, ip + 16, 4);
    fid->sport = (uint16_t)(id + !echo);
    fid->dport = (uint16_t)(id + echo);
    return 0;
}

static int pr_can_make(const uint8_t *ip, unsigned hl) { return ip[hl] == 8; }

static int32_t pr_make(iprw_state *s, int m, int in, const iprw_fid *fid, iprw_fid *rw,
                       uint8_t ip_p, uint64_t now)
{
    rw->dport = (uint16_t)(rw->sport + 1);
    if ((uint16_t)(fid->sport + 1) != fid->dport)
        return IPRW_NIL;
    int32_t en = iprw_make_default(s, m, in, fid, rw, 1, now);
    if (en != IPRW_NIL) {             /* the ICMP checksum covers the identifier only */
        uint8_t d[2] = {0, 0};
        pl_cksum_update(d, fid->sport, rw->sport);
        memcpy(&iprw_entry_flow(&s->t, en)->udp_delta, d, 2);
    }
    return en;
}

static void pr_apply(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip,
                     unsigned hl, uint64_t now)
{
    iprw_rewrite_ip(s, f, dir, p, ip);
    if (pl_ip_first_fragment(ip)) {
        const iprw_fid *rev = &f->fid[!dir];
        uint8_t *ic = ip + hl;
        memcpy(ic + 4, dir ? &rev->sport : &rev->dport, 2);
        iprw_update_csum(ic + 2, dir, f->udp_delta);
        if (!ic[2] && !ic[3]) {       /* Click's click_update_zero_in_cksum */
            uint32_t tl = pl_transport_length(p), i = 0;
            while (i < tl && !ic[i])
                i++;
            if (i == tl)
                ic[2] = ic[3] = 0xff;
        }
    }
    iprw_touch(s, f, s->to, now);
}

static int pr_unparse(const iprw_flow *f, int dir, char *buf, size_t len)
{
    char a[16], b[16], c[16], d[16];
    const iprw_fid *x = &f->fid[dir];
    iprw_fid r = iprw_rev(f->fid[!dir]);
    return snprintf(buf, len, "(%s, %s, %u) => (%s, %s, %u)", pl_ip_str(x->saddr, a),
                    pl_ip_str(x->daddr, b), ntohs(x->sport), pl_ip_str(r.saddr, c),
                    pl_ip_str(r.daddr, d), ntohs(r.sport));
}

/* A reply's key: (SADDR, ID + 1, DADDR, ID), ID the embedded request's. */
static int32_t pr_find(iprw_state *s, uint8_t ip_p, const iprw_fid *fid)
{
    if (ip_p != 1)
        return IPRW_NIL;
    iprw_fid r = *fid;
    r.sport = (uint16_t)(fid->sport + 1);   /* network order, +1 as Click adds it */
    r.dport = fid->sport;
    return iprw_map_get(&s->t, 0, &r);
}

static const iprw_ops ops = {
    .find = pr_find,
    .nmaps = 1,
    .flow_of = pr_flow,
    .can_make = pr_can_make,
    .make = pr_make,
    .apply = pr_apply,
    .be_expiry = iprw_be_base,
    .unparse = pr_unparse,
};

static int pr_configure(pl_element *e, pl_error *err) { return iprw_configure(e, &ops, err); }
static int read_table(pl_element *e, char *b, size_t n) { return iprw_read_table(e, 0, b, n); }

static const pl_param params[] = {
    IPRW_BASE_PARAMS,
    IPRW_ANNO_PARAMS,
    {"TIMEOUT", PL_T_TIME, offsetof(iprw_state, t0), "300s", 0, 4294967, 0,
     "timeout of a mapping"},
    {"GUARANTEE", PL_T_TIME, offsetof(iprw_state, t1), "5s", 0, 4294967, 0,
     "time a new or active mapping is kept for sure"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the mappings, one direction a line", read_table, NULL, PL_H_EXPENSIVE},
    {"mappings", "deprecated: table", read_table, NULL, PL_H_EXPENSIVE},
    IPRW_HANDLER_ROWS,
    {0}};

static const pl_class icmp_ping_rewriter = {
    .name = "ICMPPingRewriter",
    .ports = "1-/1-",
    .processing = "h/h",
    .doc = "ICMPPingRewriter(INPUTSPEC1, ..., INPUTSPECn [, KEYWORDS])\n"
           "Rewrites ICMP echo requests and replies (ping through a NAT).\n\n"
           "Click's ICMPPingRewriter. An echo request with no mapping makes one by its\n"
           "input's spec (IPRewriter's specs; a pattern's SPORT is the new identifier);\n"
           "the request's addresses and identifier are rewritten and the echo replies of\n"
           "the mapping are rewritten back and leave on the reply output. Other packets,\n"
           "later fragments, packets under 6 ICMP bytes and replies with no mapping go\n"
           "out of a pass input's OUTPUT, else are dropped (unmappable). The ICMP checksum\n"
           "is updated incrementally.\n"
           "Threads: the table is this element's, every access under its lock (once a\n"
           "batch).\n"
           "Keywords: CAPACITY (MAPPING_CAPACITY, default 65536, allocated at initialize),\n"
           "REAP_INTERVAL, DST_ANNO, REPLY_ANNO, TIMEOUT (5 minutes), GUARANTEE (5 s).\n"
           "Counters (drops): bad, unmappable, dropped, no_mapping, table_full, nobufs.\n"
           "Handlers: table (mappings), table_size (nmappings), mapping_failures,\n"
           "patterns, patternN, size, capacity, clear.\n\n"
           "Example: rw :: ICMPPingRewriter(pattern 10.0.0.1 0-65535 - - 0 1, drop);",
    .state_size = sizeof(iprw_state),
    .params = params,
    .handlers = handlers,
    .counters = iprw_counters,
    .ndrops = IPRW_NDROPS,
    .configure = pr_configure,
    .initialize = iprw_initialize,
    .cleanup = iprw_cleanup,
    .push = iprw_push,
    .any_read = iprw_any_read,
    .any_write = iprw_any_write,
    .any_mode = iprw_any_mode,
};
PL_REGISTER_CLASS(icmp_ping_rewriter);
