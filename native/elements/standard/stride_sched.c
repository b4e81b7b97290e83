/* StrideSched: pulls from inputs by stride scheduling (Click's). */
#include "../../core/args.h"
#include "../../lib/stride.h"
#include "sched.h"

#include <stdio.h>

typedef struct {
    pl_args tickets;
    pl_stride_client *all, *list;
    pl_signal_slot *signals;
} ssched_state;

static int ss_initialize(pl_element *e, pl_error *err)
{
    ssched_state *s = PL_STATE(e, ssched_state);
    int n = e->ninputs, t[PL_MAX_PORTS];
    if (pl_stride_parse(e, &s->tickets, n, "input", t, err))
        return err->status;
    s->all = calloc((size_t)n, sizeof *s->all);
    if (!s->all)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    pl_stride_init(s->all, n, t, &s->list);
    return pl_sched_listen(e, &s->signals, NULL, err);
}

static void ss_cleanup(pl_element *e)
{
    ssched_state *s = PL_STATE(e, ssched_state);
    free(s->all);
    free(s->signals);
}

/* Click's StrideSched::pull: go over the list until an input gives a
 * packet, striding each one tried; then put the tried ones back in order. */
static pl_packet *ss_one(pl_element *e, ssched_state *s, pl_ctx *ctx)
{
    pl_stride_client *stridden = s->list, *c;
    pl_packet *p = NULL;
    for (c = s->list; c && !p; c = c->next) {
        int i = (int)(c - s->all);
        if (pl_sched_input_active(s->signals, i))
            p = pl_input_pull(ctx, e, i, 1);
        pl_stride_step(c);
    }
    if ((s->list = c))
        c->pprev = &s->list;
    while (stridden != c) {
        pl_stride_client *next = stridden->next;
        pl_stride_insert(stridden, &s->list);
        stridden = next;
    }
    return p;
}

static pl_packet *ss_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    ssched_state *s = PL_STATE(e, ssched_state);
    pl_packet *b = NULL, *p;
    while (pl_batch_count(b) < max && (p = ss_one(e, s, ctx)))
        pl_batch_join(&b, p);
    return b;
}

/* ticketsK handlers (Click's), one per input. */
static int port_of(pl_element *e, const char *name)
{
    char *end;
    if (strncmp(name, "tickets", 7) || !name[7])
        return -1;
    long k = strtol(name + 7, &end, 10);
    return *end || k < 0 || k >= e->ninputs ? -1 : (int)k;
}

static int ss_any_read(pl_element *e, const char *name, const char *param, char *buf, size_t len,
                       pl_error *err)
{
    int k = port_of(e, name);
    if (k < 0)
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "%s has no handler '%s'", e->name, name);
    return pl_fmt(buf, len, "%d", __atomic_load_n(&PL_STATE(e, ssched_state)->all[k].tickets,
                                                  __ATOMIC_RELAXED));
}

/* Changing tickets touches the schedule the puller walks: with the
 * workers parked. */
static int ss_any_write(pl_element *e, const char *name, const char *v, pl_error *err)
{
    ssched_state *s = PL_STATE(e, ssched_state);
    int k = port_of(e, name);
    int64_t t;
    if (k < 0)
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "%s has no handler '%s'", e->name, name);
    if (pl_parse_int(v, &t))
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "tickets value must be integer");
    if (t < 0)
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "number of tickets must be >= 0");
    if (t > PL_STRIDE_MAX_TICKETS)
        t = PL_STRIDE_MAX_TICKETS;
    pl_engine_park(e->eng);
    pl_stride_change(&s->all[k], (int)t, &s->list);
    pl_engine_unpark(e->eng);
    return 0;
}

static const pl_param params[] = {
    {"TICKETS", PL_T_ARGS, offsetof(ssched_state, tickets), NULL, 0, -1, PL_P_POSITIONAL,
     "tickets of each input, in order"},
    {0}};

static const pl_class stride_sched = {
    .name = "StrideSched",
    .ports = "1-/1",
    .processing = "l/l",
    .doc = "StrideSched(TICKETS0, ..., TICKETSN-1)\n"
           "Pulls from its inputs by stride scheduling.\n\n"
           "Input k gets a share of the pulls proportional to its tickets (0..32768).\n"
           "Each pull tries the inputs in the stride queue's order until one gives a\n"
           "packet; those tried and empty are not tried again for this pull (Click's\n"
           "rule). Inputs whose queues are empty are skipped. A batch pull runs it\n"
           "per packet until the batch is full. Handlers ticketsK (rw) read and change\n"
           "input K's tickets while packets flow.\n\n"
           "Example: q0 -> [0] s :: StrideSched(3, 1); q1 -> [1] s; s -> Unqueue -> out;",
    .state_size = sizeof(ssched_state),
    .params = params,
    .initialize = ss_initialize,
    .cleanup = ss_cleanup,
    .pull = ss_pull,
    .any_read = ss_any_read,
    .any_write = ss_any_write,
    .sources = PL_S_NONE,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(stride_sched);
