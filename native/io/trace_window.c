/* FromDump's record selection: time window and sampling (see trace_window.h). */
#include "trace_window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Round to the nearest integer (no libm). */
static int64_t nearest(double x) { return (int64_t)(x + (x >= 0 ? 0.5 : -0.5)); }

int pl_parse_epoch_ns(const char *s, int64_t *ns)
{
    const char *p = s;
    int neg = *p == '-';
    if (neg || *p == '+')
        p++;
    if (!(*p >= '0' && *p <= '9') && *p != '.')
        return -1;
    int64_t sec = 0, frac = 0;
    int digits = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (sec > 9000000000LL)
            return -1;
        sec = sec * 10 + (*p - '0');
    }
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            if (digits < 9) {
                frac = frac * 10 + (*p - '0');
                digits++;
            }
    if (*p == 's')
        p++;
    if (*p)
        return -1;
    while (digits++ < 9)
        frac *= 10;
    *ns = (neg ? -1 : 1) * (sec * 1000000000LL + frac);
    return 0;
}

int pl_trace_window_init(pl_trace_window *w, const char *start, double start_after,
                         const char *end, double end_after, double interval, double sample,
                         const pl_element *e, pl_error *err)
{
    memset(w, 0, sizeof *w);
    w->rng = 0x9e3779b97f4a7c15ull ^ (uint64_t)(uintptr_t)e;
    if (sample < 0 || sample > 1)
        return pl_seterr(err, PL_ERR_CONFIG, e, "SAMPLE",
                         "SAMPLE: a probability between 0 and 1, got %g", sample);
    w->prob = (uint32_t)nearest(sample * (double)(1u << PL_SAMPLING_SHIFT));
    if (start && start_after)
        return pl_seterr(err, PL_ERR_CONFIG, e, "START",
                         "START and START_AFTER are mutually exclusive");
    if ((end != NULL) + (end_after != 0) + (interval != 0) > 1)
        return pl_seterr(err, PL_ERR_CONFIG, e, "END",
                         "END, END_AFTER, and INTERVAL are mutually exclusive");
    if (start) {
        if (pl_parse_epoch_ns(start, &w->first))
            return pl_seterr(err, PL_ERR_CONFIG, e, "START",
                             "START: expected seconds since the epoch, got '%s'", start);
        w->have_first = 1;
    } else if (start_after) {
        w->first = nearest(start_after * 1e9);
        w->have_first = w->first_rel = 1;
    } else {
        w->first_rel = 1;
    }
    if (end) {
        if (pl_parse_epoch_ns(end, &w->last))
            return pl_seterr(err, PL_ERR_CONFIG, e, "END",
                             "END: expected seconds since the epoch, got '%s'", end);
        w->have_last = 1;
    } else if (end_after) {
        w->last = nearest(end_after * 1e9);
        w->have_last = w->last_rel = 1;
    } else if (interval) {
        w->last = nearest(interval * 1e9);
        w->have_last = w->last_interval = 1;
    }
    w->any_end = w->have_last;
    return 0;
}

/* The first record's time makes the relative times absolute (Click's prepare_times). */
static void prepare(pl_trace_window *w, int64_t ts)
{
    if (w->first_rel)
        w->first += ts;
    if (w->last_rel)
        w->last += ts;
    else if (w->last_interval)
        w->last += w->first;
    w->have_times = 1;
}

int pl_trace_window_check(pl_trace_window *w, uint64_t ts_u)
{
    int64_t ts = (int64_t)ts_u;
    if (!w->have_times)
        prepare(w, ts);
    if (w->have_first) {
        if (ts < w->first)
            return PL_TW_SKIP;
        w->have_first = 0;
    }
    if (w->have_last && ts >= w->last) {
        w->have_last = 0;
        return PL_TW_END;
    }
    return PL_TW_EMIT;
}

int pl_trace_window_sample(pl_trace_window *w)
{
    if (w->prob >= 1u << PL_SAMPLING_SHIFT)
        return 1;
    /* xorshift64*: a draw per record, no lock, no system call */
    w->rng ^= w->rng >> 12;
    w->rng ^= w->rng << 25;
    w->rng ^= w->rng >> 27;
    uint64_t r = w->rng * 0x2545f4914f6cdd1dull;
    return (uint32_t)(r >> 36) < w->prob;
}

int pl_trace_window_extend(pl_trace_window *w, int64_t ns)
{
    if (!w->any_end)
        return 0;
    w->last += ns;
    w->have_last = 1;
    return 1;
}

void pl_trace_window_reset_timing(pl_trace_window *w)
{
    w->first_rel = w->last_rel = w->last_interval = 0;
    w->have_times = 0;
}

int pl_trace_window_prob_text(const pl_trace_window *w, char *buf, size_t len)
{
    const double one = (double)(1u << PL_SAMPLING_SHIFT);
    uint32_t x = w->prob;
    if (x % (1u << PL_SAMPLING_SHIFT) == 0)
        return pl_fmt(buf, len, "%u", x >> PL_SAMPLING_SHIFT);
    /* The shortest decimal that reads back as the same fixed-point value. */
    for (int d = 1; d < 12; d++) {
        char t[32];
        snprintf(t, sizeof t, "%.*f", d, x / one);
        if ((uint32_t)nearest(strtod(t, NULL) * one) == x)
            return pl_fmt(buf, len, "%s", t);
    }
    return pl_fmt(buf, len, "%.10f", x / one);
}
