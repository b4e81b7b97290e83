/* ThreadSafeQueue: Click's multi-thread queue; every Queue here is thread-safe. */
#include "queue.h"

static const pl_class thread_safe_queue = PL_QUEUE_CLASS(
    "ThreadSafeQueue", "ThreadSafeQueue([CAPACITY])\n"
                       "Stores packets in a FIFO queue shared by threads.\n\n"
                       "The same element as Queue (see Queue): one lock-free ring per\n"
                       "pushing thread, drained by the thread that pulls.");
PL_REGISTER_CLASS(thread_safe_queue);
