/* GetIPAddress: sets the destination IP annotation from packet data. */
#include "../../lib/netpkt.h"

typedef struct {
    int64_t offset;               /* -1: IP given */
    char *ip;                     /* "src", "dst" or "" */
    int field;                    /* with IP: 12 or 16 into the network header */
} gia_state;

enum { C_SHORT };
static const char *const counters[] = {"short", NULL};

/* Click: exactly one of OFFSET and IP (src or dst of the IP header). */
static int gia_configure(pl_element *e, pl_error *err)
{
    gia_state *s = PL_STATE(e, gia_state);
    int has_ip = s->ip && *s->ip;
    if ((s->offset >= 0) == has_ip)
        return pl_seterr(err, PL_ERR_CONFIG, e, "OFFSET", "set one of OFFSET, IP");
    if (has_ip) {
        if (!strcmp(s->ip, "src"))
            s->field = 12;
        else if (!strcmp(s->ip, "dst"))
            s->field = 16;
        else
            return pl_seterr(err, PL_ERR_CONFIG, e, "IP", "bad IP: expected src or dst, got '%s'",
                             s->ip);
    }
    return 0;
}

static pl_packet *gia_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    gia_state *s = PL_STATE(e, gia_state);
    const uint8_t *from = NULL;
    if (s->offset >= 0) {
        if ((uint64_t)p->len >= (uint64_t)s->offset + 4)
            from = p->data + s->offset;
    } else {
        const uint8_t *ip = pl_net_header(p), *end = p->data + p->len;
        if (ip && ip >= p->data && ip + s->field + 4 <= end)
            from = ip + s->field;
    }
    if (__builtin_expect(!from, 0)) {
        pl_drop(ctx, e, C_SHORT, p);
        return NULL;
    }
    memcpy(&p->dst_ip, from, 4);
    return p;
}

static const pl_param params[] = {
    {"OFFSET", PL_T_INT, offsetof(gia_state, offset), "-1", -1, 4096, PL_P_POSITIONAL,
     "byte offset of the address in the packet (16: an IP header's destination, 12: its "
     "source)"},
    {"IP", PL_T_STRING, offsetof(gia_state, ip), "", 0, -1, 0,
     "instead of OFFSET: src or dst, the address of the marked IP header"},
    {0}};

static const pl_class get_ip_address = {
    .name = "GetIPAddress",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "GetIPAddress(OFFSET | IP src|dst)\n"
           "Sets destination IP address annotation from packet data.\n\n"
           "Copies the 4 bytes at OFFSET into the packet's destination IP address\n"
           "annotation, which the route lookup elements and ARPQuerier read; with IP\n"
           "src or IP dst instead, the source or destination address of the IP header\n"
           "the network header annotation marks. Packets too short to hold them (or\n"
           "with no network header, for IP) are dropped.\n"
           "Counters: short (drop).\n\n"
           "Example: Strip(14) -> CheckIPHeader -> GetIPAddress(16) -> rt :: RadixIPLookup(...);",
    .state_size = sizeof(gia_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .configure = gia_configure,
    .simple_action = gia_action,
};
PL_REGISTER_CLASS(get_ip_address);
