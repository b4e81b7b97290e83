/* RoundRobinSwitch: sends packets to its outputs in turn (Click's). */
#include "../../core/element.h"

typedef struct {
    uint32_t next;
} rrswitch_state;

static int rrs_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    rrswitch_state *s = PL_STATE(e, rrswitch_state);
    uint32_t i = s->next;
    s->next = i + 1 >= (uint32_t)e->noutputs ? 0 : i + 1;
    return (int)i;
}

static const pl_class round_robin_switch = {
    .name = "RoundRobinSwitch",
    .ports = "1/1-",
    .processing = "h/h",
    .doc = "RoundRobinSwitch\n"
           "Sends packets to its outputs in turn.\n\n"
           "The first packet leaves on output 0, the next on output 1, and so on,\n"
           "wrapping around: load balancing in round-robin order. A batch is split\n"
           "into one sub-batch per output, each pushed once.\n\n"
           "Example: src -> RoundRobinSwitch => (q0, q1, q2);",
    .state_size = sizeof(rrswitch_state),
    .classify = rrs_classify,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(round_robin_switch);
