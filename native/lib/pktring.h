/*
 * Per-thread rings of packet copies, drained from the control side: one
 * producer (the worker thread that owns the ring) and one consumer (the
 * control side, serialized by memio.c), lock-free; the producer publishes
 * its head once per batch. ToMemory and Capture use them.
 *
 * Each ring holds up to `capacity` records and `bytes` bytes of packet data,
 * stored back to back (a record that would straddle the end starts over at
 * the beginning), so that a ring for 64 KB packets costs what its packets
 * need, not capacity x 64 KB.
 */
#ifndef PL_PKTRING_H
#define PL_PKTRING_H

#include "../core/element.h"

typedef struct pl_pktring_slot {
    pl_pkt_meta m;
    uint64_t pos;                          /* byte position of its data */
} pl_pktring_slot;

typedef struct pl_pktring {
    _Alignas(64) _Atomic uint64_t head;    /* records written (the worker) */
    uint64_t tail_cache, bytes_tail_cache; /* the worker's last view of the tails */
    uint64_t bytes_head;                   /* where the next record's data goes */
    _Alignas(64) _Atomic uint64_t tail;    /* records taken (the control side) */
    _Atomic uint64_t bytes_tail;           /* data taken up to here */
    pl_pktring_slot *slot;
    uint8_t *data;
} pl_pktring;

typedef struct pl_pktrings {
    int n;
    uint64_t capacity, snaplen, bytes;
    pl_pktring *r;
} pl_pktrings;

/* bytes 0: capacity x 2 KB, and at least two packets of snaplen bytes. */
/* The data bytes pl_pktrings_init takes per thread for these arguments
 * (bytes 0: 2 KB a packet, at least two snaplens), saturating at
 * UINT64_MAX: what a configuration check compares to PL_RING_BYTES_MAX. */
static inline uint64_t pl_pktrings_bytes(uint64_t capacity, uint64_t snaplen, uint64_t bytes)
{
    if (bytes)
        return bytes;
    if (capacity > UINT64_MAX / 2048 || snaplen > UINT64_MAX / 2)
        return UINT64_MAX;
    return capacity * 2048 > 2 * snaplen ? capacity * 2048 : 2 * snaplen;
}
int pl_pktrings_init(pl_pktrings *rs, int nthreads, uint64_t capacity, uint64_t snaplen,
                     uint64_t bytes);
void pl_pktrings_free(pl_pktrings *rs);
/* Copy every `every`-th packet of b (counting from *phase) into thread tid's
 * ring; returns how many were stored, *missed how many found the ring full. */
uint32_t pl_pktring_put(pl_pktrings *rs, int tid, const pl_packet *b, uint64_t every,
                        uint64_t *phase, uint32_t *missed);
/* The control side: as pl_element_drain. */
int pl_pktrings_drain(pl_pktrings *rs, uint8_t *data, size_t cap, pl_pkt_meta *meta,
                      uint32_t maxn, uint32_t *got);
uint64_t pl_pktrings_pending(const pl_pktrings *rs);

#endif
