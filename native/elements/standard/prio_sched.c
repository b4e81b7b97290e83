/* PrioSched: pulls from the first input that has a packet (Click's). */
#include "sched.h"

typedef struct {
    pl_signal_slot *signals;
} prio_state;

static int prio_initialize(pl_element *e, pl_error *err)
{
    return pl_sched_listen(e, &PL_STATE(e, prio_state)->signals, NULL, err);
}

static void prio_cleanup(pl_element *e) { free(PL_STATE(e, prio_state)->signals); }

/* A batch: from input 0 as much as it has, then the rest from input 1, ...
 * (what that many of Click's per-packet pulls return). */
static pl_packet *prio_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    prio_state *s = PL_STATE(e, prio_state);
    pl_packet *b = NULL;
    for (int i = 0; i < e->ninputs && pl_batch_count(b) < max; i++) {
        if (!pl_sched_input_active(s->signals, i))
            continue;
        pl_batch_join(&b, pl_input_pull(ctx, e, i, max - pl_batch_count(b)));
    }
    return b;
}

static const pl_class prio_sched = {
    .name = "PrioSched",
    .ports = "1-/1",
    .processing = "l/l",
    .doc = "PrioSched\n"
           "Pulls packets from its inputs in strict priority order.\n\n"
           "Each pull takes from input 0 if it has packets, else from input 1, and so\n"
           "on: lower inputs starve higher ones. Inputs whose queues are empty (their\n"
           "notifiers say so) are not even asked. A batch pull takes what input 0 has,\n"
           "then fills up from input 1, ...; the element that pulls through it sleeps\n"
           "while every input's queues are empty.\n\n"
           "Example: hi :: Queue; lo :: Queue; hi -> [0] p :: PrioSched; lo -> [1] p;\n"
           "         p -> ToDevice(eth0);",
    .state_size = sizeof(prio_state),
    .initialize = prio_initialize,
    .cleanup = prio_cleanup,
    .pull = prio_pull,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(prio_sched);
