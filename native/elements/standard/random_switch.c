/* RandomSwitch: sends each packet to an output chosen at random (Click's). */
#include "../../core/element.h"
#include "../../lib/random.h"

typedef struct {
    uint64_t rng;
} rswitch_state;

static int rs_initialize(pl_element *e, pl_error *err)
{
    PL_STATE(e, rswitch_state)->rng = pl_rand_seed(NULL, e->name);
    return 0;
}

static int rs_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    return (int)pl_rand_below(&PL_STATE(e, rswitch_state)->rng, (uint32_t)e->noutputs);
}

static const pl_class random_switch = {
    .name = "RandomSwitch",
    .ports = "1/1-",
    .processing = "h/h",
    .doc = "RandomSwitch\n"
           "Sends each packet to an output chosen at random.\n\n"
           "Each output is equally likely. The generator is seeded from the element's\n"
           "name, so a run is repeatable (Click's draws differ).\n\n"
           "Example: src -> RandomSwitch => (q0, q1);",
    .state_size = sizeof(rswitch_state),
    .initialize = rs_initialize,
    .classify = rs_classify,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(random_switch);
