/* DRRSched: deficit round robin over its inputs (Click's). */
#include "sched.h"

typedef struct {
    pl_packet *head;              /* a packet pulled but too big for the deficit yet */
    int64_t deficit;
} drr_port;

typedef struct {
    int64_t quantum;
    int next;
    drr_port *pi;
    pl_signal_slot *signals;
    pl_notifier note;             /* active iff some input may have packets */
} drr_state;

enum { C_HELD };
static const char *const counters[] = {"held_dropped", NULL};

static void drr_wake(pl_element *e) { pl_notifier_wake(&PL_STATE(e, drr_state)->note); }

static int drr_initialize(pl_element *e, pl_error *err)
{
    drr_state *s = PL_STATE(e, drr_state);
    if (s->quantum <= 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "QUANTUM", "bad QUANTUM");
    s->pi = calloc((size_t)(e->ninputs ? e->ninputs : 1), sizeof *s->pi);
    if (!s->pi)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    pl_notifier_init(&s->note, 1);
    if (pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->note, 0, err))
        return err->status;
    return pl_sched_listen(e, &s->signals, drr_wake, err);
}

static void drr_cleanup(pl_element *e)
{
    drr_state *s = PL_STATE(e, drr_state);
    for (int i = 0; s->pi && i < e->ninputs; i++)
        if (s->pi[i].head)
            pl_packet_free_ctl(e, C_HELD, s->pi[i].head);
    free(s->pi);
    free(s->signals);
}

/* Click's DRRSched::pull, one packet. */
static pl_packet *drr_one(pl_element *e, drr_state *s, pl_ctx *ctx)
{
    int n = e->ninputs, on = 0;
    for (int j = 0; j < n; j++) {
        drr_port *pi = &s->pi[s->next];
        pl_packet *p;
        if ((p = pi->head)) {
            pi->head = NULL;
            on = 1;
        } else if (pl_sched_input_active(s->signals, s->next)) {
            p = pl_input_pull(ctx, e, s->next, 1);
            on = 1;
        }
        if (!p)
            pi->deficit = 0;
        else if ((int64_t)p->len <= pi->deficit) {
            pi->deficit -= p->len;
            pl_notifier_wake(&s->note);
            return pl_batch_one(p);
        } else
            pi->head = p;
        if (++s->next >= n)
            s->next = 0;
        s->pi[s->next].deficit += s->quantum;
    }
    if (on)
        pl_notifier_wake(&s->note);
    else
        pl_notifier_sleep(&s->note);
    return NULL;
}

static pl_packet *drr_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    drr_state *s = PL_STATE(e, drr_state);
    pl_packet *b = NULL, *p;
    while (pl_batch_count(b) < max && (p = drr_one(e, s, ctx)))
        pl_batch_join(&b, p);
    return b;
}

static const pl_param params[] = {
    {"QUANTUM", PL_T_INT, offsetof(drr_state, quantum), "500", -1e9, 1e9, PL_P_POSITIONAL,
     "bytes added to an input's deficit each round"},
    {0}};

static const pl_class drr_sched = {
    .name = "DRRSched",
    .ports = "-/1",
    .processing = "l/l",
    .doc = "DRRSched([QUANTUM])\n"
           "Pulls from its inputs by deficit round robin.\n\n"
           "Shreedhar and Varghese's deficit round robin (SIGCOMM 1995), as Click's:\n"
           "each round an input's deficit grows by QUANTUM bytes, and it may send\n"
           "packets while they fit in it; a packet too big waits in the scheduler\n"
           "for the next round. Inputs whose queues are empty are skipped. It is a\n"
           "notifier itself: what pulls from it sleeps while no input has packets.\n"
           "A batch pull runs the per-packet algorithm until the batch is full.\n"
           "Counters: held_dropped (drop: packets held back when it was removed).\n\n"
           "Example: q0 -> [0] d :: DRRSched(1500); q1 -> [1] d; d -> ToDevice(eth0);",
    .state_size = sizeof(drr_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .initialize = drr_initialize,
    .cleanup = drr_cleanup,
    .pull = drr_pull,
    .sources = PL_S_NONE,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(drr_sched);
