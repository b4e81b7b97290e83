/* Bypass: an optional path, switched on and off by a handler. */
#include "../../core/args.h"

typedef struct {
    uint8_t active;
    uint8_t inline_;
} bypass_state;

/* Push: input 0 goes to output 1 when active (and connected), else to
 * output 0; input 1 (the way back from the optional path) to output 0. */
static void bypass_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    int active = PL_LIVE(PL_STATE(e, bypass_state)->active);
    pl_output(ctx, e, active && port == 0 && e->noutputs > 1, b);
}

/* Pull, mirrored: output 0 pulls from input 1 when active, output 1 from input 0. */
static pl_packet *bypass_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    int active = PL_LIVE(PL_STATE(e, bypass_state)->active);
    return pl_input_pull(ctx, e, active && port == 0 && e->ninputs > 1, max);
}

static int read_active(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", PL_LIVE(PL_STATE(e, bypass_state)->active) ? "true" : "false");
}

static int write_active(pl_element *e, const char *v, pl_error *err)
{
    uint8_t b;
    if (pl_parse_bool(v, &b))
        return pl_seterr(err, PL_ERR_HANDLER, e, "active", "syntax error");
    __atomic_store_n(&PL_STATE(e, bypass_state)->active, b, __ATOMIC_RELAXED);
    return 0;
}

static const pl_param params[] = {
    {"ACTIVE", PL_T_BOOL, offsetof(bypass_state, active), "false", 0, -1, PL_P_POSITIONAL,
     "send packets through the optional path (output 1)"},
    {"INLINE", PL_T_BOOL, offsetof(bypass_state, inline_), "false", 0, -1, 0,
     "accepted for Click; pktlab's Bypass always stays in line"},
    {0}};

static const pl_handler handlers[] = {
    {"active", "whether packets take the optional path", read_active, write_active},
    {0}};

static const pl_class bypass = {
    .name = "Bypass",
    .ports = "1-2/1-2",
    .processing = "a/a",
    .doc = "Bypass([ACTIVE, INLINE])\n"
           "Sends packets through an optional path.\n\n"
           "Inactive, a push Bypass emits the packets it receives on output 0, like Null.\n"
           "Active (handler active true), it emits those of input 0 on output 1, the\n"
           "optional path, whose end may come back through input 1, which always leads\n"
           "to output 0. A pull Bypass is the mirror: output 0 pulls from input 1 when\n"
           "active, output 1 from input 0.\n\n"
           "  src -> b :: Bypass -> sink;  b[1] -> Print(Debug) -> [1] b;\n\n"
           "Click's Bypass rewires its neighbours so that it costs nothing; pktlab's stays\n"
           "in line (INLINE is accepted and has no effect): one indirect call per batch.\n\n"
           "Keywords: ACTIVE (bool), INLINE (bool).\n"
           "Handlers: active (read/write).\n\n"
           "Example: c :: Counter(COUNT_CALL 3 b.active true) -> b :: Bypass -> Discard;",
    .state_size = sizeof(bypass_state),
    .params = params,
    .handlers = handlers,
    .push = bypass_push,
    .pull = bypass_pull,
};
PL_REGISTER_CLASS(bypass);
