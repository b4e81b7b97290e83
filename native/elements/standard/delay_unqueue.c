/* DelayUnqueue: pulls packets and pushes each DELAY after its timestamp (Click's). */
#include "../../core/element.h"
#include "../../lib/timestamp.h"

/* Packets still held when the element goes away (a drop reason). */
enum { C_CLEARED };
static const char *const counters[] = {"cleared", NULL};

typedef struct {
    double delay;                 /* seconds, live */
    pl_packet *p;                 /* the packet waiting for its time */
    pl_timer timer;
    pl_signal_slot upstream;
} du_state;

static void wake(pl_timer *t, pl_ctx *ctx)
{
    (void)ctx;
    pl_task_wake(t->owner);
}

static int du_initialize(pl_element *e, pl_error *err)
{
    du_state *s = PL_STATE(e, du_state);
    pl_timer_init(&s->timer, e, wake, NULL);
    return pl_listen(e, PL_NOTE_EMPTY, 0, &s->upstream, pl_task_wake, err);
}

static void du_cleanup(pl_element *e)
{
    du_state *s = PL_STATE(e, du_state);
    if (s->p)
        pl_packet_free_ctl(e, C_CLEARED, s->p);
    s->p = NULL;
}

/* One packet at a time, as Click's: pulled, its timestamp (now if it has
 * none) plus DELAY is its time; it is pushed once that time has come, else
 * the task sleeps until a timer at that time. */
static uint32_t du_run(pl_element *e, pl_ctx *ctx)
{
    du_state *s = PL_STATE(e, du_state);
    uint32_t worked = 0;
    for (;;) {
        int64_t now = (int64_t)pl_engine_realtime_ns(e->eng);
        if (!s->p) {
            pl_packet *b = pl_input_pull(ctx, e, 0, 1);
            if (!b) {
                if (!worked)
                    pl_task_sleep_unless(e, &s->upstream);
                return worked;
            }
            if (b->next) {                /* one asked, one taken; never more */
                pl_batch_free(ctx->pool, b->next);
                b->next = NULL;
            }
            int64_t ts = pl_ts_get(&b->timestamp);
            if (ts / 1000000000 == 0)     /* Click: "if (!timestamp.sec())" */
                ts = now;
            int64_t d;
            if (pl_ts_from_sec_checked(PL_LIVE_D(s->delay), &d))
                d = 0;
            pl_ts_set(&b->timestamp, pl_ts_add(ts, d));
            s->p = b;
        }
        int64_t due = pl_ts_get(&s->p->timestamp);
        if (due > now) {
            pl_timer_schedule_at(&s->timer, pl_engine_now_ns(e->eng) + (uint64_t)(due - now));
            pl_task_sleep(e);
            return worked;
        }
        pl_packet *p = s->p;
        s->p = NULL;
        p->b_count = 1, p->b_tail = p, p->b_bytes = p->len;
        worked++;
        pl_output(ctx, e, 0, p);
    }
}

static const pl_param params[] = {
    {"DELAY", PL_T_TIME, offsetof(du_state, delay), NULL, 0, 4e9,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE, "how long after its timestamp a packet leaves"},
    {0}};

static const pl_class delay_unqueue = {
    .name = "DelayUnqueue",
    .ports = "1/1",
    .processing = "l/h",
    .doc = "DelayUnqueue(DELAY)\n"
           "Pulls packets and pushes each DELAY after its timestamp.\n\n"
           "Its task pulls one packet at a time from its input and pushes it out once\n"
           "the time is its timestamp plus DELAY (a packet without a timestamp is\n"
           "stamped when pulled); its timestamp becomes that time. Meanwhile the task\n"
           "sleeps until a timer (on the engine clock: --simtime makes it virtual) or,\n"
           "when nothing is upstream, until a packet arrives: Click's DelayUnqueue.\n"
           "Handlers: delay (rw).\n"
           "Counters (drops): cleared (held when it went away).\n\n"
           "Example: src -> SetTimestamp -> Queue -> DelayUnqueue(50ms) -> sink;",
    .state_size = sizeof(du_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .initialize = du_initialize,
    .cleanup = du_cleanup,
    .run_task = du_run,
    .sources = PL_S_NONE,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(delay_unqueue);
