/*
 * Per-thread packet pools.
 *
 * Each worker owns one pool; no locks. Buffers are carved from slabs obtained
 * from the system a slab at a time (never one per packet). A packet freed on
 * another thread (after crossing a queue) goes to that thread's pool: buffers
 * are interchangeable, and only totals matter for accounting.
 *
 * When packets cross threads, one pool fills while another drains: pools of
 * a multi-thread engine share a depot. A pool holding more than `high` free
 * buffers spills a chunk of PL_SLAB_PACKETS there, and an empty pool takes a
 * chunk back before carving a new slab (a lock per chunk, never per packet;
 * the same idea as DPDK's mempool caches over a shared ring).
 *
 * Free buffers are kept as an array of pointers (a stack), not a list
 * through the packets: taking buffers reads no packet memory, so buffers
 * last touched by another core (a Pipeliner's consumer freed them) are
 * fetched in parallel, with prefetches, instead of one miss after another
 * down a linked list.
 *
 * Size classes: a pool holds one such stack per class (pl_bufs c[k], data
 * areas of pl_class_bytes(k)). Class 0 (2 KB) is the fast path: the inline
 * alloc and free below touch only it. The larger classes are carved in
 * smaller slabs (their buffers are 5 and 33 times bigger), on first use, with
 * a limit in bytes like class 0's, and have their own depots. A buffer goes
 * back to the class its flags name, in whichever thread frees it.
 */
#ifndef PL_POOL_H
#define PL_POOL_H

#include "packet.h"
#include "poolcheck.h"

#include <pthread.h>
#include <stdlib.h>

#define PL_PACKET_STRIDE ((sizeof(pl_packet) + PL_BUFSIZE + 63) & ~(size_t)63)
#ifndef PL_SLAB_PACKETS          /* the fuzzer's build takes smaller slabs (native/fuzz) */
#define PL_SLAB_PACKETS 1024     /* class 0: buffers per slab and per depot transfer */
#endif

typedef struct pl_slab {
    struct pl_slab *next;
    /* packets follow, 64-byte aligned */
} pl_slab;

typedef struct pl_depot {
    pthread_mutex_t lock;
    pl_packet **v;               /* free buffers, moved a chunk at a time */
    uint64_t nfree, cap;
} pl_depot;

/* The free buffers of one size class. */
typedef struct pl_bufs {
    pl_packet **stack;           /* free buffers; the top is stack[nfree - 1] */
    uint64_t nfree, cap;
    uint64_t high;               /* spill to the depot above this many free */
    pl_depot *depot;             /* shared with the other pools, or NULL */
    pl_packet *spare;            /* linked overflow, only when the stack cannot grow */
    uint64_t allocated;          /* buffers carved from slabs */
    uint64_t limit;              /* max buffers this class may carve */
    uint64_t alloc_failures;
    pl_slab *slabs;
    uint32_t bufsize;            /* data area of each buffer: pl_class_bytes(class) */
    uint32_t chunk;              /* buffers per slab and per depot transfer */
    uint8_t flags;               /* class bits of its buffers (PL_PKT_CLASS_MASK) */
} pl_bufs;

typedef struct pl_pool {
    int atomic_refs;             /* packets may cross threads: atomic refcounts */
    pl_bufs c[PL_NCLASSES];      /* c[0]: the 2 KB class, the fast path's */
} pl_pool;

void pl_depot_init(pl_depot *d);
void pl_depot_destroy(pl_depot *d);
/* Give one chunk of free buffers to the depot (slow path of a put). */
void pl_bufs_spill(pl_bufs *b);

/* limit: class 0 buffers this pool may carve; the larger classes may carve
 * as many bytes (at least a slab each). */
void pl_pool_init(pl_pool *pool, uint64_t limit, int atomic_refs);
/* Share free buffers with the other pools of an engine: depots[PL_NCLASSES]. */
void pl_pool_set_depots(pl_pool *pool, pl_depot *depots);
void pl_pool_destroy(pl_pool *pool);
/* Buffers of every class carved and not back in this pool (a test's view:
 * with depots or several pools only totals over all of them mean anything). */
uint64_t pl_pool_in_use(const pl_pool *pool);

/* Slow path: carve a new slab. Returns 0 when the limit or memory ran out. */
int pl_bufs_grow(pl_bufs *b);
/* Slow path of a put: room for n more free buffers (0: none could be had). */
int pl_bufs_reserve(pl_bufs *b, uint64_t n);

static inline void pl_packet_reset(pl_packet *p, pl_pool *pool)
{
    p->origin = p;
    atomic_store_explicit(&p->refs, 1, memory_order_relaxed);
    p->buf = p->area;
    p->buf_end = p->area + PL_BUFSIZE;
    p->data = p->area + PL_HEADROOM;
    p->len = 0;
    p->mac_off = p->net_off = PL_OFF_UNSET;
    p->flags = pool->atomic_refs ? PL_PKT_SHARED_REFS : 0;
    p->paint = 0;
    PL_FUZZ_RESET(p);
    memset(&p->timestamp, 0, 64);   /* line 1, as Click: new packets have clear annotations */
}

/* A fresh packet from the 2 KB class (up to PL_BUFSIZE - PL_HEADROOM bytes). */
static inline pl_packet *pl_packet_alloc(pl_pool *pool)
{
    pl_bufs *b = &pool->c[0];
    if (__builtin_expect(!b->nfree, 0) && !pl_bufs_grow(b)) {
        b->alloc_failures++;
        return NULL;
    }
    pl_packet *p = b->stack[--b->nfree];
    pl_packet_reset(p, pool);
    return pl_batch_one(p);
}

/* Slow path of pl_packet_alloc_len: a packet from a larger class. */
pl_packet *pl_packet_alloc_large(pl_pool *pool, uint32_t len);

/*
 * A fresh packet of `len` bytes (uninitialized) after PL_HEADROOM bytes of
 * headroom, from the smallest class that holds it (Click's Packet::make).
 * NULL when no buffer could be had or len > PL_MAX_LEN (the caller counts
 * it: check PL_MAX_LEN first to tell "too long" from "no buffer").
 */
static inline pl_packet *pl_packet_alloc_len(pl_pool *pool, uint32_t len)
{
    if (__builtin_expect(len > PL_BUFSIZE - PL_HEADROOM, 0))
        return pl_packet_alloc_large(pool, len);
    pl_packet *p = pl_packet_alloc(pool);
    if (p)
        p->len = len;
    return p;
}

/*
 * Allocate up to n packets as one batch (not reset beyond the basics: callers
 * set data and len). Returns the batch, or NULL if nothing could be had.
 */
pl_packet *pl_pool_alloc_batch(pl_pool *pool, uint32_t n);

/* Back onto the stack of its class, b (the caller picked it). */
static inline void pl_bufs_put(pl_bufs *b, pl_packet *p)
{
    if (__builtin_expect(b->nfree == b->cap, 0) && !pl_bufs_reserve(b, 1)) {
        p->next = b->spare;               /* out of memory for the stack: keep it anyway */
        b->spare = p;
        return;
    }
    b->stack[b->nfree] = p;
    if (__builtin_expect(++b->nfree > b->high, 0) && b->depot)
        pl_bufs_spill(b);
}

static inline void pl_pool_put(pl_pool *pool, pl_packet *p)
{
    pl_bufs_put(&pool->c[pl_packet_class(p)], p);
}
/*
 * Packets owned by an I/O backend (PL_PKT_EXTERNAL: DPDK mbufs, whose private
 * area holds the pl_packet) go back through these hooks, which the backend
 * sets when it starts; the core never links the backend. free_batch frees a
 * whole batch that holds external packets, in one pass (any packet: clones
 * and pool packets too).
 */
extern void (*pl_ext_free_one)(pl_packet *p);
extern void (*pl_ext_free_batch)(pl_pool *pool, pl_packet *b);

/*
 * Other owners of external packets (netmap: its metadata is one array per
 * engine) are told apart by the address of the metadata: a registered range
 * [lo, hi) goes to its own hooks, any other external packet to the default
 * ones above. An owner's free_batch takes any batch whose head it owns and
 * frees the packets it does not own through pl_packet_free; the default
 * free_batch leaves ranged packets to pl_packet_free too (pl_ext_ranged).
 */
#define PL_EXT_RANGES 8
typedef struct pl_ext_range {
    _Atomic uintptr_t lo, hi;     /* hi == 0: the slot is free */
    void *arg;
    void (*free_one)(void *arg, pl_packet *p);
    void (*free_batch)(void *arg, pl_pool *pool, pl_packet *b);
} pl_ext_range;
extern pl_ext_range pl_ext_ranges[PL_EXT_RANGES];
extern _Atomic int pl_ext_nranges;   /* slots in use are below this */

/* Control side; the owner keeps its range until none of its packets is left. */
int pl_ext_register(uintptr_t lo, uintptr_t hi, void *arg,
                    void (*free_one)(void *, pl_packet *),
                    void (*free_batch)(void *, pl_pool *, pl_packet *));
void pl_ext_unregister(int slot);

static inline pl_ext_range *pl_ext_ranged(const pl_packet *p)
{
    int n = atomic_load_explicit(&pl_ext_nranges, memory_order_acquire);
    uintptr_t a = (uintptr_t)p;
    for (int i = 0; i < n; i++) {
        pl_ext_range *r = &pl_ext_ranges[i];
        if (a >= atomic_load_explicit(&r->lo, memory_order_relaxed) &&
            a < atomic_load_explicit(&r->hi, memory_order_acquire))
            return r;
    }
    return NULL;
}

static inline void pl_ext_recycle(pl_packet *p)
{
    pl_ext_range *r = pl_ext_ranged(p);
    if (r)
        r->free_one(r->arg, p);
    else
        pl_ext_free_one(p);
}

static inline void pl_packet_free(pl_pool *pool, pl_packet *p);

/* A batch holding external packets, by the owner of its head (or, without a
 * default owner, packet by packet). */
static inline void pl_ext_batch_free(pl_pool *pool, pl_packet *b)
{
    pl_ext_range *r = pl_ext_ranged(b);
    if (r) {
        r->free_batch(r->arg, pool, b);
    } else if (pl_ext_free_batch) {
        pl_ext_free_batch(pool, b);
    } else {
        for (pl_packet *p = b, *nx; p; p = nx) {
            nx = p->next;
            pl_packet_free(pool, p);
        }
    }
}

/* Give a packet nobody references any more back to where it came from. */
static inline void pl_packet_recycle(pl_pool *pool, pl_packet *p)
{
    if (__builtin_expect(p->flags & PL_PKT_EXTERNAL, 0))
        pl_ext_recycle(p);
    else if (__builtin_expect(p->flags & PL_PKT_HEAP, 0))
        free(p);
    else
        pl_pool_put(pool, p);
}

static inline uint32_t pl_ref_dec(pl_packet *p)
{
    if (p->flags & PL_PKT_SHARED_REFS)
        return atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) - 1;
    uint32_t r = atomic_load_explicit(&p->refs, memory_order_relaxed) - 1;
    atomic_store_explicit(&p->refs, r, memory_order_relaxed);
    return r;
}

/* Drop n references at once (a run of clones of one origin). */
static inline uint32_t pl_ref_sub(pl_packet *p, uint32_t n)
{
    if (p->flags & PL_PKT_SHARED_REFS)
        return atomic_fetch_sub_explicit(&p->refs, n, memory_order_acq_rel) - n;
    uint32_t r = atomic_load_explicit(&p->refs, memory_order_relaxed) - n;
    atomic_store_explicit(&p->refs, r, memory_order_relaxed);
    return r;
}

static inline void pl_ref_add(pl_packet *p, uint32_t n)
{
    if (p->flags & PL_PKT_SHARED_REFS)
        atomic_fetch_add_explicit(&p->refs, n, memory_order_relaxed);
    else
        atomic_store_explicit(&p->refs, atomic_load_explicit(&p->refs, memory_order_relaxed) + n,
                              memory_order_relaxed);
}

static inline void pl_ref_inc(pl_packet *p)
{
    if (p->flags & PL_PKT_SHARED_REFS)
        atomic_fetch_add_explicit(&p->refs, 1, memory_order_relaxed);
    else
        atomic_store_explicit(&p->refs, atomic_load_explicit(&p->refs, memory_order_relaxed) + 1,
                              memory_order_relaxed);
}

/* Release one packet's references; recycle what nobody uses any more. */
static inline void pl_packet_free(pl_pool *pool, pl_packet *p)
{
    PL_FUZZ_DEATH(p);
    pl_packet *o = p->origin;
    if (o != p && !(o->flags & PL_PKT_STATIC) && pl_ref_dec(o) == 0)
        pl_packet_recycle(pool, o);
    if (!(p->flags & PL_PKT_STATIC) && pl_ref_dec(p) == 0)
        pl_packet_recycle(pool, p);
}

/*
 * Free a whole batch. In the common case (no clones, 2 KB buffers only) the
 * batch goes onto the class-0 stack in one pass; anything else packet by
 * packet.
 */
static inline void pl_batch_free(pl_pool *pool, pl_packet *b)
{
    if (!b)
        return;
    PL_FUZZ_DEATHS(b);
    if (__builtin_expect(b->flags & PL_PKT_EXTERNAL, 0)) {
        pl_ext_batch_free(pool, b);     /* device packets: one pass, bulk to the mempool */
        return;
    }
    bool plain = true;
    unsigned flags = 0;
    PL_BATCH_FOREACH(p, b) {
        if (p->origin != p || (p->flags & PL_PKT_STATIC) ||
            atomic_load_explicit(&p->refs, memory_order_relaxed) != 1) {
            plain = false;
            break;
        }
        flags |= p->flags;
    }
    pl_bufs *c0 = &pool->c[0];
    if (plain && __builtin_expect(!(flags & (PL_PKT_EXTERNAL | PL_PKT_CLASS_MASK)), 1) &&
        (c0->cap - c0->nfree >= b->b_count || pl_bufs_reserve(c0, b->b_count))) {
        pl_packet **top = c0->stack + c0->nfree;
        uint32_t n = 0;
        PL_BATCH_FOREACH(p, b)
            top[n++] = p;
        c0->nfree += n;
        if (__builtin_expect(c0->nfree > c0->high, 0) && c0->depot)
            pl_bufs_spill(c0);
        return;
    }
    if (plain && (flags & PL_PKT_EXTERNAL)) {
        pl_ext_batch_free(pool, b);     /* mbufs: back to their mempool in bulk */
        return;
    }
    /* Clones of one origin usually come in runs (a source's batch, a Tee):
     * recycle the run and release the origin once, by the run's length. */
    pl_packet *p = b;
    while (p) {
        pl_packet *o = p->origin;
        uint32_t k = 0;
        while (o != p && !(p->flags & (PL_PKT_STATIC | PL_PKT_EXTERNAL | PL_PKT_CLASS_MASK)) &&
               atomic_load_explicit(&p->refs, memory_order_relaxed) == 1) {
            pl_packet *next = p->next;
            pl_bufs_put(c0, p);
            k++;
            p = next;
            if (!p || p->origin != o)
                break;
        }
        if (k) {
            if (!(o->flags & PL_PKT_STATIC) && pl_ref_sub(o, k) == 0)
                pl_packet_recycle(pool, o);
            continue;
        }
        pl_packet *next = p->next;
        pl_packet_free(pool, p);
        p = next;
    }
}

/* A new packet sharing p's data (Click's clone()). NULL if the pool is empty. */
pl_packet *pl_packet_clone(pl_pool *pool, pl_packet *p);
/* Give p a private, writable copy of its data (Click's uniqueify()). Returns
 * p, or NULL when no buffer could be had (p is then unchanged). */
pl_packet *pl_packet_uniqueify(pl_pool *pool, pl_packet *p);

/*
 * Give p a private data area with at least `head` bytes of headroom and
 * `tail` bytes of tailroom around its data (Click's expensive uniqueify,
 * behind push() and put()): its own area when that is free and large
 * enough, else a buffer of the class that holds it. The bytes before the
 * data come along as far as they fit (Unstrip after a move still finds what
 * Strip removed); header annotations follow. The packet keeps its metadata
 * (the same pointer, so batch links stay valid). Returns p, or NULL when no
 * buffer could be had or head + len + tail exceeds the largest class (p is
 * then unchanged).
 */
pl_packet *pl_packet_reroom(pl_pool *pool, pl_packet *p, uint32_t head, uint32_t tail);

#endif
