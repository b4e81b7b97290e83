/* BandwidthRatedSplitter: RATE bytes per second to output 0, the rest to output 1 (Click's). */
#include "rates.h"

typedef struct {
    pl_rate_conf rc;
    pl_tb tb;
    double applied;
} bsplit_state;

enum { C_DROPS };
static const char *const counters[] = {"drops", NULL};

static int bsplit_configure(pl_element *e, pl_error *err)
{
    bsplit_state *s = PL_STATE(e, bsplit_state);
    int64_t cap = pl_rate_capacity(e, &s->rc, 1, err);
    if (cap < 0)
        return err->status;
    pl_tb_assign(&s->tb, (uint64_t)s->rc.rate, (uint64_t)cap);
    s->applied = s->rc.rate;
    return 0;
}

static int bsplit_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    bsplit_state *s = PL_STATE(e, bsplit_state);
    pl_rate_follow(e, &s->rc, &s->tb, &s->applied, 1);
    pl_tb_refill(&s->tb, pl_engine_now_ns(e->eng));
    if (pl_tb_contains(&s->tb, PL_TB_BANDWIDTH_THRESH)) {
        pl_tb_remove(&s->tb, p->len);
        return 0;
    }
    if (e->noutputs > 1)
        return 1;
    pl_drop(ctx, e, C_DROPS, p);
    return -1;
}

static const pl_param params[] = {PL_RATE_PARAMS(bsplit_state, 1), {0}};

static const pl_class bandwidth_rated_splitter = {
    .name = "BandwidthRatedSplitter",
    .ports = "1/1-2",
    .processing = "h/h",
    .doc = "BandwidthRatedSplitter(RATE [, KEYWORDS])\n"
           "Splits the packet stream at a bandwidth.\n\n"
           "Up to RATE bytes per second (a bandwidth: 10Mbps, 2MBps) leave on output 0,\n"
           "the rest on output 1 (dropped and counted when it is not connected). A\n"
           "token bucket in bytes, as Click's: a packet passes while the bucket holds\n"
           "128 KiB, and takes its length out. RATE is live.\n"
           "Counters: drops (drop).\n\n"
           "Example: src -> bs :: BandwidthRatedSplitter(1Mbps) -> out; bs[1] -> Discard;",
    .state_size = sizeof(bsplit_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .configure = bsplit_configure,
    .classify = bsplit_classify,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(bandwidth_rated_splitter);
