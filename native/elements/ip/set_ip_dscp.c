/* SetIPDSCP: sets the IP header's DSCP, updating the checksum incrementally. */
#include "../../lib/ipfield.h"

typedef struct {
    uint64_t dscp;
} sd_state;

enum { C_BAD, C_NOBUFS };
static const char *const counters[] = {"bad_header", "nobufs", NULL};

static pl_packet *sd_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    unsigned hl;
    if (__builtin_expect(!pl_ip_header_ok(p, &hl), 0)) {
        pl_drop(ctx, e, C_BAD, p);
        return NULL;
    }
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    uint8_t *ip = pl_net_header(p);
    uint16_t old, now;
    memcpy(&old, ip, 2);
    ip[1] = (uint8_t)((ip[1] & 3) | (PL_LIVE(PL_STATE(e, sd_state)->dscp) << 2));
    memcpy(&now, ip, 2);
    pl_cksum_update(ip + 10, old, now);
    return p;
}

static const pl_param params[] = {
    {"DSCP", PL_T_UINT, offsetof(sd_state, dscp), NULL, 0, 63,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE, "the Differentiated Services Code Point"},
    {0}};

static const pl_class set_ip_dscp = {
    .name = "SetIPDSCP",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "SetIPDSCP(DSCP)\n"
           "Sets IP packets' DSCP fields.\n\n"
           "Sets the upper six bits of the IP header's TOS byte (at the network header\n"
           "annotation) to DSCP, keeping the ECN bits, and updates the header checksum\n"
           "incrementally as Click does. Handler: dscp (writable while running).\n"
           "Counters (drops): bad_header (no IP header), nobufs.\n\n"
           "Example: ... -> CheckIPHeader -> SetIPDSCP(46) -> ...",
    .state_size = sizeof(sd_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .simple_action = sd_action,
};
PL_REGISTER_CLASS(set_ip_dscp);
