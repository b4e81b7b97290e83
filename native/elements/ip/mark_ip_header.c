/* MarkIPHeader: sets the network header annotation. */
#include "../../lib/netpkt.h"

typedef struct {
    uint64_t offset;
} mih_state;

static pl_packet *mih_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    uint64_t off = PL_STATE(e, mih_state)->offset;
    if (off > p->len)                  /* past the end: at the end, an empty header */
        off = p->len;
    pl_set_net_header(p, p->data + off);
    return p;
}

static const pl_param params[] = {
    {"OFFSET", PL_T_UINT, offsetof(mih_state, offset), "0", 0, 65535, PL_P_POSITIONAL,
     "bytes from the data start to the IP header"},
    {0}};

static const pl_class mark_ip_header = {
    .name = "MarkIPHeader",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "MarkIPHeader([OFFSET])\n"
           "Sets IP header annotation.\n\n"
           "Marks the IP header OFFSET bytes into the packet (0 by default): sets the\n"
           "network header annotation there, and so the transport header after its\n"
           "header length, as Click's set_ip_header does. Nothing is checked: use\n"
           "CheckIPHeader for that. An OFFSET past the end marks the end.\n\n"
           "Example: FromDump(f.pcap) -> Strip(14) -> MarkIPHeader -> IPPrint -> Discard;",
    .state_size = sizeof(mih_state),
    .params = params,
    .simple_action = mih_action,
};
PL_REGISTER_CLASS(mark_ip_header);
