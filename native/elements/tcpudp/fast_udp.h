/* What FastUDPSource and FastUDPFlows share (Click's benchmark sources):
 * Ethernet/IP/UDP templates copied into each packet, Click's GapRate,
 * LIMIT, and the count/rate/reset/active/limit handlers. */
#ifndef PL_ELEMENTS_FAST_UDP_H
#define PL_ELEMENTS_FAST_UDP_H

#include "../../core/args.h"
#include "../../lib/gaprate.h"
#include "../../lib/netpkt.h"
#include "../../lib/ipfield.h"
#include "../../lib/random.h"

#include <stdlib.h>

typedef struct {
    uint64_t rate;                /* packets/s; 0: as fast as pulled; live via handler */
    int64_t limit;                /* -1: none; live via handler */
    int64_t length;
    uint8_t srceth[6], dsteth[6];
    uint32_t srcip, dstip;
    char *sport_s, *dport_s;      /* FastUDPSource */
    uint64_t flows, flowsize;     /* FastUDPFlows */
    uint8_t cksum, active;
    uint64_t interval;            /* FastUDPSource: ports change every INTERVAL packets */
    uint64_t burst;
    /* built by configure, changed by the data path only */
    uint16_t sport, dport;
    uint32_t len;
    uint32_t ntmpl;
    uint8_t *tmpl;                /* ntmpl templates of len bytes */
    uint64_t *flow_count;
    uint16_t incr;
    uint64_t rng;
    pl_gaprate gap;
    uint64_t applied;             /* the rate gap was set to */
    _Atomic uint64_t reset_base;  /* sent count at the last reset */
    _Atomic uint64_t first_ns, last_ns;
    pl_timer timer;
    pl_notifier note;
} fu_state;

enum { FU_C_SENT, FU_C_NOBUFS };

/* Template i's UDP ports and checksum. */
static inline void fu_set_ports(fu_state *s, uint32_t i, uint16_t sport, uint16_t dport)
{
    uint8_t *ip = s->tmpl + (size_t)i * s->len + 14, *udp = ip + 20;
    pl_wr16(udp, sport);
    pl_wr16(udp + 2, dport);
    udp[6] = udp[7] = 0;
    if (s->cksum) {
        uint16_t c = pl_transport_cksum(ip, udp, s->len - 34);
        memcpy(udp + 6, &c, 2);
    }
}

/* Click's initialize: Ethernet, IP (ID 0, TTL 250, checksum), UDP, zeros. */
static inline int fu_build(pl_element *e, fu_state *s, uint32_t ntmpl, pl_error *err)
{
    if (s->length < 60) {
        pl_log(e->eng, "%s :: %s: warning: packet length < 60, defaulting to 60", PL_NAME(e),
               e->cls->name);
        s->length = 60;
    }
    s->len = (uint32_t)s->length;
    s->ntmpl = ntmpl;
    free(s->tmpl);
    free(s->flow_count);
    s->tmpl = calloc(ntmpl, s->len);
    s->flow_count = calloc(ntmpl, sizeof *s->flow_count);
    if (!s->tmpl || !s->flow_count)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (uint32_t i = 0; i < ntmpl; i++) {
        uint8_t *d = s->tmpl + (size_t)i * s->len, *ip = d + 14;
        memcpy(d, s->dsteth, 6);
        memcpy(d + 6, s->srceth, 6);
        d[12] = 0x08, d[13] = 0x00;
        ip[0] = 0x45;
        pl_wr16(ip + 2, (uint16_t)(s->len - 14));
        ip[8] = 250;
        ip[9] = PL_IP_PROTO_UDP;
        memcpy(ip + 12, &s->srcip, 4);
        memcpy(ip + 16, &s->dstip, 4);
        pl_ip_set_csum(ip, 20);
        pl_wr16(ip + 20 + 4, (uint16_t)(s->len - 34));
    }
    s->rng = pl_rand_seed(e, PL_NAME(e));
    pl_gap_init_rate(&s->gap, (uint32_t)s->rate);
    pl_gap_reset(&s->gap);
    s->applied = s->rate;
    return 0;
}

static inline void fu_cleanup(pl_element *e)
{
    fu_state *s = PL_STATE(e, fu_state);
    free(s->tmpl);
    free(s->flow_count);
    s->tmpl = NULL;
    s->flow_count = NULL;
}

static inline uint64_t fu_sent(pl_element *e)
{
    return pl_counter_total(e, FU_C_SENT) -
           atomic_load(&PL_STATE(e, fu_state)->reset_base);
}

/* The template the next packet copies (FastUDPSource: 0; FastUDPFlows: a
 * random flow, its ports renewed every FLOWSIZE packets). */
typedef uint32_t (*fu_pick_fn)(fu_state *s);

/* Up to max packets now: NULL when inactive, at LIMIT, not due, or no buffer. */
static inline pl_packet *fu_make(pl_element *e, pl_ctx *ctx, uint32_t max, fu_pick_fn pick,
                                 void (*after)(fu_state *, uint64_t count))
{
    fu_state *s = PL_STATE(e, fu_state);
    if (!PL_LIVE(s->active))
        return NULL;
    uint64_t n = max;
    uint64_t sent = fu_sent(e);
    int64_t limit = PL_LIVE(s->limit);
    if (limit >= 0) {
        if (sent >= (uint64_t)limit)
            return NULL;
        if (n > (uint64_t)limit - sent)
            n = (uint64_t)limit - sent;
    }
    uint64_t rate = PL_LIVE(s->rate);
    uint64_t now = pl_engine_realtime_ns(e->eng);
    if (rate != s->applied) {
        pl_gap_set_rate(&s->gap, (uint32_t)rate, now);
        s->applied = rate;
    }
    if (rate) {
        int64_t ok = pl_gap_allowed(&s->gap, now);
        if (ok <= 0)
            return NULL;
        if ((uint64_t)ok < n)
            n = (uint64_t)ok;
    }
    pl_packet *b = NULL;
    uint64_t first = pl_stamp_now(ctx);
    uint32_t got = 0;
    for (uint64_t i = 0; i < n; i++) {
        pl_packet *p = pl_packet_alloc(ctx->pool);
        if (!p) {
            pl_count(ctx, e, FU_C_NOBUFS, 1);
            break;
        }
        uint32_t t = pick(s);
        memcpy(p->data, s->tmpl + (size_t)t * s->len, s->len);
        p->len = s->len;
        p->mac_off = PL_HEADROOM;
        pl_set_net_header(p, p->data + 14);
        p->dst_ip = s->dstip;
        p->timestamp = now;
        if (first)
            pl_stamp(p, first);
        pl_batch_append(&b, p);
        got++;
        if (after)
            after(s, sent + got);
    }
    if (!got)
        return NULL;
    if (rate)
        pl_gap_update(&s->gap, got);
    pl_count(ctx, e, FU_C_SENT, got);
    if (sent == 0)
        atomic_store(&s->first_ns, now ? now : 1);
    if (limit >= 0 && sent + got >= (uint64_t)limit)
        atomic_store(&s->last_ns, now ? now : 1);
    return b;
}

/* The task (push output): a batch of up to BURST, else sleep until due. */
static inline uint32_t fu_run(pl_element *e, pl_ctx *ctx, fu_pick_fn pick,
                              void (*after)(fu_state *, uint64_t))
{
    fu_state *s = PL_STATE(e, fu_state);
    uint32_t burst = ctx->per_packet ? 1 : (uint32_t)PL_LIVE(s->burst);
    pl_packet *b = fu_make(e, ctx, burst, pick, after);
    if (b) {
        uint32_t n = b->b_count;
        pl_output_source(ctx, e, 0, b);
        return n;
    }
    int64_t limit = PL_LIVE(s->limit);
    if (!PL_LIVE(s->active) || (limit >= 0 && fu_sent(e) >= (uint64_t)limit)) {
        pl_task_sleep(e);             /* active, limit or reset wakes it */
        return 0;
    }
    if (PL_LIVE(s->rate)) {
        uint64_t due = pl_gap_expiry(&s->gap), now = pl_engine_realtime_ns(e->eng);
        if (due > now + 20000) {
            pl_timer_schedule_after(&s->timer, due - now);
            pl_task_sleep(e);
        }
    }
    return 0;
}

static inline int fu_initialize(pl_element *e, pl_error *err)
{
    fu_state *s = PL_STATE(e, fu_state);
    pl_timer_init(&s->timer, e, pl_timer_wake_task, NULL);
    pl_notifier_init(&s->note, 1);
    if (pl_output_is_pull(e, 0)) {
        e->no_task = 1;
        return pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->note, 0, err);
    }
    return 0;
}

static inline void fu_wake(pl_element *e)
{
    pl_task_wake(e);
    pl_notifier_wake(&PL_STATE(e, fu_state)->note);
}

static inline void fu_reset(pl_element *e)
{
    fu_state *s = PL_STATE(e, fu_state);
    atomic_store(&s->reset_base, pl_counter_total(e, FU_C_SENT));
    atomic_store(&s->first_ns, 0);
    atomic_store(&s->last_ns, 0);
}

static inline int fu_read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)fu_sent(e));
}

/* Click's: packets per second between the first and the LIMIT-th packet; 0
 * until LIMIT is reached. */
static inline int fu_read_rate(pl_element *e, char *buf, size_t len)
{
    fu_state *s = PL_STATE(e, fu_state);
    uint64_t f = atomic_load(&s->first_ns), l = atomic_load(&s->last_ns);
    if (!l)
        return pl_fmt(buf, len, "0");
    uint64_t d = l > f ? l - f : 0;
    if (d < 10000000)             /* Click: at least one jiffy (CLICK_HZ 100) */
        d = 10000000;
    return pl_fmt(buf, len, "%llu", (unsigned long long)(fu_sent(e) * 1000000000ull / d));
}

static inline int fu_write_rate(pl_element *e, const char *v, pl_error *err)
{
    uint64_t r;
    if (pl_parse_uint(v, &r))
        return pl_seterr(err, PL_ERR_HANDLER, e, "rate", "rate parameter must be integer >= 0");
    if (r > PL_GAP_MAX_RATE)
        return pl_seterr(err, PL_ERR_HANDLER, e, "rate", "rate too large; max is %u",
                         PL_GAP_MAX_RATE);
    __atomic_store_n(&PL_STATE(e, fu_state)->rate, r, __ATOMIC_RELAXED);
    fu_wake(e);
    return 0;
}

static inline int fu_write_reset(pl_element *e, const char *v, pl_error *err)
{
    (void)v, (void)err;
    fu_reset(e);
    fu_wake(e);
    return 0;
}

static inline int fu_write_active(pl_element *e, const char *v, pl_error *err)
{
    uint8_t b;
    if (pl_parse_bool(v, &b))
        return pl_seterr(err, PL_ERR_HANDLER, e, "active", "active parameter must be boolean");
    if (b)
        fu_reset(e);
    __atomic_store_n(&PL_STATE(e, fu_state)->active, b, __ATOMIC_RELAXED);
    fu_wake(e);
    return 0;
}

static inline int fu_read_active(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", PL_LIVE(PL_STATE(e, fu_state)->active) ? "true" : "false");
}

static inline int fu_write_limit(pl_element *e, const char *v, pl_error *err)
{
    int64_t l;
    if (pl_parse_int(v, &l))
        return pl_seterr(err, PL_ERR_HANDLER, e, "limit", "limit parameter must be integer");
    __atomic_store_n(&PL_STATE(e, fu_state)->limit, l < 0 ? -1 : l, __ATOMIC_RELAXED);
    fu_wake(e);
    return 0;
}

static inline int fu_read_limit(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%lld", (long long)PL_LIVE(PL_STATE(e, fu_state)->limit));
}

#define FU_HANDLERS                                                                        \
    {"count", "packets sent since the last reset", fu_read_count, NULL},                  \
    {"rate", "read: the rate measured up to LIMIT (0 before); write: RATE",               \
     fu_read_rate, fu_write_rate},                                                         \
    {"reset", "reset the count (LIMIT starts again)", NULL, fu_write_reset},              \
    {"active", "whether it sends (true also resets)", fu_read_active, fu_write_active},   \
    {"limit", "LIMIT (negative: none)", fu_read_limit, fu_write_limit}

#endif
