/* DelayShaper: a pulled packet leaves DELAY after its timestamp (Click's). */
#include "../../core/element.h"
#include "../../lib/timestamp.h"

/* Packets still held when the element goes away (a drop reason). */
enum { C_CLEARED };
static const char *const counters[] = {"cleared", NULL};

typedef struct {
    double delay;                 /* seconds, live */
    pl_packet *p;                 /* the packet waiting for its time */
    pl_timer timer;
    pl_notifier note;             /* a packet can be pulled (Click's empty notifier) */
    pl_signal_slot upstream;
} dsh_state;

static void wake_note(pl_timer *t, pl_ctx *ctx)
{
    (void)ctx;
    pl_notifier_wake(&PL_STATE(t->owner, dsh_state)->note);
}

static void wake_self(pl_element *e) { pl_notifier_wake(&PL_STATE(e, dsh_state)->note); }

static int dsh_initialize(pl_element *e, pl_error *err)
{
    dsh_state *s = PL_STATE(e, dsh_state);
    pl_timer_init(&s->timer, e, wake_note, NULL);
    pl_notifier_init(&s->note, 1);
    if (pl_listen(e, PL_NOTE_EMPTY, 0, &s->upstream, wake_self, err))
        return err->status;
    return pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->note, 0, err);
}

static void dsh_cleanup(pl_element *e)
{
    dsh_state *s = PL_STATE(e, dsh_state);
    if (s->p)
        pl_packet_free_ctl(e, C_CLEARED, s->p);
    s->p = NULL;
}

/* One packet per pull, as Click's: the held packet once its time has come
 * (its timestamp becomes now), else nothing until the timer wakes the
 * notifier. A packet without a timestamp is stamped when it is pulled. */
static pl_packet *dsh_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    (void)port, (void)max;
    dsh_state *s = PL_STATE(e, dsh_state);
    int64_t now = (int64_t)pl_engine_realtime_ns(e->eng);
    if (!s->p) {
        pl_packet *b = pl_input_pull(ctx, e, 0, 1);
        if (b) {
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
    }
    if (s->p) {
        int64_t due = pl_ts_get(&s->p->timestamp);
        if (due <= now) {
            pl_packet *p = s->p;
            s->p = NULL;
            pl_ts_set(&p->timestamp, now);
            p->b_count = 1, p->b_tail = p, p->b_bytes = p->len;
            return p;
        }
        uint64_t steady = pl_engine_now_ns(e->eng);
        pl_timer_schedule_at(&s->timer, steady + (uint64_t)(due - now));
        pl_notifier_sleep(&s->note);
    } else if (!pl_signal_active(pl_signal_get(&s->upstream))) {
        pl_notifier_sleep(&s->note);
    }
    return NULL;
}

static const pl_param params[] = {
    {"DELAY", PL_T_TIME, offsetof(dsh_state, delay), NULL, 0, 4e9,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE, "how long after its timestamp a packet leaves"},
    {0}};

static const pl_class delay_shaper = {
    .name = "DelayShaper",
    .ports = "1/1",
    .processing = "l/l",
    .doc = "DelayShaper(DELAY)\n"
           "Delays pulled packets by DELAY after their timestamps.\n\n"
           "Pulls one packet at a time from its input and holds it until its timestamp\n"
           "plus DELAY (a packet without a timestamp is stamped when pulled), then lets\n"
           "it be pulled, its timestamp set to the time it leaves. While it waits, the\n"
           "element downstream sleeps on its empty notifier, which a timer wakes (on the\n"
           "engine clock: --simtime makes it virtual), as Click's DelayShaper.\n"
           "Handlers: delay (rw).\n\n"
           "Example: src -> SetTimestamp -> Queue -> DelayShaper(50ms) -> Unqueue -> sink;",
    .state_size = sizeof(dsh_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .initialize = dsh_initialize,
    .cleanup = dsh_cleanup,
    .pull = dsh_pull,
    .sources = PL_S_NONE,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(delay_shaper);
