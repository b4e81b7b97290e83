/* SimpleQueue: Click's name for a queue without locking; the same Queue here. */
#include "queue.h"

static const pl_class simple_queue = PL_QUEUE_CLASS(
    "SimpleQueue", "SimpleQueue([CAPACITY])\n"
                   "Stores packets in a FIFO queue.\n\n"
                   "The same element as Queue (see Queue): lock-free per-thread rings.");
PL_REGISTER_CLASS(simple_queue);
