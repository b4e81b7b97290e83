/* FastUDPFlows: a UDP benchmark source over FLOWS flows of FLOWSIZE packets (Click's). */
#include "fast_udp.h"

static const char *const counters[] = {"sent", "nobufs", NULL};

/* Click's random ports: (random() >> 2) % 0xFFFF, from the element's own
 * generator (no lock on the data path; the sequence is not glibc's). */
static uint16_t fuf_port(fu_state *s) { return (uint16_t)((pl_rand_next(&s->rng) >> 34) % 0xFFFF); }

/* Click's get_packet: a random flow; after FLOWSIZE packets it gets new ports. */
static uint32_t fuf_pick(fu_state *s)
{
    uint32_t f = pl_rand_below(&s->rng, s->ntmpl);
    if (s->flow_count[f] == s->flowsize) {
        uint16_t sp = fuf_port(s), dp = fuf_port(s);
        fu_set_ports(s, f, sp, dp);
        s->flow_count[f] = 0;
    }
    s->flow_count[f]++;
    return f;
}

static int fuf_configure(pl_element *e, pl_error *err)
{
    fu_state *s = PL_STATE(e, fu_state);
    if (s->flows == 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FLOWS", "FLOWS must be at least 1");
    if (s->flowsize == 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FLOWSIZE", "FLOWSIZE must be at least 1");
    if (fu_build(e, s, (uint32_t)s->flows, err))
        return err->status;
    for (uint32_t i = 0; i < s->ntmpl; i++) {
        uint16_t sp = fuf_port(s), dp = fuf_port(s);
        fu_set_ports(s, i, sp, dp);
    }
    return 0;
}

static uint32_t fuf_run(pl_element *e, pl_ctx *ctx) { return fu_run(e, ctx, fuf_pick, NULL); }

static pl_packet *fuf_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    (void)port;
    return fu_make(e, ctx, max, fuf_pick, NULL);
}

static const pl_param params[] = {
    {"RATE", PL_T_UINT, offsetof(fu_state, rate), NULL, 0, PL_GAP_MAX_RATE,
     PL_P_POSITIONAL | PL_P_REQUIRED, "packets per second (0: as fast as it can)"},
    {"LIMIT", PL_T_INT, offsetof(fu_state, limit), NULL, -2147483648.0, 2147483647,
     PL_P_POSITIONAL | PL_P_REQUIRED, "packets to send (negative: no limit)"},
    {"LENGTH", PL_T_INT, offsetof(fu_state, length), NULL, 0, 1514,
     PL_P_POSITIONAL | PL_P_REQUIRED, "frame length, Ethernet header included (at least 60)"},
    {"SRCETH", PL_T_ETHER, offsetof(fu_state, srceth), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "Ethernet source"},
    {"SRCIP", PL_T_IPV4, offsetof(fu_state, srcip), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "IP source"},
    {"DSTETH", PL_T_ETHER, offsetof(fu_state, dsteth), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "Ethernet destination"},
    {"DSTIP", PL_T_IPV4, offsetof(fu_state, dstip), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "IP destination"},
    {"FLOWS", PL_T_UINT, offsetof(fu_state, flows), NULL, 0, 1 << 20,
     PL_P_POSITIONAL | PL_P_REQUIRED, "number of flows"},
    {"FLOWSIZE", PL_T_UINT, offsetof(fu_state, flowsize), NULL, 0, 4294967295.0,
     PL_P_POSITIONAL | PL_P_REQUIRED, "packets per flow before its ports change"},
    {"CHECKSUM", PL_T_BOOL, offsetof(fu_state, cksum), "true", 0, -1, PL_P_POSITIONAL,
     "compute the UDP checksum"},
    {"ACTIVE", PL_T_BOOL, offsetof(fu_state, active), "true", 0, -1, PL_P_POSITIONAL,
     "whether it sends"},
    {"BURST", PL_T_UINT, offsetof(fu_state, burst), "32", 1, 4096, PL_P_LIVE,
     "pushed (task) output: packets per batch at most"},
    {0}};

static const pl_handler handlers[] = {FU_HANDLERS, {0}};

static const pl_class fast_udp_flows = {
    .name = "FastUDPFlows",
    .ports = "0/1",
    .processing = "a/a",
    .doc = "FastUDPFlows(RATE, LIMIT, LENGTH, SRCETH, SRCIP, DSTETH, DSTIP, FLOWS,\n"
           "             FLOWSIZE [, CHECKSUM, ACTIVE])\n"
           "Creates UDP/IP packets of FLOWS flows (Click's benchmark source).\n\n"
           "Like FastUDPSource, with FLOWS templates that differ in their random UDP\n"
           "ports: each packet is a copy of a flow chosen at random; once a flow has\n"
           "sent FLOWSIZE packets it gets new random ports. Frames of LENGTH bytes\n"
           "(at least 60), IP ID 0, TTL 250, UDP checksum when CHECKSUM (default\n"
           "true), zero payload. At most RATE packets per second (Click's GapRate; 0:\n"
           "as fast as pulled), LIMIT in all (negative: none). The random numbers come\n"
           "from the element's own generator, so the ports are not glibc random()'s\n"
           "as in Click. Click's is pull only; here the output is agnostic (pushed:\n"
           "its task sends batches of up to BURST).\n\n"
           "Handlers: count, rate, reset, active, limit (as FastUDPSource's).\n"
           "Counters: sent, nobufs.\n\n"
           "Example: FastUDPFlows(0, 1000, 64, 0:0:0:0:0:1, 10.0.0.1, 0:0:0:0:0:2,\n"
           "                      10.0.0.2, 10, 100) -> Unqueue -> ToDevice(eth0);",
    .state_size = sizeof(fu_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .configure = fuf_configure,
    .initialize = fu_initialize,
    .cleanup = fu_cleanup,
    .run_task = fuf_run,
    .pull = fuf_pull,
    .sources = PL_S_SOURCE,
};
PL_REGISTER_CLASS(fast_udp_flows);
