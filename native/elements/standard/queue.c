/* Queue: stores pushed packets until an element pulls them (Click's). */
#include "queue.h"

enum { C_DROPS };
const char *const pl_queue_counters[] = {"drops", NULL};

int pl_queue_initialize(pl_element *e, pl_error *err)
{
    pl_queue_state *s = PL_STATE(e, pl_queue_state);
    return pl_rings_init(&s->rings, e, s->capacity, err);
}

void pl_queue_cleanup(pl_element *e)
{
    pl_rings_destroy(&PL_STATE(e, pl_queue_state)->rings, e, C_DROPS);
}

void pl_queue_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    pl_packet *rest = pl_rings_put(&PL_STATE(e, pl_queue_state)->rings, ctx->tid, b, 0, NULL);
    pl_drop_batch(ctx, e, C_DROPS, rest);
}

pl_packet *pl_queue_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    return pl_rings_get(&PL_STATE(e, pl_queue_state)->rings, max);
}

/* Live change: the queued packets move to the replacement, oldest first. */
void pl_queue_take_state(pl_element *e, pl_element *old)
{
    pl_rings_hand_over(&PL_STATE(old, pl_queue_state)->rings, &PL_STATE(e, pl_queue_state)->rings);
}

static int read_length(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)pl_rings_count(&PL_STATE(e, pl_queue_state)->rings));
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_DROPS));
}

const pl_param pl_queue_params[] = {
    {"CAPACITY", PL_T_UINT, offsetof(pl_queue_state, capacity), "1000", 1, 1 << 20,
     PL_P_POSITIONAL, "packets it holds per pushing thread (rounded up to a power of two)"},
    {0}};

const pl_handler pl_queue_handlers[] = {
    {"length", "packets queued", read_length, NULL},
    {"drops", "packets dropped because the queue was full", read_drops, NULL},
    {0}};

#define QUEUE_DOC(name)                                                                     \
    name "([CAPACITY])\n"                                                                   \
    "Stores packets in a FIFO queue.\n\n"                                                   \
    "Push input, pull output: packets wait until an element downstream pulls them\n"       \
    "(Unqueue): the vanilla Click push-to-pull model, here so it can be compared with\n"  \
    "full push. Each thread that pushes has its own lock-free ring, so every queue is\n"  \
    "thread-safe; packets pushed to a full queue are dropped and counted (drops).\n"      \
    "Replaced by live change, it hands its packets to the replacement.\n"                 \
    "Counters: drops (drop).\n\n"                                                          \
    "Example: src -> " name "(1024) -> Unqueue(BURST 32) -> sink;"

static const pl_class queue = PL_QUEUE_CLASS("Queue", QUEUE_DOC("Queue"));
PL_REGISTER_CLASS(queue);
