/*
 * The netmap data path: bursts between a ring and batches (netmap.h: zero
 * copy by buffer swapping, copies otherwise).
 *
 * RX syncs the ring (NIOCRXSYNC) when it holds fewer than a burst, then
 * turns up to `max` filled slots into packets; TX fills free slots from the
 * head of the batch and syncs once (NIOCTXSYNC) to hand them over: TX is
 * flushed at the end of every burst.
 *
 * Frames longer than one netmap buffer (2 KB by default) span several slots,
 * all but the last flagged NS_MOREFRAG (pipes and VALE ports carry them so;
 * NICs whose drivers support it do too). RX copies such a frame into one
 * engine packet of the size class that holds it, and leaves a frame whose last
 * slot has not arrived yet in the ring for the next burst; TX copies a long
 * packet over as many slots as it needs, or leaves it at the head of the batch
 * until that many are free. Only a frame longer than the engine's largest
 * packet (PL_MAX_LEN), or one that cannot fit the ring at all, is dropped and
 * counted as too long.
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
    if (len > PL_MAX_LEN) {
        q->h.toolong++;
        return NULL;
    }
    pl_packet *p = pl_packet_alloc_len(ctx->pool, len);
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

/*
 * The frame that starts at slot `cur` and spans several slots (NS_MOREFRAG),
 * among the `avail` filled slots from there, copied into one packet. *span:
 * the slots it covers, 0 when its last slot is not among them yet. NULL with
 * *span > 0: dropped and counted (too long, no buffer).
 */
static pl_packet *gather(pl_nm_queue *q, pl_ctx *ctx, struct netmap_ring *ring, uint32_t cur,
                         uint32_t avail, uint32_t *span, uint64_t ts)
{
    const uint32_t size = ring->nr_buf_size;
    uint64_t total = 0;
    uint32_t k = 0, c = cur;
    *span = 0;
    for (;;) {
        if (k == avail)
            return NULL;                     /* the rest has not arrived */
        const struct netmap_slot *sl = &ring->slot[c];
        total += sl->len < size ? sl->len : size;
        k++;
        c = nm_ring_next(ring, c);
        if (!(sl->flags & NS_MOREFRAG))
            break;
    }
    *span = k;
    if (total > PL_MAX_LEN) {
        q->h.toolong++;
        return NULL;
    }
    pl_packet *p = pl_packet_alloc_len(ctx->pool, (uint32_t)total);
    if (!p) {
        q->h.nobufs++;
        return NULL;
    }
    uint8_t *d = p->data;
    for (c = cur; k--; c = nm_ring_next(ring, c)) {
        const struct netmap_slot *sl = &ring->slot[c];
        uint32_t len = sl->len < size ? sl->len : size;
        memcpy(d, NETMAP_BUF(ring, sl->buf_idx), len);
        d += len;
    }
    p->len = (uint32_t)total;
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
    const uint32_t space = nm_ring_space(ring);   /* filled slots */
    if (!space)
        return 0;
    const uint32_t n = space < max ? space : max;   /* frames at most */
    pl_nm_set *s = q->set;
    uint32_t m[MAX_BURST];
    uint32_t nm = q->zc && !q->copy ? pl_nm_set_take(s, m, n) : 0, used = 0;
    const uint8_t flags = PL_PKT_EXTERNAL | (ctx->pool->atomic_refs ? PL_PKT_SHARED_REFS : 0);
    const uint64_t ts = (uint64_t)ring->ts.tv_sec * 1000000000u + (uint64_t)ring->ts.tv_usec * 1000u;
    const uint32_t size = ring->nr_buf_size;
    pl_packet *head = NULL, **link = &head, *p = NULL, *last = NULL;
    uint32_t got = 0, frames = 0, slots = 0, cur = ring->cur;
    uint64_t bytes = 0;
    while (frames < n && slots < space) {
        struct netmap_slot *slot = &ring->slot[cur];
        if (__builtin_expect(slot->flags & NS_MOREFRAG, 0)) {
            uint32_t span;
            p = gather(q, ctx, ring, cur, space - slots, &span, ts);
            if (!span) {
                if (slots || space < ring->num_slots - 1)
                    break;                       /* its last slot comes with a later sync */
                span = space;                    /* one frame longer than the whole ring */
                q->h.toolong++;
            }
            slots += span;
            frames++;
            while (span--)
                cur = nm_ring_next(ring, cur);
            if (!p)
                continue;
        } else {
            slots++;
            frames++;
            if (__builtin_expect(used < nm, 1)) {
                uint32_t k = m[used++];
                uint32_t *held = pl_nm_set_buf(s, k), spare = *held;
                *held = slot->buf_idx;
                slot->buf_idx = spare;
                slot->flags |= NS_BUF_CHANGED;
                p = wrap(pl_nm_set_meta(s, k), pl_nm_set_bufaddr(s, *held), size, slot->len, flags,
                         ts);
                q->swaps++;
                cur = nm_ring_next(ring, cur);
            } else {
                p = copy_in(q, ctx, (uint8_t *)NETMAP_BUF(ring, slot->buf_idx), slot->len, ts);
                cur = nm_ring_next(ring, cur);
                if (!p)
                    continue;
            }
        }
        *link = p;
        link = &p->next;
        last = p;
        got++;
        bytes += p->len;
    }
    ring->head = ring->cur = cur;
    if (used < nm)
        pl_nm_set_give(s, m + used, nm - used);
    q->pkts += frames;
    if (!head)
        return 0;
    last->next = NULL;
    head->b_tail = last;
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

/* A packet longer than one buffer, copied over `need` slots from cur. */
static void scatter(struct netmap_ring *ring, uint32_t cur, const pl_packet *p, uint32_t need)
{
    const uint32_t size = ring->nr_buf_size;
    const uint8_t *src = p->data;
    uint32_t left = p->len;
    for (uint32_t k = 0; k < need; k++, cur = nm_ring_next(ring, cur)) {
        struct netmap_slot *slot = &ring->slot[cur];
        uint32_t len = left < size ? left : size;
        memcpy(NETMAP_BUF(ring, slot->buf_idx), src, len);
        slot->len = (uint16_t)len;
        slot->flags = k + 1 < need ? NS_MOREFRAG : 0;
        src += len;
        left -= len;
    }
}

/*
 * Send up to max packets from the head of *batch into free slots; what does
 * not fit stays at the head of *batch. Returns the packets put in the ring
 * (dropped ones, too long for the whole ring, are tallied in q->h.toolong).
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
    uint32_t m[MAX_BURST], nm = 0, sent = 0, slots = 0, cur = ring->cur;
    const uint32_t size = ring->nr_buf_size;
    while (p && slots < space && sent < max) {
        pl_packet *nx = p->next;
        struct netmap_slot *slot = &ring->slot[cur];
        int64_t k;
        if (__builtin_expect(p->len > size, 0)) {
            uint32_t need = (p->len + size - 1) / size;
            if (need > ring->num_slots - 1) {    /* could never fit */
                left--;
                left_bytes -= p->len;
                q->h.toolong++;
                pl_packet_free(ctx->pool, p);
                p = nx;
                continue;
            }
            if (slots + need > space)
                break;                           /* waits at the head for free slots */
            scatter(ring, cur, p, need);
            for (uint32_t j = 0; j < need; j++)
                cur = nm_ring_next(ring, cur);
            slots += need;
            p->next = done;
            done = p;
            q->copies++;
        } else if (__builtin_expect((k = swappable(q, p)) >= 0, 1)) {
            uint32_t *held = pl_nm_set_buf(s, (uint32_t)k);
            uint8_t *start = pl_nm_set_bufaddr(s, *held);
            if (p->data != start)                /* netmap sends from the buffer's start */
                memmove(start, p->data, p->len);
            uint32_t sent_buf = *held;
            *held = slot->buf_idx;               /* the slot's buffer was sent: ours now */
            slot->buf_idx = sent_buf;
            slot->flags = NS_BUF_CHANGED;
            slot->len = (uint16_t)p->len;
            m[nm++] = (uint32_t)k;
            q->swaps++;
            cur = nm_ring_next(ring, cur);
            slots++;
        } else {
            memcpy(NETMAP_BUF(ring, slot->buf_idx), p->data, p->len);
            slot->flags = 0;
            slot->len = (uint16_t)p->len;
            p->next = done;
            done = p;
            q->copies++;
            cur = nm_ring_next(ring, cur);
            slots++;
        }
        left--;
        left_bytes -= p->len;
        sent++;
        p = nx;
    }
    ring->head = ring->cur = cur;
    if (slots)
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
