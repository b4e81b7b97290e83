/*
 * Worker threads: each runs its scheduled tasks and its expired timers,
 * round after round. Between two rounds no packet of this worker is inside
 * the graph (full push and pull both run to completion): the epoch increment
 * marks that quiescent point for live change.
 *
 * A task that has nothing to do and knows what will give it work sleeps
 * (pl_task_sleep, pl_task_sleep_unless); when every task of a worker sleeps,
 * the worker blocks on a futex until a task is woken or its first timer is
 * due (under simulated time it jumps there instead). Tasks that poll
 * (devices) stay scheduled; an idle round of those backs off: spin, yield,
 * then 50 us sleeps.
 */
#include "engine.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static _Thread_local pl_worker *tls_worker;

int pl_current_tid(void) { return tls_worker ? tls_worker->ctx.tid : -1; }

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

void pl_worker_kick(pl_worker *w)
{
    if (atomic_load_explicit(&w->sleeping, memory_order_seq_cst)) {
        atomic_fetch_add_explicit(&w->wake_seq, 1, memory_order_seq_cst);
        syscall(SYS_futex, &w->wake_seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    }
}

void pl_workers_kick(pl_engine *e)
{
    for (int t = 0; e->workers && t < e->nthreads; t++)
        pl_worker_kick(&e->workers[t]);
}

void pl_task_wake(pl_element *el)
{
    if (atomic_exchange_explicit(&el->sched, 1, memory_order_seq_cst))
        return;
    pl_engine *e = el->eng;
    if (el->thread < 0 || !e->workers)
        return;
    int n = el->task_count > 1 ? el->task_count : 1;
    for (int k = 0; k < n; k++)
        pl_worker_kick(&e->workers[(el->thread + k) % e->nthreads]);
}

int pl_element_home(const pl_element *el)
{
    int n = el->eng ? el->eng->nthreads : 1;
    int t = el->thread >= 0 ? el->thread : el->threads ? __builtin_ctzll(el->threads) : 0;
    return t < n ? t : n - 1;
}

static pl_element *driver_of(pl_engine *e)
{
    return atomic_load_explicit(&e->driver, memory_order_acquire);
}

static int anything_scheduled(const pl_tasklist *tl)
{
    for (int i = 0; tl && i < tl->n; i++)
        if (!atomic_load_explicit(&tl->t[i]->task_done, memory_order_relaxed) &&
            atomic_load_explicit(&tl->t[i]->sched, memory_order_seq_cst))
            return 1;
    return 0;
}

static int must_wake(pl_engine *e, pl_worker *w)
{
    return atomic_load_explicit(&e->stop, memory_order_seq_cst) ||
           atomic_load_explicit(&e->done, memory_order_seq_cst) ||
           atomic_load_explicit(&e->park, memory_order_seq_cst) ||
           (driver_of(e) && pl_element_home(driver_of(e)) == w->ctx.tid &&
            atomic_load_explicit(&e->runcount, memory_order_seq_cst) <= 0) ||
           anything_scheduled(atomic_load_explicit(&w->tasks, memory_order_acquire));
}

/* Every task sleeps: block until kicked, or until `until` (the first timer,
 * ns on the engine clock; UINT64_MAX: no timer). */
static void block(pl_engine *e, pl_worker *w, uint64_t until)
{
    uint32_t seq = atomic_load_explicit(&w->wake_seq, memory_order_seq_cst);
    atomic_store_explicit(&w->sleeping, 1, memory_order_seq_cst);
    uint64_t first = atomic_load_explicit(&w->tnext, memory_order_seq_cst);
    if (first < until)
        until = first;
    if (!must_wake(e, w)) {
        struct timespec ts, *tsp = NULL;
        if (until != UINT64_MAX) {
            uint64_t now = pl_engine_now_ns(e);
            uint64_t d = until > now ? until - now : 0;
            ts.tv_sec = (time_t)(d / 1000000000u);
            ts.tv_nsec = (long)(d % 1000000000u);
            tsp = &ts;
        }
        if (!tsp || ts.tv_sec || ts.tv_nsec)
            syscall(SYS_futex, &w->wake_seq, FUTEX_WAIT_PRIVATE, seq, tsp, NULL, 0);
    }
    atomic_store_explicit(&w->sleeping, 0, memory_order_seq_cst);
}

/* Click's verify_stop, on the driver's home worker: step the DriverManager
 * while it ends without raising the runcount; if it did not, stop. */
static void settle_stop(pl_engine *e, pl_worker *w)
{
    pl_element *d = driver_of(e);
    if (atomic_load_explicit(&e->runcount, memory_order_acquire) > 0 || !d ||
        pl_element_home(d) != w->ctx.tid)
        return;
    for (int max = 1000; max > 0; max--)
        if (d->cls->driver_step(d, &w->ctx) != 0 ||
            atomic_load_explicit(&e->runcount, memory_order_acquire) > 0)
            break;
    if (atomic_load_explicit(&e->runcount, memory_order_acquire) <= 0) {
        atomic_store(&e->done, 1);
        pl_workers_kick(e);
    }
}

/*
 * Run the worker's tasks until asked to stop. Between two rounds no packet of
 * this worker is inside the graph (full push, run to completion): the epoch
 * increment marks that quiescent point for live change. Returns 1 when it
 * ended because nothing more can happen or the engine stops, 0 when max_runs
 * rounds ran (an inline run in steps goes on).
 */
int pl_worker_loop(pl_worker *w, uint64_t max_runs, int until_idle)
{
    pl_engine *e = w->eng;
    pl_worker *outer = tls_worker;
    tls_worker = w;
    unsigned idle = w->idle;
    uint64_t runs = 0;
    w->ctx.io_attached = 0;            /* this thread may not be the last one that ran w */
    if (w->ctx.bd) {                   /* the breakdown's first stage starts here */
        w->ctx.bd_last = pl_rdtsc();
        __atomic_store_n(&w->ctx.bd[2 * PL_BD_N], w->ctx.bd_last, __ATOMIC_RELAXED);
    }
    while (!atomic_load_explicit(&e->stop, memory_order_relaxed) &&
           !atomic_load_explicit(&e->done, memory_order_relaxed) && runs < max_runs) {
        uint32_t work = 0;
        uint64_t tnext = atomic_load_explicit(&w->tnext, memory_order_relaxed);
        if (tnext != UINT64_MAX && tnext <= pl_engine_now_ns(e)) {
            pl_timers_run(w);
            work++;
        }
        pl_tasklist *tl = atomic_load_explicit(&w->tasks, memory_order_acquire);
        for (int i = 0; tl && i < tl->n; i++) {
            pl_element *t = tl->t[i];
            if (atomic_load_explicit(&t->task_done, memory_order_relaxed))
                continue;
            if (!atomic_load_explicit(&t->sched, memory_order_relaxed))
                continue;
            work += t->cls->run_task(t, &w->ctx);
        }
        runs++;
        /* seq_cst: the next round's loads must not move above this store
         * (one locked instruction per round, not per packet). */
        atomic_fetch_add_explicit(&w->epoch, 1, memory_order_seq_cst);
        if (driver_of(e) && atomic_load_explicit(&e->runcount, memory_order_relaxed) <= 0)
            settle_stop(e, w);
        maybe_park(e);
        if (work) {
            idle = 0;
            continue;
        }
        if (!anything_scheduled(tl)) {
            uint64_t next = atomic_load_explicit(&w->tnext, memory_order_acquire);
            if (e->simtime && next != UINT64_MAX) {
                /* Simulated time (one worker): nothing can happen before the
                 * next timer, so it is now. */
                pl_sim_advance(e, next);
                continue;
            }
            if (until_idle && next == UINT64_MAX)
                break;                 /* inline run: nothing more will happen */
            /* An inline run waits for its timer in slices of 10 ms, so that its
             * caller gets control back (Ctrl-C) even when the timer is far. */
            block(e, w, until_idle ? pl_engine_now_ns(e) + 10000000u : UINT64_MAX);
            idle = 0;
            continue;
        }
        if (e->simtime) {
            /* Simulated time: tasks that poll (a Shaper's puller) found
             * nothing: a microsecond passes, so they can. */
            pl_sim_advance(e, pl_engine_now_ns(e) + 1000);
            continue;
        }
        /* Back off when idle: spin briefly, then yield, then sleep 50 us. */
        if (++idle >= 320 && until_idle && atomic_load_explicit(&w->tnext, memory_order_acquire) ==
                                               UINT64_MAX)
            break;                     /* inline run: tasks poll and find nothing, no timer is set */
        if (idle < 64)
            continue;
        if (idle < 256) {
            sched_yield();
            continue;
        }
        pause_briefly(50000);
    }
    tls_worker = outer;
    w->idle = idle;
    return runs < max_runs;
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
            pl_workers_kick(e);
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
    pl_workers_kick(e);
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

/* A worker that parks the others (a Script writing a Queue's capacity)
 * counts as parked itself; two parkers at once take turns. */
void pl_engine_park(pl_engine *e)
{
    pl_worker *self = tls_worker && tls_worker->eng == e ? tls_worker : NULL;
    if (self) {
        while (pthread_mutex_trylock(&e->park_lock))
            maybe_park(e);
    } else
        pthread_mutex_lock(&e->park_lock);
    atomic_store_explicit(&e->park, 1, memory_order_release);
    pl_workers_kick(e);
    int want = nstarted(e) - (self && self->started ? 1 : 0);
    /* Workers that already left their loop (done/stop) never park. */
    while (atomic_load_explicit(&e->parked, memory_order_acquire) < want &&
           !atomic_load_explicit(&e->done, memory_order_acquire) &&
           !atomic_load_explicit(&e->stop, memory_order_acquire))
        pause_briefly(10000);
}

void pl_engine_unpark(pl_engine *e)
{
    atomic_store_explicit(&e->park, 0, memory_order_release);
    pthread_mutex_unlock(&e->park_lock);
}

void pl_engine_synchronize(pl_engine *e)
{
    if (!e->workers || !nstarted(e))
        return;
    uint64_t seen[256];
    atomic_thread_fence(memory_order_seq_cst);   /* publication before the epoch reads */
    for (int t = 0; t < e->nthreads; t++)
        seen[t] = atomic_load_explicit(&e->workers[t].epoch, memory_order_acquire);
    /* Sleeping workers go round once (an empty round) when kicked. */
    pl_workers_kick(e);
    /* A busy worker passes a quiescent point every batch (microseconds):
     * yield first, and sleep only if that did not suffice. */
    for (int t = 0; t < e->nthreads; t++) {
        pl_worker *w = &e->workers[t];
        if (w == tls_worker)
            continue;                  /* the caller is between its tasks */
        unsigned spins = 0;
        while (w->started && atomic_load_explicit(&w->epoch, memory_order_acquire) == seen[t] &&
               !atomic_load_explicit(&e->done, memory_order_acquire) &&
               !atomic_load_explicit(&e->stop, memory_order_acquire)) {
            if (++spins % 64 == 0)
                pl_worker_kick(w);
            if (spins < 1000)
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
    pl_workers_kick(e);                /* new tasks may be scheduled */
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
