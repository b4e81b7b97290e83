/* DropBroadcasts: drops packets that arrived as link-level broadcast or multicast. */
#include "../../lib/netpkt.h"

enum { C_BROADCAST };
static const char *const counters[] = {"broadcast", NULL};

static inline int unicast(const pl_packet *p, const void *aux)
{
    (void)aux;
    uint8_t t = pl_anno_u8(p, PL_ANNO_PACKET_TYPE);
    const uint8_t *mac = pl_mac_header(p);
    return !(t == PL_PACKET_BROADCAST || t == PL_PACKET_MULTICAST ||
             (t == PL_PACKET_HOST && mac && mac >= p->buf && mac < p->data + p->len &&
              (mac[0] & 1)));
}

static inline int db_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    (void)e;
    (void)ctx;
    return unicast(*pp, NULL) ? 0 : C_BROADCAST + 1;
}

static void db_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    if (__builtin_expect(pl_batch_all(b, unicast, NULL), 1))
        pl_output(ctx, e, 0, b);
    else
        pl_push_verdict(e, b, ctx, db_check);      /* one output: bad ones are dropped */
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_BROADCAST));
}

static const pl_handler handlers[] = {
    {"drops", "packets dropped", read_drops, NULL},
    {0}};

static const pl_class drop_broadcasts = {
    .name = "DropBroadcasts",
    .ports = "1/1",
    .processing = "a/ah",
    .doc = "DropBroadcasts\n"
           "Drops link-level broadcast and multicast packets.\n\n"
           "Drops packets whose packet-type annotation says they arrived as link-level\n"
           "broadcast or multicast. Where no input element set that annotation (it is\n"
           "\"host\"), the Ethernet destination at the MAC header annotation decides: a\n"
           "group address (low bit of its first byte set) is dropped. Routers put it\n"
           "before forwarding (RFC 1812 5.3.4).\n"
           "Counters: broadcast (drop).\n\n"
           "Example: rt[1] -> DropBroadcasts -> PaintTee(1) -> ...",
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .push = db_push,
};
PL_REGISTER_CLASS(drop_broadcasts);
