/* PaintTee: sends a copy of packets with a given paint to output 1. */
#include "../../core/element.h"

typedef struct {
    uint64_t color;
} pt_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static void pt_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    uint8_t color = (uint8_t)PL_STATE(e, pt_state)->color;
    pl_packet *copies = NULL;
    PL_BATCH_FOREACH(p, b) {
        if (__builtin_expect(p->paint == color, 0)) {
            pl_packet *c = pl_packet_clone(ctx->pool, p);
            if (c)
                pl_batch_append(&copies, c);
            else
                pl_count(ctx, e, C_NOBUFS, 1);
        }
    }
    if (copies)                   /* Click pushes the copy out of [1] before p goes on */
        pl_output(ctx, e, 1, copies);
    pl_output(ctx, e, 0, b);
}

static const pl_param params[] = {
    {"COLOR", PL_T_UINT, offsetof(pt_state, color), NULL, 0, 255, PL_P_POSITIONAL | PL_P_REQUIRED,
     "the paint annotation value to copy"},
    {0}};

static const pl_class paint_tee = {
    .name = "PaintTee",
    .ports = "1/2",
    .processing = "a/ah",
    .doc = "PaintTee(COLOR)\n"
           "Duplicates packets with given paint annotation.\n\n"
           "Sends every packet through output 0. Packets whose paint annotation is\n"
           "COLOR are also copied (clones sharing their data) to output 1, after the\n"
           "batch left on output 0. The router uses it to find packets that leave by\n"
           "the interface they came in on, for ICMP redirects.\n"
           "Counters: nobufs (copies that could not be made).\n\n"
           "Example: rt[1] -> DropBroadcasts -> cp :: PaintTee(1) -> ...;\n"
           "         cp[1] -> ICMPError(10.0.0.1, redirect, host) -> rt;",
    .state_size = sizeof(pt_state),
    .params = params,
    .counters = counters,
    .push = pt_push,
};
PL_REGISTER_CLASS(paint_tee);
