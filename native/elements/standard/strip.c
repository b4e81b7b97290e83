/* Strip: removes bytes from the front of each packet. */
#include "../../core/element.h"

typedef struct {
    uint64_t length;
} strip_state;

enum { C_SHORT };
static const char *const counters[] = {"short", NULL};

static pl_packet *strip_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    uint32_t n = (uint32_t)PL_STATE(e, strip_state)->length;
    if (__builtin_expect(p->len < n, 0)) {
        pl_count(ctx, e, C_SHORT, 1);
        n = p->len;
    }
    pl_packet_pull(p, n);
    return p;
}

static const pl_param params[] = {
    {"LENGTH", PL_T_UINT, offsetof(strip_state, length), NULL, 0, PL_MAX_LEN,
     PL_P_POSITIONAL | PL_P_REQUIRED, "bytes to remove"},
    {0}};

static const pl_class strip = {
    .name = "Strip",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Strip(LENGTH)\n"
           "Strips bytes from front of packets.\n\n"
           "Removes the first LENGTH bytes of each packet by moving its data start\n"
           "(nothing is copied; the bytes stay in the headroom, where Unstrip finds\n"
           "them). A packet shorter than LENGTH becomes empty, as in Click.\n"
           "Counters: short (packets shorter than LENGTH).\n\n"
           "Example: FromMemory -> Strip(14) -> CheckIPHeader -> ...",
    .state_size = sizeof(strip_state),
    .params = params,
    .counters = counters,
    .simple_action = strip_action,
};
PL_REGISTER_CLASS(strip);
