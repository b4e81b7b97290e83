/* QuickNoteQueue: a Queue whose empty notifier sleeps as soon as it empties
 * (Click's). */
#include "queue.h"

static int quick_initialize(pl_element *e, pl_error *err)
{
    PL_STATE(e, pl_queue_state)->quick = 1;
    return pl_queue_initialize(e, err);
}

static const pl_class quick_note_queue = PL_QUEUE_CLASS(
    "QuickNoteQueue",
    PL_QUEUE_DOC("QuickNoteQueue",
                 PL_QUEUE_NOTES_BOTH "Unlike Queue's, its empty notifier goes to sleep as soon\n"
                 "as a pull takes its last packet (Click's QuickNoteQueue), not after\n"
                 "several empty pulls: the puller sleeps at once, at the cost of a wake-up\n"
                 "for each packet when the queue hovers around empty.\n"),
    quick_initialize);
PL_REGISTER_CLASS(quick_note_queue);
