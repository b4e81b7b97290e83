/* EtherEncap: prepends an Ethernet header. */
#include "../../core/args.h"
#include "../../lib/netpkt.h"

typedef struct {
    uint64_t ethertype;
    uint8_t src[6], dst[6];
    uint8_t hdr[14];
} ee_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static int ee_configure(pl_element *e, pl_error *err)
{
    ee_state *s = PL_STATE(e, ee_state);
    memcpy(s->hdr, s->dst, 6);
    memcpy(s->hdr + 6, s->src, 6);
    pl_wr16(s->hdr + 12, (uint16_t)s->ethertype);
    (void)err;
    return 0;
}

/* One packet: room for the header in a private buffer, then the header. */
static inline int ee_one(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    pl_packet *p = *pp;
    if (__builtin_expect(pl_headroom(p) < PL_ETHER_HLEN || pl_packet_shared(p), 0)) {
        if (!pl_packet_push_front(ctx->pool, p, PL_ETHER_HLEN)) {
            pl_drop(ctx, e, C_NOBUFS, p);
            return -1;
        }
    } else
        pl_packet_push(p, PL_ETHER_HLEN);
    memcpy(p->data, PL_STATE(e, ee_state)->hdr, PL_ETHER_HLEN);
    p->mac_off = (uint16_t)(p->data - p->buf);
    return 0;
}

static void ee_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, ee_one);
}

/* Click's handlers: the header's fields, written live (one field per write,
 * from the control thread; a packet sees the old or the new field). */
static int read_ethertype(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%u", (unsigned)pl_rd16(PL_STATE(e, ee_state)->hdr + 12));
}

static int write_ethertype(pl_element *e, const char *v, pl_error *err)
{
    uint64_t t;
    if (pl_parse_uint(v, &t) || t > 0xffff)
        return pl_seterr(err, PL_ERR_HANDLER, e, "ethertype",
                         "ethertype: expected an integer 0-65535, got '%s'", v);
    uint8_t b[2] = {(uint8_t)(t >> 8), (uint8_t)t};
    uint16_t w;
    memcpy(&w, b, 2);
    __atomic_store_n((uint16_t *)(void *)(PL_STATE(e, ee_state)->hdr + 12), w, __ATOMIC_RELAXED);
    PL_STATE(e, ee_state)->ethertype = t;
    return 0;
}

static int read_addr(pl_element *e, char *buf, size_t len, int off)
{
    const uint8_t *h = PL_STATE(e, ee_state)->hdr + off;
    return pl_fmt(buf, len, "%02X-%02X-%02X-%02X-%02X-%02X", h[0], h[1], h[2], h[3], h[4], h[5]);
}

static int write_addr(pl_element *e, const char *v, int off, const char *name, pl_error *err)
{
    uint8_t a[6];
    if (pl_parse_ether(v, a))
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "%s: expected an Ethernet address, got '%s'",
                         name, v);
    for (int i = 0; i < 6; i++)
        __atomic_store_n(PL_STATE(e, ee_state)->hdr + off + i, a[i], __ATOMIC_RELAXED);
    return 0;
}

static int read_src(pl_element *e, char *buf, size_t len) { return read_addr(e, buf, len, 6); }
static int read_dst(pl_element *e, char *buf, size_t len) { return read_addr(e, buf, len, 0); }
static int write_src(pl_element *e, const char *v, pl_error *err) { return write_addr(e, v, 6, "src", err); }
static int write_dst(pl_element *e, const char *v, pl_error *err) { return write_addr(e, v, 0, "dst", err); }

static const pl_handler handlers[] = {
    {"ethertype", "the Ethernet type (rw)", read_ethertype, write_ethertype, 0},
    {"src", "the source Ethernet address (rw)", read_src, write_src, 0},
    {"dst", "the destination Ethernet address (rw)", read_dst, write_dst, 0},
    {0}};

static const pl_param params[] = {
    {"ETHERTYPE", PL_T_UINT, offsetof(ee_state, ethertype), NULL, 0, 65535,
     PL_P_POSITIONAL | PL_P_REQUIRED, "the Ethernet type (0x0800 for IP)"},
    {"SRC", PL_T_ETHER, offsetof(ee_state, src), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "source Ethernet address"},
    {"DST", PL_T_ETHER, offsetof(ee_state, dst), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "destination Ethernet address"},
    {0}};

static const pl_class ether_encap = {
    .name = "EtherEncap",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "EtherEncap(ETHERTYPE, SRC, DST)\n"
           "Encapsulates packets in Ethernet header.\n\n"
           "Prepends a 14-byte Ethernet header with DST, SRC and ETHERTYPE, in the\n"
           "packet's headroom (a packet whose data is shared is copied first), and sets\n"
           "the MAC header annotation. The router's static encapsulation: the FastClick\n"
           "paper's router test case uses it instead of ARPQuerier.\n"
           "Handlers: ethertype, src, dst (rw: a write changes the header of the\n"
           "packets that follow).\n"
           "Counters: nobufs (drop).\n\n"
           "Example: ... -> EtherEncap(0x0800, 00:00:c0:ae:67:ef, 00:00:c0:4f:71:ef) -> ToDevice(eth0);",
    .state_size = sizeof(ee_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .configure = ee_configure,
    .push = ee_push,
};
PL_REGISTER_CLASS(ether_encap);
