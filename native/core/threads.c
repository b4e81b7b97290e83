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
static uint64_t consumer_mask(pl_engine *e, const view *g, const pl_adj *a, int i)
{
    const pl_element *el = g->elems[i];
    uint64_t m = task_mask(e, el);
    /* Without the index (out of memory): every connection is looked at. */
    int lo = a->out ? a->out_off[i] : 0, hi = a->out ? a->out_off[i + 1] : g->nconns;
    for (int k = lo; k < hi; k++) {
        int c = a->out ? a->out[k] : k;
        if (g->conns[c].from == i && pl_output_is_pull(el, g->conns[c].from_port)) {
            const pl_element *to = g->elems[g->conns[c].to];
            m |= to->threads | task_mask(e, to);
        }
    }
    return m;
}

static uint64_t out_mask(pl_engine *e, const view *g, const pl_adj *a, int i)
{
    const pl_element *el = g->elems[i];
    return (el->cls->traits & PL_C_BOUNDARY) ? consumer_mask(e, g, a, i)
                                             : el->threads | task_mask(e, el);
}

/* Connection c brought news: the element it feeds, or NULL if none. */
static pl_element *relax(pl_engine *e, const view *g, const pl_adj *a, int c)
{
    pl_element *from = g->elems[g->conns[c].from], *to = g->elems[g->conns[c].to];
    pl_element *into = to;
    uint64_t m;
    if (pl_output_is_pull(from, g->conns[c].from_port)) {
        if (from->cls->traits & PL_C_BOUNDARY)
            return NULL;
        into = from;
        m = from->threads | to->threads | task_mask(e, to);
    } else
        m = to->threads | out_mask(e, g, a, g->conns[c].from);
    if (m == into->threads)
        return NULL;
    into->threads = m;                    /* vectors only grow: at most 64 times */
    return into;
}

/*
 * Every element's vector: a fixpoint over the connections (graphs may have
 * cycles). A push connection brings the sender's workers to the receiver; a
 * pull connection brings the puller's workers to what it pulls from (an
 * element pulled through runs on the pulling task's thread), except into a
 * boundary, whose vector is its pushers'. A worklist of connections: when an
 * element's vector grows, the connections it feeds or is fed by, and those
 * leaving a boundary it pulls from, are looked at again.
 */
static void vectors(pl_engine *e, const view *g)
{
    for (int i = 0; i < g->n; i++)
        g->elems[i]->threads = 0;
    pl_adj a = {0};
    int *queue = NULL;
    uint8_t *queued = NULL;
    if (g->nconns && !pl_adj_build(&a, g->n, g->conns, g->nconns)) {
        queue = malloc((size_t)g->nconns * sizeof *queue);
        queued = malloc((size_t)g->nconns);
    }
    if (!queue || !queued) {              /* out of memory: rounds over every connection */
        free(queue), free(queued), pl_adj_free(&a);
        for (int changed = 1, rounds = 0; changed && rounds <= 2 * g->n + 2; rounds++) {
            changed = 0;
            for (int c = 0; c < g->nconns; c++)
                changed |= relax(e, g, &a, c) != NULL;
        }
        return;
    }
    int head = 0, count = g->nconns, n = g->nconns;
    for (int c = 0; c < n; c++)
        queue[c] = c, queued[c] = 1;
#define PUSH(c)                                      \
    do {                                             \
        int c_ = (c);                                \
        if (!queued[c_]) {                           \
            queued[c_] = 1;                          \
            queue[(head + count++) % n] = c_;        \
        }                                            \
    } while (0)
    while (count) {
        int c = queue[head];
        head = (head + 1) % n, count--;
        queued[c] = 0;
        pl_element *grown = relax(e, g, &a, c);
        if (!grown)
            continue;
        int x = grown == g->elems[g->conns[c].to] ? g->conns[c].to : g->conns[c].from;
        for (int k = a.out_off[x]; k < a.out_off[x + 1]; k++)
            PUSH(a.out[k]);
        for (int k = a.in_off[x]; k < a.in_off[x + 1]; k++) {
            int ci = a.in[k], f = g->conns[ci].from;
            PUSH(ci);
            if (g->elems[f]->cls->traits & PL_C_BOUNDARY)     /* its consumers grew */
                for (int j = a.out_off[f]; j < a.out_off[f + 1]; j++)
                    PUSH(a.out[j]);
        }
    }
#undef PUSH
    free(queue), free(queued), pl_adj_free(&a);
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
    pl_adj a = {0};
    pl_adj_build(&a, g.n, g.conns, g.nconns);   /* on failure: consumer_mask scans */
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        if ((el->cls->traits & PL_C_BOUNDARY) && (el->threads & ~consumer_mask(e, &g, &a, i)))
            crossing = 1;
        if ((el->cls->traits & PL_C_SINGLE_THREAD) && __builtin_popcountll(el->threads) > 1 &&
            k < sizeof e->warnings - 1)
            k += (size_t)snprintf(e->warnings + k, sizeof e->warnings - k,
                                  "%s (%s) is reached by %d threads but is not thread-safe\n",
                                  el->name, el->cls->name, __builtin_popcountll(el->threads));
    }
    pl_adj_free(&a);
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
