/* UDPRewriter: rewrites UDP (and TCP, DCCP) flows by input specs (Click's). */
#include "../../lib/iprw_flows.h"

static int ur_flow(iprw_state *s, pl_packet *p, uint8_t *ip, unsigned hl, iprw_fid *fid)
{
    return iprw_tcp_udp_flow(s, p, ip, hl, fid, 1, 1, 1);
}

static uint64_t ur_be(void *arg, const iprw_flow *f)
{
    const iprw_state *s = arg;
    return f->expiry + iprw_udp_timeout(s, f, s->to[0]) - s->to[1];
}

static void ur_apply(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip,
                     unsigned hl, uint64_t now)
{
    iprw_udp_apply(s, f, dir, p, ip, hl);
    iprw_renew_udp(s, f, s->to, now);
}

static const iprw_ops ops = {
    .nmaps = 1,
    .flow_of = ur_flow,
    .make = iprw_make_default,
    .apply = ur_apply,
    .be_expiry = ur_be,
    .unparse = iprw_unparse_fids,
};

static int ur_configure(pl_element *e, pl_error *err) { return iprw_configure(e, &ops, err); }
static int read_table(pl_element *e, char *b, size_t n) { return iprw_read_table(e, 0, b, n); }

static const pl_param params[] = {
    IPRW_BASE_PARAMS,
    IPRW_ANNO_PARAMS,
    {"UDP_TIMEOUT", PL_T_TIME, offsetof(iprw_state, t0), "300s", 0, 4294967, 0,
     "timeout of a flow"},
    {"TIMEOUT", PL_T_TIME, offsetof(iprw_state, t0), NULL, 0, 4294967, 0, "UDP_TIMEOUT"},
    {"UDP_STREAMING_TIMEOUT", PL_T_TIME, offsetof(iprw_state, udp_stream), NULL, 0, 4294967, 0,
     "timeout of a flow with replies and 3 packets (default UDP_TIMEOUT)"},
    {"STREAMING_TIMEOUT", PL_T_TIME, offsetof(iprw_state, udp_stream), NULL, 0, 4294967, 0,
     "UDP_STREAMING_TIMEOUT"},
    {"UDP_GUARANTEE", PL_T_TIME, offsetof(iprw_state, t1), "5s", 0, 4294967, 0,
     "time a new or active flow is kept for sure"},
    {"GUARANTEE", PL_T_TIME, offsetof(iprw_state, t1), NULL, 0, 4294967, 0, "UDP_GUARANTEE"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the mappings, one direction a line", read_table, NULL, PL_H_EXPENSIVE},
    {"mappings", "deprecated: table", read_table, NULL, PL_H_EXPENSIVE},
    IPRW_HANDLER_ROWS,
    {0}};

static const pl_class udp_rewriter = {
    .name = "UDPRewriter",
    .ports = "1-/1-",
    .processing = "h/h",
    .doc = "UDPRewriter(INPUTSPEC1, ..., INPUTSPECn [, KEYWORDS])\n"
           "Rewrites UDP flows' addresses and ports.\n\n"
           "Click's UDPRewriter: IPRewriter's input specs, mappings and table (see\n"
           "IPRewriter) for UDP, TCP and DCCP packets, all kept as UDP-style flows (no TCP\n"
           "state). Other packets, later fragments and packets under 8 transport bytes\n"
           "go out of a pass input's OUTPUT, else are dropped (unmappable). A flow times\n"
           "out after UDP_TIMEOUT, or UDP_STREAMING_TIMEOUT once it had a reply and three\n"
           "packets; each packet renews its UDP_GUARANTEE.\n"
           "Threads: the table is this element's, every access under its lock (once a\n"
           "batch).\n"
           "Keywords: CAPACITY (MAPPING_CAPACITY, default 65536, allocated at initialize),\n"
           "REAP_INTERVAL, DST_ANNO, REPLY_ANNO, UDP_TIMEOUT (TIMEOUT),\n"
           "UDP_STREAMING_TIMEOUT (STREAMING_TIMEOUT), UDP_GUARANTEE (GUARANTEE).\n"
           "Counters (drops): bad, unmappable, dropped, no_mapping, table_full, nobufs.\n"
           "Handlers: table (mappings), table_size (nmappings), mapping_failures,\n"
           "patterns, patternN, size, capacity, clear.\n\n"
           "Example: rw :: UDPRewriter(pattern 10.0.0.1 1024-65535 - - 0 1, pass 1);",
    .state_size = sizeof(iprw_state),
    .params = params,
    .handlers = handlers,
    .counters = iprw_counters,
    .ndrops = IPRW_NDROPS,
    .configure = ur_configure,
    .initialize = iprw_initialize,
    .cleanup = iprw_cleanup,
    .push = iprw_push,
    .any_read = iprw_any_read,
    .any_write = iprw_any_write,
    .any_mode = iprw_any_mode,
};
PL_REGISTER_CLASS(udp_rewriter);
