/* StrideSwitch: sends packets to outputs by stride scheduling (Click's). */
#include "../../core/args.h"
#include "../../lib/stride.h"

#include <stdlib.h>

typedef struct {
    pl_args tickets;
    pl_stride_client *all, *list;
} sswitch_state;

enum { C_DROPS };
static const char *const counters[] = {"drops", NULL};

static int sw_initialize(pl_element *e, pl_error *err)
{
    sswitch_state *s = PL_STATE(e, sswitch_state);
    int n = e->noutputs, t[PL_MAX_PORTS];
    if (pl_stride_parse(e, &s->tickets, n, "output", t, err))
        return err->status;
    s->all = calloc((size_t)n, sizeof *s->all);
    if (!s->all)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    pl_stride_init(s->all, n, t, &s->list);
    return 0;
}

static void sw_cleanup(pl_element *e) { free(PL_STATE(e, sswitch_state)->all); }

static int sw_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    sswitch_state *s = PL_STATE(e, sswitch_state);
    pl_stride_client *c = s->list;
    if (!c) {
        pl_drop(ctx, e, C_DROPS, p);   /* every output has 0 tickets */
        return -1;
    }
    if ((s->list = c->next))
        s->list->pprev = &s->list;
    pl_stride_step(c);
    pl_stride_insert(c, &s->list);
    return (int)(c - s->all);
}

static const pl_param params[] = {
    {"TICKETS", PL_T_ARGS, offsetof(sswitch_state, tickets), NULL, 0, -1, PL_P_POSITIONAL,
     "tickets of each output, in order"},
    {0}};

static const pl_class stride_switch = {
    .name = "StrideSwitch",
    .ports = "1/1-",
    .processing = "h/h",
    .doc = "StrideSwitch(TICKETS0, ..., TICKETSN-1)\n"
           "Sends packets to outputs by stride scheduling.\n\n"
           "Output k gets a share of the packets proportional to its tickets\n"
           "(0..32768), in Click's stride order (ties in port order). One argument per\n"
           "output. If every output has 0 tickets, packets are dropped (drops).\n"
           "Counters: drops (drop).\n\n"
           "Example: src -> StrideSwitch(3, 1) => (fast, slow);",
    .state_size = sizeof(sswitch_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .initialize = sw_initialize,
    .cleanup = sw_cleanup,
    .classify = sw_classify,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(stride_switch);
