/* TimedSource: pushes a packet every INTERVAL (Click's). */
#include "source.h"

typedef struct {
    double interval;
    pl_bytes data;
    int64_t limit;
    uint8_t active, stop;
    uint64_t headroom;
    pl_source_data pkt;
    pl_timer timer;
    uint64_t next;                /* when the next packet is due (engine clock) */
    _Atomic uint64_t reset_base;
    _Atomic int stopped;
} tsrc_state;

enum { C_SENT, C_NOBUFS };
static const char *const counters[] = {"sent", "nobufs", NULL};

static int tsrc_configure(pl_element *e, pl_error *err)
{
    tsrc_state *s = PL_STATE(e, tsrc_state);
    if (s->interval <= 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "INTERVAL", "bad interval");
    return pl_source_data_make(e, &s->data, -1, &s->pkt, err);
}

static int tsrc_initialize(pl_element *e, pl_error *err)
{
    tsrc_state *s = PL_STATE(e, tsrc_state);
    pl_timer_init(&s->timer, e, pl_timer_wake_task, NULL);
    s->next = pl_engine_now_ns(e->eng) + (uint64_t)(s->interval * 1e9);
    pl_timer_schedule_at(&s->timer, s->next);
    atomic_store(&e->sched, 0);       /* the timer wakes it */
    return 0;
}

static void tsrc_cleanup(pl_element *e) { free(PL_STATE(e, tsrc_state)->pkt.bytes); }

static uint64_t sent(pl_element *e)
{
    return pl_counter_total(e, C_SENT) - atomic_load(&PL_STATE(e, tsrc_state)->reset_base);
}

/* Woken by its timer (or a handler): one packet if due, then sleep until
 * the next. The timer wakes the task so that the packet is pushed from the
 * element's own worker. */
static uint32_t tsrc_run(pl_element *e, pl_ctx *ctx)
{
    tsrc_state *s = PL_STATE(e, tsrc_state);
    pl_task_sleep(e);
    if (!PL_LIVE(s->active))
        return 0;
    uint64_t now = pl_engine_now_ns(e->eng);
    if (now < s->next) {
        pl_timer_schedule_at(&s->timer, s->next);
        return 0;
    }
    int64_t limit = PL_LIVE(s->limit);
    if (limit >= 0 && sent(e) >= (uint64_t)limit) {
        if (s->stop && !atomic_exchange(&s->stopped, 1))
            pl_engine_request_stop(e->eng);
        return 0;
    }
    pl_packet *b = pl_source_batch(ctx, &s->pkt, 1, pl_engine_realtime_ns(e->eng));
    s->next = now + (uint64_t)(PL_LIVE_D(s->interval) * 1e9);
    pl_timer_schedule_at(&s->timer, s->next);
    if (!b) {
        pl_count(ctx, e, C_NOBUFS, 1);
        return 0;
    }
    pl_count(ctx, e, C_SENT, 1);
    pl_output(ctx, e, 0, b);
    return 1;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)sent(e));
}

/* Click: reset, and an active source whose timer is not running, go now. */
static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    tsrc_state *s = PL_STATE(e, tsrc_state);
    atomic_store(&s->reset_base, pl_counter_total(e, C_SENT));
    atomic_store(&s->stopped, 0);
    pl_task_wake(e);
    return 0;
}

static const pl_param params[] = {
    {"INTERVAL", PL_T_TIME, offsetof(tsrc_state, interval), "0.5", 0, -1,
     PL_P_POSITIONAL | PL_P_LIVE, "time between packets"},
    {"DATA", PL_T_DATA, offsetof(tsrc_state, data), "", 0, -1, PL_P_POSITIONAL, "packet data"},
    {"LIMIT", PL_T_INT, offsetof(tsrc_state, limit), "-1", -1, 9.2e18, PL_P_LIVE,
     "packets to send, -1 for no limit"},
    {"ACTIVE", PL_T_BOOL, offsetof(tsrc_state, active), "true", 0, -1, PL_P_LIVE,
     "whether it sends"},
    {"STOP", PL_T_BOOL, offsetof(tsrc_state, stop), "false", 0, -1, 0,
     "stop the engine once LIMIT packets are sent"},
    {"HEADROOM", PL_T_UINT, offsetof(tsrc_state, headroom), "128", 0, 128, 0,
     "headroom of the packets (pktlab's buffers always have 128 bytes)"},
    {0}};

static const pl_handler handlers[] = {
    {"count", "packets sent since the last reset", read_count, NULL},
    {"reset", "reset the count (LIMIT starts again)", NULL, write_reset},
    {0}};

static const pl_class timed_source = {
    .name = "TimedSource",
    .ports = "0/1",
    .processing = "a/h",
    .doc = "TimedSource([INTERVAL, DATA, KEYWORDS])\n"
           "Pushes a packet every INTERVAL.\n\n"
           "Every INTERVAL (default 500 ms) a timer wakes it and it pushes one packet\n"
           "of DATA, timestamped, until LIMIT packets were sent (-1: forever); STOP\n"
           "true then stops the engine. Between packets it costs nothing. INTERVAL and\n"
           "ACTIVE are live; reset starts the count again.\n"
           "Counters: sent, nobufs.\n\n"
           "Example: TimedSource(0.1) -> Print(tick) -> Discard;",
    .state_size = sizeof(tsrc_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .configure = tsrc_configure,
    .initialize = tsrc_initialize,
    .cleanup = tsrc_cleanup,
    .run_task = tsrc_run,
    .sources = PL_S_SOURCE,
};
PL_REGISTER_CLASS(timed_source);
