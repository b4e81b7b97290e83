/* EtherMirror: swaps the Ethernet source and destination addresses. */
#include "../../core/element.h"

#define ETHER_HLEN 14

enum { C_SHORT, C_NOBUFS };
static const char *const counters[] = {"short", "nobufs", NULL};

static pl_packet *mirror_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    if (__builtin_expect(p->len < ETHER_HLEN, 0)) {
        pl_drop(ctx, e, C_SHORT, p);
        return NULL;
    }
    if (!pl_packet_uniqueify(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    uint8_t tmp[6];
    memcpy(tmp, p->data, 6);
    memcpy(p->data, p->data + 6, 6);
    memcpy(p->data + 6, tmp, 6);
    return p;
}

static const pl_class ether_mirror = {
    .name = "EtherMirror",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "EtherMirror\n"
           "Swaps Ethernet source and destination.\n\n"
           "Swaps the destination and source addresses of each Ethernet frame (the\n"
           "first 12 bytes), copying the packet first if its data is shared. Frames\n"
           "shorter than 14 bytes are dropped.\n"
           "Counters: short, nobufs (no buffer for the copy); both drops.\n\n"
           "Example: FromDPDKDevice(0) -> EtherMirror -> ToDPDKDevice(0);",
    .counters = counters,
    .ndrops = 2,
    .simple_action = mirror_action,
};
PL_REGISTER_CLASS(ether_mirror);
