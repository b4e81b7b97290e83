/* Null: passes batches through unchanged (a measure of per-element cost). */
#include "../../core/element.h"

static void null_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_output(ctx, e, 0, b);
}

static const pl_class null_class = {
    .name = "Null",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Null\n"
           "Passes packets unchanged.\n\n"
           "Pushes every batch it receives to its output as it is.\n\n"
           "Example: InfiniteSource -> Null -> Null -> Discard;",
    .push = null_push,
};
PL_REGISTER_CLASS(null_class);
