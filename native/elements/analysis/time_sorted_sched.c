/* TimeSortedSched: pulls from its inputs the packet with the earliest timestamp. */
#include "../../core/element.h"
#include "../../lib/timestamp.h"
#include "../standard/sched.h"

#include <stdlib.h>

typedef struct {
    pl_packet *p;
    int input;
} tss_slot;

typedef struct {
    uint8_t stop;
    uint64_t buffer;
    tss_slot *heap;               /* a min-heap on the timestamp, ninputs * BUFFER slots */
    int n;
    int *space;                   /* per input: packets it may still add */
    pl_signal_slot *signals;
    pl_notifier note;             /* it has packets (Click's empty notifier) */
    int64_t last;
    int have_last;
    _Atomic int well_ordered;
} tss_state;

static int before(const tss_slot *a, const tss_slot *b)
{
    return pl_ts_get(&a->p->timestamp) < pl_ts_get(&b->p->timestamp);
}

static void heap_push(tss_state *s, pl_packet *p, int input)
{
    int i = s->n++;
    s->heap[i] = (tss_slot){p, input};
    while (i > 0) {
        int up = (i - 1) / 2;
        if (!before(&s->heap[i], &s->heap[up]))
            break;
        tss_slot t = s->heap[i];
        s->heap[i] = s->heap[up];
        s->heap[up] = t;
        i = up;
    }
}

static tss_slot heap_pop(tss_state *s)
{
    tss_slot top = s->heap[0];
    s->heap[0] = s->heap[--s->n];
    for (int i = 0;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->n && before(&s->heap[l], &s->heap[m]))
            m = l;
        if (r < s->n && before(&s->heap[r], &s->heap[m]))
            m = r;
        if (m == i)
            break;
        tss_slot t = s->heap[i];
        s->heap[i] = s->heap[m];
        s->heap[m] = t;
        i = m;
    }
    return top;
}

static void wake_self(pl_element *e) { pl_notifier_wake(&PL_STATE(e, tss_state)->note); }

static int tss_initialize(pl_element *e, pl_error *err)
{
    tss_state *s = PL_STATE(e, tss_state);
    if (!s->buffer)
        return pl_seterr(err, PL_ERR_CONFIG, e, "BUFFER", "BUFFER must be at least 1");
    s->heap = calloc((size_t)e->ninputs * s->buffer, sizeof *s->heap);
    s->space = calloc((size_t)e->ninputs, sizeof *s->space);
    if (!s->heap || !s->space)
        return pl_seterr(err, PL_ERR_NOMEM, e, NULL, "out of memory");
    for (int i = 0; i < e->ninputs; i++)
        s->space[i] = (int)s->buffer;
    atomic_store(&s->well_ordered, 1);
    pl_notifier_init(&s->note, 1);
    if (pl_sched_listen(e, &s->signals, wake_self, err))
        return err->status;
    return pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->note, 0, err);
}

static void tss_cleanup(pl_element *e)
{
    tss_state *s = PL_STATE(e, tss_state);
    for (int i = 0; i < s->n; i++)
        pl_packet_free_ctl(e, -1, s->heap[i].p);
    s->n = 0;
    free(s->heap);
    free(s->space);
    free(s->signals);
    s->heap = NULL;
    s->space = NULL;
    s->signals = NULL;
}

/* Click's pull: fill each input's share of the buffer, then emit the earliest.
 * One packet per pull (the order is the point). */
static pl_packet *tss_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    (void)port, (void)max;
    tss_state *s = PL_STATE(e, tss_state);
    int signals_on = 0;
    for (int i = e->ninputs - 1; i >= 0; i--) {
        if (!s->space[i] || !pl_sched_input_active(s->signals, i))
            continue;
        signals_on = 1;
        while (s->space[i] > 0) {
            pl_packet *p = pl_input_pull(ctx, e, i, 1);
            if (!p)
                break;
            p->b_count = 1, p->b_tail = p, p->b_bytes = p->len;
            pl_packet *nx = p->next;
            p->next = NULL;
            heap_push(s, p, i);
            s->space[i]--;
            while (nx && s->space[i] > 0) {       /* a batch came: keep it all */
                pl_packet *q = nx;
                nx = q->next;
                q->next = NULL;
                heap_push(s, q, i);
                s->space[i]--;
            }
            if (nx)
                pl_batch_free(ctx->pool, nx);     /* cannot happen: max 1 */
        }
    }
    if (s->n > 0 || signals_on)
        pl_notifier_wake(&s->note);
    else
        pl_notifier_sleep(&s->note);
    if (!s->n) {
        if (s->stop && !signals_on)
            pl_engine_request_stop(e->eng);
        return NULL;
    }
    tss_slot top = heap_pop(s);
    int64_t t = pl_ts_get(&top.p->timestamp);
    if (t) {
        if (s->have_last && t < s->last)
            atomic_store(&s->well_ordered, 0);
        s->last = t, s->have_last = 1;
    }
    s->space[top.input]++;
    pl_packet *p = top.p;
    p->next = NULL;
    p->b_count = 1, p->b_tail = p, p->b_bytes = p->len;
    return p;
}

static int read_well_ordered(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s",
                  atomic_load(&PL_STATE(e, tss_state)->well_ordered) ? "true" : "false");
}

static const pl_handler handlers[] = {
    {.name = "well_ordered", .doc = "whether every packet emitted had a timestamp no "
     "earlier than the one before", .read = read_well_ordered, .flags = PL_H_CHECKBOX},
    {0}};

static const pl_param params[] = {
    {"STOP", PL_T_BOOL, offsetof(tss_state, stop), "false", 0, -1, 0,
     "stop the driver when every input is empty and no packet is left"},
    {"BUFFER", PL_T_UINT, offsetof(tss_state, buffer), "1", 0, 65536, 0,
     "packets held per input"},
    {0}};

static const pl_class time_sorted_sched = {
    .name = "TimeSortedSched",
    .ports = "-/1",
    .processing = "l/l",
    .doc = "TimeSortedSched([KEYWORDS STOP, BUFFER])\n"
           "Merges its inputs in timestamp order.\n\n"
           "Holds up to BUFFER packets from each input (pulling those whose upstream has\n"
           "packets) and answers each pull with the one with the earliest timestamp, one\n"
           "packet at a time, as Click's. If each input is sorted, so is the output;\n"
           "well_ordered says whether it was. STOP stops the driver once every input is\n"
           "empty and nothing is held.\n"
           "Handlers: well_ordered.\n\n"
           "Example: a :: FromIPSummaryDump(f1); b :: FromIPSummaryDump(f2);\n"
           "    a -> t :: TimeSortedSched(STOP true) -> ToIPSummaryDump(-); b -> [1] t;",
    .state_size = sizeof(tss_state),
    .params = params,
    .handlers = handlers,
    .initialize = tss_initialize,
    .cleanup = tss_cleanup,
    .pull = tss_pull,
    .sources = PL_S_NONE,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(time_sorted_sched);
