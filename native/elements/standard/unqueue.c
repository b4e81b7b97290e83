/* Unqueue: pulls packets whenever scheduled and pushes them on (Click's). */
#include "../../core/element.h"

typedef struct {
    uint64_t burst;
    int64_t limit;
    uint8_t active;
    pl_signal_slot signal;
    _Atomic uint64_t reset_base;  /* count at the last reset */
    uint64_t carry;               /* count of the Unqueue this one replaced */
} unqueue_state;

enum { C_COUNT };
static const char *const counters[] = {"count", NULL};

static uint64_t moved(pl_element *e)
{
    unqueue_state *s = PL_STATE(e, unqueue_state);
    return pl_counter_total(e, C_COUNT) + s->carry - atomic_load(&s->reset_base);
}

static int unqueue_initialize(pl_element *e, pl_error *err)
{
    unqueue_state *s = PL_STATE(e, unqueue_state);
    return pl_listen(e, PL_NOTE_EMPTY, 0, &s->signal, pl_task_wake, err);
}

static uint32_t unqueue_run(pl_element *e, pl_ctx *ctx)
{
    unqueue_state *s = PL_STATE(e, unqueue_state);
    if (!PL_LIVE(s->active)) {
        pl_task_sleep(e);              /* writing active wakes it */
        return 0;
    }
    uint64_t want = PL_LIVE(s->burst);
    int64_t limit = PL_LIVE(s->limit);
    if (limit >= 0) {
        uint64_t done = moved(e);
        if (done >= (uint64_t)limit) {
            pl_task_sleep(e);          /* reset or a larger limit wakes it */
            return 0;
        }
        if (want > (uint64_t)limit - done)
            want = (uint64_t)limit - done;
    }
    uint32_t worked = 0;
    while (worked < want) {
        pl_packet *b = pl_input_pull(ctx, e, 0, (uint32_t)(want - worked));
        if (!b) {
            if (!worked)
                pl_task_sleep_unless(e, &s->signal);
            break;
        }
        uint32_t n = b->b_count;
        worked += n;
        pl_count(ctx, e, C_COUNT, n);
        pl_output(ctx, e, 0, b);
    }
    return worked;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)moved(e));
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    unqueue_state *s = PL_STATE(e, unqueue_state);
    atomic_store(&s->reset_base, pl_counter_total(e, C_COUNT) + s->carry);
    pl_task_wake(e);
    return 0;
}

static void unqueue_take_state(pl_element *e, pl_element *old)
{
    PL_STATE(e, unqueue_state)->carry = moved(old);
}

static const pl_param params[] = {
    {"BURST", PL_T_UINT, offsetof(unqueue_state, burst), "32", 1, 1u << 20,
     PL_P_POSITIONAL | PL_P_LIVE, "packets pulled per run, at most"},
    {"ACTIVE", PL_T_BOOL, offsetof(unqueue_state, active), "true", 0, -1, PL_P_LIVE,
     "whether it pulls"},
    {"LIMIT", PL_T_INT, offsetof(unqueue_state, limit), "-1", -1, 9.2e18, PL_P_LIVE,
     "packets to move in all (since the last reset), -1 for no limit"},
    {0}};

static const pl_handler handlers[] = {
    {"count", "packets moved since the last reset", read_count, NULL},
    {"reset", "reset the count (and go on if LIMIT stopped it)", NULL, write_reset},
    {"reset_counts", "reset the count", NULL, write_reset},
    {0}};

static const pl_class unqueue = {
    .name = "Unqueue",
    .ports = "1/1",
    .processing = "l/h",
    .doc = "Unqueue([BURST, KEYWORDS])\n"
           "Pulls packets whenever scheduled and pushes them out.\n\n"
           "Its task pulls up to BURST packets from its input as one batch (in the\n"
           "engine's per-packet mode, one at a time, as Click does) and pushes them\n"
           "downstream, until LIMIT packets were moved: the vanilla Click execution\n"
           "model, on the thread the engine (or StaticThreadSched) gives it. Whatever\n"
           "is between it and its queues is pulled through (Queue -> Counter -> Unqueue).\n"
           "It sleeps while every queue upstream is empty (Click's notifiers) and wakes\n"
           "when a packet arrives, so an idle Unqueue costs no CPU. BURST defaults to 32\n"
           "(Click's default is 1; FastClick's batches are 32).\n"
           "Replaced by live change, it keeps its count.\n"
           "Counters: count.\n\n"
           "Example: src -> Queue -> Unqueue(32) -> Counter -> Discard;",
    .state_size = sizeof(unqueue_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .initialize = unqueue_initialize,
    .run_task = unqueue_run,
    .take_state = unqueue_take_state,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(unqueue);
