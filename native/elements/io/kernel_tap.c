/* KernelTap: Ethernet frames to and from the kernel through a Linux TAP device. */
#include "../../io/tun_elem.h"

static const pl_param params[] = {PL_KTUN_PARAMS("true", "30")};

static const pl_class kernel_tap = {
    .name = "KernelTap",
    PL_KTUN_CLASS,
    .doc = "KernelTap(ADDR/MASK [, GATEWAY, keywords ETHER, MTU, HEADROOM, BURST,\n"
           "          IGNORE_QUEUE_OVERFLOWS, DEVNAME])\n"
           "Interface to a Linux TAP device (user-level).\n\n"
           "Reads Ethernet frames from and writes Ethernet frames to a TAP device it\n"
           "makes through /dev/net/tun (needs CAP_NET_ADMIN): the kernel sees a\n"
           "virtual Ethernet interface whose wire is this configuration. It sets the\n"
           "kernel's address to ADDR, the netmask to MASK, the device's Ethernet\n"
           "address to ETHER when given (send frames to that address: Linux ignores\n"
           "others), brings the device up with ARP on, and with a nonzero GATEWAY adds\n"
           "a default route through it. Linux sends ARP queries to the device: answer\n"
           "them (ARPResponder) to receive IP packets. Frames the kernel sends come out\n"
           "of output 0, up to BURST a run, with their MAC header marked and a\n"
           "timestamp. Frames into input 0 (agnostic: pulled after a Queue) are\n"
           "written as they are; one shorter than 14 bytes (too_small) or longer than\n"
           "MTU + 14 (too_long) is dropped. It is KernelTun with TAP true and takes the\n"
           "same keywords; HEADROOM above the engine's 128 bytes is an error.\n"
           "Counters (drop reasons first): no_ip_header, bad_version, too_small,\n"
           "too_long, write_errors, nobufs, bad, sent, received. Handlers: dev_name,\n"
           "selected_calls, packets, burst (rw).\n\n"
           "Example: tap :: KernelTap(10.0.0.1/24, ETHER 2:0:0:0:0:1)\n"
           "             -> c :: Classifier(12/0806 20/0001, 12/0800);\n"
           "         c[0] -> ARPResponder(10.0.0.2 2:0:0:0:0:2) -> tap;\n"
           "         c[1] -> Discard;",
    .params = params,
};
PL_REGISTER_CLASS(kernel_tap);
