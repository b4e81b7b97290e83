/* UDPIPEncap: prepends UDP and IP headers. */
#include "../../core/args.h"
#include "../../lib/ipfield.h"

typedef struct {
    uint32_t src;
    char *sport_s, *dst_s, *dport_s;
    uint8_t cksum;
    int dst_anno;
    uint32_t dst;
    uint16_t sport, dport;
    _Atomic uint32_t id;
} uie_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static int uie_configure(pl_element *e, pl_error *err)
{
    uie_state *s = PL_STATE(e, uie_state);
    long sp, dp;
    if (pl_parse_named(s->sport_s, 0, 65535, &sp))
        return pl_seterr(err, PL_ERR_CONFIG, e, "SPORT", "SPORT: '%s' is not a UDP port", s->sport_s);
    if (pl_parse_named(s->dport_s, 0, 65535, &dp))
        return pl_seterr(err, PL_ERR_CONFIG, e, "DPORT", "DPORT: '%s' is not a UDP port", s->dport_s);
    s->dst_anno = !strcmp(s->dst_s, "DST_ANNO");
    s->dst = 0;
    if (!s->dst_anno && pl_parse_ipv4(s->dst_s, &s->dst))
        return pl_seterr(err, PL_ERR_CONFIG, e, "DST", "DST: bad DST '%s'", s->dst_s);
    s->sport = (uint16_t)sp;
    s->dport = (uint16_t)dp;
    return 0;
}

static inline int uie_one(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    uie_state *s = PL_STATE(e, uie_state);
    pl_packet *p = *pp;
    if (!pl_packet_push_front(ctx->pool, p, 28)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return -1;
    }
    uint8_t *ip = p->data, *udp = ip + 20;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    pl_wr16(ip + 2, (uint16_t)p->len);
    pl_wr16(ip + 4, (uint16_t)atomic_fetch_add_explicit(&s->id, 1, memory_order_relaxed));
    ip[8] = 250;
    ip[9] = PL_IP_PROTO_UDP;
    memcpy(ip + 12, &s->src, 4);
    if (s->dst_anno)
        memcpy(ip + 16, &p->dst_ip, 4);
    else {
        memcpy(ip + 16, &s->dst, 4);
        p->dst_ip = s->dst;
    }
    pl_ip_set_csum(ip, 20);
    pl_set_net_header(p, ip);
    uint16_t len = (uint16_t)(p->len - 20);
    pl_wr16(udp, s->sport);
    pl_wr16(udp + 2, s->dport);
    pl_wr16(udp + 4, len);
    udp[6] = udp[7] = 0;
    if (s->cksum) {
        uint16_t c = pl_transport_cksum(ip, udp, len);
        memcpy(udp + 6, &c, 2);
    }
    return 0;
}

static void uie_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, uie_one);
}

static void uie_take_state(pl_element *e, pl_element *old)
{
    atomic_store(&PL_STATE(e, uie_state)->id, atomic_load(&PL_STATE(old, uie_state)->id));
}

static const pl_param params[] = {
    {"SRC", PL_T_IPV4, offsetof(uie_state, src), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "source address"},
    {"SPORT", PL_T_STRING, offsetof(uie_state, sport_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "source port"},
    {"DST", PL_T_STRING, offsetof(uie_state, dst_s), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "destination address, or DST_ANNO"},
    {"DPORT", PL_T_STRING, offsetof(uie_state, dport_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "destination port"},
    {"CHECKSUM", PL_T_BOOL, offsetof(uie_state, cksum), "false", 0, -1, PL_P_POSITIONAL,
     "compute the UDP checksum (false by default, as vanilla Click behaves: see the manual)"},
    {0}};

static const pl_class udp_ip_encap = {
    .name = "UDPIPEncap",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "UDPIPEncap(SRC, SPORT, DST, DPORT [, CHECKSUM])\n"
           "Encapsulates packets in static UDP/IP headers.\n\n"
           "Prepends a UDP header and a 20-byte IP header (TTL 250, an ID counting from\n"
           "0 per element, carried across a live swap) from SRC:SPORT to DST:DPORT, DST\n"
           "being an address or DST_ANNO (the destination IP annotation). The UDP\n"
           "checksum is computed when CHECKSUM is true. Click's manual says CHECKSUM\n"
           "defaults to true, but Click 9197a594 leaves it uninitialized and its\n"
           "builds compute no checksum when it is not given; pktlab gives Click's\n"
           "bytes (write CHECKSUM true for checksums). Sets the network header\n"
           "and destination IP annotations. Handlers: src, sport, dst, dport.\n"
           "Counters (drop): nobufs.\n\n"
           "Example: InfiniteSource(LENGTH 22) -> UDPIPEncap(10.0.0.1, 1234, 10.0.0.2, 80) -> ...",
    .state_size = sizeof(uie_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .configure = uie_configure,
    .push = uie_push,
    .take_state = uie_take_state,
};
PL_REGISTER_CLASS(udp_ip_encap);
