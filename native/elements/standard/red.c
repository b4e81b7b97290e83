/* RED: Random Early Detection dropping (Click's, elements/aqm/red.cc). */
#include "../../core/args.h"
#include "../../core/engine.h"
#include "../../lib/ewma.h"
#include "../../lib/random.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_SCALE 10

typedef struct red_queues {
    int n;
    pl_element *q[];
} red_queues;

typedef struct {
    uint64_t min_thresh, max_thresh, stability;
    double max_p_real;
    char *queues_text;
    uint8_t gentle;
    unsigned max_p;               /* 16-bit fixed point */
    int64_t c1, c2, g1, g2;
    uint64_t kill_thresh;
    pl_ewma size;
    int64_t count;
    uint32_t random_value;
    uint64_t last_epoch;
    uint64_t rng;
    _Atomic(red_queues *) queues;
} red_state;

enum { C_DROPS, C_DROPS_OUT };
static const char *const counters[] = {"drops", "drops_out", NULL};

static uint64_t drops(pl_element *e)
{
    return pl_counter_total(e, C_DROPS) + pl_counter_total(e, C_DROPS_OUT);
}

static void set_c1_c2(red_state *s)
{
    if (s->min_thresh >= s->max_thresh) {
        s->c1 = 0;
        s->c2 = 1;
    } else {
        s->c1 = s->max_p / (s->max_thresh - s->min_thresh);
        s->c2 = (s->max_p * s->min_thresh) / (s->max_thresh - s->min_thresh);
    }
    s->g1 = s->max_thresh ? (0x10000 - s->max_p) / s->max_thresh : 0;
    s->g2 = 0x10000 - 2 * (int64_t)s->max_p;
}

static int red_configure(pl_element *e, pl_error *err)
{
    red_state *s = PL_STATE(e, red_state);
    if (s->max_thresh > 0xFFFF)
        return pl_seterr(err, PL_ERR_CONFIG, e, "MAX_THRESH", "MAX_THRESH must be <= %d", 0xFFFF);
    if (s->min_thresh > s->max_thresh)
        return pl_seterr(err, PL_ERR_CONFIG, e, "MIN_THRESH", "MIN_THRESH must be <= MAX_THRESH");
    if (s->max_p_real < 0 || s->max_p_real > 1)
        return pl_seterr(err, PL_ERR_CONFIG, e, "MAX_P", "MAX_P must be between 0 and 1");
    if (s->stability > 16)
        return pl_seterr(err, PL_ERR_CONFIG, e, "STABILITY", "STABILITY must be between 0 and 16");
    s->max_p = (unsigned)(s->max_p_real * 0x10000 + 0.5);
    s->kill_thresh = s->gentle && s->max_p != 0x10000 ? s->max_thresh * 2 : s->max_thresh;
    set_c1_c2(s);
    pl_ewma_init(&s->size, (unsigned)s->stability, QUEUE_SCALE);
    s->count = -1;
    s->rng = pl_rand_seed(NULL, e->name);
    return 0;
}

/* The queues whose length it averages: QUEUES, or the Storage elements met
 * first downstream (push) or upstream (pull), as Click's ElementCastTracker. */
static int find_queues(pl_element *e, red_queues **out, pl_error *err)
{
    red_state *s = PL_STATE(e, red_state);
    pl_engine *eng = e->eng;
    int n = eng->nelems;
    red_queues *r = malloc(sizeof *r + sizeof(pl_element *) * (size_t)(n ? n : 1));
    char *seen = calloc((size_t)(n ? n : 1), 1);
    int *todo = malloc(sizeof *todo * (size_t)(n ? n : 1));
    if (!r || !seen || !todo) {
        free(r), free(seen), free(todo);
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    }
    r->n = 0;
    if (s->queues_text && *s->queues_text) {
        char *copy = strdup(s->queues_text), *save = NULL;
        for (char *w = copy ? strtok_r(copy, " \t", &save) : NULL; w; w = strtok_r(NULL, " \t", &save)) {
            int k = pl_engine_find(eng, w);
            if (k < 0 || !eng->elems[k]->cls->storage_length) {
                pl_seterr(err, PL_ERR_CONFIG, e, "QUEUES",
                          k < 0 ? "no element named '%s'" : "'%s' is not a Storage element", w);
                free(copy), free(r), free(seen), free(todo);
                return -1;
            }
            r->q[r->n++] = eng->elems[k];
        }
        free(copy);
    } else {
        int down = !pl_input_is_pull(e, 0), head = 0, tail = 0;
        int self = pl_engine_find(eng, e->name);
        if (self < 0 || eng->elems[self] != e) {
            free(r), free(seen), free(todo);
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "not in the graph yet");
        }
        todo[tail++] = self;
        seen[self] = 1;
        while (head < tail) {
            int cur = todo[head++];
            for (int c = 0; c < eng->nconns; c++) {
                const pl_conn *cn = &eng->conns[c];
                int from = down ? cn->from : cn->to, to = down ? cn->to : cn->from;
                if (from != cur || (cur == todo[0] && (down ? cn->from_port : cn->to_port) != 0))
                    continue;
                if (seen[to])
                    continue;
                seen[to] = 1;
                pl_element *x = eng->elems[to];
                if (x->cls->storage_length)
                    r->q[r->n++] = x;
                else
                    todo[tail++] = to;
            }
        }
        if (!r->n) {
            free(r), free(seen), free(todo);
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "no nearby Queues");
        }
    }
    free(seen);
    free(todo);
    *out = r;
    return 0;
}

static int red_initialize(pl_element *e, pl_error *err)
{
    red_queues *r;
    if (e->eng->state != PL_S_BUILD)
        return 0;                      /* a live change: graph_changed looks, once published */
    if (find_queues(e, &r, err))
        return err->status;
    atomic_store(&PL_STATE(e, red_state)->queues, r);
    return 0;
}

static void red_graph_changed(pl_element *e)
{
    red_queues *r;
    pl_error err;
    if (find_queues(e, &r, &err))
        return;                        /* keeps the old list until a graph has queues again */
    pl_garbage_add(e->eng, atomic_exchange(&PL_STATE(e, red_state)->queues, r));
}

static void red_cleanup(pl_element *e) { free(atomic_exchange(&PL_STATE(e, red_state)->queues, NULL)); }

static uint64_t queue_size(red_state *s)
{
    red_queues *r = atomic_load_explicit(&s->queues, memory_order_acquire);
    uint64_t n = 0;
    for (int i = 0; r && i < r->n; i++)
        n += r->q[i]->cls->storage_length(r->q[i]);
    return n;
}

/* Click's RED::should_drop, per packet; `ahead` packets of the batch are
 * counted as in the queue already (pushed: those passed before this one;
 * pulled: those still behind it), as Click's one packet at a time sees. */
static int should_drop(pl_element *e, red_state *s, uint64_t ahead)
{
    uint64_t q = queue_size(s) + ahead;
    int64_t avg;
    if (s->size.stability == 0)
        avg = (int64_t)q;
    else if (q) {
        pl_ewma_update(&s->size, (int64_t)q);
        s->last_epoch = 0;
        avg = pl_ewma_unscaled(&s->size);
    } else {
        uint64_t j = pl_engine_now_ns(e->eng) / 20000000u;   /* Click: jiffies / (HZ / 50) */
        pl_ewma_update_n(&s->size, 0, s->last_epoch ? j - s->last_epoch : 1);
        s->last_epoch = j;
        avg = pl_ewma_unscaled(&s->size);
    }
    if (avg <= (int64_t)s->min_thresh) {
        s->count = -1;
        return 0;
    }
    if (avg > (int64_t)s->kill_thresh) {
        s->count = -1;
        return 1;
    }
    int64_t p_b = avg <= (int64_t)s->max_thresh ? ((s->c1 * s->size.avg) >> QUEUE_SCALE) - s->c2
                                                 : ((s->g1 * s->size.avg) >> QUEUE_SCALE) - s->g2;
    s->count++;
    if (s->count > 0 && p_b > 0 && s->count > (int64_t)s->random_value / p_b) {
        s->count = 0;
        s->random_value = (uint32_t)(pl_rand_next(&s->rng) >> 37) & 0xFFFF;
        return 1;
    }
    if (s->count == 0)
        s->random_value = (uint32_t)(pl_rand_next(&s->rng) >> 37) & 0xFFFF;
    return 0;
}

static void red_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    red_state *s = PL_STATE(e, red_state);
    int pulled = pl_output_is_pull(e, 0);
    uint32_t n = b->b_count, i = 0, passed = 0;
    pl_packet *pass = NULL, *drop = NULL;
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        uint64_t ahead = pulled ? n - i - 1 : passed;
        i++;
        if (should_drop(e, s, ahead))
            pl_batch_append(&drop, p);
        else {
            pl_batch_append(&pass, p);
            passed++;
        }
    }
    if (drop) {
        if (e->noutputs > 1) {
            pl_count(ctx, e, C_DROPS_OUT, drop->b_count);
            pl_output(ctx, e, 1, drop);
        } else
            pl_drop_batch(ctx, e, C_DROPS, drop);
    }
    if (pass)
        pl_output(ctx, e, 0, pass);
}

static int read_avg(pl_element *e, char *buf, size_t len)
{
    red_state *s = PL_STATE(e, red_state);
    return pl_fmt(buf, len, "%.3f", (double)s->size.avg / (1 << QUEUE_SCALE));
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)drops(e));
}

static int read_queues(pl_element *e, char *buf, size_t len)
{
    red_queues *r = atomic_load(&PL_STATE(e, red_state)->queues);
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; r && i < r->n && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s\n", r->q[i]->name);
    return k < len ? 0 : PL_ERR_HANDLER;
}

static int read_stats(pl_element *e, char *buf, size_t len)
{
    red_state *s = PL_STATE(e, red_state);
    return pl_fmt(buf, len, "%llu current queue\n%.3f avg queue\n%llu drops\n",
                  (unsigned long long)queue_size(s), (double)s->size.avg / (1 << QUEUE_SCALE),
                  (unsigned long long)drops(e));
}

static const pl_param params[] = {
    {"MIN_THRESH", PL_T_UINT, offsetof(red_state, min_thresh), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "below this average queue length, never drop"},
    {"MAX_THRESH", PL_T_UINT, offsetof(red_state, max_thresh), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "average length where the drop probability reaches MAX_P"},
    {"MAX_P", PL_T_REAL, offsetof(red_state, max_p_real), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "drop probability at MAX_THRESH, 0..1"},
    {"QUEUES", PL_T_STRING, offsetof(red_state, queues_text), "", 0, -1, 0,
     "the queues it measures (names, space-separated); default: the nearest ones"},
    {"STABILITY", PL_T_UINT, offsetof(red_state, stability), "4", 0, -1, 0,
     "the average's stability shift: weight 1/2^STABILITY (0: instantaneous length)"},
    {"GENTLE", PL_T_BOOL, offsetof(red_state, gentle), "true", 0, -1, 0,
     "gentle RED: between MAX_THRESH and twice it, the probability rises to 1"},
    {0}};

static const pl_handler handlers[] = {
    {"drops", "packets dropped (or sent to output 1)", read_drops, NULL},
    {"avg_queue_size", "the moving average of the queue length", read_avg, NULL},
    {"queues", "the queues it measures", read_queues, NULL},
    {"stats", "current and average queue length, drops", read_stats, NULL},
    {0}};

static const pl_class red = {
    .name = "RED",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "RED(MIN_THRESH, MAX_THRESH, MAX_P [, KEYWORDS])\n"
           "Drops packets by Random Early Detection.\n\n"
           "Floyd and Jacobson's RED, with Click's arithmetic: an exponentially\n"
           "weighted average of the length of the nearest queues (downstream when\n"
           "pushed, upstream when pulled; or QUEUES) decides: below MIN_THRESH no\n"
           "drop, between the thresholds a drop probability rising to MAX_P, above\n"
           "MAX_THRESH (twice it when GENTLE) every packet. Dropped packets leave on\n"
           "output 1 if it is connected. The queues it measures are looked up again\n"
           "after every live change.\n"
           "Counters: drops (drop), drops_out (sent to output 1); the drops handler\n"
           "counts both.\n\n"
           "Example: src -> RED(5, 50, 0.02) -> Queue(200) -> ToDevice(eth0);",
    .state_size = sizeof(red_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .configure = red_configure,
    .initialize = red_initialize,
    .cleanup = red_cleanup,
    .push = red_push,
    .graph_changed = red_graph_changed,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(red);
