/* Unqueue: pulls packets whenever scheduled and pushes them on (Click's). */
#include "../../core/element.h"

typedef struct {
    uint64_t burst;
    uint8_t active;
} unqueue_state;

enum { C_COUNT };
static const char *const counters[] = {"count", NULL};

static uint32_t unqueue_run(pl_element *e, pl_ctx *ctx)
{
    unqueue_state *s = PL_STATE(e, unqueue_state);
    if (!PL_LIVE(s->active))
        return 0;
    pl_packet *b = pl_input_pull(ctx, e, 0, (uint32_t)PL_LIVE(s->burst));
    if (!b)
        return 0;
    uint32_t n = b->b_count;
    pl_count(ctx, e, C_COUNT, n);
    pl_output(ctx, e, 0, b);
    return n;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_COUNT));
}

static const pl_param params[] = {
    {"BURST", PL_T_UINT, offsetof(unqueue_state, burst), "32", 1, 4096,
     PL_P_POSITIONAL | PL_P_LIVE, "packets pulled per run"},
    {"ACTIVE", PL_T_BOOL, offsetof(unqueue_state, active), "true", 0, -1, PL_P_LIVE,
     "whether it pulls"},
    {0}};

static const pl_handler handlers[] = {{"count", "packets moved", read_count, NULL}, {0}};

static const pl_class unqueue = {
    .name = "Unqueue",
    .ports = "1/1",
    .processing = "l/h",
    .doc = "Unqueue([BURST, ACTIVE])\n"
           "Pulls packets whenever scheduled and pushes them out.\n\n"
           "Its task pulls up to BURST packets from its input (a Queue) as one batch\n"
           "and pushes them downstream: with a Queue before it, the vanilla Click\n"
           "execution model, on the thread the engine (or StaticThreadSched) gives it.\n\n"
           "Example: src -> Queue -> Unqueue(32) -> Counter -> Discard;",
    .state_size = sizeof(unqueue_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .run_task = unqueue_run,
};
PL_REGISTER_CLASS(unqueue);
