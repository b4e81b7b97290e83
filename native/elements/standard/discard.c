/* Discard: frees every packet, counting them (per-batch recycling). */
#include "../../core/element.h"

enum { C_COUNT };
static const char *const counters[] = {"count", NULL};

static void discard_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_drop_batch(ctx, e, C_COUNT, b);
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_COUNT));
}

static const pl_handler handlers[] = {{"count", "packets discarded", read_count, NULL}, {0}};

static const pl_class discard = {
    .name = "Discard",
    .ports = "1/0",
    .processing = "a/a",
    .doc = "Discard\n"
           "Drops all packets.\n\n"
           "Frees every packet it receives, a whole batch at a time, and counts them.\n\n"
           "Example: FromDump(in.pcap) -> Discard;",
    .state_size = 0,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .push = discard_push,
};
PL_REGISTER_CLASS(discard);
