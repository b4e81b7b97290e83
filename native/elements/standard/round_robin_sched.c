/* RoundRobinSched: pulls from its inputs in turn (Click's RRSched). */
#include "sched.h"

typedef struct {
    int next;
    pl_signal_slot *signals;
} rrs_state;

static int rrs_initialize(pl_element *e, pl_error *err)
{
    return pl_sched_listen(e, &PL_STATE(e, rrs_state)->signals, NULL, err);
}

static void rrs_cleanup(pl_element *e) { free(PL_STATE(e, rrs_state)->signals); }

/* Each pull serves the next input that has packets, a batch from it
 * (FastClick's pull_batch); per packet, Click's order exactly. */
static pl_packet *rrs_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    rrs_state *s = PL_STATE(e, rrs_state);
    int n = e->ninputs, i = s->next;
    for (int j = 0; j < n; j++) {
        pl_packet *b = pl_sched_input_active(s->signals, i) ? pl_input_pull(ctx, e, i, max) : NULL;
        if (++i >= n)
            i = 0;
        if (b) {
            s->next = i;
            return b;
        }
    }
    return NULL;
}

static const pl_class round_robin_sched = {
    .name = "RoundRobinSched",
    .ports = "1-/1",
    .processing = "l/l",
    .doc = "RoundRobinSched\n"
           "Pulls packets from its inputs in round-robin order.\n\n"
           "Each pull serves the next input (after the one served last) that has\n"
           "packets; inputs whose queues are empty are skipped without pulling. A batch\n"
           "pull takes a batch from one input (FastClick's pull_batch); in the engine's\n"
           "per-packet mode the order is Click's exactly.\n\n"
           "Example: q0 -> [0] rr :: RoundRobinSched; q1 -> [1] rr; rr -> Unqueue -> out;",
    .state_size = sizeof(rrs_state),
    .initialize = rrs_initialize,
    .cleanup = rrs_cleanup,
    .pull = rrs_pull,
    .sources = PL_S_NONE,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(round_robin_sched);
