/*
 * Which records of a trace FromDump emits, as Click's FromDump chooses them:
 * a time window (START or START_AFTER; END, END_AFTER or INTERVAL) and a
 * sampling probability (SAMPLE, in Click's 28-bit fixed point).
 */
#ifndef PL_IO_TRACE_WINDOW_H
#define PL_IO_TRACE_WINDOW_H

#include "../core/element.h"

#define PL_SAMPLING_SHIFT 28

typedef struct pl_trace_window {
    int64_t first, last;          /* ns since the epoch once the first record set them */
    uint8_t have_first, have_last, first_rel, last_rel, last_interval, have_times;
    uint8_t any_end;              /* an END of some kind was given */
    uint32_t prob;                /* SAMPLE; 1 << PL_SAMPLING_SHIFT: every record */
    uint64_t rng;
} pl_trace_window;

/* The keywords' values (start, end: absolute times as text, or NULL; the
 * relative ones in seconds, 0 if not given). Errors name e and the keyword. */
int pl_trace_window_init(pl_trace_window *w, const char *start, double start_after,
                         const char *end, double end_after, double interval, double sample,
                         const pl_element *e, pl_error *err);

enum { PL_TW_EMIT, PL_TW_SKIP, PL_TW_END };
/* A record stamped ts: emit it, skip it (before START), or END reached (the
 * caller runs its END_CALL and, if it is still active, asks again). */
int pl_trace_window_check(pl_trace_window *w, uint64_t ts);
/* Whether a record survives SAMPLE (draws a number when sampling). */
int pl_trace_window_sample(pl_trace_window *w);
/* extend_interval: END moves by ns; 0 if there is no END to move. */
int pl_trace_window_extend(pl_trace_window *w, int64_t ns);
/* reset_timing: the times given are absolute from now on (Click's). */
void pl_trace_window_reset_timing(pl_trace_window *w);
/* SAMPLE as Click's sampling_prob handler prints it. */
int pl_trace_window_prob_text(const pl_trace_window *w, char *buf, size_t len);
/* "SECONDS[.FRACTION]" since the epoch to ns; 0, or -1 if malformed. */
int pl_parse_epoch_ns(const char *s, int64_t *ns);

#endif
