/* Worker threads: each runs its tasks to completion, batch after batch. */
#include "engine.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void pause_briefly(long ns)
{
    struct timespec ts = {0, ns};
    nanosleep(&ts, NULL);
}

/* At a quiescent point: wait here while the control thread holds the park. */
static void maybe_park(pl_engine *e)
{
    if (!atomic_load_explicit(&e->park, memory_order_acquire))
        return;
    atomic_fetch_add_explicit(&e->parked, 1, memory_order_acq_rel);
    while (atomic_load_explicit(&e->park, memory_order_acquire))
        pause_briefly(20000);
    atomic_fetch_sub_explicit(&e->parked, 1, memory_order_acq_rel);
}

/*
 * Run the worker's tasks until asked to stop. Between two rounds no packet of
 * this worker is inside the graph (full push, run to completion): the epoch
 * increment marks that quiescent point for live change.
 */
void pl_worker_loop(pl_worker *w, uint64_t max_runs, int until_idle)
{
    pl_engine *e = w->eng;
    unsigned idle = 0;
    uint64_t runs = 0;
    w->ctx.io_attached = 0;            /* this thread may not be the last one that ran w */
    while (!atomic_load_explicit(&e->stop, memory_order_relaxed) &&
           !atomic_load_explicit(&e->done, memory_order_relaxed) && runs < max_runs) {
        uint32_t work = 0;
        int live = 0;
        pl_tasklist *tl = atomic_load_explicit(&w->tasks, memory_order_acquire);
        for (int i = 0; tl && i < tl->n; i++) {
            pl_element *t = tl->t[i];
            if (atomic_load_explicit(&t->task_done, memory_order_relaxed))
                continue;
            live++;
            work += t->cls->run_task(t, &w->ctx);
        }
        runs++;
        /* seq_cst: the next round's loads must not move above this store
         * (one locked instruction per round, not per packet). */
        atomic_fetch_add_explicit(&w->epoch, 1, memory_order_seq_cst);
        maybe_park(e);
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
        pause_briefly(50000);
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
            int cpu = e->opts.ncpus > 0 && e->opts.ncpus <= 64 ? e->opts.cpus[t % e->opts.ncpus]
                                                               : e->opts.first_cpu + t;
            CPU_SET(cpu % CPU_SETSIZE, &set);
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

static int nstarted(pl_engine *e)
{
    int n = 0;
    for (int t = 0; e->workers && t < e->nthreads; t++)
        n += e->workers[t].started;
    return n;
}

void pl_engine_park(pl_engine *e)
{
    atomic_store_explicit(&e->park, 1, memory_order_release);
    /* Workers that already left their loop (done/stop) never park. */
    while (atomic_load_explicit(&e->parked, memory_order_acquire) < nstarted(e) &&
           !atomic_load_explicit(&e->done, memory_order_acquire) &&
           !atomic_load_explicit(&e->stop, memory_order_acquire))
        pause_briefly(10000);
}

void pl_engine_unpark(pl_engine *e)
{
    atomic_store_explicit(&e->park, 0, memory_order_release);
}

void pl_engine_synchronize(pl_engine *e)
{
    if (!e->workers || !nstarted(e))
        return;
    uint64_t seen[256];
    atomic_thread_fence(memory_order_seq_cst);   /* publication before the epoch reads */
    for (int t = 0; t < e->nthreads; t++)
        seen[t] = atomic_load_explicit(&e->workers[t].epoch, memory_order_acquire);
    /* A busy worker passes a quiescent point every batch (microseconds):
     * yield first, and sleep only if that did not suffice (an idle worker
     * sleeps 50 us between rounds). */
    for (int t = 0; t < e->nthreads; t++) {
        pl_worker *w = &e->workers[t];
        unsigned spins = 0;
        while (w->started && atomic_load_explicit(&w->epoch, memory_order_acquire) == seen[t] &&
               !atomic_load_explicit(&e->done, memory_order_acquire) &&
               !atomic_load_explicit(&e->stop, memory_order_acquire)) {
            if (++spins < 1000)
                sched_yield();
            else
                pause_briefly(20000);
        }
    }
}

/*
 * Publish each worker's task list from the elements' `thread` fields (-1:
 * not scheduled), then wait out a grace period and free the old lists.
 */
int pl_tasks_publish(pl_engine *e, pl_error *err)
{
    pl_tasklist *lists[256];
    for (int t = 0; t < e->nthreads; t++) {
        int n = 0;
        for (int i = 0; i < e->nelems; i++)
            n += pl_task_runs_on(e->elems[i], t, e->nthreads);
        pl_tasklist *tl = malloc(sizeof *tl + sizeof(pl_element *) * (size_t)n);
        if (!tl) {
            for (int k = 0; k < t; k++)
                free(lists[k]);
            return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
        }
        tl->n = 0;
        for (int i = 0; i < e->nelems; i++)
            if (pl_task_runs_on(e->elems[i], t, e->nthreads))
                tl->t[tl->n++] = e->elems[i];
        lists[t] = tl;
    }
    /* After the exchange, lists[] holds the old lists. */
    for (int t = 0; t < e->nthreads; t++)
        lists[t] = atomic_exchange_explicit(&e->workers[t].tasks, lists[t], memory_order_acq_rel);
    pl_engine_synchronize(e);
    for (int t = 0; t < e->nthreads; t++)
        free(lists[t]);
    return 0;
}

int pl_engine_live_tasks(pl_engine *e)
{
    int n = 0;
    for (int i = 0; i < e->nelems; i++)
        n += e->elems[i]->thread >= 0 &&
             !atomic_load_explicit(&e->elems[i]->task_done, memory_order_relaxed);
    return n;
}
