/* Idle: never sends a packet; frees (and counts) any it is given. */
#include "../../core/element.h"

typedef struct {
    pl_notifier never;            /* Click's idle signal: never active */
} idle_state;

enum { C_DROPS };
static const char *const counters[] = {"drops", NULL};

static int idle_initialize(pl_element *e, pl_error *err)
{
    idle_state *s = PL_STATE(e, idle_state);
    pl_notifier_init(&s->never, 0);
    return pl_notifier_provide(e, PL_NOTE_EMPTY, -1, &s->never, 0, err);
}

static void idle_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_drop_batch(ctx, e, C_DROPS, b);
}

static pl_packet *idle_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    return NULL;
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_DROPS));
}

static const pl_handler handlers[] = {{"drops", "packets received (and freed)", read_drops, NULL},
                                      {0}};

static const pl_class idle = {
    .name = "Idle",
    .ports = "-/-",
    .processing = "a/a",
    .doc = "Idle\n"
           "Discards packets; never emits any.\n\n"
           "Has any number of inputs and outputs. Never sends a packet and never pulls\n"
           "one; packets pushed to it are freed a batch at a time and counted. Pulled,\n"
           "it has nothing, and says so to its puller (an empty notifier that is never\n"
           "active), which then sleeps. Use it to tie off ports.\n"
           "Counters: drops (drop).\n\n"
           "Example: Idle -> ToMemory; c[1] -> Idle;",
    .state_size = sizeof(idle_state),
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .initialize = idle_initialize,
    .push = idle_push,
    .pull = idle_pull,
    .flow = "x/y",
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(idle);
