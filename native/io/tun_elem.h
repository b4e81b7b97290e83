/*
 * KernelTun and KernelTap (Click's userlevel elements over /dev/net/tun):
 * the state and functions both classes share; each class file holds its
 * parameter table and descriptor.
 *
 * Output 0 gets what the kernel sends on the device (IP packets from a TUN,
 * Ethernet frames from a TAP), up to BURST a run; a TUN packet that is not
 * IPv4 or IPv6 (its protocol, or a header that does not fit) goes to output
 * 1, or is dropped and counted where there is no output 1. Input 0 (push,
 * or pulled by the element's task) is written to the device: IP packets by
 * their network header (a TUN), Ethernet frames (a TAP).
 */
#ifndef PL_TUN_ELEM_H
#define PL_TUN_ELEM_H

#include "tun.h"

typedef struct {
    char *addr, *devname, *dev_name;
    uint32_t gw;
    uint8_t ether[8];
    uint64_t headroom, burst, mtu;
    uint8_t tap, ignore_q;
    uint32_t near, mask;
    uint32_t rx_room;             /* PI + MTU (+ the Ethernet header on a TAP) */
    pl_tun t;
    _Atomic uint64_t selected, packets;
    int warned_read, warned_write;
} ktun_state;

/* Drop reasons first (ndrops = KT_SENT + 1: every packet written ends as sent). */
enum { KT_NO_IP, KT_VERSION, KT_TOO_SMALL, KT_TOO_LONG, KT_WRITE_ERRORS, KT_NOBUFS, KT_BAD,
       KT_SENT, KT_RECEIVED, KT_NCOUNTERS };
extern const char *const pl_ktun_counters[];

/* Parameter indices both tables keep (for e->given). */
enum { KT_P_ADDR, KT_P_GATEWAY, KT_P_TAP, KT_P_HEADROOM, KT_P_BURST, KT_P_ETHER, KT_P_IGNORE,
       KT_P_MTU, KT_P_DEVNAME, KT_P_DEV_NAME };

int pl_ktun_configure(pl_element *e, pl_error *err);
void pl_ktun_cleanup(pl_element *e);
uint32_t pl_ktun_run(pl_element *e, pl_ctx *ctx);
void pl_ktun_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx);
extern const pl_handler pl_ktun_handlers[];

#define PL_KTUN_PARAMS(TAPDEF, HEADROOMDEF)                                                     \
    {"ADDR", PL_T_STRING, offsetof(ktun_state, addr), NULL, 0, -1,                              \
     PL_P_POSITIONAL | PL_P_REQUIRED, "the kernel's address and mask on the device: ADDR/MASK"}, \
    {"GATEWAY", PL_T_IPV4, offsetof(ktun_state, gw), "0.0.0.0", 0, -1, PL_P_POSITIONAL,          \
     "a default route through this address (on ADDR's network); 0.0.0.0: none"},               \
    {"TAP", PL_T_BOOL, offsetof(ktun_state, tap), TAPDEF, 0, -1, 0,                             \
     "a TAP device (Ethernet frames) instead of a TUN device (IP packets)"},                    \
    {"HEADROOM", PL_T_UINT, offsetof(ktun_state, headroom), HEADROOMDEF, 0, 8192, 0,            \
     "bytes free before received packets' data (the engine's buffers have 128)"},              \
    {"BURST", PL_T_UINT, offsetof(ktun_state, burst), "1", 1, 4096, PL_P_LIVE,                   \
     "most packets read from the device per run"},                                              \
    {"ETHER", PL_T_ETHER, offsetof(ktun_state, ether), "00:00:00:00:00:00", 0, -1, 0,            \
     "the device's Ethernet address (default: the kernel's choice)"},                           \
    {"IGNORE_QUEUE_OVERFLOWS", PL_T_BOOL, offsetof(ktun_state, ignore_q), "false", 0, -1, 0,   \
     "log ENOBUFS write and read errors once only"},                                            \
    {"MTU", PL_T_UINT, offsetof(ktun_state, mtu), "1500", 21, 65535, 0,                          \
     "the device's MTU (without link headers); longer packets are not written"},              \
    {"DEVNAME", PL_T_STRING, offsetof(ktun_state, devname), "", 0, -1, 0,                       \
     "the device's name (default: the kernel's next tunN or tapN)"},                            \
    {"DEV_NAME", PL_T_STRING, offsetof(ktun_state, dev_name), "", 0, -1, 0,                     \
     "deprecated spelling of DEVNAME"},                                                         \
    {0}


/* The class fields KernelTun and KernelTap share: everything but the name,
 * the manual and the parameter table (its defaults differ). */
#define PL_KTUN_CLASS                                                                          \
    .ports = "0-1/1-2", .processing = "a/h", .flow = "x/y", .sources = PL_S_SOURCE,           \
    .state_size = sizeof(ktun_state), .handlers = pl_ktun_handlers,                           \
    .counters = pl_ktun_counters, .ndrops = KT_SENT + 1, .configure = pl_ktun_configure,       \
    .cleanup = pl_ktun_cleanup, .push = pl_ktun_push, .run_task = pl_ktun_run

#endif
