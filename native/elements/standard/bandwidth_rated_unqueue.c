/* BandwidthRatedUnqueue: pulls packets at a bandwidth and pushes them (Click's). */
#include "rated_unqueue.h"

static int bru_configure(pl_element *e, pl_error *err) { return pl_runq_configure(e, 1, err); }

static const pl_param params[] = {PL_RATE_PARAMS(runq_state, 1), PL_RUNQ_EXTRA_PARAMS, {0}};

static const pl_class bandwidth_rated_unqueue = {
    .name = "BandwidthRatedUnqueue",
    .ports = "1/1",
    .processing = "l/h",
    .doc = "BandwidthRatedUnqueue(RATE [, KEYWORDS])\n"
           "Pulls packets at a bandwidth and pushes them out.\n\n"
           "As RatedUnqueue, with RATE a bandwidth (10Mbps, 2MBps) and a bucket of\n"
           "bytes: it pulls while the bucket holds 128 KiB (Click's threshold) and\n"
           "takes each batch's bytes out; a batch that carries more bytes than the\n"
           "bucket held is paid back from the refills before the next pull, so the\n"
           "bandwidth holds at any BURST. BURST_BYTES sets the bucket's size. Sleeps\n"
           "on a timer when out of tokens and while its queues are empty. RATE is live.\n"
           "Counters: count. Handlers: calls, count.\n\n"
           "Example: src -> Queue -> BandwidthRatedUnqueue(100Mbps) -> ToDevice(eth0);",
    .state_size = sizeof(runq_state),
    .params = params,
    .handlers = pl_runq_handlers,
    .counters = pl_runq_counters,
    .configure = bru_configure,
    .initialize = pl_runq_initialize,
    .run_task = pl_runq_run,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(bandwidth_rated_unqueue);
