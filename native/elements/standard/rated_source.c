/* RatedSource: generates packets at a given rate (Click's). */
#include "../../lib/tokenbucket.h"
#include "../../core/anno.h"
#include "source.h"

typedef struct {
    pl_bytes data;
    double rate;
    int64_t limit, length;
    uint8_t active, stop;
    double bandwidth;
    uint64_t burst;
    double timeout;               /* s: a partial batch goes once its oldest packet is this old */
    pl_source_data pkt;
    pl_tb tb;
    double applied;
    pl_timer timer;
    pl_notifier note;             /* pull: it may have a packet */
    _Atomic uint64_t reset_base;
    _Atomic int stopped;
} rsrc_state;

enum { C_SENT, C_NOBUFS };
static const char *const counters[] = {"sent", "nobufs", NULL};

/* Click's bucket: 10 ms of packets (2 below 200 packets/s). */
static uint64_t capacity(rsrc_state *s, double rate)
{
    uint64_t c = rate < 200 ? 2 : (uint64_t)(rate / 100);
    if (s->bandwidth > 0 && c < 2 * s->pkt.len)
        c = 2 * s->pkt.len;
    return c;
}

static int rsrc_configure(pl_element *e, pl_error *err)
{
    rsrc_state *s = PL_STATE(e, rsrc_state);
    if (pl_source_data_make(e, &s->data, s->length, &s->pkt, err))
        return err->status;
    if (s->bandwidth > 0)
        s->rate = s->bandwidth / (s->pkt.len ? s->pkt.len : 1);
    pl_tb_assign(&s->tb, (uint64_t)s->rate, capacity(s, s->rate));
    pl_tb_set(&s->tb, 1);
    s->applied = s->rate;
    return 0;
}

static int rsrc_initialize(pl_element *e, pl_error *err)
{
    rsrc_state *s = PL_STATE(e, rsrc_state);
    s->tb.time = pl_engine_now_ns(e->eng);
    pl_timer_init(&s->timer, e, pl_timer_wake_task, NULL);
    pl_notifier_init(&s->note, 1);
    if (pl_output_is_pull(e, 0)) {
        e->no_task = 1;
        return pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->note, 0, err);
    }
    return 0;
}

static void rsrc_cleanup(pl_element *e) { free(PL_STATE(e, rsrc_state)->pkt.bytes); }

static uint64_t sent(pl_element *e)
{
    return pl_counter_total(e, C_SENT) - atomic_load(&PL_STATE(e, rsrc_state)->reset_base);
}

/* How many packets may go now (0: none), following a live RATE. */
static uint64_t allowed(pl_element *e, rsrc_state *s, uint64_t want, uint64_t now)
{
    double r = PL_LIVE_D(s->rate);
    if (r != s->applied) {
        pl_tb_assign_adjust(&s->tb, (uint64_t)r, capacity(s, r));
        s->applied = r;
    }
    int64_t limit = PL_LIVE(s->limit);
    if (limit >= 0) {
        uint64_t done = sent(e);
        if (done >= (uint64_t)limit) {
            if (s->stop && !atomic_exchange(&s->stopped, 1))
                pl_engine_request_stop(e->eng);
            return 0;
        }
        if (want > (uint64_t)limit - done)
            want = (uint64_t)limit - done;
    }
    pl_tb_refill(&s->tb, now);
    uint64_t have = pl_tb_size(&s->tb);
    return have < want ? have : want;
}

/* Tokens in the bucket, with their fraction: the packets due and not sent. */
static double backlog(const rsrc_state *s) { return (double)s->tb.tokens / (double)s->tb.scale; }

/* How long (ns) the oldest packet due has waited: the bucket held one token
 * then; negative while no whole packet is due. */
static double oldest_age(const rsrc_state *s)
{
    return s->applied > 0 ? (backlog(s) - 1) * 1e9 / s->applied : 0;
}

/* Engine timestamps on: each packet's first timestamp is the time it was due
 * (the token for it completed), not the time its batch left, so that the
 * latency a batch's wait adds (BURST / RATE at most) is measured. */
static void stamp_due(pl_ctx *ctx, const rsrc_state *s, pl_packet *b, double tokens)
{
    uint64_t now = pl_engine_realtime_ns(ctx->eng);
    double gap = s->applied > 0 ? 1e9 / s->applied : 0;
    double i = 0;
    for (pl_packet *p = b; p; p = p->next, i++) {
        double back = (tokens - 1 - i) * gap;
        uint64_t t = back > 0 && back < (double)now ? now - (uint64_t)back : now;
        memcpy(p->anno + PL_ANNO_FIRST_TIMESTAMP, &t, 8);
    }
}

static uint32_t rsrc_run(pl_element *e, pl_ctx *ctx)
{
    rsrc_state *s = PL_STATE(e, rsrc_state);
    if (!PL_LIVE(s->active)) {
        pl_task_sleep(e);
        return 0;
    }
    uint64_t burst = ctx->per_packet ? 1 : PL_LIVE(s->burst);
    uint64_t n = allowed(e, s, burst, pl_engine_now_ns(e->eng));
    int64_t limit = PL_LIVE(s->limit);
    uint64_t left = limit < 0 ? UINT64_MAX : (uint64_t)limit - sent(e);
    if (!left) {
        pl_task_sleep(e);              /* LIMIT: reset or a larger limit wakes it */
        return 0;
    }
    /* Above 50k packets/s a batch waits for BURST tokens (or the bucket's
     * size): fewer, fuller batches; below, each packet goes when due. */
    uint64_t cap = capacity(s, s->applied);
    uint64_t want = s->applied > 50000 ? (burst < cap ? burst : cap) : 1;
    if (want > left)
        want = left;
    if (n < want) {
        uint64_t wait = pl_tb_time_until(&s->tb, want);
        /* TIMEOUT: a partial batch goes once its oldest packet waited that long. */
        double to = PL_LIVE_D(s->timeout) * 1e9, age = oldest_age(s);
        if (to > 0 && n >= 1 && age >= to)
            goto send;
        if (to > 0) {
            double w = n >= 1 ? to - age : (double)pl_tb_time_until(&s->tb, 1) + to;
            if (w < (double)wait)
                wait = (uint64_t)w + 1;
        }
        if (wait > 20000) {            /* more than 20 us: sleep on the timer */
            pl_timer_schedule_after(&s->timer, wait);
            pl_task_sleep(e);
        }
        return 0;
    }
send:;
    double tokens = backlog(s);
    pl_packet *b = pl_source_batch(ctx, &s->pkt, (uint32_t)n, pl_engine_realtime_ns(e->eng));
    if (!b) {
        pl_count(ctx, e, C_NOBUFS, 1);
        return 0;
    }
    if (__builtin_expect(pl_timestamps_on(ctx), 0))
        stamp_due(ctx, s, b, tokens);
    pl_tb_remove(&s->tb, b->b_count);
    pl_count(ctx, e, C_SENT, b->b_count);
    uint32_t got = b->b_count;
    pl_output_source(ctx, e, 0, b);
    return got;
}

static pl_packet *rsrc_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    rsrc_state *s = PL_STATE(e, rsrc_state);
    if (!PL_LIVE(s->active)) {
        pl_notifier_sleep(&s->note);
        return NULL;
    }
    uint64_t n = allowed(e, s, max, pl_engine_now_ns(e->eng));
    if (!n)
        return NULL;
    double tokens = backlog(s);
    pl_packet *b = pl_source_batch(ctx, &s->pkt, (uint32_t)n, pl_engine_realtime_ns(e->eng));
    if (!b) {
        pl_count(ctx, e, C_NOBUFS, 1);
        return NULL;
    }
    if (__builtin_expect(pl_timestamps_on(ctx), 0))
        stamp_due(ctx, s, b, tokens);
    pl_tb_remove(&s->tb, b->b_count);
    pl_count(ctx, e, C_SENT, b->b_count);
    return b;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)sent(e));
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    rsrc_state *s = PL_STATE(e, rsrc_state);
    atomic_store(&s->reset_base, pl_counter_total(e, C_SENT));
    atomic_store(&s->stopped, 0);
    pl_task_wake(e);
    pl_notifier_wake(&s->note);
    return 0;
}

static int write_active(pl_element *e, const char *v, pl_error *err)
{
    uint8_t b;
    if (pl_parse_bool(v, &b))
        return pl_seterr(err, PL_ERR_HANDLER, e, "active", "syntax error");
    __atomic_store_n(&PL_STATE(e, rsrc_state)->active, b, __ATOMIC_RELAXED);
    pl_task_wake(e);
    if (b)
        pl_notifier_wake(&PL_STATE(e, rsrc_state)->note);
    return 0;
}

static int read_active(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", PL_LIVE(PL_STATE(e, rsrc_state)->active) ? "true" : "false");
}

static const pl_param params[] = {
    {"DATA", PL_T_DATA, offsetof(rsrc_state, data), "", 0, -1, PL_P_POSITIONAL, "packet data"},
    {"RATE", PL_T_REAL, offsetof(rsrc_state, rate), "10", 0, 1e9, PL_P_POSITIONAL | PL_P_LIVE,
     "packets per second"},
    {"LIMIT", PL_T_INT, offsetof(rsrc_state, limit), "-1", -1, 9.2e18, PL_P_POSITIONAL | PL_P_LIVE,
     "packets to send, -1 for no limit"},
    {"ACTIVE", PL_T_BOOL, offsetof(rsrc_state, active), "true", 0, -1, PL_P_POSITIONAL | PL_P_LIVE,
     "whether it sends"},
    {"LENGTH", PL_T_INT, offsetof(rsrc_state, length), "-1", -1, PL_BUFSIZE - PL_HEADROOM, 0,
     "packet length (-1: DATA's)"},
    {"STOP", PL_T_BOOL, offsetof(rsrc_state, stop), "false", 0, -1, 0,
     "stop the engine once LIMIT packets are sent"},
    {"BANDWIDTH", PL_T_BANDWIDTH, offsetof(rsrc_state, bandwidth), "0", 0, -1, 0,
     "set RATE from this bandwidth and the packet length"},
    {"BURST", PL_T_UINT, offsetof(rsrc_state, burst), "32", 1, 4096, PL_P_LIVE,
     "packets per batch at most (per-packet mode: 1)"},
    {"TIMEOUT", PL_T_TIME, offsetof(rsrc_state, timeout), "0", 0, 3600, PL_P_LIVE,
     "above 50k packets/s, a partial batch goes once its oldest packet waited this long "
     "(0: it waits for BURST packets)"},
    {0}};

static const pl_handler handlers[] = {
    {"count", "packets sent since the last reset", read_count, NULL},
    {"reset", "reset the count (LIMIT starts again)", NULL, write_reset},
    {"active", "whether it sends", read_active, write_active},
    {0}};

static const pl_class rated_source = {
    .name = "RatedSource",
    .ports = "0/1",
    .processing = "a/a",
    .doc = "RatedSource([DATA, RATE, LIMIT, ACTIVE, KEYWORDS])\n"
           "Generates packets at a given rate.\n\n"
           "Sends packets of DATA (or LENGTH bytes of it, repeated) at RATE packets\n"
           "per second (default 10), at most LIMIT of them (-1: forever); STOP true\n"
           "stops the engine then. A token bucket on the engine clock holds 10 ms of\n"
           "packets, as Click's, so the rate holds over time however late the task\n"
           "runs. Above 50k packets/s packets go in batches of up to BURST; below,\n"
           "each when due. A batch waits for BURST packets, so the first of it waits\n"
           "up to BURST / RATE; with TIMEOUT, a partial batch goes once its oldest\n"
           "packet waited TIMEOUT (the latency bound at low rate, as a NIC's\n"
           "interrupt moderation). Between packets the task sleeps on a timer.\n"
           "Pulled (agnostic output), each pull gets the packets due. Packets carry\n"
           "the time they were made as their timestamp; with Engine(timestamps=True)\n"
           "their first timestamp is the time each was due (the offered load's\n"
           "arrivals), which LatencyHistogram reads. RATE, BURST and TIMEOUT are live.\n"
           "Counters: sent, nobufs.\n\n"
           "Example: RatedSource(LENGTH 64, RATE 1000) -> Counter -> ToDevice(eth0);",
    .state_size = sizeof(rsrc_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .configure = rsrc_configure,
    .initialize = rsrc_initialize,
    .cleanup = rsrc_cleanup,
    .run_task = rsrc_run,
    .pull = rsrc_pull,
    .sources = PL_S_SOURCE,
};
PL_REGISTER_CLASS(rated_source);
