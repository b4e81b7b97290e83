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

/* The graph an analysis runs on: the engine's, or a live change's new one,
 * with each element's connections (adj.n == 0: none could be had). */
typedef struct view {
    pl_element *const *elems;
    int n;
    const pl_conn *conns;
    int nconns;
    pl_adj adj;
} view;

static void view_init(view *g, pl_element *const *elems, int n, const pl_conn *conns, int nconns)
{
    *g = (view){elems, n, conns, nconns, {0}};
    if (pl_adj_build(&g->adj, n, conns, nconns))
        memset(&g->adj, 0, sizeof g->adj);
}

/* The workers that take packets out of a boundary: its own task (Pipeliner),
 * or the tasks that pull from it (a Queue's Unqueue). */
static uint64_t consumer_mask(pl_engine *e, const view *g, int i)
{
    uint64_t m = task_mask(e, g->elems[i]);
    if (g->adj.n) {
        for (int k = g->adj.out_off[i]; !m && k < g->adj.out_off[i + 1]; k++)
            m |= task_mask(e, g->elems[g->conns[g->adj.out[k]].to]);
        return m;
    }
    for (int c = 0; !m && c < g->nconns; c++)
        if (g->conns[c].from == i)
            m |= task_mask(e, g->elems[g->conns[c].to]);
    return m;
}

static uint64_t out_mask(pl_engine *e, const view *g, int i)
{
    const pl_element *el = g->elems[i];
    return (el->cls->traits & PL_C_BOUNDARY) ? consumer_mask(e, g, i)
                                             : el->threads | task_mask(e, el);
}

/* Every element's vector: propagation along the connections until nothing
 * changes (graphs may have cycles). A worklist: a vector only gains bits, so
 * each element is revisited at most 64 times -- O(connections), not the
 * O(elements x connections) of sweeping all connections until stable. */
static void vectors(pl_engine *e, const view *g)
{
    for (int i = 0; i < g->n; i++)
        g->elems[i]->threads = 0;
    int *queue = g->adj.n ? malloc(sizeof(int) * (size_t)g->n) : NULL;
    unsigned char *queued = queue ? calloc((size_t)g->n, 1) : NULL;
    if (!queued) {                       /* no memory: sweep until stable */
        free(queue);
        for (int changed = 1, rounds = 0; changed && rounds <= g->n + 1; rounds++) {
            changed = 0;
            for (int c = 0; c < g->nconns; c++) {
                pl_element *to = g->elems[g->conns[c].to];
                uint64_t m = to->threads | out_mask(e, g, g->conns[c].from);
                changed |= m != to->threads;
                to->threads = m;
            }
        }
        return;
    }
    int head = 0, len = g->n;            /* a ring of element indices */
    for (int i = 0; i < g->n; i++)
        queue[i] = i, queued[i] = 1;
    while (len) {
        int i = queue[head];
        head = (head + 1) % g->n;
        len--;
        queued[i] = 0;
        uint64_t m = out_mask(e, g, i);
        for (int k = g->adj.out_off[i]; k < g->adj.out_off[i + 1]; k++) {
            int t = g->conns[g->adj.out[k]].to;
            pl_element *to = g->elems[t];
            if ((to->threads | m) == to->threads)
                continue;
            to->threads |= m;
            if (!queued[t]) {
                queued[t] = 1;
                queue[(head + len++) % g->n] = t;
            }
        }
    }
    free(queue);
    free(queued);
}

void pl_threads_analyze(pl_engine *e)
{
    view g;
    view_init(&g, e->elems, e->nelems, e->conns, e->nconns);
    vectors(e, &g);
    /* Packets cross threads where a boundary is fed by another thread than
     * the one draining it. */
    int crossing = 0;
    size_t k = 0;
    e->warnings[0] = 0;
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        if ((el->cls->traits & PL_C_BOUNDARY) && (el->threads & ~consumer_mask(e, &g, i)))
            crossing = 1;
        if ((el->cls->traits & PL_C_SINGLE_THREAD) && __builtin_popcountll(el->threads) > 1 &&
            k < sizeof e->warnings - 1)
            k += (size_t)snprintf(e->warnings + k, sizeof e->warnings - k,
                                  "%s (%s) is reached by %d threads but is not thread-safe\n",
                                  el->name, el->cls->name, __builtin_popcountll(el->threads));
    }
    e->crossing = crossing;
    pl_adj_free(&g.adj);
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
        any = elems[i]->cls->threads_changed && elems[i]->threads != elems[i]->threads_told;
    if (!any)
        return;
    pl_engine_park(e);
    for (int i = 0; i < n; i++) {
        pl_element *el = elems[i];
        if (el->cls->threads_changed && el->threads != el->threads_told) {
            el->cls->threads_changed(el, el->threads);
            el->threads_told = el->threads;
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
    view g;
    view_init(&g, elems, n, conns, nconns);
    vectors(e, &g);
    pl_adj_free(&g.adj);
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
