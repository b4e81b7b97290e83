/* ARPResponder: answers ARP queries for configured addresses. */
#include "../../core/args.h"
#include "../../lib/arp.h"
#include "../../lib/iputil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    uint32_t addr, mask;          /* network order */
    uint8_t eth[6];
} ar_entry;

typedef struct {
    pl_args entries;
    ar_entry *v;
    int n;
} ar_state;

enum { C_BAD_FRAME, C_NOT_REQUEST, C_UNKNOWN_TARGET, C_NOBUFS };
static const char *const counters[] = {"bad_frame", "not_request", "unknown_target", "nobufs",
                                       NULL};

/* "IP [IP/MASK ...] ETH": every address before the one Ethernet address. */
static int ar_configure(pl_element *e, pl_error *err)
{
    ar_state *s = PL_STATE(e, ar_state);
    free(s->v);
    s->v = NULL;
    s->n = 0;
    for (int i = 0; i < s->entries.n; i++) {
        char *text = strdup(s->entries.v[i]), *save = NULL;
        if (!text)
            return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
        char *words[64];
        int nw = 0;
        for (char *w = strtok_r(text, " \t\n", &save); w && nw < 64; w = strtok_r(NULL, " \t\n", &save))
            words[nw++] = w;
        uint8_t eth[6];
        int rc = 0;
        if (nw < 2 || pl_parse_ether(words[nw - 1], eth))
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "ENTRY", "entry %d '%s': expected 'IP [IP...] ETH'",
                           i, s->entries.v[i]);
        for (int k = 0; !rc && k < nw - 1; k++) {
            uint32_t a, m;
            int len;
            ar_entry *v = realloc(s->v, sizeof *v * (size_t)(s->n + 1));
            if (v)
                s->v = v;          /* the old block is gone: keep the new one, even on error */
            if (!v)
                rc = pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
            else if (pl_parse_prefix(words[k], &a, &m, &len))
                rc = pl_seterr(err, PL_ERR_CONFIG, e, "ENTRY",
                               "entry %d: '%s' is not an IP address or prefix", i, words[k]);
            else {
                s->v[s->n].addr = a;
                s->v[s->n].mask = m;
                memcpy(s->v[s->n].eth, eth, 6);
                s->n++;
            }
        }
        free(text);
        if (rc)
            return rc;
    }
    return 0;
}

static void ar_cleanup(pl_element *e) { free(PL_STATE(e, ar_state)->v); }

static const ar_entry *find(const ar_state *s, uint32_t a)
{
    for (int i = 0; i < s->n; i++)
        if ((a & s->v[i].mask) == s->v[i].addr)
            return &s->v[i];
    return NULL;
}

static inline int ar_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    ar_state *s = PL_STATE(e, ar_state);
    pl_packet *p = *pp;
    const uint8_t *f = p->data;
    if (!pl_arp_valid(f, p->len))
        return C_BAD_FRAME + 1;
    if (pl_rd16(f + ARP_OP) != PL_ARP_REQUEST)
        return C_NOT_REQUEST + 1;
    uint32_t tpa, spa;
    memcpy(&tpa, f + ARP_TPA, 4);
    memcpy(&spa, f + ARP_SPA, 4);
    const ar_entry *en = find(s, tpa);
    if (!en)
        return C_UNKNOWN_TARGET + 1;
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return -1;
    }
    /* Click makes the reply as a new 42-byte packet (no padding), keeping
     * only the VLAN annotation; here it is built in the request's buffer. */
    uint8_t sha[6];
    memcpy(sha, p->data + ARP_SHA, 6);
    uint16_t vlan = pl_anno_u16(p, PL_ANNO_VLAN_TCI);
    pl_arp_write(p->data, PL_ARP_REPLY, sha, en->eth, tpa, sha, spa);
    p->len = PL_ARP_FRAME;
    p->net_off = (uint16_t)(p->data - p->buf + 14);   /* Click's set_ether_header */
    p->paint = 0;
    p->dst_ip = 0;
    memset(p->anno, 0, sizeof p->anno);
    pl_anno_set_u16(p, PL_ANNO_VLAN_TCI, vlan);
    p->mac_off = (uint16_t)(p->data - p->buf);
    return 0;
}

static void ar_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, ar_check);
}

static int read_table(pl_element *e, char *buf, size_t len)
{
    ar_state *s = PL_STATE(e, ar_state);
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < s->n; i++) {
        char a[16], m[16];
        const uint8_t *h = s->v[i].eth;
        int w = snprintf(buf + k, len - k, "%s/%s %02x:%02x:%02x:%02x:%02x:%02x\n",
                         pl_ip_str(s->v[i].addr, a), pl_ip_str(s->v[i].mask, m), h[0], h[1],
                         h[2], h[3], h[4], h[5]);
        if (w < 0 || (size_t)w >= len - k)
            return PL_ERR_HANDLER;
        k += (size_t)w;
    }
    return 0;
}

static int read_lookup(pl_element *e, const char *param, char *buf, size_t len, pl_error *err)
{
    uint32_t a;
    if (pl_parse_ipv4(param, &a))
        return pl_seterr(err, PL_ERR_HANDLER, e, "lookup", "'%s' is not an IP address", param);
    const ar_entry *en = find(PL_STATE(e, ar_state), a);
    if (!en)
        return pl_fmt(buf, len, "%s", "");
    const uint8_t *h = en->eth;
    return pl_fmt(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", h[0], h[1], h[2], h[3], h[4], h[5]);
}

static const pl_param params[] = {
    {"ENTRY", PL_T_ARGS, offsetof(ar_state, entries), "", 0, -1, PL_P_POSITIONAL,
     "'IP [IP/MASK ...] ETH': answer for these addresses with ETH"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the entries, one per line", read_table, NULL},
    {0}};

static const pl_param_handler param_handlers[] = {
    {"lookup", "read with an address: the Ethernet address answered for it", read_lookup},
    {0}};

static const pl_class arp_responder = {
    .name = "ARPResponder",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "ARPResponder(IP ETH, IP/MASK ETH, ...)\n"
           "Generates responses to ARP queries.\n\n"
           "Input: Ethernet frames. An ARP request (RFC 826, Ethernet/IPv4) for an\n"
           "address of an entry becomes the ARP reply (42 bytes, unpadded, as Click's;\n"
           "built in the request's buffer), sent to the asker from that entry's ETH,\n"
           "on output 0. Other frames (bad ARP frames,\n"
           "replies, requests for unknown addresses) go to output 1 if it is\n"
           "connected and are dropped under their reason otherwise. An entry lists\n"
           "addresses or prefixes, then one Ethernet address. Handlers: table;\n"
           "read 'lookup IP' gives the Ethernet address answered for IP.\n"
           "Counters (drops): bad_frame, not_request, unknown_target, nobufs.\n\n"
           "Example: c[0] -> ARPResponder(10.0.0.1 00:00:c0:ae:67:ef) -> out0;",
    .state_size = sizeof(ar_state),
    .params = params,
    .handlers = handlers,
    .param_handlers = param_handlers,
    .counters = counters,
    .ndrops = 4,
    .configure = ar_configure,
    .cleanup = ar_cleanup,
    .push = ar_push,
};
PL_REGISTER_CLASS(arp_responder);
