/*
 * DPDK backend, private to native/io and the DPDK elements.
 *
 * Zero copy: the mempool's mbufs carry a pl_packet in their private area
 * (priv_size = sizeof(pl_packet), rounded to RTE_MBUF_PRIV_ALIGN), so the
 * metadata of a received packet is at (mbuf + 1) and its data is the mbuf's
 * buffer. Such packets have PL_PKT_EXTERNAL set and go back to the mempool
 * through the core's pl_ext_free_* hooks, which init installs.
 *
 * While an mbuf is in the pool its pl_packet keeps buf, buf_end, origin (= itself)
 * and refs (= 1): set once when the pool is made, put back by the rare free
 * that finds them changed (uniqueify of a shared packet). Receiving then writes
 * only what changes per packet.
 *
 * Without PL_HAVE_DPDK (pktlab built without libdpdk-dev) only
 * pl_dpdk_require() exists, and it fails with the message below.
 */
#ifndef PL_IO_DPDK_H
#define PL_IO_DPDK_H

#include "io.h"

#define PL_NO_DPDK_MSG \
    "pktlab was built without DPDK (install libdpdk-dev and rebuild: make native)"

#define PL_DPDK_MAXQ 128            /* queues per port pktlab uses */
#define PL_DPDK_MAX_BURST 256            /* packets per rte_eth_*_burst call (BURST above: several calls) */

/* 0 when DPDK is built in and initialised; otherwise fills err (naming e). */
int pl_dpdk_require(const pl_element *e, pl_error *err);

/* The first member of FromDPDKDevice's and ToDPDKDevice's state: what the
 * handlers they share (dpdk_handlers.c) read. */
typedef struct pl_dpdk_elem {
    void *dev;                    /* the open device, NULL before configure */
    uint64_t ndesc;               /* NDESC: as configured, then as last written */
    int tx;                       /* ToDPDKDevice */
} pl_dpdk_elem;

/* Their class `start`: the port back from an engine that used it while
 * this one was stopped, or an error naming the one that holds it. */
int pl_dpdk_elem_start(pl_element *e, pl_error *err);
/* The device's statistics (zeros before it is open). */
int pl_dpdk_io_stats(pl_element *e, pl_io_stats *st);
/* hw_count, hw_dropped, ndesc (read and write), ndesc_lost, ndesc_change. */
int pl_dpdk_h_hw_count(pl_element *e, char *buf, size_t len);
int pl_dpdk_h_hw_dropped(pl_element *e, char *buf, size_t len);
int pl_dpdk_h_ndesc(pl_element *e, char *buf, size_t len);
int pl_dpdk_h_ndesc_write(pl_element *e, const char *v, pl_error *err);
int pl_dpdk_h_ndesc_lost(pl_element *e, char *buf, size_t len);
int pl_dpdk_h_ndesc_change(pl_element *e, char *buf, size_t len);
/* Their entries in the elements' handler tables (dir: "RX" or "TX"). */
#define PL_DPDK_HANDLERS(dir, what, dropped)                                                \
    {.name = "hw_count", .doc = "packets the device " what, .read = pl_dpdk_h_hw_count},    \
    {.name = "hw_dropped", .doc = "packets the device " dropped,                            \
     .read = pl_dpdk_h_hw_dropped},                                                         \
    {.name = "ndesc", .doc = dir " ring size; writing it rebuilds the port's rings with "   \
     "the workers parked", .read = pl_dpdk_h_ndesc, .write = pl_dpdk_h_ndesc_write},       \
    {.name = "ndesc_lost", .doc = "packets lost over all NDESC changes (RX ring, TX ring, " \
     "missed)", .read = pl_dpdk_h_ndesc_lost},                                              \
    {.name = "ndesc_change", .doc = "the last NDESC change: sizes, time the workers were "  \
     "parked, packets lost", .read = pl_dpdk_h_ndesc_change}

#ifdef PL_HAVE_DPDK
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <pthread.h>

extern struct rte_mempool *pl_dpdk_pool;

static inline struct rte_mbuf *pl_mbuf_of(pl_packet *p)
{
    return (struct rte_mbuf *)(void *)p - 1;
}

static inline pl_packet *pl_packet_of(struct rte_mbuf *m)
{
    return (pl_packet *)(void *)(m + 1);
}

/* An mbuf the zero-copy path takes as it is: one segment, its own buffer,
 * from our pool (mp: pl_dpdk_pool, loaded once by the caller's loop). */
static inline int pl_mbuf_plain(const struct rte_mbuf *m, const struct rte_mempool *mp)
{
    return m->nb_segs == 1 && m->pool == mp &&
           !(m->ol_flags & (RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL));
}

/* The metadata of a plain mbuf of our pool, as a fresh packet (clear
 * annotations); buf, buf_end, origin and refs are the pool's invariants.
 * The caller links `next`. */
static inline pl_packet *pl_dpdk_wrap(struct rte_mbuf *m, uint8_t flags)
{
    pl_packet *p = pl_packet_of(m);
    p->data = (uint8_t *)m->buf_addr + m->data_off;
    p->len = m->data_len;
    p->mac_off = m->data_off;
    p->net_off = PL_OFF_UNSET;
    p->flags = flags | PL_PKT_EXTERNAL;
    p->paint = 0;
    memset(&p->timestamp, 0, 64);      /* line 1: every annotation */
    return p;
}

/* Workers become EAL threads (an lcore id, hence mempool caches) on first use.
 * The check is a flag in the worker's context, which the core clears whenever
 * a thread starts running that context, so that it costs no thread-local
 * lookup (__tls_get_addr in a loaded module). (A pthread_t kept per element
 * was not enough: a restarted worker may get the pthread_t of the one that
 * exited, and then ran without an lcore id, hence without mempool caches, at
 * half speed.) */
void pl_dpdk_thread_attach(void);
static inline void pl_dpdk_attach(pl_ctx *ctx)
{
    if (__builtin_expect(!ctx->io_attached, 0)) {
        pl_dpdk_thread_attach();
        ctx->io_attached = 1;
    }
}

/* Run an ethdev call with DPDK's log captured; on failure the last line it
 * logged is appended to the error. Control thread. */
void pl_dpdk_log_capture(void);
const char *pl_dpdk_log_release(void);

/* Handles of the pl_io_dpdk backend (dpdk_port.c). */
typedef struct pl_dpdk_queue {
    pl_io_queue h;
    uint16_t port, queue;
    uint8_t copy;                 /* RX into engine buffers (COPY mode) */
    uint8_t revoked;              /* another engine took the port over: do nothing */
    uint64_t copies;              /* TX: packets copied into a fresh mbuf (owner thread) */
    uint64_t rx_mbufs, tx_mbufs;  /* mbufs read from / taken by the device (owner thread;
                                     read with the workers parked: dpdk_resize.c) */
    uint32_t max_frame;           /* TX: the longest untagged frame the port's MTU allows */
    uint16_t room;                /* bytes an mbuf of the pool holds after its headroom */
} pl_dpdk_queue;

/* The bursts behind pl_io_dpdk (dpdk_burst.c). */
uint32_t pl_dpdk_rx(void *queue, pl_ctx *ctx, pl_packet **batch, uint32_t max);
uint32_t pl_dpdk_tx(void *queue, pl_ctx *ctx, pl_packet **batch, uint32_t max);

/* Port `id`: 0 no engine started it, 1 started by an engine that is not
 * running, 2 its engine is running (dpdk_port.c). */
int pl_dpdk_port_state(uint16_t id);

/* Name of the port behind an open device, and its start (at initialize, and
 * again before every engine start: a port another engine used meanwhile is
 * taken back, or the start fails saying which engine holds it). */
const char *pl_dpdk_dev_name(void *dev);
uint16_t pl_dpdk_dev_port(void *dev);
int pl_dpdk_dev_start(void *dev, const pl_element *e, pl_error *err);
/* Queues this handle got (conf.upto may have made them fewer). */
uint32_t pl_dpdk_dev_nqueues(void *dev);
uint32_t pl_dpdk_dev_ndesc(void *dev);
/* Write handler of NDESC: resize the rings with the workers parked. */
int pl_dpdk_dev_resize(void *dev, const pl_element *e, const char *value, uint64_t *field,
                       pl_error *err);
/* Packets lost over all NDESC changes made through this handle, and the
 * last change as text (dpdk_resize.c). */
uint64_t pl_dpdk_dev_ndesc_lost(void *dev);
int pl_dpdk_dev_ndesc_change(void *dev, char *buf, size_t len);
#endif

#endif
