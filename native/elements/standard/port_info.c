/* PortInfo: names for TCP and UDP ports, read by every element's port arguments. */
#include "../../core/element.h"
#include "../../core/addrinfo.h"

typedef struct {
    pl_args args;
} portinfo_state;

static int portinfo_configure(pl_element *e, pl_error *err)
{
    portinfo_state *s = PL_STATE(e, portinfo_state);
    char msg[256];
    if (pl_portinfo_define_args(e->eng, e->name, s->args.n, s->args.v, msg, (int)sizeof msg))
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "%s", msg);
    return 0;
}

static const pl_param params[] = {
    {"NAME", PL_T_ARGS, offsetof(portinfo_state, args), "", 0, -1, PL_P_POSITIONAL,
     "'NAME PORT[/PROTOCOL] [NAME...]', one per argument"},
    {0}};

static const pl_class port_info = {
    .name = "PortInfo",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "PortInfo(NAME PORT[/PROTOCOL] [NAME...], ...)\n"
           "Stores named TCP/UDP port information.\n\n"
           "Gives names to ports, as Click's PortInfo does: each argument is a NAME, a\n"
           "port number, optionally /tcp or /udp (else both), and more names for the\n"
           "same port. A word starting with '#' begins a comment that lasts to the end\n"
           "of the argument; empty arguments are ignored; a protocol other than tcp\n"
           "and udp makes the argument ignored. Port arguments of every element\n"
           "(UDPIPEncap, IPFilter, ...) then take the names, before the built-in\n"
           "service names (ssh, www, ...). Names are local to the compound element the\n"
           "PortInfo is in, and seen from the compounds inside it; pktlab reads every\n"
           "PortInfo before any other element, as Click does. No ports, no packets.\n\n"
           "Example: PortInfo(app 8080/tcp, dns 53);\n"
           "         ... -> UDPIPEncap(10.0.0.1, 1234, 10.0.0.2, dns) -> ...",
    .state_size = sizeof(portinfo_state),
    .params = params,
    .configure = portinfo_configure,
};
PL_REGISTER_CLASS(port_info);
