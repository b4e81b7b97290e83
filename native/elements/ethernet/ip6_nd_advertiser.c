/* IP6NDAdvertiser: answers IPv6 neighbor solicitations for configured addresses. */
#include "../../core/addrinfo.h"
#include "../../core/args.h"
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t addr[16];
    int plen;
    uint8_t eth[6];
} na_entry;

typedef struct {
    pl_args entries;
    na_entry *v;
    int n;
} na_state;

enum { C_BAD_FRAME, C_NOT_SOLICITATION, C_BAD_CHECKSUM, C_UNKNOWN_TARGET, C_NOBUFS, NDROPS };
static const char *const counters[] = {"bad_frame", "not_solicitation", "bad_checksum",
                                       "unknown_target", "nobufs", NULL};

#define ETH 14
#define FRAME (ETH + 40 + 32)        /* a solicitation or advertisement with one option */

static int match(const uint8_t *a, const uint8_t *p, int plen)
{
    int full = plen / 8, rest = plen % 8;
    if (memcmp(a, p, (size_t)full))
        return 0;
    return !rest || !((a[full] ^ p[full]) & (0xff << (8 - rest)));
}

/* Click's cp_ip6_prefix with a bare address, then an address, then Ethernet. */
static int word(const char *w, na_entry *en, int *is_eth)
{
    *is_eth = 0;
    if (strchr(w, '/'))
        return pl_parse_ipv6_prefix(w, en->addr, &en->plen);
    if (!pl_parse_ipv6(w, en->addr) || !pl_addrinfo_ip6(w, en->addr)) {
        en->plen = 128;
        return 0;
    }
    if (!pl_addrinfo_ip6_prefix(w, en->addr, &en->plen))
        return 0;
    *is_eth = 1;
    return pl_parse_ether(w, en->eth);
}

static int na_configure(pl_element *e, pl_error *err)
{
    na_state *s = PL_STATE(e, na_state);
    free(s->v);
    s->v = NULL;
    s->n = 0;
    for (int i = 0; i < s->entries.n; i++) {
        char *text = strdup(s->entries.v[i]), *save = NULL;
        if (!text)
            return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
        uint8_t eth[6] = {0};
        int first = s->n, neth = 0, rc = 0;
        for (char *w = strtok_r(text, " \t\r\n", &save); w && !rc; w = strtok_r(NULL, " \t\r\n", &save)) {
            na_entry en = {0};
            int is_eth;
            if (word(w, &en, &is_eth))
                rc = pl_seterr(err, PL_ERR_CONFIG, e, "ENTRY",
                               "argument %d should be 'IP6/MASK ETHADDR', not '%s'", i + 1, w);
            else if (is_eth && neth++)
                rc = pl_seterr(err, PL_ERR_CONFIG, e, "ENTRY",
                               "argument %d has more than one Ethernet address", i + 1);
            else if (is_eth)
                memcpy(eth, en.eth, 6);
            else {
                na_entry *v = realloc(s->v, sizeof *v * (size_t)(s->n + 1));
                if (!v)
                    rc = pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
                else
                    s->v = v, s->v[s->n++] = en;
            }
        }
        free(text);
        if (!rc && first == s->n)
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "ENTRY",
                           "argument %d had no IP6 address and masks", i + 1);
        if (rc)
            return rc;
        for (int k = first; k < s->n; k++)
            memcpy(s->v[k].eth, eth, 6);
    }
    return 0;
}

static void na_cleanup(pl_element *e) { free(PL_STATE(e, na_state)->v); }

/* The most specific matching entry, the first of equal ones (Click's lookup). */
static const na_entry *find(const na_state *s, const uint8_t *a)
{
    const na_entry *best = NULL;
    for (int i = 0; i < s->n; i++)
        if (match(a, s->v[i].addr, s->v[i].plen) && (!best || s->v[i].plen > best->plen))
            best = &s->v[i];
    return best;
}

static pl_packet *na_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    na_state *s = PL_STATE(e, na_state);
    const uint8_t *f = p->data, *ip6 = f + ETH, *ns = ip6 + 40;
    int r = -1;
    uint32_t plen = p->len >= FRAME ? pl_rd16(ip6 + 4) : 0;
    if (p->len < FRAME || pl_rd16(f + 12) != 0x86dd || ip6[7] != 255 || ip6[6] != 58 ||
        plen < 24 || plen > p->len - ETH - 40)
        r = C_BAD_FRAME;
    else if (ns[0] != 135 || ns[1] != 0)
        r = C_NOT_SOLICITATION;
    else if (pl_icmp6_sum(ip6, ns, plen) != 0)
        r = C_BAD_CHECKSUM;
    const na_entry *en = r < 0 ? find(s, ns + 8) : NULL;
    if (r < 0 && !en)
        r = C_UNKNOWN_TARGET;
    if (r < 0 && !pl_packet_writable(ctx->pool, p))
        r = C_NOBUFS;
    if (r >= 0) {
        pl_drop(ctx, e, r, p);
        return NULL;
    }
    /* Click makes the advertisement as a new packet; here it is built in the
     * solicitation's buffer, its annotations cleared as a new packet's. */
    uint8_t *q = p->data, asker_eth[6], asker_ip[16], target[16];
    memcpy(asker_eth, q + 6, 6);
    memcpy(asker_ip, q + ETH + 8, 16);
    memcpy(target, q + ETH + 40 + 8, 16);
    memset(q, 0, FRAME);
    memcpy(q, asker_eth, 6);
    memcpy(q + 6, en->eth, 6);
    pl_wr16(q + 12, 0x86dd);
    uint8_t *h = q + ETH, *na = h + 40;
    h[0] = 0x60;
    pl_wr16(h + 4, 32);
    h[6] = 58;
    h[7] = 255;
    memcpy(h + 8, target, 16);
    memcpy(h + 24, asker_ip, 16);
    na[0] = 136;
    na[4] = 0xC0;                      /* router, solicited (Click's flags) */
    memcpy(na + 8, target, 16);
    na[24] = 2;                        /* target link-layer address option */
    na[25] = 1;
    memcpy(na + 26, en->eth, 6);
    uint16_t c = pl_icmp6_sum(h, na, 32);
    memcpy(na + 2, &c, 2);
    p->len = FRAME;
    p->net_off = PL_OFF_UNSET;
    p->paint = 0;
    p->dst_ip = 0;
    memset(p->anno, 0, sizeof p->anno);
    p->mac_off = (uint16_t)(p->data - p->buf);
    return p;
}

static int read_table(pl_element *e, char *buf, size_t len)
{
    na_state *s = PL_STATE(e, na_state);
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < s->n; i++) {
        char a[INET6_ADDRSTRLEN];
        const uint8_t *h = s->v[i].eth;
        inet_ntop(AF_INET6, s->v[i].addr, a, sizeof a);
        int w = snprintf(buf + k, len - k, "%s/%d %02x:%02x:%02x:%02x:%02x:%02x\n", a,
                         s->v[i].plen, h[0], h[1], h[2], h[3], h[4], h[5]);
        if (w < 0 || (size_t)w >= len - k)
            return PL_ERR_HANDLER;
        k += (size_t)w;
    }
    return 0;
}

static const pl_param params[] = {
    {"ENTRY", PL_T_ARGS, offsetof(na_state, entries), "", 0, -1, PL_P_POSITIONAL,
     "'IP6 [IP6/LEN ...] ETH': advertise ETH for these addresses"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the entries, one per line", read_table, NULL},
    {0}};

static const pl_class ip6_nd_advertiser = {
    .name = "IP6NDAdvertiser",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "IP6NDAdvertiser(IP6 ETH, IP6/LEN ETH, ...)\n"
           "Responds to IPv6 Neighbor Solicitation.\n\n"
           "Input: Ethernet frames. A neighbor solicitation (ICMPv6 type 135, code 0,\n"
           "hop limit 255, a valid checksum, at least 86 bytes with its link-layer\n"
           "option) for an address of an entry (the most specific match) becomes\n"
           "the neighbor advertisement, as Click's: an 86-byte frame from that\n"
           "entry's ETH to the asker, from the target address to the asker's, flags\n"
           "router and solicited, the target link-layer address option; built in\n"
           "the solicitation's buffer. Everything else is dropped and counted. An\n"
           "entry lists IPv6 addresses or prefixes (or AddressInfo names: NAME is its\n"
           "address), then one Ethernet address.\n"
           "Keywords: ENTRY (positional, repeated).\n"
           "Handlers: table.\n"
           "Counters (drops): bad_frame, not_solicitation, bad_checksum,\n"
           "unknown_target, nobufs.\n\n"
           "Example: c[0] -> IP6NDAdvertiser(fe80::1 2001:db8::1 02:00:00:00:00:01) -> out0;",
    .state_size = sizeof(na_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = NDROPS,
    .configure = na_configure,
    .cleanup = na_cleanup,
    .simple_action = na_action,
};
PL_REGISTER_CLASS(ip6_nd_advertiser);
