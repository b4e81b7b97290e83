/* SetIPAddress: sets the destination IP address annotation. */
#include "../../lib/netpkt.h"
#include "../../core/args.h"

#include <strings.h>

typedef struct {
    uint32_t addr;
    char *anno;
} sa_state;

static int sa_configure(pl_element *e, pl_error *err)
{
    const char *a = PL_STATE(e, sa_state)->anno;
    if (a && *a && strcasecmp(a, "DST_IP") && strcasecmp(a, "DST_IP_ANNO") && strcmp(a, "0"))
        return pl_seterr(err, PL_ERR_CONFIG, e, "ANNO",
                         "ANNO: only the destination IP annotation (DST_IP, offset 0) is an "
                         "address annotation here, not '%s'", a);
    return 0;
}

static pl_packet *sa_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    p->dst_ip = PL_LIVE(PL_STATE(e, sa_state)->addr);
    return p;
}

static const pl_param params[] = {
    {"IPADDR", PL_T_IPV4, offsetof(sa_state, addr), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE, "the address"},
    {"ANNO", PL_T_STRING, offsetof(sa_state, anno), NULL, 0, -1, 0,
     "the annotation: DST_IP (the default)"},
    {0}};

static int read_addr(pl_element *e, char *buf, size_t len)
{
    uint32_t a = PL_LIVE(PL_STATE(e, sa_state)->addr);
    const uint8_t *b = (const uint8_t *)&a;
    return pl_fmt(buf, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

static int write_addr(pl_element *e, const char *v, pl_error *err)
{
    uint32_t a;
    if (pl_parse_ipv4(v, &a))
        return pl_seterr(err, PL_ERR_HANDLER, e, "addr", "addr: '%s' is not an IP address", v);
    __atomic_store_n(&PL_STATE(e, sa_state)->addr, a, __ATOMIC_RELAXED);
    return 0;
}

static const pl_handler handlers[] = {
    {"addr", "the address (Click's handler name)", read_addr, write_addr},
    {0}};

static const pl_class set_ip_address = {
    .name = "SetIPAddress",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "SetIPAddress(IPADDR [, ANNO])\n"
           "Sets destination IP address annotations.\n\n"
           "Sets each packet's destination IP address annotation to IPADDR (what\n"
           "ARPQuerier resolves, StoreIPAddress stores). Handlers: ipaddr, addr.\n\n"
           "Example: ... -> SetIPAddress(10.0.0.1) -> arpq :: ARPQuerier(...);",
    .state_size = sizeof(sa_state),
    .params = params,
    .handlers = handlers,
    .configure = sa_configure,
    .simple_action = sa_action,
};
PL_REGISTER_CLASS(set_ip_address);
