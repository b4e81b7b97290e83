/*
 * The datagram table of IPReassembler: datagrams being rebuilt, each one
 * packet q holding its header (the first fragment's once it came) and its
 * payload so far at the fragments' offsets.
 *
 * The parts received form a sorted list of chunks [off, lastoff): the first
 * is in the slot, each next one is written in the hole that follows the
 * chunk before it (4 bytes at payload + lastoff; holes between fragments are
 * at least 8 bytes), so the list costs no memory beyond q (Click's scheme).
 * The last chunk always ends at the payload length. Slots and the 256 hash
 * chains (by IP ID, as Click's) are allocated once, at configure time.
 */
#ifndef PL_IPREASM_H
#define PL_IPREASM_H

#include "netpkt.h"

#include <stdatomic.h>

#define RA_NMAP 256
#define RA_MEM_PER 40            /* bytes charged per datagram besides its payload */

typedef struct {
    uint16_t off, lastoff;
} ra_chunk;

typedef struct {
    pl_packet *q;                /* NULL: free */
    int32_t next;                /* hash chain or free list */
    ra_chunk first;
    uint32_t tlen;               /* payload bytes q holds (its transport length) */
    int64_t sec;                 /* the timestamp (seconds) the timeout counts from */
} ra_slot;

typedef struct {
    ra_slot *slots;
    uint32_t nslots;
    int32_t free_slot;
    int32_t map[RA_NMAP];
    uint64_t mem_high, mem_low;
    _Atomic uint64_t mem_used;   /* written by the data path, read by handlers */
    _Atomic uint32_t pending;
} ra_table;

/* Slots for HIMEM bytes (each datagram costs at least RA_MEM_PER + 8). 0 or -1. */
int ra_table_init(ra_table *t, uint64_t himem);
/* Free the table; the datagrams still held go to pl_packet_free_ctl(e, counter). */
void ra_table_destroy(ra_table *t, pl_element *e, int counter);

static inline uint8_t *ra_payload(const pl_packet *q)
{
    uint8_t *ip = pl_net_header(q);
    return ip + pl_ip_hl(ip);
}

static inline int ra_bucket(const uint8_t *ip)
{
    uint16_t id;
    memcpy(&id, ip + 4, 2);      /* as Click: the raw field modulo 256 */
    return id % RA_NMAP;
}

static inline uint64_t ra_mem_used(const ra_table *t)
{
    return atomic_load_explicit(&t->mem_used, memory_order_relaxed);
}

/* The link to the datagram of fragment `ip` (*link < 0: none). */
int32_t *ra_find(ra_table *t, const uint8_t *ip);
/* Hold q, a new datagram whose payload [off, lastoff) came, first in its
 * chain (as Click's). -1: no slot. */
int ra_add(ra_table *t, pl_packet *q, uint32_t off, uint32_t lastoff);
/* Forget the datagram at *link; returns its packet. */
pl_packet *ra_unlink(ra_table *t, int32_t *link);
/* The datagram's payload grew from its length to `len` (q already put). */
void ra_extend(ra_table *t, ra_slot *s, uint32_t len);
/* Record [a, z) as received (z <= tlen); the caller copies the bytes after.
 * -1 when an unaligned end would leave no room for a link (a bad fragment). */
int ra_add_chunk(ra_slot *s, uint32_t a, uint32_t z);
/* Datagrams older than `older_than` seconds, unlinked, as a batch (timeouts). */
pl_packet *ra_expire(ra_table *t, int64_t older_than);
/* Over HIMEM: datagrams at least 10 s old, then 5 s, then any, in bucket
 * order, until the memory is under 3/4 HIMEM (Click's order), as a batch. */
pl_packet *ra_evict(ra_table *t, int64_t now);

#endif
