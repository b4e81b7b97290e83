/* StaticSwitch: sends every packet to one output chosen at configuration (Click's). */
#include "../../core/element.h"

typedef struct {
    int64_t output;
    int out;                      /* -1: drop (OUTPUT negative or past the last output) */
} sswitch_state;

enum { C_DROPS };
static const char *const counters[] = {"drops", NULL};

static int ss_initialize(pl_element *e, pl_error *err)
{
    sswitch_state *s = PL_STATE(e, sswitch_state);
    s->out = s->output < 0 || s->output >= e->noutputs ? -1 : (int)s->output;
    return 0;
}

static void ss_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    int o = PL_STATE(e, sswitch_state)->out;
    if (o < 0)
        pl_drop_batch(ctx, e, C_DROPS, b);
    else
        pl_output(ctx, e, o, b);
}

static const pl_param params[] = {
    {"OUTPUT", PL_T_INT, offsetof(sswitch_state, output), NULL, -1e9, 1e9,
     PL_P_POSITIONAL | PL_P_REQUIRED, "output to send to; negative (or past the last) drops"},
    {0}};

static const pl_class static_switch = {
    .name = "StaticSwitch",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "StaticSwitch(OUTPUT)\n"
           "Sends the packet stream to a fixed output.\n\n"
           "Every packet goes to output OUTPUT; a negative OUTPUT, or one past the last\n"
           "output, drops them (counted: drops). Unlike Switch it cannot change while\n"
           "running (a live change replaces it).\n"
           "Counters: drops (drop).\n\n"
           "Example: src -> StaticSwitch(1) => (Discard, out);",
    .state_size = sizeof(sswitch_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .initialize = ss_initialize,
    .push = ss_push,
};
PL_REGISTER_CLASS(static_switch);
