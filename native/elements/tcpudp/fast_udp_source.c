/* FastUDPSource: a UDP benchmark source sending copies of one frame (Click's). */
#include "fast_udp.h"

static const char *const counters[] = {"sent", "nobufs", NULL};

static uint32_t fus_pick(fu_state *s)
{
    (void)s;
    return 0;
}

/* Click's incr_ports: every INTERVAL packets both ports go one up. */
static void fus_after(fu_state *s, uint64_t count)
{
    if (s->interval && count % s->interval == 0) {
        s->incr++;
        fu_set_ports(s, 0, (uint16_t)(s->sport + s->incr), (uint16_t)(s->dport + s->incr));
    }
}

static int fus_configure(pl_element *e, pl_error *err)
{
    fu_state *s = PL_STATE(e, fu_state);
    long sp, dp;
    if (pl_parse_named(s->sport_s, 0, 65535, &sp))
        return pl_seterr(err, PL_ERR_CONFIG, e, "SPORT", "SPORT: '%s' is not a UDP port",
                         s->sport_s);
    if (pl_parse_named(s->dport_s, 0, 65535, &dp))
        return pl_seterr(err, PL_ERR_CONFIG, e, "DPORT", "DPORT: '%s' is not a UDP port",
                         s->dport_s);
    s->sport = (uint16_t)sp;
    s->dport = (uint16_t)dp;
    s->incr = 0;
    if (fu_build(e, s, 1, err))
        return err->status;
    fu_set_ports(s, 0, s->sport, s->dport);
    return 0;
}

static uint32_t fus_run(pl_element *e, pl_ctx *ctx) { return fu_run(e, ctx, fus_pick, fus_after); }

static pl_packet *fus_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    (void)port;
    return fu_make(e, ctx, max, fus_pick, fus_after);
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
    {"SPORT", PL_T_STRING, offsetof(fu_state, sport_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "UDP source port"},
    {"DSTETH", PL_T_ETHER, offsetof(fu_state, dsteth), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "Ethernet destination"},
    {"DSTIP", PL_T_IPV4, offsetof(fu_state, dstip), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "IP destination"},
    {"DPORT", PL_T_STRING, offsetof(fu_state, dport_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "UDP destination port"},
    {"CHECKSUM", PL_T_BOOL, offsetof(fu_state, cksum), "true", 0, -1, PL_P_POSITIONAL,
     "compute the UDP checksum"},
    {"INTERVAL", PL_T_UINT, offsetof(fu_state, interval), "0", 0, 4294967295.0, PL_P_POSITIONAL,
     "every INTERVAL packets both ports go up by one (0: never)"},
    {"ACTIVE", PL_T_BOOL, offsetof(fu_state, active), "true", 0, -1, PL_P_POSITIONAL,
     "whether it sends"},
    {"BURST", PL_T_UINT, offsetof(fu_state, burst), "32", 1, 4096, PL_P_LIVE,
     "pushed (task) output: packets per batch at most"},
    {0}};

static const pl_handler handlers[] = {FU_HANDLERS, {0}};

static const pl_class fast_udp_source = {
    .name = "FastUDPSource",
    .ports = "0/1",
    .processing = "a/a",
    .doc = "FastUDPSource(RATE, LIMIT, LENGTH, SRCETH, SRCIP, SPORT, DSTETH, DSTIP, DPORT\n"
           "              [, CHECKSUM, INTERVAL, ACTIVE])\n"
           "Creates UDP/IP packets as fast as possible (Click's benchmark source).\n\n"
           "Sends copies of one Ethernet frame of LENGTH bytes (at least 60: less is\n"
           "raised to 60 with a warning, as Click): SRCETH to DSTETH, type 0x0800; IP\n"
           "from SRCIP to DSTIP, ID 0, TTL 250, no options; UDP from SPORT to DPORT,\n"
           "zero payload, its checksum when CHECKSUM (default true). Packets carry\n"
           "the IP header annotation and DSTIP as destination annotation. At most\n"
           "RATE packets per second by Click's GapRate (RATE 0: as fast as pulled);\n"
           "LIMIT packets in all (negative: no limit). Every INTERVAL packets both\n"
           "ports go up by one. Click's is pull only; here the output is agnostic:\n"
           "pulled, each pull gets the packets due; pushed, its task sends batches\n"
           "of up to BURST (1 in per-packet mode) and sleeps until the next is due.\n\n"
           "Handlers: count (read), rate (read: packets per second between the first\n"
           "packet and the LIMIT-th, 0 until then; write: RATE), reset (write: the\n"
           "count starts again), active (read/write; true resets), limit\n"
           "(read/write).\n"
           "Counters: sent, nobufs.\n\n"
           "Example: FastUDPSource(100000, 500000, 60, 0:0:0:0:0:0, 1.0.0.1, 1234,\n"
           "                       1:1:1:1:1:1, 2.0.0.2, 1234) -> Queue -> ToDevice(eth0);",
    .state_size = sizeof(fu_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .configure = fus_configure,
    .initialize = fu_initialize,
    .cleanup = fu_cleanup,
    .run_task = fus_run,
    .pull = fus_pull,
    .sources = PL_S_SOURCE,
};
PL_REGISTER_CLASS(fast_udp_source);
