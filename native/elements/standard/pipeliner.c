/* Pipeliner: per-thread rings drained by another thread (FastClick's). */
#include "../../core/engine.h"
#include "../../core/batchring.h"
#include "../../core/rings.h"

typedef struct {
    uint64_t capacity;
    uint64_t burst;
    uint8_t blocking;
    uint8_t batches;                   /* a slot per batch (batchring.h), else per packet */
    pl_rings rings;
    pl_brings brings;
} pipe_state;

enum { C_DROPPED, C_PASSED };
static const char *const counters[] = {"dropped", "passed", NULL};

static int pipe_initialize(pl_element *e, pl_error *err)
{
    pipe_state *s = PL_STATE(e, pipe_state);
    if (s->batches)
        return pl_brings_init(&s->brings, e, s->capacity, err);
    return pl_rings_init(&s->rings, e, s->capacity, err);
}

static void pipe_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    pipe_state *s = PL_STATE(e, pipe_state);
    uint32_t n = b->b_count;
    /* BLOCKING waits for room only when another thread drains us. */
    int wait = s->blocking && e->thread != ctx->tid;
    pl_packet *rest = s->batches ? pl_brings_put(&s->brings, ctx->tid, b, wait, &e->eng->stop)
                                 : pl_rings_put(&s->rings, ctx->tid, b, wait, &e->eng->stop);
    uint32_t dropped = rest ? rest->b_count : 0;
    pl_drop_batch(ctx, e, C_DROPPED, rest);
    pl_count(ctx, e, C_PASSED, n - dropped);
}

static uint32_t pipe_run(pl_element *e, pl_ctx *ctx)
{
    pipe_state *s = PL_STATE(e, pipe_state);
    uint32_t moved = 0;
    uint32_t burst = (uint32_t)PL_LIVE(s->burst);
    pl_packet *b;
    while (moved < 8 * burst &&
           (b = s->batches ? pl_brings_get(&s->brings, burst) : pl_rings_get(&s->rings, burst))) {
        moved += b->b_count;
        pl_output(ctx, e, 0, b);
    }
    return moved;
}

static void pipe_cleanup(pl_element *e)
{
    pipe_state *s = PL_STATE(e, pipe_state);
    if (s->batches)
        pl_brings_destroy(&s->brings, e, C_DROPPED);
    else
        pl_rings_destroy(&s->rings, e, C_DROPPED);
}

/* Live change: queued packets move to the replacement, oldest first (either
 * kind of ring to either). */
static void pipe_take_state(pl_element *e, pl_element *old)
{
    pipe_state *o = PL_STATE(old, pipe_state), *s = PL_STATE(e, pipe_state);
    pl_packet *all = o->batches ? pl_brings_take_all(&o->brings) : pl_rings_take_all(&o->rings);
    atomic_store_explicit(s->batches ? &s->brings.carry : &s->rings.carry, all,
                          memory_order_release);
}

static int read_queued(pl_element *e, char *buf, size_t len)
{
    pipe_state *s = PL_STATE(e, pipe_state);
    return pl_fmt(buf, len, "%llu", (unsigned long long)(s->batches ? pl_brings_count(&s->brings)
                                                                    : pl_rings_count(&s->rings)));
}

static int read_dropped(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_DROPPED));
}

static const pl_param params[] = {
    {"CAPACITY", PL_T_UINT, offsetof(pipe_state, capacity), "1024", 1, 1 << 20, PL_P_POSITIONAL,
     "ring size per producer thread (rounded up to a power of two)"},
    {"BURST", PL_T_UINT, offsetof(pipe_state, burst), "32", 1, 4096, PL_P_LIVE,
     "packets per batch pushed downstream"},
    {"BLOCKING", PL_T_BOOL, offsetof(pipe_state, blocking), "false", 0, -1, 0,
     "wait for room instead of dropping (only across threads)"},
    {"BATCHES", PL_T_BOOL, offsetof(pipe_state, batches), "false", 0, -1, 0,
     "move whole batches (a ring slot per batch) rather than packets (a slot per packet)"},
    {0}};

static const pl_handler handlers[] = {
    {"queued", "packets waiting in the rings", read_queued, NULL},
    {"dropped", "packets dropped because a ring was full", read_dropped, NULL},
    {0}};

static const pl_class pipeliner = {
    .name = "Pipeliner",
    .ports = "1-/1",
    .processing = "h/h",
    .doc = "Pipeliner([CAPACITY, BURST, BLOCKING, BATCHES])\n"
           "Passes packets from the threads that push them to its own thread.\n\n"
           "Each worker that can push into the Pipeliner gets its own lock-free ring of\n"
           "CAPACITY packets; the Pipeliner's task (on the worker chosen by the\n"
           "engine or by StaticThreadSched) drains every ring and pushes batches of up\n"
           "to BURST downstream. Both sides are full push. When a ring is full, packets\n"
           "are dropped and counted (dropped), or with BLOCKING true the pushing thread\n"
           "waits for room (never when it drains itself). Packets cross threads here,\n"
           "so the engine makes reference counts atomic. Replaced by live change, it\n"
           "hands its queued packets to the replacement.\n"
           "BATCHES true moves whole batches: one ring slot per batch, joined in O(1)\n"
           "on the other side without relinking a packet, the whole batch prefetched\n"
           "through the packet addresses the producer wrote beside it; a batch larger\n"
           "than the room left is split. BATCHES false (the default) moves packets, one\n"
           "slot each, relinked and prefetched a few ahead. `pktlab bench pipeline`\n"
           "compares the two (docs/performance.md).\n"
           "Counters: dropped (drop), passed.\n\n"
           "Example: FromDPDKDevice(0) -> Pipeliner -> heavy :: IPClassifier(...) -> ...",
    .state_size = sizeof(pipe_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .initialize = pipe_initialize,
    .cleanup = pipe_cleanup,
    .push = pipe_push,
    .run_task = pipe_run,
    .take_state = pipe_take_state,
    .traits = PL_C_BOUNDARY,
};
PL_REGISTER_CLASS(pipeliner);
