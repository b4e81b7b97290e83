/*
 * Linux TUN/TAP devices (/dev/net/tun), for KernelTun, KernelTap and
 * FromHost/ToHost: the kernel side of a device that this process is the
 * "wire" of. Reads and writes carry the driver's 4-byte packet information
 * header (flags, then the protocol's Ethernet type), as Click's Linux
 * universal TUN/TAP driver code does; the elements add and strip it.
 *
 * Everything runs in the calling thread's network namespace. Opening and
 * setting up run on the control thread; read and write on the worker that
 * owns the element.
 */
#ifndef PL_TUN_H
#define PL_TUN_H

#include "../core/element.h"

#include <net/if.h>

#define PL_TUN_PI 4               /* struct tun_pi: flags, protocol */

typedef struct pl_tun {
    int fd;                       /* -1: not open */
    int tap;
    char name[IFNAMSIZ];          /* the device the kernel gave (DEVNAME or tunN/tapN) */
} pl_tun;

/* Open /dev/net/tun and attach a TUN (tap = 0) or TAP device named `devname`
 * (NULL or empty: the kernel picks tunN/tapN). Errors name e. */
int pl_tun_open(pl_tun *t, const char *devname, int tap, const pl_element *e, pl_error *err);

/* Set the kernel side as Click's KernelTun::updown does: address and mask
 * (network order; addr 0 = leave unset), Ethernet address (NULL = leave the
 * kernel's), MTU (0 = leave 1500), then up and promiscuous; a TAP device
 * with an address answers ARP. Failing to set the Ethernet address or MTU
 * is a warning (as Click's), the rest an error. */
int pl_tun_setup(pl_tun *t, uint32_t addr, uint32_t mask, const uint8_t *ether, uint32_t mtu,
                 pl_element *e, pl_error *err);

/* A default route through gw (network order), as Click's GATEWAY keyword. */
int pl_tun_default_route(pl_tun *t, uint32_t gw, const pl_element *e, pl_error *err);

void pl_tun_close(pl_tun *t);

#endif
