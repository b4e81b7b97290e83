/* UnstripIPHeader: puts the IP header back at the front of packets. */
#include "../../lib/netpkt.h"

static pl_packet *uih_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)e, (void)ctx;
    uint8_t *ip = pl_net_header(p);
    if (p->net_off != PL_OFF_UNSET && ip < p->data)
        pl_packet_push(p, (uint32_t)(p->data - ip));   /* bytes still in the headroom */
    return p;
}

static const pl_class unstrip_ip_header = {
    .name = "UnstripIPHeader",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "UnstripIPHeader()\n"
           "Restores the IP header to front of packets.\n\n"
           "When the network header annotation points before the data start (a\n"
           "StripIPHeader or Strip removed it), moves the data start back to it.\n"
           "Packets whose data already starts at or before the IP header pass\n"
           "unchanged. Only the data pointer moves.\n\n"
           "Example: ... -> StripIPHeader -> ... -> UnstripIPHeader -> ...",
    .simple_action = uih_action,
};
PL_REGISTER_CLASS(unstrip_ip_header);
