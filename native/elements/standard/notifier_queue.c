/* NotifierQueue: a Queue with an empty notifier only (Click's). */
#include "queue.h"

static int nq_initialize(pl_element *e, pl_error *err)
{
    return pl_queue_init_notes(e, PL_QUEUE_EMPTY_NOTE, err);
}

static const pl_class notifier_queue = PL_QUEUE_CLASS(
    "NotifierQueue",
    PL_QUEUE_DOC("NotifierQueue",
                 "Notifiers: empty only (the element that pulls sleeps while it is empty);\n"
                 "unlike Queue, a source that fills it is not told when it is full.\n"),
    nq_initialize);
PL_REGISTER_CLASS(notifier_queue);
