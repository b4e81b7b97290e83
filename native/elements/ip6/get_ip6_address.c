/* GetIP6Address: sets the IPv6 destination annotation from the packet. */
#include "../../core/anno.h"
#include "../../lib/netpkt.h"

#include <string.h>

typedef struct {
    uint64_t offset;
} g6_state;

enum { C_SHORT };
static const char *const counters[] = {"short", NULL};

static inline int g6_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    (void)ctx;
    pl_packet *p = *pp;
    uint32_t off = (uint32_t)PL_STATE(e, g6_state)->offset;
    if (__builtin_expect(p->len < off + 16, 0))
        return C_SHORT + 1;
    memcpy(p->anno + PL_ANNO_DST_IP6, p->data + off, 16);
    return 0;
}

static void g6_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, g6_check);
}

static const pl_param params[] = {
    {"OFFSET", PL_T_UINT, offsetof(g6_state, offset), NULL, 0, 65535, PL_P_POSITIONAL,
     "byte position of the address in the packet (24 for an IPv6 header's destination)"},
    {0}};

static const pl_class get_ip6_address = {
    .name = "GetIP6Address",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "GetIP6Address(OFFSET)\n"
           "Sets the IPv6 destination annotation from packet data.\n\n"
           "Copies the 16 bytes at OFFSET into the packet's IPv6 destination address\n"
           "annotation, which LookupIP6Route and IP6NDSolicitor read. OFFSET is\n"
           "usually 24 (the destination field of an IPv6 header at the packet's start).\n"
           "Packets shorter than OFFSET + 16 bytes are dropped and counted (pktlab:\n"
           "Click reads past their end).\n"
           "Keywords: OFFSET.\n"
           "Counters: short (drop).\n\n"
           "Example: CheckIP6Header -> GetIP6Address(24) -> LookupIP6Route(...);",
    .state_size = sizeof(g6_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .push = g6_push,
};
PL_REGISTER_CLASS(get_ip6_address);
