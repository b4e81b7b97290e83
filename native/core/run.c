/* Running the graph: on worker threads (start, stop) or on the calling
 * thread (run_inline, in steps so that the caller can take a signal); the
 * runcount and the DriverManager's say in stopping (Click's). */
#include "engine.h"

/* A stopped engine that runs again: a finished stop request is forgotten. */
static void restart(pl_engine *e)
{
    atomic_store(&e->stop, 0);
    if (atomic_load(&e->done)) {
        atomic_store(&e->done, 0);
        if (atomic_load(&e->runcount) <= 0)
            atomic_store(&e->runcount, 1);
    }
}

/* Before the workers run: devices checked (and taken back) by their elements. */
static int run_start_hooks(pl_engine *e, pl_error *err)
{
    for (int i = 0; i < e->nelems; i++)
        if (e->elems[i]->cls->start && e->elems[i]->cls->start(e->elems[i], err))
            return err->status ? err->status : PL_ERR_STATE;
    return PL_OK;
}

int pl_engine_start(pl_engine *e, pl_error *err)
{
    if (e->state == PL_S_RUNNING)
        return PL_OK;
    if (e->state != PL_S_READY && e->state != PL_S_STOPPED)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "initialize the engine before starting it");
    if (run_start_hooks(e, err))
        return err->status;
    restart(e);
    if (pl_workers_start(e, err))
        return err->status;
    e->state = PL_S_RUNNING;
    return PL_OK;
}

/* Workers are joined: elements give back what they hold (class `stop`). */
static void run_stop_hooks(pl_engine *e)
{
    for (int i = 0; i < e->nelems; i++)
        if (e->elems[i]->cls->stop)
            e->elems[i]->cls->stop(e->elems[i], &e->workers[0].ctx);
}

int pl_engine_waiting(pl_engine *e)
{
    return atomic_load_explicit(&e->stop, memory_order_relaxed) ||
           atomic_load_explicit(&e->done, memory_order_relaxed) ||
           atomic_load_explicit(&e->park, memory_order_relaxed);
}

int pl_engine_stop(pl_engine *e)
{
    if (e->state != PL_S_RUNNING)
        return PL_OK;
    atomic_store(&e->stop, 1);
    pl_workers_kick(e);
    pl_workers_join(e);
    run_stop_hooks(e);
    e->state = PL_S_STOPPED;
    return PL_OK;
}

int pl_engine_running(pl_engine *e) { return e->state == PL_S_RUNNING; }

int pl_engine_done(pl_engine *e) { return atomic_load(&e->done); }

void pl_engine_adjust_runcount(pl_engine *e, int delta)
{
    int old = atomic_load(&e->runcount), nv;
    do {
        long long v = (long long)old + delta;
        nv = v > 0x7FFFFFFF ? 0x7FFFFFFF : v < -0x7FFFFFFF ? -0x7FFFFFFF : (int)v;
    } while (!atomic_compare_exchange_weak(&e->runcount, &old, nv));
    if (nv > 0)
        return;
    pl_element *d = atomic_load(&e->driver);
    if (d) {
        /* The DriverManager's home worker steps it (worker.c settle_stop). */
        if (e->workers)
            pl_worker_kick(&e->workers[pl_element_home(d)]);
        return;
    }
    atomic_store(&e->done, 1);
    pl_workers_kick(e);
}

void pl_engine_request_stop(pl_engine *e) { pl_engine_adjust_runcount(e, -1); }

/* The one DriverManager (Click: "router has more than one driver script"). */
int pl_elect_driver(pl_engine *e, pl_element *const *elems, int n, pl_error *err)
{
    pl_element *d = NULL;
    for (int i = 0; i < n; i++)
        if (elems[i]->is_driver && elems[i]->cls->driver_step) {
            if (d)
                return pl_seterr(err, PL_ERR_CONFIG, elems[i], "",
                                 "router has more than one driver script");
            d = elems[i];
        }
    if (elems == e->elems && atomic_load(&e->driver) != d)
        atomic_store(&e->driver, d);
    return 0;
}

uint64_t pl_engine_clock(pl_engine *e) { return pl_engine_now_ns(e); }

void pl_engine_set_timestamps(pl_engine *e, int on)
{
    __atomic_store_n(&e->opts.timestamps, on != 0, __ATOMIC_RELAXED);
    for (int t = 0; e->workers && t < e->nthreads; t++)
        __atomic_store_n(&e->workers[t].ctx.timestamps, on != 0, __ATOMIC_RELAXED);
}

int pl_engine_timestamps(pl_engine *e) { return __atomic_load_n(&e->opts.timestamps, __ATOMIC_RELAXED); }

int pl_element_port_mode(pl_engine *e, int i, int output, int port)
{
    if (i < 0 || i >= e->nelems || e->state == PL_S_BUILD)
        return 0;
    pl_element *el = e->elems[i];
    if (port < 0 || port >= (output ? el->noutputs : el->ninputs) || !el->pmode)
        return 0;
    return el->pmode[output ? el->ninputs + port : port];
}

int pl_engine_inline_begin(pl_engine *e, pl_error *err)
{
    if (e->state != PL_S_READY && e->state != PL_S_STOPPED)
        return pl_seterr(err, PL_ERR_STATE, NULL, "",
                         "run_inline needs an initialized engine that is not running");
    if (e->nthreads != 1)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "run_inline needs a single-thread engine");
    if (run_start_hooks(e, err))
        return err->status;
    restart(e);
    e->workers[0].idle = 0;
    e->state = PL_S_INLINE;
    return PL_OK;
}

/* Rounds of 64 until finished, max_runs rounds, or max_us microseconds. */
int pl_engine_inline_step(pl_engine *e, uint64_t max_runs, uint64_t max_us, uint64_t *ran)
{
    uint64_t n = 0;
    int finished = e->state != PL_S_INLINE;
    double t0 = max_us ? pl_now_us() : 0;
    if (!max_runs)
        max_runs = UINT64_MAX;
    while (!finished && n < max_runs) {
        uint64_t k = max_runs - n < 64 ? max_runs - n : 64;
        finished = pl_worker_loop(&e->workers[0], k, 1);
        n += k;
        if (max_us && pl_now_us() - t0 >= (double)max_us)
            break;
    }
    if (ran)
        *ran = n;
    return finished;
}

void pl_engine_inline_end(pl_engine *e)
{
    if (e->state != PL_S_INLINE)
        return;
    run_stop_hooks(e);
    e->state = PL_S_STOPPED;
}

int pl_engine_run_inline(pl_engine *e, uint64_t max_runs, pl_error *err)
{
    if (pl_engine_inline_begin(e, err))
        return err->status;
    pl_engine_inline_step(e, max_runs, 0, NULL);
    pl_engine_inline_end(e);
    return PL_OK;
}
