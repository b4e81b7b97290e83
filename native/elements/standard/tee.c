/* Tee: copies each batch to every output, cloning whole batches. */
#include "../../core/element.h"

typedef struct {
    uint64_t n;                   /* 0: as many outputs as are connected */
} tee_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static int tee_initialize(pl_element *e, pl_error *err)
{
    uint64_t n = PL_STATE(e, tee_state)->n;
    if (n && n != (uint64_t)e->noutputs)
        return pl_seterr(err, PL_ERR_GRAPH, e, "N", "N is %llu, but %d output%s connected",
                         (unsigned long long)n, e->noutputs,
                         e->noutputs == 1 ? " is" : "s are");
    return 0;
}

/* Clones of every packet of b, as one batch: shared data, copied annotations
 * (Click's clone()). Stops early, counting, when the pool runs dry. */
static pl_packet *clone_batch(pl_element *e, pl_ctx *ctx, pl_packet *b)
{
    pl_packet *c = pl_pool_alloc_batch(ctx->pool, b->b_count);
    if (!c) {
        pl_count(ctx, e, C_NOBUFS, b->b_count);
        return NULL;
    }
    if (c->b_count < b->b_count)
        pl_count(ctx, e, C_NOBUFS, b->b_count - c->b_count);
    pl_packet *p = b;
    uint64_t bytes = 0;
    PL_BATCH_FOREACH(q, c) {
        pl_packet *o = p->origin;
        if (!(o->flags & PL_PKT_STATIC))
            pl_ref_inc(o);
        q->origin = o;
        q->buf = p->buf;
        q->buf_end = p->buf_end;
        q->data = p->data;
        q->len = p->len;
        q->mac_off = p->mac_off;
        q->net_off = p->net_off;
        q->paint = p->paint;
        q->dst_ip = p->dst_ip;
        q->timestamp = p->timestamp;
        memcpy(q->anno, p->anno, sizeof q->anno);
        bytes += p->len;
        p = p->next;
    }
    c->b_bytes = bytes;
    return c;
}

static void tee_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    int n = e->noutputs;
    if (n == 1) {
        pl_output(ctx, e, 0, b);
        return;
    }
    /* Clone first: once output 0 has the original, it may be gone. */
    pl_packet *copies[PL_MAX_PORTS];
    for (int i = 1; i < n; i++)
        copies[i] = clone_batch(e, ctx, b);
    pl_output(ctx, e, 0, b);
    for (int i = 1; i < n; i++)
        if (copies[i])
            pl_output(ctx, e, i, copies[i]);
}

static const pl_param params[] = {
    {"N", PL_T_UINT, offsetof(tee_state, n), "0", 0, PL_MAX_PORTS, PL_P_POSITIONAL,
     "number of outputs (0: as many as are connected)"},
    {0}};

static const pl_class tee = {
    .name = "Tee",
    .ports = "1/1-",
    .processing = "h/h",
    .doc = "Tee([N])\n"
           "Duplicates packets.\n\n"
           "Sends every packet to each of its N outputs: output 0 gets the original,\n"
           "the others clones that share its data (an element that writes a packet\n"
           "copies it first). Whole batches are cloned at once and pushed in port\n"
           "order. N, when given, must match the outputs connected.\n"
           "Counters: nobufs (clones that could not be made: the pool was empty).\n\n"
           "Example: src -> t :: Tee(2); t[0] -> ToMemory; t[1] -> Print(copy) -> Discard;",
    .state_size = sizeof(tee_state),
    .params = params,
    .counters = counters,
    .initialize = tee_initialize,
    .push = tee_push,
};
PL_REGISTER_CLASS(tee);
