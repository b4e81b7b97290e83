/* Running the graph: on worker threads (start, stop) or on the calling
 * thread (run_inline, in steps so that the caller can take a signal). */
#include "engine.h"

int pl_engine_start(pl_engine *e, pl_error *err)
{
    if (e->state == PL_S_RUNNING)
        return PL_OK;
    if (e->state != PL_S_READY && e->state != PL_S_STOPPED)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "initialize the engine before starting it");
    atomic_store(&e->stop, 0);
    atomic_store(&e->done, 0);
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
    pl_workers_join(e);
    run_stop_hooks(e);
    e->state = PL_S_STOPPED;
    return PL_OK;
}

int pl_engine_running(pl_engine *e) { return e->state == PL_S_RUNNING; }

int pl_engine_done(pl_engine *e) { return atomic_load(&e->done); }

void pl_engine_request_stop(pl_engine *e) { atomic_store(&e->done, 1); }

int pl_engine_inline_begin(pl_engine *e, pl_error *err)
{
    if (e->state != PL_S_READY && e->state != PL_S_STOPPED)
        return pl_seterr(err, PL_ERR_STATE, NULL, "",
                         "run_inline needs an initialized engine that is not running");
    if (e->nthreads != 1)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "run_inline needs a single-thread engine");
    atomic_store(&e->stop, 0);
    atomic_store(&e->done, 0);
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

