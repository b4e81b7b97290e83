/* The engine's private state, shared by the core's files. */
#ifndef PL_ENGINE_H
#define PL_ENGINE_H

#include "element.h"

#include <pthread.h>

enum pl_engine_state { PL_S_BUILD, PL_S_READY, PL_S_RUNNING, PL_S_STOPPED,
                       PL_S_INLINE /* between pl_engine_inline_begin and _end */ };

typedef struct pl_conn {
    int from, from_port, to, to_port;
} pl_conn;

/* A worker's tasks: replaced as a whole by live change (read once per round). */
typedef struct pl_tasklist {
    int n;
    pl_element *t[];
} pl_tasklist;

/* Cache-line aligned, and the epoch (written every round, read by the
 * control thread) on a line of its own: workers never share a line. */
typedef struct pl_worker {
    _Alignas(64) struct pl_engine *eng;
    pthread_t thread;
    int started;
    pl_ctx ctx;
    pl_pool pool;
    _Atomic(pl_tasklist *) tasks;
    /* Timers (timer.c): a heap ordered by expiry, under tlock; tnext is the
     * first expiry (UINT64_MAX: none), read by the loop without the lock. */
    pthread_mutex_t tlock;
    pl_timer **heap;
    int nheap, capheap;
    _Atomic uint64_t tnext;
    _Alignas(64) _Atomic uint64_t epoch;   /* passes between rounds: the quiescent points */
    unsigned idle;                 /* rounds without work in a row (the worker's own; an
                                      inline run in steps keeps it between steps) */
    /* Blocking when every task sleeps: wake_seq is the futex word. */
    _Alignas(64) _Atomic uint32_t wake_seq;
    _Atomic int sleeping;
    _Alignas(64) uint64_t bd[2 * PL_BD_N + 1];   /* opts.breakdown: ctx.bd points here */
    _Alignas(64) pl_packet *vec[PL_VEC_MAX];  /* opts.vectors: ctx.vec points here */
} pl_worker;

struct pl_region;

/* Element names -> indices (names.c): open addressing, names owned elsewhere. */
typedef struct pl_name_slot {
    const char *name;
    int index;
} pl_name_slot;
typedef struct pl_names {
    pl_name_slot *v;
    uint32_t cap, n;
} pl_names;
/* 0 added, 1 the name is there already (unchanged), -1 no memory. */
int pl_names_put(pl_names *t, const char *name, int index);
int pl_names_get(const pl_names *t, const char *name);     /* -1 if absent */
void pl_names_free(pl_names *t);

#define PL_LOG_SIZE 65536

typedef struct pl_engine {
    pl_engine_opts opts;
    enum pl_engine_state state;
    pl_element **elems;
    int nelems, cap_elems;
    pl_names names;              /* name -> index of elems */
    pl_conn *conns;
    int nconns, cap_conns;
    pl_worker *workers;
    int nthreads;
    uint64_t *stats;
    pl_stats_layout layout;      /* nports/ncounters there are the capacity */
    uint32_t nports, ncounters;  /* indices handed out so far */
    struct pl_region *old_regions;
    _Atomic int park;            /* workers wait at their next quiescent point */
    pthread_mutex_t park_lock;   /* one parker at a time (a worker may park the others) */
    _Atomic int parked;
    uint64_t retired_drops;      /* drop counters of elements removed by live change */
    int crossing;                /* packets can move between threads (threads.c) */
    pl_pool ctl_pool;            /* packets the control thread frees (retired queues) */
    pl_depot depot[PL_NCLASSES]; /* free buffers shared by the workers' pools, per class */
    char warnings[1024];
    uint64_t changes;
    _Atomic int stop;            /* workers leave their loop */
    _Atomic int done;            /* an element asked the driver to stop */
    _Atomic int runcount;        /* Click's runcount: at <= 0 the driver stops (or steps) */
    _Atomic int stopping;        /* a worker is settling a stop request */
    _Atomic(pl_element *) driver;   /* the DriverManager (TYPE DRIVER Script), if any */
    /* The clock (timer.c): simulated time jumps to the next timer when idle. */
    int simtime;
    _Atomic uint64_t sim_now;    /* ns, steady clock */
    int64_t sim_real_off;        /* realtime - steady under simtime */
    pthread_mutex_t pending_lock;
    pl_timer *pending;           /* timers scheduled before their home was known */
    uint32_t scratch_port;       /* statistics slot of pull capture edges (pull.c) */
    void *garbage;               /* signals and listener lists freed after a grace period */
    char *out;                   /* standard output ring (pl_out), as the log */
    uint64_t out_head, out_tail, out_dropped;
    pthread_mutex_t log_lock;
    char *log;                   /* ring of PL_LOG_SIZE bytes */
    uint64_t log_head, log_tail; /* write and read positions */
    uint64_t log_dropped;
    _Atomic uint32_t shared[PL_SHARED_NSLOTS];   /* Click's per-process statics, per engine */
    int log_fd;                  /* >= 0: log lines go straight to this fd (pl_engine_set_log_fd) */
    char *msgs;                  /* configure-time messages (messages.c), under log_lock */
    size_t msgs_len;
    struct pl_addrinfo *addrinfo;   /* AddressInfo's named addresses (addrinfo.h) */
} pl_engine;

/* until_idle: also return once nothing can happen any more (every task
 * finished or asleep, no timer pending). Returns 1 when it ended for that
 * or because the engine stops, 0 when max_runs rounds ran. */
int pl_worker_loop(pl_worker *w, uint64_t max_runs, int until_idle);
/* Wake worker w if it blocks (a task was scheduled, a timer moved earlier). */
void pl_worker_kick(pl_worker *w);
void pl_workers_kick(pl_engine *e);

/* The DriverManager among elems (error if several); when elems is the
 * engine's graph, it becomes the engine's driver. */
int pl_elect_driver(pl_engine *e, pl_element *const *elems, int n, pl_error *err);

/* processing.c: Click's push/pull resolution and hookup checks over a flat
 * graph; pmode[i] receives element i's resolved modes (malloc'd). */
int pl_resolve_processing(pl_element *const *elems, int n, const pl_conn *conns, int nconns,
                          char **pmode, pl_error *err);
int pl_check_hookup(pl_element *const *elems, int n, const char *const *pmode,
                    const pl_conn *conns, int nconns, pl_error *err);
int pl_flows(const pl_element *el, int output, int port, int other);
const char *pl_decl(const pl_element *el, char *buf, size_t len);   /* "name :: Class" */

/* pull.c: an element's pull entry and its pull outputs' capture edges. */
int pl_setup_pull(pl_element *el, pl_error *err);

/* notifier.c: recompute every listener's signal and every notifier's
 * listeners; the replaced ones go to e->garbage (freed by pl_garbage_free
 * after a grace period). */
int pl_signals_update(pl_engine *e, pl_error *err);
void pl_garbage_free(pl_engine *e);
void pl_garbage_destroy(pl_engine *e);
void pl_notes_free(pl_element *el);

/* timer.c */
void pl_timers_run(pl_worker *w);
void pl_timers_settle(pl_engine *e);
void pl_timers_cancel_owner(pl_element *el);
void pl_timers_free(pl_worker *w);
uint64_t pl_timers_next(pl_engine *e);    /* earliest expiry over the workers */
void pl_sim_advance(pl_engine *e, uint64_t to);
int pl_workers_start(pl_engine *e, pl_error *err);
void pl_workers_join(pl_engine *e);

/* Make e->names follow e->elems again (after live change replaced them). */
int pl_names_rebuild(pl_engine *e);

void pl_tasks_assign(pl_engine *e);
void pl_threads_analyze(pl_engine *e);
void pl_threads_apply(pl_engine *e);
/* Before a live change publishes a new graph: vectors covering old and new. */
void pl_threads_preview(pl_engine *e, pl_element *const *elems, int n, const pl_conn *conns,
                        int nconns);
/* Whether worker t runs task el (task_threads tasks run on consecutive workers). */
static inline int pl_task_runs_on(const pl_element *el, int t, int nthreads)
{
    if (el->thread < 0)
        return 0;
    int k = t - el->thread;
    if (k < 0)
        k += nthreads;
    return k < (el->task_count > 1 ? el->task_count : 1);
}
int pl_tasks_publish(pl_engine *e, pl_error *err);
/* Wait until every running worker passed a quiescent point (a grace period). */
void pl_engine_synchronize(pl_engine *e);

int pl_stats_init(pl_engine *e, uint32_t cap_ports, uint32_t cap_counters, pl_error *err);
int pl_stats_reserve(pl_engine *e, uint32_t more_ports, uint32_t more_counters, pl_error *err);
void pl_stats_assign(pl_engine *e, pl_element *el);
void pl_stats_free(pl_engine *e);

/* The connections of each element (names.c): those leaving element i are
 * conns[out[k]] for k in [out_off[i], out_off[i + 1]), in connection order;
 * likewise those arriving (in, in_off). */
typedef struct pl_adj {
    int n;
    int *out_off, *out, *in_off, *in;
} pl_adj;
int pl_adj_build(pl_adj *a, int n, const pl_conn *conns, int nconns);
void pl_adj_free(pl_adj *a);

int pl_port_counts(const pl_element *el, int index, const pl_conn *conns, const pl_adj *adj,
                   int *nin, int *nout, pl_error *err);
int pl_set_ports(pl_element *el, int nin, int nout, pl_error *err);
pl_edge *pl_edge_new(pl_element *from, int from_port, pl_element *to, int to_port);
pl_edge *pl_conn_edge(pl_element *from, int from_port, pl_element *to, int to_port, int *is_pull);
/* After resolution: e takes its modes (pmode, malloc'd), gets its pull
 * inputs' slots, its pull entry and its capture edges. */
int pl_set_modes(pl_element *el, char *pmode, pl_error *err);

void pl_param_store(pl_element *el, const pl_param *p, const void *src);
/* The class handler that writes live parameter p when a store is not enough
 * (NDESC rebuilds a device's rings), or NULL. */
const pl_handler *pl_param_writer(const pl_element *el, const pl_param *p);

/* Live change of a kept element (retune.c): pl_retune_plan parses `config`
 * into *scratch and answers PL_RETUNE_LIVE (only live parameters differ),
 * PL_RETUNE_REPLACE, or -1 with err set. pl_retune_handlers writes the
 * handler-written parameters (may fail: then nothing changed), pl_retune the
 * others and the configuration text (cannot fail). */
enum { PL_RETUNE_KEEP, PL_RETUNE_LIVE, PL_RETUNE_REPLACE };
int pl_retune_plan(pl_element *el, const char *config, pl_element **scratch, pl_error *err);
int pl_retune_handlers(pl_element *el, pl_element *to, pl_error *err);
void pl_retune(pl_element *el, pl_element *scratch, const char *config);

pl_element *pl_element_create(pl_engine *e, const char *name, const char *cls, const char *config,
                              int line, int col, pl_error *err);
void pl_element_destroy(pl_element *el);

/* Counter and port totals over all threads. */
uint64_t pl_stats_port_total(pl_engine *e, uint32_t stat, int field);
uint64_t pl_stats_counter_total(pl_engine *e, uint32_t counter);

int pl_builtin_handler_read(pl_element *el, const char *name, char *buf, size_t len, int *found);
/* default_handlers.c: `config` written, a live parameter's new value in the
 * configuration text, and the text replaced (under the engine's lock). */
int pl_builtin_config_write(pl_element *el, const char *config, pl_error *err);
void pl_config_set_param(pl_element *el, const pl_param *p, const char *value);
void pl_set_config_text(pl_element *el, char *text);

#endif
