/* CheckLength: drops or redirects packets longer than a length. */
#include "../../lib/netpkt.h"

typedef struct {
    uint64_t length;
} cl_state;

enum { C_TOO_LONG };
static const char *const counters[] = {"too_long", NULL};

static inline int cl_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    (void)ctx;
    return (*pp)->len > PL_LIVE(PL_STATE(e, cl_state)->length) ? C_TOO_LONG + 1 : 0;
}

static void cl_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, cl_check);
}

static const pl_param params[] = {
    {"LENGTH", PL_T_UINT, offsetof(cl_state, length), NULL, 0, 4294967295.0,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE, "longest packet sent to output 0"},
    {0}};

static const pl_class check_length = {
    .name = "CheckLength",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "CheckLength(LENGTH)\n"
           "Drops large packets.\n\n"
           "Packets of at most LENGTH bytes go to output 0; longer ones to output 1 if\n"
           "it is connected, and are dropped otherwise. Handler: length (writable).\n"
           "Counters (drop): too_long.\n\n"
           "Example: FromDevice(eth0) -> CheckLength(1514) -> ...",
    .state_size = sizeof(cl_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .push = cl_push,
};
PL_REGISTER_CLASS(check_length);
