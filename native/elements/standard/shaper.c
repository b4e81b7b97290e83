/* Shaper: lets at most RATE packets per second be pulled through (Click's). */
#include "shaper.h"

int pl_shaper_configure(pl_element *e, pl_error *err)
{
    shaper_state *s = PL_STATE(e, shaper_state);
    if (s->rate > PL_GAP_MAX_RATE)
        return pl_seterr(err, PL_ERR_CONFIG, e, "RATE", "RATE too large (max %u)", PL_GAP_MAX_RATE);
    pl_gap_init_rate(&s->gap, (uint32_t)s->rate);
    pl_gap_reset(&s->gap);
    s->applied = s->rate;
    return 0;
}

/* A live RATE reaches the rate keeper on the thread that pulls. */
void pl_shaper_follow(pl_element *e, shaper_state *s, uint64_t now)
{
    double r = PL_LIVE_D(s->rate);
    if (pl_live_d(&s->applied) < 0) {
        pl_gap_init_rate(&s->gap, (uint32_t)r);
        pl_gap_reset(&s->gap);
        s->applied = r;
    } else if (r != s->applied) {
        pl_gap_set_rate(&s->gap, (uint32_t)r, now);
        s->applied = r;
    }
}

/* Port 0: as many packets as the rate allows now (one per pull in
 * per-packet mode, as Click's). Port 1: what is pulled while the rate does
 * not allow one, unshaped. */
static pl_packet *shaper_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    shaper_state *s = PL_STATE(e, shaper_state);
    uint64_t now = pl_engine_realtime_ns(e->eng);
    pl_shaper_follow(e, s, now);
    int64_t allowed = pl_gap_allowed(&s->gap, now);
    if (port == 1)
        return allowed ? NULL : pl_input_pull(ctx, e, 0, max);
    if (!allowed)
        return NULL;
    pl_packet *b = pl_input_pull(ctx, e, 0, allowed < (int64_t)max ? (uint32_t)allowed : max);
    if (b)
        pl_gap_update(&s->gap, b->b_count);
    return b;
}

/* Click's reset: the next pull starts a new second of accounting (on the
 * pulling thread: this only asks for it). */
static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    pl_store_d(&PL_STATE(e, shaper_state)->applied, -1.0);
    return 0;
}

const pl_handler pl_shaper_handlers[] = {
    {"reset", "start the rate accounting afresh", NULL, write_reset},
    {0}};

static const pl_param params[] = {
    {"RATE", PL_T_REAL, offsetof(shaper_state, rate), NULL, 0, PL_GAP_MAX_RATE,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE, "packets per second"},
    {0}};

static const pl_class shaper = {
    .name = "Shaper",
    .ports = "1/1-2",
    .processing = "l/l",
    .doc = "Shaper(RATE)\n"
           "Shapes pulled traffic to at most RATE packets per second.\n\n"
           "A pull element: each pull on output 0 gets packets only while the count\n"
           "this second is behind RATE times the elapsed part of the second (Click's\n"
           "GapRate), so evenly spaced pulls give RATE packets per second with little\n"
           "burstiness; a batch pull gets as many as are due. Pulls on the optional\n"
           "output 1 get packets, unshaped, when output 0 may not. RATE is live.\n\n"
           "Example: src -> Queue -> Shaper(1000) -> ToDevice(eth0);",
    .state_size = sizeof(shaper_state),
    .params = params,
    .handlers = pl_shaper_handlers,
    .configure = pl_shaper_configure,
    .pull = shaper_pull,
    .sources = PL_S_NONE,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(shaper);
