/*
 * What sanitizer and fuzzing builds see of the pools (docs/robustness.md).
 *
 * Under AddressSanitizer a free buffer is poisoned whole (metadata and data
 * area) and every buffer is followed by a poisoned red zone, so a read past a
 * packet's buffer or of a freed packet is reported where it happens instead
 * of landing silently in the next buffer of the slab. Other builds: nothing.
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

#if defined(__SANITIZE_ADDRESS__)
#define PL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PL_ASAN 1
#endif
#endif

#ifdef PL_ASAN
#include <sanitizer/asan_interface.h>
#define PL_POOL_REDZONE 64
#define PL_POOL_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define PL_POOL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define PL_POOL_REDZONE 0
#define PL_POOL_POISON(p, n) ((void)(p), (void)(n))
#define PL_POOL_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

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
