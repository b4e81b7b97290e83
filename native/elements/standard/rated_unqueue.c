/* RatedUnqueue: pulls packets at a rate and pushes them (Click's); its task is
 * shared with BandwidthRatedUnqueue. */
#include "rated_unqueue.h"

#include <stdio.h>

enum { C_COUNT };
const char *const pl_runq_counters[] = {"count", NULL};

int pl_runq_configure(pl_element *e, int bandwidth, pl_error *err)
{
    runq_state *s = PL_STATE(e, runq_state);
    int64_t cap = pl_rate_capacity(e, &s->rc, bandwidth, err);
    if (cap < 0)
        return err->status;
    s->bandwidth = bandwidth;
    pl_tb_hz(&s->tb, PL_RUNQ_HZ);
    pl_tb_assign(&s->tb, (uint64_t)s->rc.rate, (uint64_t)cap);
    s->applied = s->rc.rate;
    return 0;
}

int pl_runq_initialize(pl_element *e, pl_error *err)
{
    runq_state *s = PL_STATE(e, runq_state);
    pl_timer_init(&s->timer, e, pl_timer_wake_task, NULL);
    return pl_listen(e, PL_NOTE_EMPTY, 0, &s->signal, pl_task_wake, err);
}

static void bump(_Atomic uint64_t *c) { atomic_fetch_add_explicit(c, 1, memory_order_relaxed); }

/* Click's run_task: while the bucket has a token (a packet's worth of
 * bandwidth), pull and push; out of tokens, sleep until the timer says
 * there is one; nothing to pull and the queues empty, sleep until they fill. */
uint32_t pl_runq_run(pl_element *e, pl_ctx *ctx)
{
    runq_state *s = PL_STATE(e, runq_state);
    bump(&s->runs);
    if (!PL_LIVE(s->active)) {
        pl_task_sleep(e);
        return 0;
    }
    pl_rate_follow(e, &s->rc, &s->tb, &s->applied, s->bandwidth);
    pl_tb_refill(&s->tb, pl_engine_now_ns(e->eng));
    uint64_t need = s->bandwidth ? PL_TB_BANDWIDTH_THRESH : 1;
    if (!pl_tb_contains(&s->tb, need)) {
        uint64_t wait = pl_tb_time_until(&s->tb, need);
        if (wait != UINT64_MAX)
            pl_timer_schedule_after(&s->timer, wait);
        bump(&s->empty_runs);
        pl_task_sleep(e);
        return 0;
    }
    uint64_t max = ctx->per_packet ? 1 : PL_LIVE(s->burst);
    pl_packet *b;
    if (!s->bandwidth) {
        uint64_t have = pl_tb_size(&s->tb);
        if (max > have)
            max = have;
        b = pl_input_pull(ctx, e, 0, (uint32_t)max);
        if (b)
            pl_tb_remove(&s->tb, b->b_count);
    } else {
        /* A packet's length is known only once it is pulled: pull one at a
         * time while the bucket holds the threshold, as Click's run_task does
         * per run, and push what was pulled as one batch. */
        b = NULL;
        for (uint64_t k = 0; k < max && pl_tb_contains(&s->tb, need); k++) {
            pl_packet *p = pl_input_pull(ctx, e, 0, 1);
            if (!p)
                break;
            pl_tb_remove(&s->tb, p->b_bytes);
            pl_batch_join(&b, p);
        }
    }
    if (!b) {
        bump(&s->failed_pulls);
        bump(&s->empty_runs);
        pl_task_sleep_unless(e, &s->signal);
        return 0;
    }
    uint32_t n = b->b_count;
    bump(&s->pushes);
    pl_count(ctx, e, C_COUNT, n);
    pl_output(ctx, e, 0, b);
    return n;
}

static int read_calls(pl_element *e, char *buf, size_t len)
{
    runq_state *s = PL_STATE(e, runq_state);
    return pl_fmt(buf, len, "%llu calls to run_task()\n%llu empty runs\n%llu pushes\n"
                  "%llu failed pulls\n", (unsigned long long)atomic_load(&s->runs),
                  (unsigned long long)atomic_load(&s->empty_runs),
                  (unsigned long long)atomic_load(&s->pushes),
                  (unsigned long long)atomic_load(&s->failed_pulls));
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_COUNT));
}

const pl_handler pl_runq_handlers[] = {
    {"calls", "runs, empty runs, pushes and failed pulls (Click's)", read_calls, NULL},
    {"count", "packets moved", read_count, NULL},
    {0}};
static int ru_configure(pl_element *e, pl_error *err) { return pl_runq_configure(e, 0, err); }

static const pl_param params[] = {PL_RATE_PARAMS(runq_state, 0), PL_RUNQ_EXTRA_PARAMS, {0}};

static const pl_class rated_unqueue = {
    .name = "RatedUnqueue",
    .ports = "1/1",
    .processing = "l/h",
    .doc = "RatedUnqueue(RATE [, KEYWORDS])\n"
           "Pulls packets at a rate and pushes them out.\n\n"
           "A token bucket of RATE packets per second, holding BURST_DURATION worth of\n"
           "tokens (20 ms by default) or BURST_SIZE packets, as Click's. Its task pulls\n"
           "while the bucket has tokens (up to BURST a run, one in per-packet mode);\n"
           "when it is out of tokens it sleeps on a timer until the next token, and\n"
           "when its queues are empty until they fill: an idle RatedUnqueue costs no\n"
           "CPU. RATE is live (handler rate).\n"
           "Counters: count. Handlers: calls (Click's run statistics), count.\n\n"
           "Example: src -> Queue -> RatedUnqueue(1000) -> ToDevice(eth0);",
    .state_size = sizeof(runq_state),
    .params = params,
    .handlers = pl_runq_handlers,
    .counters = pl_runq_counters,
    .configure = ru_configure,
    .initialize = pl_runq_initialize,
    .run_task = pl_runq_run,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(rated_unqueue);
