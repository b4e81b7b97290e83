/* StripToNetworkHeader: strips everything before the network header. */
#include "../../lib/netpkt.h"

static pl_packet *stn_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)e, (void)ctx;
    if (p->net_off == PL_OFF_UNSET)
        return p;
    uint8_t *h = p->buf + p->net_off;
    if (h >= p->data)
        pl_packet_pull(p, (uint32_t)((h > p->data + p->len ? p->data + p->len : h) - p->data));
    else
        pl_packet_push(p, (uint32_t)(p->data - h));
    return p;
}

static const pl_class strip_to_network_header = {
    .name = "StripToNetworkHeader",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "StripToNetworkHeader()\n"
           "Strips everything preceding network header.\n\n"
           "Moves the data start to the network header annotation: forward over a\n"
           "link header, or back into the headroom when the network header is before\n"
           "the data (Click's nonunique_push). Packets without the annotation pass\n"
           "unchanged.\n\n"
           "Example: ... -> CheckIPHeader(14) -> StripToNetworkHeader -> ...",
    .simple_action = stn_action,
};
PL_REGISTER_CLASS(strip_to_network_header);
