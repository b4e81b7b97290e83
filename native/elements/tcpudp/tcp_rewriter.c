/* TCPRewriter: rewrites TCP flows by input specs (Click's). */
#include "../../lib/iprw_flows.h"

static int tr_flow(iprw_state *s, pl_packet *p, uint8_t *ip, unsigned hl, iprw_fid *fid)
{
    return iprw_tcp_udp_flow(s, p, ip, hl, fid, 1, 0, 0);
}

static uint64_t tr_be(void *arg, const iprw_flow *f)
{
    const iprw_state *s = arg;
    return f->expiry + iprw_tcp_timeout(s, f) - s->to[1];
}

static void tr_apply(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip,
                     unsigned hl, uint64_t now)
{
    iprw_tcp_apply(s, f, dir, p, ip, hl);
    iprw_renew_tcp(s, f, now);
}

static const iprw_ops ops = {
    .nmaps = 1,
    .flow_of = tr_flow,
    .make = iprw_make_default,
    .apply = tr_apply,
    .be_expiry = tr_be,
    .unparse = iprw_unparse_fids,
};

static int tr_configure(pl_element *e, pl_error *err) { return iprw_configure(e, &ops, err); }
static int read_table(pl_element *e, char *b, size_t n) { return iprw_read_table(e, 0, b, n); }
static int lookup(pl_element *e, const char *param, char *buf, size_t len, pl_error *err)
{
    return iprw_lookup(e, 0, param, buf, len, err);
}

static const pl_param params[] = {
    IPRW_BASE_PARAMS,
    IPRW_ANNO_PARAMS,
    {"TCP_NODATA_TIMEOUT", PL_T_TIME, offsetof(iprw_state, t0), "300s", 0, 4294967, 0,
     "timeout of a flow before data went both ways"},
    {"TCP_GUARANTEE", PL_T_TIME, offsetof(iprw_state, t1), "5s", 0, 4294967, 0,
     "time a new or active flow is kept for sure"},
    {"GUARANTEE", PL_T_TIME, offsetof(iprw_state, t1), NULL, 0, 4294967, 0, "TCP_GUARANTEE"},
    {"TIMEOUT", PL_T_TIME, offsetof(iprw_state, tcp_data), "86400s", 0, 4294967, 0,
     "timeout of a flow with data both ways"},
    {"TCP_TIMEOUT", PL_T_TIME, offsetof(iprw_state, tcp_data), NULL, 0, 4294967, 0, "TIMEOUT"},
    {"TCP_DONE_TIMEOUT", PL_T_TIME, offsetof(iprw_state, tcp_done), "240s", 0, 4294967, 0,
     "timeout of a flow closed both ways"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the mappings, one direction a line", read_table, NULL, PL_H_EXPENSIVE},
    {"mappings", "deprecated: table", read_table, NULL, PL_H_EXPENSIVE},
    IPRW_HANDLER_ROWS,
    {0}};

static const pl_param_handler param_handlers[] = {
    {"lookup", "SADDR SPORT DADDR DPORT: the flow it is rewritten to", lookup},
    {0}};

static const pl_class tcp_rewriter = {
    .name = "TCPRewriter",
    .ports = "1-/1-",
    .processing = "h/h",
    .doc = "TCPRewriter(INPUTSPEC1, ..., INPUTSPECn [, KEYWORDS])\n"
           "Rewrites TCP flows' addresses and ports.\n\n"
           "Click's TCPRewriter: IPRewriter's input specs, mappings and table for TCP\n"
           "only (see IPRewriter). Other packets, later fragments and packets under 8\n"
           "transport bytes go out of a pass input's OUTPUT, else are dropped\n"
           "(unmappable). A flow times out after TCP_NODATA_TIMEOUT before data went both\n"
           "ways, TIMEOUT after, TCP_DONE_TIMEOUT once FIN went both ways or RST; each\n"
           "packet renews its TCP_GUARANTEE. pktlab does not shift sequence numbers (Click\n"
           "does for FTPPortMapper, which pktlab lacks).\n"
           "Threads: the table is this element's, every access under its lock (once a\n"
           "batch).\n"
           "Keywords: CAPACITY (MAPPING_CAPACITY, default 65536, allocated at initialize),\n"
           "REAP_INTERVAL, DST_ANNO, REPLY_ANNO, TCP_NODATA_TIMEOUT, TCP_GUARANTEE\n"
           "(GUARANTEE), TIMEOUT (TCP_TIMEOUT), TCP_DONE_TIMEOUT.\n"
           "Counters (drops): bad, unmappable, dropped, no_mapping, table_full, nobufs.\n"
           "Handlers: table (mappings), lookup, table_size (nmappings), mapping_failures,\n"
           "patterns, patternN, size, capacity, clear.\n\n"
           "Example: rw :: TCPRewriter(pattern 10.0.0.1 1024-65535 - - 0 1, drop);",
    .state_size = sizeof(iprw_state),
    .params = params,
    .handlers = handlers,
    .param_handlers = param_handlers,
    .counters = iprw_counters,
    .ndrops = IPRW_NDROPS,
    .configure = tr_configure,
    .initialize = iprw_initialize,
    .cleanup = iprw_cleanup,
    .push = iprw_push,
    .any_read = iprw_any_read,
    .any_write = iprw_any_write,
    .any_mode = iprw_any_mode,
};
PL_REGISTER_CLASS(tcp_rewriter);
