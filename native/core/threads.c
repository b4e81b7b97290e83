/*
 * Thread vectors (FastClick §5.6): for every element, the set of workers
 * that can push packets into it, computed from the tasks (each runs on known
 * workers) along the output edges, stopping at boundary elements (Pipeliner,
 * queues), whose outputs run on the boundary's own task thread.
 *
 * From the vectors the engine decides, with no user configuration, whether
 * packets can cross threads (then reference counts are atomic) and warns
 * where an element that is not thread-safe is reached by several threads.
 */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bit(int t) { return 1ull << (t < 63 ? t : 63); }

/* Workers that run task `el` (tasks with task_threads run on several). */
static uint64_t task_mask(pl_engine *e, const pl_element *el)
{
    uint64_t m = 0;
    if (el->thread < 0)
        return 0;
    int n = el->task_count > 1 ? el->task_count : 1;
    for (int k = 0; k < n; k++)
        m |= bit((el->thread + k) % e->nthreads);
    return m;
}

/* The graph an analysis runs on: the engine's, or a live change's new one. */
typedef struct view {
    pl_element *const *elems;
    int n;
    const pl_conn *conns;
    int nconns;
} view;

/* The workers that take packets out of a boundary: its own task
 * (Pipeliner), or whoever pulls from it (a Queue's Unqueue, or the task
 * pulling through the agnostic elements after it). */
static uint64_t consumer_mask(pl_engine *e, const view *g, const pl_element *el)
{
    uint64_t m = task_mask(e, el);
    for (int c = 0; c < g->nconns; c++)
        if (g->elems[g->conns[c].from] == el && pl_output_is_pull(el, g->conns[c].from_port)) {
            const pl_element *to = g->elems[g->conns[c].to];
            m |= to->threads | task_mask(e, to);
        }
    return m;
}

static uint64_t out_mask(pl_engine *e, const view *g, const pl_element *el)
{
    return (el->cls->traits & PL_C_BOUNDARY) ? consumer_mask(e, g, el)
                                             : el->threads | task_mask(e, el);
}

/*
 * Every element's vector: a fixpoint over the connections (graphs may have
 * cycles). A push connection brings the sender's workers to the receiver; a
 * pull connection brings the puller's workers to what it pulls from (an
 * element pulled through runs on the pulling task's thread), except into a
 * boundary, whose vector is its pushers'.
 */
static void vectors(pl_engine *e, const view *g)
{
    for (int i = 0; i < g->n; i++)
        g->elems[i]->threads = 0;
    for (int changed = 1, rounds = 0; changed && rounds <= 2 * g->n + 2; rounds++) {
        changed = 0;
        for (int c = 0; c < g->nconns; c++) {
            pl_element *from = g->elems[g->conns[c].from], *to = g->elems[g->conns[c].to];
            pl_element *into = to;
            uint64_t m;
            if (pl_output_is_pull(from, g->conns[c].from_port)) {
                if (from->cls->traits & PL_C_BOUNDARY)
                    continue;
                into = from;
                m = from->threads | to->threads | task_mask(e, to);
            } else
                m = to->threads | out_mask(e, g, from);
            if (m != into->threads) {
                into->threads = m;
                changed = 1;
            }
        }
    }
}

void pl_threads_analyze(pl_engine *e)
{
    view g = {e->elems, e->nelems, e->conns, e->nconns};
    vectors(e, &g);
    /* Packets cross threads where a boundary is fed by another thread than
     * the one draining it. */
    int crossing = 0;
    size_t k = 0;
    e->warnings[0] = 0;
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        if ((el->cls->traits & PL_C_BOUNDARY) && (el->threads & ~consumer_mask(e, &g, el)))
            crossing = 1;
        if ((el->cls->traits & PL_C_SINGLE_THREAD) && __builtin_popcountll(el->threads) > 1 &&
            k < sizeof e->warnings - 1)
            k += (size_t)snprintf(e->warnings + k, sizeof e->warnings - k,
                                  "%s (%s) is reached by %d threads but is not thread-safe\n",
                                  el->name, el->cls->name, __builtin_popcountll(el->threads));
    }
    e->crossing = crossing;
}

uint64_t pl_element_threads(pl_engine *e, int i)
{
    if (i < 0 || i >= e->nelems)
        return 0;
    return e->elems[i]->threads | task_mask(e, e->elems[i]);
}

int pl_engine_atomic_refs(pl_engine *e)
{
    return e->workers && e->workers[0].pool.atomic_refs;
}

size_t pl_engine_warnings(pl_engine *e, char *buf, size_t len)
{
    if (!len)
        return 0;
    snprintf(buf, len, "%s", e->warnings);
    return strlen(buf);
}

/* Tell the elements that map per-thread resources whose vector changed,
 * with the workers parked (a no-op before they start). */
static void tell(pl_engine *e, pl_element *const *elems, int n)
{
    int any = 0;
    for (int i = 0; i < n && !any; i++)
        any = elems[i]->cls->threads_changed &&
              (elems[i]->threads | task_mask(e, elems[i])) != elems[i]->threads_told;
    if (!any)
        return;
    pl_engine_park(e);
    for (int i = 0; i < n; i++) {
        pl_element *el = elems[i];
        /* Its own task pushes too (a device output pulling from a Queue). */
        uint64_t m = el->threads | task_mask(e, el);
        if (el->cls->threads_changed && m != el->threads_told) {
            el->cls->threads_changed(el, m);
            el->threads_told = m;
        }
    }
    pl_engine_unpark(e);
}

/*
 * A live change is about to publish `elems`/`conns`: until it settles, a
 * worker may push along the old edges or the new ones, so the elements that
 * map per-thread resources get the union of both vectors first. The analysis
 * after publishing (pl_threads_analyze, pl_threads_apply) narrows it again.
 */
void pl_threads_preview(pl_engine *e, pl_element *const *elems, int n, const pl_conn *conns,
                        int nconns)
{
    uint64_t *old = calloc((size_t)(n ? n : 1), sizeof *old);
    for (int i = 0; old && i < n; i++)
        old[i] = elems[i]->threads;
    view g = {elems, n, conns, nconns};
    vectors(e, &g);
    for (int i = 0; i < n; i++)          /* fresh elements had no vector (0) */
        elems[i]->threads |= old ? old[i] : ~0ull;
    free(old);
    tell(e, elems, n);
}

/*
 * Make the pools' reference-count mode follow the analysis. Switching needs
 * every worker parked: no packet is in flight then, except inside boundary
 * elements, which only exist when crossing was already true. Then tell the
 * elements whose vector changed.
 */
void pl_threads_apply(pl_engine *e)
{
    int want = e->crossing;
    if (e->workers && pl_engine_atomic_refs(e) != want) {
        pl_engine_park(e);
        for (int t = 0; t < e->nthreads; t++)
            e->workers[t].pool.atomic_refs = want;
        pl_engine_unpark(e);
    }
    tell(e, e->elems, e->nelems);
}
