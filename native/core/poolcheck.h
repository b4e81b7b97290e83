/*
 * What the fuzzing build sees of the pools (docs/robustness.md).
 *
 * PL_FUZZ_ACCOUNT (native/fuzz/ only) counts in pl_fuzz_deaths the packets
 * freed after they passed an edge of the graph, so that the harness can check
 * that each of them was counted by a drop counter (packets an element makes
 * and frees before they leave it, such as fragments it could not finish, are
 * no packets of the graph).
 */
#ifndef PL_POOLCHECK_H
#define PL_POOLCHECK_H

#include <stdint.h>

#ifdef PL_FUZZ_ACCOUNT
/* A packet that passed an edge carries a mark until it is freed; freeing a
 * marked packet is a death, and every death must show in a drop counter. */
extern uint64_t pl_fuzz_deaths;
#define PL_FUZZ_RESET(p) ((p)->_pad = 0)
#define PL_FUZZ_EMIT(b)                                                  \
    do {                                                                 \
        for (pl_packet *q_ = (b); q_; q_ = q_->next)                    \
            q_->_pad |= 1;                                               \
    } while (0)
#define PL_FUZZ_DEATH(p)                                                 \
    do {                                                                 \
        if ((p)->_pad & 1) {                                             \
            (p)->_pad &= (uint16_t)~1u;                                  \
            pl_fuzz_deaths++;                                            \
        }                                                                \
    } while (0)
#define PL_FUZZ_DEATHS(b)                                                \
    do {                                                                 \
        for (pl_packet *q_ = (b); q_; q_ = q_->next)                    \
            PL_FUZZ_DEATH(q_);                                           \
    } while (0)
#else
#define PL_FUZZ_RESET(p) ((void)0)
#define PL_FUZZ_EMIT(b) ((void)0)
#define PL_FUZZ_DEATH(p) ((void)0)
#define PL_FUZZ_DEATHS(b) ((void)0)
#endif

#endif
