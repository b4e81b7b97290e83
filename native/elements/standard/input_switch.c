/* InputSwitch: forwards the packets of one chosen input, drops the others. */
#include "../../core/args.h"

typedef struct {
    int64_t input;
} iswitch_state;

enum { C_DROPPED };
static const char *const counters[] = {"dropped", NULL};

static void iswitch_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    if (port == PL_LIVE(PL_STATE(e, iswitch_state)->input))
        pl_output(ctx, e, 0, b);
    else
        pl_drop_batch(ctx, e, C_DROPPED, b);
}

static int iswitch_initialize(pl_element *e, pl_error *err)
{
    iswitch_state *s = PL_STATE(e, iswitch_state);
    if (s->input >= e->ninputs)
        return pl_seterr(err, PL_ERR_CONFIG, e, "INPUT", "input must be < %d", e->ninputs);
    return 0;
}

static int read_switch(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%lld", (long long)PL_LIVE(PL_STATE(e, iswitch_state)->input));
}

static int write_switch(pl_element *e, const char *v, pl_error *err)
{
    int64_t n;
    if (pl_parse_int(v, &n))
        return pl_seterr(err, PL_ERR_HANDLER, e, "switch", "InputSwitch input must be integer");
    if (n >= e->ninputs)
        n = -1;
    __atomic_store_n(&PL_STATE(e, iswitch_state)->input, n, __ATOMIC_RELAXED);
    return 0;
}

static const pl_param params[] = {
    {"INPUT", PL_T_INT, offsetof(iswitch_state, input), "0", -1, 255, PL_P_POSITIONAL,
     "the input whose packets pass (negative: none)"},
    {0}};

static const pl_handler handlers[] = {
    {"switch", "the input whose packets pass (negative or too large: none)", read_switch,
     write_switch},
    {0}};

static const pl_class input_switch = {
    .name = "InputSwitch",
    .ports = "-/1",
    .processing = "h/h",
    .doc = "InputSwitch([INPUT])\n"
           "Accepts packets from a settable input.\n\n"
           "Forwards the packets that arrive on input INPUT (default 0) to its output\n"
           "and drops, counting them, those of every other input; a negative INPUT\n"
           "drops them all. It has any number of inputs.\n\n"
           "Keywords: INPUT.\n"
           "Handlers: switch (read/write: INPUT; a number past the last input means none).\n"
           "Counters: dropped.\n\n"
           "Example: a -> [0] s :: InputSwitch; b -> [1] s; s -> Discard;",
    .state_size = sizeof(iswitch_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .initialize = iswitch_initialize,
    .push = iswitch_push,
};
PL_REGISTER_CLASS(input_switch);
