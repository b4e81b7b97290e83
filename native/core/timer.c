/*
 * Timers and the engine clock (timer.h).
 *
 * Each worker has a binary min-heap of timers under its own mutex (the data
 * path never takes it: a worker reads `tnext`, the first expiry, with one
 * relaxed load per round, and only when it has timers at all). A timer goes
 * to its owner's home worker; one scheduled before the engine knows that
 * worker (during initialize, or in an element a live change is still
 * building) waits in the engine's pending list until pl_timers_settle.
 *
 * The clock hook: pl_engine_now_ns is CLOCK_MONOTONIC, or under simulated
 * time (opts.simtime, Click's --simtime) a counter that only moves when a
 * worker with nothing to run jumps it to its next timer (worker.c). Every
 * element that measures time (rates, timestamps, Script's wait) reads this
 * clock, so simulated runs are deterministic and take no wall time.
 */
#include "engine.h"

#include <stdlib.h>
#include <time.h>

uint64_t pl_engine_now_ns(pl_engine *e)
{
    if (e->simtime)
        return atomic_load_explicit(&e->sim_now, memory_order_acquire);
    return pl_now_ns();
}

uint64_t pl_engine_realtime_ns(pl_engine *e)
{
    if (e->simtime)
        return (uint64_t)((int64_t)atomic_load_explicit(&e->sim_now, memory_order_acquire) +
                          e->sim_real_off);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void pl_sim_advance(pl_engine *e, uint64_t to)
{
    uint64_t cur = atomic_load_explicit(&e->sim_now, memory_order_relaxed);
    while (to > cur && !atomic_compare_exchange_weak(&e->sim_now, &cur, to))
        ;
}

/* ---- heap (under the worker's tlock) ---- */

static void place(pl_worker *w, int i, pl_timer *t)
{
    w->heap[i] = t;
    t->heap_idx = i;
}

static void sift_up(pl_worker *w, int i)
{
    pl_timer *t = w->heap[i];
    while (i > 0) {
        int p = (i - 1) / 2;
        if (w->heap[p]->expiry <= t->expiry)
            break;
        place(w, i, w->heap[p]);
        i = p;
    }
    place(w, i, t);
}

static void sift_down(pl_worker *w, int i)
{
    pl_timer *t = w->heap[i];
    for (;;) {
        int c = 2 * i + 1;
        if (c >= w->nheap)
            break;
        if (c + 1 < w->nheap && w->heap[c + 1]->expiry < w->heap[c]->expiry)
            c++;
        if (w->heap[c]->expiry >= t->expiry)
            break;
        place(w, i, w->heap[c]);
        i = c;
    }
    place(w, i, t);
}

static void heap_remove(pl_worker *w, pl_timer *t)
{
    int i = t->heap_idx;
    t->heap_idx = -1;
    pl_timer *last = w->heap[--w->nheap];
    if (i < w->nheap) {
        place(w, i, last);
        sift_down(w, i);
        sift_up(w, last->heap_idx);
    }
}

static void set_next(pl_worker *w)
{
    atomic_store_explicit(&w->tnext, w->nheap ? w->heap[0]->expiry : UINT64_MAX,
                          memory_order_release);
}

/* ---- timers ---- */

void pl_timer_init(pl_timer *t, pl_element *owner, pl_timer_fn fn, void *arg)
{
    int linked = 0;
    for (pl_timer *x = owner->timers; x && !linked; x = x->next)
        linked = x == t;
    if (linked) {
        pl_timer_unschedule(t);
        t->fn = fn;
        t->arg = arg;
        return;
    }
    *t = (pl_timer){.heap_idx = -1, .worker = -1, .fn = fn, .owner = owner, .arg = arg};
    t->next = owner->timers;
    owner->timers = t;
}

static void pending_remove(pl_engine *e, pl_timer *t)
{
    for (pl_timer **pp = &e->pending; *pp; pp = &(*pp)->pnext)
        if (*pp == t) {
            *pp = t->pnext;
            break;
        }
    __atomic_store_n(&t->pending, 0, __ATOMIC_RELAXED);
    t->pnext = NULL;
}

static int worker_of(pl_timer *t) { return __atomic_load_n(&t->worker, __ATOMIC_ACQUIRE); }

void pl_timer_schedule_at(pl_timer *t, uint64_t when)
{
    pl_element *o = t->owner;
    pl_engine *e = o->eng;
    if (atomic_load_explicit(&o->retiring, memory_order_acquire))
        return;
    if (!when)
        when = 1;
    if (worker_of(t) < 0) {
        pthread_mutex_lock(&e->pending_lock);
        if (!__atomic_load_n(&o->settled, __ATOMIC_ACQUIRE) || !e->workers) {
            __atomic_store_n(&t->expiry, when, __ATOMIC_RELAXED);
            if (!t->pending) {
                __atomic_store_n(&t->pending, 1, __ATOMIC_RELAXED);
                t->pnext = e->pending;
                e->pending = t;
            }
            pthread_mutex_unlock(&e->pending_lock);
            return;
        }
        if (t->pending)
            pending_remove(e, t);
        if (worker_of(t) < 0)
            __atomic_store_n(&t->worker, pl_element_home(o), __ATOMIC_RELEASE);
        pthread_mutex_unlock(&e->pending_lock);
    }
    int wi = worker_of(t);
    pl_worker *w = &e->workers[wi];
    pthread_mutex_lock(&w->tlock);
    if (atomic_load_explicit(&o->retiring, memory_order_acquire)) {
        pthread_mutex_unlock(&w->tlock);
        return;
    }
    uint64_t before = atomic_load_explicit(&w->tnext, memory_order_relaxed);
    if (t->heap_idx >= 0) {
        __atomic_store_n(&t->expiry, when, __ATOMIC_RELAXED);
        sift_down(w, t->heap_idx);
        sift_up(w, t->heap_idx);
    } else {
        if (w->nheap == w->capheap) {
            int cap = w->capheap ? w->capheap * 2 : 16;
            pl_timer **h = realloc(w->heap, sizeof *h * (size_t)cap);
            if (!h) {
                pthread_mutex_unlock(&w->tlock);
                return;               /* out of memory: the timer does not fire */
            }
            w->heap = h;
            w->capheap = cap;
        }
        __atomic_store_n(&t->expiry, when, __ATOMIC_RELAXED);
        place(w, w->nheap++, t);
        sift_up(w, t->heap_idx);
    }
    set_next(w);
    pthread_mutex_unlock(&w->tlock);
    if (when < before && pl_current_tid() != wi)
        pl_worker_kick(w);
}

void pl_timer_wake_task(pl_timer *t, pl_ctx *ctx) { pl_task_wake(t->owner); }

void pl_timer_schedule_after(pl_timer *t, uint64_t delay)
{
    pl_timer_schedule_at(t, pl_engine_now_ns(t->owner->eng) + delay);
}

void pl_timer_unschedule(pl_timer *t)
{
    pl_engine *e = t->owner->eng;
    if (worker_of(t) < 0) {
        pthread_mutex_lock(&e->pending_lock);
        if (t->pending)
            pending_remove(e, t);
        pthread_mutex_unlock(&e->pending_lock);
        if (worker_of(t) < 0)
            return;
    }
    pl_worker *w = &e->workers[worker_of(t)];
    pthread_mutex_lock(&w->tlock);
    if (t->heap_idx >= 0) {
        heap_remove(w, t);
        set_next(w);
    }
    pthread_mutex_unlock(&w->tlock);
}

int pl_timer_scheduled(pl_timer *t)
{
    pl_engine *e = t->owner->eng;
    if (worker_of(t) < 0)
        return __atomic_load_n(&t->pending, __ATOMIC_RELAXED);
    pl_worker *w = &e->workers[worker_of(t)];
    pthread_mutex_lock(&w->tlock);
    int r = t->heap_idx >= 0;
    pthread_mutex_unlock(&w->tlock);
    return r;
}

uint64_t pl_timer_expiry(pl_timer *t)
{
    return pl_timer_scheduled(t) ? __atomic_load_n(&t->expiry, __ATOMIC_RELAXED) : 0;
}

/* Run the expired timers of worker w (on w's thread). At most 64 a round,
 * as Click's, so that a timer that keeps rescheduling itself at once does
 * not starve the tasks. */
void pl_timers_run(pl_worker *w)
{
    pl_engine *e = w->eng;
    uint64_t now = pl_engine_now_ns(e);
    pthread_mutex_lock(&w->tlock);
    for (int n = 0; n < 64 && w->nheap && w->heap[0]->expiry <= now; n++) {
        pl_timer *t = w->heap[0];
        heap_remove(w, t);
        set_next(w);
        pthread_mutex_unlock(&w->tlock);
        t->fn(t, &w->ctx);
        pthread_mutex_lock(&w->tlock);
    }
    set_next(w);
    pthread_mutex_unlock(&w->tlock);
}

/* Homes are known (tasks assigned, thread vectors computed): pending
 * timers go to their heaps. */
void pl_timers_settle(pl_engine *e)
{
    pthread_mutex_lock(&e->pending_lock);
    for (int i = 0; i < e->nelems; i++)
        __atomic_store_n(&e->elems[i]->settled, 1, __ATOMIC_RELEASE);
    pl_timer *list = e->pending;
    e->pending = NULL;
    pthread_mutex_unlock(&e->pending_lock);
    while (list) {
        pl_timer *t = list;
        list = t->pnext;
        t->pnext = NULL;
        __atomic_store_n(&t->pending, 0, __ATOMIC_RELAXED);
        pl_timer_schedule_at(t, __atomic_load_n(&t->expiry, __ATOMIC_RELAXED));
    }
}

void pl_timers_cancel_owner(pl_element *el)
{
    atomic_store_explicit(&el->retiring, 1, memory_order_seq_cst);
    for (pl_timer *t = el->timers; t; t = t->next)
        pl_timer_unschedule(t);
}

void pl_timers_free(pl_worker *w)
{
    free(w->heap);
    w->heap = NULL;
    w->nheap = w->capheap = 0;
}

uint64_t pl_timers_next(pl_engine *e)
{
    uint64_t m = UINT64_MAX;
    for (int t = 0; e->workers && t < e->nthreads; t++) {
        uint64_t x = atomic_load_explicit(&e->workers[t].tnext, memory_order_acquire);
        if (x < m)
            m = x;
    }
    return m;
}
