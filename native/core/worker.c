/* Worker threads: each runs its tasks to completion, batch after batch. */
#include "engine.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <time.h>

/*
 * Run the worker's tasks until asked to stop. Between two task runs no packet
 * of this worker is inside the graph (full push, run to completion): the
 * epoch increment marks that quiescent point for live change.
 */
void pl_worker_loop(pl_worker *w, uint64_t max_runs, int until_idle)
{
    pl_engine *e = w->eng;
    unsigned idle = 0;
    uint64_t runs = 0;
    while (!atomic_load_explicit(&e->stop, memory_order_relaxed) &&
           !atomic_load_explicit(&e->done, memory_order_relaxed) && runs < max_runs) {
        uint32_t work = 0;
        int live = 0;
        for (int i = 0; i < w->ntasks; i++) {
            pl_element *t = w->tasks[i];
            if (atomic_load_explicit(&t->task_done, memory_order_relaxed))
                continue;
            live++;
            work += t->cls->run_task(t, &w->ctx);
        }
        runs++;
        atomic_fetch_add_explicit(&w->epoch, 1, memory_order_release);
        if (work) {
            idle = 0;
            continue;
        }
        if (until_idle && !live)
            break;                     /* inline run: every task finished */
        /* Back off when idle: spin briefly, then yield, then sleep 50 us. */
        if (++idle < 64)
            continue;
        if (idle < 256) {
            sched_yield();
            continue;
        }
        struct timespec ts = {0, 50000};
        nanosleep(&ts, NULL);
    }
}

static void *worker_main(void *arg)
{
    pl_worker *w = arg;
    pl_worker_loop(w, UINT64_MAX, 0);
    return NULL;
}

int pl_workers_start(pl_engine *e, pl_error *err)
{
    for (int t = 0; t < e->nthreads; t++) {
        pl_worker *w = &e->workers[t];
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        if (e->opts.pin) {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET((e->opts.first_cpu + t) % CPU_SETSIZE, &set);
            pthread_attr_setaffinity_np(&attr, sizeof set, &set);
        }
        int rc = pthread_create(&w->thread, &attr, worker_main, w);
        pthread_attr_destroy(&attr);
        if (rc) {
            atomic_store(&e->stop, 1);
            pl_workers_join(e);
            return pl_seterr(err, PL_ERR_SYSTEM, NULL, "", "cannot start worker %d: %s", t,
                             strerror(rc));
        }
        w->started = 1;
    }
    return 0;
}

void pl_workers_join(pl_engine *e)
{
    for (int t = 0; t < e->nthreads; t++) {
        pl_worker *w = &e->workers[t];
        if (w->started) {
            pthread_join(w->thread, NULL);
            w->started = 0;
        }
    }
}
