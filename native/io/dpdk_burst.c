/*
 * The DPDK data path: bursts between ethdev queues and batches.
 *
 * RX wraps each received mbuf's private area as the packet (zero copy) or, in
 * COPY mode and for mbufs the zero-copy path cannot take (chained, attached
 * to another buffer, from another pool), copies it into an engine buffer of
 * the class its length needs: a jumbo frame that arrived as a chain of mbufs
 * becomes one contiguous packet there (counted as the core's "linearized").
 * TX hands unshared mbuf packets to the device as they are and copies
 * anything else into a fresh mbuf, or a chain of them when it is longer than
 * an mbuf holds. A frame longer than the port's MTU allows (plus the
 * Ethernet header, and a VLAN tag when it has one) is dropped as too_long.
 */
#include "dpdk.h"

#ifdef PL_HAVE_DPDK
#include <stddef.h>
#include <rte_prefetch.h>
#include <string.h>

#define PREFETCH 4

/* COPY mode, and mbufs the zero-copy path cannot take: into an engine buffer.
 * Kept out of line (cold): inlined, its registers and spills cost the
 * zero-copy loop of pl_dpdk_rx about 0.3 ns a packet (docs/performance.md). */
__attribute__((noinline, cold)) static pl_packet *copy_from_mbuf(pl_dpdk_queue *q, pl_ctx *ctx, struct rte_mbuf *mb)
{
    pl_packet *p = NULL;
    if (mb->pkt_len > PL_MAX_LEN)
        q->h.toolong++;
    else if (!(p = pl_packet_alloc_len(ctx->pool, mb->pkt_len)))
        q->h.nobufs++;
    else {
        p->mac_off = PL_HEADROOM;
        if (mb->nb_segs == 1) {
            memcpy(p->data, rte_pktmbuf_mtod(mb, void *), p->len);
        } else {
            rte_pktmbuf_read(mb, 0, p->len, p->data);
            pl_count_core(ctx, PL_CORE_LINEARIZED, 1);
        }
    }
    rte_pktmbuf_free(mb);
    return p;
}

/* Whether any annotation of p (line 1) is set: four 16-byte loads (one
 * vector OR chain) rather than eight 8-byte ones. */
typedef uint64_t pl_u64x2 __attribute__((vector_size(16), may_alias));
static inline int anno_dirty(const pl_packet *p)
{
    const pl_u64x2 *w = (const pl_u64x2 *)(const void *)&p->timestamp;
    pl_u64x2 x = w[0] | w[1] | w[2] | w[3];
    return (x[0] | x[1]) != 0;
}

/* Line 0 from mac_off to _pad as one word: offsets, flags, paint. */
static inline void set_offsets(pl_packet *p, uint64_t word)
{
    _Static_assert(offsetof(pl_packet, net_off) == offsetof(pl_packet, mac_off) + 2 &&
                       offsetof(pl_packet, flags) == offsetof(pl_packet, mac_off) + 4 &&
                       offsetof(pl_packet, paint) == offsetof(pl_packet, mac_off) + 5 &&
                       offsetof(pl_packet, b_tail) == offsetof(pl_packet, mac_off) + 8,
                   "pl_packet: mac_off, net_off, flags, paint and _pad fill one word");
    _Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "set_offsets: mac_off in the low bits");
    memcpy(&p->mac_off, &word, 8);
}

/* Zero copy: the received mbufs become the batch. COPY: engine buffers. */
uint32_t pl_dpdk_rx(void *qh, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    pl_dpdk_queue *q = qh;
    struct rte_mbuf *m[PL_DPDK_MAX_BURST];
    if (max > PL_DPDK_MAX_BURST)
        max = PL_DPDK_MAX_BURST;
    if (__builtin_expect(__atomic_load_n(&q->revoked, __ATOMIC_RELAXED), 0))
        return 0;
    pl_bd_mark(ctx, PL_BD_DISPATCH);
    uint16_t n = rte_eth_rx_burst(q->port, q->queue, m, (uint16_t)max);
    pl_bd_mark(ctx, PL_BD_RX_DEVICE);
    if (!n)
        return 0;
    q->rx_mbufs += n;
    /* A fresh packet: line 0 gets data, length, offsets and flags (refs,
     * origin and the buffer bounds are the pool's invariants), line 1 (the
     * annotations) is clear. Loads the stores below could alias are made
     * once, here. */
    const int zero_copy = !q->copy;
    const struct rte_mempool *mp = pl_dpdk_pool;
    const uint8_t flags = PL_PKT_EXTERNAL | (ctx->pool->atomic_refs ? PL_PKT_SHARED_REFS : 0);
    /* mac_off (low 16 bits, per packet), net_off unset, flags, paint 0 */
    const uint64_t offsets = (uint64_t)PL_OFF_UNSET << 16 | (uint64_t)flags << 32;
    pl_packet *head = NULL, **link = &head, *p = NULL;
    uint32_t got = 0;
    uint64_t bytes = 0;
    const uint64_t first = pl_stamp_now(ctx);   /* at receive: a wait for a full burst counts */
    pl_packet **const vec = ctx->vec;           /* batch vectors: NULL when off */
    for (uint16_t i = 0; i < n; i++) {
        struct rte_mbuf *mb = m[i];
        if (i + PREFETCH < n) {            /* the metadata lines a few packets ahead */
            rte_prefetch0_write(pl_packet_of(m[i + PREFETCH]));
            rte_prefetch0(&pl_packet_of(m[i + PREFETCH])->timestamp);
        }
        if (__builtin_expect(zero_copy && pl_mbuf_plain(mb, mp), 1)) {
            p = pl_packet_of(mb);
            p->data = (uint8_t *)mb->buf_addr + mb->data_off;
            p->len = mb->data_len;
            set_offsets(p, offsets | mb->data_off);
            /* The annotations of a recycled mbuf are usually clear
             * already: four loads beat four stores to that line. */
            if (anno_dirty(p))
                memset(&p->timestamp, 0, 64);
        } else if (!(p = copy_from_mbuf(q, ctx, mb))) {
            continue;
        }
        if (first)
            pl_stamp(p, first);
        *link = p;
        link = &p->next;
        if (vec)
            vec[got] = p;
        got++;
        bytes += p->len;
    }
    if (head) {
        p->next = NULL;
        head->b_tail = p;
        head->b_count = got;
        head->b_bytes = bytes;
        pl_batch_join(batch, head);
    }
    if (vec)                       /* the vector is the batch only when it starts it */
        ctx->vec_n = head && *batch == head ? got : 0;
    pl_bd_mark(ctx, PL_BD_RX_CONV);
    return got;
}

/* Longer than the port's MTU allows: a tag's 4 bytes more for a tagged frame. */
static int too_long(const pl_dpdk_queue *q, const pl_packet *p)
{
    uint32_t limit = q->max_frame;
    if (p->len >= 14 && p->data[12] == 0x81 && p->data[13] == 0x00)
        limit += 4;
    return p->len > limit;
}

/* p's bytes in mbufs of `room` bytes each: one, or a chain. NULL: no mbufs. */
static struct rte_mbuf *to_mbufs(const pl_packet *p, uint16_t room)
{
    struct rte_mbuf *head = rte_pktmbuf_alloc(pl_dpdk_pool), *last = head;
    uint32_t off = 0;
    while (head) {
        uint32_t k = p->len - off < room ? p->len - off : room;
        memcpy(rte_pktmbuf_mtod(last, uint8_t *), p->data + off, k);
        last->data_len = (uint16_t)k;
        off += k;
        if (off >= p->len)
            break;
        struct rte_mbuf *m = rte_pktmbuf_alloc(pl_dpdk_pool);
        if (!m) {
            rte_pktmbuf_free(head);
            return NULL;
        }
        last->next = m;
        last = m;
        head->nb_segs++;
    }
    if (head)
        head->pkt_len = p->len;
    return head;
}

/* Anything else goes out as a copy in fresh mbufs (then freed here). */
static struct rte_mbuf *copy_to_mbuf(pl_dpdk_queue *q, pl_ctx *ctx, pl_packet *p)
{
    struct rte_mbuf *mb = NULL;
    if (too_long(q, p))
        q->h.toolong++;
    else if (!(mb = to_mbufs(p, q->room)))
        q->h.nobufs++;
    else {
        pl_packet *w = pl_dpdk_wrap(mb, ctx->pool->atomic_refs ? PL_PKT_SHARED_REFS : 0);
        if (mb->nb_segs > 1) {
            w->len = mb->pkt_len;      /* a chain: the length of all of it; freed whole */
            w->flags |= PL_PKT_CHAIN;
        }
        q->copies++;
    }
    pl_packet_free(ctx->pool, p);
    return mb;
}

/* A packet the device may take as it is: an mbuf nobody else references. */
static inline int sendable(const pl_packet *p)
{
    return (p->flags & PL_PKT_EXTERNAL) && p->origin == p &&
           atomic_load_explicit(&p->refs, memory_order_relaxed) == 1;
}

/*
 * Send up to max packets from the head of *batch. Packets that are not
 * sendable are copied into fresh mbufs first (counted in q->copies); what
 * the device refused stays at the head of *batch, as mbuf-backed packets.
 */
uint32_t pl_dpdk_tx(void *qh, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    pl_dpdk_queue *q = qh;
    struct rte_mbuf *m[PL_DPDK_MAX_BURST];
    if (max > PL_DPDK_MAX_BURST)
        max = PL_DPDK_MAX_BURST;
    pl_packet *p = *batch;
    if (!p)
        return 0;
    pl_bd_mark(ctx, PL_BD_DISPATCH);
    /* The head may be copied and freed below: keep what the rest needs. */
    uint32_t left = p->b_count;
    uint64_t left_bytes = p->b_bytes;
    pl_packet *tail = p->b_tail;
    const uint32_t max_frame = q->max_frame;
    uint32_t n = 0;
    /* Batch vectors: follow the array where it agrees with the links, so the
     * next packet's address does not wait for this packet's load. */
    pl_packet *const *v = ctx->vec;
    uint32_t vn = v && ctx->vec_n && v[0] == p ? ctx->vec_n : 0, vi = 0;
    if (v)
        ctx->vec_n = 0;            /* used once: the batch is about to change */
    while (p && n < max) {
        pl_packet *nx;
        if (vi + 1 < vn && p->next == v[vi + 1])
            nx = v[++vi];
        else {
            nx = p->next;
            vn = 0;
        }
        left--;
        left_bytes -= p->len;
        if (__builtin_expect(sendable(p), 1)) {
            struct rte_mbuf *mb = pl_mbuf_of(p);
            uint16_t off = (uint16_t)(p->data - (uint8_t *)mb->buf_addr);
            if (__builtin_expect(mb->data_off != off || mb->pkt_len != p->len, 0) &&
                mb->nb_segs == 1) {
                mb->data_off = off;                /* only what elements changed: */
                mb->data_len = (uint16_t)p->len;   /* forwarding is store-bound */
                mb->pkt_len = p->len;
            }
            if (__builtin_expect(p->len > max_frame, 0) && too_long(q, p)) {
                q->h.toolong++;
                rte_pktmbuf_free(mb);
                p = nx;
                continue;
            }
            m[n++] = mb;
        } else {
            struct rte_mbuf *mb = copy_to_mbuf(q, ctx, p);
            if (mb)
                m[n++] = mb;
        }
        p = nx;
    }
    pl_bd_mark(ctx, PL_BD_TX_CONV);
    uint16_t sent = n && !__atomic_load_n(&q->revoked, __ATOMIC_RELAXED)
                        ? rte_eth_tx_burst(q->port, q->queue, m, (uint16_t)n)
                        : 0;
    pl_bd_mark(ctx, PL_BD_TX_DEVICE);
    q->tx_mbufs += sent;
    /* What the device refused goes back in front of the packets not tried. */
    if (!p)
        tail = NULL;
    for (uint32_t i = n; i-- > sent;) {
        pl_packet *r = pl_packet_of(m[i]);
        r->next = p;
        if (!p)
            tail = r;
        p = r;
        left++;
        left_bytes += r->len;
    }
    if (p) {
        p->b_count = left;
        p->b_bytes = left_bytes;
        p->b_tail = tail;
    }
    *batch = p;
    pl_bd_mark(ctx, PL_BD_TX_CONV);
    return sent;
}

#endif
