/* HostEtherFilter: keeps frames for this host, sets their packet type. */
#include "../../lib/netpkt.h"

typedef struct {
    uint8_t ether[6];
    uint8_t drop_own, drop_other;
    uint64_t offset;
} hef_state;

enum { C_OWN, C_OTHER, C_SHORT };
static const char *const counters[] = {"own", "other_host", "short", NULL};

static inline int hef_one(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    (void)ctx;
    hef_state *s = PL_STATE(e, hef_state);
    pl_packet *p = *pp;
    if (p->len < s->offset + 12)
        return C_SHORT + 1;
    const uint8_t *d = p->data + s->offset, *src = d + 6;
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    if (s->drop_own && !memcmp(src, s->ether, 6))
        return C_OWN + 1;
    uint8_t t;
    if (!memcmp(d, s->ether, 6))
        t = PL_PACKET_HOST;
    else if (!memcmp(d, bcast, 6))
        t = PL_PACKET_BROADCAST;
    else if (d[0] & 1)
        t = PL_PACKET_MULTICAST;
    else {
        pl_anno_set_u8(p, PL_ANNO_PACKET_TYPE, PL_PACKET_OTHERHOST);
        return s->drop_other ? C_OTHER + 1 : 0;
    }
    pl_anno_set_u8(p, PL_ANNO_PACKET_TYPE, t);
    return 0;
}

static void hef_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, hef_one);
}

static const pl_param params[] = {
    {"ETHER", PL_T_ETHER, offsetof(hef_state, ether), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "this host's Ethernet address"},
    {"DROP_OWN", PL_T_BOOL, offsetof(hef_state, drop_own), "false", 0, -1, PL_P_POSITIONAL,
     "drop frames sent from ETHER"},
    {"DROP_OTHER", PL_T_BOOL, offsetof(hef_state, drop_other), "true", 0, -1, PL_P_POSITIONAL,
     "drop frames for other hosts"},
    {"OFFSET", PL_T_UINT, offsetof(hef_state, offset), "0", 0, 65535, 0,
     "bytes before the Ethernet header"},
    {0}};

static const pl_class host_ether_filter = {
    .name = "HostEtherFilter",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "HostEtherFilter(ETHER [, DROP_OWN, DROP_OTHER, KEYWORDS])\n"
           "Filters Ethernet packets for this host.\n\n"
           "Sets the packet type annotation of each frame from its destination: HOST\n"
           "(ETHER), BROADCAST, MULTICAST or OTHERHOST. Frames for other hosts (with\n"
           "DROP_OTHER, the default) and, with DROP_OWN, frames sent from ETHER go to\n"
           "output 1, or are dropped when it is unconnected. Handler: ether.\n"
           "Counters (drops): own, other_host, short (frames without 12 bytes of\n"
           "addresses).\n\n"
           "Example: FromDevice(eth0) -> HostEtherFilter(00:01:02:03:04:05) -> ...",
    .state_size = sizeof(hef_state),
    .params = params,
    .counters = counters,
    .ndrops = 3,
    .push = hef_push,
};
PL_REGISTER_CLASS(host_ether_filter);
