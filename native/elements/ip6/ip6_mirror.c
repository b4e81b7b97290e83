/* IP6Mirror: swaps the IPv6 source and destination (and TCP/UDP ports). */
#include "../../lib/netpkt.h"

#include <string.h>

enum { C_BAD, C_NOBUFS };
static const char *const counters[] = {"bad_header", "nobufs", NULL};

static pl_packet *m6_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    if (__builtin_expect(pl_net_length(p) < 40, 0)) {
        pl_drop(ctx, e, C_BAD, p);
        return NULL;
    }
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    uint8_t *ip6 = pl_net_header(p), t[16];
    memcpy(t, ip6 + 8, 16);
    memmove(ip6 + 8, ip6 + 24, 16);
    memcpy(ip6 + 24, t, 16);
    /* the ports too when the next header is TCP or UDP (no extension headers,
     * as Click); the checksum covers both orders alike */
    if ((ip6[6] == PL_IP_PROTO_TCP || ip6[6] == PL_IP_PROTO_UDP) && pl_net_length(p) >= 48) {
        uint8_t port[2];
        memcpy(port, ip6 + 40, 2);
        memcpy(ip6 + 40, ip6 + 42, 2);
        memcpy(ip6 + 42, port, 2);
    }
    return p;
}

static const pl_class ip6_mirror = {
    .name = "IP6Mirror",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "IP6Mirror\n"
           "Swaps IPv6 source and destination.\n\n"
           "Swaps the source and destination addresses of the IPv6 header at the\n"
           "network header annotation and, when its next header is TCP or UDP and the\n"
           "packet holds its ports, the source and destination ports; checksums stay\n"
           "valid. The data is copied first if it is shared. Packets shorter than an\n"
           "IPv6 header are dropped and counted (pktlab: Click assumes a header).\n"
           "Keywords: none.\n"
           "Counters (drops): bad_header, nobufs.\n\n"
           "Example: CheckIP6Header -> IP6Mirror -> ...   // answer where it came from",
    .counters = counters,
    .ndrops = 2,
    .simple_action = m6_action,
};
PL_REGISTER_CLASS(ip6_mirror);
