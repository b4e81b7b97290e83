/* Switch: sends every packet to one settable output (Click's). */
#include "../../core/args.h"

typedef struct {
    int64_t output;
} switch_state;

enum { C_DROPS };
static const char *const counters[] = {"drops", NULL};

static int switch_initialize(pl_element *e, pl_error *err)
{
    switch_state *s = PL_STATE(e, switch_state);
    if (s->output >= e->noutputs)
        return pl_seterr(err, PL_ERR_CONFIG, e, "OUTPUT", "output must be < %d", e->noutputs);
    return 0;
}

/* The whole batch goes one way: one edge per batch. */
static void switch_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    int64_t o = PL_LIVE(PL_STATE(e, switch_state)->output);
    if (o < 0 || o >= e->noutputs)
        pl_drop_batch(ctx, e, C_DROPS, b);
    else
        pl_output(ctx, e, (int)o, b);
}

static int read_switch(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%lld", (long long)PL_LIVE(PL_STATE(e, switch_state)->output));
}

/* Click: an output past the last means -1 (drop). */
static int write_switch(pl_element *e, const char *v, pl_error *err)
{
    int64_t o;
    if (pl_parse_int(v, &o))
        return pl_seterr(err, PL_ERR_HANDLER, e, "switch", "Switch output must be integer");
    if (o >= e->noutputs)
        o = -1;
    __atomic_store_n(&PL_STATE(e, switch_state)->output, o, __ATOMIC_RELAXED);
    return 0;
}

static const pl_param params[] = {
    {"OUTPUT", PL_T_INT, offsetof(switch_state, output), "0", -1, PL_MAX_PORTS,
     PL_P_POSITIONAL | PL_P_LIVE, "output to send to; negative drops"},
    {0}};

static const pl_handler handlers[] = {
    {"switch", "the output (rw; past the last output means -1: drop)", read_switch, write_switch},
    {"output", "the same as switch", read_switch, write_switch},
    {0}};

static const pl_class switch_class = {
    .name = "Switch",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "Switch([OUTPUT])\n"
           "Sends the packet stream to a settable output.\n\n"
           "Every packet goes to output OUTPUT (default 0); a negative OUTPUT drops\n"
           "them (counted: drops). Any number of outputs. The switch handler (or the\n"
           "live OUTPUT parameter) changes the output while packets flow; a whole\n"
           "batch goes one way.\n"
           "Counters: drops (drop).\n\n"
           "Example: src -> sw :: Switch(0) => (q0, q1); Script(wait 1, write sw.switch 1);",
    .state_size = sizeof(switch_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .initialize = switch_initialize,
    .push = switch_push,
};
PL_REGISTER_CLASS(switch_class);
