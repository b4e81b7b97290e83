/* RandomSource: generates packets of random bytes (Click's). */
#include "../../lib/random.h"
#include "source.h"

typedef struct {
    int64_t length, limit;
    uint64_t burst;
    uint8_t active, timestamp, stop;
    char *end_call;
    uint64_t rng;
    pl_signal_slot room;          /* push: the queues downstream have room */
    pl_notifier note;             /* pull: it has packets */
    _Atomic uint64_t reset_base;
    _Atomic int ended;
} rnd_state;

enum { C_SENT, C_NOBUFS };
static const char *const counters[] = {"sent", "nobufs", NULL};

static int rnd_configure(pl_element *e, pl_error *err)
{
    rnd_state *s = PL_STATE(e, rnd_state);
    if (s->length < 0 || s->length > PL_BUFSIZE - PL_HEADROOM)
        return pl_seterr(err, PL_ERR_CONFIG, e, "LENGTH", "bad length %lld", (long long)s->length);
    if (s->stop && s->end_call && *s->end_call)
        return pl_seterr(err, PL_ERR_CONFIG, e, "END_CALL", "END_CALL and STOP are mutually exclusive");
    s->rng = pl_rand_seed(NULL, e->name);
    return 0;
}

static int rnd_initialize(pl_element *e, pl_error *err)
{
    rnd_state *s = PL_STATE(e, rnd_state);
    pl_notifier_init(&s->note, 1);
    if (pl_output_is_pull(e, 0)) {
        e->no_task = 1;
        return pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->note, 0, err);
    }
    return pl_listen(e, PL_NOTE_FULL, 0, &s->room, pl_task_wake, err);
}

static uint64_t sent(pl_element *e)
{
    return pl_counter_total(e, C_SENT) - atomic_load(&PL_STATE(e, rnd_state)->reset_base);
}

static pl_packet *make(pl_element *e, rnd_state *s, uint64_t want, pl_ctx *ctx)
{
    int64_t limit = PL_LIVE(s->limit);
    if (limit >= 0) {
        uint64_t done = sent(e);
        if (done >= (uint64_t)limit) {
            if (!atomic_exchange(&s->ended, 1)) {
                if (s->end_call && *s->end_call)
                    pl_handler_call(e, s->end_call, 1, NULL, 0, NULL);
                else if (s->stop)
                    pl_engine_request_stop(e->eng);
            }
            return NULL;
        }
        if (want > (uint64_t)limit - done)
            want = (uint64_t)limit - done;
    }
    pl_packet *b = NULL;
    uint64_t ts = s->timestamp ? pl_engine_realtime_ns(e->eng) : 0;
    for (uint64_t i = 0; i < want; i++) {
        pl_packet *p = pl_packet_alloc(ctx->pool);
        if (!p) {
            pl_count(ctx, e, C_NOBUFS, 1);
            break;
        }
        p->len = (uint32_t)s->length;
        for (uint32_t k = 0; k < p->len; k += 8) {
            uint64_t r = pl_rand_next(&s->rng);
            memcpy(p->data + k, &r, p->len - k < 8 ? p->len - k : 8);
        }
        p->mac_off = PL_HEADROOM;
        p->timestamp = ts;
        pl_batch_append(&b, p);
    }
    if (b)
        pl_count(ctx, e, C_SENT, b->b_count);
    return b;
}

static uint32_t rnd_run(pl_element *e, pl_ctx *ctx)
{
    rnd_state *s = PL_STATE(e, rnd_state);
    if (!PL_LIVE(s->active)) {
        pl_task_sleep(e);
        return 0;
    }
    if (!pl_signal_active(pl_signal_get(&s->room)) && pl_task_sleep_unless(e, &s->room))
        return 0;
    uint64_t want = PL_LIVE(s->burst), room = pl_signal_room(pl_signal_get(&s->room));
    if (room < want)
        want = room ? room : 1;
    pl_packet *b = make(e, s, want, ctx);
    if (!b) {
        if (atomic_load(&s->ended))
            pl_task_sleep(e);
        return 0;
    }
    uint32_t n = b->b_count;
    pl_output_source(ctx, e, 0, b);
    return n;
}

static pl_packet *rnd_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    rnd_state *s = PL_STATE(e, rnd_state);
    pl_packet *b = PL_LIVE(s->active) ? make(e, s, max, ctx) : NULL;
    if (!b && (!PL_LIVE(s->active) || atomic_load(&s->ended)))
        pl_notifier_sleep(&s->note);
    return b;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)sent(e));
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    rnd_state *s = PL_STATE(e, rnd_state);
    atomic_store(&s->reset_base, pl_counter_total(e, C_SENT));
    atomic_store(&s->ended, 0);
    pl_task_wake(e);
    pl_notifier_wake(&s->note);
    return 0;
}

static const pl_param params[] = {
    {"LENGTH", PL_T_INT, offsetof(rnd_state, length), NULL, -1, 65535,
     PL_P_POSITIONAL | PL_P_REQUIRED, "packet length"},
    {"LIMIT", PL_T_INT, offsetof(rnd_state, limit), "-1", -1, 9.2e18, PL_P_POSITIONAL | PL_P_LIVE,
     "packets to send, -1 for no limit"},
    {"BURST", PL_T_UINT, offsetof(rnd_state, burst), "1", 1, 4096, PL_P_POSITIONAL | PL_P_LIVE,
     "packets per run (a batch)"},
    {"ACTIVE", PL_T_BOOL, offsetof(rnd_state, active), "true", 0, -1, PL_P_POSITIONAL | PL_P_LIVE,
     "whether it sends"},
    {"TIMESTAMP", PL_T_BOOL, offsetof(rnd_state, timestamp), "true", 0, -1, 0,
     "set the timestamp annotation"},
    {"STOP", PL_T_BOOL, offsetof(rnd_state, stop), "false", 0, -1, 0,
     "stop the engine once LIMIT packets are sent"},
    {"END_CALL", PL_T_STRING, offsetof(rnd_state, end_call), "", 0, -1, 0,
     "write handler called once LIMIT packets are sent"},
    {0}};

static const pl_handler handlers[] = {
    {"count", "packets sent since the last reset", read_count, NULL},
    {"reset", "reset the count (LIMIT starts again)", NULL, write_reset},
    {0}};

static const pl_class random_source = {
    .name = "RandomSource",
    .ports = "0/1",
    .processing = "a/a",
    .doc = "RandomSource(LENGTH [, LIMIT, BURST, ACTIVE, KEYWORDS])\n"
           "Generates packets of random bytes.\n\n"
           "Each run pushes BURST packets (a batch) of LENGTH random bytes, timestamped,\n"
           "until LIMIT packets were sent; then END_CALL is called or, with STOP true,\n"
           "the engine stops. It sleeps while the queues it feeds are full (their full\n"
           "notifiers). Pulled, it makes the packets asked for. The generator is seeded\n"
           "from the element's name (repeatable runs).\n"
           "Counters: sent, nobufs.\n\n"
           "Example: RandomSource(64) -> Queue -> ...",
    .state_size = sizeof(rnd_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .configure = rnd_configure,
    .initialize = rnd_initialize,
    .run_task = rnd_run,
    .pull = rnd_pull,
    .sources = PL_S_SOURCE,
};
PL_REGISTER_CLASS(random_source);
