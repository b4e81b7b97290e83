/* Queue's functions, shared by its family (NotifierQueue, SimpleQueue,
 * ThreadSafeQueue, FullNoteQueue): the same storage, different notifiers. */
#ifndef PL_ELEMENTS_QUEUE_H
#define PL_ELEMENTS_QUEUE_H

#include "../../core/element.h"
#include "../../core/rings.h"

enum { PL_QUEUE_EMPTY_NOTE = 1, PL_QUEUE_FULL_NOTE = 2 };

typedef struct {
    uint64_t capacity;
    pl_rings rings;
    int notes;                    /* PL_QUEUE_*_NOTE */
    pl_notifier empty, full;
    unsigned sleepiness;          /* consumer: empty pulls in a row */
    int quick;                    /* QuickNoteQueue: the empty notifier sleeps once empty */
    _Atomic uint64_t highwater;
    _Atomic uint64_t drops_base;  /* drops at the last reset_counts */
    _Atomic int warned;           /* "overflow" said once */
    uint64_t carry_drops;         /* drops of the queue this one replaced */
} pl_queue_state;

extern const pl_param pl_queue_params[];
extern const pl_handler pl_queue_handlers[];
extern const char *const pl_queue_counters[];
int pl_queue_init_notes(pl_element *e, int notes, pl_error *err);
int pl_queue_initialize(pl_element *e, pl_error *err);   /* both notifiers */
void pl_queue_cleanup(pl_element *e);
void pl_queue_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx);
pl_packet *pl_queue_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx);
void pl_queue_take_state(pl_element *e, pl_element *old);
uint64_t pl_queue_length(pl_element *e);
/* Say "NAME :: CLASS: overflow" the first time a packet is dropped. */
void pl_queue_overflow(pl_element *e, _Atomic int *warned);

#define PL_QUEUE_DOC_HANDLERS                                                               \
    "Handlers: length, highwater_length, capacity (rw: a smaller capacity drops the\n"    \
    "newest packets, counted as capacity_drops), drops, reset_counts (w: drops and\n"    \
    "highwater_length), reset (w: drops every queued packet, counted as reset).\n"       \
    "Counters: drops, capacity_drops, reset (drops); overflow_out (overflow sent to\n"      \
    "output 1; the drops handler counts both drops and overflow_out)."

/* The manual; `notes` says which notifiers this member has. */
#define PL_QUEUE_DOC(name, notes)                                                          \
    name "([CAPACITY])\n"                                                                   \
    "Stores packets in a FIFO queue.\n\n"                                                   \
    "Push input, pull output: packets wait until an element downstream pulls them\n"       \
    "(Unqueue, ToDevice, a scheduler, or any agnostic element on such a path). Packets\n" \
    "pushed to a full queue are dropped and counted (drops), and leave on output 1 if\n"  \
    "it is connected; the first drop logs \"NAME :: " name ": overflow\". Each pushing\n" \
    "thread has its own lock-free ring of CAPACITY packets, so the queue is\n"            \
    "thread-safe. Replaced by live change, it hands its packets to the replacement.\n"   \
    notes PL_QUEUE_DOC_HANDLERS "\n\n"                                                     \
    "Example: src -> " name "(1024) -> Unqueue(BURST 32) -> sink;"

#define PL_QUEUE_NOTES_BOTH                                                                 \
    "Notifiers (Click's Queue): the element that pulls sleeps while the queue is empty,\n"\
    "and the source that fills it sleeps while it is full.\n"

#define PL_QUEUE_CLASS(cname, doc_text, init)                                                \
    {                                                                                     \
        .name = cname, .ports = "1/1-2", .processing = "h/lh", .doc = doc_text,          \
        .state_size = sizeof(pl_queue_state), .params = pl_queue_params,                 \
        .handlers = pl_queue_handlers, .counters = pl_queue_counters, .ndrops = 3,       \
        .initialize = init, .cleanup = pl_queue_cleanup,                                 \
        .push = pl_queue_push, .pull = pl_queue_pull, .take_state = pl_queue_take_state, \
        .traits = PL_C_BOUNDARY, .sources = PL_S_NONE, .storage_length = pl_queue_length, \
    }

#endif
