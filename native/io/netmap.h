/*
 * netmap backend, private to native/io and the netmap elements.
 *
 * A port (netmap:eth0, vale0:a, a pipe end vale1:p{1, with libnetmap's
 * suffixes) is opened with libnetmap, one file descriptor per ring, so that
 * each ring is synced by the one worker that owns it. Netmap shares one memory
 * region (rings and 2 KB buffers) between the kernel and every process that
 * opens a port in it; ports in the same region can exchange buffers.
 *
 * Zero copy (the paper's §4.2, netmap_bufs.c): each engine holds a set of
 * netmap buffers in the region of its first port (extra buffers, allocated by
 * registering a memory-only "null" port), each one paired with a packet
 * metadata header. Receiving swaps the buffer of a filled RX slot for the
 * spare buffer of a free metadata: the packet is the netmap buffer, the ring
 * gets an empty one back, nothing is copied. Sending a packet that is such a
 * buffer, to a port in the same region, swaps it into the TX slot and takes
 * the slot's sent buffer back. Every other case copies: COPY mode, ports in
 * another region, engine packets (InfiniteSource, FromDump, ...), shared
 * clones, and receiving when all the set's metadata are in use.
 *
 * The engine opens every port it names after the first one in the first one's
 * region (nr_mem_id), unless the port name chooses one (@N, @share=...); a
 * port already open elsewhere keeps its own region, and the handlers say so.
 *
 * Without PL_HAVE_NETMAP (no netmap headers and libnetmap at build time)
 * only pl_netmap_require() exists, and it fails with the message below.
 */
#ifndef PL_IO_NETMAP_H
#define PL_IO_NETMAP_H

#include "io.h"

#define PL_NO_NETMAP_MSG \
    "pktlab was built without netmap (make native builds it from the netmap source in " \
    "../shared/third_party; docs/io.md)"

#define PL_NM_MAXQ 64               /* rings per port pktlab uses */
#define PL_NM_DEFAULT_EXTRA 4096    /* netmap buffers per engine (NetmapInfo EXTRA_BUFFER) */

/* 0 when netmap is built in and /dev/netmap exists; otherwise fills err. */
int pl_netmap_require(const pl_element *e, pl_error *err);

/* The first member of FromNetmapDevice's and ToNetmapDevice's state. */
typedef struct pl_netmap_elem {
    void *dev;                    /* the open port, NULL before configure */
    uint64_t ndesc;               /* NDESC: as configured, then as last written */
    int tx;
    uint64_t count_base, drop_base;   /* reset_counts */
} pl_netmap_elem;

/* Handlers both elements have (netmap_handlers.c). */
int pl_netmap_h_ndesc(pl_element *e, char *buf, size_t len);
int pl_netmap_h_ndesc_write(pl_element *e, const char *v, pl_error *err);
int pl_netmap_h_ndesc_change(pl_element *e, char *buf, size_t len);
int pl_netmap_h_ndesc_lost(pl_element *e, char *buf, size_t len);
int pl_netmap_h_buffers(pl_element *e, char *buf, size_t len);
int pl_netmap_h_mem(pl_element *e, char *buf, size_t len);
#define PL_NETMAP_HANDLERS(dir)                                                              \
    {.name = "ndesc", .doc = dir " ring size, read from the ring; writing it reopens the "   \
     "port with that many slots (ports this engine creates: VALE ports, pipes)",             \
     .read = pl_netmap_h_ndesc, .write = pl_netmap_h_ndesc_write},                          \
    {.name = "ndesc_lost", .doc = "packets lost over all NDESC changes", .read =             \
     pl_netmap_h_ndesc_lost},                                                               \
    {.name = "ndesc_change", .doc = "the last NDESC change: sizes, time the workers were "   \
     "parked, packets lost", .read = pl_netmap_h_ndesc_change},                              \
    {.name = "buffers", .doc = "the engine's netmap buffers: total, free, held by packets",  \
     .read = pl_netmap_h_buffers},                                                          \
    {.name = "mem", .doc = "netmap memory region of the port, and whether it is the "        \
     "engine's (zero copy) or not (copies)", .read = pl_netmap_h_mem}

#ifdef PL_HAVE_NETMAP
#define LIBNETMAP_NOTHREADSAFE
#include <libnetmap.h>

typedef struct pl_nm_set pl_nm_set;

/* One ring of a port, synced by one worker at a time. */
typedef struct pl_nm_queue {
    pl_io_queue h;
    struct nmport_d *d;
    struct netmap_ring *ring;
    int fd;
    uint16_t ringid;
    uint8_t tx, copy;             /* copy: COPY mode (RX into engine buffers) */
    uint8_t zc;                   /* the port is in the set's region: buffers swap */
    pl_nm_set *set;
    uint64_t copies, swaps;       /* owner thread: packets copied / swapped */
    uint64_t pkts;                /* packets taken from / put in the ring (owner thread) */
} pl_nm_queue;

uint32_t pl_nm_rx(void *queue, pl_ctx *ctx, pl_packet **batch, uint32_t max);
uint32_t pl_nm_tx(void *queue, pl_ctx *ctx, pl_packet **batch, uint32_t max);
/* Slots of q's ring holding packets not yet handed over (RX: received, not
 * read; TX: queued, not yet sent), after a sync. */
uint32_t pl_nm_ring_pending(pl_nm_queue *q);

/* ---- the engine's netmap buffers (netmap_bufs.c) ---- */

/* The set of engine `eng` in the region of the registered port d (created on
 * first use, `extra` buffers); one reference per call. */
pl_nm_set *pl_nm_set_get(const void *eng, struct nmport_d *d, uint32_t extra, int locked,
                         const pl_element *e, pl_error *err);
void pl_nm_set_put(pl_nm_set *s);
/* The set engine eng already has (NULL: none yet), for the next port's region. */
pl_nm_set *pl_nm_set_of(const void *eng);
uint16_t pl_nm_set_mem(const pl_nm_set *s);
void pl_nm_set_counts(const pl_nm_set *s, uint32_t *total, uint32_t *free_now);
/* Workers: take up to n free metadata (their indices) / give packets back. */
uint32_t pl_nm_set_take(pl_nm_set *s, uint32_t *m, uint32_t n);
void pl_nm_set_give(pl_nm_set *s, const uint32_t *m, uint32_t n);
/* Metadata m: its packet header and the netmap buffer it holds. */
pl_packet *pl_nm_set_meta(pl_nm_set *s, uint32_t m);
uint32_t *pl_nm_set_buf(pl_nm_set *s, uint32_t m);
/* The metadata index of p if p is one of s's packets, else -1. */
int64_t pl_nm_set_index(const pl_nm_set *s, const pl_packet *p);
uint8_t *pl_nm_set_bufaddr(const pl_nm_set *s, uint32_t idx);

/* ---- ports (netmap_port.c) ---- */
const char *pl_nm_dev_name(void *dev);
uint32_t pl_nm_dev_nqueues(void *dev);
uint32_t pl_nm_dev_first(void *dev);
uint32_t pl_nm_dev_ndesc(void *dev);
uint32_t pl_nm_dev_rings(void *dev);    /* rings of the port in this direction */
pl_nm_set *pl_nm_dev_set(void *dev);
/* Write handler of NDESC (netmap_handlers.c). */
int pl_nm_dev_resize(void *dev, const pl_element *e, const char *value, uint64_t *field,
                     pl_error *err);
uint64_t pl_nm_dev_ndesc_lost(void *dev);
int pl_nm_dev_ndesc_change(void *dev, char *buf, size_t len);
#endif

extern const pl_io_ops pl_io_netmap;

#endif
