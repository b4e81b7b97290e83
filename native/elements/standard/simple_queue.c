/* SimpleQueue: a Queue without notifiers (Click's). */
#include "queue.h"

static int sq_initialize(pl_element *e, pl_error *err)
{
    return pl_queue_init_notes(e, 0, err);
}

static const pl_class simple_queue = PL_QUEUE_CLASS(
    "SimpleQueue",
    PL_QUEUE_DOC("SimpleQueue",
                 "No notifiers: what pulls from it polls (its task never sleeps), as in Click.\n"),
    sq_initialize);
PL_REGISTER_CLASS(simple_queue);
