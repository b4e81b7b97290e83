/* Linux TUN/TAP devices (see tun.h). */
#include "tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int pl_tun_open(pl_tun *t, const char *devname, int tap, const pl_element *e, pl_error *err)
{
    t->fd = -1;
    t->tap = tap;
    if (devname && strlen(devname) >= IFNAMSIZ)
        return pl_seterr(err, PL_ERR_CONFIG, e, "DEVNAME", "DEVNAME '%s' is longer than %d characters",
                         devname, IFNAMSIZ - 1);
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return pl_seterr(err, PL_ERR_SYSTEM, e, "", "/dev/net/tun: %s%s", strerror(errno),
                         errno == ENOENT ? " (this kernel has no TUN/TAP driver: CONFIG_TUN)" : "");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = (short)(tap ? IFF_TAP : IFF_TUN);
    if (devname)
        snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", devname);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int en = errno;
        close(fd);
        return pl_seterr(err, PL_ERR_SYSTEM, e, "DEVNAME", "cannot attach %s device '%s': %s%s",
                         tap ? "TAP" : "TUN", devname && *devname ? devname : "(any)",
                         strerror(en),
                         en == EPERM ? " (needs CAP_NET_ADMIN)"
                         : en == EBUSY ? " (another process holds it)"
                         : en == EINVAL ? " (an interface of that name that is not a TUN/TAP "
                                          "device of this kind exists)"
                                        : "");
    }
    t->fd = fd;
    snprintf(t->name, sizeof t->name, "%s", ifr.ifr_name);
    return 0;
}

static int ifioctl(int s, unsigned long req, struct ifreq *ifr, const pl_tun *t)
{
    snprintf(ifr->ifr_name, sizeof ifr->ifr_name, "%s", t->name);
    return ioctl(s, req, ifr);
}

int pl_tun_setup(pl_tun *t, uint32_t addr, uint32_t mask, const uint8_t *ether, uint32_t mtu,
                 pl_element *e, pl_error *err)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return pl_seterr(err, PL_ERR_SYSTEM, e, "", "socket: %s", strerror(errno));
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    int rc = 0;
    if (addr) {
        /* Linux: the address first, then the mask (Click's updown). */
        struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = addr};
        memcpy(&ifr.ifr_addr, &sin, sizeof sin);
        if (ifioctl(s, SIOCSIFADDR, &ifr, t) < 0) {
            rc = pl_seterr(err, PL_ERR_SYSTEM, e, "ADDR", "SIOCSIFADDR on %s: %s", t->name,
                           strerror(errno));
            goto out;
        }
        sin.sin_addr.s_addr = mask;
        memcpy(&ifr.ifr_netmask, &sin, sizeof sin);
        if (ifioctl(s, SIOCSIFNETMASK, &ifr, t) < 0) {
            rc = pl_seterr(err, PL_ERR_SYSTEM, e, "ADDR", "SIOCSIFNETMASK on %s: %s", t->name,
                           strerror(errno));
            goto out;
        }
    }
    if (ether) {
        memset(&ifr, 0, sizeof ifr);
        ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
        memcpy(ifr.ifr_hwaddr.sa_data, ether, 6);
        if (ifioctl(s, SIOCSIFHWADDR, &ifr, t) < 0)
            pl_message(e, PL_MSG_WARNING, "could not set interface Ethernet address: %s",
                       strerror(errno));
    }
    if (mtu && mtu != 1500) {
        memset(&ifr, 0, sizeof ifr);
        ifr.ifr_mtu = (int)mtu;
        if (ifioctl(s, SIOCSIFMTU, &ifr, t) < 0)
            pl_message(e, PL_MSG_WARNING, "could not set interface MTU: %s", strerror(errno));
    }
    memset(&ifr, 0, sizeof ifr);
    if (ifioctl(s, SIOCGIFFLAGS, &ifr, t) < 0) {
        rc = pl_seterr(err, PL_ERR_SYSTEM, e, "", "SIOCGIFFLAGS on %s: %s", t->name, strerror(errno));
        goto out;
    }
    if (t->tap)
        ifr.ifr_flags = (short)(addr ? ifr.ifr_flags & ~IFF_NOARP : ifr.ifr_flags | IFF_NOARP);
    ifr.ifr_flags = (short)(addr ? ifr.ifr_flags | IFF_UP | IFF_PROMISC
                                 : ifr.ifr_flags & ~(IFF_UP | IFF_PROMISC));
    if (ifioctl(s, SIOCSIFFLAGS, &ifr, t) < 0)
        rc = pl_seterr(err, PL_ERR_SYSTEM, e, "", "SIOCSIFFLAGS on %s: %s", t->name, strerror(errno));
out:
    close(s);
    return rc;
}

int pl_tun_default_route(pl_tun *t, uint32_t gw, const pl_element *e, pl_error *err)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return pl_seterr(err, PL_ERR_SYSTEM, e, "GATEWAY", "socket: %s", strerror(errno));
    struct rtentry rt;
    memset(&rt, 0, sizeof rt);
    struct sockaddr_in any = {.sin_family = AF_INET}, via = {.sin_family = AF_INET,
                                                             .sin_addr.s_addr = gw};
    memcpy(&rt.rt_dst, &any, sizeof any);
    memcpy(&rt.rt_genmask, &any, sizeof any);
    memcpy(&rt.rt_gateway, &via, sizeof via);
    rt.rt_flags = RTF_UP | RTF_GATEWAY;
    rt.rt_dev = t->name;
    int rc = 0;
    if (ioctl(s, SIOCADDRT, &rt) < 0)
        rc = pl_seterr(err, PL_ERR_SYSTEM, e, "GATEWAY", "adding a default route via %s: %s",
                       inet_ntoa(via.sin_addr), strerror(errno));
    close(s);
    return rc;
}

void pl_tun_close(pl_tun *t)
{
    if (t->fd >= 0)
        close(t->fd);
    t->fd = -1;
}
