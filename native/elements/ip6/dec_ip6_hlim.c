/* DecIP6HLIM: decrements the IPv6 hop limit, sends expired packets to output 1. */
#include "../../lib/netpkt.h"

enum { C_EXPIRED, C_SHORT, C_NOBUFS };
static const char *const counters[] = {"expired", "short", "nobufs", NULL};

static inline int dh_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    pl_packet *p = *pp;
    if (__builtin_expect(pl_net_length(p) < 40, 0))
        return C_SHORT + 1;
    uint8_t *ip = pl_net_header(p);
    if (__builtin_expect(ip[7] <= 1, 0))
        return C_EXPIRED + 1;
    if (__builtin_expect(pl_packet_shared(p), 0)) {
        if (!pl_packet_uniqueify(ctx->pool, p)) {
            pl_drop(ctx, e, C_NOBUFS, p);
            return -1;
        }
        ip = pl_net_header(p);
    }
    ip[7]--;                           /* no header checksum in IPv6 */
    return 0;
}

static void dh_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, dh_check);
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    uint64_t n = pl_counter_total(e, C_EXPIRED) + pl_counter_total(e, C_SHORT) +
                 (e->noutputs > 1 ? pl_output_total(e, 1, 0) : 0);
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static const pl_handler handlers[] = {
    {"drops", "packets whose hop limit expired, or too short (dropped or sent to output 1)",
     read_drops, NULL},
    {0}};

static const pl_class dec_ip6_hlim = {
    .name = "DecIP6HLIM",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "DecIP6HLIM\n"
           "Decrements the IPv6 hop limit, drops expired packets.\n\n"
           "Expects IPv6 packets (the network header annotation, as CheckIP6Header\n"
           "sets it, or the start of the packet). Packets whose hop limit is 0 or 1\n"
           "leave on output 1 if it is connected (ICMP6Error time exceeded), and are\n"
           "dropped otherwise; the others have their hop limit decremented, copied\n"
           "first if their data is shared. Packets shorter than an IPv6 header are\n"
           "treated the same way (pktlab: Click assumes a checked header).\n"
           "Keywords: none.\n"
           "Handlers: drops.\n"
           "Counters: expired, short, nobufs (drops).\n\n"
           "Example: c :: CheckIP6Header -> dh :: DecIP6HLIM -> ...; dh[1] -> Discard;",
    .handlers = handlers,
    .counters = counters,
    .ndrops = 3,
    .push = dh_push,
};
PL_REGISTER_CLASS(dec_ip6_hlim);
