/* SetIPChecksum: computes the IP header checksum. */
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

enum { C_BAD, C_NOBUFS };
static const char *const counters[] = {"bad_header", "nobufs", NULL};

static pl_packet *sic_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    uint32_t nlen = pl_net_length(p);
    const uint8_t *ip = pl_net_header(p);
    unsigned hl = nlen >= 20 ? pl_ip_hl(ip) : 0;
    if (__builtin_expect(hl < 20 || hl > nlen, 0)) {
        pl_drop(ctx, e, C_BAD, p);
        return NULL;
    }
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    pl_ip_set_csum(pl_net_header(p), hl);
    return p;
}

static const pl_class set_ip_checksum = {
    .name = "SetIPChecksum",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "SetIPChecksum\n"
           "Sets IP packets' checksums.\n\n"
           "Computes the checksum of the IP header (at the network header annotation,\n"
           "or the start of the packet when it is not set) and stores it. Packets\n"
           "whose header length is invalid or longer than the packet are dropped.\n"
           "Counters: bad_header, nobufs (no buffer for a private copy); both drops.\n\n"
           "Example: ... -> IPEncap(...) -> SetIPChecksum -> ...",
    .counters = counters,
    .ndrops = 2,
    .simple_action = sic_action,
};
PL_REGISTER_CLASS(set_ip_checksum);
