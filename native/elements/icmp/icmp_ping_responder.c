/* ICMPPingResponder: turns ICMP echo requests into echo replies. */
#include "../../core/element.h"
#include "../../lib/checksum.h"
#include "../../lib/ipfield.h"
#include "../../lib/netpkt.h"
#include "../../lib/timestamp.h"

enum { C_NOT_ECHO, C_NOBUFS };
static const char *const counters[] = {"not_echo", "nobufs", NULL};

static int ipr_verdict(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    pl_packet *p = *pp;
    const uint8_t *ip = pl_net_header(p);
    /* Click: the transport part must hold an ICMP header with id and sequence */
    if (p->net_off == PL_OFF_UNSET || pl_net_length(p) < 20 || pl_transport_length(p) < 8
        || ip[9] != PL_IP_PROTO_ICMP || ip[pl_ip_hl(ip)] != 8)
        return C_NOT_ECHO + 1;
    size_t off = (size_t)(ip - p->data);
    p = pl_writable(ctx, e, C_NOBUFS, p);
    if (!p)
        return -1;
    *pp = p;
    uint8_t *h = p->data + off;
    uint8_t tmp[4];                        /* swapped addresses: the checksum stays */
    memcpy(tmp, h + 16, 4);
    memcpy(h + 16, h + 12, 4);
    memcpy(h + 12, tmp, 4);
    uint16_t old, now;
    memcpy(&old, h + 6, 2);                /* fragment field cleared (MF, DF, offset) */
    pl_cksum_update(h + 10, old, 0);
    memset(h + 6, 0, 2);
    memcpy(&old, h + 8, 2);                /* TTL 255 */
    h[8] = 255;
    memcpy(&now, h + 8, 2);
    pl_cksum_update(h + 10, old, now);
    memcpy(&p->dst_ip, h + 16, 4);
    pl_ts_set(&p->timestamp, pl_ts_now());
    p->paint = 0;
    uint8_t *icmp = h + pl_ip_hl(h);       /* type echo reply, code 0 */
    memcpy(&old, icmp, 2);
    icmp[0] = 0;
    icmp[1] = 0;
    memcpy(&now, icmp, 2);
    pl_cksum_update(icmp + 2, old, now);
    if (icmp[2] == 0 && icmp[3] == 0) {    /* Click's click_update_zero_in_cksum */
        uint32_t len = pl_transport_length(p), i = 0;
        while (i < len && icmp[i] == 0)
            i++;
        if (i == len)
            memset(icmp + 2, 0xff, 2);
    }
    return 0;
}

static void ipr_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, ipr_verdict);
}

static const pl_class icmp_ping_responder = {
    .name = "ICMPPingResponder",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "ICMPPingResponder()\n"
           "Responds to ICMP echo requests.\n\n"
           "Expects IP packets (the network header annotation). Each ICMP echo request\n"
           "is turned into an echo reply in place, as Click's ICMPPingResponder does:\n"
           "source and destination addresses swapped, the fragment field cleared, TTL\n"
           "255, ICMP type 0 and code 0, both checksums updated incrementally, the\n"
           "destination IP annotation set to the new destination, the timestamp\n"
           "annotation to now and the paint annotation to 0; the reply leaves through\n"
           "output 0. Other packets leave through output 1 when it is connected and are\n"
           "dropped (counted) otherwise.\n\n"
           "Keywords: none.\n"
           "Counters: not_echo (dropped without output 1), nobufs.\n\n"
           "Example: ... -> CheckIPHeader -> ICMPPingResponder -> EtherMirror -> ...;",
    .counters = counters,
    .ndrops = 2,
    .push = ipr_push,
};
PL_REGISTER_CLASS(icmp_ping_responder);
