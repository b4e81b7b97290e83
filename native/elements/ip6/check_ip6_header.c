/* CheckIP6Header: checks IPv6 headers, sets the network header annotation. */
#include "../../core/addrinfo.h"
#include "../../lib/netpkt.h"

#include <stdlib.h>
#include <string.h>

#define MAX_BAD 64

typedef struct {
    char *badaddrs;
    uint64_t offset;
    int nbad;
    uint8_t bad[MAX_BAD][16];
    _Atomic int warned;
} c6_state;

enum { R_TINY, R_VERSION, R_LEN, R_SRC, NREASONS };
static const char *const counters[] = {"tiny_packet", "bad_version", "bad_length",
                                       "bad_source", NULL};

static int c6_configure(pl_element *e, pl_error *err)
{
    c6_state *s = PL_STATE(e, c6_state);
    /* Click's default bad source: the all-ones address. */
    memset(s->bad[0], 0xff, 16);
    s->nbad = 1;
    if (!s->badaddrs)
        return 0;
    char *copy = strdup(s->badaddrs), *save = NULL;
    if (!copy)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    int rc = 0;
    for (char *w = strtok_r(copy, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
        uint8_t a[16];
        if (pl_parse_ipv6(w, a) && pl_addrinfo_ip6(w, a)) {
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "BADADDRS",
                           "BADADDRS: '%s' is not an IPv6 address", w);
            break;
        }
        int dup = 0;
        for (int i = 0; i < s->nbad; i++)
            dup |= !memcmp(s->bad[i], a, 16);
        if (dup)
            continue;
        if (s->nbad == MAX_BAD) {
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "BADADDRS",
                           "BADADDRS: at most %d addresses", MAX_BAD - 1);
            break;
        }
        memcpy(s->bad[s->nbad++], a, 16);
    }
    free(copy);
    return rc;
}

static int bad(pl_element *e, c6_state *s, int reason)
{
    if (!atomic_exchange_explicit(&s->warned, 1, memory_order_relaxed))
        pl_log(e->eng, "%s: CheckIP6Header: IP6 header check failed", e->name);
    return reason + 1;
}

static inline int c6_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    (void)ctx;
    c6_state *s = PL_STATE(e, c6_state);
    pl_packet *p = *pp;
    uint32_t off = (uint32_t)s->offset;
    if (__builtin_expect(p->len < off + 40, 0))
        return bad(e, s, R_TINY);
    uint8_t *ip = p->data + off;
    uint32_t plen = p->len - off;
    if (__builtin_expect((ip[0] >> 4) != 6, 0))
        return bad(e, s, R_VERSION);
    uint32_t paylen = pl_rd16(ip + 4);
    if (__builtin_expect(paylen > plen - 40, 0))
        return bad(e, s, R_LEN);
    for (int i = 0; i < s->nbad; i++)
        if (__builtin_expect(!memcmp(ip + 8, s->bad[i], 16), 0))
            return bad(e, s, R_SRC);
    pl_set_net_header(p, ip);
    if (paylen < plen - 40)
        p->len = off + 40 + paylen;    /* Ethernet padding and the like */
    return 0;
}

static void c6_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, c6_check);
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    uint64_t n = 0;
    for (int r = 0; r < NREASONS; r++)
        n += pl_counter_total(e, r);
    n += e->noutputs > 1 ? pl_output_total(e, 1, 0) : 0;
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static const pl_param params[] = {
    {"BADADDRS", PL_T_STRING, offsetof(c6_state, badaddrs), NULL, 0, -1, PL_P_POSITIONAL,
     "space-separated source addresses to reject (besides ffff:...:ffff)"},
    {"OFFSET", PL_T_UINT, offsetof(c6_state, offset), "0", 0, 1024, PL_P_POSITIONAL,
     "byte position of the IPv6 header in the packet"},
    {0}};

static const pl_handler handlers[] = {
    {"drops", "packets that failed a check (dropped or sent to output 1)", read_drops, NULL},
    {0}};

static const pl_class check_ip6_header = {
    .name = "CheckIP6Header",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "CheckIP6Header([BADADDRS, OFFSET])\n"
           "Checks IPv6 header.\n\n"
           "Input packets should have IPv6 headers starting OFFSET bytes in. Checks that\n"
           "the packet is at least 40 bytes past OFFSET, that the version is 6, that\n"
           "the payload length fits in the packet, and that the source address is not\n"
           "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff or one of BADADDRS (IPv6 addresses\n"
           "or AddressInfo names). Good packets get the network header annotation and\n"
           "lose bytes past the payload length (Ethernet padding); bad ones leave on\n"
           "output 1 if it is connected, and are dropped otherwise. The first bad\n"
           "packet is logged, as in Click.\n"
           "Keywords: BADADDRS, OFFSET.\n"
           "Handlers: drops.\n"
           "Counters: tiny_packet, bad_version, bad_length, bad_source (drops).\n\n"
           "Example: FromDevice(eth0) -> Classifier(12/86dd) -> Strip(14) -> CheckIP6Header -> ...",
    .state_size = sizeof(c6_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = NREASONS,
    .configure = c6_configure,
    .push = c6_push,
};
PL_REGISTER_CLASS(check_ip6_header);
