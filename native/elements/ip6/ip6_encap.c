/* IP6Encap: prepends an IPv6 header. */
#include "../../core/addrinfo.h"
#include "../../lib/ipfield.h"

#include <string.h>

typedef struct {
    char *proto_s, *src_s, *dst_s;
    uint64_t hlim, tclass;
    int dst_anno;
    uint8_t hdr[40];              /* the template: all but the payload length */
} e6_state;

enum { C_NOBUFS, C_TOOBIG };
static const char *const counters[] = {"nobufs", "too_big", NULL};

static int address(pl_element *e, const char *kw, const char *s, uint8_t out[16], pl_error *err)
{
    if (!pl_parse_ipv6(s, out) || !pl_addrinfo_ip6(s, out))
        return 0;
    return pl_seterr(err, PL_ERR_CONFIG, e, kw, "%s: '%s' is not an IPv6 address%s", kw, s,
                     !strcmp(kw, "DST") ? " or 'DST_ANNO'" : "");
}

static int e6_configure(pl_element *e, pl_error *err)
{
    e6_state *s = PL_STATE(e, e6_state);
    long proto;
    uint8_t *h = s->hdr;
    memset(h, 0, 40);
    if (pl_parse_named(s->proto_s, 1, 255, &proto))
        return pl_seterr(err, PL_ERR_CONFIG, e, "PROTO", "PROTO: bad IP protocol '%s'", s->proto_s);
    if (address(e, "SRC", s->src_s, h + 8, err))
        return err->status;
    s->dst_anno = !strcmp(s->dst_s, "DST_ANNO");
    if (!s->dst_anno && address(e, "DST", s->dst_s, h + 24, err))
        return err->status;
    pl_wr32(h, 6u << 28 | (uint32_t)s->tclass << 20);
    h[6] = (uint8_t)proto;
    h[7] = (uint8_t)s->hlim;
    return 0;
}

static inline int e6_one(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    e6_state *s = PL_STATE(e, e6_state);
    pl_packet *p = *pp;
    if (__builtin_expect(p->len > 65535, 0))
        return C_TOOBIG + 1;           /* the payload length would not hold it */
    if (!pl_packet_push_front(ctx->pool, p, 40)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return -1;
    }
    uint8_t *ip6 = p->data, *anno = p->anno + PL_ANNO_DST_IP6;
    memcpy(ip6, s->hdr, 40);
    static const uint8_t zero[16];
    if (s->dst_anno && memcmp(anno, zero, 16))
        memcpy(ip6 + 24, anno, 16);
    else
        memcpy(anno, ip6 + 24, 16);
    pl_wr16(ip6 + 4, (uint16_t)(p->len - 40));
    pl_set_net_header(p, ip6);
    return 0;
}

static void e6_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, e6_one);
}

static const pl_param params[] = {
    {"PROTO", PL_T_STRING, offsetof(e6_state, proto_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "next header: a number or a name (tcp, udp, ...)"},
    {"SRC", PL_T_STRING, offsetof(e6_state, src_s), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "source IPv6 address"},
    {"DST", PL_T_STRING, offsetof(e6_state, dst_s), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "destination IPv6 address, or DST_ANNO: the IPv6 destination annotation"},
    {"HLIM", PL_T_UINT, offsetof(e6_state, hlim), "250", 0, 255, 0, "hop limit"},
    {"CLASS", PL_T_UINT, offsetof(e6_state, tclass), "0", 0, 255, 0, "traffic class"},
    {0}};

static const pl_class ip6_encap = {
    .name = "IP6Encap",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "IP6Encap(PROTO, SRC, DST, KEYWORDS)\n"
           "Encapsulates packets in static IPv6 header.\n\n"
           "Prepends a 40-byte IPv6 header: next header PROTO, SRC, DST (with DST_ANNO\n"
           "the IPv6 destination annotation when it is set, else ::), hop limit HLIM\n"
           "(250), traffic class CLASS (0), flow label 0, and the payload length of the\n"
           "packet. Sets the network header annotation and, unless DST_ANNO supplied\n"
           "the destination, the IPv6 destination annotation. Addresses may be\n"
           "AddressInfo names. The header goes in the headroom. Packets whose payload\n"
           "would exceed 65535 bytes are dropped and counted (pktlab: Click writes a\n"
           "truncated length).\n"
           "Keywords: PROTO, SRC, DST, HLIM, CLASS.\n"
           "Counters (drops): nobufs, too_big.\n\n"
           "Example: ... -> IP6Encap(41, 2001:db8::1, 2001:db8::2) -> ...   // IPv6 in IPv6",
    .state_size = sizeof(e6_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .configure = e6_configure,
    .push = e6_push,
};
PL_REGISTER_CLASS(ip6_encap);
