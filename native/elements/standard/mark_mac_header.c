/* MarkMACHeader: sets the MAC header annotation (Click's). */
#include "../../lib/netpkt.h"

typedef struct {
    uint64_t offset, length;
} mmh_state;

/* Click's set_mac_header(data + OFFSET[, LENGTH]): with a LENGTH, the network
 * header follows the MAC header. Offsets past the end mark the end. */
static pl_packet *mmh_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    mmh_state *s = PL_STATE(e, mmh_state);
    uint64_t off = s->offset > p->len ? p->len : s->offset;
    p->mac_off = (uint16_t)(p->data + off - p->buf);
    if (s->length) {
        uint64_t net = off + s->length > p->len ? p->len : off + s->length;
        pl_set_net_header(p, p->data + net);
    }
    return p;
}

static const pl_param params[] = {
    {"OFFSET", PL_T_UINT, offsetof(mmh_state, offset), "0", 0, 65535, PL_P_POSITIONAL,
     "bytes from the data start to the MAC header"},
    {"LENGTH", PL_T_UINT, offsetof(mmh_state, length), "0", 0, 65535, PL_P_POSITIONAL,
     "the MAC header's length: the network header follows it (0: left alone)"},
    {0}};

static const pl_class mark_mac_header = {
    .name = "MarkMACHeader",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "MarkMACHeader([OFFSET, LENGTH])\n"
           "Sets the MAC header annotation.\n\n"
           "Marks the MAC header OFFSET bytes into the packet (0 by default). With a\n"
           "LENGTH (bytes, e.g. 14 for Ethernet), the network header annotation is set\n"
           "LENGTH bytes after it, as Click's set_mac_header does; without, the network\n"
           "header is left alone. Offsets past the end mark the end.\n\n"
           "Example: FromMemory -> MarkMACHeader(0, 14) -> EtherRewrite(...) -> Discard;",
    .state_size = sizeof(mmh_state),
    .params = params,
    .simple_action = mmh_action,
};
PL_REGISTER_CLASS(mark_mac_header);
