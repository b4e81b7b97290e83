/*
 * Pulling through agnostic elements, a batch at a time (FastClick's
 * pull_batch): `Queue -> Counter -> Shaper -> ToDevice` works although
 * Counter only has a push function.
 *
 * An element whose output is resolved pull and whose class has no pull
 * function of its own is pulled through what it has:
 *   simple_action  pull a batch from its input, run the action over it,
 *                  return what is left (the batch loop of pl_push_simple);
 *   push/classify  pull a batch from its input and call its push function
 *                  with the pulled output's edge replaced by a capture edge:
 *                  what it sends to that output is collected and returned;
 *                  its push outputs (RED's drops, CheckIPHeader's bad
 *                  packets) keep pushing as usual.
 * The cost is per batch: one indirect call per element, as in push.
 * Capture edges count into a scratch statistics slot; the pull edge is
 * counted by the puller (pl_input_pull).
 */
#include "engine.h"

#include <stdlib.h>

static void capture_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    if (ctx->capture && port == ctx->capture_port) {
        pl_batch_join(ctx->capture, b);
        return;
    }
    /* Sent to a pull output outside a pull of it: nothing can take it. */
    uint32_t n = b->b_count;
    pl_batch_free(ctx->pool, b);
    __atomic_fetch_add(&e->eng->retired_drops, n, __ATOMIC_RELAXED);
}

/* The input that feeds output `port` when it is pulled. */
static int input_for(const pl_element *e, int port)
{
    pl_edge *cap = atomic_load_explicit(&e->out[port], memory_order_relaxed);
    return cap->from_port;
}

static pl_packet *pull_simple(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    pl_packet *b = pl_input_pull(ctx, e, input_for(e, port), max);
    if (!b)
        return NULL;
    pl_packet *(*act)(pl_element *, pl_packet *, pl_ctx *) = e->cls->simple_action;
    pl_packet *head = NULL, *last = NULL;
    uint32_t n = 0;
    uint64_t bytes = 0;
    for (pl_packet *p = b; p;) {
        pl_packet *next = p->next;
        pl_packet *q = act(e, p, ctx);
        if (q) {
            if (last)
                last->next = q;
            else
                head = q;
            last = q;
            n++;
            bytes += q->len;
        }
        p = next;
    }
    if (!head)
        return NULL;
    last->next = NULL;
    head->b_tail = last;
    head->b_count = n;
    head->b_bytes = bytes;
    return head;
}

static pl_packet *pull_via_push(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    int in = input_for(e, port);
    if (e->cls->pull_max)
        max = e->cls->pull_max(e, max);
    pl_packet *b = pl_input_pull(ctx, e, in, max);
    if (!b)
        return NULL;
    pl_packet *got = NULL, **saved = ctx->capture;
    int saved_port = ctx->capture_port;
    ctx->capture = &got;
    ctx->capture_port = port;
    e->push(e, in, b, ctx);
    ctx->capture = saved;
    ctx->capture_port = saved_port;
    return got;
}

int pl_setup_pull(pl_element *el, pl_error *err)
{
    char d[160];
    int pulls = 0;
    for (int o = 0; o < el->noutputs; o++)
        pulls += pl_output_is_pull(el, o);
    if (!pulls)
        return 0;
    if (el->cls->pull) {
        el->pull = el->cls->pull;
        return 0;
    }
    if (el->cls->simple_action)
        el->pull = pull_simple;
    else if (el->push && pulls == 1)
        el->pull = pull_via_push;
    else if (el->push)
        return pl_seterr(err, PL_ERR_GRAPH, el, "", "'%s' cannot be pulled on %d outputs at once",
                         pl_decl(el, d, sizeof d), pulls);
    else
        return pl_seterr(err, PL_ERR_GRAPH, el, "", "'%s' cannot be pulled",
                         pl_decl(el, d, sizeof d));
    for (int o = 0; o < el->noutputs; o++) {
        if (!pl_output_is_pull(el, o))
            continue;
        int in = -1;
        for (int p = 0; p < el->ninputs && in < 0; p++)
            if (pl_input_is_pull(el, p) && pl_flows(el, 1, o, p))
                in = p;
        if (in < 0)
            return pl_seterr(err, PL_ERR_GRAPH, el, "",
                             "'%s' output %d is pulled, but no pull input feeds it",
                             pl_decl(el, d, sizeof d), o);
        pl_edge *cap = malloc(sizeof *cap);
        if (!cap)
            return pl_seterr(err, PL_ERR_NOMEM, el, "", "out of memory");
        *cap = (pl_edge){el, capture_push, o, el->eng->scratch_port, NULL, in, NULL};
        free(atomic_load_explicit(&el->out[o], memory_order_relaxed));
        atomic_store_explicit(&el->out[o], cap, memory_order_relaxed);
    }
    return 0;
}

int pl_sink_init(pl_element *e, uint32_t burst, pl_error *err)
{
    if (!pl_input_is_pull(e, 0)) {
        e->no_task = 1;
        return 0;
    }
    e->sink_burst = burst ? burst : 32;
    return pl_listen(e, PL_NOTE_EMPTY, 0, &e->sink_signal, pl_task_wake, err);
}

uint32_t pl_sink_run(pl_element *e, pl_ctx *ctx)
{
    pl_packet *b = pl_input_pull(ctx, e, 0, e->sink_burst);
    if (!b) {
        pl_task_sleep_unless(e, &e->sink_signal);
        return 0;
    }
    uint32_t n = b->b_count;
    e->push(e, 0, b, ctx);
    return n;
}
