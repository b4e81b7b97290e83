/*
 * What the engine offers elements: totals, workers, parking, tasks, clocks,
 * handler calls.
 * Part of element.h (the header element authors include).
 */
#ifndef PL_ELEMENT_ENGINE_H
#define PL_ELEMENT_ENGINE_H

#include "element_input.h"

/* Sum a counter of `e` over threads (control side). */
uint64_t pl_counter_total(pl_element *e, int counter);
/* Sum packets through output `port` of `e` over threads (control side). */
uint64_t pl_output_total(pl_element *e, int port, int field);

/* Worker threads of the engine (per-thread state is sized with it). */
int pl_element_nthreads(const pl_element *e);

/* A dry engine (pl_engine_opts.dry, `pktlab check`): configure checks the
 * arguments and returns before it acquires a device, a socket or an output
 * file, since nothing will run. */
int pl_element_dry(const pl_element *e);

/* Park every running worker at its next quiescent point (and wait for it),
 * then let them go: for changes the data path must not see half-done, such
 * as rebuilding a device queue. Control thread only. */
void pl_engine_park(struct pl_engine *eng);
void pl_engine_unpark(struct pl_engine *eng);

/* Control side: return once every worker that was inside its loop has
 * passed a quiescent point (no batch it started before the call is still in
 * the graph). Publish a new table with an atomic store, call this, then free
 * the old one. Never call it from a worker. */
void pl_engine_synchronize(struct pl_engine *eng);

/* A worker waiting inside an element (BLOCKING output) should give up: the
 * engine stops, or the control thread wants the workers parked. */
int pl_engine_waiting(struct pl_engine *eng);

/* Free a packet from the control thread (cleanup of a retired or stopped
 * element, e.g. packets still queued in it), counting it under `counter`
 * (a drop reason; -1: not counted) in thread 0's counters. Only for
 * elements no worker can reach any more. */
void pl_packet_free_ctl(pl_element *el, int counter, pl_packet *p);

/* Counters that Click keeps as statics shared by every element of a class
 * (ICMPError's IP ID): one per engine here, so that engines and tests do not
 * see each other's. Live change keeps them (the engine stays). */
enum { PL_SHARED_ICMP_ERROR_ID, PL_SHARED_NSLOTS };
_Atomic uint32_t *pl_engine_shared(struct pl_engine *eng, int slot);

/* Ask the engine to stop (Click's please_stop_driver: the runcount drops by
 * one; at zero a DriverManager may step, else the engine stops). */
void pl_engine_request_stop(struct pl_engine *eng);
/* Click's Router::adjust_runcount. */
void pl_engine_adjust_runcount(struct pl_engine *eng, int delta);

/* ---- tasks: scheduled, or asleep until something wakes them ----
 * A task that finds nothing to do and knows what will give it work (a
 * signal, a timer) sleeps; its worker blocks when every task it runs
 * sleeps, so an idle pull path costs nothing. */
void pl_task_wake(pl_element *e);               /* any thread */
static inline void pl_task_sleep(pl_element *e)  /* its own run_task only */
{
    atomic_store_explicit(&e->sched, 0, memory_order_seq_cst);
}
static inline int pl_task_scheduled(const pl_element *e)
{
    return atomic_load_explicit(&e->sched, memory_order_relaxed);
}

/* The engine's clock (CLOCK_MONOTONIC, or simulated time with
 * Engine(simtime=True)): what timers and rates read. */
uint64_t pl_engine_now_ns(struct pl_engine *eng);
/* Wall-clock time on the same clock (ns since the epoch), for timestamps. */
uint64_t pl_engine_realtime_ns(struct pl_engine *eng);
/* The worker running the caller, or -1 on a thread that is not a worker. */
int pl_current_tid(void);
/* The calling worker's context when it is one of eng's workers (a handler
 * written by a Script or a timer may then push packets), else NULL. */
pl_ctx *pl_current_ctx(struct pl_engine *eng);
/* An element's home worker: its task's, else the first that reaches it. */
int pl_element_home(const pl_element *e);
/* A handler call an element makes (Click's HandlerCall: COUNT_CALL, END_CALL):
 * "ELEMENT.HANDLER VALUE" or a global "HANDLER VALUE" (hcall.c). Set it when
 * configured, resolve it in initialize (every element exists then), write it
 * from anywhere after. A zeroed pl_hcall (text NULL) is unset. */
enum { PL_HCALL_UNSET = -3, PL_HCALL_UNRESOLVED = -2 };
typedef struct pl_hcall {
    char *text;                   /* ELEMENT.HANDLER */
    char *value;
    const char *handler;          /* into text, once resolved */
    int elem;                     /* element index, PL_ROOT_ELEMENT, or PL_HCALL_* */
} pl_hcall;
int pl_hcall_set(pl_hcall *h, pl_element *from, const char *text, pl_error *err);
int pl_hcall_resolve(pl_hcall *h, pl_element *from, const char *keyword, pl_error *err);
int pl_hcall_write(pl_hcall *h, pl_element *from);
/* The same call with another value (TimeFilter's END_CALL expands $t). */
int pl_hcall_write_value(pl_hcall *h, pl_element *from, const char *value);
void pl_hcall_free(pl_hcall *h);

#endif
