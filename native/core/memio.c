/*
 * In-memory I/O: the public pl_element_feed / pl_element_drain calls, handed
 * to the element's class hooks (FromMemory, ToMemory).
 *
 * The hooks are lock-free single-producer/single-consumer structures shared
 * with the workers. The control side may call from several Python threads
 * (cffi releases the GIL), so one mutex serializes the calls here: it is
 * never taken by a worker.
 */
#include "engine.h"

#include <pthread.h>

_Static_assert(sizeof(((pl_pkt_meta *)0)->anno) == PL_ANNO_SIZE,
               "pl_pkt_meta.anno must match PL_ANNO_SIZE");

static pthread_mutex_t memio_lock = PTHREAD_MUTEX_INITIALIZER;

int pl_element_nthreads(const pl_element *e) { return e->eng->nthreads; }
int pl_element_dry(const pl_element *e) { return e->eng->opts.dry; }

static pl_element *memio_element(pl_engine *e, int elem, int drain, pl_error *err)
{
    if (elem < 0 || elem >= e->nelems) {
        pl_seterr(err, PL_ERR_STATE, NULL, "", "no element with index %d", elem);
        return NULL;
    }
    pl_element *el = e->elems[elem];
    if (drain ? !el->cls->drain : !el->cls->feed) {
        pl_seterr(err, PL_ERR_STATE, el, "", "%s is a %s, which cannot be %s", el->name,
                  el->cls->name, drain ? "drained (use ToMemory)" : "fed (use FromMemory)");
        return NULL;
    }
    if (e->state == PL_S_BUILD) {
        pl_seterr(err, PL_ERR_STATE, el, "", "initialize the engine before %s %s",
                  drain ? "draining" : "feeding", el->name);
        return NULL;
    }
    return el;
}

int pl_element_feed(pl_engine *e, int elem, const uint8_t *data, const uint32_t *lens,
                    uint32_t n, uint32_t *accepted, pl_error *err)
{
    *accepted = 0;
    pl_element *el = memio_element(e, elem, 0, err);
    if (!el)
        return err->status;
    pthread_mutex_lock(&memio_lock);
    int rc = el->cls->feed(el, data, lens, n, accepted, err);
    pthread_mutex_unlock(&memio_lock);
    return rc;
}

int pl_element_drain(pl_engine *e, int elem, uint8_t *data, size_t cap, pl_pkt_meta *meta,
                     uint32_t maxn, uint32_t *got, pl_error *err)
{
    *got = 0;
    pl_element *el = memio_element(e, elem, 1, err);
    if (!el)
        return err->status;
    pthread_mutex_lock(&memio_lock);
    int rc = el->cls->drain(el, data, cap, meta, maxn, got, err);
    pthread_mutex_unlock(&memio_lock);
    return rc;
}
