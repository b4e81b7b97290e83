/* ICMPPingSource: sends ICMP echo requests and, on its input, keeps
 * statistics of the replies (Click's, also known as ICMPSendPings). */
#include "../../core/args.h"
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"
#include "ping_stats.h"

#include <arpa/inet.h>
#include <stdio.h>

typedef struct {
    uint32_t src, dst;            /* live via handlers */
    double interval;              /* seconds (Click: milliseconds); live via handler */
    uint64_t ident;
    pl_bytes data;
    int64_t limit;                /* live via handler */
    uint8_t active, verbose, stop, mirror;
    uint16_t id_raw;              /* the identifier field as Click writes it on Linux: host order */
    int has_input;
    uint64_t next;                /* push: when the next request is due (engine clock) */
    pl_timer timer;
    _Atomic uint64_t count;       /* requests sent (Click's _count) */
    _Atomic int stopped;
    pl_ping_stats rx;             /* the receiver (Click's ReceiverInfo) */
} ips_state;

enum { C_NOBUFS, C_CONSUMED };
static const char *const counters[] = {"nobufs", "consumed", NULL};

static int ips_configure(pl_element *e, pl_error *err)
{
    ips_state *s = PL_STATE(e, ips_state);
    if (s->ident > 65535)
        return pl_seterr(err, PL_ERR_CONFIG, e, "IDENTIFIER", "IDENTIFIER %llu is over 65535",
                         (unsigned long long)s->ident);
    s->id_raw = (uint16_t)s->ident;
    if (28 + s->data.len > (size_t)(PL_BUFSIZE - PL_HEADROOM))
        return pl_seterr(err, PL_ERR_CONFIG, e, "DATA", "DATA of %zu bytes does not fit a packet",
                         s->data.len);
    /* Click's SecondsArg(3): whole milliseconds. */
    s->interval = floor(s->interval * 1000 + 0.5) / 1000;
    return 0;
}

static int ips_initialize(pl_element *e, pl_error *err)
{
    ips_state *s = PL_STATE(e, ips_state);
    s->has_input = e->ninputs > 0;
    atomic_store(&s->count, 0);
    if (s->interval == 0)
        pl_log(e->eng, "%s :: ICMPPingSource: warning: INTERVAL so small that it is zero", PL_NAME(e));
    if (pl_output_is_pull(e, 0)) {
        if (s->mirror)
            return pl_seterr(err, PL_ERR_CONFIG, e, "MIRROR", "MIRROR invalid on pull element");
        e->no_task = 1;
        return 0;
    }
    pl_timer_init(&s->timer, e, pl_timer_wake_task, NULL);
    atomic_store(&e->sched, 0);
    if (s->limit != 0 && s->active) {
        s->next = pl_engine_now_ns(e->eng) + (uint64_t)(s->interval * 1e9);
        pl_timer_schedule_at(&s->timer, s->next);
    }
    return 0;
}

/* Click's make_packet: IP (ID = count % 0xFFFF + 1, TTL 200) and ICMP echo
 * headers over q's first 28 bytes, DATA after them for a new packet. */
static void ips_fill(pl_element *e, pl_packet *q, int fresh)
{
    ips_state *s = PL_STATE(e, ips_state);
    uint8_t *ip = q->data, *icmp = ip + 20;
    memset(ip, 0, 28);
    if (fresh && s->data.len)
        memcpy(ip + 28, s->data.data, s->data.len);
    uint16_t id = (uint16_t)(atomic_load(&s->count) % 0xFFFF + 1);
    ip[0] = 0x45;
    pl_wr16(ip + 2, (uint16_t)q->len);
    pl_wr16(ip + 4, id);
    ip[8] = 200;
    ip[9] = PL_IP_PROTO_ICMP;
    uint32_t src = __atomic_load_n(&s->src, __ATOMIC_RELAXED);
    uint32_t dst = __atomic_load_n(&s->dst, __ATOMIC_RELAXED);
    memcpy(ip + 12, &src, 4);
    memcpy(ip + 16, &dst, 4);
    pl_ip_set_csum(ip, 20);
    icmp[0] = 8;
    memcpy(icmp + 4, &s->id_raw, 2);
    pl_wr16(icmp + 6, id);
    /* Click sums the header and DATA's length, whatever the packet holds. */
    size_t clen = 8 + s->data.len;
    if (clen > q->len - 20)
        clen = q->len - 20;
    uint16_t c = pl_in_cksum(icmp, clen);
    memcpy(icmp + 2, &c, 2);
    q->dst_ip = dst;
    pl_set_net_header(q, ip);
    q->timestamp = pl_engine_realtime_ns(e->eng);
    if (s->has_input) {
        uint16_t seq_raw;
        memcpy(&seq_raw, icmp + 6, 2);
        pl_ping_sent(&s->rx, seq_raw, q->timestamp);
    }
    atomic_fetch_add(&s->count, 1);
}

static pl_packet *ips_new(pl_element *e, pl_ctx *ctx)
{
    ips_state *s = PL_STATE(e, ips_state);
    pl_packet *q = pl_packet_alloc(ctx->pool);
    if (!q) {
        pl_count(ctx, e, C_NOBUFS, 1);
        return NULL;
    }
    q->len = (uint32_t)(28 + s->data.len);
    q->mac_off = PL_OFF_UNSET;
    ips_fill(e, q, 1);
    return q;
}

static int ips_at_limit(ips_state *s)
{
    int64_t limit = PL_LIVE(s->limit);
    return limit >= 0 && atomic_load(&s->count) >= (uint64_t)limit;
}

/* Push output: woken by its timer, one request every INTERVAL. */
static uint32_t ips_run(pl_element *e, pl_ctx *ctx)
{
    ips_state *s = PL_STATE(e, ips_state);
    pl_task_sleep(e);
    if (!PL_LIVE(s->active))
        return 0;
    uint64_t now = pl_engine_now_ns(e->eng);
    if (now < s->next) {
        pl_timer_schedule_at(&s->timer, s->next);
        return 0;
    }
    if (ips_at_limit(s)) {
        if (s->stop && !atomic_exchange(&s->stopped, 1))
            pl_engine_request_stop(e->eng);
        return 0;
    }
    pl_packet *q = ips_new(e, ctx);
    if (!q)
        return 0;                 /* Click: no reschedule when make_packet fails */
    s->next += (uint64_t)(PL_LIVE_D(s->interval) * 1e9);
    if (s->next < now)
        s->next = now;
    pl_timer_schedule_at(&s->timer, s->next);
    pl_output(ctx, e, 0, pl_batch_one(q));
    return 1;
}

static pl_packet *ips_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    ips_state *s = PL_STATE(e, ips_state);
    pl_packet *b = NULL;
    for (uint32_t i = 0; i < max && !ips_at_limit(s); i++) {
        pl_packet *q = ips_new(e, ctx);
        if (!q)
            break;
        pl_batch_append(&b, q);
    }
    if (!b && ips_at_limit(s) && s->stop && !atomic_exchange(&s->stopped, 1))
        pl_engine_request_stop(e->eng);
    return b;
}

/* A reply: Click's push. 1: it was used (MIRROR sent it on), 0: free it. */
static int ips_reply(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    ips_state *s = PL_STATE(e, ips_state);
    if (p->net_off == PL_OFF_UNSET)
        return 0;
    uint8_t *ip = pl_net_header(p);
    uint32_t nl = pl_net_length(p);
    if (nl < 20 || ip[9] != PL_IP_PROTO_ICMP || pl_ip_hl(ip) > nl || nl - pl_ip_hl(ip) < 8)
        return 0;
    uint8_t *icmp = ip + pl_ip_hl(ip);
    if (icmp[0] != 0 || memcmp(icmp + 4, &s->id_raw, 2) != 0)
        return 0;
    uint16_t seq_raw;
    memcpy(&seq_raw, icmp + 6, 2);
    uint32_t diff;
    if (pl_ping_received(&s->rx, seq_raw, p->timestamp, &diff)) {
        if (s->verbose) {
            char a[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, ip + 12, a, sizeof a);
            pl_log(e->eng, "%s :: ICMPPingSource: %d bytes from %s: icmp_seq=%u ttl=%u time=%u.%03u ms",
                   PL_NAME(e), (int)pl_rd16(ip + 2) - (int)pl_ip_hl(ip) - 8, a,
                   (unsigned)pl_rd16(icmp + 6), ip[8], diff / 1000, diff % 1000);
        }
    }
    if (!s->mirror)
        return 0;
    pl_packet *q = pl_packet_writable(ctx->pool, p);
    if (!q) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return 1;
    }
    uint8_t *nh = pl_net_header(q);
    if (nh > q->data)
        pl_packet_pull(q, (uint32_t)(nh - q->data));
    if (q->len < 28) {
        pl_drop(ctx, e, C_CONSUMED, q);
        return 1;
    }
    ips_fill(e, q, 0);
    pl_output(ctx, e, 0, pl_batch_one(q));
    return 1;
}

static void ips_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        p->next = NULL;
        if (!ips_reply(e, p, ctx))
            pl_drop(ctx, e, C_CONSUMED, p);
    }
}

enum { H_ACTIVE, H_SRC, H_DST, H_COUNT, H_LIMIT, H_INTERVAL, H_SUMMARY, H_MIN, H_AVG, H_MAX };

static int ips_no_receiver(pl_element *e, char *buf, size_t len)
{
    (void)e;
    return pl_fmt(buf, len, "%s", "");
}

static int ips_read(pl_element *e, char *buf, size_t len, int which)
{
    ips_state *s = PL_STATE(e, ips_state);
    char a[INET_ADDRSTRLEN];
    uint64_t count = atomic_load(&s->count);
    switch (which) {
    case H_ACTIVE:
        return pl_fmt(buf, len, "%s", PL_LIVE(s->active) ? "true" : "false");
    case H_SRC:
    case H_DST: {
        uint32_t v = __atomic_load_n(which == H_SRC ? &s->src : &s->dst, __ATOMIC_RELAXED);
        inet_ntop(AF_INET, &v, a, sizeof a);
        return pl_fmt(buf, len, "%s", a);
    }
    case H_COUNT:
        return pl_fmt(buf, len, "%llu", (unsigned long long)count);
    case H_LIMIT:
        return pl_fmt(buf, len, "%lld", (long long)PL_LIVE(s->limit));
    case H_INTERVAL:
        return pl_fmt(buf, len, "%g", PL_LIVE_D(s->interval));
    }
    if (!s->has_input)
        return ips_no_receiver(e, buf, len);
    switch (which) {
    case H_SUMMARY:
        return pl_ping_summary(&s->rx, count, buf, len);
    case H_MIN:
        return pl_ping_fmt_us(buf, len, atomic_load(&s->rx.time_min));
    case H_AVG:
        return pl_ping_fmt_us(buf, len, pl_ping_avg(&s->rx));
    default:
        return pl_ping_fmt_us(buf, len, atomic_load(&s->rx.time_max));
    }
}

#define IPS_READ(name, which)                                                           \
    static int name(pl_element *e, char *buf, size_t len) { return ips_read(e, buf, len, which); }
IPS_READ(r_active, H_ACTIVE)
IPS_READ(r_src, H_SRC)
IPS_READ(r_dst, H_DST)
IPS_READ(r_count, H_COUNT)
IPS_READ(r_limit, H_LIMIT)
IPS_READ(r_interval, H_INTERVAL)
IPS_READ(r_summary, H_SUMMARY)
IPS_READ(r_min, H_MIN)
IPS_READ(r_avg, H_AVG)
IPS_READ(r_max, H_MAX)

/* Push output: (re)start the timer, as Click's handlers do. */
static void ips_kick(pl_element *e, int now)
{
    ips_state *s = PL_STATE(e, ips_state);
    if (pl_output_is_pull(e, 0) || !PL_LIVE(s->active) || ips_at_limit(s))
        return;
    if (!pl_timer_scheduled(&s->timer)) {
        uint64_t t = pl_engine_now_ns(e->eng);
        s->next = now ? t : t + (uint64_t)(PL_LIVE_D(s->interval) * 1e9);
        pl_timer_schedule_at(&s->timer, s->next);
    }
}

static int w_active(pl_element *e, const char *v, pl_error *err)
{
    uint8_t b;
    if (pl_parse_bool(v, &b))
        return pl_seterr(err, PL_ERR_HANDLER, e, "active", "type mismatch");
    ips_state *s = PL_STATE(e, ips_state);
    __atomic_store_n(&s->active, b, __ATOMIC_RELAXED);
    if (b)
        ips_kick(e, 1);
    else if (!pl_output_is_pull(e, 0))
        pl_timer_unschedule(&s->timer);
    return 0;
}

static int w_addr(pl_element *e, const char *v, pl_error *err, uint32_t *field, const char *h)
{
    uint32_t a;
    if (pl_parse_ipv4(v, &a))
        return pl_seterr(err, PL_ERR_HANDLER, e, h, "syntax error");
    __atomic_store_n(field, a, __ATOMIC_RELAXED);
    return 0;
}
static int w_src(pl_element *e, const char *v, pl_error *err)
{
    return w_addr(e, v, err, &PL_STATE(e, ips_state)->src, "src");
}
static int w_dst(pl_element *e, const char *v, pl_error *err)
{
    return w_addr(e, v, err, &PL_STATE(e, ips_state)->dst, "dst");
}

static int w_limit(pl_element *e, const char *v, pl_error *err)
{
    int64_t l;
    if (pl_parse_int(v, &l))
        return pl_seterr(err, PL_ERR_HANDLER, e, "limit", "'limit' should be integer");
    __atomic_store_n(&PL_STATE(e, ips_state)->limit, l, __ATOMIC_RELAXED);
    ips_kick(e, 0);
    return 0;
}

static int w_interval(pl_element *e, const char *v, pl_error *err)
{
    double t;
    if (pl_parse_time(v, &t) || t < 0)
        return pl_seterr(err, PL_ERR_HANDLER, e, "interval", "'interval' should be an interval");
    pl_store_d(&PL_STATE(e, ips_state)->interval, floor(t * 1000 + 0.5) / 1000);
    return 0;
}

static int w_reset(pl_element *e, const char *v, pl_error *err)
{
    (void)v, (void)err;
    ips_state *s = PL_STATE(e, ips_state);
    atomic_store(&s->count, 0);
    atomic_store(&s->stopped, 0);
    pl_ping_reset(&s->rx);
    ips_kick(e, 0);
    return 0;
}

static void ips_cleanup(pl_element *e)
{
    ips_state *s = PL_STATE(e, ips_state);
    if (s->has_input && s->verbose && e->eng) {
        char buf[512];
        if (ips_read(e, buf, sizeof buf, H_SUMMARY) == 0)
            pl_log(e->eng, "%s :: ICMPPingSource: %s", PL_NAME(e), buf);
    }
}

static const pl_param params[] = {
    {"SRC", PL_T_IPV4, offsetof(ips_state, src), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "source address"},
    {"DST", PL_T_IPV4, offsetof(ips_state, dst), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "destination address"},
    {"INTERVAL", PL_T_TIME, offsetof(ips_state, interval), "1", 0, 4294967.295, 0,
     "time between requests (push output; whole milliseconds)"},
    {"IDENTIFIER", PL_T_UINT, offsetof(ips_state, ident), "0", 0, 65535, 0, "ICMP identifier"},
    {"DATA", PL_T_DATA, offsetof(ips_state, data), "", 0, -1, 0, "payload after the echo header"},
    {"LIMIT", PL_T_INT, offsetof(ips_state, limit), "-1", -2147483648.0, 2147483647, 0,
     "requests to send (negative: no limit)"},
    {"ACTIVE", PL_T_BOOL, offsetof(ips_state, active), "true", 0, -1, 0, "whether it sends"},
    {"VERBOSE", PL_T_BOOL, offsetof(ips_state, verbose), "true", 0, -1, 0,
     "log each reply, and the summary at the end"},
    {"STOP", PL_T_BOOL, offsetof(ips_state, stop), "false", 0, -1, 0,
     "stop the engine once LIMIT requests are sent"},
    {"MIRROR", PL_T_BOOL, offsetof(ips_state, mirror), "false", 0, -1, 0,
     "answer each reply with a new request built in it (push output only)"},
    {0}};

static const pl_handler handlers[] = {
    {"active", "whether it sends", r_active, w_active},
    {"src", "source address", r_src, w_src},
    {"dst", "destination address", r_dst, w_dst},
    {"count", "requests sent", r_count, NULL},
    {"limit", "LIMIT", r_limit, w_limit},
    {"interval", "INTERVAL (seconds)", r_interval, w_interval},
    {"reset_counts", "zero the count and the reply statistics", NULL, w_reset},
    {"summary", "ping's summary of the replies (empty without an input)", r_summary, NULL},
    {"rtt_min", "least round-trip time", r_min, NULL},
    {"rtt_avg", "mean round-trip time", r_avg, NULL},
    {"rtt_max", "largest round-trip time", r_max, NULL},
    {0}};

static const pl_class icmp_ping_source = {
    .name = "ICMPPingSource",
    .ports = "0-1/1",
    .processing = "h/a",
    .doc = "ICMPPingSource(SRC, DST [, KEYWORDS])\n"
           "Periodically sends ICMP echo requests; keeps statistics of the replies.\n\n"
           "Each request is an IP packet (no link header) from SRC to DST, TTL 200,\n"
           "IP ID and ICMP sequence number both count % 65535 + 1, carrying DATA\n"
           "after the echo header, with the destination annotation and the time it\n"
           "was made as its timestamp. Pushed, one goes every INTERVAL (the first\n"
           "INTERVAL after start); pulled, every pull gets requests (INTERVAL is then\n"
           "ignored). After LIMIT requests it stops sending; STOP true then stops the\n"
           "engine. As Click on Linux, IDENTIFIER goes into the packet in host byte\n"
           "order (IDENTIFIER 1 is 0x0100 on the wire).\n"
           "Its optional input takes echo replies (packets with the IP header\n"
           "annotation, ICMP type 0 and its identifier): each reply's round-trip\n"
           "time is its timestamp minus its request's send time (0 without a\n"
           "timestamp), in microseconds; a second reply to one request counts as a\n"
           "duplicate. VERBOSE (default true) logs each reply as ping does and the\n"
           "summary when the element goes. MIRROR true sends each reply back out as\n"
           "a new request built in the same packet. Every packet on the input is\n"
           "consumed (counted).\n\n"
           "Keywords: INTERVAL (time, default 1 s, whole milliseconds), IDENTIFIER\n"
           "(0), DATA (empty), LIMIT (-1), ACTIVE (true), VERBOSE (true), STOP\n"
           "(false), MIRROR (false).\n"
           "Handlers: active, src, dst, limit, interval (read/write), count (read),\n"
           "reset_counts (write), summary, rtt_min, rtt_avg, rtt_max (read: Click's\n"
           "formats; empty without an input).\n"
           "Counters: nobufs; consumed (input packets freed, replies included).\n\n"
           "Example: ps :: ICMPPingSource(10.0.0.1, 10.0.0.2, LIMIT 3, INTERVAL 0.1)\n"
           "         -> ICMPPingResponder -> ps;",
    .state_size = sizeof(ips_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 2,
    .configure = ips_configure,
    .initialize = ips_initialize,
    .cleanup = ips_cleanup,
    .run_task = ips_run,
    .pull = ips_pull,
    .push = ips_push,
    .sources = PL_S_SOURCE,
};
PL_REGISTER_CLASS(icmp_ping_source);
