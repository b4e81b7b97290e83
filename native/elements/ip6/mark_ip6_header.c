/* MarkIP6Header: sets the network header annotation on an IPv6 header. */
#include "../../lib/netpkt.h"

typedef struct {
    uint64_t offset;
} m6_state;

static pl_packet *m6_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    uint64_t off = PL_STATE(e, m6_state)->offset;
    if (off > p->len)                  /* past the end: at the end, an empty header */
        off = p->len;
    pl_set_net_header(p, p->data + off);
    return p;
}

static const pl_param params[] = {
    {"OFFSET", PL_T_UINT, offsetof(m6_state, offset), "0", 0, 65535, PL_P_POSITIONAL,
     "bytes from the data start to the IPv6 header"},
    {0}};

static const pl_class mark_ip6_header = {
    .name = "MarkIP6Header",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "MarkIP6Header([OFFSET])\n"
           "Sets IP6 header annotation.\n\n"
           "Marks the IPv6 header OFFSET bytes into the packet (0 by default): sets the\n"
           "network header annotation there; the elements that read a transport\n"
           "header find it 40 bytes further, as Click's set_ip6_header gives. Nothing\n"
           "is checked: use CheckIP6Header for that. An OFFSET past the end marks the\n"
           "end.\n"
           "Keywords: OFFSET.\n\n"
           "Example: FromDump(f.pcap) -> Strip(14) -> MarkIP6Header -> SetIP6DSCP(10) -> ...",
    .state_size = sizeof(m6_state),
    .params = params,
    .simple_action = m6_action,
};
PL_REGISTER_CLASS(mark_ip6_header);
