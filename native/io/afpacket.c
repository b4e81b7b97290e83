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
 *
 * Frames of any size: the interface's MTU (read at open, again when a frame
 * is longer than the last reading allowed) sizes the TX frames, RX blocks
 * hold whole 64 KB super-packets (GRO), and received frames go into engine
 * buffers of the class their length needs. A frame longer than the MTU
 * allows (plus the Ethernet header, and a VLAN tag if it has one) is a counted drop
 * (too_long), never handed to the kernel to fail.
 */
#include "afpacket.h"

#include <errno.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>



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

/* The interface's MTU (0 if it cannot be read). */
uint32_t pl_afp_read_mtu(int fd, const char *name)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    return ioctl(fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0 ? (uint32_t)ifr.ifr_mtu : 0;
}

void pl_afp_set_mtu(afp *a, uint32_t mtu)
{
    a->mtu = mtu ? mtu : 1500;
    a->max_frame = a->mtu + LINK_HEADER;
    if (a->max_frame > PL_MAX_LEN)
        a->max_frame = PL_MAX_LEN;
}

static int setup_rx_ring(afp *a, const pl_element *e, pl_error *err)
{
    int v = TPACKET_V3;
    struct tpacket_req3 req = {
        .tp_block_size = RX_BLOCK_SIZE,
        .tp_block_nr = RX_BLOCKS,
        .tp_frame_size = RX_FRAME_SIZE,
        .tp_frame_nr = RX_BLOCK_SIZE / RX_FRAME_SIZE * RX_BLOCKS,
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

/* TX slots hold the longest frame the MTU allows (2 KB for the usual 1500;
 * 16 KB for jumbo frames; 64 KB and more past that). */
static int setup_tx_ring(afp *a, const pl_element *e, pl_error *err)
{
    int v = TPACKET_V2, one = 1;
    uint32_t fs = 2048;
    while (fs < a->max_frame + VLAN_TAG + TX_DATA_OFF)
        fs *= 2;
    a->tx_frame_size = fs;
    uint32_t per_block = fs >= 65536 ? 1 : 65536 / fs;
    struct tpacket_req req = {
        .tp_block_size = fs * per_block,
        .tp_block_nr = TX_FRAMES / per_block,
        .tp_frame_size = fs,
        .tp_frame_nr = TX_FRAMES,
    };
    if (setsockopt(a->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) ||
        setsockopt(a->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof req))
        return pl_seterr(err, PL_ERR_SYSTEM, e, "METHOD", "cannot set up a TPACKET_V2 TX ring: %s",
                         strerror(errno));
    setsockopt(a->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);  /* best effort */
    a->ring_len = (size_t)fs * TX_FRAMES;
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
    pl_afp_set_mtu(a, pl_afp_read_mtu(a->fd, a->name));
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
    if (!idx || strlen(c->name) >= IFNAMSIZ) {
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
    a->snaplen = c->snaplen && c->snaplen < PL_MAX_LEN ? c->snaplen : PL_MAX_LEN;
    snprintf(a->name, sizeof a->name, "%s", c->name);
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
    .rx_burst = pl_afp_rx,
    .tx_burst = pl_afp_tx,
    .stats = afp_stats,
    .start = afp_start,
    .close = afp_close,
};
