/* ToHostSniffers: frames to Linux packet sniffers only, through a TAP device of its own. */
#include "../../io/tun.h"

#include "../../lib/netpkt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>
#include <stdio.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

typedef struct {
    char *devname, *type;
    int ip;
    int sock, ifindex;
    pl_tun t;
    int warned;
} ths_state;

/* Drop reasons (every packet ends here): sent ones once the sniffers had them. */
enum { C_TOO_SMALL, C_ERRORS, C_SENT };
static const char *const counters[] = {"too_small", "write_errors", "sent", NULL};

static int ths_configure(pl_element *e, pl_error *err)
{
    ths_state *s = PL_STATE(e, ths_state);
    s->sock = -1;
    if (!strcasecmp(s->type, "ETHER"))
        s->ip = 0;
    else if (!strcasecmp(s->type, "IP"))
        s->ip = 1;
    else
        return pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "TYPE '%s': expected ETHER or IP",
                         s->type);
    if (pl_element_dry(e))             /* pktlab check: nothing opened */
        return 0;
    if (pl_tun_open(&s->t, *s->devname ? s->devname : NULL, 1, e, err))
        return err->status;
    /* Up, no address, no ARP: the kernel's stack never sees what goes out. */
    {
        int s2 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", s->t.name);
        if (s2 < 0 || ioctl(s2, SIOCGIFFLAGS, &ifr) < 0 ||
            (ifr.ifr_flags |= IFF_UP | IFF_NOARP, ioctl(s2, SIOCSIFFLAGS, &ifr) < 0)) {
            pl_seterr(err, PL_ERR_SYSTEM, e, "", "bringing %s up: %s", s->t.name, strerror(errno));
            if (s2 >= 0)
                close(s2);
            goto fail;
        }
        close(s2);
    }
    s->ifindex = (int)if_nametoindex(s->t.name);
    s->sock = socket(AF_PACKET, (s->ip ? SOCK_DGRAM : SOCK_RAW) | SOCK_CLOEXEC, 0);
    if (s->sock < 0) {
        pl_seterr(err, PL_ERR_SYSTEM, e, "", "AF_PACKET socket: %s%s", strerror(errno),
                  errno == EPERM ? " (needs CAP_NET_RAW)" : "");
        goto fail;
    }
    return 0;
fail:
    pl_tun_close(&s->t);
    return err->status;
}

static void ths_cleanup(pl_element *e)
{
    ths_state *s = PL_STATE(e, ths_state);
    if (s->sock >= 0)
        close(s->sock);
    s->sock = -1;
    pl_tun_close(&s->t);
}

static void ths_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    ths_state *s = PL_STATE(e, ths_state);
    uint8_t sink[2048];
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        uint32_t min = s->ip ? 20 : 14;
        if (p->len < min) {
            pl_drop(ctx, e, C_TOO_SMALL, p);
            continue;
        }
        struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_ifindex = s->ifindex, .sll_halen = 6};
        uint16_t proto = s->ip ? ((p->data[0] >> 4) == 6 ? ETH_P_IPV6 : ETH_P_IP)
                               : pl_rd16(p->data + 12);
        sll.sll_protocol = htons(proto);
        ssize_t w = sendto(s->sock, p->data, p->len, 0, (struct sockaddr *)&sll, sizeof sll);
        int en = errno;
        /* The sniffers saw it on its way out; the device's other end is us:
         * drain it, so the frames end here. */
        while (read(s->t.fd, sink, sizeof sink) > 0)
            ;
        if (w != (ssize_t)p->len) {
            if (!__atomic_exchange_n(&s->warned, 1, __ATOMIC_RELAXED)) {
                pl_log(e->eng, "%s: send on %s: %s", PL_NAME(e), s->t.name,
                       w < 0 ? strerror(en) : "short write");
            }
            pl_drop(ctx, e, C_ERRORS, p);
        } else
            pl_drop(ctx, e, C_SENT, p);
    }
}

static int read_dev_name(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", PL_STATE(e, ths_state)->t.name);
}

static const pl_param params[] = {
    {"DEVNAME", PL_T_STRING, offsetof(ths_state, devname), "", 0, -1, PL_P_POSITIONAL,
     "the TAP device the sniffers see the packets on (default: the kernel's next tapN)"},
    {"TYPE", PL_T_STRING, offsetof(ths_state, type), "ETHER", 0, -1, 0,
     "ETHER (Ethernet frames) or IP (raw IP packets)"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "dev_name", .doc = "the device's name", .read = read_dev_name, .flags = PL_H_CALM},
    {0}};

static const pl_class to_host_sniffers = {
    .name = "ToHostSniffers",
    .ports = "1/0",
    .processing = "h/h",
    .doc = "ToHostSniffers([DEVNAME, keywords TYPE])\n"
           "Sends packets to Linux packet sniffers only.\n\n"
           "Hands packets to the packet sockets (tcpdump, FromDevice) watching\n"
           "DEVNAME, never to the kernel's networking stack. Click's ToHostSniffers\n"
           "lives in its Linux kernel module and marks packets as from any existing\n"
           "device; from user level that cannot be done without sending them on that\n"
           "device, so pktlab makes DEVNAME a TAP device of its own (needs\n"
           "CAP_NET_ADMIN; default: the kernel's next tapN, read the dev_name\n"
           "handler), up, with no address and no ARP, and sends each packet out on it\n"
           "through an AF_PACKET socket: sniffers on DEVNAME (and on \"any\") see it as\n"
           "outgoing, and the device's other end, this element, discards it. DEVNAME\n"
           "naming an interface that is not a free TAP device is an error. TYPE ETHER\n"
           "(default) takes Ethernet frames; TYPE IP raw IPv4 or IPv6 packets (the\n"
           "kernel adds an Ethernet header). A packet shorter than an Ethernet (14) or\n"
           "IPv4 (20) header is dropped as too_small.\n"
           "Counters (drop reasons: every packet ends here): too_small, write_errors,\n"
           "sent. Handlers: dev_name.\n\n"
           "Example: FromDump(f.pcap) -> ToHostSniffers(sniff0);  // tcpdump -i sniff0",
    .state_size = sizeof(ths_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = C_SENT + 1,
    .configure = ths_configure,
    .cleanup = ths_cleanup,
    .push = ths_push,
};
PL_REGISTER_CLASS(to_host_sniffers);
