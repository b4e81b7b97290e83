#include "pool.h"

#include <stdlib.h>
#include <string.h>

void (*pl_ext_free_one)(pl_packet *p);
void (*pl_ext_free_batch)(pl_pool *pool, pl_packet *b);

void pl_pool_init(pl_pool *pool, uint64_t limit, int atomic_refs)
{
    memset(pool, 0, sizeof *pool);
    pool->limit = limit;
    pool->atomic_refs = atomic_refs;
    pool->high = UINT64_MAX;
}

void pl_depot_init(pl_depot *d)
{
    memset(d, 0, sizeof *d);
    pthread_mutex_init(&d->lock, NULL);
}

void pl_depot_destroy(pl_depot *d)
{
    pthread_mutex_destroy(&d->lock);
    free(d->v);
    d->v = NULL;
}

int pl_pool_reserve(pl_pool *pool, uint64_t n)
{
    if (pool->cap - pool->nfree >= n)
        return 1;
    uint64_t cap = pool->cap ? pool->cap : PL_SLAB_PACKETS;
    while (cap - pool->nfree < n)
        cap *= 2;
    pl_packet **v = realloc(pool->stack, sizeof *v * cap);
    if (!v)
        return 0;
    pool->stack = v;
    pool->cap = cap;
    return 1;
}

void pl_pool_spill(pl_pool *pool)
{
    pl_depot *d = pool->depot;
    uint64_t n = PL_SLAB_PACKETS;
    if (pool->nfree < n)
        return;
    pthread_mutex_lock(&d->lock);
    if (d->cap - d->nfree < n) {
        uint64_t cap = d->cap ? d->cap * 2 : 16 * n;
        pl_packet **v = realloc(d->v, sizeof *v * cap);
        if (!v) {
            pthread_mutex_unlock(&d->lock);
            pool->high += n;            /* keep them; try again later */
            return;
        }
        d->v = v;
        d->cap = cap;
    }
    pool->nfree -= n;
    memcpy(d->v + d->nfree, pool->stack + pool->nfree, sizeof *d->v * n);
    d->nfree += n;
    pthread_mutex_unlock(&d->lock);
}

/* Take a chunk of free buffers back from the depot (the pool is empty). */
static int pool_refill(pl_pool *pool)
{
    pl_depot *d = pool->depot;
    uint64_t n = PL_SLAB_PACKETS;
    if (!pl_pool_reserve(pool, n))
        return 0;
    pthread_mutex_lock(&d->lock);
    if (d->nfree < n)
        n = d->nfree;
    d->nfree -= n;
    if (n)
        memcpy(pool->stack + pool->nfree, d->v + d->nfree, sizeof *d->v * n);
    pthread_mutex_unlock(&d->lock);
    pool->nfree += n;
    return n > 0;
}

void pl_pool_destroy(pl_pool *pool)
{
    pl_slab *s = pool->slabs;
    while (s) {
        pl_slab *next = s->next;
        free(s);
        s = next;
    }
    free(pool->stack);
    memset(pool, 0, sizeof *pool);
}

int pl_pool_grow(pl_pool *pool)
{
    if (pool->spare) {                  /* buffers the stack had no room for */
        pl_packet *p = pool->spare;
        if (!pl_pool_reserve(pool, 1))
            return 0;
        pool->spare = p->next;
        pool->stack[pool->nfree++] = p;
        PL_POOL_POISON(p, PL_PACKET_BODY);
        return 1;
    }
    if (pool->depot && pool_refill(pool))
        return 1;
    uint64_t n = PL_SLAB_PACKETS;
    if (pool->allocated + n > pool->limit)
        n = pool->limit > pool->allocated ? pool->limit - pool->allocated : 0;
    if (n == 0 || !pl_pool_reserve(pool, n))
        return 0;
    size_t bytes = 64 + n * PL_PACKET_STRIDE;
    pl_slab *s = aligned_alloc(64, (bytes + 63) & ~(size_t)63);
    if (!s)
        return 0;
    s->next = pool->slabs;
    pool->slabs = s;
    uint8_t *base = (uint8_t *)s + 64;
    /* Push in reverse so the stack hands out buffers in address order. */
    for (uint64_t i = n; i-- > 0;) {
        pl_packet *p = (pl_packet *)(base + i * PL_PACKET_STRIDE);
        p->flags = 0;
        pool->stack[pool->nfree++] = p;
        PL_POOL_POISON(p, PL_PACKET_STRIDE);      /* the red zone stays poisoned */
    }
    pool->allocated += n;
    return 1;
}

pl_packet *pl_pool_alloc_batch(pl_pool *pool, uint32_t n)
{
    pl_packet *head = NULL, *tail = NULL;
    uint32_t got = 0;
    while (got < n) {
        if (!pool->nfree && !pl_pool_grow(pool)) {
            pool->alloc_failures++;
            break;
        }
        /* Take what the stack has at once; the addresses are known, so the
         * lines of the next few are requested while this one is written. */
        uint32_t k = n - got < pool->nfree ? n - got : (uint32_t)pool->nfree;
        pl_packet **top = pool->stack + pool->nfree;
        pool->nfree -= k;
        for (uint32_t i = 1; i <= k; i++) {
            if (i + 4 <= k) {
                __builtin_prefetch(top[-(int64_t)i - 4], 1);
                __builtin_prefetch(&top[-(int64_t)i - 4]->timestamp, 1);
            }
            pl_packet *p = top[-(int64_t)i];
            PL_POOL_UNPOISON(p, PL_PACKET_BODY);
            pl_packet_reset(p, pool);
            if (tail)
                tail->next = p;
            else
                head = p;
            tail = p;
        }
        got += k;
    }
    if (!head)
        return NULL;
    tail->next = NULL;
    head->b_tail = tail;
    head->b_count = got;
    head->b_bytes = 0;
    return head;
}

pl_packet *pl_packet_clone(pl_pool *pool, pl_packet *p)
{
    pl_packet *c = pl_packet_alloc(pool);
    if (!c)
        return NULL;
    pl_packet *o = p->origin;
    if (!(o->flags & PL_PKT_STATIC))
        pl_ref_inc(o);
    c->origin = o;
    c->buf = p->buf;
    c->buf_end = p->buf_end;
    c->data = p->data;
    c->len = p->len;
    c->mac_off = p->mac_off;
    c->net_off = p->net_off;
    c->paint = p->paint;
    c->dst_ip = p->dst_ip;
    c->timestamp = p->timestamp;
    memcpy(c->anno, p->anno, sizeof c->anno);
    return pl_batch_one(c);
}

pl_packet *pl_packet_uniqueify(pl_pool *pool, pl_packet *p)
{
    if (!pl_packet_shared(p))
        return p;
    pl_packet *o = p->origin;
    uint32_t head = (uint32_t)(p->data - p->buf);
    uint8_t *dst;
    if (o != p && atomic_load_explicit(&p->refs, memory_order_relaxed) == 1) {
        /* A clone whose own area nobody uses: copy into it. */
        p->origin = p;
        p->buf = p->area;
    } else {
        /* Our own area serves clones: move our data to a buffer holder whose
         * only user is us. Its reference is released when we are freed. */
        pl_packet *h = pl_packet_alloc(pool);
        if (!h)
            return NULL;
        p->origin = h;
        p->buf = h->area;
    }
    /* Copy the headroom too, as Click does: Unstrip after a write must find
     * the bytes that were stripped. */
    uint8_t *old_buf = p->data - head;
    p->buf_end = p->buf + PL_BUFSIZE;
    dst = p->buf + head;
    memmove(p->buf, old_buf, head + p->len);
    p->data = dst;
    if (o != p && !(o->flags & PL_PKT_STATIC) && pl_ref_dec(o) == 0)
        pl_packet_recycle(pool, o);
    return p;
}
