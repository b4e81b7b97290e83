/* Discard: frees every packet, counting them (per-batch recycling). */
#include "../../core/element.h"

typedef struct {
    uint64_t carry;               /* count of the Discard this one replaced */
} discard_state;

enum { C_COUNT };
static const char *const counters[] = {"count", NULL};

static void discard_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_drop_batch(ctx, e, C_COUNT, b);
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

static const pl_handler handlers[] = {{"count", "packets discarded", read_count, NULL}, {0}};

static const pl_class discard = {
    .name = "Discard",
    .ports = "1/0",
    .processing = "a/a",
    .doc = "Discard\n"
           "Drops all packets.\n\n"
           "Frees every packet it receives, a whole batch at a time, and counts them.\n"
           "Replaced by live change, it keeps its count.\n\n"
           "Example: FromDump(in.pcap) -> Discard;",
    .state_size = sizeof(discard_state),
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .push = discard_push,
    .take_state = discard_take_state,
};
PL_REGISTER_CLASS(discard);
