/* FromHost: Ethernet frames from the kernel through a Linux TAP device (Click's FromHost.u). */
#include "../../io/from_host.h"

#include "../../lib/iputil.h"
#include "../../lib/netpkt.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

enum { C_RECEIVED };
static const char *const counters[] = {"received", NULL};

static int fh_configure(pl_element *e, pl_error *err)
{
    fromhost_state *s = PL_STATE(e, fromhost_state);
    int len;
    s->near = s->mask = 0;
    if (*s->dst && pl_parse_net_prefix(s->dst, &s->near, &s->mask, &len))
        return pl_seterr(err, PL_ERR_CONFIG, e, "DST", "'%s' is not an IP prefix (ADDR/MASK)",
                         s->dst);
    if (s->near && s->gw && (s->gw & s->mask) != (s->near & s->mask))
        return pl_seterr(err, PL_ERR_CONFIG, e, "GATEWAY", "bad GATEWAY: not on DST's network");
    if (!*s->devname)
        return pl_seterr(err, PL_ERR_CONFIG, e, "DEVNAME", "must specify device name");
    if (s->headroom > PL_HEADROOM)
        return pl_seterr(err, PL_ERR_CONFIG, e, "HEADROOM",
                         "HEADROOM %llu: pktlab's buffers keep %d bytes of headroom, no more",
                         (unsigned long long)s->headroom, PL_HEADROOM);
    static const uint8_t zero[6];
    if (pl_element_dry(e))             /* pktlab check: nothing opened */
        return 0;
    if (pl_tun_open(&s->t, s->devname, 1, e, err))
        return err->status;
    s->rx_room = PL_TUN_PI + (uint32_t)s->mtu;
    /* Without DST the device is left as it is (Click: "assumes the tunnel
     * has already been configured"), but the Ethernet address is set. */
    if ((s->near || memcmp(s->ether, zero, 6)) &&
        pl_tun_setup(&s->t, s->near, s->mask, memcmp(s->ether, zero, 6) ? s->ether : NULL, 0, e,
                     err)) {
        pl_tun_close(&s->t);
        return err->status;
    }
    if (s->gw && pl_tun_default_route(&s->t, s->gw, e, err)) {
        pl_tun_close(&s->t);
        return err->status;
    }
    return 0;
}

static void fh_cleanup(pl_element *e) { pl_tun_close(&PL_STATE(e, fromhost_state)->t); }

static uint32_t fh_run(pl_element *e, pl_ctx *ctx)
{
    fromhost_state *s = PL_STATE(e, fromhost_state);
    pl_packet *b = NULL;
    uint32_t n = 0, burst = (uint32_t)PL_LIVE(s->burst);
    uint64_t now = 0;
    while (n < burst) {
        pl_packet *p = pl_packet_alloc_len(ctx->pool, s->rx_room);
        if (!p)
            break;                        /* the kernel keeps the frame meanwhile */
        ssize_t cc = read(s->t.fd, p->data, s->rx_room);
        if (cc <= (ssize_t)PL_TUN_PI) {
            int en = errno;
            pl_packet_free(ctx->pool, p);
            if (cc < 0 && en != EAGAIN && en != EWOULDBLOCK &&
                !__atomic_exchange_n(&s->warned, 1, __ATOMIC_RELAXED)) {
                pl_log(e->eng, "%s: FromHost read: %s", PL_NAME(e), strerror(en));
            }
            break;
        }
        if (!n)
            now = pl_engine_realtime_ns(e->eng);
        p->len = (uint32_t)cc;
        pl_packet_pull(p, PL_TUN_PI);
        p->mac_off = (uint16_t)(p->data - p->buf);
        /* As Click's: the IP header after the Ethernet header, unchecked. */
        if (p->len >= 14 + 20) {
            pl_set_net_header(p, p->data + 14);
            memcpy(&p->dst_ip, p->data + 14 + 16, 4);
        }
        p->timestamp = now;
        pl_batch_append(&b, p);
        n++;
    }
    if (!n)
        return 0;
    pl_count(ctx, e, C_RECEIVED, n);
    pl_output_source(ctx, e, 0, b);
    return n;
}

static int read_dev_name(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", PL_STATE(e, fromhost_state)->t.name);
}

static int read_signal(pl_element *e, char *buf, size_t len)
{
    (void)e;
    return pl_fmt(buf, len, "true");      /* full push: downstream is never full */
}

static const pl_param params[] = {
    {"DEVNAME", PL_T_STRING, offsetof(fromhost_state, devname), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "the TAP device's name"},
    {"DST", PL_T_STRING, offsetof(fromhost_state, dst), "", 0, -1, PL_P_POSITIONAL,
     "the kernel's address and mask on the device (default: leave it as it is)"},
    {"GATEWAY", PL_T_IPV4, offsetof(fromhost_state, gw), "0.0.0.0", 0, -1, 0,
     "a default route through this address; 0.0.0.0: none"},
    {"ETHER", PL_T_ETHER, offsetof(fromhost_state, ether), "00:00:00:00:00:00", 0, -1, 0,
     "the device's Ethernet address (default: the kernel's choice)"},
    {"HEADROOM", PL_T_UINT, offsetof(fromhost_state, headroom), "30", 0, 8192, 0,
     "bytes free before received frames (the engine's buffers have 128)"},
    {"MTU", PL_T_UINT, offsetof(fromhost_state, mtu), "2048", 14, 65535, 0,
     "the largest frame read"},
    {"BURST", PL_T_UINT, offsetof(fromhost_state, burst), "32", 1, 4096, PL_P_LIVE,
     "most frames read per run (Click reads one per select)"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "dev_name", .doc = "the device's name", .read = read_dev_name, .flags = PL_H_CALM},
    {.name = "signal", .doc = "whether downstream takes packets (always, in full push)",
     .read = read_signal},
    {0}};

const pl_class pl_from_host_class = {
    .name = "FromHost",
    .ports = "0/1",
    .processing = "h/h",
    .sources = PL_S_SOURCE,
    .doc = "FromHost(DEVNAME [, DST, keywords GATEWAY, ETHER, HEADROOM, MTU, BURST])\n"
           "Interface to a Linux TAP device named DEVNAME (user-level).\n\n"
           "Makes (or attaches to) the TAP device DEVNAME through /dev/net/tun (needs\n"
           "CAP_NET_ADMIN) and emits the Ethernet frames the kernel sends on it, with\n"
           "their MAC header marked, the IP header annotation 14 bytes in (unchecked,\n"
           "as Click's), the destination address annotation and a timestamp. With DST\n"
           "(ADDR/MASK) it sets the kernel's address and mask and brings the device\n"
           "up; without it the device is left as configured. ETHER sets the device's\n"
           "Ethernet address, GATEWAY adds a default route through it. ToHost(DEVNAME)\n"
           "writes frames back into the same device, for the kernel to receive. Linux\n"
           "sends ARP queries to the device: answer them to get IP packets. KernelTun\n"
           "and KernelTap are usually preferable. HEADROOM above the engine's 128\n"
           "bytes is an error; BURST (pktlab's) bounds the frames read per run.\n"
           "Counters: received. Handlers: dev_name, signal, burst (rw).\n\n"
           "Example: FromHost(fake0, 192.0.0.1/8) -> c :: Classifier(12/0806, 12/0800);\n"
           "         c[0] -> ARPResponder(0.0.0.0/0 1:1:1:1:1:1) -> ToHost(fake0);\n"
           "         c[1] -> Discard;",
    .state_size = sizeof(fromhost_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .configure = fh_configure,
    .cleanup = fh_cleanup,
    .run_task = fh_run,
};
PL_REGISTER_CLASS(pl_from_host_class);
