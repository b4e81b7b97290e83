/* ReplayUnqueue (FastClick's): preloads its input's packets, then pushes
 * clones of them STOP times, as fast as it can or at TIMING percent of
 * their timestamps' pace. */
#include "../../core/element.h"
#include "../../lib/timestamp.h"

typedef struct {
    int64_t stop;                 /* loops left; -1: forever; live */
    int64_t stop_time;            /* seconds; 0: no time limit */
    uint8_t quick_clone;          /* accepted: clones always share data here */
    uint64_t burst;
    uint8_t verbose;
    uint8_t freeonterminate;
    int64_t limit;                /* packets to preload; -1: all */
    uint8_t active;               /* live */
    uint8_t use_signal;
    uint64_t timing;              /* percent of the trace's pace; 0: full speed; live */
    char *timing_fnt;
    /* the task's own */
    pl_packet *head, *tail, *cur;
    uint64_t nloaded;
    int64_t t_pkt, t_real;        /* the pace's origin: a packet's timestamp, its send time */
    int64_t started;              /* first send (STOP_TIME), 0: not yet */
    _Atomic int loaded;
    _Atomic int reset;            /* written by the reset handler, done by the task */
    _Atomic int ended;
    pl_signal_slot signal;
    pl_timer timer;
} ru_state;

/* freed: loaded packets freed when the replay ends, resets or goes (a drop reason). */
enum { C_FREED, C_COUNT, C_LOADED, C_NOBUFS };
static const char *const counters[] = {"freed", "count", "loaded", "nobufs", NULL};

static void ru_wake(pl_timer *t, pl_ctx *ctx)
{
    (void)ctx;
    pl_task_wake(t->owner);
}

static int ru_configure(pl_element *e, pl_error *err)
{
    ru_state *s = PL_STATE(e, ru_state);
    if (s->timing_fnt && *s->timing_fnt && strcmp(s->timing_fnt, "@0") != 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "TIMING_FNT",
                         "TIMING_FNT expressions (\"%s\") are not supported by pktlab; "
                         "only \"\" and \"@0\" (constant TIMING)",
                         s->timing_fnt);
    return 0;
}

static int ru_initialize(pl_element *e, pl_error *err)
{
    ru_state *s = PL_STATE(e, ru_state);
    pl_timer_init(&s->timer, e, ru_wake, NULL);
    return pl_listen(e, PL_NOTE_EMPTY, 0, &s->signal, pl_task_wake, err);
}

static void ru_free_all(pl_element *e, pl_ctx *ctx)
{
    ru_state *s = PL_STATE(e, ru_state);
    pl_packet *p = s->head;
    while (p) {
        pl_packet *next = p->next;
        if (ctx) {
            pl_packet_free(ctx->pool, p);
            pl_count(ctx, e, C_FREED, 1);
        } else
            pl_packet_free_ctl(e, C_FREED, p);
        p = next;
    }
    s->head = s->tail = s->cur = NULL;
    s->nloaded = 0;
    atomic_store(&s->loaded, 0);
}

static void ru_cleanup(pl_element *e)
{
    ru_free_all(e, NULL);
}

static void ru_set_origin(ru_state *s, pl_element *e)
{
    if (s->cur)
        s->t_pkt = pl_ts_get(&s->cur->timestamp);
    s->t_real = (int64_t)pl_now_ns();
    if (!s->started)
        s->started = s->t_real ? s->t_real : 1;
    (void)e;
}

/* Pull until the input runs dry (or LIMIT). 1: loaded; 0: nothing yet. */
static int ru_load(pl_element *e, pl_ctx *ctx)
{
    ru_state *s = PL_STATE(e, ru_state);
    for (;;) {
        if (s->limit >= 0 && s->nloaded >= (uint64_t)s->limit)
            break;
        uint32_t want = 256;
        if (s->limit >= 0 && (uint64_t)s->limit - s->nloaded < want)
            want = (uint32_t)((uint64_t)s->limit - s->nloaded);
        pl_packet *b = pl_input_pull(ctx, e, 0, want);
        if (!b) {
            /* USE_SIGNAL: the upstream still has packets coming; wait for them. */
            if (!s->nloaded || (s->use_signal && pl_signal_active(pl_signal_get(&s->signal)))) {
                pl_task_sleep_unless(e, &s->signal);
                return 0;
            }
            break;
        }
        uint32_t n = b->b_count;
        pl_packet *last = b->b_tail;
        if (s->tail)
            s->tail->next = b;
        else
            s->head = b;
        s->tail = last;
        s->tail->next = NULL;
        s->nloaded += n;
        pl_count(ctx, e, C_LOADED, n);
    }
    atomic_store(&s->loaded, 1);
    s->cur = s->head;
    ru_set_origin(s, e);
    if (PL_LIVE(s->verbose))
        pl_log(e->eng, "%s :: ReplayUnqueue: loaded %llu packets", PL_NAME(e),
               (unsigned long long)s->nloaded);
    return 1;
}

static void ru_end(pl_element *e)
{
    ru_state *s = PL_STATE(e, ru_state);
    __atomic_store_n(&s->active, 0, __ATOMIC_RELAXED);
    s->started = 0;
    if (!atomic_exchange(&s->ended, 1))
        pl_engine_request_stop(e->eng);
    pl_task_sleep(e);
}

static int ru_time_out(ru_state *s)
{
    return s->stop_time > 0 && s->started &&
           ((int64_t)pl_now_ns() - s->started) / 1000000000 >= s->stop_time;
}

/* The end of the list: rewind, count a loop. */
static void ru_loop_end(pl_element *e)
{
    ru_state *s = PL_STATE(e, ru_state);
    s->cur = s->head;
    int64_t stop = PL_LIVE(s->stop);
    if (ru_time_out(s))
        stop = 0;
    else if (stop > 0)
        stop--;
    __atomic_store_n(&s->stop, stop, __ATOMIC_RELAXED);
    ru_set_origin(s, e);
}

static uint32_t ru_run(pl_element *e, pl_ctx *ctx)
{
    ru_state *s = PL_STATE(e, ru_state);
    if (atomic_exchange(&s->reset, 0))
        ru_free_all(e, ctx);
    if (!PL_LIVE(s->active)) {
        pl_task_sleep(e);             /* writing active wakes it */
        return 0;
    }
    if (!atomic_load(&s->loaded) && !ru_load(e, ctx))
        return 0;
    if (PL_LIVE(s->stop) == 0 || !s->head) {
        ru_end(e);
        return 0;
    }
    atomic_store(&s->ended, 0);
    uint64_t timing = PL_LIVE(s->timing);
    uint64_t burst = PL_LIVE(s->burst);
    pl_packet *out = NULL;
    uint32_t n = 0;
    int64_t now = timing ? (int64_t)pl_now_ns() : 0;
    while (s->cur && n < burst) {
        pl_packet *p = s->cur;
        if (timing) {
            int64_t due = (pl_ts_get(&p->timestamp) - s->t_pkt) * 100 / (int64_t)timing;
            int64_t wait = due - (now - s->t_real);
            if (wait > 0) {
                if (out)
                    break;
                pl_timer_schedule_at(&s->timer, pl_engine_now_ns(e->eng) + (uint64_t)wait);
                pl_task_sleep(e);
                return 0;
            }
        }
        pl_packet *q;
        int last_loop = PL_LIVE(s->stop) == 1 && !s->freeonterminate;
        if (last_loop) {
            /* The last loop gives the originals away (FREEONTERMINATE false). */
            s->cur = p->next;
            s->head = s->cur;
            if (!s->head)
                s->tail = NULL;
            q = p;
        } else {
            q = pl_packet_clone(ctx->pool, p);
            if (!q) {
                pl_count(ctx, e, C_NOBUFS, 1);
                break;
            }
            s->cur = p->next;
        }
        pl_batch_append(&out, q);
        n++;
    }
    if (out) {
        pl_count(ctx, e, C_COUNT, n);
        pl_output(ctx, e, 0, out);
    }
    if (!s->cur) {
        if (!s->head) {               /* the originals went out on the last loop */
            s->nloaded = 0;
            __atomic_store_n(&s->stop, 0, __ATOMIC_RELAXED);
        } else
            ru_loop_end(e);
        if (PL_LIVE(s->stop) == 0)
            ru_end(e);
    } else if (ru_time_out(s))
        ru_end(e);
    return n;
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    (void)v, (void)err;
    ru_state *s = PL_STATE(e, ru_state);
    atomic_store(&s->reset, 1);
    pl_task_wake(e);
    return 0;
}

static int read_loaded(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", atomic_load(&PL_STATE(e, ru_state)->loaded) ? "true" : "false");
}

static const pl_param params[] = {
    {"STOP", PL_T_INT, offsetof(ru_state, stop), "-1", -1, 2147483647, PL_P_LIVE,
     "loops to replay (-1: forever; 0: none, stop at once)"},
    {"STOP_TIME", PL_T_INT, offsetof(ru_state, stop_time), "0", 0, 2147483647, 0,
     "seconds after which it stops (0: no limit)"},
    {"QUICK_CLONE", PL_T_BOOL, offsetof(ru_state, quick_clone), "false", 0, -1, 0,
     "accepted for FastClick: clones share data in pktlab anyway"},
    {"BURST", PL_T_UINT, offsetof(ru_state, burst), "64", 1, 1u << 20, PL_P_LIVE,
     "packets pushed per run, at most"},
    {"VERBOSE", PL_T_BOOL, offsetof(ru_state, verbose), "false", 0, -1, 0,
     "log the loading"},
    {"FREEONTERMINATE", PL_T_BOOL, offsetof(ru_state, freeonterminate), "true", 0, -1, 0,
     "false: the last loop sends the preloaded packets themselves"},
    {"LIMIT", PL_T_INT, offsetof(ru_state, limit), "-1", -1, 9.2e18, 0,
     "packets to preload, at most (-1: all)"},
    {"ACTIVE", PL_T_BOOL, offsetof(ru_state, active), "true", 0, -1, PL_P_LIVE,
     "whether it loads and replays"},
    {"USE_SIGNAL", PL_T_BOOL, offsetof(ru_state, use_signal), "false", 0, -1, 0,
     "go on loading while the upstream notifier says packets are coming"},
    {"TIMING", PL_T_UINT, offsetof(ru_state, timing), "0", 0, 4294967295.0, PL_P_LIVE,
     "pace, in percent of the timestamps' (0: as fast as possible)"},
    {"TIMING_FNT", PL_T_STRING, offsetof(ru_state, timing_fnt), "", 0, -1, 0,
     "only \"\" or \"@0\" (a constant TIMING)"},
    {0}};

static const pl_handler handlers[] = {
    {"loaded", "whether the packets are loaded", read_loaded, NULL},
    {"reset", "free the loaded packets: the next run loads again", NULL, write_reset},
    {0}};

static const pl_class replay_unqueue = {
    .name = "ReplayUnqueue",
    .ports = "1/1",
    .processing = "l/h",
    .doc = "ReplayUnqueue([KEYWORDS])\n"
           "Preloads packets, then replays them, pull to push (FastClick's).\n\n"
           "Its task first pulls packets from its input until the input gives none\n"
           "(or LIMIT packets), keeping them in memory; it waits for the first packet\n"
           "if there is none yet. Then it pushes clones of them (sharing their data),\n"
           "BURST per run, from the first to the last, STOP times, as fast as it can\n"
           "or, with TIMING > 0, at TIMING percent of the pace their timestamps give\n"
           "(100: the trace's own pace; 200: twice as fast). When the loops are done,\n"
           "or STOP_TIME seconds after the first packet went out, it stops the\n"
           "engine (as Click's please_stop_driver: a DriverManager steps) and becomes\n"
           "inactive. STOP 0 replays nothing and stops at once, as FastClick.\n\n"
           "Keywords: STOP (integer, -1 forever, default -1), STOP_TIME (seconds, 0),\n"
           "QUICK_CLONE (accepted, no effect: clones always share data here), BURST\n"
           "(64), VERBOSE, FREEONTERMINATE (true; false: the last loop sends the\n"
           "originals), LIMIT (-1), ACTIVE (true), USE_SIGNAL (false), TIMING (0),\n"
           "TIMING_FNT (only \"\" and \"@0\": TinyExpr functions are not supported).\n"
           "Differs from FastClick: one input (FastClick's merges several by timestamp).\n\n"
           "Handlers: active, stop, timing, burst (read/write), loaded (read), reset\n"
           "(write: free the loaded packets; the next run loads again).\n"
           "Counters: freed (loaded packets freed at the end, on reset or at stop: a drop reason),\n"
           "count (packets pushed), loaded, nobufs (clones not made).\n\n"
           "Example: FromDump(trace.pcap, STOP true) -> ReplayUnqueue(STOP 3) -> ToMemory;",
    .state_size = sizeof(ru_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .configure = ru_configure,
    .initialize = ru_initialize,
    .cleanup = ru_cleanup,
    .run_task = ru_run,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(replay_unqueue);
