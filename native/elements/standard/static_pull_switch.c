/* StaticPullSwitch: forwards pulls to a fixed input (Click's). */
#include "../../core/element.h"

typedef struct {
    int64_t input;
    int in;
} spswitch_state;

static int sps_initialize(pl_element *e, pl_error *err)
{
    spswitch_state *s = PL_STATE(e, spswitch_state);
    s->in = s->input < 0 || s->input >= e->ninputs ? -1 : (int)s->input;
    return 0;
}

static pl_packet *sps_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    int i = PL_STATE(e, spswitch_state)->in;
    return i < 0 ? NULL : pl_input_pull(ctx, e, i, max);
}

static const pl_param params[] = {
    {"INPUT", PL_T_INT, offsetof(spswitch_state, input), NULL, -1e9, 1e9,
     PL_P_POSITIONAL | PL_P_REQUIRED, "input to pull from; negative (or past the last): none"},
    {0}};

static const pl_class static_pull_switch = {
    .name = "StaticPullSwitch",
    .ports = "-/1",
    .processing = "l/l",
    .doc = "StaticPullSwitch(INPUT)\n"
           "Forwards pulls to a fixed input.\n\n"
           "Every pull goes to input INPUT; a negative INPUT, or one past the last,\n"
           "returns nothing. It is no notifier: what pulls through it listens to the\n"
           "queues upstream of all its inputs.\n\n"
           "Example: q0 -> [0] s :: StaticPullSwitch(1); q1 -> [1] s; s -> Unqueue -> out;",
    .state_size = sizeof(spswitch_state),
    .params = params,
    .initialize = sps_initialize,
    .pull = sps_pull,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(static_pull_switch);
