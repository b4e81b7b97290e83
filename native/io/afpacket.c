/*
 * Linux AF_PACKET sockets behind pl_io_ops.
 *
 * PL_AFP_MMAP (Click's PACKET_MMAP method, batched): RX through a TPACKET_V3
 * ring (the kernel fills blocks of frames; a block is handed over when full
 * or after 1 ms, and the frames are copied into engine buffers: AF_PACKET has
 * separate RX and TX buffers, so forwarding cannot be zero copy), TX through
 * a TPACKET_V2 ring of frames flushed with one send() per burst.
 * PL_AFP_LINUX (the "vanilla Click + Linux socket" baseline): one recv() or
 * send() system call per packet.
 */
#include "io.h"

#include <errno.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define RX_BLOCK_SIZE (1u << 16)
#define RX_BLOCKS 64
#define TX_FRAME_SIZE 2048u
#define TX_FRAMES 512u
#define MAX_FRAME (PL_BUFSIZE - PL_HEADROOM)
#define TX_DATA_OFF TPACKET_ALIGN(sizeof(struct tpacket2_hdr))

typedef struct afp {
    pl_io_queue h;
    int fd, method, tx, ifindex, promisc;
    char name[IF_NAMESIZE];           /* the interface, looked up again at every start */
    uint32_t snaplen;
    uint8_t *ring;
    size_t ring_len;
    uint32_t nblocks, block;          /* RX: block being read */
    struct tpacket3_hdr *pkt;         /* RX: next frame in it, NULL: none taken */
    uint32_t left;                    /* RX: frames left in the block */
    uint32_t tx_cur;                  /* TX: next frame slot */
    uint64_t drops;                   /* kernel drops (PACKET_STATISTICS), accumulated */
    uint64_t ipackets, opackets;
} afp;

static void list_ifaces(char *buf, size_t len)
{
    struct if_nameindex *ifs = if_nameindex();
    size_t k = 0;
    buf[0] = 0;
    for (struct if_nameindex *i = ifs; i && i->if_index; i++) {
        int n = snprintf(buf + k, len - k, "%s%s", k ? ", " : "", i->if_name);
        if (n < 0 || (size_t)n >= len - k)
            break;
        k += (size_t)n;
    }
    if (ifs)
        if_freenameindex(ifs);
}

/* The socket and its ring go; the handle stays. */
static void release(afp *a)
{
    if (a->ring)
        munmap(a->ring, a->ring_len);
    if (a->fd >= 0)
        close(a->fd);
    a->ring = NULL;
    a->ring_len = 0;
    a->fd = -1;
    a->block = a->left = a->tx_cur = 0;
    a->pkt = NULL;
}

static int fail(afp *a, int rc)
{
    release(a);
    free(a);
    return rc;
}

static int setup_rx_ring(afp *a, const pl_element *e, pl_error *err)
{
    int v = TPACKET_V3;
    struct tpacket_req3 req = {
        .tp_block_size = RX_BLOCK_SIZE,
        .tp_block_nr = RX_BLOCKS,
        .tp_frame_size = TX_FRAME_SIZE,
        .tp_frame_nr = RX_BLOCK_SIZE / TX_FRAME_SIZE * RX_BLOCKS,
        .tp_retire_blk_tov = 1,        /* ms: bounds latency at low rates */
    };
    if (setsockopt(a->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) ||
        setsockopt(a->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req))
        return pl_seterr(err, PL_ERR_SYSTEM, e, "METHOD", "cannot set up a TPACKET_V3 RX ring: %s",
                         strerror(errno));
    a->nblocks = RX_BLOCKS;
    a->ring_len = (size_t)RX_BLOCK_SIZE * RX_BLOCKS;
    return 0;
}

static int setup_tx_ring(afp *a, const pl_element *e, pl_error *err)
{
    int v = TPACKET_V2, one = 1;
    struct tpacket_req req = {
        .tp_block_size = TX_FRAME_SIZE * 32,
        .tp_block_nr = TX_FRAMES / 32,
        .tp_frame_size = TX_FRAME_SIZE,
        .tp_frame_nr = TX_FRAMES,
    };
    if (setsockopt(a->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) ||
        setsockopt(a->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof req))
        return pl_seterr(err, PL_ERR_SYSTEM, e, "METHOD", "cannot set up a TPACKET_V2 TX ring: %s",
                         strerror(errno));
    setsockopt(a->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);  /* best effort */
    a->ring_len = (size_t)TX_FRAME_SIZE * TX_FRAMES;
    return 0;
}

/* A packet socket on interface a->ifindex, with its ring, bound. */
static int afp_socket(afp *a, const pl_element *e, pl_error *err)
{
    const char *kw = "DEVNAME";
    /* Protocol 0 until bound: the socket sees nothing from other interfaces. */
    a->fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (a->fd < 0) {
        int eno = errno;
        if (eno == EPERM || eno == EACCES)
            return pl_seterr(err, PL_ERR_SYSTEM, e, kw,
                             "opening a packet socket on '%s' needs CAP_NET_RAW: run as "
                             "root, or give the interpreter the capability (sudo setcap "
                             "cap_net_raw+ep <python>)", a->name);
        return pl_seterr(err, PL_ERR_SYSTEM, e, kw, "cannot open a packet socket: %s",
                         strerror(eno));
    }
    int rc = 0;
    if (a->method == PL_AFP_MMAP)
        rc = a->tx ? setup_tx_ring(a, e, err) : setup_rx_ring(a, e, err);
    if (rc)
        return rc;
    if (a->ring_len) {
        a->ring = mmap(NULL, a->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, a->fd, 0);
        if (a->ring == MAP_FAILED)
            a->ring = mmap(NULL, a->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED, a->fd, 0);
        if (a->ring == MAP_FAILED) {
            a->ring = NULL;
            return pl_seterr(err, PL_ERR_SYSTEM, e, "METHOD", "cannot map the ring: %s",
                             strerror(errno));
        }
    }
    if (!a->tx) {
        int one = 1;
        setsockopt(a->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    }
    struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_ifindex = a->ifindex,
                              .sll_protocol = a->tx ? 0 : htons(ETH_P_ALL)};
    if (bind(a->fd, (struct sockaddr *)&sll, sizeof sll))
        return pl_seterr(err, PL_ERR_SYSTEM, e, kw, "cannot bind to '%s': %s", a->name,
                         strerror(errno));
    if (a->promisc) {
        struct packet_mreq mr = {.mr_ifindex = a->ifindex, .mr_type = PACKET_MR_PROMISC};
        if (setsockopt(a->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr))
            return pl_seterr(err, PL_ERR_SYSTEM, e, "PROMISC", "cannot make '%s' promiscuous: %s",
                             a->name, strerror(errno));
    }
    return 0;
}

static int afp_open(void **out, const pl_io_conf *c, const pl_element *e, pl_error *err)
{
    *out = NULL;
    const char *kw = "DEVNAME";
    if (!c->name || !*c->name)
        return pl_seterr(err, PL_ERR_CONFIG, e, kw, "missing DEVNAME");
    unsigned idx = if_nametoindex(c->name);
    if (!idx || strlen(c->name) >= IF_NAMESIZE) {
        char names[400];
        list_ifaces(names, sizeof names);
        return pl_seterr(err, PL_ERR_CONFIG, e, kw, "DEVNAME: no network interface '%s' "
                         "(interfaces: %s)", c->name, names);
    }
    afp *a = calloc(1, sizeof *a);
    if (!a)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    a->fd = -1;
    a->method = c->method;
    a->tx = c->tx;
    a->ifindex = (int)idx;
    a->promisc = c->promisc;
    snprintf(a->name, sizeof a->name, "%s", c->name);
    a->snaplen = c->snaplen && c->snaplen < MAX_FRAME ? c->snaplen : MAX_FRAME;
    int rc = afp_socket(a, e, err);
    if (rc)
        return fail(a, rc);
    *out = a;
    return 0;
}

/* Before every start: an interface deleted and made again under the same
 * name (a veth pair recreated by a later test bed) has a new index, and a
 * socket bound to the old one would receive nothing: open a new one. */
static int afp_start(void *h, const pl_element *e, pl_error *err)
{
    afp *a = h;
    unsigned idx = if_nametoindex(a->name);
    if (!idx) {
        release(a);
        return pl_seterr(err, PL_ERR_SYSTEM, e, "DEVNAME", "network interface '%s' is gone "
                         "(deleted since this engine opened it)", a->name);
    }
    if ((int)idx == a->ifindex && a->fd >= 0)
        return 0;
    release(a);
    a->ifindex = (int)idx;
    return afp_socket(a, e, err);
}

static void afp_close(void *h)
{
    afp *a = h;
    if (a)
        fail(a, 0);
}

static void *afp_queue(void *h, uint32_t q, int tx)
{
    (void)tx;
    return q == 0 ? h : NULL;
}

/* A fresh engine packet holding `len` bytes of `data` (cut at snaplen). */
static pl_packet *copy_in(afp *a, pl_ctx *ctx, const uint8_t *data, uint32_t len, uint64_t ts)
{
    pl_packet *p = pl_packet_alloc(ctx->pool);
    if (!p) {
        a->h.nobufs++;
        return NULL;
    }
    p->len = len < a->snaplen ? len : a->snaplen;
    memcpy(p->data, data, p->len);
    p->mac_off = PL_HEADROOM;
    p->timestamp = ts;
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
                pl_packet *p = copy_in(a, ctx, (uint8_t *)h + h->tp_mac, h->tp_snaplen,
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

static uint32_t rx_linux(afp *a, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    uint32_t got = 0;
    while (got < max) {
        pl_packet *p = pl_packet_alloc(ctx->pool);
        if (!p) {
            a->h.nobufs++;
            break;
        }
        struct sockaddr_ll sll;
        socklen_t sl = sizeof sll;
        ssize_t n = recvfrom(a->fd, p->data, a->snaplen, MSG_DONTWAIT | MSG_TRUNC,
                             (struct sockaddr *)&sll, &sl);
        if (n < 0 || sll.sll_pkttype == PACKET_OUTGOING) {
            pl_packet_free(ctx->pool, p);
            if (n < 0)
                break;
            continue;
        }
        p->len = (uint32_t)n < a->snaplen ? (uint32_t)n : a->snaplen;
        p->mac_off = PL_HEADROOM;
        pl_batch_append(batch, p);
        got++;
    }
    PL_STAT_ADD(a->ipackets, got);
    return got;
}

static uint32_t afp_rx(void *h, pl_ctx *ctx, pl_packet **batch, uint32_t max)
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

static uint32_t tx_mmap(afp *a, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    uint32_t queued = 0;
    while (*batch && queued < max) {
        struct tpacket2_hdr *f =
            (struct tpacket2_hdr *)(void *)(a->ring + (size_t)a->tx_cur * TX_FRAME_SIZE);
        uint32_t st = __atomic_load_n(&f->tp_status, __ATOMIC_ACQUIRE);
        if (st & TP_STATUS_WRONG_FORMAT)
            a->h.errors++;
        else if (st != TP_STATUS_AVAILABLE)
            break;                                    /* ring full */
        pl_packet *p = take(batch);
        if (p->len > TX_FRAME_SIZE - TX_DATA_OFF) {
            a->h.toolong++;
        } else {
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
        if (send(a->fd, p->data, p->len, 0) == (ssize_t)p->len)
            sent++;
        else
            a->h.errors++;
        pl_packet_free(ctx->pool, p);
    }
    PL_STAT_ADD(a->opackets, sent);
    return sent;
}

static uint32_t afp_tx(void *h, pl_ctx *ctx, pl_packet **batch, uint32_t max)
{
    afp *a = h;
    return a->method == PL_AFP_MMAP ? tx_mmap(a, ctx, batch, max) : tx_linux(a, ctx, batch, max);
}

static int afp_stats(void *h, pl_io_stats *out)
{
    afp *a = h;
    memset(out, 0, sizeof *out);
    if (!a->tx) {
        /* Reading the statistics resets them: accumulate. */
        struct tpacket_stats_v3 st;
        socklen_t len = sizeof st;
        if (getsockopt(a->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
            a->drops += st.tp_drops;
    }
    out->ipackets = __atomic_load_n(&a->ipackets, __ATOMIC_RELAXED);
    out->opackets = __atomic_load_n(&a->opackets, __ATOMIC_RELAXED);
    out->imissed = a->drops;
    return 0;
}

/* METHOD: PACKET_MMAP (TPACKET_V3 ring, batched) or LINUX (one recv per packet). */
int pl_afp_parse_method(const pl_element *e, const char *m, int *out, pl_error *err)
{
    if (!m || !*m || !strcasecmp(m, "PACKET_MMAP") || !strcasecmp(m, "MMAP"))
        *out = PL_AFP_MMAP;
    else if (!strcasecmp(m, "LINUX"))
        *out = PL_AFP_LINUX;
    else
        return pl_seterr(err, PL_ERR_CONFIG, e, "METHOD",
                         "METHOD: expected PACKET_MMAP or LINUX, got '%s'", m);
    return 0;
}

const pl_io_ops pl_io_afpacket = {
    .name = "afpacket",
    .open = afp_open,
    .queue = afp_queue,
    .rx_burst = afp_rx,
    .tx_burst = afp_tx,
    .stats = afp_stats,
    .start = afp_start,
    .close = afp_close,
};
