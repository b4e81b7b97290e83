/* EtherEncap: prepends an Ethernet header. */
#include "../../lib/netpkt.h"

typedef struct {
    uint64_t ethertype;
    uint8_t src[6], dst[6];
    uint8_t hdr[14];
} ee_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static int ee_configure(pl_element *e, pl_error *err)
{
    ee_state *s = PL_STATE(e, ee_state);
    memcpy(s->hdr, s->dst, 6);
    memcpy(s->hdr + 6, s->src, 6);
    pl_wr16(s->hdr + 12, (uint16_t)s->ethertype);
    (void)err;
    return 0;
}

/* One packet: room for the header in a private buffer, then the header. */
static inline int ee_one(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    pl_packet *p = *pp;
    if (__builtin_expect(pl_headroom(p) < PL_ETHER_HLEN || pl_packet_shared(p), 0)) {
        if (!pl_packet_push_front(ctx->pool, p, PL_ETHER_HLEN)) {
            pl_drop(ctx, e, C_NOBUFS, p);
            return -1;
        }
    } else
        pl_packet_push(p, PL_ETHER_HLEN);
    memcpy(p->data, PL_STATE(e, ee_state)->hdr, PL_ETHER_HLEN);
    p->mac_off = (uint16_t)(p->data - p->buf);
    return 0;
}

static void ee_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, ee_one);
}

static const pl_param params[] = {
    {"ETHERTYPE", PL_T_UINT, offsetof(ee_state, ethertype), NULL, 0, 65535,
     PL_P_POSITIONAL | PL_P_REQUIRED, "the Ethernet type (0x0800 for IP)"},
    {"SRC", PL_T_ETHER, offsetof(ee_state, src), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "source Ethernet address"},
    {"DST", PL_T_ETHER, offsetof(ee_state, dst), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "destination Ethernet address"},
    {0}};

static const pl_class ether_encap = {
    .name = "EtherEncap",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "EtherEncap(ETHERTYPE, SRC, DST)\n"
           "Encapsulates packets in Ethernet header.\n\n"
           "Prepends a 14-byte Ethernet header with DST, SRC and ETHERTYPE, in the\n"
           "packet's headroom (a packet whose data is shared is copied first), and sets\n"
           "the MAC header annotation. The router's static encapsulation: the FastClick\n"
           "paper's router test case uses it instead of ARPQuerier.\n"
           "Counters: nobufs (drop).\n\n"
           "Example: ... -> EtherEncap(0x0800, 00:00:c0:ae:67:ef, 00:00:c0:4f:71:ef) -> ToDevice(eth0);",
    .state_size = sizeof(ee_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .configure = ee_configure,
    .push = ee_push,
};
PL_REGISTER_CLASS(ether_encap);
