/* Hub: a copy of each packet to every output but the one of its input. */
#include "../../core/element.h"

enum { C_NOWHERE, C_NOBUFS };
static const char *const counters[] = {"nowhere", "nobufs", NULL};

static void hub_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    int nout = e->noutputs, last = nout - 1;
    if (last == port)
        last--;
    if (last < 0) {                       /* one port only: nowhere to send */
        pl_drop_batch(ctx, e, C_NOWHERE, b);
        return;
    }
    for (int o = 0; o < last; o++) {
        if (o == port)
            continue;
        pl_packet *copies = NULL;
        PL_BATCH_FOREACH(p, b) {
            pl_packet *c = pl_packet_clone(ctx->pool, p);
            if (c)
                pl_batch_append(&copies, c);
            else
                pl_count(ctx, e, C_NOBUFS, 1);
        }
        if (copies)
            pl_output(ctx, e, o, copies);
    }
    pl_output(ctx, e, last, b);
}

static const pl_class hub = {
    .name = "Hub",
    .ports = "-/=",
    .processing = "h/h",
    .doc = "Hub\n"
           "Duplicates packets like a hub.\n\n"
           "Sends a copy of each packet out of every output port, except that a packet\n"
           "that arrived on input N does not leave by output N: an Ethernet hub, for any\n"
           "packets. It has as many outputs as inputs. The copies share their data\n"
           "(clones); the last port gets the packet itself.\n\n"
           "Counters: nobufs (copies that could not be made), nowhere (packets with no\n"
           "other port to go to: a one-port hub).\n\n"
           "Example: p[1] -> [1] h :: Hub [1] -> Paint(1) -> t;",
    .counters = counters,
    .ndrops = 1,
    .push = hub_push,
};
PL_REGISTER_CLASS(hub);
