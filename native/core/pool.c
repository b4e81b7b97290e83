#include "pool.h"

#include <stdlib.h>
#include <string.h>

void (*pl_ext_free_one)(pl_packet *p);
void (*pl_ext_free_batch)(pl_pool *pool, pl_packet *b);
pl_ext_range pl_ext_ranges[PL_EXT_RANGES];
_Atomic int pl_ext_nranges;
static pthread_mutex_t ext_lock = PTHREAD_MUTEX_INITIALIZER;

int pl_ext_register(uintptr_t lo, uintptr_t hi, void *arg,
                    void (*free_one)(void *, pl_packet *),
                    void (*free_batch)(void *, pl_pool *, pl_packet *))
{
    pthread_mutex_lock(&ext_lock);
    int slot = -1;
    for (int i = 0; i < PL_EXT_RANGES && slot < 0; i++)
        if (!atomic_load_explicit(&pl_ext_ranges[i].hi, memory_order_relaxed))
            slot = i;
    if (slot >= 0) {
        pl_ext_range *r = &pl_ext_ranges[slot];
        r->arg = arg;
        r->free_one = free_one;
        r->free_batch = free_batch;
        atomic_store_explicit(&r->lo, lo, memory_order_relaxed);
        atomic_store_explicit(&r->hi, hi, memory_order_release);   /* publishes the rest */
        if (slot >= atomic_load_explicit(&pl_ext_nranges, memory_order_relaxed))
            atomic_store_explicit(&pl_ext_nranges, slot + 1, memory_order_release);
    }
    pthread_mutex_unlock(&ext_lock);
    return slot;
}

void pl_ext_unregister(int slot)
{
    if (slot < 0 || slot >= PL_EXT_RANGES)
        return;
    pthread_mutex_lock(&ext_lock);
    atomic_store_explicit(&pl_ext_ranges[slot].hi, 0, memory_order_release);
    atomic_store_explicit(&pl_ext_ranges[slot].lo, 0, memory_order_relaxed);
    pthread_mutex_unlock(&ext_lock);
}

/* Buffers per slab of the larger classes: about 1 MB each, as class 0's 2 MB. */
static const uint32_t class_chunk[PL_NCLASSES] = {PL_SLAB_PACKETS, 128, 16};

void pl_pool_init(pl_pool *pool, uint64_t limit, int atomic_refs)
{
    memset(pool, 0, sizeof *pool);
    pool->atomic_refs = atomic_refs;
    for (unsigned k = 0; k < PL_NCLASSES; k++) {
        pl_bufs *b = &pool->c[k];
        b->bufsize = pl_class_bytes(k);
        b->chunk = class_chunk[k];
        b->flags = (uint8_t)(k << PL_PKT_CLASS_SHIFT);
        b->high = UINT64_MAX;
        /* The same bytes as class 0 may use, and at least one slab. */
        uint64_t n = k ? limit * PL_BUFSIZE / b->bufsize : limit;
        b->limit = k && limit && n < b->chunk ? b->chunk : n;
    }
}

void pl_pool_set_depots(pl_pool *pool, pl_depot *depots)
{
    for (unsigned k = 0; k < PL_NCLASSES; k++) {
        pool->c[k].depot = &depots[k];
        pool->c[k].high = 4 * (uint64_t)pool->c[k].chunk;
    }
}

uint64_t pl_pool_in_use(const pl_pool *pool)
{
    uint64_t n = 0;
    for (unsigned k = 0; k < PL_NCLASSES; k++)
        n += pool->c[k].allocated - pool->c[k].nfree;
    return n;
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

int pl_bufs_reserve(pl_bufs *b, uint64_t n)
{
    if (b->cap - b->nfree >= n)
        return 1;
    uint64_t cap = b->cap ? b->cap : b->chunk ? b->chunk : PL_SLAB_PACKETS;
    while (cap - b->nfree < n)
        cap *= 2;
    pl_packet **v = realloc(b->stack, sizeof *v * cap);
    if (!v)
        return 0;
    b->stack = v;
    b->cap = cap;
    return 1;
}

void pl_bufs_spill(pl_bufs *b)
{
    pl_depot *d = b->depot;
    uint64_t n = b->chunk;
    if (b->nfree < n)
        return;
    pthread_mutex_lock(&d->lock);
    if (d->cap - d->nfree < n) {
        uint64_t cap = d->cap ? d->cap * 2 : 16 * n;
        pl_packet **v = realloc(d->v, sizeof *v * cap);
        if (!v) {
            pthread_mutex_unlock(&d->lock);
            b->high += n;               /* keep them; try again later */
            return;
        }
        d->v = v;
        d->cap = cap;
    }
    b->nfree -= n;
    memcpy(d->v + d->nfree, b->stack + b->nfree, sizeof *d->v * n);
    d->nfree += n;
    pthread_mutex_unlock(&d->lock);
}

/* Take a chunk of free buffers back from the depot (the stack is empty). */
static int bufs_refill(pl_bufs *b)
{
    pl_depot *d = b->depot;
    uint64_t n = b->chunk;
    if (!pl_bufs_reserve(b, n))
        return 0;
    pthread_mutex_lock(&d->lock);
    if (d->nfree < n)
        n = d->nfree;
    d->nfree -= n;
    if (n)
        memcpy(b->stack + b->nfree, d->v + d->nfree, sizeof *d->v * n);
    pthread_mutex_unlock(&d->lock);
    b->nfree += n;
    return n > 0;
}

void pl_pool_destroy(pl_pool *pool)
{
    for (unsigned k = 0; k < PL_NCLASSES; k++) {
        pl_slab *s = pool->c[k].slabs;
        while (s) {
            pl_slab *next = s->next;
            free(s);
            s = next;
        }
        free(pool->c[k].stack);
    }
    memset(pool, 0, sizeof *pool);
}

int pl_bufs_grow(pl_bufs *b)
{
    if (b->spare) {                     /* buffers the stack had no room for */
        pl_packet *p = b->spare;
        if (!pl_bufs_reserve(b, 1))
            return 0;
        b->spare = p->next;
        b->stack[b->nfree++] = p;
        return 1;
    }
    if (b->depot && bufs_refill(b))
        return 1;
    uint64_t n = b->chunk;
    if (b->allocated + n > b->limit)
        n = b->limit > b->allocated ? b->limit - b->allocated : 0;
    if (n == 0 || !pl_bufs_reserve(b, n))
        return 0;
    size_t stride = (sizeof(pl_packet) + b->bufsize + 63) & ~(size_t)63;
    size_t bytes = 64 + n * stride;
    pl_slab *s = aligned_alloc(64, (bytes + 63) & ~(size_t)63);
    if (!s)
        return 0;
    s->next = b->slabs;
    b->slabs = s;
    uint8_t *base = (uint8_t *)s + 64;
    /* Push in reverse so the stack hands out buffers in address order. */
    for (uint64_t i = n; i-- > 0;) {
        pl_packet *p = (pl_packet *)(base + i * stride);
        p->flags = b->flags;
        b->stack[b->nfree++] = p;
    }
    b->allocated += n;
    return 1;
}

pl_packet *pl_packet_alloc_large(pl_pool *pool, uint32_t len)
{
    unsigned k = pl_class_for(len + PL_HEADROOM);
    if (len > PL_MAX_LEN || k >= PL_NCLASSES)
        return NULL;
    pl_bufs *b = &pool->c[k];
    if (!b->nfree && !pl_bufs_grow(b)) {
        b->alloc_failures++;
        return NULL;
    }
    pl_packet *p = b->stack[--b->nfree];
    pl_packet_reset(p, pool);
    p->flags |= b->flags;
    p->buf_end = p->area + b->bufsize;
    p->len = len;
    return pl_batch_one(p);
}

pl_packet *pl_pool_alloc_batch(pl_pool *pool, uint32_t n)
{
    pl_bufs *b = &pool->c[0];
    pl_packet *head = NULL, *tail = NULL;
    uint32_t got = 0;
    while (got < n) {
        if (!b->nfree && !pl_bufs_grow(b)) {
            b->alloc_failures++;
            break;
        }
        /* Take what the stack has at once; the addresses are known, so the
         * lines of the next few are requested while this one is written. */
        uint32_t k = n - got < b->nfree ? n - got : (uint32_t)b->nfree;
        pl_packet **top = b->stack + b->nfree;
        b->nfree -= k;
        for (uint32_t i = 1; i <= k; i++) {
            if (i + 4 <= k) {
                __builtin_prefetch(top[-(int64_t)i - 4], 1);
                __builtin_prefetch(&top[-(int64_t)i - 4]->timestamp, 1);
            }
            pl_packet *p = top[-(int64_t)i];
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

/* A header offset after the bytes from `from` (a buffer offset) moved by
 * `shift`; offsets before `from` were not kept. */
static uint16_t moved_off(uint16_t off, uint32_t from, int64_t shift)
{
    if (off == PL_OFF_UNSET || off < from)
        return PL_OFF_UNSET;
    int64_t v = (int64_t)off + shift;
    return v >= 0 && v < PL_OFF_UNSET ? (uint16_t)v : PL_OFF_UNSET;
}

pl_packet *pl_packet_reroom(pl_pool *pool, pl_packet *p, uint32_t head, uint32_t tail)
{
    pl_packet *o = p->origin;
    uint32_t oldhead = (uint32_t)(p->data - p->buf);
    uint64_t need = (uint64_t)head + p->len + tail;
    if (need > PL_BUFSIZE_MAX)
        return NULL;
    /* The bytes before the data come along as far as they fit in the class
     * the request needs anyway. */
    uint32_t keep = oldhead;
    if (keep > head && (uint64_t)keep + p->len + tail > pl_class_bytes(pl_class_for((uint32_t)need)))
        keep = head;
    uint32_t newhead = keep > head ? keep : head;
    uint32_t size = newhead + p->len + tail;
    uint8_t *area;
    uint32_t area_bytes;
    pl_packet *holder = NULL;
    int own = o != p && !(p->flags & (PL_PKT_EXTERNAL | PL_PKT_STATIC | PL_PKT_HEAP)) &&
              atomic_load_explicit(&p->refs, memory_order_relaxed) == 1 &&
              pl_class_bytes(pl_packet_class(p)) >= size;
    if (own) {
        /* A clone (or a moved packet) whose own area nobody uses: copy into it. */
        area = p->area;
        area_bytes = pl_class_bytes(pl_packet_class(p));
    } else {
        /* Our own area serves clones, is too small, or is not a pool's: the
         * data moves to a holder whose only user is us. Its reference is
         * released when we are freed. */
        holder = pl_packet_alloc_len(pool, size > PL_HEADROOM ? size - PL_HEADROOM : 0);
        if (!holder)
            return NULL;
        area = holder->area;
        area_bytes = (uint32_t)(holder->buf_end - holder->area);
    }
    /* Buffer offset `off` (at least `from`: the kept bytes) lands at
     * off - from + newhead - keep. */
    uint32_t from = oldhead - keep;
    int64_t off_shift = (int64_t)(newhead - keep) - (int64_t)from;
    memmove(area + newhead - keep, p->data - keep, (size_t)keep + p->len);
    p->mac_off = moved_off(p->mac_off, from, off_shift);
    p->net_off = moved_off(p->net_off, from, off_shift);
    p->origin = own ? p : holder;
    p->buf = area;
    p->buf_end = area + area_bytes;
    p->data = area + newhead;
    if (o != p && !(o->flags & PL_PKT_STATIC) && pl_ref_dec(o) == 0)
        pl_packet_recycle(pool, o);
    return p;
}

pl_packet *pl_packet_uniqueify(pl_pool *pool, pl_packet *p)
{
    if (!pl_packet_shared(p))
        return p;
    /* The same headroom, as Click's: Unstrip after a write must find the
     * bytes that were stripped. Tailroom as far as the smallest class that
     * holds the rest allows. */
    uint32_t head = (uint32_t)(p->data - p->buf);
    if ((uint64_t)head + p->len > PL_BUFSIZE_MAX)
        head = PL_HEADROOM;
    uint32_t room = pl_class_bytes(pl_class_for(head + p->len)) - head - p->len;
    uint32_t tail = pl_tailroom(p);
    return pl_packet_reroom(pool, p, head, tail < room ? tail : room);
}
