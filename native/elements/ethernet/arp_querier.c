/* ARPQuerier: encapsulates IP packets in Ethernet headers found via ARP. */
#include "../../core/args.h"
#include "../../lib/arp.h"
#include "../../lib/arpt.h"
#include "../../lib/iputil.h"

#include <stdio.h>
#include <time.h>

#define QUERY_GAP_NS 100000000ull     /* at most 10 queries a second per address */
#define POLL_GAP_NS 1000000000ull
#define WAIT_MAX_NS 3000000000ull     /* waiting packets of an unresolved address */

typedef struct {
    uint32_t ip;
    uint8_t eth[6];
    uint64_t capacity, entry_capacity, entry_packet_capacity;
    double timeout, poll_timeout;
    uint32_t bcast;
    uint8_t broadcast_poll;
    char *static_s;
    arpt t;
    atomic_flag lock;
    pl_packet *orphans;           /* removed by a handler; freed by the data path */
    _Atomic int flush;            /* a handler resolved an address with waiting packets */
} aq_state;

enum { C_ZERO_DST, C_QUEUE_FULL, C_EXPIRED, C_CLEARED, C_RESPONSE, C_BAD_RESPONSE, C_NOBUFS,
       NDROPS, C_QUERIES = NDROPS, C_BROADCASTS };
static const char *const counters[] = {"zero_dst", "queue_full", "expired", "cleared",
                                       "response", "bad_response", "nobufs", "queries",
                                       "broadcasts", NULL};

static void lock(aq_state *s)
{
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire))
        ;
}
static void unlock(aq_state *s) { atomic_flag_clear_explicit(&s->lock, memory_order_release); }

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int insert_static(aq_state *s, uint32_t ip, const uint8_t eth[6])
{
    int rc = arpt_set_static(&s->t, ip, eth);
    if (rc > 0)
        atomic_store(&s->flush, 1);
    return rc < 0 ? -1 : 0;
}

static int aq_configure(pl_element *e, pl_error *err)
{
    aq_state *s = PL_STATE(e, aq_state);
    char bad[512];
    arpt_init(&s->t);
    atomic_flag_clear(&s->lock);
    int rc = arpt_load_static(&s->t, s->static_s, bad, sizeof bad);
    if (rc == -1)
        return pl_seterr(err, PL_ERR_CONFIG, e, "STATIC",
                         "STATIC: expected 'IP ETH' pairs, got '%s'", bad);
    return rc ? pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory") : 0;
}

static void aq_cleanup(pl_element *e)
{
    /* Packets still waiting go back to the pools, counted (live change
     * removing the element, or the engine's end). */
    aq_state *s = PL_STATE(e, aq_state);
    arpt_clear(&s->t, &s->orphans);
    while (s->orphans) {
        pl_packet *p = s->orphans;
        s->orphans = p->next;
        pl_packet_free_ctl(e, C_CLEARED, p);
    }
    arpt_destroy(&s->t);
}

/* Prepend the Ethernet header to dst and add p to *out (or drop it). */
static void encap(pl_element *e, pl_ctx *ctx, pl_packet *p, const uint8_t dst[6], pl_packet **out)
{
    aq_state *s = PL_STATE(e, aq_state);
    if (!pl_packet_push_front(ctx->pool, p, PL_ETHER_HLEN)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return;
    }
    memcpy(p->data, dst, 6);
    memcpy(p->data + 6, s->eth, 6);
    pl_wr16(p->data + 12, PL_ETHERTYPE_IP);
    p->mac_off = (uint16_t)(p->data - p->buf);
    pl_batch_append(out, p);
}

static void send_all(pl_element *e, pl_ctx *ctx, pl_packet *q, const uint8_t dst[6],
                     pl_packet **out)
{
    while (q) {
        pl_packet *nx = q->next;
        encap(e, ctx, q, dst, out);
        q = nx;
    }
}

static void query(pl_element *e, pl_ctx *ctx, uint32_t target, const uint8_t *unicast,
                  uint64_t ts, pl_packet **queries)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6] = {0};
    aq_state *s = PL_STATE(e, aq_state);
    pl_packet *q = pl_packet_alloc(ctx->pool);
    if (!q)
        return;
    q->len = PL_ARP_FRAME;
    pl_arp_write(q->data, PL_ARP_REQUEST, unicast ? unicast : bcast, s->eth, s->ip, zero, target);
    q->mac_off = (uint16_t)(q->data - q->buf);
    q->net_off = (uint16_t)(q->mac_off + 14);     /* as Click's set_ether_header */
    q->timestamp = ts;                            /* the packet's that asked */
    pl_count(ctx, e, C_QUERIES, 1);
    pl_batch_append(queries, q);
}

static void free_orphans(pl_element *e, aq_state *s, pl_ctx *ctx)
{
    while (s->orphans) {
        pl_packet *p = s->orphans;
        s->orphans = p->next;
        pl_drop(ctx, e, C_CLEARED, p);
    }
}

static void flush_resolved(pl_element *e, aq_state *s, pl_ctx *ctx, pl_packet **out)
{
    atomic_store(&s->flush, 0);
    for (int32_t i = 0; i < s->t.n; i++) {
        arpt_entry *en = &s->t.v[i];
        if (en->known && en->q_head)
            send_all(e, ctx, arpt_take_queue(&s->t, en), en->eth, out);
    }
}

static void ip_packet(pl_element *e, aq_state *s, pl_ctx *ctx, pl_packet *p, uint64_t now,
                      pl_packet **out, pl_packet **queries)
{
    uint32_t dst = p->dst_ip;
    uint64_t ts = p->timestamp;
    uint8_t m[6];
    if (__builtin_expect(!dst, 0)) {
        pl_drop(ctx, e, C_ZERO_DST, p);
        return;
    }
    if (pl_arp_group_ether(dst, s->bcast, m)) {
        pl_count(ctx, e, C_BROADCASTS, 1);
        encap(e, ctx, p, m, out);
        return;
    }
    uint64_t timeout = (uint64_t)(s->timeout * 1e9), poll = (uint64_t)(s->poll_timeout * 1e9);
    arpt_entry *en = arpt_find(&s->t, dst);
    if (en && en->known && (en->is_static || !timeout || now - en->updated_ns < timeout)) {
        encap(e, ctx, p, en->eth, out);
        if (!en->is_static && poll && now - en->updated_ns >= poll &&
            now - en->polled_ns >= POLL_GAP_NS) {
            en->polled_ns = now;
            query(e, ctx, dst, s->broadcast_poll ? NULL : en->eth, ts, queries);
        }
        return;
    }
    en = arpt_get(&s->t, dst, (uint32_t)s->entry_capacity);
    if (!en) {
        pl_drop(ctx, e, C_QUEUE_FULL, p);
        return;
    }
    en->known = 0;
    pl_packet *q;
    int full = arpt_wait(&s->t, en, p, now, WAIT_MAX_NS, s->capacity, s->entry_packet_capacity,
                         &q);
    while (q) {
        pl_packet *nx = q->next;
        pl_drop(ctx, e, C_EXPIRED, q);
        q = nx;
    }
    if (full)
        pl_drop(ctx, e, C_QUEUE_FULL, p);
    if (!en->queried_ns || now - en->queried_ns >= QUERY_GAP_NS) {
        en->queried_ns = now;
        query(e, ctx, dst, NULL, ts, queries);
    }
}

static void response(pl_element *e, aq_state *s, pl_ctx *ctx, pl_packet *p, uint64_t now,
                     pl_packet **out)
{
    const uint8_t *f = p->data;
    if (!pl_arp_valid(f, p->len) || pl_rd16(f + ARP_OP) != PL_ARP_REPLY) {
        pl_drop(ctx, e, C_BAD_RESPONSE, p);
        return;
    }
    uint32_t spa;
    memcpy(&spa, f + ARP_SPA, 4);
    arpt_entry *en = spa && !(f[ARP_SHA] & 1)
                         ? arpt_learn(&s->t, spa, f + ARP_SHA, now, (uint32_t)s->entry_capacity)
                         : NULL;
    if (en && en->q_head)
        send_all(e, ctx, arpt_take_queue(&s->t, en), en->eth, out);
    pl_drop(ctx, e, C_RESPONSE, p);
}

static void aq_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    aq_state *s = PL_STATE(e, aq_state);
    pl_packet *out = NULL, *queries = NULL;
    uint64_t now = now_ns();
    lock(s);
    if (__builtin_expect(s->orphans != NULL, 0))
        free_orphans(e, s, ctx);
    if (__builtin_expect(atomic_load_explicit(&s->flush, memory_order_relaxed), 0))
        flush_resolved(e, s, ctx, &out);
    for (pl_packet *p = b, *nx; p; p = nx) {
        nx = p->next;
        if (port == 0)
            ip_packet(e, s, ctx, p, now, &out, &queries);
        else
            response(e, s, ctx, p, now, &out);
    }
    unlock(s);
    if (out)
        pl_output(ctx, e, 0, out);
    if (queries)
        pl_output(ctx, e, e->noutputs > 1 ? 1 : 0, queries);
}

/* ---- handlers ---- */

static int read_table(pl_element *e, char *buf, size_t len)
{
    aq_state *s = PL_STATE(e, aq_state);
    lock(s);
    int rc = arpt_format(&s->t, now_ns(), buf, len);
    unlock(s);
    return rc ? PL_ERR_HANDLER : 0;
}

static int write_insert(pl_element *e, const char *v, pl_error *err)
{
    aq_state *s = PL_STATE(e, aq_state);
    char ip_s[64], eth_s[64];
    uint32_t ip;
    uint8_t eth[6];
    if (sscanf(v, "%63s %63s", ip_s, eth_s) != 2 || pl_parse_ipv4(ip_s, &ip) ||
        pl_parse_ether(eth_s, eth))
        return pl_seterr(err, PL_ERR_HANDLER, e, "insert", "insert: expected 'IP ETH', got '%s'", v);
    lock(s);
    int rc = insert_static(s, ip, eth);
    unlock(s);
    return rc ? pl_seterr(err, PL_ERR_NOMEM, e, "insert", "out of memory") : 0;
}

static int write_delete(pl_element *e, const char *v, pl_error *err)
{
    aq_state *s = PL_STATE(e, aq_state);
    uint32_t ip;
    char ip_s[64];
    if (sscanf(v, "%63s", ip_s) != 1 || pl_parse_ipv4(ip_s, &ip))
        return pl_seterr(err, PL_ERR_HANDLER, e, "delete", "delete: expected an IP address");
    lock(s);
    arpt_remove(&s->t, ip, &s->orphans);
    unlock(s);
    return 0;
}

static int write_clear(pl_element *e, const char *v, pl_error *err)
{
    (void)v;
    (void)err;
    aq_state *s = PL_STATE(e, aq_state);
    lock(s);
    arpt_clear(&s->t, &s->orphans);
    unlock(s);
    return 0;
}

static int read_counter(pl_element *e, int c, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, c));
}
static int read_queries(pl_element *e, char *buf, size_t len) { return read_counter(e, C_QUERIES, buf, len); }
static int read_responses(pl_element *e, char *buf, size_t len) { return read_counter(e, C_RESPONSE, buf, len); }

static int read_drops(pl_element *e, char *buf, size_t len)
{
    uint64_t n = 0;
    for (int c = 0; c < NDROPS; c++)
        if (c != C_RESPONSE)
            n += pl_counter_total(e, c);
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    aq_state *s = PL_STATE(e, aq_state);
    lock(s);
    int n = s->t.live;
    unlock(s);
    return pl_fmt(buf, len, "%d", n);
}

static int read_length(pl_element *e, char *buf, size_t len)
{
    aq_state *s = PL_STATE(e, aq_state);
    lock(s);
    uint64_t n = s->t.saved;
    unlock(s);
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static int read_ipaddr(pl_element *e, char *buf, size_t len)
{
    char a[16];
    return pl_fmt(buf, len, "%s", pl_ip_str(PL_STATE(e, aq_state)->ip, a));
}

static int read_broadcast(pl_element *e, char *buf, size_t len)
{
    char a[16];
    return pl_fmt(buf, len, "%s", pl_ip_str(PL_STATE(e, aq_state)->bcast, a));
}

static const pl_param params[] = {
    {"IP", PL_T_IPV4, offsetof(aq_state, ip), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "this host's IP address (queries come from it)"},
    {"ETH", PL_T_ETHER, offsetof(aq_state, eth), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "this host's Ethernet address"},
    {"CAPACITY", PL_T_UINT, offsetof(aq_state, capacity), "2048", 0, 1e9, 0,
     "packets waiting for resolution, all addresses together (0: unlimited)"},
    {"ENTRY_CAPACITY", PL_T_UINT, offsetof(aq_state, entry_capacity), "0", 0, 1e9, 0,
     "entries in the table (0: unlimited)"},
    {"ENTRY_PACKET_CAPACITY", PL_T_UINT, offsetof(aq_state, entry_packet_capacity), "0", 0, 1e9,
     0, "packets waiting for one address (0: unlimited)"},
    {"TIMEOUT", PL_T_TIME, offsetof(aq_state, timeout), "300s", 0, 1e9, 0,
     "lifetime of learned entries (0: forever)"},
    {"POLL_TIMEOUT", PL_T_TIME, offsetof(aq_state, poll_timeout), "60s", 0, 1e9, 0,
     "age after which a used entry is refreshed by a query (0: never)"},
    {"BROADCAST", PL_T_IPV4, offsetof(aq_state, bcast), "255.255.255.255", 0, -1, 0,
     "local broadcast address, sent to ff:ff:ff:ff:ff:ff"},
    {"BROADCAST_POLL", PL_T_BOOL, offsetof(aq_state, broadcast_poll), "false", 0, -1, 0,
     "send refresh queries broadcast instead of unicast"},
    {"STATIC", PL_T_STRING, offsetof(aq_state, static_s), NULL, 0, -1, 0,
     "permanent entries 'IP ETH IP ETH ...' (pktlab; Click's way is the insert handler)"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the ARP table: 'IP ETH static|fresh|dynamic' or 'IP - waiting N'", read_table,
     NULL},
    {"insert", "add a permanent entry 'IP ETH'", NULL, write_insert},
    {"delete", "remove the entry of an IP address", NULL, write_delete},
    {"clear", "remove every entry", NULL, write_clear},
    {"queries", "ARP queries sent", read_queries, NULL},
    {"responses", "ARP responses received", read_responses, NULL},
    {"drops", "packets dropped", read_drops, NULL},
    {"count", "entries in the table", read_count, NULL},
    {"length", "packets waiting for resolution", read_length, NULL},
    {"ipaddr", "this host's IP address", read_ipaddr, NULL},
    {"broadcast", "the broadcast IP address", read_broadcast, NULL},
    {0}};

static const pl_class arp_querier = {
    .name = "ARPQuerier",
    .ports = "1-2/1-2",
    .processing = "h/h",
    .doc = "ARPQuerier(IP, ETH, KEYWORDS)\n"
           "Encapsulates IP packets in Ethernet headers found via ARP.\n\n"
           "IP packets on input 0 are routed by their destination IP annotation. When\n"
           "its Ethernet address is known, the packet gets an Ethernet header (from ETH)\n"
           "and leaves on output 0. Otherwise it waits in the table and an ARP query is\n"
           "sent (at most 10 a second per address); ARP replies arriving on input 1\n"
           "record the address and release the waiting packets. Queries go to output\n"
           "1 when it exists, else to output 0. 0.0.0.0 is dropped; 255.255.255.255\n"
           "and BROADCAST go to ff:ff:ff:ff:ff:ff, multicast to 01:00:5e:... (RFC 1112).\n"
           "Learned entries expire after TIMEOUT and are refreshed after POLL_TIMEOUT;\n"
           "waiting packets of an address that never answers are dropped after 3 s.\n"
           "Static use: STATIC entries (or the insert handler) never expire, so with\n"
           "them and no ARP traffic ARPQuerier is a static encapsulation; input 1 may\n"
           "then stay unconnected.\n"
           "Counters (drops): zero_dst, queue_full, expired, cleared, response (replies\n"
           "consumed), bad_response, nobufs; queries, broadcasts.\n\n"
           "Example: c[1] -> [1] arpq :: ARPQuerier(10.0.0.1, 00:00:c0:ae:67:ef);\n"
           "         rt[1] -> ... -> [0] arpq -> out0;",
    .state_size = sizeof(aq_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = NDROPS,
    .configure = aq_configure,
    .cleanup = aq_cleanup,
    .push = aq_push,
};
PL_REGISTER_CLASS(arp_querier);
