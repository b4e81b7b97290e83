/*
 * Per-thread rings of packet copies, drained from the control side: one
 * producer (the worker thread that owns the ring) and one consumer (the
 * control side, serialized by memio.c), lock-free; the producer publishes
 * its head once per batch. Capture uses them (ToMemory has its own).
 */
#ifndef PL_PKTRING_H
#define PL_PKTRING_H

#include "../core/element.h"

typedef struct pl_pktring {
    _Alignas(64) _Atomic uint64_t head;    /* written by the worker */
    uint64_t tail_cache;
    _Alignas(64) _Atomic uint64_t tail;    /* written by the control side */
    pl_pkt_meta *meta;
    uint8_t *data;                         /* capacity x snaplen */
} pl_pktring;

typedef struct pl_pktrings {
    int n;
    uint64_t capacity, snaplen;
    pl_pktring *r;
} pl_pktrings;

int pl_pktrings_init(pl_pktrings *rs, int nthreads, uint64_t capacity, uint64_t snaplen);
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
