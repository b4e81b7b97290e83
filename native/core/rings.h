/*
 * Per-thread packet rings: one single-producer/single-consumer ring per
 * worker that may push, drained by one consumer. The shared machinery of
 * Pipeliner and Queue: lock-free on both sides, packets change threads here.
 *
 * A `carry` batch holds packets handed over by live change (take_state):
 * published once by the control thread, consumed before the rings.
 */
#ifndef PL_RINGS_H
#define PL_RINGS_H

#include "element.h"

typedef struct pl_ring {
    _Alignas(64) _Atomic uint64_t head;      /* producer writes */
    uint64_t tail_seen;                      /* producer's last look at tail: reloaded
                                                only when the ring seems full, so the
                                                consumer's line is not read per packet */
    _Alignas(64) _Atomic uint64_t tail;      /* consumer writes */
    _Alignas(64) pl_packet **slot;
} pl_ring;

typedef struct pl_rings {
    pl_ring *ring;
    int n;
    uint64_t mask;
    _Atomic uint64_t cap;                    /* packets a ring holds at most (<= mask + 1) */
    int next;                                /* consumer: ring to start from (fairness) */
    _Atomic(pl_packet *) carry;
} pl_rings;

/* One ring of at least `capacity` slots per worker of e's engine. */
int pl_rings_init(pl_rings *r, pl_element *e, uint64_t capacity, pl_error *err);
/* Packets left inside are freed and counted under `counter` (a drop reason). */
void pl_rings_destroy(pl_rings *r, pl_element *e, int counter);

/* Producer (worker tid): enqueue the batch; what does not fit is returned
 * (a batch, or NULL). With `wait`, spin for room while `*stop` stays 0. */
pl_packet *pl_rings_put(pl_rings *r, int tid, pl_packet *b, int wait, _Atomic int *stop);
/* Consumer: dequeue up to max packets as one batch, or NULL. */
pl_packet *pl_rings_get(pl_rings *r, uint32_t max);
uint64_t pl_rings_count(pl_rings *r);
/* Control thread, old element quiescent: move its packets into `to`'s carry. */
void pl_rings_hand_over(pl_rings *from, pl_rings *to);
/* Packets in ring `tid` (the producer's view: exact on its own thread). */
uint64_t pl_rings_count_one(pl_rings *r, int tid);
/* With the workers parked: change every ring's capacity, growing the slots
 * as needed; packets beyond it (the newest) are returned as a batch. */
int pl_rings_set_capacity(pl_rings *r, uint64_t capacity, pl_packet **dropped);
/* With the workers parked (or none running): take every packet, oldest ring
 * position first. */
pl_packet *pl_rings_take_all(pl_rings *r);

#endif
