/* SetIP6DSCP: sets the DSCP bits of the IPv6 traffic class. */
#include "../../lib/netpkt.h"

typedef struct {
    uint64_t dscp;
} s6_state;

enum { C_BAD, C_NOBUFS };
static const char *const counters[] = {"bad_header", "nobufs", NULL};

static pl_packet *s6_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    if (__builtin_expect(pl_net_length(p) < 40, 0)) {
        pl_drop(ctx, e, C_BAD, p);
        return NULL;
    }
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    uint8_t *ip6 = pl_net_header(p);
    /* version(4) class(8) flow(20): the DSCP is the class's upper six bits */
    uint32_t flow = pl_rd32(ip6), dscp = (uint32_t)PL_LIVE(PL_STATE(e, s6_state)->dscp);
    pl_wr32(ip6, (flow & ~0x0FC00000u) | dscp << 22);
    return p;
}

static const pl_param params[] = {
    {"DSCP", PL_T_UINT, offsetof(s6_state, dscp), NULL, 0, 63,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE, "the Differentiated Services Code Point"},
    {0}};

static const pl_class set_ip6_dscp = {
    .name = "SetIP6DSCP",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "SetIP6DSCP(DSCP)\n"
           "Sets IPv6 packets' DSCP fields.\n\n"
           "Sets the upper six bits of the IPv6 header's traffic class (at the network\n"
           "header annotation, as MarkIP6Header or CheckIP6Header set it) to DSCP,\n"
           "keeping the ECN bits, the version and the flow label; IPv6 has no header\n"
           "checksum. The data is copied first if it is shared. Packets shorter than\n"
           "an IPv6 header are dropped and counted (pktlab: Click assumes a header).\n"
           "Keywords: DSCP (0-63).\n"
           "Handlers: dscp (writable while running).\n"
           "Counters (drops): bad_header, nobufs.\n\n"
           "Example: ... -> CheckIP6Header -> SetIP6DSCP(46) -> ...",
    .state_size = sizeof(s6_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .simple_action = s6_action,
};
PL_REGISTER_CLASS(set_ip6_dscp);
