/* KernelTun: IP packets to and from the kernel through a Linux TUN device. */
#include "../../io/tun_elem.h"

static const pl_param params[] = {PL_KTUN_PARAMS("false", "28")};

static const pl_class kernel_tun = {
    .name = "KernelTun",
    PL_KTUN_CLASS,
    .doc = "KernelTun(ADDR/MASK [, GATEWAY, keywords TAP, HEADROOM, BURST, ETHER, MTU,\n"
           "          IGNORE_QUEUE_OVERFLOWS, DEVNAME])\n"
           "Interface to a Linux TUN device (user-level).\n\n"
           "Reads IP packets from and writes IP packets to a TUN device it makes\n"
           "through /dev/net/tun (needs CAP_NET_ADMIN), so that the kernel's own IP\n"
           "stack routes through the configuration. It sets the kernel's address on\n"
           "the device to ADDR and the netmask to MASK, brings the device up, and with\n"
           "a nonzero GATEWAY (on ADDR's network) adds a default route through it. The\n"
           "device lives in the engine's network namespace and goes away with the\n"
           "element. Packets the kernel sends to the device come out of output 0, up\n"
           "to BURST a run, with their IP header marked, the destination address\n"
           "annotation set and a timestamp; one that is not IPv4 or IPv6 (by the\n"
           "driver's protocol field, or a header that does not fit) goes to output 1,\n"
           "or is dropped and counted as bad where there is no output 1 (Click pushes\n"
           "such a packet to output 1 twice; pktlab once). Packets into input 0 are\n"
           "written to the kernel from their network header on: one without an IP\n"
           "header annotation (no_ip_header), of another IP version (bad_version) or\n"
           "longer than MTU (too_long) is dropped. The input is agnostic: after a Queue\n"
           "the element's task pulls up to BURST packets a run. With TAP true it is\n"
           "KernelTap. HEADROOM above the engine's 128 bytes is an error.\n"
           "Keywords: ADDR (prefix), GATEWAY (address), TAP (bool), HEADROOM, BURST\n"
           "(default 1, as Click's), ETHER (the device's Ethernet address), MTU\n"
           "(default 1500), IGNORE_QUEUE_OVERFLOWS (log ENOBUFS once), DEVNAME (the\n"
           "device's name; default the kernel's tunN), DEV_NAME (deprecated DEVNAME).\n"
           "Counters (drop reasons first): no_ip_header, bad_version, too_small,\n"
           "too_long, write_errors, nobufs, bad, sent, received. Handlers: dev_name,\n"
           "selected_calls, packets, burst (rw).\n\n"
           "Example: tun :: KernelTun(10.0.0.1/24);\n"
           "         tun -> IPClassifier(icmp type echo) -> ICMPPingResponder -> tun;",
    .params = params,
};
PL_REGISTER_CLASS(kernel_tun);
