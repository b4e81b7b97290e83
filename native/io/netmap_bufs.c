/*
 * The engine's netmap buffers: metadata headers, each holding one netmap
 * buffer of the engine's region at all times (netmap.h says how they swap).
 *
 * The buffers are netmap's "extra buffers", allocated by registering a
 * memory-only port (NR_REG_NULL) in the region and returned when it closes
 * (ni_bufs_head must then list them). A set lives while an element of its
 * engine uses it, and after that until the last of its packets is back.
 * Workers take and give metadata in bulk (a burst at a time); the stack is
 * locked only when the engine has several workers.
 *
 * Packets are told apart from DPDK's by the address of their metadata: the
 * set registers its array with the core (pl_ext_register).
 */
#include "netmap.h"

#ifdef PL_HAVE_NETMAP
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define META_STRIDE sizeof(pl_packet)

struct pl_nm_set {
    const void *eng;              /* NULL once its engine let go (draining) */
    int refs;
    uint16_t mem_id;
    struct nmport_d *anchor;      /* the null port the extra buffers belong to */
    uint8_t *bufbase;
    uint32_t buf_size;
    uint8_t *meta;                /* nmeta headers, META_STRIDE apart */
    uint32_t *idx;                /* the buffer each header holds */
    uint32_t nmeta;
    uint32_t *free;               /* free headers, a stack */
    uint32_t nfree;
    atomic_flag lock;
    int locked;
    int range;                    /* our pl_ext_ranges slot */
    pl_nm_set *next;
};

static pl_nm_set *sets;           /* control thread, under the ports' lock (netmap_port.c) */
static unsigned anchors;

static inline void lock(pl_nm_set *s)
{
    if (s->locked)
        while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire))
            ;
}

static inline void unlock(pl_nm_set *s)
{
    if (s->locked)
        atomic_flag_clear_explicit(&s->lock, memory_order_release);
}

pl_packet *pl_nm_set_meta(pl_nm_set *s, uint32_t m)
{
    return (pl_packet *)(void *)(s->meta + (size_t)m * META_STRIDE);
}

uint32_t *pl_nm_set_buf(pl_nm_set *s, uint32_t m) { return &s->idx[m]; }

uint8_t *pl_nm_set_bufaddr(const pl_nm_set *s, uint32_t idx)
{
    return s->bufbase + (size_t)idx * s->buf_size;
}

int64_t pl_nm_set_index(const pl_nm_set *s, const pl_packet *p)
{
    const uint8_t *a = (const uint8_t *)p;
    if (a < s->meta || a >= s->meta + (size_t)s->nmeta * META_STRIDE)
        return -1;
    return (int64_t)((size_t)(a - s->meta) / META_STRIDE);
}

uint32_t pl_nm_set_take(pl_nm_set *s, uint32_t *m, uint32_t n)
{
    lock(s);
    if (n > s->nfree)
        n = s->nfree;
    s->nfree -= n;
    memcpy(m, s->free + s->nfree, sizeof *m * n);
    unlock(s);
    return n;
}

void pl_nm_set_give(pl_nm_set *s, const uint32_t *m, uint32_t n)
{
    lock(s);
    memcpy(s->free + s->nfree, m, sizeof *m * n);
    s->nfree += n;
    unlock(s);
}

uint16_t pl_nm_set_mem(const pl_nm_set *s) { return s->mem_id; }

void pl_nm_set_counts(const pl_nm_set *s, uint32_t *total, uint32_t *free_now)
{
    *total = s->nmeta;
    *free_now = __atomic_load_n(&s->nfree, __ATOMIC_RELAXED);
}

/* ---- the core's hooks: a packet whose last reference went ---- */

static void free_one(void *arg, pl_packet *p)
{
    pl_nm_set *s = arg;
    uint32_t m = (uint32_t)pl_nm_set_index(s, p);
    pl_nm_set_give(s, &m, 1);
}

/* One pass: our unshared packets back in bulk, anything else through the
 * general path (which comes back to free_one for ours, once unreferenced). */
static void free_batch(void *arg, pl_pool *pool, pl_packet *b)
{
    pl_nm_set *s = arg;
    uint32_t v[64];
    uint32_t n = 0;
    for (pl_packet *p = b, *nx; p; p = nx) {
        nx = p->next;
        int64_t m = pl_nm_set_index(s, p);
        if (m >= 0 && p->origin == p && atomic_load_explicit(&p->refs, memory_order_relaxed) == 1) {
            v[n++] = (uint32_t)m;
            if (n == 64) {
                pl_nm_set_give(s, v, n);
                n = 0;
            }
        } else {
            pl_packet_free(pool, p);
        }
    }
    if (n)
        pl_nm_set_give(s, v, n);
}

/* ---- making and ending a set (control thread) ---- */

static void destroy(pl_nm_set *s)
{
    pl_ext_unregister(s->range);
    if (s->anchor) {
        /* Hand every buffer back: ni_bufs_head lists them, linked through
         * their first word. */
        for (uint32_t i = 0; i < s->nmeta; i++)
            *(uint32_t *)(void *)pl_nm_set_bufaddr(s, s->idx[i]) = i + 1 < s->nmeta ? s->idx[i + 1] : 0;
        s->anchor->nifp->ni_bufs_head = s->nmeta ? s->idx[0] : 0;
        nmport_close(s->anchor);
    }
    free(s->meta);
    free(s->idx);
    free(s->free);
    free(s);
}

/* Sets whose engine let go and whose packets are all back. */
static void sweep(void)
{
    for (pl_nm_set **p = &sets; *p;) {
        pl_nm_set *s = *p;
        if (!s->eng && s->nfree == s->nmeta) {
            *p = s->next;
            destroy(s);
        } else {
            p = &s->next;
        }
    }
}

pl_nm_set *pl_nm_set_of(const void *eng)
{
    sweep();
    for (pl_nm_set *s = sets; s; s = s->next)
        if (s->eng == eng)
            return s;
    return NULL;
}

pl_nm_set *pl_nm_set_get(const void *eng, struct nmport_d *d, uint32_t extra, int locked,
                         const pl_element *e, pl_error *err)
{
    pl_nm_set *s = pl_nm_set_of(eng);
    if (s) {
        s->refs++;
        s->locked |= locked;
        return s;
    }
    struct netmap_ring *ring = d->last_rx_ring >= d->first_rx_ring && d->reg.nr_rx_rings
                                   ? NETMAP_RXRING(d->nifp, d->first_rx_ring)
                                   : NETMAP_TXRING(d->nifp, d->first_tx_ring);
    s = calloc(1, sizeof *s);
    if (!s)
        goto nomem;
    s->eng = eng;
    s->refs = 1;
    s->locked = locked;
    s->range = -1;
    s->mem_id = d->reg.nr_mem_id;
    s->bufbase = (uint8_t *)ring + ring->buf_ofs;
    s->buf_size = ring->nr_buf_size;
    atomic_flag_clear(&s->lock);
    struct nmport_d *a = nmport_new();
    if (!a)
        goto nomem;
    snprintf(a->hdr.nr_name, sizeof a->hdr.nr_name, "pktlab%d.%u", (int)getpid(), anchors++);
    a->reg.nr_mode = NR_REG_NULL;
    a->reg.nr_mem_id = s->mem_id;
    a->reg.nr_extra_bufs = extra;
    if (nmport_register(a) || nmport_mmap(a)) {
        int eno = errno;
        nmport_close(a);
        free(s);
        pl_seterr(err, PL_ERR_SYSTEM, e, "", "cannot get %u netmap buffers in memory region %u "
                  "(through a null port): %s", extra, d->reg.nr_mem_id, strerror(eno));
        return NULL;
    }
    s->anchor = a;
    uint32_t got = a->reg.nr_extra_bufs;
    s->meta = aligned_alloc(64, (size_t)(got ? got : 1) * META_STRIDE);
    s->idx = calloc(got ? got : 1, sizeof *s->idx);
    s->free = calloc(got ? got : 1, sizeof *s->free);
    if (!s->meta || !s->idx || !s->free) {
        destroy(s);
        goto nomem_freed;
    }
    memset(s->meta, 0, (size_t)(got ? got : 1) * META_STRIDE);
    uint32_t cur = a->nifp->ni_bufs_head;
    for (uint32_t i = 0; i < got && cur; i++) {
        s->idx[s->nmeta] = cur;
        pl_packet *p = pl_nm_set_meta(s, s->nmeta);
        p->flags = PL_PKT_EXTERNAL;
        p->origin = p;
        atomic_store_explicit(&p->refs, 1, memory_order_relaxed);
        s->free[s->nmeta] = s->nmeta;
        s->nmeta++;
        cur = *(uint32_t *)(void *)pl_nm_set_bufaddr(s, cur);
    }
    s->nfree = s->nmeta;
    a->nifp->ni_bufs_head = 0;          /* ours now; destroy() lists them again */
    s->range = pl_ext_register((uintptr_t)s->meta,
                               (uintptr_t)(s->meta + (size_t)(s->nmeta ? s->nmeta : 1) * META_STRIDE),
                               s, free_one, free_batch);
    if (s->range < 0) {
        destroy(s);
        pl_seterr(err, PL_ERR_SYSTEM, e, "", "too many engines hold netmap buffers at once");
        return NULL;
    }
    s->next = sets;
    sets = s;
    return s;
nomem:
    free(s);
nomem_freed:
    pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    return NULL;
}

void pl_nm_set_put(pl_nm_set *s)
{
    if (s && --s->refs == 0)
        s->eng = NULL;                 /* destroyed once its packets are all back */
    sweep();
}

#endif
