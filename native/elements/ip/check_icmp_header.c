/* CheckICMPHeader: checks ICMP header lengths and checksums. */
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

#include <stdio.h>

typedef struct {
    uint8_t verbose, details;
    _Atomic int warned;
} cich_state;

enum { R_NOT_ICMP, R_LENGTH, R_CSUM, NREASONS };
static const char *const counters[] = {"not_icmp", "bad_length", "bad_checksum", NULL};
static const char *const texts[] = {"not ICMP", "bad packet length", "bad ICMP checksum"};

static int bad(pl_element *e, cich_state *s, int r)
{
    if (s->verbose || !atomic_exchange_explicit(&s->warned, 1, memory_order_relaxed))
        pl_log(e->eng, "%s: ICMP header check failed: %s", PL_NAME(e), texts[r]);
    return r + 1;
}

static inline int cich_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    (void)ctx;
    cich_state *s = PL_STATE(e, cich_state);
    pl_packet *p = *pp;
    uint32_t nlen = pl_net_length(p);
    const uint8_t *ip = pl_net_header(p);
    if (p->net_off == PL_OFF_UNSET || nlen < 20 || ip[9] != PL_IP_PROTO_ICMP)
        return bad(e, s, R_NOT_ICMP);
    unsigned hl = pl_ip_hl(ip);
    if (hl > nlen)
        return bad(e, s, R_LENGTH);
    uint32_t len = nlen - hl;       /* to the packet's end, as Click measures it */
    const uint8_t *icmp = ip + hl;
    if (len < 8)
        return bad(e, s, R_LENGTH);
    switch (icmp[0]) {
    case 3: case 4: case 5: case 11: case 12:   /* an IP header and 64 bits of datagram */
        if (len < 8 + 28)
            return bad(e, s, R_LENGTH);
        break;
    case 13: case 14:                            /* timestamp: exactly 12 more bytes */
        if (len != 20)
            return bad(e, s, R_LENGTH);
        break;
    case 15: case 16:                            /* information request: none */
        if (len != 8)
            return bad(e, s, R_LENGTH);
        break;
    default:
        break;
    }
    if (pl_in_cksum(icmp, len) != 0)
        return bad(e, s, R_CSUM);
    return 0;
}

static void cich_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, cich_check);
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    uint64_t n = e->noutputs > 1 ? pl_output_total(e, 1, 0) : 0;
    for (int r = 0; r < NREASONS; r++)
        n += pl_counter_total(e, r);
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static int read_details(pl_element *e, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = 0;
    for (int r = 0; r < NREASONS; r++) {
        int w = snprintf(buf + k, len - k, "%llu\t%s\n", (unsigned long long)pl_counter_total(e, r),
                         texts[r]);
        if (w < 0 || (size_t)w >= len - k)
            return PL_ERR_HANDLER;
        k += (size_t)w;
    }
    return 0;
}

static const pl_param params[] = {
    {"VERBOSE", PL_T_BOOL, offsetof(cich_state, verbose), "false", 0, -1, 0,
     "log every bad packet, not just the first"},
    {"DETAILS", PL_T_BOOL, offsetof(cich_state, details), "false", 0, -1, 0,
     "keep per-reason counts (always kept here)"},
    {0}};

static const pl_handler handlers[] = {
    {"drops", "packets that failed a check", read_drops, NULL},
    {"drop_details", "failed packets per reason", read_details, NULL},
    {0}};

static const pl_class check_icmp_header = {
    .name = "CheckICMPHeader",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "CheckICMPHeader([KEYWORDS])\n"
           "Checks ICMP header on ICMP packets.\n\n"
           "Expects ICMP packets with the network header annotation set (by\n"
           "CheckIPHeader or MarkIPHeader). Checks the protocol, the ICMP length (from\n"
           "the ICMP header to the end of the packet: at least 8 bytes; errors must\n"
           "hold an IP header and 64 bits of data; timestamps are exactly 20 bytes,\n"
           "information requests 8) and the checksum. Bad packets go to output 1, or\n"
           "are dropped under their reason when it is unconnected.\n"
           "Counters (drop reasons): not_icmp, bad_length, bad_checksum.\n\n"
           "Example: ... -> CheckIPHeader -> ipc :: IPClassifier(icmp, -); ipc[0] -> CheckICMPHeader -> ...",
    .state_size = sizeof(cich_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = NREASONS,
    .push = cich_push,
};
PL_REGISTER_CLASS(check_icmp_header);
