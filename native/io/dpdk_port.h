/*
 * DPDK ports as dpdk_port.c keeps them, shared with dpdk_resize.c.
 *
 * A port is owned by one engine at a time; each element that uses it holds
 * a dev (its queue range and the queue handles its workers burst on). All
 * of this is control-thread state under pl_dpdk_lock.
 */
#ifndef PL_IO_DPDK_PORT_H
#define PL_IO_DPDK_PORT_H

#include "dpdk.h"

#ifdef PL_HAVE_DPDK
#include <pthread.h>

typedef struct dev dev;

/* Packets the device counted minus packets the engine saw, per direction:
 * RX: received by the device, not (yet) read by the engine (in the RX ring);
 * TX: handed to the device, not (yet) counted as sent (in the TX ring). */
typedef struct pl_dpdk_gap {
    int64_t rx, tx;
    uint64_t ipackets, opackets, imissed;
    int ok;                               /* rte_eth_stats_get answered */
} pl_dpdk_gap;

/* The last NDESC change on an element's port: what it lost, and how long. */
typedef struct pl_dpdk_resize {
    uint32_t from, to;
    uint64_t rx_ring, tx_ring, missed;    /* packets lost, by where */
    int unknown;                          /* the device reset its statistics: not measurable */
    double parked_us;
} pl_dpdk_resize;

typedef struct port {
    uint16_t id;
    char name[RTE_ETH_NAME_MAX_LEN];
    struct rte_eth_dev_info info;
    const void *owner;                    /* engine, NULL when free */
    int users;
    dev *user_list;
    const pl_element *rxq[PL_DPDK_MAXQ];  /* element reading each RX queue */
    const pl_element *txq[PL_DPDK_MAXQ];
    uint16_t nrxd, ntxd;
    uint32_t mtu;                         /* the largest MTU an element asked for (0: none) */
    int promisc;
    int configured;                       /* for the current owner */
    int running;                          /* rte_eth_dev_start()ed */
    pl_dpdk_gap base;                     /* gaps right after the last start */
} port;

struct dev {
    port *p;
    const pl_element *e;
    int tx;
    uint32_t first, n;
    uint32_t ndesc;                       /* what it asked for (again when it takes the port back) */
    int promisc;
    uint32_t mtu;
    pl_dpdk_queue *q;
    dev *next_user;                       /* the port's users, for revocation */
    pl_dpdk_resize last;                  /* this element's last NDESC change */
    uint64_t lost;                        /* packets lost over all its NDESC changes */
};

extern pthread_mutex_t pl_dpdk_lock;

/* (Re)configure and start the port with its current queues and ring sizes;
 * stops it first if it runs. Under pl_dpdk_lock, workers parked or stopped. */
int pl_dpdk_port_configure(port *p, const pl_element *e, pl_error *err);
/* The port's gaps now (workers parked or stopped). */
pl_dpdk_gap pl_dpdk_port_gap(const port *p);

#endif
#endif
