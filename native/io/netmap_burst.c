/*
 * The netmap data path: bursts between a ring and batches (netmap.h: zero
 * copy by buffer swapping, copies otherwise).
 *
 * RX syncs the ring (NIOCRXSYNC) when it holds fewer than a burst, then
 * turns up to `max` filled slots into packets; TX fills free slots from the
 * head of the batch and syncs once (NIOCTXSYNC) to hand them over: TX is
 * flushed at the end of every burst. Frames netmap splits over several slots
 * (NS_MOREFRAG: longer than its 2 KB buffers) are dropped as too long.
 */
#include "netmap.h"

#ifdef PL_HAVE_NETMAP
#include <sys/ioctl.h>

#define MAX_BURST 1024

/* A fresh packet over netmap buffer `buf` of the set (line 0 and line 1). */
static inline pl_packet *wrap(pl_packet *p, uint8_t *buf, uint32_t size, uint32_t len,
                              uint8_t flags, uint64_t ts)
{
    p->buf = buf;
    p->buf_end = buf + size;
    p->data = buf;
    p->len = len;
    p->origin = p;
    atomic_store_explicit(&p->refs, 1, memory_order_relaxed);
    p->mac_off = 0;
    p->net_off = PL_OFF_UNSET;
    p->flags = flags;
    p->paint = 0;
    memset(&p->timestamp, 0, 64);
    p->timestamp = ts;
    return p;
}

static pl_packet *copy_in(pl_nm_queue *q, pl_ctx *ctx, const uint8_t *data, uint32_t len, uint64_t ts)
{
    if (len > PL_BUFSIZE - PL_HEADROOM) {
        q->h.toolong++;
        return NULL;
    }
    pl_packet *p = pl_packet_alloc(ctx->pool);
    if (!p) {
        q->h.nobufs++;
        return NULL;
    }
    memcpy(p->data, data, len);
    p->len = len;
    p->mac_off = PL_HEADROOM;
    p->timestamp = ts;
    q->copies++;
    return p;
}

uint32_t pl_nm_rx(void *qh, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    pl_nm_queue *q = qh;
    struct netmap_ring *ring = q->ring;
    if (__builtin_expect(!ring, 0))            /* closed by an NDESC change that failed */
        return 0;
    if (max > MAX_BURST)
        max = MAX_BURST;
    if (nm_ring_space(ring) < max)
        ioctl(q->fd, NIOCRXSYNC, NULL);
    uint32_t n = nm_ring_space(ring);
    if (!n)
        return 0;
    if (n > max)
        n = max;
    pl_nm_set *s = q->set;
    uint32_t m[MAX_BURST];
    uint32_t nm = q->zc && !q->copy ? pl_nm_set_take(s, m, n) : 0, used = 0;
    const uint8_t flags = PL_PKT_EXTERNAL | (ctx->pool->atomic_refs ? PL_PKT_SHARED_REFS : 0);
    const uint64_t ts = (uint64_t)ring->ts.tv_sec * 1000000000u + (uint64_t)ring->ts.tv_usec * 1000u;
    const uint32_t size = ring->nr_buf_size;
    pl_packet *head = NULL, **link = &head, *p = NULL;
    uint32_t got = 0, cur = ring->cur;
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < n; i++, cur = nm_ring_next(ring, cur)) {
        struct netmap_slot *slot = &ring->slot[cur];
        if (__builtin_expect(slot->flags & NS_MOREFRAG, 0)) {
            /* The rest of the frame follows in the next slots: skip it all. */
            while (i + 1 < n && (slot->flags & NS_MOREFRAG)) {
                cur = nm_ring_next(ring, cur);
                slot = &ring->slot[cur];
                i++;
            }
            q->h.toolong++;
            continue;
        }
        if (__builtin_expect(used < nm, 1)) {
            uint32_t k = m[used++];
            uint32_t *held = pl_nm_set_buf(s, k), spare = *held;
            *held = slot->buf_idx;
            slot->buf_idx = spare;
            slot->flags |= NS_BUF_CHANGED;
            p = wrap(pl_nm_set_meta(s, k), pl_nm_set_bufaddr(s, *held), size, slot->len, flags, ts);
            q->swaps++;
        } else if (!(p = copy_in(q, ctx, (uint8_t *)NETMAP_BUF(ring, slot->buf_idx), slot->len, ts))) {
            continue;
        }
        *link = p;
        link = &p->next;
        got++;
        bytes += p->len;
    }
    ring->head = ring->cur = cur;
    if (used < nm)
        pl_nm_set_give(s, m + used, nm - used);
    q->pkts += n;
    if (!head)
        return 0;
    p->next = NULL;
    head->b_tail = p;
    head->b_count = got;
    head->b_bytes = bytes;
    pl_batch_join(batch, head);
    return got;
}

/* Our own packet, on its own buffer, nobody else referencing it: it can be
 * handed to the ring. Returns its metadata index or -1. */
static inline int64_t swappable(const pl_nm_queue *q, const pl_packet *p)
{
    if (!q->zc || !(p->flags & PL_PKT_EXTERNAL) || p->origin != p ||
        atomic_load_explicit(&p->refs, memory_order_relaxed) != 1)
        return -1;
    return pl_nm_set_index(q->set, p);
}

/*
 * Send up to max packets from the head of *batch into free slots; what does
 * not fit stays at the head of *batch. Returns the packets put in the ring
 * (dropped ones, too long for a buffer, are tallied in q->h.toolong).
 */
uint32_t pl_nm_tx(void *qh, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    pl_nm_queue *q = qh;
    struct netmap_ring *ring = q->ring;
    pl_packet *p = *batch;
    if (!p || __builtin_expect(!ring, 0))
        return 0;
    if (max > MAX_BURST)
        max = MAX_BURST;
    uint32_t want = p->b_count < max ? p->b_count : max;
    if (nm_ring_space(ring) < want)
        ioctl(q->fd, NIOCTXSYNC, NULL);         /* reclaim what was sent */
    uint32_t space = nm_ring_space(ring);
    uint32_t left = p->b_count;
    uint64_t left_bytes = p->b_bytes;
    pl_packet *tail = p->b_tail, *done = NULL;
    pl_nm_set *s = q->set;
    uint32_t m[MAX_BURST], nm = 0, sent = 0, cur = ring->cur;
    const uint32_t size = ring->nr_buf_size;
    while (p && sent < space && sent < max) {
        pl_packet *nx = p->next;
        left--;
        left_bytes -= p->len;
        struct netmap_slot *slot = &ring->slot[cur];
        int64_t k;
        if (__builtin_expect(p->len > size, 0)) {
            q->h.toolong++;
            pl_packet_free(ctx->pool, p);
            p = nx;
            continue;
        }
        if (__builtin_expect((k = swappable(q, p)) >= 0, 1)) {
            uint32_t *held = pl_nm_set_buf(s, (uint32_t)k);
            uint8_t *start = pl_nm_set_bufaddr(s, *held);
            if (p->data != start)                /* netmap sends from the buffer's start */
                memmove(start, p->data, p->len);
            uint32_t sent_buf = *held;
            *held = slot->buf_idx;               /* the slot's buffer was sent: ours now */
            slot->buf_idx = sent_buf;
            slot->flags = NS_BUF_CHANGED;
            m[nm++] = (uint32_t)k;
            q->swaps++;
        } else {
            memcpy(NETMAP_BUF(ring, slot->buf_idx), p->data, p->len);
            slot->flags = 0;
            p->next = done;
            done = p;
            q->copies++;
        }
        slot->len = (uint16_t)p->len;
        cur = nm_ring_next(ring, cur);
        sent++;
        p = nx;
    }
    ring->head = ring->cur = cur;
    if (sent)
        ioctl(q->fd, NIOCTXSYNC, NULL);         /* flush: the burst goes now */
    q->pkts += sent;
    if (nm)
        pl_nm_set_give(s, m, nm);
    if (done) {
        pl_batch_recount(done);
        pl_batch_free(ctx->pool, done);
    }
    if (p) {
        p->b_count = left;
        p->b_bytes = left_bytes;
        p->b_tail = tail;
    }
    *batch = p;
    return sent;
}

uint32_t pl_nm_ring_pending(pl_nm_queue *q)
{
    struct netmap_ring *ring = q->ring;
    ioctl(q->fd, q->tx ? NIOCTXSYNC : NIOCRXSYNC, NULL);
    uint32_t space = nm_ring_space(ring);
    return q->tx ? ring->num_slots - 1 - space : space;
}

#endif
