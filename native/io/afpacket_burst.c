/* The AF_PACKET data path: RX from the TPACKET_V3 ring or recv, TX into the
 * TPACKET_V2 ring or send (see afpacket.c). */
#include "afpacket.h"

/* A fresh engine packet holding `len` bytes of `data` (cut at snaplen) of a
 * frame of `wire` bytes: what was cut is its extra-length annotation. */
static pl_packet *copy_in(afp *a, pl_ctx *ctx, const uint8_t *data, uint32_t len, uint32_t wire,
                          uint64_t ts)
{
    if (len > a->snaplen)
        len = a->snaplen;
    pl_packet *p = pl_packet_alloc_len(ctx->pool, len);
    if (!p) {
        a->h.nobufs++;
        return NULL;
    }
    memcpy(p->data, data, len);
    p->mac_off = PL_HEADROOM;
    p->timestamp = ts;
    if (__builtin_expect(wire > len, 0))
        pl_anno_set_u32(p, PL_ANNO_EXTRA_LENGTH, wire - len);
    return p;
}

static struct tpacket_block_desc *block(afp *a, uint32_t i)
{
    return (struct tpacket_block_desc *)(void *)(a->ring + (size_t)i * RX_BLOCK_SIZE);
}

static uint32_t rx_mmap(afp *a, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    uint32_t got = 0;
    while (got < max) {
        if (!a->pkt) {
            struct tpacket_block_desc *bd = block(a, a->block);
            if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
                break;
            a->left = bd->hdr.bh1.num_pkts;
            a->pkt = (struct tpacket3_hdr *)(void *)((uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt);
        }
        if (a->left) {
            struct tpacket3_hdr *h = a->pkt;
            const struct sockaddr_ll *sll =
                (const void *)((uint8_t *)h + TPACKET_ALIGN(sizeof(struct tpacket3_hdr)));
            if (sll->sll_pkttype != PACKET_OUTGOING) {
                pl_packet *p = copy_in(a, ctx, (uint8_t *)h + h->tp_mac, h->tp_snaplen, h->tp_len,
                                       (uint64_t)h->tp_sec * 1000000000u + h->tp_nsec);
                if (p) {
                    pl_batch_append(batch, p);
                    got++;
                }
            }
            a->left--;
            a->pkt = (struct tpacket3_hdr *)(void *)((uint8_t *)h + h->tp_next_offset);
        }
        if (!a->left) {      /* the block is done: give it back to the kernel */
            __atomic_store_n(&block(a, a->block)->hdr.bh1.block_status, TP_STATUS_KERNEL,
                             __ATOMIC_RELEASE);
            a->block = (a->block + 1) % a->nblocks;
            a->pkt = NULL;
        }
    }
    PL_STAT_ADD(a->ipackets, got);
    return got;
}

/* One recv per packet. Where frames can be longer than a 2 KB buffer (a
 * jumbo MTU), a peek learns the length first, so that the packet gets a
 * buffer of its size: two system calls, which only such interfaces pay. */
static uint32_t rx_linux(afp *a, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    uint32_t got = 0;
    int peek = a->snaplen > SMALL_ROOM && a->max_frame > SMALL_ROOM;
    while (got < max) {
        uint32_t want = SMALL_ROOM;
        if (peek) {
            ssize_t n = recv(a->fd, NULL, 0, MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC);
            if (n < 0)
                break;
            want = (uint32_t)n < a->snaplen ? (uint32_t)n : a->snaplen;
        }
        pl_packet *p = pl_packet_alloc_len(ctx->pool, want);
        if (!p) {
            a->h.nobufs++;
            break;
        }
        uint32_t room = want < a->snaplen ? want : a->snaplen;
        struct sockaddr_ll sll;
        socklen_t sl = sizeof sll;
        ssize_t n = recvfrom(a->fd, p->data, room, MSG_DONTWAIT | MSG_TRUNC,
                             (struct sockaddr *)&sll, &sl);
        if (n < 0 || sll.sll_pkttype == PACKET_OUTGOING) {
            pl_packet_free(ctx->pool, p);
            if (n < 0)
                break;
            continue;
        }
        p->len = (uint32_t)n < room ? (uint32_t)n : room;
        if ((uint32_t)n > p->len)
            pl_anno_set_u32(p, PL_ANNO_EXTRA_LENGTH, (uint32_t)n - p->len);
        p->mac_off = PL_HEADROOM;
        pl_batch_append(batch, p);
        got++;
    }
    PL_STAT_ADD(a->ipackets, got);
    return got;
}

uint32_t pl_afp_rx(void *h, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    afp *a = h;
    return a->method == PL_AFP_MMAP ? rx_mmap(a, ctx, batch, max) : rx_linux(a, ctx, batch, max);
}

/* Detach the first packet of *batch. */
static pl_packet *take(pl_packet **batch)
{
    pl_packet *p = *batch, *nx = p->next;
    if (nx) {
        nx->b_tail = p->b_tail;
        nx->b_count = p->b_count - 1;
        nx->b_bytes = p->b_bytes - p->len;
    }
    *batch = nx;
    return p;
}

/* Longer than the MTU allows: look again (the MTU may have grown since),
 * and count it too long if it still is. */
static int too_long(afp *a, const pl_packet *p)
{
    if (__builtin_expect(p->len <= a->max_frame, 1))
        return 0;
    pl_afp_set_mtu(a, pl_afp_read_mtu(a->fd, a->name));
    uint32_t limit = a->max_frame;
    if (p->len >= 14 && p->data[12] == 0x81 && p->data[13] == 0x00)
        limit += VLAN_TAG;                                /* the kernel allows a tag's 4 */
    if (a->tx_frame_size && limit + TX_DATA_OFF > a->tx_frame_size)
        limit = a->tx_frame_size - TX_DATA_OFF;           /* the ring's slots are fixed */
    if (p->len <= limit)
        return 0;
    a->h.toolong++;
    return 1;
}

static uint32_t tx_mmap(afp *a, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    uint32_t queued = 0;
    while (*batch && queued < max) {
        struct tpacket2_hdr *f =
            (struct tpacket2_hdr *)(void *)(a->ring + (size_t)a->tx_cur * a->tx_frame_size);
        uint32_t st = __atomic_load_n(&f->tp_status, __ATOMIC_ACQUIRE);
        if (st & TP_STATUS_WRONG_FORMAT)
            a->h.errors++;
        else if (st != TP_STATUS_AVAILABLE)
            break;                                    /* ring full */
        pl_packet *p = take(batch);
        if (!too_long(a, p)) {
            memcpy((uint8_t *)f + TX_DATA_OFF, p->data, p->len);
            f->tp_len = p->len;
            __atomic_store_n(&f->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
            a->tx_cur = (a->tx_cur + 1) % TX_FRAMES;
            queued++;
        }
        pl_packet_free(ctx->pool, p);
    }
    /* One system call for the whole burst; it returns when the kernel has
     * taken the frames, so the ring is free again for the next one. */
    if (queued && send(a->fd, NULL, 0, 0) < 0 && errno != ENOBUFS && errno != EAGAIN)
        a->h.errors++;
    PL_STAT_ADD(a->opackets, queued);
    return queued;
}

static uint32_t tx_linux(afp *a, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    uint32_t sent = 0;
    while (*batch && sent < max) {
        pl_packet *p = take(batch);
        if (!too_long(a, p)) {
            if (send(a->fd, p->data, p->len, 0) == (ssize_t)p->len)
                sent++;
            else
                a->h.errors++;
        }
        pl_packet_free(ctx->pool, p);
    }
    PL_STAT_ADD(a->opackets, sent);
    return sent;
}

uint32_t pl_afp_tx(void *h, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    afp *a = h;
    return a->method == PL_AFP_MMAP ? tx_mmap(a, ctx, batch, max) : tx_linux(a, ctx, batch, max);
}

