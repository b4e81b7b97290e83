/* ICMP6Error: turns packets into ICMPv6 error messages about them. */
#include "../../core/addrinfo.h"
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

#include <string.h>

typedef struct {
    char *src_s;
    int64_t type, code;
    uint8_t src[16];
} i6_state;

enum { C_NOT_IP6, C_ICMP_ERROR, C_MULTICAST, C_BROADCAST, C_NOBUFS, NDROPS };
static const char *const counters[] = {"not_ip6", "icmp_error", "multicast", "broadcast",
                                       "nobufs", NULL};

enum { T_UNREACH = 1, T_PKTTOOBIG = 2, T_TIMXCEED = 3, T_PARAMPROB = 4, T_REDIRECT = 137 };
#define QUOTE_MAX 568                 /* the message stays within 576 bytes after the IPv6 header */

static int is_error(int t) { return t >= T_UNREACH && t <= T_PARAMPROB; }

static int i6_configure(pl_element *e, pl_error *err)
{
    i6_state *s = PL_STATE(e, i6_state);
    static const uint8_t zero[16];
    if (pl_parse_ipv6(s->src_s, s->src) && pl_addrinfo_ip6(s->src_s, s->src))
        return pl_seterr(err, PL_ERR_CONFIG, e, "SRC", "SRC: '%s' is not an IPv6 address",
                         s->src_s);
    if (!memcmp(s->src, zero, 16))
        return pl_seterr(err, PL_ERR_CONFIG, e, "SRC", "SRC: the unspecified address '::'");
    if (!is_error((int)s->type) && s->type != T_REDIRECT)
        return pl_seterr(err, PL_ERR_CONFIG, e, "TYPE",
                         "TYPE: ICMP6 type %lld is not an error or redirect type",
                         (long long)s->type);
    return 0;
}

static int reason(const pl_packet *p, const uint8_t *ip6, uint32_t nlen)
{
    if (nlen < 40 || ip6 < p->data)
        return C_NOT_IP6;
    /* not about ICMPv6 errors (RFC 4443 2.4 e; Click reads the type at the
     * IPv6 header's first byte, so it never sees one) */
    if (ip6[6] == 58 && nlen > 40 && is_error(ip6[40]))
        return C_ICMP_ERROR;
    if (ip6[24] == 0xff)
        return C_MULTICAST;
    uint8_t t = pl_anno_u8(p, PL_ANNO_PACKET_TYPE);
    if (t == PL_PACKET_BROADCAST || t == PL_PACKET_MULTICAST)
        return C_BROADCAST;
    return -1;
}

static pl_packet *i6_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    i6_state *s = PL_STATE(e, i6_state);
    uint8_t *ip6 = pl_net_header(p);
    int r = reason(p, ip6, pl_net_length(p));
    if (r >= 0) {
        pl_drop(ctx, e, r, p);
        return NULL;
    }
    int type = (int)s->type, code = (int)s->code;
    unsigned need = 48 + (type == T_REDIRECT ? 32 : 0);
    uint32_t q = p->len < QUOTE_MAX ? p->len : QUOTE_MAX;   /* from the data start, as Click */
    if (!pl_packet_writable(ctx->pool, p) || (uint32_t)(p->buf_end - p->buf) < need + q) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    ip6 = pl_net_header(p);
    uint8_t osrc[16], odst[16];
    memcpy(osrc, ip6 + 8, 16);
    memcpy(odst, ip6 + 24, 16);
    if (pl_headroom(p) < need) {
        memmove(p->buf + need, p->data, q);
        p->data = p->buf + need;
    }
    uint8_t *h = p->data - need, *icmp = h + 40;
    memset(h, 0, need);
    h[0] = 0x60;
    pl_wr16(h + 4, (uint16_t)(need - 40 + q));
    h[6] = 58;
    h[7] = 255;
    memcpy(h + 8, s->src, 16);
    memcpy(h + 24, osrc, 16);
    icmp[0] = (uint8_t)type;
    icmp[1] = (uint8_t)code;
    /* network order (pktlab: Click stores these two in host order) */
    if (type == T_PKTTOOBIG && code == 0)
        pl_wr32(icmp + 4, 1500);
    if (type == T_PARAMPROB && code == 0)
        pl_wr32(icmp + 4, pl_anno_u8(p, PL_ANNO_PARAMPROB));
    if (type == T_REDIRECT && code == 0) {
        memcpy(icmp + 8, p->anno + PL_ANNO_DST_IP6, 16);
        memcpy(icmp + 24, odst, 16);
    }
    uint32_t ulen = need - 40 + q;
    uint8_t pseudo[8] = {(uint8_t)(ulen >> 24), (uint8_t)(ulen >> 16), (uint8_t)(ulen >> 8),
                         (uint8_t)ulen, 0, 0, 0, 58};
    uint64_t sum = pl_csum_add(pl_csum_add(0, h + 8, 32), pseudo, 8);
    uint16_t c = (uint16_t)~pl_csum_fold(pl_csum_add(sum, icmp, ulen));
    memcpy(icmp + 2, &c, 2);
    p->data = h;
    p->len = need + q;
    pl_set_net_header(p, h);
    p->mac_off = PL_OFF_UNSET;
    p->paint = 0;                         /* a new packet, as Click makes one */
    memset(p->anno, 0, sizeof p->anno);
    memcpy(p->anno + PL_ANNO_DST_IP6, h + 24, 16);
    pl_anno_set_u8(p, PL_ANNO_FIX_IP_SRC, 1);
    return p;
}

static const pl_param params[] = {
    {"SRC", PL_T_STRING, offsetof(i6_state, src_s), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "source address of the messages"},
    {"TYPE", PL_T_INT, offsetof(i6_state, type), NULL, 0, 255, PL_P_POSITIONAL | PL_P_REQUIRED,
     "ICMPv6 type: 1 unreachable, 2 packet too big, 3 time exceeded, 4 parameter problem, "
     "137 redirect"},
    {"CODE", PL_T_INT, offsetof(i6_state, code), NULL, 0, 255, PL_P_POSITIONAL | PL_P_REQUIRED,
     "ICMPv6 code"},
    {0}};

static const pl_class icmp6_error = {
    .name = "ICMP6Error",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "ICMP6Error(SRC, TYPE, CODE)\n"
           "Generates ICMPv6 error packets.\n\n"
           "Replaces each packet by an ICMPv6 error message about it, from SRC to the\n"
           "packet's IPv6 source: a new IPv6 header (hop limit 255), TYPE and CODE, and\n"
           "as much of the packet from its data start as keeps the message within 576\n"
           "bytes. Packet too big (2, code 0) carries MTU 1500; parameter problem (4,\n"
           "code 0) the pointer of the parameter-problem annotation; redirect (137,\n"
           "code 0) the IPv6 destination annotation as its target and the packet's\n"
           "destination. Sets the network header, the IPv6 destination and the fix-IP-\n"
           "source annotations. No message is made (the packet is dropped and counted)\n"
           "for a packet without an IPv6 header, an ICMPv6 error message, a multicast\n"
           "destination, or a link-level broadcast or multicast. The message is built\n"
           "in the packet's own buffer. pktlab writes the MTU and the pointer in\n"
           "network order (Click in host order) and recognizes ICMPv6 errors by the\n"
           "ICMPv6 type (Click reads the wrong byte and answers them).\n"
           "Keywords: SRC, TYPE, CODE.\n"
           "Counters (drops): not_ip6, icmp_error, multicast, broadcast, nobufs.\n\n"
           "Example: dh :: DecIP6HLIM; dh[1] -> ICMP6Error(2001:db8::1, 3, 0) -> rt;",
    .state_size = sizeof(i6_state),
    .params = params,
    .counters = counters,
    .ndrops = NDROPS,
    .configure = i6_configure,
    .simple_action = i6_action,
};
PL_REGISTER_CLASS(icmp6_error);
