/* SetUDPChecksum: computes UDP checksums. */
#include "../../lib/ipfield.h"

enum { C_BAD, C_NOBUFS };
static const char *const counters[] = {"fragment_or_short", "nobufs", NULL};

static inline int suc_one(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    pl_packet *p = *pp;
    unsigned hl;
    uint8_t *ip = pl_ip_header_ok(p, &hl);
    uint32_t tlen = ip ? pl_transport_length(p) : 0;
    if (!ip || pl_ip_is_fragment(ip) || tlen < 8 || tlen < pl_rd16(ip + hl + 4)) {
        if (e->noutputs == 1)
            pl_log(e->eng, "%s: fragment or short packet", PL_NAME(e));
        return C_BAD + 1;
    }
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return -1;
    }
    ip = pl_net_header(p);
    uint8_t *udp = ip + hl;
    uint32_t len = pl_rd16(udp + 4);
    udp[6] = udp[7] = 0;
    uint16_t c = pl_transport_cksum(ip, udp, len);
    memcpy(udp + 6, &c, 2);
    return 0;
}

static void suc_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, suc_one);
}

static const pl_class set_udp_checksum = {
    .name = "SetUDPChecksum",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "SetUDPChecksum()\n"
           "Sets UDP packets' checksums.\n\n"
           "Computes the checksum of the UDP datagram after the IP header (at the\n"
           "network header annotation), over the UDP length with the pseudo header,\n"
           "and stores it (a sum of zero is stored as zero, as Click does).\n"
           "Fragments and packets shorter than their UDP length go to output 1, or are\n"
           "dropped when it is unconnected.\n"
           "Counters (drops): fragment_or_short, nobufs.\n\n"
           "Example: ... -> UDPIPEncap(...) -> ... -> SetUDPChecksum -> ...",
    .counters = counters,
    .ndrops = 2,
    .push = suc_push,
};
PL_REGISTER_CLASS(set_udp_checksum);
