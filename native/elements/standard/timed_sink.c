/* TimedSink: pulls and drops one packet every INTERVAL (Click's). */
#include "../../core/element.h"

typedef struct {
    double interval;
    pl_timer timer;
    uint64_t next;                /* when the next pull is due (engine clock) */
} tsink_state;

enum { C_COUNT };
static const char *const counters[] = {"count", NULL};

static int tsink_configure(pl_element *e, pl_error *err)
{
    if (PL_STATE(e, tsink_state)->interval <= 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "INTERVAL", "bad interval");
    return 0;
}

static int tsink_initialize(pl_element *e, pl_error *err)
{
    (void)err;
    tsink_state *s = PL_STATE(e, tsink_state);
    pl_timer_init(&s->timer, e, pl_timer_wake_task, NULL);
    s->next = pl_engine_now_ns(e->eng) + (uint64_t)(s->interval * 1e9);
    pl_timer_schedule_at(&s->timer, s->next);
    atomic_store(&e->sched, 0);       /* the timer wakes it */
    return 0;
}

/* Woken by its timer: one pull (Click's run_timer), whatever the queues
 * hold, then sleep until the next interval. */
static uint32_t tsink_run(pl_element *e, pl_ctx *ctx)
{
    tsink_state *s = PL_STATE(e, tsink_state);
    pl_task_sleep(e);
    uint64_t now = pl_engine_now_ns(e->eng);
    if (now < s->next) {
        pl_timer_schedule_at(&s->timer, s->next);
        return 0;
    }
    s->next = now + (uint64_t)(PL_LIVE_D(s->interval) * 1e9);
    pl_timer_schedule_at(&s->timer, s->next);
    pl_packet *b = pl_input_pull(ctx, e, 0, 1);
    if (!b)
        return 0;
    pl_drop_batch(ctx, e, C_COUNT, b);
    return 1;
}

static const pl_param params[] = {
    {"INTERVAL", PL_T_TIME, offsetof(tsink_state, interval), "0.5", 0, -1,
     PL_P_POSITIONAL | PL_P_LIVE, "time between pulls"},
    {0}};

static const pl_class timed_sink = {
    .name = "TimedSink",
    .ports = "1/0",
    .processing = "l/",
    .doc = "TimedSink([INTERVAL])\n"
           "Periodically pulls and drops a packet.\n\n"
           "Every INTERVAL (default 500 ms) a timer wakes it and it pulls one packet\n"
           "from its input and frees it (counted). Between pulls it costs nothing,\n"
           "whatever its queues hold. INTERVAL is live (handler interval).\n"
           "Counters: count.\n\n"
           "Example: Queue -> Shaper(1000) -> TimedSink(1ms);",
    .state_size = sizeof(tsink_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .configure = tsink_configure,
    .initialize = tsink_initialize,
    .run_task = tsink_run,
};
PL_REGISTER_CLASS(timed_sink);
