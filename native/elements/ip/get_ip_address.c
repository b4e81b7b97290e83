/* GetIPAddress: sets the destination IP annotation from packet data. */
#include "../../lib/netpkt.h"

typedef struct {
    uint64_t offset;
} gia_state;

enum { C_SHORT };
static const char *const counters[] = {"short", NULL};

static pl_packet *gia_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    uint64_t off = PL_STATE(e, gia_state)->offset;
    if (__builtin_expect(p->len < off + 4, 0)) {
        pl_drop(ctx, e, C_SHORT, p);
        return NULL;
    }
    memcpy(&p->dst_ip, p->data + off, 4);
    return p;
}

static const pl_param params[] = {
    {"OFFSET", PL_T_UINT, offsetof(gia_state, offset), NULL, 0, 4096,
     PL_P_POSITIONAL | PL_P_REQUIRED, "byte offset of the address in the packet (16: an IP "
     "header's destination, 12: its source)"},
    {0}};

static const pl_class get_ip_address = {
    .name = "GetIPAddress",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "GetIPAddress(OFFSET)\n"
           "Sets destination IP address annotation from packet data.\n\n"
           "Copies the 4 bytes at OFFSET into the packet's destination IP address\n"
           "annotation, which the route lookup elements and ARPQuerier read. Packets\n"
           "too short to hold them are dropped.\n"
           "Counters: short (drop).\n\n"
           "Example: Strip(14) -> CheckIPHeader -> GetIPAddress(16) -> rt :: RadixIPLookup(...);",
    .state_size = sizeof(gia_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .simple_action = gia_action,
};
PL_REGISTER_CLASS(get_ip_address);
