/* AggregateIPFlows: sets the aggregate annotation to a flow number, paint to its direction. */
#include "../../core/anno.h"
#include "../../core/timer.h"
#include "../../lib/netpkt.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/*
 * Click's design (elements/analysis/aggregateipflows.cc): per protocol (TCP,
 * UDP), a table of host pairs (the two addresses, lower first, compared as
 * Click compares them: the raw 32-bit words); each pair holds its flows (the
 * port pair, most recent first) and the fragments waiting for their first
 * fragment's ports, in arrival order. Time is packet time, in seconds; flows
 * are reaped every REAP seconds of it. Memory is taken for a new host pair or
 * flow, never for a packet of a known one. A spin flag guards the tables
 * between the data path (once per batch) and the clear handler.
 */
typedef struct aif_flow {
    uint32_t ports, agg;
    int64_t last_sec;
    uint8_t over, reverse;
    struct aif_flow *next;
} aif_flow;

typedef struct {
    uint32_t a, b;
    int used;
    aif_flow *flows;
    pl_packet *fhead, *ftail;
} aif_pair;

typedef struct {
    aif_pair *v;
    uint32_t cap, n;
} aif_map;

typedef struct {
    uint64_t tcp_timeout, tcp_done_timeout, udp_timeout, fragment_timeout, reap;
    uint8_t icmp, fragments;
    atomic_flag lock;
    aif_map map[2];               /* TCP, UDP */
    uint32_t next;
    int64_t active_sec, gc_sec;
    uint64_t smallest_timeout;
    pl_timer clear_timer;         /* clear written outside a worker: done on one */
} aif_state;

enum { C_NOT_FLOW, C_STALE_FRAGMENT, C_NOMEM };
static const char *const counters[] = {"not_flow", "stale_fragments", "nomem", NULL};

static void lock(aif_state *s)
{
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire))
        ;
}
static void unlock(aif_state *s) { atomic_flag_clear_explicit(&s->lock, memory_order_release); }

static uint32_t pair_hash(uint32_t a, uint32_t b) { return (a << 12) + b + ((a >> 20) & 0x1f); }

static int map_grow(aif_map *m)
{
    uint32_t cap = m->cap ? m->cap * 2 : 64;
    aif_pair *v = calloc(cap, sizeof *v);
    if (!v)
        return -1;
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->v[i].used) {
            uint32_t j = pair_hash(m->v[i].a, m->v[i].b) & (cap - 1);
            while (v[j].used)
                j = (j + 1) & (cap - 1);
            v[j] = m->v[i];
        }
    free(m->v);
    m->v = v, m->cap = cap;
    return 0;
}

static aif_pair *map_find(aif_map *m, uint32_t a, uint32_t b)
{
    if (m->n * 2 >= m->cap && map_grow(m))
        return NULL;
    uint32_t j = pair_hash(a, b) & (m->cap - 1);
    while (m->v[j].used) {
        if (m->v[j].a == a && m->v[j].b == b)
            return &m->v[j];
        j = (j + 1) & (m->cap - 1);
    }
    m->v[j] = (aif_pair){.a = a, .b = b, .used = 1};
    m->n++;
    return &m->v[j];
}

static int64_t sec(const pl_packet *p) { return (int64_t)(p->timestamp / 1000000000u); }

static uint32_t raw32(const uint8_t *b)
{
    uint32_t v;
    memcpy(&v, b, 4);
    return v;
}

/* The IP header that names the flow: the packet's, or (paint 2) an ICMP error's quote. */
static const uint8_t *flow_header(const pl_packet *p, const aif_state *s, int *paint)
{
    const uint8_t *ip = pl_net_header(p);
    uint32_t n = pl_net_length(p);
    *paint = 0;
    if (n < 20 || (ip[0] >> 4) != 4 || pl_ip_hl(ip) < 20 || pl_ip_hl(ip) > n)
        return NULL;
    if (ip[9] == 1 && pl_ip_first_fragment(ip) && s->icmp) {
        const uint8_t *icmp = ip + pl_ip_hl(ip);
        uint32_t tl = n - pl_ip_hl(ip);
        if (tl < 8)
            return NULL;
        int t = icmp[0];
        if (t != 3 && t != 11 && t != 12 && t != 4 && t != 5)
            return NULL;
        const uint8_t *q = icmp + 8;
        if (tl < 8 + 20 || pl_ip_hl(q) < 20 || tl < 8 + pl_ip_hl(q))
            return NULL;
        *paint = 2;
        return q;
    }
    return ip;
}

/* Flow over: RST, or FIN both ways (only packets, not ICMP errors, count). */
static void emit_hook(const pl_packet *p, const uint8_t *ip, aif_flow *f)
{
    f->last_sec = sec(p);
    const uint8_t *end = p->data + p->len, *tcp = ip + pl_ip_hl(ip);
    if (ip[9] == 6 && pl_ip_first_fragment(ip) && tcp + 14 <= end && p->paint < 2) {
        uint8_t flags = tcp[13];
        if (flags & 0x04)
            f->over = 3;
        else if (flags & 0x01)
            f->over |= (uint8_t)(1 << p->paint);
        else if (flags & 0x02)
            f->over = 0;
    }
}

static uint64_t relevant_timeout(const aif_state *s, const aif_flow *f, int udp)
{
    return udp ? s->udp_timeout : f->over == 3 ? s->tcp_done_timeout : s->tcp_timeout;
}

static aif_flow *find_flow(aif_state *s, aif_pair *hp, int udp, uint32_t ports, int flipped,
                           const pl_packet *p, const uint8_t *ip)
{
    for (aif_flow **pp = &hp->flows, *f = *pp; f; pp = &f->next, f = *pp)
        if (f->ports == ports) {
            int64_t age = sec(p) - f->last_sec;
            const uint8_t *tcp = ip + pl_ip_hl(ip);
            int syn = ip[9] == 6 && tcp + 14 <= p->data + p->len && (tcp[13] & 0x02);
            if ((age > (int64_t)s->smallest_timeout && age > (int64_t)relevant_timeout(s, f, udp))
                || (f->over == 3 && syn)) {
                f->agg = s->next++;          /* the old flow died: a new number */
                f->reverse = (uint8_t)flipped;
                f->over = 0;
            }
            *pp = f->next;                   /* to the front */
            f->next = hp->flows;
            hp->flows = f;
            return f;
        }
    aif_flow *f = malloc(sizeof *f);
    if (!f)
        return NULL;
    *f = (aif_flow){.ports = ports, .agg = s->next++, .reverse = (uint8_t)flipped,
                    .next = hp->flows};
    hp->flows = f;
    return f;
}

static void out(pl_packet **b, pl_packet *p) { pl_batch_append(b, p); }

/* The first waiting fragment leaves: annotated from (or annotating) the
 * others of its IP ID; one that no first fragment named is dropped. */
static void emit_fragment_head(pl_element *e, aif_pair *hp, pl_packet **yes, pl_ctx *ctx)
{
    pl_packet *head = hp->fhead;
    hp->fhead = head->next;
    aif_state *s = PL_STATE(e, aif_state);
    int paint;
    const uint8_t *ip = flow_header(head, s, &paint);
    uint16_t id = pl_rd16(ip + 4);
    uint32_t agg = pl_anno_u32(head, PL_ANNO_AGGREGATE);
    for (pl_packet *p = hp->fhead; p; p = p->next) {
        const uint8_t *q = flow_header(p, s, &paint);
        if (pl_rd16(q + 4) != id)
            continue;
        if (agg) {
            pl_anno_set_u32(p, PL_ANNO_AGGREGATE, agg);
            p->paint = head->paint;
        } else if (pl_anno_u32(p, PL_ANNO_AGGREGATE)) {
            agg = pl_anno_u32(p, PL_ANNO_AGGREGATE);
            pl_anno_set_u32(head, PL_ANNO_AGGREGATE, agg);
            head->paint = p->paint;
            break;
        }
    }
    if (!agg) {
        pl_drop(ctx, e, C_STALE_FRAGMENT, head);
        return;
    }
    for (aif_flow **pp = &hp->flows, *f = *pp; f; pp = &f->next, f = *pp)
        if (f->agg == agg) {
            *pp = f->next;
            f->next = hp->flows;
            hp->flows = f;
            emit_hook(head, ip, f);
            break;
        }
    out(yes, head);
}

static void reap_map(pl_element *e, aif_map *m, uint64_t timeout, uint64_t done_timeout,
                     pl_packet **yes, pl_ctx *ctx)
{
    aif_state *s = PL_STATE(e, aif_state);
    int64_t t = s->active_sec - (int64_t)timeout, dt = s->active_sec - (int64_t)done_timeout;
    int64_t ft = s->active_sec - (int64_t)s->fragment_timeout;
    int paint;
    for (uint32_t i = 0; i < m->cap; i++) {
        aif_pair *hp = &m->v[i];
        if (!hp->used)
            continue;
        while (hp->fhead && (sec(hp->fhead) < ft
                             || !pl_ip_is_fragment(flow_header(hp->fhead, s, &paint))))
            emit_fragment_head(e, hp, yes, ctx);
        if (hp->fhead)
            continue;                        /* no flow goes while fragments wait */
        for (aif_flow **pp = &hp->flows, *f = *pp; f; f = *pp)
            if ((int32_t)((uint32_t)f->last_sec - (uint32_t)(f->over == 3 ? dt : t)) < 0) {
                *pp = f->next;
                free(f);
            } else
                pp = &f->next;
    }
}

static void reap(pl_element *e, pl_packet **yes, pl_ctx *ctx)
{
    aif_state *s = PL_STATE(e, aif_state);
    if (s->gc_sec) {
        reap_map(e, &s->map[0], s->tcp_timeout, s->tcp_done_timeout, yes, ctx);
        reap_map(e, &s->map[1], s->udp_timeout, s->udp_timeout, yes, ctx);
    }
    s->gc_sec = s->active_sec + (int64_t)s->reap;
}

enum { A_EMIT, A_DROP, A_HELD };

static int handle(pl_element *e, pl_packet *p, pl_packet **yes, pl_ctx *ctx)
{
    aif_state *s = PL_STATE(e, aif_state);
    if (!p->timestamp)
        p->timestamp = pl_engine_realtime_ns(e->eng);
    int paint;
    const uint8_t *ip = flow_header(p, s, &paint);
    if (!ip || (ip[9] != 6 && ip[9] != 17) || (!raw32(ip + 12) && !raw32(ip + 16)))
        return A_DROP;
    int udp = ip[9] == 17;
    uint32_t src = raw32(ip + 12), dst = raw32(ip + 16);
    uint32_t a = src < dst ? src : dst, b = src < dst ? dst : src;
    if (a != src)
        paint ^= 1;
    aif_pair *hp = map_find(&s->map[udp], a, b);
    if (!hp) {
        pl_count(ctx, e, C_NOMEM, 1);
        return A_DROP;
    }
    aif_flow *f = NULL;
    if (pl_ip_first_fragment(ip)) {
        const uint8_t *ports_at = ip + pl_ip_hl(ip);
        if (ports_at + 4 > p->data + p->len)
            return A_DROP;                   /* too short for the ports */
        uint32_t ports = raw32(ports_at);
        if (a == b && (int32_t)((ports << 16) - ports) < 0)
            paint ^= 1;
        if (paint & 1)
            ports = ((ports >> 16) & 0xffff) | (ports << 16);
        f = find_flow(s, hp, udp, ports, paint & 1, p, ip);
        if (!f) {
            pl_count(ctx, e, C_NOMEM, 1);
            return A_DROP;
        }
        if (f->reverse)
            paint ^= 1;
        pl_anno_set_u32(p, PL_ANNO_AGGREGATE, f->agg);
    } else
        pl_anno_set_u32(p, PL_ANNO_AGGREGATE, 0);
    p->paint = (uint8_t)paint;
    if ((s->fragments && pl_ip_is_fragment(ip)) || hp->fhead) {
        p->next = NULL;                      /* wait behind the pair's fragments */
        if (hp->fhead)
            hp->ftail->next = p;
        else
            hp->fhead = p;
        hp->ftail = p;
        s->active_sec = sec(p);
        int64_t ft = s->active_sec - (int64_t)s->fragment_timeout;
        while (hp->fhead && (sec(hp->fhead) < ft
                             || !pl_ip_is_fragment(flow_header(hp->fhead, s, &paint))))
            emit_fragment_head(e, hp, yes, ctx);
        return A_HELD;
    }
    if (!f)
        return A_DROP;
    s->active_sec = sec(p);
    emit_hook(p, ip, f);
    return A_EMIT;
}

static void send(pl_element *e, pl_ctx *ctx, pl_packet *yes, pl_packet *no)
{
    if (yes)
        pl_output(ctx, e, 0, yes);
    if (no) {
        if (e->noutputs > 1)
            pl_output(ctx, e, 1, no);
        else
            pl_drop_batch(ctx, e, C_NOT_FLOW, no);
    }
}

static void aif_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    aif_state *s = PL_STATE(e, aif_state);
    pl_packet *yes = NULL, *no = NULL;
    lock(s);
    for (pl_packet *p = b, *next; p; p = next) {
        next = p->next;
        int action = handle(e, p, &yes, ctx);
        if (s->active_sec >= s->gc_sec)
            reap(e, &yes, ctx);
        if (action == A_EMIT)
            out(&yes, p);
        else if (action == A_DROP)
            out(&no, p);
    }
    unlock(s);
    send(e, ctx, yes, no);
}

/* clear: every flow ends and every waiting fragment leaves (Click's reap at the end of time). */
static void do_clear(pl_element *e, pl_ctx *ctx)
{
    aif_state *s = PL_STATE(e, aif_state);
    pl_packet *yes = NULL;
    lock(s);
    int64_t active = s->active_sec, gc = s->gc_sec;
    s->active_sec = s->gc_sec = 0x7fffffff;
    reap(e, &yes, ctx);
    s->active_sec = active, s->gc_sec = gc;
    unlock(s);
    send(e, ctx, yes, NULL);
}

static void clear_fire(pl_timer *t, pl_ctx *ctx) { do_clear(t->owner, ctx); }

static int w_clear(pl_element *e, const char *v, pl_error *err)
{
    (void)v, (void)err;
    pl_ctx *ctx = pl_current_ctx(e->eng);
    if (ctx)
        do_clear(e, ctx);                    /* a Script's write: at once, as Click */
    else
        pl_timer_schedule_after(&PL_STATE(e, aif_state)->clear_timer, 0);
    return 0;
}

static int aif_configure(pl_element *e, pl_error *err)
{
    (void)err;
    aif_state *s = PL_STATE(e, aif_state);
    atomic_flag_clear(&s->lock);
    uint64_t m = s->tcp_timeout < s->tcp_done_timeout ? s->tcp_timeout : s->tcp_done_timeout;
    s->smallest_timeout = m < s->udp_timeout ? m : s->udp_timeout;
    s->next = 1;
    s->active_sec = s->gc_sec = 0;
    pl_timer_init(&s->clear_timer, e, clear_fire, NULL);
    return 0;
}

static void aif_cleanup(pl_element *e)
{
    aif_state *s = PL_STATE(e, aif_state);
    for (int k = 0; k < 2; k++) {
        for (uint32_t i = 0; i < s->map[k].cap; i++) {
            aif_pair *hp = &s->map[k].v[i];
            if (!hp->used)
                continue;
            for (aif_flow *f = hp->flows, *n; f; f = n)
                n = f->next, free(f);
            for (pl_packet *p = hp->fhead, *n; p; p = n)
                n = p->next, pl_packet_free_ctl(e, C_STALE_FRAGMENT, p);
        }
        free(s->map[k].v);
        s->map[k] = (aif_map){0};
    }
}

static const pl_param params[] = {
    {"TCP_TIMEOUT", PL_T_UINT, offsetof(aif_state, tcp_timeout), "86400", 0, 4294967295.0, 0,
     "seconds of packet time an active TCP flow lives without packets"},
    {"TCP_DONE_TIMEOUT", PL_T_UINT, offsetof(aif_state, tcp_done_timeout), "30", 0,
     4294967295.0, 0, "the same for a TCP flow with FIN both ways, or RST"},
    {"UDP_TIMEOUT", PL_T_UINT, offsetof(aif_state, udp_timeout), "60", 0, 4294967295.0, 0,
     "the same for UDP"},
    {"FRAGMENT_TIMEOUT", PL_T_UINT, offsetof(aif_state, fragment_timeout), "30", 0,
     4294967295.0, 0, "seconds a fragment waits for its first fragment's ports"},
    {"REAP", PL_T_UINT, offsetof(aif_state, reap), "1200", 0, 4294967295.0, 0,
     "seconds of packet time between reaps of dead flows"},
    {"ICMP", PL_T_BOOL, offsetof(aif_state, icmp), "false", 0, -1, 0,
     "ICMP errors get their quoted packet's flow, paint 2 + its paint"},
    {"FRAGMENTS", PL_T_BOOL, offsetof(aif_state, fragments), "true", 0, -1, 0,
     "later fragments wait for their first fragment's flow (else leave on output 1)"},
    {0}};

static const pl_handler handlers[] = {
    {"clear", "end every flow; waiting fragments leave", NULL, w_clear, PL_H_BUTTON},
    {0}};

static const pl_class aggregate_ip_flows = {
    .name = "AggregateIPFlows",
    .ports = "1/1-2",
    .processing = "h/h",
    .doc = "AggregateIPFlows([KEYWORDS])\n"
           "Sets the aggregate annotation from TCP and UDP flows.\n\n"
           "Sets each TCP or UDP packet's aggregate annotation to its flow's number (1,\n"
           "2, ... in order of first packet; a flow is the addresses and ports, both\n"
           "ways) and its paint to the direction: 0 as the flow's first packet, 1 for\n"
           "replies (ICMP errors, with ICMP true: 2 and 3). Flows die after a timeout of\n"
           "packet time (UDP_TIMEOUT; TCP_TIMEOUT; TCP_DONE_TIMEOUT once FIN went both\n"
           "ways or RST was seen; a SYN on a finished flow starts a new one); a dead\n"
           "flow's addresses and ports get a new number. Other packets, short ones and\n"
           "IP 0.0.0.0 to 0.0.0.0 leave on output 1 (dropped, under not_flow, without\n"
           "one). With FRAGMENTS (default true), later fragments wait until their first\n"
           "fragment gives their flow; packets between one address pair keep their\n"
           "order, those of different pairs may not. Fragments that wait longer than\n"
           "FRAGMENT_TIMEOUT with no first fragment are dropped (stale_fragments);\n"
           "write clear at the end of a trace to flush the rest.\n"
           "Keywords: TCP_TIMEOUT (86400 s), TCP_DONE_TIMEOUT (30), UDP_TIMEOUT (60),\n"
           "FRAGMENT_TIMEOUT (30), REAP (1200), ICMP, FRAGMENTS. Click's TRACEINFO and\n"
           "SOURCE are not provided.\n"
           "Handlers: clear.\n"
           "Counters: not_flow, nomem, stale_fragments.\n\n"
           "Example: FromDump(f.pcap, STOP true, FORCE_IP true) -> af :: AggregateIPFlows\n"
           "    -> AggregateCounter -> Discard;  DriverManager(wait, write af.clear);",
    .state_size = sizeof(aif_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 2,
    .configure = aif_configure,
    .cleanup = aif_cleanup,
    .push = aif_push,
};
PL_REGISTER_CLASS(aggregate_ip_flows);
