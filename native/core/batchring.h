/*
 * Per-thread batch rings: Pipeliner(BATCHES true)'s handoff. As pl_rings
 * (rings.h), one single-producer/single-consumer ring per worker that may
 * push, but a slot holds a whole batch: the producer writes one slot per
 * batch, not one per packet, and the consumer joins batches in O(1) instead
 * of relinking every packet. CAPACITY still counts packets (a packet count
 * beside each ring's batch indices); a batch that does not fit whole is
 * split, the part that fits queued. The producer also writes each packet's
 * address in a ring of its own (contiguous stores into lines it owns), so
 * that the consumer can prefetch a whole batch at once instead of missing
 * on every link of it in turn; it never relinks a packet.
 */
#ifndef PL_BATCHRING_H
#define PL_BATCHRING_H

#include "element.h"

typedef struct pl_bring {
    _Alignas(64) _Atomic uint64_t head;      /* batches put (producer writes) */
    _Atomic uint64_t head_pkts;              /* packets put */
    uint64_t tail_pkts_seen;                 /* producer's last look at tail_pkts */
    _Alignas(64) _Atomic uint64_t tail;      /* batches taken (consumer writes) */
    _Atomic uint64_t tail_pkts;              /* packets taken (a split batch: part of one) */
    _Alignas(64) pl_packet **slot;
    pl_packet **pkt;                         /* packet k of the ring at pkt[k & mask]: the
                                                consumer prefetches a batch through it */
} pl_bring;

typedef struct pl_brings {
    pl_bring *ring;
    int n;
    uint64_t mask;
    uint64_t cap;                            /* packets a ring holds at most */
    int next;                                /* consumer: ring to start from */
    _Atomic(pl_packet *) carry;              /* handed over by live change */
} pl_brings;

int pl_brings_init(pl_brings *r, pl_element *e, uint64_t capacity, pl_error *err);
void pl_brings_destroy(pl_brings *r, pl_element *e, int counter);
/* Producer (worker tid): queue b; what does not fit is returned (or NULL).
 * With `wait`, spin for room while `*stop` stays 0. */
pl_packet *pl_brings_put(pl_brings *r, int tid, pl_packet *b, int wait, _Atomic int *stop);
/* Consumer: up to max packets as one batch, or NULL. */
pl_packet *pl_brings_get(pl_brings *r, uint32_t max);
uint64_t pl_brings_count(pl_brings *r);
/* Workers parked or stopped: every packet, oldest first. */
pl_packet *pl_brings_take_all(pl_brings *r);

#endif
