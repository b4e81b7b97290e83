/* Unstrip: puts bytes back at the front of each packet. */
#include "../../core/element.h"

typedef struct {
    uint64_t length;
} unstrip_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static pl_packet *unstrip_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    return pl_push_nonunique(ctx, e, C_NOBUFS, p, (uint32_t)PL_STATE(e, unstrip_state)->length);
}

static const pl_param params[] = {
    {"LENGTH", PL_T_UINT, offsetof(unstrip_state, length), NULL, 0, PL_MAX_LEN,
     PL_P_POSITIONAL | PL_P_REQUIRED, "bytes to put back"},
    {0}};

static const pl_class unstrip = {
    .name = "Unstrip",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Unstrip(LENGTH)\n"
           "Unstrips bytes from front of packets.\n\n"
           "Moves each packet's data start LENGTH bytes back into its headroom, so\n"
           "that bytes an earlier Strip removed are part of the packet again. Only the\n"
           "data pointer moves: nothing is written, so shared packets stay shared. A\n"
           "packet with less than LENGTH bytes of headroom moves to a larger buffer\n"
           "first, as Click's nonunique_push() does (the bytes before its data come\n"
           "along; the rest of the new front is unspecified): the engine counts that\n"
           "as grown.\n"
           "Counters: nobufs (drop: no buffer for the move, or longer than a packet\n"
           "can be).\n\n"
           "Example: ... -> Strip(14) -> IPPrint -> Unstrip(14) -> ...",
    .state_size = sizeof(unstrip_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .simple_action = unstrip_action,
};
PL_REGISTER_CLASS(unstrip);
