/* PullTee: the pull-input Tee (Click's): output 0 pulled, the others pushed copies. */
#include "../../core/element.h"

typedef struct {
    uint64_t n;                   /* 0: as many outputs as are connected */
} pulltee_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static int pulltee_initialize(pl_element *e, pl_error *err)
{
    uint64_t n = PL_STATE(e, pulltee_state)->n;
    if (n && n != (uint64_t)e->noutputs)
        return pl_seterr(err, PL_ERR_GRAPH, e, "N", "N is %llu, but %d output%s connected",
                         (unsigned long long)n, e->noutputs,
                         e->noutputs == 1 ? " is" : "s are");
    return 0;
}

/* Clones of b's packets, in order, as one batch (NULL if the pool ran dry:
 * every clone not made is counted). */
static pl_packet *pulltee_clones(pl_element *e, pl_ctx *ctx, pl_packet *b)
{
    pl_packet *c = NULL;
    PL_BATCH_FOREACH(p, b) {
        pl_packet *q = pl_packet_clone(ctx->pool, p);
        if (!q) {
            pl_count(ctx, e, C_NOBUFS, 1);
            continue;
        }
        pl_batch_append(&c, q);
    }
    return c;
}

static pl_packet *pulltee_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    (void)port;
    pl_packet *b = pl_input_pull(ctx, e, 0, max);
    if (!b)
        return NULL;
    /* Copies first: once output 0's puller has the original, it may be gone. */
    for (int i = 1; i < e->noutputs; i++) {
        pl_packet *c = pulltee_clones(e, ctx, b);
        if (c)
            pl_output(ctx, e, i, c);
    }
    return b;
}

static const pl_param params[] = {
    {"N", PL_T_UINT, offsetof(pulltee_state, n), "0", 0, PL_MAX_PORTS, PL_P_POSITIONAL,
     "number of outputs (0: as many as are connected)"},
    {0}};

static const pl_class pull_tee = {
    .name = "PullTee",
    .ports = "1/1-",
    .processing = "l/lh",
    .doc = "PullTee([N])\n"
           "Duplicates packets, pulled on output 0.\n\n"
           "Its input and output 0 are pull; outputs 1 to N-1 are push. When output 0\n"
           "pulls, PullTee pulls a batch from its input, pushes a clone of every\n"
           "packet (sharing its data) to each of outputs 1..N-1 in port order, and\n"
           "returns the original to output 0. N, when given, must match the outputs\n"
           "connected.\n"
           "Counters: nobufs (clones that could not be made: the pool was empty).\n\n"
           "Example: src -> Queue -> t :: PullTee(2) -> Unqueue -> ToMemory;\n"
           "         t[1] -> Print(copy) -> Discard;",
    .state_size = sizeof(pulltee_state),
    .params = params,
    .counters = counters,
    .initialize = pulltee_initialize,
    .pull = pulltee_pull,
};
PL_REGISTER_CLASS(pull_tee);
