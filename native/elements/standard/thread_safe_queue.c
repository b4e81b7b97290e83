/* ThreadSafeQueue: Click's multi-thread queue; every Queue here is thread-safe. */
#include "queue.h"

static const pl_class thread_safe_queue = PL_QUEUE_CLASS(
    "ThreadSafeQueue",
    PL_QUEUE_DOC("ThreadSafeQueue", PL_QUEUE_NOTES_BOTH
                 "The same element as Queue: one lock-free ring per pushing thread,\n"
                 "drained by the thread that pulls.\n"),
    pl_queue_initialize);
PL_REGISTER_CLASS(thread_safe_queue);
