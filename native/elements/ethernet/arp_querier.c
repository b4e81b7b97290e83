/* ARPQuerier: encapsulates IP packets in Ethernet headers found via ARP. */
#include "arp_querier.h"

#include <stdio.h>

static const char *const counters[] = {"zero_dst", "queue_full", "expired", "cleared",
                                       "response", "bad_response", "nobufs", "queries",
                                       "broadcasts", NULL};

static int aq_configure(pl_element *e, pl_error *err)
{
    aq_state *s = PL_STATE(e, aq_state);
    uint32_t addr, mask;
    int len;
    /* Click: one argument is read twice, as IP and as ETH (an AddressInfo
     * name or a device that has both). */
    if (!pl_param_given(e, "ETH") && pl_parse_ether(s->ip_s, s->eth))
        return pl_seterr(err, PL_ERR_CONFIG, e, "ETH", "missing required argument ETH ('%s' "
                         "names no Ethernet address)", s->ip_s);
    if (pl_parse_prefix(s->ip_s, &addr, &mask, &len))
        return pl_seterr(err, PL_ERR_CONFIG, e, "IP", "IP: expected IP address or prefix, got '%s'",
                         s->ip_s);
    if (!s->slim_factor)
        return pl_seterr(err, PL_ERR_CONFIG, e, "CAPACITY_SLIM_FACTOR",
                         "CAPACITY_SLIM_FACTOR cannot be zero");
    char host[64];
    const char *slash = strchr(s->ip_s, '/');
    if (slash && (size_t)(slash - s->ip_s) < sizeof host) {
        memcpy(host, s->ip_s, (size_t)(slash - s->ip_s));      /* the address, unmasked */
        host[slash - s->ip_s] = 0;
        if (pl_parse_ipv4(host, &addr))
            return pl_seterr(err, PL_ERR_CONFIG, e, "IP", "IP: expected IP address, got '%s'",
                             host);
    }
    s->ip_cfg = addr;
    if (!pl_param_given(e, "BROADCAST")) {
        s->bcast_cfg = addr | ~mask;
        if (s->bcast_cfg == addr)
            s->bcast_cfg = 0xffffffffu;
    }
    atomic_store(&s->ip, s->ip_cfg);
    atomic_store(&s->bcast, s->bcast_cfg);
    s->poll_j = arpt_timeout_j(s->poll_timeout);
    arpt_init(&s->own);
    s->own.packet_capacity = (uint32_t)s->capacity;
    s->own.entry_capacity = (uint32_t)s->entry_capacity;
    s->own.entry_packet_capacity = (uint32_t)s->entry_packet_capacity;
    s->own.slim_factor = (uint32_t)s->slim_factor;
    s->own.timeout_j = arpt_timeout_j(s->timeout);
    atomic_store(&s->t, s->table_s ? NULL : &s->own);
    char bad[512];
    int rc = arpt_load_static(&s->own, s->static_s, bad, sizeof bad);
    if (rc == -1)
        return pl_seterr(err, PL_ERR_CONFIG, e, "STATIC",
                         "STATIC: expected 'IP ETH' pairs, got '%s'", bad);
    if (rc && !s->table_s)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    if (s->static_s && s->table_s)
        return pl_seterr(err, PL_ERR_CONFIG, e, "STATIC", "STATIC: not with TABLE");
    return 0;
}

/* TABLE: the ARPTable element of that name in the graph (as it is now). */
static int resolve_table(pl_element *e, pl_error *err)
{
    aq_state *s = PL_STATE(e, aq_state);
    if (!s->table_s)
        return 0;
    arpt *t = arpt_find_element(e->eng, s->table_s);
    if (!t)
        return err ? pl_seterr(err, PL_ERR_CONFIG, e, "TABLE",
                               "TABLE: '%s' is not an ARPTable element", s->table_s)
                   : -1;
    atomic_store(&s->t, t);
    return 0;
}

static int aq_initialize(pl_element *e, pl_error *err)
{
    if (e->eng->state != PL_S_BUILD)
        return 0;                      /* a live change: take_state / graph_changed look */
    return resolve_table(e, err);
}

static void aq_graph_changed(pl_element *e) { resolve_table(e, NULL); }

static void free_list(pl_element *e, int counter, pl_packet *q)
{
    while (q) {
        pl_packet *nx = q->next;
        pl_packet_free_ctl(e, counter, q);
        q = nx;
    }
}

static void aq_cleanup(pl_element *e)
{
    /* Packets still waiting go back to the pools, counted (live change
     * removing the element, or the engine's end). */
    aq_state *s = PL_STATE(e, aq_state);
    pl_packet *killed = NULL;
    arpt_clear(&s->own, &killed);
    free_list(e, C_CLEARED, killed);
    free_list(e, C_CLEARED, s->own.orphans);
    free_list(e, C_CLEARED, s->own.ready);
    s->own.orphans = s->own.ready = s->own.ready_tail = NULL;
}

static void aq_take_state(pl_element *e, pl_element *old)
{
    aq_state *s = PL_STATE(e, aq_state), *o = PL_STATE(old, aq_state);
    resolve_table(e, NULL);
    if (s->table_s || o->table_s || s->ip_cfg != atomic_load(&o->ip) ||
        memcmp(s->eth, o->eth, 6) || s->bcast_cfg != atomic_load(&o->bcast))
        return;
    arpt_lock(&s->own);
    arpt_lock(&o->own);
    pl_packet *killed = NULL;
    arpt_clear(&s->own, &killed);      /* STATIC entries are the old table's too */
    free_list(e, C_CLEARED, killed);
    arpt_take(&s->own, &o->own);
    arpt_unlock(&o->own);
    arpt_unlock(&s->own);
}

/* ---- data path ---- */

typedef struct {
    pl_element *e;
    aq_state *s;
    arpt *t;
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

/* Send a query for p's destination (unicast to p's Ethernet destination when
 * a known entry is polled), in Click's order: after what went out before. */
static void query(run *r, const pl_packet *p, int unicast)
{
    aq_state *s = r->s;
    pl_packet *q = pl_packet_alloc(r->ctx->pool);
    if (!q)
        return;
    static const uint8_t zero[6] = {0}, bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    const uint8_t *dst = unicast && !s->broadcast_poll ? p->data : bcast;
    q->len = PL_ARP_FRAME;
    pl_arp_write(q->data, PL_ARP_REQUEST, dst, s->eth, atomic_load_explicit(&s->ip,
                 memory_order_relaxed), zero, p->dst_ip);
    q->mac_off = (uint16_t)(q->data - q->buf);
    q->net_off = (uint16_t)(q->mac_off + 14);     /* as Click's set_ether_header */
    q->timestamp = p->timestamp;
    pl_anno_set_u16(q, PL_ANNO_VLAN_TCI, pl_anno_u16(p, PL_ANNO_VLAN_TCI));
    pl_count(r->ctx, r->e, C_QUERIES, 1);
    arpt_unlock(r->t);
    flush(r);
    pl_output(r->ctx, r->e, r->e->noutputs - 1, pl_batch_one(q));
    arpt_lock(r->t);
}

static void send(run *r, pl_packet *p)
{
    memcpy(p->data + 6, r->s->eth, 6);
    pl_batch_append(&r->out, p);
}

/* Click's handle_ip: p has its Ethernet header already when `cached`. */
static void handle_ip(run *r, pl_packet *p, int cached)
{
    aq_state *s = r->s;
    if (!atomic_load_explicit(&s->ip, memory_order_relaxed)) {
        pl_drop(r->ctx, r->e, C_ZERO_DST, p);
        return;
    }
    if (!cached) {
        if (!pl_packet_push_front(r->ctx->pool, p, PL_ETHER_HLEN)) {
            pl_drop(r->ctx, r->e, C_NOBUFS, p);
            return;
        }
        pl_wr16(p->data + 12, PL_ETHERTYPE_IP);
        p->mac_off = (uint16_t)(p->data - p->buf);
    }
    uint32_t dst = p->dst_ip;
    for (;;) {
        int rc = arpt_lookup(r->t, dst, r->now, s->poll_j, p->data);
        if (rc >= 0) {
            if (rc > 0)
                query(r, p, 1);
            send(r, p);
            return;
        }
        if (pl_arp_group_ether(dst, atomic_load_explicit(&s->bcast, memory_order_relaxed),
                               p->data)) {
            pl_count(r->ctx, r->e, C_BROADCASTS, 1);
            send(r, p);
            return;
        }
        if (!dst) {
            pl_drop(r->ctx, r->e, C_ZERO_DST, p);
            return;
        }
        rc = arpt_append(r->t, dst, p, r->now, &r->killed);
        if (rc == -2)
            continue;                  /* known after all */
        if (rc < 0)
            pl_drop(r->ctx, r->e, C_QUEUE_FULL, p);
        else if (rc > 0)
            query(r, p, 0);           /* p waits in the table: only read here */
        return;
    }
}

static void release(run *r, pl_packet *q)
{
    while (q) {                        /* in the order they arrived */
        pl_packet *nx = q->next;
        q->next = NULL;
        handle_ip(r, q, 1);
        q = nx;
    }
}

static void response(run *r, pl_packet *p)
{
    const uint8_t *f = p->data;
    if (p->len < PL_ARP_FRAME) {
        pl_drop(r->ctx, r->e, C_BAD_RESPONSE, p);
        return;
    }
    if (pl_arp_valid(f, p->len) && pl_rd16(f + ARP_OP) == PL_ARP_REPLY && !(f[ARP_SHA] & 1)) {
        uint32_t spa;
        memcpy(&spa, f + ARP_SPA, 4);
        pl_packet *waiting = NULL;
        if (!arpt_insert(r->t, spa, f + ARP_SHA, 0, r->now, &waiting, &r->killed))
            release(r, waiting);
    }
    pl_drop(r->ctx, r->e, C_RESPONSE, p);
}

static void aq_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    aq_state *s = PL_STATE(e, aq_state);
    arpt *t = atomic_load_explicit(&s->t, memory_order_acquire);
    if (__builtin_expect(!t, 0))
        t = &s->own;                   /* TABLE not resolved yet (a live change settling) */
    run r = {e, s, t, ctx, arpt_jiffies(pl_engine_now_ns(e->eng)), NULL, NULL};
    arpt_lock(t);
    if (__builtin_expect(t->orphans != NULL || t->ready != NULL, 0)) {
        pl_packet *o = t->orphans, *ready = t->ready;
        t->orphans = t->ready = t->ready_tail = NULL;
        while (o) {
            pl_packet *nx = o->next;
            pl_drop(ctx, e, C_CLEARED, o);
            o = nx;
        }
        release(&r, ready);
    }
    arpt_expire(t, r.now, &r.killed);
    for (pl_packet *p = b, *nx; p; p = nx) {
        nx = p->next;
        p->next = NULL;
        if (port == 0)
            handle_ip(&r, p, 0);
        else
            response(&r, p);
    }
    arpt_unlock(t);
    flush(&r);
}

static const pl_param params[] = {
    {"IP", PL_T_STRING, offsetof(aq_state, ip_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_ANYWHERE,
     "this host's IP address, or IP/PREFIX (queries come from it; the prefix gives BROADCAST)"},
    {"ETH", PL_T_ETHER, offsetof(aq_state, eth), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_ANYWHERE,
     "this host's Ethernet address (given alone, IP names both: ARPQuerier(eth0))"},
    {"CAPACITY", PL_T_UINT, offsetof(aq_state, capacity), "2048", 0, 4294967295.0, 0,
     "packets waiting for resolution, all addresses together (0: unlimited)"},
    {"ENTRY_CAPACITY", PL_T_UINT, offsetof(aq_state, entry_capacity), "0", 0, 4294967295.0, 0,
     "entries in the table (0: unlimited); the oldest go first"},
    {"ENTRY_PACKET_CAPACITY", PL_T_UINT, offsetof(aq_state, entry_packet_capacity), "0", 0,
     4294967295.0, 0, "packets waiting for one address (0: unlimited)"},
    {"CAPACITY_SLIM_FACTOR", PL_T_UINT, offsetof(aq_state, slim_factor), "2", 0, 4294967295.0, 0,
     "past CAPACITY, 1/CAPACITY_SLIM_FACTOR of the waiting packets are dropped, oldest first"},
    {"TIMEOUT", PL_T_TIME, offsetof(aq_state, timeout), "300s", 0, 1e9, 0,
     "lifetime of entries (0: forever)"},
    {"POLL_TIMEOUT", PL_T_TIME, offsetof(aq_state, poll_timeout), "60s", 0, 1e9, 0,
     "age after which a used entry is refreshed by a query (0: never)"},
    {"BROADCAST", PL_T_IPV4, offsetof(aq_state, bcast_cfg), NULL, 0, -1, 0,
     "local broadcast address, sent to ff:ff:ff:ff:ff:ff (default: from IP/PREFIX, else "
     "255.255.255.255)"},
    {"BROADCAST_POLL", PL_T_BOOL, offsetof(aq_state, broadcast_poll), "false", 0, -1, 0,
     "send refresh queries broadcast instead of unicast"},
    {"TABLE", PL_T_STRING, offsetof(aq_state, table_s), NULL, 0, -1, 0,
     "an ARPTable element to use (and share) instead of a table of its own"},
    {"STATIC", PL_T_STRING, offsetof(aq_state, static_s), NULL, 0, -1, 0,
     "permanent entries 'IP ETH IP ETH ...' (pktlab; Click's way is the insert handler)"},
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
           "sent (at most 10 a second per address, one in 2 s after 10 unanswered);\n"
           "ARP replies arriving on input 1 record the address and release the\n"
           "waiting packets in their order. Queries go to the last output. 0.0.0.0 is\n"
           "dropped; 255.255.255.255 and BROADCAST go to ff:ff:ff:ff:ff:ff, multicast\n"
           "to 01:00:5e:... (RFC 1112). IP may be IP/PREFIX: BROADCAST is then the\n"
           "prefix's broadcast address.\n"
           "The table is Click's ARPTable: entries expire TIMEOUT after their last\n"
           "update (a used entry is polled with a query after POLL_TIMEOUT, unicast\n"
           "unless BROADCAST_POLL); past ENTRY_CAPACITY the oldest entries go, past\n"
           "CAPACITY the oldest entries' packets (down to CAPACITY -\n"
           "CAPACITY/CAPACITY_SLIM_FACTOR). TABLE names an ARPTable element to use\n"
           "instead (several ARPQueriers may share one); the capacity keywords are\n"
           "then the ARPTable's. A live change keeps the table when IP, ETH and\n"
           "BROADCAST stay. STATIC entries (pktlab) never expire; with them and no\n"
           "ARP traffic ARPQuerier is a static encapsulation (input 1 may stay\n"
           "unconnected).\n"
           "Counters (drops): zero_dst, queue_full (ENTRY_PACKET_CAPACITY), expired\n"
           "(given up by the table: capacity, expiry), cleared (clear, end), response\n"
           "(replies consumed), bad_response (too short), nobufs; queries,\n"
           "broadcasts.\n\n"
           "Example: c[1] -> [1] arpq :: ARPQuerier(10.0.0.1/24, 00:00:c0:ae:67:ef);\n"
           "         rt[1] -> ... -> [0] arpq -> out0;",
    .state_size = sizeof(aq_state),
    .params = params,
    .handlers = pl_arp_querier_handlers,
    .counters = counters,
    .ndrops = NDROPS,
    .configure = aq_configure,
    .initialize = aq_initialize,
    .cleanup = aq_cleanup,
    .push = aq_push,
    .take_state = aq_take_state,
    .graph_changed = aq_graph_changed,
};
PL_REGISTER_CLASS(arp_querier);
