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

/* The workers that take packets out of a boundary: its own task (Pipeliner),
 * or the tasks that pull from it (a Queue's Unqueue). */
static uint64_t consumer_mask(pl_engine *e, const pl_element *el)
{
    uint64_t m = task_mask(e, el);
    for (int c = 0; !m && c < e->nconns; c++)
        if (e->elems[e->conns[c].from] == el)
            m |= task_mask(e, e->elems[e->conns[c].to]);
    return m;
}

static uint64_t out_mask(pl_engine *e, const pl_element *el)
{
    return (el->cls->traits & PL_C_BOUNDARY) ? consumer_mask(e, el)
                                             : el->threads | task_mask(e, el);
}

void pl_threads_analyze(pl_engine *e)
{
    for (int i = 0; i < e->nelems; i++)
        e->elems[i]->threads = 0;
    /* Fixpoint over the connections (graphs may have cycles). */
    for (int changed = 1, rounds = 0; changed && rounds <= e->nelems + 1; rounds++) {
        changed = 0;
        for (int c = 0; c < e->nconns; c++) {
            pl_element *from = e->elems[e->conns[c].from], *to = e->elems[e->conns[c].to];
            uint64_t m = to->threads | out_mask(e, from);
            if (m != to->threads) {
                to->threads = m;
                changed = 1;
            }
        }
    }
    /* Packets cross threads where a boundary is fed by another thread than
     * the one draining it. */
    int crossing = 0;
    size_t k = 0;
    e->warnings[0] = 0;
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        if ((el->cls->traits & PL_C_BOUNDARY) && (el->threads & ~consumer_mask(e, el)))
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

/*
 * Make the pools' reference-count mode follow the analysis. Switching needs
 * every worker parked: no packet is in flight then, except inside boundary
 * elements, which only exist when crossing was already true.
 */
void pl_threads_apply(pl_engine *e)
{
    int want = e->crossing;
    if (!e->workers || pl_engine_atomic_refs(e) == want)
        return;
    pl_engine_park(e);
    for (int t = 0; t < e->nthreads; t++)
        e->workers[t].pool.atomic_refs = want;
    pl_engine_unpark(e);
}
