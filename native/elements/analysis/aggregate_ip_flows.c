/* AggregateIPFlows: sets the aggregate annotation to a flow number, paint to its direction. */
#include "../../core/anno.h"
#include "../../core/timer.h"
#include "../../lib/netpkt.h"
#include "aggregate_ip_flows.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const char *const counters[] = {"not_flow", "stale_fragments", "nomem", NULL};

static void out(pl_packet **b, pl_packet *p) { pl_batch_append(b, p); }

enum { A_EMIT, A_DROP, A_HELD };

static int handle(pl_element *e, pl_packet *p, pl_packet **yes, pl_ctx *ctx)
{
    aif_state *s = PL_STATE(e, aif_state);
    if (!p->timestamp)
        p->timestamp = pl_engine_realtime_ns(e->eng);
    int paint;
    const uint8_t *ip = aif_flow_header(p, s, &paint);
    if (!ip || (ip[9] != 6 && ip[9] != 17) || (!aif_raw32(ip + 12) && !aif_raw32(ip + 16)))
        return A_DROP;
    int udp = ip[9] == 17;
    uint32_t src = aif_raw32(ip + 12), dst = aif_raw32(ip + 16);
    uint32_t a = src < dst ? src : dst, b = src < dst ? dst : src;
    if (a != src)
        paint ^= 1;
    aif_pair *hp = aif_map_find(&s->map[udp], a, b);
    if (!hp) {
        pl_count(ctx, e, C_NOMEM, 1);
        return A_DROP;
    }
    aif_flow *f = NULL;
    if (pl_ip_first_fragment(ip)) {
        const uint8_t *ports_at = ip + pl_ip_hl(ip);
        if (ports_at + 4 > p->data + p->len)
            return A_DROP;                   /* too short for the ports */
        uint32_t ports = aif_raw32(ports_at);
        if (a == b && (int32_t)((ports << 16) - ports) < 0)
            paint ^= 1;
        if (paint & 1)
            ports = ((ports >> 16) & 0xffff) | (ports << 16);
        f = aif_find_flow(s, hp, udp, ports, paint & 1, p, ip);
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
        s->active_sec = aif_sec(p);
        int64_t ft = s->active_sec - (int64_t)s->fragment_timeout;
        while (hp->fhead && (aif_sec(hp->fhead) < ft
                             || !pl_ip_is_fragment(aif_flow_header(hp->fhead, s, &paint))))
            aif_emit_fragment_head(e, hp, yes, ctx);
        return A_HELD;
    }
    if (!f)
        return A_DROP;
    s->active_sec = aif_sec(p);
    aif_emit_hook(p, ip, f);
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
    aif_lock(s);
    for (pl_packet *p = b, *next; p; p = next) {
        next = p->next;
        int action = handle(e, p, &yes, ctx);
        if (s->active_sec >= s->gc_sec)
            aif_reap(e, &yes, ctx);
        if (action == A_EMIT)
            out(&yes, p);
        else if (action == A_DROP)
            out(&no, p);
    }
    aif_unlock(s);
    send(e, ctx, yes, no);
}

/* clear: every flow ends and every waiting fragment leaves (Click's reap at the end of time). */
static void do_clear(pl_element *e, pl_ctx *ctx)
{
    aif_state *s = PL_STATE(e, aif_state);
    pl_packet *yes = NULL;
    aif_lock(s);
    int64_t active = s->active_sec, gc = s->gc_sec;
    s->active_sec = s->gc_sec = 0x7fffffff;
    aif_reap(e, &yes, ctx);
    s->active_sec = active, s->gc_sec = gc;
    aif_unlock(s);
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
