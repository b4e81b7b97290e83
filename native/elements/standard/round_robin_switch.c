/* RoundRobinSwitch: sends packets to its outputs in turn. */
#include "../../core/element.h"
#include "../../lib/netpkt.h"

typedef struct {
    _Atomic uint64_t next;        /* packets switched so far: the next one's turn */
} rrs_state;

enum { C_UNCONNECTED };
static const char *const counters[] = {"unconnected", NULL};

typedef struct {
    uint64_t base;
    uint32_t k;
} rrs_turn;

static inline int rrs_port(pl_element *e, pl_packet *p, pl_ctx *ctx, const void *aux)
{
    (void)p, (void)ctx;
    rrs_turn *t = (rrs_turn *)aux;
    return (int)((t->base + t->k++) % (uint64_t)e->noutputs);
}

static void rrs_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    rrs_state *s = PL_STATE(e, rrs_state);
    /* one atomic per batch: the batch takes the next b_count turns, so threads
     * sharing the element still go round the outputs in order */
    rrs_turn t = {atomic_fetch_add_explicit(&s->next, b->b_count, memory_order_relaxed), 0};
    pl_push_split(e, b, ctx, rrs_port, &t, C_UNCONNECTED);
}

static const pl_class round_robin_switch = {
    .name = "RoundRobinSwitch",
    .ports = "1/1-",
    .processing = "h/h",
    .doc = "RoundRobinSwitch()\n"
           "Sends packets to its outputs in turn.\n\n"
           "The first packet leaves through output 0, the next through output 1, and so\n"
           "on, back to output 0 after the last output, as Click's RoundRobinSwitch.\n"
           "Packets of a batch are split among the outputs (consecutive packets for one\n"
           "output stay one batch); a batch takes its turns at once, so the rotation\n"
           "holds when several threads push into the element.\n\n"
           "Keywords: none.\n"
           "Counters: unconnected (packets for an output nothing is connected to).\n\n"
           "Example: src -> r :: RoundRobinSwitch; r[0] -> q0 :: Queue; r[1] -> q1 :: Queue;",
    .state_size = sizeof(rrs_state),
    .counters = counters,
    .ndrops = 1,
    .push = rrs_push,
};
PL_REGISTER_CLASS(round_robin_switch);
