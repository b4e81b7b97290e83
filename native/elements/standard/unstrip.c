/* Unstrip: puts bytes back at the front of each packet. */
#include "../../core/element.h"

typedef struct {
    uint64_t length;
} unstrip_state;

enum { C_NO_HEADROOM };
static const char *const counters[] = {"no_headroom", NULL};

static pl_packet *unstrip_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    uint32_t n = (uint32_t)PL_STATE(e, unstrip_state)->length;
    if (__builtin_expect(pl_headroom(p) < n, 0)) {
        pl_drop(ctx, e, C_NO_HEADROOM, p);
        return NULL;
    }
    pl_packet_push(p, n);
    return p;
}

static const pl_param params[] = {
    {"LENGTH", PL_T_UINT, offsetof(unstrip_state, length), NULL, 0, PL_BUFSIZE,
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
           "packet with less than LENGTH bytes of headroom is dropped.\n"
           "Counters: no_headroom (drop).\n\n"
           "Example: ... -> Strip(14) -> IPPrint -> Unstrip(14) -> ...",
    .state_size = sizeof(unstrip_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .simple_action = unstrip_action,
};
PL_REGISTER_CLASS(unstrip);
