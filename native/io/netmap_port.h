/*
 * netmap ports as netmap_port.c keeps them, shared with netmap_handlers.c (NDESC changes).
 * Control-thread state under pl_nm_lock.
 */
#ifndef PL_IO_NETMAP_PORT_H
#define PL_IO_NETMAP_PORT_H

#include "netmap.h"

#ifdef PL_HAVE_NETMAP
#include <pthread.h>

/* The last NDESC change of an element: sizes, what it lost, how long. */
typedef struct pl_nm_resize {
    uint32_t from, to, asked;
    uint64_t rx_ring, tx_ring;    /* packets the closed rings held */
    double parked_us;
} pl_nm_resize;

typedef struct nm_dev {
    char spec[128];               /* DEVNAME as given */
    char port[64];                /* netmap's name for it (vale0:a, eth0, ...) */
    const pl_element *e;
    int tx, copy, explicit_rings;
    uint32_t first, n;            /* the rings this element uses */
    uint32_t rings;               /* rings of the port in this direction */
    uint32_t ndesc, other_ndesc;  /* slots asked for (0: netmap's choice) */
    uint32_t slots;               /* slots the rings have */
    uint32_t extra;               /* buffers for the engine's set */
    uint16_t mem_id;
    pl_nm_queue *q;
    pl_nm_set *set;
    pl_nm_resize last;
    uint64_t lost;
    struct nm_dev *next;
} nm_dev;

extern pthread_mutex_t pl_nm_lock;
extern nm_dev *pl_nm_devs;

/* Under pl_nm_lock: install libnetmap's error capture; open d's rings
 * (d->spec, first, n, ndesc) / close them. */
void pl_nm_ctx_setup(void);
const char *pl_nm_last_error(void);
int pl_nm_open_queues(nm_dev *d, const pl_element *e, pl_error *err);
void pl_nm_close_queues(nm_dev *d, int release);  /* release: free the queue array too */

uint16_t pl_nm_dev_mem(void *dev);
int pl_nm_dev_zero_copy(void *dev);
#endif
#endif
