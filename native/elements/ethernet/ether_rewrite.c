/* EtherRewrite: rewrites the Ethernet source and destination addresses. */
#include "../../lib/netpkt.h"

typedef struct {
    uint8_t src[6], dst[6];
} er_state;

enum { C_SHORT, C_NOBUFS };
static const char *const counters[] = {"short", "nobufs", NULL};

static pl_packet *er_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    if (__builtin_expect(p->len < PL_ETHER_HLEN, 0)) {
        pl_drop(ctx, e, C_SHORT, p);
        return NULL;
    }
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    er_state *s = PL_STATE(e, er_state);
    memcpy(p->data, s->dst, 6);
    memcpy(p->data + 6, s->src, 6);
    return p;
}

static const pl_param params[] = {
    {"SRC", PL_T_ETHER, offsetof(er_state, src), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "new source Ethernet address"},
    {"DST", PL_T_ETHER, offsetof(er_state, dst), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "new destination Ethernet address"},
    {0}};

static const pl_class ether_rewrite = {
    .name = "EtherRewrite",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "EtherRewrite(SRC, DST)\n"
           "Rewrites Ethernet source and destination.\n\n"
           "Overwrites the destination and source addresses of each Ethernet frame (the\n"
           "first 12 bytes) with DST and SRC, copying the packet first if its data is\n"
           "shared (FastClick's element). Frames shorter than 14 bytes are dropped.\n"
           "Counters: short, nobufs (drops).\n\n"
           "Example: FromDPDKDevice(0) -> EtherRewrite(SRC 02:00:00:00:00:01, DST "
           "02:00:00:00:00:02) -> ToDPDKDevice(1);",
    .state_size = sizeof(er_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .simple_action = er_action,
};
PL_REGISTER_CLASS(ether_rewrite);
