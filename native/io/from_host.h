/* FromHost's state, read by ToHost (which writes into FromHost's device). */
#ifndef PL_FROM_HOST_H
#define PL_FROM_HOST_H

#include "tun.h"

typedef struct {
    char *devname, *dst;
    uint32_t gw;
    uint8_t ether[8];
    uint64_t headroom, mtu, burst;
    uint32_t near, mask, rx_room;
    pl_tun t;
    int warned;
} fromhost_state;

extern const pl_class pl_from_host_class;

#endif
