/* LinkUnqueue: pulls packets and pushes them as a link of LATENCY and BANDWIDTH would
 * deliver them (Click's). */
#include "../../core/anno.h"
#include "../../core/element.h"
#include "../../lib/timestamp.h"

/* Packets still held when the element goes away (a drop reason). */
enum { C_CLEARED };
static const char *const counters[] = {"cleared", NULL};

typedef struct {
    double latency;               /* seconds */
    double bandwidth;             /* bytes per second */
    uint32_t bw100;               /* Click's: bandwidth / 100 */
    pl_packet *head, *tail;       /* on the link, by delivery time (their timestamps) */
    uint64_t n;
    int back_to_back;
    pl_timer timer;
    pl_signal_slot upstream;
} lu_state;

static int lu_configure(pl_element *e, pl_error *err)
{
    lu_state *s = PL_STATE(e, lu_state);
    if (s->bandwidth < 100)
        return pl_seterr(err, PL_ERR_CONFIG, e, "BANDWIDTH",
                         "bandwidth too small, minimum 100Bps");
    s->bw100 = (uint32_t)(s->bandwidth / 100);
    return 0;
}

static int lu_initialize(pl_element *e, pl_error *err)
{
    lu_state *s = PL_STATE(e, lu_state);
    pl_timer_init(&s->timer, e, pl_timer_wake_task, NULL);
    return pl_listen(e, PL_NOTE_EMPTY, 0, &s->upstream, pl_task_wake, err);
}

static void lu_cleanup(pl_element *e)
{
    lu_state *s = PL_STATE(e, lu_state);
    while (s->head) {
        pl_packet *p = s->head;
        s->head = p->next;
        pl_packet_free_ctl(e, C_CLEARED, p);
    }
    s->tail = NULL;
    s->n = 0;
}

/* Click's delay_by_bandwidth: the time the packet's last bit leaves. */
static void delay_by_bandwidth(lu_state *s, pl_packet *p, int64_t from)
{
    uint32_t length = p->len + pl_anno_u32(p, PL_ANNO_EXTRA_LENGTH);
    uint32_t delay_us = (uint32_t)(length * 10000u) / s->bw100;
    pl_ts_set(&p->timestamp, pl_ts_add(from, (int64_t)delay_us * 1000));
}

static uint32_t lu_run(pl_element *e, pl_ctx *ctx)
{
    lu_state *s = PL_STATE(e, lu_state);
    int64_t now = (int64_t)pl_engine_realtime_ns(e->eng), lat;
    if (pl_ts_from_sec_checked(s->latency, &lat))
        lat = 0;
    int64_t now_delayed = now + lat;
    uint32_t worked = 0;
    while (!s->tail || pl_ts_get(&s->tail->timestamp) <= now_delayed) {
        pl_packet *p = pl_input_pull(ctx, e, 0, 1);
        if (!p) {
            s->back_to_back = 0;
            break;
        }
        if (p->next) {                    /* one asked, one taken; never more */
            pl_batch_free(ctx->pool, p->next);
            p->next = NULL;
        }
        if (s->tail) {
            s->tail->next = p;
            delay_by_bandwidth(s, p, s->back_to_back ? pl_ts_get(&s->tail->timestamp) : now_delayed);
        } else {
            s->head = p;
            delay_by_bandwidth(s, p, now_delayed);
        }
        s->tail = p;
        p->next = NULL;
        s->n++;
        s->back_to_back = 1;
        worked++;
    }
    while (s->head && pl_ts_get(&s->head->timestamp) <= now) {
        pl_packet *p = s->head;
        s->head = p->next;
        if (!s->head)
            s->tail = NULL;
        p->next = NULL;
        p->b_count = 1, p->b_tail = p, p->b_bytes = p->len;
        s->n--;
        pl_output(ctx, e, 0, p);
        worked++;
    }
    int signal = pl_signal_active(pl_signal_get(&s->upstream));
    if (s->head) {
        int64_t expiry = pl_ts_get(&s->head->timestamp);
        if (signal && pl_ts_get(&s->tail->timestamp) - lat < expiry)
            expiry = pl_ts_get(&s->tail->timestamp) - lat;
        if (expiry > now) {
            pl_timer_schedule_at(&s->timer, pl_engine_now_ns(e->eng) + (uint64_t)(expiry - now));
            pl_task_sleep(e);
        }
    } else if (!signal) {
        pl_task_sleep(e);
        if (pl_signal_active(pl_signal_get(&s->upstream)))
            pl_task_wake(e);
    }
    return worked;
}

static int read_size(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)PL_STATE(e, lu_state)->n);
}

static uint64_t lu_length(pl_element *e) { return PL_STATE(e, lu_state)->n; }

static const pl_param params[] = {
    {"LATENCY", PL_T_TIME, offsetof(lu_state, latency), NULL, 0, 4e9,
     PL_P_POSITIONAL | PL_P_REQUIRED, "the link's latency"},
    {"BANDWIDTH", PL_T_BANDWIDTH, offsetof(lu_state, bandwidth), NULL, 0, 1e12,
     PL_P_POSITIONAL | PL_P_REQUIRED, "the link's bandwidth (at least 100Bps)"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "size", .doc = "packets on the link", .read = read_size},
    {0}};

static const pl_class link_unqueue = {
    .name = "LinkUnqueue",
    .ports = "1/1",
    .processing = "l/h",
    .doc = "LinkUnqueue(LATENCY, BANDWIDTH)\n"
           "Simulates a link: pulls packets and pushes them when they would arrive.\n\n"
           "Pulls packets while the link has room (as long as the last one is due\n"
           "within LATENCY), gives each the time its last bit arrives (LATENCY, plus\n"
           "its length, with the extra-length annotation, at BANDWIDTH, back to back\n"
           "after the one before) as its timestamp, and pushes it at that time, as\n"
           "Click's LinkUnqueue (the same integer microsecond arithmetic). A timer wakes\n"
           "it (on the engine clock: --simtime makes it virtual); it sleeps while the\n"
           "upstream queue is empty. Handlers: size.\n\n"
           "Example: src -> Queue -> LinkUnqueue(5ms, 100kbps) -> sink;",
    .state_size = sizeof(lu_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .handlers = handlers,
    .configure = lu_configure,
    .initialize = lu_initialize,
    .cleanup = lu_cleanup,
    .run_task = lu_run,
    .sources = PL_S_NONE,
    .storage_length = lu_length,
    .traits = PL_C_BOUNDARY,
};
PL_REGISTER_CLASS(link_unqueue);
