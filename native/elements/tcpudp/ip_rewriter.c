/* IPRewriter: rewrites TCP and UDP flows by input specs (Click's NAT). */
#include "../../lib/iprw_flows.h"

enum { M_TCP, M_UDP };

static int ir_flow(iprw_state *s, pl_packet *p, uint8_t *ip, unsigned hl, iprw_fid *fid)
{
    if (iprw_tcp_udp_flow(s, p, ip, hl, fid, 1, 1, 0))
        return -1;
    return ip[9] == 6 ? M_TCP : M_UDP;
}

static uint64_t ir_be(void *arg, const iprw_flow *f)
{
    const iprw_state *s = arg;
    if (f->map == M_TCP)
        return f->expiry + iprw_tcp_timeout(s, f) - s->to[1];
    return f->expiry + iprw_udp_timeout(s, f, s->udp_to[0]) - s->udp_to[1];
}

static int32_t ir_make(iprw_state *s, int m, int in, const iprw_fid *fid, iprw_fid *rw,
                       uint8_t ip_p, uint64_t now)
{
    if (m == M_TCP)
        return iprw_make_default(s, m, in, fid, rw, ip_p, now);
    uint64_t rel = s->udp_to[1] ? s->udp_to[1] : s->udp_to[0];
    return iprw_add_flow(&s->t, m, s->inputs, in, fid, rw, ip_p, s->udp_to[1] != 0, now + rel,
                         now, ir_be, s);
}

static void ir_apply(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip,
                     unsigned hl, uint64_t now)
{
    if (f->map == M_TCP) {
        iprw_tcp_apply(s, f, dir, p, ip, hl);
        iprw_renew_tcp(s, f, now);
    } else {
        iprw_udp_apply(s, f, dir, p, ip, hl);
        iprw_renew_udp(s, f, s->udp_to, now);
    }
}

static int32_t ir_find(iprw_state *s, uint8_t ip_p, const iprw_fid *fid)
{
    if (ip_p != 6 && ip_p != 17)
        return IPRW_NIL;
    return iprw_map_get(&s->t, ip_p == 6 ? M_TCP : M_UDP, fid);
}

static const iprw_ops ops = {
    .nmaps = 2,
    .find = ir_find,
    .flow_of = ir_flow,
    .make = ir_make,
    .apply = ir_apply,
    .be_expiry = ir_be,
    .unparse = iprw_unparse_fids,
};

static int ir_configure(pl_element *e, pl_error *err) { return iprw_configure(e, &ops, err); }

static int read_tcp(pl_element *e, char *b, size_t n) { return iprw_read_table(e, M_TCP, b, n); }
static int read_udp(pl_element *e, char *b, size_t n) { return iprw_read_table(e, M_UDP, b, n); }
static int lookup_tcp(pl_element *e, const char *param, char *buf, size_t len, pl_error *err)
{
    return iprw_lookup(e, M_TCP, param, buf, len, err);
}

static const pl_param params[] = {
    IPRW_BASE_PARAMS,
    IPRW_ANNO_PARAMS,
    {"TCP_NODATA_TIMEOUT", PL_T_TIME, offsetof(iprw_state, t0), "300s", 0, 4294967, 0,
     "timeout of a TCP flow before data went both ways"},
    {"TCP_GUARANTEE", PL_T_TIME, offsetof(iprw_state, t1), "5s", 0, 4294967, 0,
     "time a new or active TCP flow is kept for sure"},
    {"GUARANTEE", PL_T_TIME, offsetof(iprw_state, t1), NULL, 0, 4294967, 0, "TCP_GUARANTEE"},
    {"TIMEOUT", PL_T_TIME, offsetof(iprw_state, tcp_data), "86400s", 0, 4294967, 0,
     "timeout of a TCP flow with data both ways"},
    {"TCP_TIMEOUT", PL_T_TIME, offsetof(iprw_state, tcp_data), NULL, 0, 4294967, 0, "TIMEOUT"},
    {"TCP_DONE_TIMEOUT", PL_T_TIME, offsetof(iprw_state, tcp_done), "240s", 0, 4294967, 0,
     "timeout of a TCP flow closed both ways"},
    {"UDP_TIMEOUT", PL_T_TIME, offsetof(iprw_state, udp0), "300s", 0, 4294967, 0,
     "timeout of a UDP flow"},
    {"UDP_STREAMING_TIMEOUT", PL_T_TIME, offsetof(iprw_state, udp_stream), NULL, 0, 4294967, 0,
     "timeout of a UDP flow with replies and 3 packets (default UDP_TIMEOUT)"},
    {"UDP_GUARANTEE", PL_T_TIME, offsetof(iprw_state, udp1), "5s", 0, 4294967, 0,
     "time a new or active UDP flow is kept for sure"},
    {0}};

static const pl_handler handlers[] = {
    {"tcp_table", "the TCP mappings, one direction a line", read_tcp, NULL, PL_H_EXPENSIVE},
    {"udp_table", "the UDP mappings, one direction a line", read_udp, NULL, PL_H_EXPENSIVE},
    {"tcp_mappings", "deprecated: tcp_table", read_tcp, NULL, PL_H_EXPENSIVE},
    {"udp_mappings", "deprecated: udp_table", read_udp, NULL, PL_H_EXPENSIVE},
    IPRW_HANDLER_ROWS,
    {0}};

static const pl_param_handler param_handlers[] = {
    {"tcp_lookup", "SADDR SPORT DADDR DPORT: the TCP flow it is rewritten to", lookup_tcp},
    {0}};

static const pl_class ip_rewriter = {
    .name = "IPRewriter",
    .ports = "1-/1-",
    .processing = "h/h",
    .doc = "IPRewriter(INPUTSPEC1, ..., INPUTSPECn [, KEYWORDS])\n"
           "Rewrites TCP/UDP packets' addresses and ports (NAT, NAPT, load balancing).\n\n"
           "Click's IPRewriter. Input n follows INPUTSPECn for packets of flows it has no\n"
           "mapping for; packets of mapped flows (either direction) are rewritten by the\n"
           "mapping and leave on its forward or reply output, whatever input they came on.\n"
           "Packets need an IP header annotation (CheckIPHeader). The specs:\n"
           "  pattern SADDR SPORT DADDR DPORT FOUTPUT ROUTPUT  a new mapping rewriting the\n"
           "      source to SADDR:SPORT and destination to DADDR:DPORT ('-' keeps a field;\n"
           "      SADDR may be a range A-B or prefix, SPORT a range L-H; a trailing '#'\n"
           "      picks sequentially, '?' does not try the original port first); flow\n"
           "      packets go to FOUTPUT, replies to ROUTPUT.\n"
           "  pattern NAME FOUTPUT ROUTPUT  a pattern of an IPRewriterPatterns element.\n"
           "  keep FOUTPUT ROUTPUT  a mapping that changes nothing.\n"
           "  pass [OUTPUT] (nochange, passthrough)  packets go to OUTPUT unchanged.\n"
           "  drop, discard  packets are dropped (counted: dropped).\n"
           "Non-TCP/UDP packets, later fragments and packets under 8 transport bytes go\n"
           "out of a pass input's OUTPUT, else are dropped (unmappable). Checksums are\n"
           "updated incrementally (a UDP checksum of 0 stays 0); the destination IP\n"
           "annotation is set (DST_ANNO). Mappings expire as Click's: TCP flows after\n"
           "TCP_NODATA_TIMEOUT without data both ways, TIMEOUT with, TCP_DONE_TIMEOUT once\n"
           "closed; UDP flows after UDP_TIMEOUT (UDP_STREAMING_TIMEOUT once streaming);\n"
           "each renewed flow is guaranteed for TCP_GUARANTEE/UDP_GUARANTEE. Expired\n"
           "mappings are removed every REAP_INTERVAL (still used until then, as Click).\n"
           "The table: CAPACITY flows (default 65536: Click's is unbounded), allocated at\n"
           "initialize; a new flow over capacity gives up the oldest best-effort flow, or,\n"
           "when every flow is guaranteed, is not made (table_full, mapping_failures).\n"
           "Threads: the table is this element's; every access holds its lock (once a\n"
           "batch), so workers pushing into it from several threads serialize there.\n"
           "Keywords: CAPACITY (MAPPING_CAPACITY), REAP_INTERVAL, DST_ANNO, REPLY_ANNO,\n"
           "TCP_NODATA_TIMEOUT, TCP_GUARANTEE (GUARANTEE), TIMEOUT (TCP_TIMEOUT),\n"
           "TCP_DONE_TIMEOUT, UDP_TIMEOUT, UDP_STREAMING_TIMEOUT, UDP_GUARANTEE.\n"
           "Counters (drops): bad (no IP header), unmappable, dropped, no_mapping (no free\n"
           "port in the pattern's range), table_full, nobufs.\n"
           "Handlers: tcp_table, udp_table (Click's format: 'FLOW => REWRITTEN [*F R] iN\n"
           "expS'), tcp_lookup, table_size (nmappings), mapping_failures, patterns,\n"
           "patternN (read, written: a new spec, its mappings removed), size, capacity\n"
           "(read/write), clear.\n\n"
           "Example (a NAT): rw :: IPRewriter(pattern 10.0.0.1 1024-65535 - - 0 1, drop);\n"
           "  in -> CheckIPHeader -> rw -> out;  rw[1] -> back;",
    .state_size = sizeof(iprw_state),
    .params = params,
    .handlers = handlers,
    .param_handlers = param_handlers,
    .counters = iprw_counters,
    .ndrops = IPRW_NDROPS,
    .configure = ir_configure,
    .initialize = iprw_initialize,
    .cleanup = iprw_cleanup,
    .push = iprw_push,
    .any_read = iprw_any_read,
    .any_write = iprw_any_write,
    .any_mode = iprw_any_mode,
};
PL_REGISTER_CLASS(ip_rewriter);
