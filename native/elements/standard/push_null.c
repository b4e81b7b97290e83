/* PushNull: passes pushed packets unchanged (Click's push-only Null). */
#include "../../core/element.h"

static void pushnull_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_output(ctx, e, 0, b);
}

static const pl_class push_null = {
    .name = "PushNull",
    .ports = "1/1",
    .processing = "h/h",
    .doc = "PushNull\n"
           "Passes packets unchanged (push only).\n\n"
           "Like Null, but its ports are push: a configuration that pulls through it\n"
           "is an error.\n\n"
           "Example: InfiniteSource -> PushNull -> Discard;",
    .push = pushnull_push,
};
PL_REGISTER_CLASS(push_null);
