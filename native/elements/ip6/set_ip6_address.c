/* SetIP6Address: sets the IPv6 destination annotation to a fixed address. */
#include "../../core/addrinfo.h"
#include "../../core/anno.h"
#include "../../core/args.h"
#include "../../lib/netpkt.h"

#include <string.h>

typedef struct {
    char *addr_s;
    uint8_t addr[16];
} s6a_state;

static int s6a_configure(pl_element *e, pl_error *err)
{
    s6a_state *s = PL_STATE(e, s6a_state);
    if (pl_parse_ipv6(s->addr_s, s->addr) && pl_addrinfo_ip6(s->addr_s, s->addr))
        return pl_seterr(err, PL_ERR_CONFIG, e, "IPADDR", "IPADDR: '%s' is not an IPv6 address",
                         s->addr_s);
    return 0;
}

static void s6a_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    const uint8_t *a = PL_STATE(e, s6a_state)->addr;
    for (pl_packet *p = b; p; p = p->next)
        memcpy(p->anno + PL_ANNO_DST_IP6, a, 16);
    pl_output(ctx, e, 0, b);
}

static const pl_param params[] = {
    {"IPADDR", PL_T_STRING, offsetof(s6a_state, addr_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "the IPv6 address (or an AddressInfo name)"},
    {0}};

static const pl_class set_ip6_address = {
    .name = "SetIP6Address",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "SetIP6Address(IPADDR)\n"
           "Sets the IPv6 destination annotation.\n\n"
           "Every packet's IPv6 destination address annotation becomes IPADDR (what\n"
           "LookupIP6Route and IP6NDSolicitor read); the packet is not changed.\n"
           "Keywords: IPADDR.\n\n"
           "Example: FromMemory -> SetIP6Address(fe80::1) -> IP6NDSolicitor(fe80::2, 02:00:00:00:00:02);",
    .state_size = sizeof(s6a_state),
    .params = params,
    .configure = s6a_configure,
    .push = s6a_push,
};
PL_REGISTER_CLASS(set_ip6_address);
