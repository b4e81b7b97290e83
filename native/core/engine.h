/* The engine's private state, shared by the core's files. */
#ifndef PL_ENGINE_H
#define PL_ENGINE_H

#include "element.h"

#include <pthread.h>

enum pl_engine_state { PL_S_BUILD, PL_S_READY, PL_S_RUNNING, PL_S_STOPPED };

typedef struct pl_conn {
    int from, from_port, to, to_port;
} pl_conn;

typedef struct pl_worker {
    struct pl_engine *eng;
    pthread_t thread;
    int started;
    pl_ctx ctx;
    pl_pool pool;
    pl_element **tasks;
    int ntasks;
    _Atomic uint64_t epoch;      /* passes between batches: the quiescent points */
} pl_worker;

#define PL_LOG_SIZE 65536

typedef struct pl_engine {
    pl_engine_opts opts;
    enum pl_engine_state state;
    pl_element **elems;
    int nelems, cap_elems;
    pl_conn *conns;
    int nconns, cap_conns;
    pl_worker *workers;
    int nthreads;
    uint64_t *stats;
    pl_stats_layout layout;
    uint32_t nports, ncounters;
    _Atomic int stop;            /* workers leave their loop */
    _Atomic int done;            /* an element asked the driver to stop */
    pthread_mutex_t log_lock;
    char *log;                   /* ring of PL_LOG_SIZE bytes */
    uint64_t log_head, log_tail; /* write and read positions */
    uint64_t log_dropped;
} pl_engine;

/* until_idle: also return once every task of the worker has finished. */
void pl_worker_loop(pl_worker *w, uint64_t max_runs, int until_idle);
int pl_workers_start(pl_engine *e, pl_error *err);
void pl_workers_join(pl_engine *e);

/* Counter and port totals over all threads. */
uint64_t pl_stats_port_total(pl_engine *e, uint32_t stat, int field);
uint64_t pl_stats_counter_total(pl_engine *e, uint32_t counter);

int pl_builtin_handler_read(pl_element *el, const char *name, char *buf, size_t len, int *found);

#endif
