/* FromDump's state, shared by the class (from_dump.c) and its handlers
 * (from_dump_handlers.c). */
#ifndef PL_FROM_DUMP_H
#define PL_FROM_DUMP_H

#include "../../io/dump_reader.h"

typedef struct {
    char *file;
    uint8_t stop, timing, active, force_ip, mmap;
    uint64_t burst;
    double sample, start_after, end_after, interval;
    char *start, *end, *end_call;
    uint64_t filepos_arg;
    int end_stop;                     /* END_CALL is a stop (STOP true, NAME.stop, stop) */
    int end_inactive;                 /* END_CALL sets active false */
    pl_dump d;
    pl_packet *due;                   /* read, waiting for its time (TIMING) */
    uint8_t *saved;                   /* `due` across a stop: its bytes, length, time */
    uint32_t saved_len, saved_cap;
    int has_saved;
    uint64_t saved_ts;
    uint64_t t0_wall, t0_file;        /* TIMING: when the first packet went, its timestamp */
    int started, logged;
    _Atomic uint64_t count_base;      /* reset_counts */
} fdump_state;

enum { C_TOOLONG, C_NONIP, C_SENT, C_NOBUFS, C_SKIPPED };

extern const pl_handler pl_from_dump_handlers[];

#endif
