/* DecIPTTL: decrements the IP time-to-live, updating the checksum incrementally. */
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

typedef struct {
    uint8_t active, multicast;
} dt_state;

enum { C_EXPIRED, C_SHORT, C_NOBUFS };
static const char *const counters[] = {"expired", "short", "nobufs", NULL};

static inline int dt_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    dt_state *s = PL_STATE(e, dt_state);
    pl_packet *p = *pp;
    if (__builtin_expect(pl_net_length(p) < 20, 0)) {
        pl_drop(ctx, e, C_SHORT, p);
        return -1;
    }
    uint8_t *ip = pl_net_header(p);
    if (!PL_LIVE(s->active))
        return 0;
    if (!s->multicast && (ip[16] & 0xf0) == 0xe0)
        return 0;
    if (__builtin_expect(ip[8] <= 1, 0))
        return C_EXPIRED + 1;          /* RFC 1812 5.3.1: expired, even with TTL 1 */
    if (__builtin_expect(pl_packet_shared(p), 0)) {
        if (!pl_packet_uniqueify(ctx->pool, p)) {
            pl_drop(ctx, e, C_NOBUFS, p);
            return -1;
        }
        ip = pl_net_header(p);
    }
    uint16_t old, now, hc;
    memcpy(&old, ip + 8, 2);
    ip[8]--;
    memcpy(&now, ip + 8, 2);
    memcpy(&hc, ip + 10, 2);
    hc = pl_csum_update16(hc, old, now);
    memcpy(ip + 10, &hc, 2);
    return 0;
}

static void dt_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, dt_check);
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    uint64_t n = pl_counter_total(e, C_EXPIRED) + (e->noutputs > 1 ? pl_output_total(e, 1, 0) : 0);
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static const pl_param params[] = {
    {"ACTIVE", PL_T_BOOL, offsetof(dt_state, active), "true", 0, -1, PL_P_LIVE,
     "decrement (false: pass packets unchanged)"},
    {"MULTICAST", PL_T_BOOL, offsetof(dt_state, multicast), "true", 0, -1, 0,
     "also decrement multicast packets"},
    {0}};

static const pl_handler handlers[] = {
    {"drops", "packets whose TTL expired (dropped or sent to output 1)", read_drops, NULL},
    {0}};

static const pl_class dec_ip_ttl = {
    .name = "DecIPTTL",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "DecIPTTL([KEYWORDS])\n"
           "Decrements IP time-to-live, drops dead packets.\n\n"
           "Expects IP packets (the network header annotation, or the start of the\n"
           "packet). Packets whose TTL is 0 or 1 leave on output 1 if it is connected,\n"
           "and are dropped otherwise; the others have their TTL decremented and their\n"
           "checksum updated incrementally (RFC 1624), copied first if their data is\n"
           "shared.\n"
           "Counters: expired, short, nobufs (drops).\n\n"
           "Example: dt :: DecIPTTL; dt[1] -> ICMPError(10.0.0.1, timeexceeded) -> rt;",
    .state_size = sizeof(dt_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 3,
    .push = dt_push,
};
PL_REGISTER_CLASS(dec_ip_ttl);
