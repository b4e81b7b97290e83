/* PullNull: passes pulled packets unchanged (Click's pull-only Null). */
#include "../../core/element.h"

static pl_packet *pullnull_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    (void)port;
    return pl_input_pull(ctx, e, 0, max);
}

static const pl_class pull_null = {
    .name = "PullNull",
    .ports = "1/1",
    .processing = "l/l",
    .doc = "PullNull\n"
           "Passes packets unchanged (pull only).\n\n"
           "Like Null, but its ports are pull: it belongs between a queue and the\n"
           "element that pulls from it, and a configuration that pushes into it is an\n"
           "error.\n\n"
           "Example: InfiniteSource -> Queue -> PullNull -> Unqueue -> Discard;",
    .pull = pullnull_pull,
};
PL_REGISTER_CLASS(pull_null);
