/* Idle: never sends a packet; frees (and counts) any it is given. */
#include "../../core/element.h"

enum { C_DROPS };
static const char *const counters[] = {"drops", NULL};

static void idle_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_drop_batch(ctx, e, C_DROPS, b);
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
           "Has any number of inputs and outputs. Never sends a packet; packets pushed\n"
           "to it are freed a batch at a time and counted. Use it to tie off ports.\n"
           "Counters: drops (drop).\n\n"
           "Example: Idle -> ToMemory; c[1] -> Idle;",
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .push = idle_push,
};
PL_REGISTER_CLASS(idle);
