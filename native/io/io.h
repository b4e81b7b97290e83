/*
 * I/O backends: one ops struct each (DESIGN.md §2 "I/O backends").
 *
 * A backend turns a device, an interface or a file into bursts of packets:
 * rx_burst appends up to `max` packets to a batch, tx_burst sends from the
 * head of a batch and leaves what the device did not take at its head (the
 * element decides: keep, retry or drop). Open, statistics, ring changes and
 * close run on the control thread; rx_burst and tx_burst on the worker that
 * owns the queue handle.
 *
 * Backends: DPDK ethdev (dpdk_port.c: any PMD, zero copy), netmap
 * (netmap_port.c: native drivers, VALE, pipes, the generic adapter; zero
 * copy by buffer swapping) and Linux AF_PACKET (afpacket.c: TPACKET_V3
 * rings or one recv/send per packet).
 * pcap files (pcap_file.c) are a stream, not a device: a reader and a
 * writer. The elements in native/elements/io/ sit on top.
 *
 * Drops inside a burst (no buffer, frame too long) are tallied in the queue
 * handle's pl_io_queue header; the element, on the same worker, moves them
 * into its drop counters after each call.
 */
#ifndef PL_IO_H
#define PL_IO_H

#include "../core/element.h"

typedef struct pl_io_conf {
    const char *name;             /* device, interface or file */
    int rx, tx;                   /* directions wanted */
    uint32_t first_queue, nqueues;
    int upto;                     /* nqueues is a wish: fewer when the device has fewer */
    uint32_t ndesc;               /* ring size (0: the backend's default) */
    uint32_t snaplen;             /* bytes kept of each received frame */
    int promisc;
    int method;                   /* backend variant, e.g. PL_AFP_MMAP / PL_AFP_LINUX */
    int copy;                     /* receive into engine buffers, not device buffers */
    uint32_t buffers;             /* netmap: buffers the engine holds for zero copy (0: default) */
    uint32_t mtu;                 /* the MTU to set (0: leave the device's) */
} pl_io_conf;

typedef struct pl_io_stats {
    uint64_t ipackets, opackets;  /* what the device (or kernel) counted */
    uint64_t imissed;             /* dropped by the device: no room in the RX ring */
    uint64_t ierrors, oerrors;
    uint64_t nombuf;              /* RX buffer allocation failures */
} pl_io_stats;

/* The first member of every queue handle. */
typedef struct pl_io_queue {
    uint32_t nobufs;              /* no engine or device buffer for a packet */
    uint32_t toolong;             /* frame does not fit a buffer */
    uint32_t errors;              /* other per-packet failures */
} pl_io_queue;

typedef struct pl_io_ops {
    const char *name;
    /* Open `conf->name`; *dev is the backend's handle. Errors name element e. */
    int (*open)(void **dev, const pl_io_conf *conf, const pl_element *e, pl_error *err);
    /* A handle for queue q of dev, used by exactly one worker at a time. */
    void *(*queue)(void *dev, uint32_t q, int tx);
    uint32_t (*rx_burst)(void *queue, pl_ctx *ctx, pl_packet **batch, uint32_t max);
    uint32_t (*tx_burst)(void *queue, pl_ctx *ctx, pl_packet **batch, uint32_t max);
    int (*stats)(void *dev, pl_io_stats *out);
    /* Resize the rings (workers parked or stopped). */
    int (*set_ring)(void *dev, uint32_t ndesc, pl_error *err);
    /* Before every engine start (workers stopped): make sure the device is
     * still the one opened (reopen it if it changed), or fail saying why. */
    int (*start)(void *dev, const pl_element *e, pl_error *err);
    void (*close)(void *dev);
} pl_io_ops;

/* pl_io_afpacket methods (conf.method) */
enum { PL_AFP_MMAP = 1, PL_AFP_LINUX = 2 };
/* METHOD text (PACKET_MMAP, LINUX) to a method; errors name e and METHOD. */
int pl_afp_parse_method(const pl_element *e, const char *m, int *out, pl_error *err);

extern const pl_io_ops pl_io_dpdk;
extern const pl_io_ops pl_io_afpacket;
extern const pl_io_ops pl_io_netmap;

/*
 * The paper's TX queue assignment (§5.6), for the device outputs: each
 * thread that can reach the element (bit t of `threads`) gets a queue of its
 * own while there are enough of the nq; beyond that threads share queues.
 * qi[t] is thread t's queue (-1: it cannot reach the element) and shared[t]
 * says whether it must lock it. Returns the number of threads that lock.
 */
int pl_tx_assign(uint64_t threads, int nthreads, uint32_t nq, int32_t *qi, uint8_t *shared);

/* Keep the first `keep` packets of b (an output's internal queue), drop the
 * rest under drop reason `counter` of e. Returns what is kept (NULL: none). */
pl_packet *pl_batch_keep(pl_element *e, pl_ctx *ctx, int counter, pl_packet *b, uint64_t keep);

#endif
