/* RatedUnqueue and BandwidthRatedUnqueue: a task that pulls at a rate (Click's). */
#ifndef PL_ELEMENTS_RATED_UNQUEUE_H
#define PL_ELEMENTS_RATED_UNQUEUE_H

#include "rates.h"

/* Click's TokenBucket ticks in jiffies (CLICK_HZ 1000 at user level); so do
 * these buckets, so that their counts are Click's to the packet. */
#define PL_RUNQ_HZ 1000

typedef struct {
    pl_rate_conf rc;
    uint64_t burst;
    uint8_t active;
    pl_tb tb;
    double applied;
    pl_timer timer;
    pl_signal_slot signal;
    int bandwidth;
    _Atomic uint64_t runs, empty_runs, pushes, failed_pulls;
} runq_state;

int pl_runq_configure(pl_element *e, int bandwidth, pl_error *err);
int pl_runq_initialize(pl_element *e, pl_error *err);
uint32_t pl_runq_run(pl_element *e, pl_ctx *ctx);
extern const pl_handler pl_runq_handlers[];
extern const char *const pl_runq_counters[];

#define PL_RUNQ_EXTRA_PARAMS                                                                  \
    {"BURST", PL_T_UINT, offsetof(runq_state, burst), "32", 1, 4096, PL_P_LIVE,               \
     "packets pulled per run at most (per-packet mode: 1, as Click)"},                        \
    {"ACTIVE", PL_T_BOOL, offsetof(runq_state, active), "true", 0, -1, PL_P_LIVE,             \
     "whether it pulls"}

#endif
