/* RatedSplitter: RATE packets per second to output 0, the rest to output 1 (Click's). */
#include "rates.h"

typedef struct {
    pl_rate_conf rc;
    pl_tb tb;
    double applied;               /* the rate the bucket was built with */
    int64_t capacity;
} rsplit_state;

enum { C_DROPS };
static const char *const counters[] = {"drops", NULL};

static int rsplit_configure(pl_element *e, pl_error *err)
{
    rsplit_state *s = PL_STATE(e, rsplit_state);
    s->capacity = pl_rate_capacity(e, &s->rc, 0, err);
    if (s->capacity < 0)
        return err->status;
    pl_tb_assign(&s->tb, (uint64_t)s->rc.rate, (uint64_t)s->capacity);
    s->applied = s->rc.rate;
    return 0;
}

static int rsplit_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    rsplit_state *s = PL_STATE(e, rsplit_state);
    pl_rate_follow(e, &s->rc, &s->tb, &s->applied, 0);
    pl_tb_refill(&s->tb, pl_engine_now_ns(e->eng));
    if (pl_tb_remove_if(&s->tb, 1))
        return 0;
    if (e->noutputs > 1)
        return 1;
    pl_drop(ctx, e, C_DROPS, p);
    return -1;
}

static const pl_param params[] = {PL_RATE_PARAMS(rsplit_state, 0), {0}};

static const pl_class rated_splitter = {
    .name = "RatedSplitter",
    .ports = "1/1-2",
    .processing = "h/h",
    .doc = "RatedSplitter(RATE [, KEYWORDS])\n"
           "Splits the packet stream at a rate.\n\n"
           "Up to RATE packets per second leave on output 0 (a token bucket of\n"
           "BURST_DURATION, 20 ms by default, or BURST_SIZE packets); the rest on\n"
           "output 1, or are dropped (counted) when it is not connected. Unlike Meter,\n"
           "RATE packets per second get through even when more arrive. RATE is live.\n"
           "Counters: drops (drop).\n\n"
           "Example: src -> rs :: RatedSplitter(2000) -> out; rs[1] -> Discard;",
    .state_size = sizeof(rsplit_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .configure = rsplit_configure,
    .classify = rsplit_classify,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(rated_splitter);
