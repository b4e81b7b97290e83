/* AddressInfo: names for addresses, read by every element's address arguments. */
#include "../../core/element.h"
#include "../../core/addrinfo.h"

typedef struct {
    pl_args args;
} addrinfo_state;

static int addrinfo_configure(pl_element *e, pl_error *err)
{
    addrinfo_state *s = PL_STATE(e, addrinfo_state);
    char msg[256];
    if (pl_addrinfo_define_args(e->eng, e->name, s->args.n, s->args.v, msg, (int)sizeof msg))
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "%s", msg);
    return 0;
}

static const pl_param params[] = {
    {"NAME", PL_T_ARGS, offsetof(addrinfo_state, args), "", 0, -1, PL_P_POSITIONAL,
     "'NAME ADDRESS [ADDRESS...]', one per argument"},
    {0}};

static const pl_class address_info = {
    .name = "AddressInfo",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "AddressInfo(NAME ADDRESS [ADDRESS...], ...)\n"
           "Specifies address information.\n\n"
           "Gives names to addresses, as Click's AddressInfo does. Each argument is a\n"
           "NAME followed by addresses: an IPv4 address (10.0.0.1), an IPv4 prefix\n"
           "(10.0.0.0/24; with host bits, 10.0.0.1/24, also the address), an Ethernet\n"
           "address, an IPv6 address or an IPv6 prefix. Any element's address argument\n"
           "then takes the name: NAME or NAME:ip for the IPv4 address, NAME:net (or\n"
           ":ipnet) for the prefix, NAME:bcast for its broadcast address, NAME:gw for\n"
           "the network's first address, NAME:eth for the Ethernet address, NAME:ip6\n"
           "and NAME:ip6net for IPv6; a prefix argument given a bare NAME takes the\n"
           "prefix, else the address as /32. Names are local to the compound element\n"
           "the AddressInfo is in, and seen from the compounds inside it. A name no\n"
           "AddressInfo defines may be a network device of this host (eth0, eth0:eth,\n"
           "eth0:net). The names apply wherever the AddressInfo is declared in the\n"
           "configuration (pktlab reads every AddressInfo before any other element,\n"
           "as Click does). The element has no ports and processes no packets.\n\n"
           "Example: AddressInfo(lan 10.0.0.1/24 00:11:22:33:44:55, up 192.168.1.2);\n"
           "         FromMemory -> GetIPAddress(16) -> StaticIPLookup(lan:net 0, up 1) ...",
    .state_size = sizeof(addrinfo_state),
    .params = params,
    .configure = addrinfo_configure,
};
PL_REGISTER_CLASS(address_info);
