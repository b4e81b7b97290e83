/*
 * Notifiers (Click's activity signals): a pull task sleeps while every queue
 * it can pull from is empty, and a source sleeps while every queue it feeds
 * is full, instead of spinning.
 *
 * An element that knows when it has packets for its pull outputs (Queue: not
 * empty) or room on its push inputs (Queue: not full) provides a notifier:
 * one bit, active or not. An element that would pull from (or push into)
 * such elements listens: the core searches the graph as Click's
 * Notifier::upstream_empty_signal / downstream_full_signal do, through
 * agnostic elements and schedulers, and gives it a signal, the OR of the
 * notifiers found, or "busy" (always active) where a path reaches something
 * that may produce packets with no notifier on the way. When a notifier
 * becomes active it wakes the listeners' tasks. Signals are recomputed after
 * every live change, so a listener never holds a notifier that was freed.
 *
 * Cost on the data path: a producer checks one bit per batch (wake() is a
 * relaxed load when already active); a consumer's sleep is one store.
 */
#ifndef PL_NOTIFIER_H
#define PL_NOTIFIER_H

#include <stdatomic.h>
#include <stdint.h>

struct pl_element;

typedef void (*pl_wake_fn)(struct pl_element *e);

typedef struct pl_listener {
    struct pl_element *e;
    pl_wake_fn fn;                /* pl_task_wake, or the element's callback */
} pl_listener;

typedef struct pl_listeners {
    int n;
    pl_listener v[];
} pl_listeners;

typedef struct pl_notifier {
    _Atomic uint32_t active;
    _Atomic(pl_listeners *) listeners;   /* tasks to wake: set by the core */
    /* A full notifier may say how much room is left (a Queue: capacity -
     * length), so that a source sends no more than fits, as Click's sources
     * that send one packet at a time and look again do. */
    uint64_t (*room)(struct pl_element *owner);
    struct pl_element *owner;
    /* Click's signal name (Router::new_notifier_signal): the engine numbers
     * the notifiers of each kind as they are provided, 32 to a word, so
     * that NotifierDebug shows "empty.W/MASK:VALUE"; 0 until provided. */
    uint32_t seq;                 /* number + 1 */
    int kind;
} pl_notifier;

/* Derived signal: active when any of v is (or always, when busy). */
typedef struct pl_signal {
    int busy;
    int n;
    pl_notifier *v[];
} pl_signal;

enum pl_note_kind { PL_NOTE_EMPTY = 0, PL_NOTE_FULL = 1 };

void pl_notifier_init(pl_notifier *n, int active);
void pl_notifier_wake_slow(pl_notifier *n);

static inline int pl_notifier_active(pl_notifier *n)
{
    return (int)atomic_load_explicit(&n->active, memory_order_relaxed);
}

/* Become active and wake the listeners (if it was not active already). */
static inline void pl_notifier_wake(pl_notifier *n)
{
    if (!atomic_load_explicit(&n->active, memory_order_relaxed))
        pl_notifier_wake_slow(n);
}

static inline void pl_notifier_sleep(pl_notifier *n)
{
    atomic_store_explicit(&n->active, 0, memory_order_seq_cst);
}

static inline int pl_signal_active(const pl_signal *s)
{
    if (!s || s->busy)
        return 1;
    for (int i = 0; i < s->n; i++)
        if (atomic_load_explicit(&s->v[i]->active, memory_order_seq_cst))
            return 1;
    return 0;
}

/* Room behind a full signal: the least any of its notifiers reports;
 * UINT64_MAX when unknown (busy, or a notifier that does not say). */
static inline uint64_t pl_signal_room(const pl_signal *s)
{
    if (!s || s->busy || !s->n)
        return UINT64_MAX;
    uint64_t m = UINT64_MAX;
    for (int i = 0; i < s->n; i++) {
        if (!s->v[i]->room)
            return UINT64_MAX;
        uint64_t r = s->v[i]->room(s->v[i]->owner);
        if (r < m)
            m = r;
    }
    return m;
}

/* Click's NotifierSignal::unparse: "busy*", "idle", or one
 * "KIND.WORD/MASK:VALUE" per word of notifiers (hex, '*' when active),
 * joined by '+', words in order. Returns as pl_fmt does. */
int pl_signal_unparse(const pl_signal *s, char *buf, size_t len);

/* A listener's signal slot, read on the data path. */
typedef _Atomic(pl_signal *) pl_signal_slot;

static inline pl_signal *pl_signal_get(pl_signal_slot *slot)
{
    return atomic_load_explicit(slot, memory_order_acquire);
}

/*
 * In initialize: e provides notifier n of `kind` on its output `port`
 * (PL_NOTE_EMPTY: there are packets to pull) or input `port`
 * (PL_NOTE_FULL: there is room to push); port -1 = every such port.
 * `pass` lets the search go on past it (PullSwitch's, whose own state
 * follows what is upstream of it).
 */
struct pl_error;
int pl_notifier_provide(struct pl_element *e, int kind, int port, pl_notifier *n, int pass,
                        struct pl_error *err);

/*
 * In initialize: keep *slot set to the signal of the notifiers upstream of
 * input `port` (PL_NOTE_EMPTY) or downstream of output `port`
 * (PL_NOTE_FULL); when one of them activates, on_wake(e) runs: pass
 * pl_task_wake to wake e's task, an element's own function (PullSwitch and
 * DRRSched wake their own notifier), or NULL to only read the signal.
 */
int pl_listen(struct pl_element *e, int kind, int port, pl_signal_slot *slot, pl_wake_fn on_wake,
              struct pl_error *err);
void pl_task_wake(struct pl_element *e);

/*
 * For run_task: the task found nothing to do; it sleeps unless the signal is
 * active (checked after going to sleep, so that a wake-up in between is not
 * lost). Returns 1 if it sleeps.
 */
int pl_task_sleep_unless(struct pl_element *e, pl_signal_slot *slot);

#endif
