/* StoreIPAddress: stores an IP address (or the destination annotation) into packets. */
#include "../../core/args.h"
#include "../../lib/ipfield.h"

#include <stdlib.h>
#include <strings.h>

typedef struct {
    char *addr_s, *offset_s;
    uint32_t addr;
    int use_addr;
    long offset;                  /* -12: the IP source, -16: the destination */
} st_state;

enum { C_NO_ROOM, C_NOBUFS };
static const char *const counters[] = {"no_room", "nobufs", NULL};

static int st_configure(pl_element *e, pl_error *err)
{
    st_state *s = PL_STATE(e, st_state);
    const char *off = s->offset_s;
    s->use_addr = off != NULL;
    if (!off)                     /* StoreIPAddress(OFFSET): the one argument is the offset */
        off = s->addr_s;
    if (!off)
        return pl_seterr(err, PL_ERR_CONFIG, e, "OFFSET", "OFFSET: missing");
    if (s->use_addr && (!s->addr_s || pl_parse_ipv4(s->addr_s, &s->addr)))
        return pl_seterr(err, PL_ERR_CONFIG, e, "ADDR", "ADDR: '%s' is not an IP address",
                         s->addr_s ? s->addr_s : "");
    char *end;
    if (!strcasecmp(off, "src"))
        s->offset = -12;
    else if (!strcasecmp(off, "dst"))
        s->offset = -16;
    else if ((s->offset = strtol(off, &end, 0)) < 0 || *end || !*off)
        return pl_seterr(err, PL_ERR_CONFIG, e, "OFFSET",
                         "OFFSET: type mismatch: OFFSET requires integer, src or dst, not '%s'",
                         off);
    return 0;
}

/* Click's special case: into the IP header, checksums updated incrementally.
 * Click takes it for any OFFSET >= -16 the plain case refused, writing at
 * network header - OFFSET; so does this, within the buffer. */
static void store_in_header(pl_packet *p, long back, uint32_t a)
{
    uint8_t *ip = pl_net_header(p), *x = ip - back;
    unsigned hl = pl_ip_hl(ip);            /* the transport header as marked, before the write */
    uint32_t tlen = pl_transport_length(p);
    uint16_t old = pl_word_pair(x);
    memcpy(x, &a, 4);
    uint16_t now = pl_word_pair(x);
    pl_cksum_update(ip + 10, old, now);
    if (!pl_ip_first_fragment(ip))
        return;
    if (ip[9] == PL_IP_PROTO_TCP && tlen >= 20)
        pl_cksum_update(ip + hl + 16, old, now);
    if (ip[9] == PL_IP_PROTO_UDP && tlen >= 8 && (ip[hl + 6] | ip[hl + 7]))
        pl_cksum_update(ip + hl + 6, old, now);
}

static inline int st_one(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    st_state *s = PL_STATE(e, st_state);
    pl_packet *p = *pp;
    uint32_t a = s->use_addr ? s->addr : p->dst_ip;
    int plain = (a || s->use_addr) && s->offset >= 0 && (uint64_t)s->offset + 4 <= p->len;
    /* where the header form would write, as offsets (no pointer is formed
     * out of the buffer for an OFFSET far outside it) */
    long net = (long)(pl_net_header(p) - p->data), back = (long)(pl_net_header(p) - p->buf);
    if (!plain && !(s->offset >= -16 && s->offset <= back && pl_net_length(p) >= 20 &&
                    pl_ip_hl(pl_net_header(p)) >= 20 && net - s->offset + 4 <= (long)p->len))
        return C_NO_ROOM + 1;
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return -1;
    }
    if (plain)
        memcpy(p->data + s->offset, &a, 4);
    else
        store_in_header(p, s->offset, a);
    return 0;
}

static void st_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, st_one);
}

static const pl_param params[] = {
    {"ADDR", PL_T_STRING, offsetof(st_state, addr_s), NULL, 0, -1, PL_P_POSITIONAL,
     "the address to store (without it: the destination IP annotation)"},
    {"OFFSET", PL_T_STRING, offsetof(st_state, offset_s), NULL, 0, -1, PL_P_POSITIONAL,
     "byte offset from the data start, or src / dst (the IP header's fields)"},
    {0}};

static const pl_class store_ip_address = {
    .name = "StoreIPAddress",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "StoreIPAddress(OFFSET)  StoreIPAddress(ADDR, OFFSET)\n"
           "Stores IP address in packet.\n\n"
           "Writes ADDR, or the destination IP annotation when ADDR is not given, into\n"
           "the packet OFFSET bytes from its start. OFFSET src or dst writes the IP\n"
           "header's source or destination field instead (at the network header\n"
           "annotation) and updates the IP, TCP and UDP checksums incrementally, as\n"
           "Click does. A packet too short for OFFSET, or with a zero annotation and\n"
           "no ADDR, goes to output 1 (dropped when unconnected).\n"
           "Counters (drops): no_room, nobufs.\n\n"
           "Example: ... -> GetIPAddress(16) -> ... -> StoreIPAddress(dst) -> ...",
    .state_size = sizeof(st_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .configure = st_configure,
    .push = st_push,
};
PL_REGISTER_CLASS(store_ip_address);
