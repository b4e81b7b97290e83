/*
 * An element instance, and reading the parameters the control thread writes live.
 * Part of element.h (the header element authors include).
 */
#ifndef PL_ELEMENT_INSTANCE_H
#define PL_ELEMENT_INSTANCE_H

#include "element_class.h"

struct pl_element {
    const pl_class *cls;
    struct pl_engine *eng;
    char *name;
    char *config;
    int index;
    int line, col;
    uint64_t given;               /* parameters the configuration gave (bit i: params[i]) */
    int ninputs, noutputs;
    _Atomic(pl_edge *) *out;      /* noutputs (NULL entries for pull outputs) */
    _Atomic(pl_edge *) *in;       /* ninputs, pull inputs only; NULL if none */
    uint32_t port_base;           /* global index of output 0 */
    uint32_t counter_base;        /* index of counter 0 */
    int thread;                   /* worker running this task, -1 if none */
    int task_count;               /* task_threads: workers thread, thread+1, ... run it */
    uint64_t threads;             /* thread vector: workers that can push into it (bit t) */
    uint64_t threads_told;        /* the vector threads_changed was last called with */
    int cleaned;                  /* cleanup already ran (retired by live change) */
    _Atomic int task_done;
    pl_push_fn push;              /* entry point for packets arriving */
    pl_pull_fn pull;              /* entry point for pulls on its pull outputs */
    char *pmode;                  /* resolved processing: inputs then outputs, 'h' or 'l' */
    _Atomic int sched;            /* its task runs (1) or sleeps until woken (0) */
    uint8_t no_task;              /* initialize: this instance needs no task after all */
    uint8_t is_driver;            /* initialize: it manages the driver's stops (DriverManager) */
    _Atomic int retiring;         /* live change removed it: its timers no longer schedule */
    struct pl_listen *listens;    /* signals it follows (pl_listen), recomputed by the core */
    int nlistens;
    struct pl_noteprov *notes;    /* notifiers it provides (pl_notifier_provide) */
    int nnotes;
    struct pl_timer *timers;      /* its timers (pl_timer_init), cancelled when it retires */
    uint8_t settled;              /* its home worker is known: timers go to that heap */
    pl_signal_slot sink_signal;   /* pl_sink_init: the queues a pulling sink drains */
    uint32_t sink_burst;
    _Alignas(64) unsigned char state[];
};

static inline int pl_input_is_pull(const pl_element *e, int port)
{
    return e->pmode && port < e->ninputs && e->pmode[port] == 'l';
}

static inline int pl_output_is_pull(const pl_element *e, int port)
{
    return e->pmode && port < e->noutputs && e->pmode[e->ninputs + port] == 'l';
}

#define PL_STATE(e, type) ((type *)(void *)(e)->state)

/* An element's name as a worker reads it: live change may rename a kept
 * element (the old name is freed only after a grace period). */
#define PL_NAME(e) ((const char *)__atomic_load_n(&(e)->name, __ATOMIC_ACQUIRE))

/* Live parameters are read with relaxed atomics: the control thread writes them. */
#define PL_LIVE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
/* The same for REAL, TIME and BANDWIDTH parameters (doubles). */
static inline double pl_live_d(const double *p)
{
    double d;
    __atomic_load(p, &d, __ATOMIC_RELAXED);
    return d;
}
static inline void pl_store_d(double *p, double v) { __atomic_store(p, &v, __ATOMIC_RELAXED); }
#define PL_LIVE_D(x) pl_live_d(&(x))

#endif
