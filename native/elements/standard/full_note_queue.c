/* FullNoteQueue: Click's older name for Queue (both notifiers). */
#include "queue.h"

static const pl_class full_note_queue = PL_QUEUE_CLASS(
    "FullNoteQueue",
    PL_QUEUE_DOC("FullNoteQueue", PL_QUEUE_NOTES_BOTH "Click's older name for Queue.\n"),
    pl_queue_initialize);
PL_REGISTER_CLASS(full_note_queue);
