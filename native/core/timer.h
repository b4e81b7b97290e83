/*
 * Timers (Click's Timer): a callback run at a time on the engine's clock,
 * by the worker that is the owner element's home (its task's worker), so a
 * timer never runs beside its element's task. Callbacks get the worker's
 * context: they may push packets, wake tasks, schedule timers.
 *
 * Each worker keeps a heap of its timers; the worker loop runs the expired
 * ones between tasks and, when every task sleeps, blocks until the first
 * expiry (or until something wakes it). The clock is the engine's
 * (pl_engine_now_ns): CLOCK_MONOTONIC, or simulated time where an idle
 * worker jumps to the next expiry instead of waiting (Engine(simtime=True),
 * Click's --simtime), so `Script(wait 10, ...)` takes no wall time.
 */
#ifndef PL_TIMER_H
#define PL_TIMER_H

#include <stdint.h>

struct pl_element;
struct pl_ctx;
struct pl_timer;

typedef void (*pl_timer_fn)(struct pl_timer *t, struct pl_ctx *ctx);

typedef struct pl_timer {
    uint64_t expiry;              /* ns on the engine clock, while scheduled */
    int heap_idx;                 /* position in its worker's heap, -1 if none */
    int worker;                   /* the heap it is in (or will go to), -1 if none yet */
    int pending;                  /* scheduled before its home was known */
    pl_timer_fn fn;
    struct pl_element *owner;
    void *arg;
    struct pl_timer *next;        /* the owner's timers */
    struct pl_timer *pnext;       /* the engine's pending timers */
} pl_timer;

/* In configure or initialize: the timer belongs to `owner`. */
void pl_timer_init(pl_timer *t, struct pl_element *owner, pl_timer_fn fn, void *arg);
/* Any thread. A scheduled timer is moved. */
void pl_timer_schedule_at(pl_timer *t, uint64_t when_ns);
void pl_timer_schedule_after(pl_timer *t, uint64_t delay_ns);
void pl_timer_unschedule(pl_timer *t);
int pl_timer_scheduled(pl_timer *t);
/* A timer callback that wakes its owner's task (Click's Timer(Task *)). */
void pl_timer_wake_task(pl_timer *t, struct pl_ctx *ctx);
uint64_t pl_timer_expiry(pl_timer *t);   /* 0 when not scheduled */

#endif
