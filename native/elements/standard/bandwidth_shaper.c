/* BandwidthShaper: lets at most RATE bytes per second be pulled through (Click's). */
#include "shaper.h"

/* A packet at a time while the byte count is behind the rate. */
static pl_packet *bshaper_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    shaper_state *s = PL_STATE(e, shaper_state);
    pl_packet *b = NULL;
    while (pl_batch_count(b) < max) {
        uint64_t now = pl_engine_realtime_ns(e->eng);
        pl_shaper_follow(e, s, now);
        if (!pl_gap_allowed(&s->gap, now))
            break;
        pl_packet *p = pl_input_pull(ctx, e, 0, 1);
        if (!p)
            break;
        pl_gap_update(&s->gap, p->len);
        pl_batch_join(&b, p);
    }
    return b;
}

static const pl_param params[] = {
    {"RATE", PL_T_BANDWIDTH, offsetof(shaper_state, rate), NULL, 0, PL_GAP_MAX_RATE,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE, "bytes per second (10Mbps, 1.5MBps)"},
    {0}};

static const pl_class bandwidth_shaper = {
    .name = "BandwidthShaper",
    .ports = "1/1",
    .processing = "l/l",
    .doc = "BandwidthShaper(RATE)\n"
           "Shapes pulled traffic to at most RATE bytes per second.\n\n"
           "As Shaper, counting bytes: each packet pulled through adds its length to\n"
           "the count this second, and packets pass while that count is behind RATE\n"
           "(a bandwidth: 10Mbps, 2MBps) times the elapsed part of the second. RATE is\n"
           "live.\n\n"
           "Example: src -> Queue -> BandwidthShaper(10Mbps) -> ToDevice(eth0);",
    .state_size = sizeof(shaper_state),
    .params = params,
    .handlers = pl_shaper_handlers,
    .configure = pl_shaper_configure,
    .pull = bshaper_pull,
    .sources = PL_S_NONE,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(bandwidth_shaper);
