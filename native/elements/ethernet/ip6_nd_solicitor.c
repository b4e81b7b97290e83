/* IP6NDSolicitor: encapsulates IPv6 packets in Ethernet headers found via
 * neighbor solicitation (the IPv6 ARPQuerier, as Click's). */
#include "../../core/addrinfo.h"
#include "../../core/anno.h"
#include "../../core/args.h"
#include "../../core/engine.h"
#include "../../lib/arpt.h"
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Click's table: 256 buckets hashed on the first and last address bytes,
 * newest first in a bucket (so the table handler lists them as Click does);
 * one packet waits per address, a newer one replacing it. */
#define NMAP 256
#define SWEEP_J 15000                  /* Click's expiry timer: every 15 s */
#define POLL_J 60000                   /* a known entry is refreshed after 60 s */
#define EXPIRE_J 120000                /* and forgotten after 120 s */
#define ETH 14
#define NS_FRAME (ETH + 40 + 32)

typedef struct nd_entry {
    struct nd_entry *next;
    uint8_t ip6[16], eth[6];
    uint8_t ok, polling;
    int64_t resp_j;
    pl_packet *p;
} nd_entry;

typedef struct {
    char *ip_s;
    uint8_t ip6[16], eth[6];
    atomic_flag lock;
    nd_entry *map[NMAP];
    int64_t swept_j;
    uint32_t entries;
} ns_state;

enum { C_REPLACED, C_EXPIRED, C_CLEARED, C_RESPONSE, C_BAD_RESPONSE, C_NOBUFS, NDROPS,
       C_QUERIES = NDROPS };
static const char *const counters[] = {"replaced", "expired", "cleared", "response",
                                       "bad_response", "nobufs", "queries", NULL};

static void lock(ns_state *s)
{
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire))
        ;
}
static void unlock(ns_state *s) { atomic_flag_clear_explicit(&s->lock, memory_order_release); }

static unsigned bucket(const uint8_t *a) { return (unsigned)(a[0] + a[15]) % NMAP; }

static void free_list(pl_element *e, int counter, pl_packet *q)
{
    while (q) {
        pl_packet *nx = q->next;
        pl_packet_free_ctl(e, counter, q);
        q = nx;
    }
}

/* Every entry removed; their packets appended to *killed. */
static void clear_map(ns_state *s, pl_packet **killed)
{
    for (int i = 0; i < NMAP; i++) {
        for (nd_entry *en = s->map[i], *nx; en; en = nx) {
            nx = en->next;
            if (en->p)
                pl_batch_append(killed, en->p);
            free(en);
        }
        s->map[i] = NULL;
    }
    s->entries = 0;
}

/* Click's expire_hook, run at most once per 15 s: known entries are polled
 * after 60 s without an advertisement and forgotten after 120 s. */
static void sweep(ns_state *s, int64_t now, pl_packet **killed)
{
    if (now - s->swept_j < SWEEP_J)
        return;
    s->swept_j = now;
    for (int i = 0; i < NMAP; i++) {
        for (nd_entry **pp = &s->map[i], *en; (en = *pp);) {
            int64_t gap = now - en->resp_j;
            if (en->ok && gap > EXPIRE_J) {
                *pp = en->next;
                if (en->p)
                    pl_batch_append(killed, en->p);
                free(en);
                s->entries--;
                continue;
            }
            if (en->ok && gap > POLL_J)
                en->polling = 1;
            pp = &en->next;
        }
    }
}

static int64_t now_j(pl_element *e) { return arpt_jiffies(pl_engine_now_ns(e->eng)); }

static int ns_configure(pl_element *e, pl_error *err)
{
    ns_state *s = PL_STATE(e, ns_state);
    if (pl_parse_ipv6(s->ip_s, s->ip6) && pl_addrinfo_ip6(s->ip_s, s->ip6))
        return pl_seterr(err, PL_ERR_CONFIG, e, "IP", "IP: '%s' is not an IPv6 address",
                         s->ip_s);
    return 0;
}

static int ns_initialize(pl_element *e, pl_error *err)
{
    (void)err;
    ns_state *s = PL_STATE(e, ns_state);
    atomic_flag_clear(&s->lock);
    s->swept_j = now_j(e);
    return 0;
}

static void ns_cleanup(pl_element *e)
{
    ns_state *s = PL_STATE(e, ns_state);
    pl_packet *killed = NULL;
    clear_map(s, &killed);
    free_list(e, C_CLEARED, killed);
}

/* A live change keeps the table when IP and ETH stay (Click's take_state). */
static void ns_take_state(pl_element *e, pl_element *old)
{
    ns_state *s = PL_STATE(e, ns_state), *o = PL_STATE(old, ns_state);
    if (memcmp(s->ip6, o->ip6, 16) || memcmp(s->eth, o->eth, 6))
        return;
    lock(o);
    memcpy(s->map, o->map, sizeof s->map);
    memset(o->map, 0, sizeof o->map);
    s->entries = o->entries;
    s->swept_j = o->swept_j;
    o->entries = 0;
    unlock(o);
}

/* ---- data path ---- */

typedef struct {
    pl_element *e;
    ns_state *s;
    pl_ctx *ctx;
    int64_t now;
    pl_packet *out, *killed;
} run;

static void flush(run *r)
{
    pl_packet *k = r->killed;
    r->killed = NULL;
    while (k) {
        pl_packet *nx = k->next;
        pl_drop(r->ctx, r->e, C_EXPIRED, k);
        k = nx;
    }
    if (r->out) {
        pl_packet *o = r->out;
        r->out = NULL;
        pl_output(r->ctx, r->e, 0, o);
    }
}

/* Click's send_query_for: an 86-byte solicitation for `want` to its
 * solicited-node multicast address, after what went out before. */
static void query(run *r, const uint8_t want[16], const pl_packet *from)
{
    ns_state *s = r->s;
    pl_packet *q = pl_packet_alloc(r->ctx->pool);
    if (!q)
        return;
    uint8_t *f = q->data, *ip6 = f + ETH, *ns = ip6 + 40;
    memset(f, 0, NS_FRAME);
    static const uint8_t mcast[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
    f[0] = f[1] = 0x33;
    f[2] = 0xff;
    memcpy(f + 3, want + 13, 3);
    memcpy(f + 6, s->eth, 6);
    pl_wr16(f + 12, 0x86dd);
    ip6[0] = 0x60;
    pl_wr16(ip6 + 4, 32);
    ip6[6] = 58;
    ip6[7] = 255;
    memcpy(ip6 + 8, s->ip6, 16);
    memcpy(ip6 + 24, mcast, 13);
    memcpy(ip6 + 37, want + 13, 3);
    ns[0] = 135;
    memcpy(ns + 8, want, 16);
    ns[24] = 1;                        /* source link-layer address option */
    ns[25] = 1;
    memcpy(ns + 26, s->eth, 6);
    uint16_t c = pl_icmp6_sum(ip6, ns, 32);
    memcpy(ns + 2, &c, 2);
    q->len = NS_FRAME;
    q->mac_off = (uint16_t)(q->data - q->buf);
    q->net_off = (uint16_t)(q->mac_off + ETH);
    q->timestamp = from->timestamp;
    pl_count(r->ctx, r->e, C_QUERIES, 1);
    unlock(s);
    flush(r);
    pl_output(r->ctx, r->e, r->e->noutputs - 1, pl_batch_one(q));
    lock(s);
}

/* Click's handle_ip6: p (an IPv6 packet) is routed by its destination
 * annotation. */
static void handle_ip6(run *r, pl_packet *p)
{
    ns_state *s = r->s;
    uint8_t dst[16];
    memcpy(dst, p->anno + PL_ANNO_DST_IP6, 16);
    nd_entry **head = &s->map[bucket(dst)], *en = *head;
    while (en && memcmp(en->ip6, dst, 16))
        en = en->next;
    if (en && en->ok) {
        int poll = en->polling;
        en->polling = 0;
        uint8_t eth[6];
        memcpy(eth, en->eth, 6);
        if (poll)
            query(r, dst, p);          /* Click: the poll goes before the packet */
        if (!pl_packet_push_front(r->ctx->pool, p, ETH)) {
            pl_drop(r->ctx, r->e, C_NOBUFS, p);
            return;
        }
        memcpy(p->data, eth, 6);
        memcpy(p->data + 6, s->eth, 6);
        pl_wr16(p->data + 12, 0x86dd);
        p->mac_off = (uint16_t)(p->data - p->buf);
        pl_batch_append(&r->out, p);
        return;
    }
    if (!en) {
        en = calloc(1, sizeof *en);
        if (!en) {
            pl_drop(r->ctx, r->e, C_NOBUFS, p);
            return;
        }
        memcpy(en->ip6, dst, 16);
        en->next = *head;
        *head = en;
        s->entries++;
    } else if (en->p) {
        pl_drop(r->ctx, r->e, C_REPLACED, en->p);
        en->polling = 0;
    }
    en->p = p;
    query(r, dst, p);                 /* p waits in the table: only read here */
}

/* Click's handle_response: an advertisement's target address and the
 * Ethernet address at its option's place update a waited-for entry. */
static void response(run *r, pl_packet *p)
{
    const uint8_t *f = p->data, *na = f + ETH + 40;
    if (p->len < NS_FRAME || pl_rd16(f + 12) != 0x86dd || na[0] != 136) {
        pl_drop(r->ctx, r->e, C_BAD_RESPONSE, p);
        return;
    }
    nd_entry *en = r->s->map[bucket(na + 8)];
    while (en && memcmp(en->ip6, na + 8, 16))
        en = en->next;
    if (en) {
        memcpy(en->eth, na + 26, 6);
        en->ok = 1;
        en->polling = 0;
        en->resp_j = r->now;
        pl_packet *cached = en->p;
        en->p = NULL;
        if (cached)
            handle_ip6(r, cached);
    }
    pl_drop(r->ctx, r->e, C_RESPONSE, p);
}

static void ns_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    ns_state *s = PL_STATE(e, ns_state);
    run r = {e, s, ctx, now_j(e), NULL, NULL};
    lock(s);
    sweep(s, r.now, &r.killed);
    for (pl_packet *p = b, *nx; p; p = nx) {
        nx = p->next;
        p->next = NULL;
        if (port == 0)
            handle_ip6(&r, p);
        else
            response(&r, p);
    }
    unlock(s);
    flush(&r);
}

/* ---- handlers ---- */

static int read_table(pl_element *e, char *buf, size_t len)
{
    ns_state *s = PL_STATE(e, ns_state);
    pl_packet *killed = NULL;
    size_t k = 0;
    int rc = 0;
    buf[0] = 0;
    lock(s);
    sweep(s, now_j(e), &killed);
    for (int i = 0; i < NMAP && !rc; i++)
        for (nd_entry *en = s->map[i]; en && !rc; en = en->next) {
            char a[INET6_ADDRSTRLEN];
            const uint8_t *h = en->eth;
            inet_ntop(AF_INET6, en->ip6, a, sizeof a);
            int w = snprintf(buf + k, len - k, "%s %d %02X-%02X-%02X-%02X-%02X-%02X\n", a,
                             en->ok, h[0], h[1], h[2], h[3], h[4], h[5]);
            if (w < 0 || (size_t)w >= len - k)
                rc = PL_ERR_HANDLER;
            else
                k += (size_t)w;
        }
    unlock(s);
    free_list(e, C_EXPIRED, killed);
    return rc;
}

static int read_stats(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu packets killed\n%llu ND Solicitation Message sent\n",
                  (unsigned long long)(pl_counter_total(e, C_REPLACED) +
                                       pl_counter_total(e, C_NOBUFS)),
                  (unsigned long long)pl_counter_total(e, C_QUERIES));
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    ns_state *s = PL_STATE(e, ns_state);
    lock(s);
    uint32_t n = s->entries;
    unlock(s);
    return pl_fmt(buf, len, "%u", n);
}

static const pl_param params[] = {
    {"IP", PL_T_STRING, offsetof(ns_state, ip_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_ANYWHERE,
     "this host's IPv6 address (solicitations come from it)"},
    {"ETH", PL_T_ETHER, offsetof(ns_state, eth), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_ANYWHERE, "this host's Ethernet address"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the neighbor table: 'IP6 VALID ETH' lines, in Click's order", read_table, NULL,
     PL_H_EXPENSIVE},
    {"stats", "'N packets killed' and 'N ND Solicitation Message sent' lines", read_stats,
     NULL, 0},
    {"count", "entries in the table", read_count, NULL, 0},
    {0}};

static const pl_class ip6_nd_solicitor = {
    .name = "IP6NDSolicitor",
    .ports = "2/1-2",
    .processing = "h/h",
    .doc = "IP6NDSolicitor(IP, ETH)\n"
           "Encapsulates IPv6 packets in Ethernet headers found via Neighbor\n"
           "Solicitation (the IPv6 ARPQuerier).\n\n"
           "IPv6 packets on input 0 are routed by their destination IPv6 annotation\n"
           "(GetIP6Address or LookupIP6Route sets it). When its Ethernet address is\n"
           "known, the packet gets an Ethernet header (from ETH, type 86dd) and\n"
           "leaves on output 0. Otherwise it waits in the table (one packet per\n"
           "address: a newer one replaces it, counted `replaced`) and a neighbor\n"
           "solicitation goes to the last output: 86 bytes from ETH and IP to the\n"
           "target's solicited-node multicast address (ff02::1:ffXX:XXXX,\n"
           "33:33:ff:XX:XX:XX), hop limit 255, with the source link-layer address\n"
           "option. Each packet for an unresolved address sends one. Neighbor\n"
           "advertisements (Ethernet frames) on input 1 record the target's address\n"
           "(from the option's place) for addresses the table waits for, and\n"
           "release the waiting packet; other frames are counted bad_response.\n"
           "As Click's expiry timer (every 15 s; here run by the next packet or\n"
           "table read), an entry is polled by a solicitation when used 60 s after\n"
           "its last advertisement and forgotten after 120 s. A live change keeps\n"
           "the table when IP and ETH stay.\n"
           "Handlers: table, stats (Click's), count.\n"
           "Counters (drops): replaced, expired, cleared (end), response\n"
           "(advertisements consumed), bad_response (short or not an\n"
           "advertisement), nobufs; queries.\n\n"
           "Example: c[1] -> [1] nds :: IP6NDSolicitor(fe80::1, 02:00:00:00:00:01);\n"
           "         rt[1] -> ... -> [0] nds -> out0;",
    .state_size = sizeof(ns_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = NDROPS,
    .configure = ns_configure,
    .initialize = ns_initialize,
    .cleanup = ns_cleanup,
    .push = ns_push,
    .take_state = ns_take_state,
};
PL_REGISTER_CLASS(ip6_nd_solicitor);
