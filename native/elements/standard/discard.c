/* Discard: frees every packet, counting them (per-batch recycling). */
#include "../../core/element.h"

typedef struct {
    uint64_t carry;               /* count of the Discard this one replaced */
    uint64_t burst;
    uint8_t active;
    pl_signal_slot signal;        /* pull input: the queues upstream */
} discard_state;

enum { C_COUNT };
static const char *const counters[] = {"count", NULL};

static void discard_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_drop_batch(ctx, e, C_COUNT, b);
}

/* Pull input (Click's Discard in a pull context): a task pulls and frees. */
static int discard_initialize(pl_element *e, pl_error *err)
{
    if (!pl_input_is_pull(e, 0)) {
        e->no_task = 1;
        return 0;
    }
    return pl_listen(e, PL_NOTE_EMPTY, 0, &PL_STATE(e, discard_state)->signal, pl_task_wake, err);
}

static uint32_t discard_run(pl_element *e, pl_ctx *ctx)
{
    discard_state *s = PL_STATE(e, discard_state);
    if (!PL_LIVE(s->active)) {
        pl_task_sleep(e);
        return 0;
    }
    pl_packet *b = pl_input_pull(ctx, e, 0, (uint32_t)PL_LIVE(s->burst));
    if (!b) {
        pl_task_sleep_unless(e, &s->signal);
        return 0;
    }
    uint32_t n = b->b_count;
    pl_drop_batch(ctx, e, C_COUNT, b);
    return n;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    uint64_t carry = __atomic_load_n(&PL_STATE(e, discard_state)->carry, __ATOMIC_RELAXED);
    return pl_fmt(buf, len, "%llu", (unsigned long long)(pl_counter_total(e, C_COUNT) + carry));
}

static void discard_take_state(pl_element *e, pl_element *old)
{
    uint64_t n = pl_counter_total(old, C_COUNT) + PL_STATE(old, discard_state)->carry;
    __atomic_store_n(&PL_STATE(e, discard_state)->carry, n, __ATOMIC_RELAXED);
}

static const pl_param params[] = {
    {"ACTIVE", PL_T_BOOL, offsetof(discard_state, active), "true", 0, -1, PL_P_LIVE,
     "pull input: whether it pulls"},
    {"BURST", PL_T_UINT, offsetof(discard_state, burst), "32", 1, 4096, PL_P_LIVE,
     "pull input: packets pulled per run, at most"},
    {0}};

static const pl_handler handlers[] = {{"count", "packets discarded", read_count, NULL}, {0}};

static const pl_class discard = {
    .name = "Discard",
    .ports = "1/0",
    .processing = "a/a",
    .doc = "Discard([KEYWORDS])\n"
           "Drops all packets.\n\n"
           "Frees every packet it receives, a whole batch at a time, and counts them.\n"
           "With a pull input (after a Queue), its task pulls up to BURST packets per\n"
           "run while ACTIVE, and sleeps while the queues upstream are empty.\n"
           "Replaced by live change, it keeps its count.\n\n"
           "Example: FromDump(in.pcap) -> Discard;",
    .state_size = sizeof(discard_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .initialize = discard_initialize,
    .push = discard_push,
    .run_task = discard_run,
    .take_state = discard_take_state,
};
PL_REGISTER_CLASS(discard);
