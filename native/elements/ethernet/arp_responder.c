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
    int n;
    ar_entry v[];
} ar_table;

typedef struct {
    pl_args entries;
    _Atomic(ar_table *) t;        /* replaced whole by handlers; the old one freed after a grace */
} ar_state;

enum { C_BAD_FRAME, C_NOT_REQUEST, C_UNKNOWN_TARGET, C_NOBUFS };
static const char *const counters[] = {"bad_frame", "not_request", "unknown_target", "nobufs",
                                       NULL};

static ar_table *table_new(int n)
{
    ar_table *t = malloc(sizeof *t + sizeof(ar_entry) * (size_t)(n > 0 ? n : 1));
    if (t)
        t->n = 0;
    return t;
}

/* One argument as Click's: "IP/MASK ... ETH", words that parse as prefixes
 * (a bare address is a /32) and one Ethernet address; a lone word that is
 * both (an AddressInfo name) gives both. Appends to *tp (grown). */
static int add_words(ar_table **tp, const char *arg, char *msg, size_t msglen)
{
    char *text = strdup(arg), *save = NULL;
    if (!text)
        return snprintf(msg, msglen, "out of memory"), -1;
    char *words[64];
    int nw = 0, rc = 0, have_eth = 0;
    for (char *w = strtok_r(text, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
        if (nw < 64)
            words[nw++] = w;
    ar_table *t = realloc(*tp, sizeof *t + sizeof(ar_entry) * (size_t)((*tp)->n + nw + 1));
    if (!t) {
        free(text);
        return snprintf(msg, msglen, "out of memory"), -1;
    }
    *tp = t;
    int old = t->n;
    uint8_t eth[6];
    for (int k = 0; k < nw && !rc; k++) {
        uint32_t a, m;
        int len;
        if (!pl_parse_prefix(words[k], &a, &m, &len)) {
            t->v[t->n].addr = a & m;
            t->v[t->n].mask = m;
            t->n++;
        } else if (!pl_parse_ether(words[k], eth)) {
            if (have_eth)
                rc = snprintf(msg, msglen, "more than one ETH");
            have_eth = 1;
        } else {
            rc = snprintf(msg, msglen, "expected IP/MASK ETH, got '%s'", words[k]);
        }
    }
    for (int k = 0; k < nw && !rc && !have_eth; k++)
        if (!pl_parse_ether(words[k], eth))
            have_eth = 1;
    if (!rc && t->n == old)
        rc = snprintf(msg, msglen, "missing IP/MASK");
    if (!rc && !have_eth)
        rc = snprintf(msg, msglen, "missing ETH");
    if (rc)
        t->n = old;
    for (int k = old; k < t->n; k++)
        memcpy(t->v[k].eth, eth, 6);
    free(text);
    return rc ? -1 : 0;
}

typedef struct {
    ar_entry en;
    int i;
} ar_sorted;

/* Click's entry_compare: more specific prefixes first; of equal ones the later. */
static int entry_cmp(const void *x, const void *y)
{
    const ar_sorted *a = x, *b = y;
    if (a->en.addr == b->en.addr && a->en.mask == b->en.mask)
        return b->i - a->i;
    if ((a->en.addr & b->en.mask) == b->en.addr)
        return -1;
    if ((b->en.addr & a->en.mask) == a->en.addr)
        return 1;
    return a->i - b->i;
}

static void unparse_prefix(uint32_t addr, uint32_t mask, char *buf, size_t len)
{
    char a[16], m[16];
    int l = pl_mask_len(mask);
    if (l >= 0)
        snprintf(buf, len, "%s/%d", pl_ip_str(addr, a), l);
    else
        snprintf(buf, len, "%s/%s", pl_ip_str(addr, a), pl_ip_str(mask, m));
}

/* Sorted, duplicates removed: warned about when configuring (warn 1), or in
 * the engine's log when the config handler is written (warn 2: the warning
 * has no configuration to be shown with). */
static int normalize(pl_element *e, ar_table *t, int warn)
{
    ar_sorted *v = malloc(sizeof *v * (size_t)(t->n ? t->n : 1));
    if (!v)
        return -1;
    for (int i = 0; i < t->n; i++)
        v[i].en = t->v[i], v[i].i = i;
    qsort(v, (size_t)t->n, sizeof *v, entry_cmp);
    int n = 0, warned = 0;
    for (int i = 0; i < t->n; i++) {
        if (n && t->v[n - 1].addr == v[i].en.addr && t->v[n - 1].mask == v[i].en.mask) {
            char p[40];
            unparse_prefix(v[i].en.addr, v[i].en.mask, p, sizeof p);
            if (warn == 1)
                pl_message(e, PL_MSG_WARNING, "multiple entries for %s", p);
            else if (warn == 2 && !warned++)
                pl_log(e->eng, "While writing '%s.config':", PL_NAME(e));
            if (warn == 2)
                pl_log(e->eng, "  warning: multiple entries for %s", p);
            continue;
        }
        t->v[n++] = v[i].en;
    }
    t->n = n;
    free(v);
    return 0;
}

/* A table from Click's arguments (configuration, or the config handler). */
static ar_table *build(pl_element *e, int argc, char **argv, int warn, pl_error *err)
{
    ar_table *t = table_new(argc);
    if (!t)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory"), NULL;
    for (int i = 0; i < argc; i++) {
        char msg[128];
        if (add_words(&t, argv[i], msg, sizeof msg)) {
            free(t);
            pl_seterr(err, PL_ERR_CONFIG, e, "", "argument %d: %s", i, msg);
            return NULL;
        }
    }
    if (normalize(e, t, warn)) {
        free(t);
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory"), NULL;
    }
    return t;
}

static int ar_configure(pl_element *e, pl_error *err)
{
    ar_state *s = PL_STATE(e, ar_state);
    ar_table *t = build(e, s->entries.n, s->entries.v, 1, err);
    if (!t)
        return -1;
    free(atomic_exchange(&s->t, t));
    return 0;
}

static void ar_cleanup(pl_element *e) { free(atomic_exchange(&PL_STATE(e, ar_state)->t, NULL)); }

/* Handlers replace the table whole; a worker may still read the old one. */
static void publish(pl_element *e, ar_table *t)
{
    ar_table *old = atomic_exchange(&PL_STATE(e, ar_state)->t, t);
    if (old)
        pl_garbage_add(e->eng, old);
}

static const ar_entry *find(const ar_table *t, uint32_t a)
{
    for (int i = 0; t && i < t->n; i++)
        if ((a & t->v[i].mask) == t->v[i].addr)
            return &t->v[i];
    return NULL;
}

static inline int ar_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    ar_table *t = atomic_load_explicit(&PL_STATE(e, ar_state)->t, memory_order_acquire);
    pl_packet *p = *pp;
    const uint8_t *f = p->data;
    if (!pl_arp_valid(f, p->len))
        return C_BAD_FRAME + 1;
    if (pl_rd16(f + ARP_OP) != PL_ARP_REQUEST)
        return C_NOT_REQUEST + 1;
    uint32_t tpa, spa;
    memcpy(&tpa, f + ARP_TPA, 4);
    memcpy(&spa, f + ARP_SPA, 4);
    const ar_entry *en = find(t, tpa);
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
    p->timestamp = 0;
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

static int fmt_eth(char *buf, size_t len, const uint8_t *h)
{
    return snprintf(buf, len, "%02X-%02X-%02X-%02X-%02X-%02X", h[0], h[1], h[2], h[3], h[4],
                    h[5]);
}

static int read_table(pl_element *e, char *buf, size_t len)
{
    const ar_table *t = atomic_load(&PL_STATE(e, ar_state)->t);
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; t && i < t->n; i++) {
        char p[40], h[20];
        unparse_prefix(t->v[i].addr, t->v[i].mask, p, sizeof p);
        fmt_eth(h, sizeof h, t->v[i].eth);
        int w = snprintf(buf + k, len - k, "%s %s\n", p, h);
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
        return pl_seterr(err, PL_ERR_HANDLER, e, "lookup", "expected IP address");
    const ar_entry *en = find(atomic_load(&PL_STATE(e, ar_state)->t), a);
    buf[0] = 0;
    if (en && len)
        fmt_eth(buf, len, en->eth);
    return 0;
}

static ar_table *copy_table(pl_element *e)
{
    const ar_table *t = atomic_load(&PL_STATE(e, ar_state)->t);
    ar_table *c = table_new(t ? t->n : 0);
    if (c && t) {
        c->n = t->n;
        memcpy(c->v, t->v, sizeof(ar_entry) * (size_t)t->n);
    }
    return c;
}

static int write_add(pl_element *e, const char *v, pl_error *err)
{
    ar_table *t = copy_table(e);
    char msg[128];
    if (!t)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    if (add_words(&t, v, msg, sizeof msg) || normalize(e, t, 0)) {
        free(t);
        return pl_seterr(err, PL_ERR_HANDLER, e, "add", "%s", msg);
    }
    publish(e, t);
    return 0;
}

static int write_remove(pl_element *e, const char *v, pl_error *err)
{
    uint32_t a, m;
    int len;
    if (pl_parse_prefix(v, &a, &m, &len))
        return pl_seterr(err, PL_ERR_HANDLER, e, "remove", "expected IP/MASK");
    ar_table *t = copy_table(e);
    if (!t)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    a &= m;
    for (int i = 0; i < t->n; i++)
        if (t->v[i].addr == a && t->v[i].mask == m) {
            memmove(&t->v[i], &t->v[i + 1], sizeof(ar_entry) * (size_t)(t->n - i - 1));
            t->n--;
            publish(e, t);
            return 0;
        }
    free(t);
    char p[40];
    unparse_prefix(a, m, p, sizeof p);
    return pl_seterr(err, PL_ERR_HANDLER, e, "remove", "%s not found", p);
}

/* Click's live reconfiguration: the arguments replace the table. */
static int write_config(pl_element *e, const char *v, pl_error *err)
{
    pl_argv av;
    if (pl_split_args(v, &av) < 0)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    ar_table *t = build(e, av.n, av.v, 2, err);
    pl_argv_free(&av);
    if (!t)
        return -1;
    publish(e, t);
    return 0;
}

static const pl_param params[] = {
    {"ENTRY", PL_T_ARGS, offsetof(ar_state, entries), "", 0, -1, PL_P_POSITIONAL,
     "'IP [IP/MASK ...] ETH': answer for these addresses with ETH"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the entries, 'IP/LEN ETH' lines, most specific first", read_table, NULL, 0},
    {"add", "add an entry 'IP/MASK ... ETH'", NULL, write_add, 0},
    {"remove", "remove the entry of a prefix 'IP/MASK'", NULL, write_remove, 0},
    {"config", "the arguments, as a whole new table (Click's live reconfiguration)", NULL,
     write_config, 0},
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
           "addresses or prefixes (a bare address is a /32, AddressInfo names work) and\n"
           "one Ethernet address; the most specific entry that matches answers (of\n"
           "equal prefixes the last given, with a warning). The reply's annotations\n"
           "are a new packet's (timestamp 0), but for the VLAN TCI.\n"
           "Handlers: table; read 'lookup IP' gives the Ethernet address answered for\n"
           "IP; add 'IP/MASK ETH' and remove 'IP/MASK' change the table, writing\n"
           "config replaces it (all while running).\n"
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
