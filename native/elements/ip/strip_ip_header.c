/* StripIPHeader: strips the IP header (and its options) from the front of packets. */
#include "../../lib/netpkt.h"

static pl_packet *sih_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)e, (void)ctx;
    uint8_t *ip = pl_net_header(p);
    uint32_t nlen = pl_net_length(p);
    uint8_t *th = ip + (nlen ? pl_ip_hl(ip) : 0);
    if (th > p->data + p->len)
        th = p->data + p->len;
    if (th >= p->data)
        pl_packet_pull(p, (uint32_t)(th - p->data));
    else
        pl_packet_push(p, (uint32_t)(p->data - th));   /* header before data: in the headroom */
    return p;
}

static const pl_class strip_ip_header = {
    .name = "StripIPHeader",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "StripIPHeader()\n"
           "Strips the IP header from front of packets.\n\n"
           "Moves the packet's data start to its transport header: the network header\n"
           "annotation (the data start when unset) plus the IP header length, options\n"
           "included. Nothing is copied; UnstripIPHeader puts the header back. A header\n"
           "length past the end leaves an empty packet.\n\n"
           "Example: ... -> CheckIPHeader -> StripIPHeader -> Print(transport) -> ...",
    .simple_action = sih_action,
};
PL_REGISTER_CLASS(strip_ip_header);
