/* InfiniteSource: the in-memory packet generator (Click's, batched). */
#include "../../core/args.h"

#include <stdlib.h>

typedef struct {
    pl_bytes data;
    int64_t length;
    int64_t limit;
    uint64_t burst;
    uint8_t active;
    uint8_t stop;
    uint8_t timestamp;
    char *end_call;
    uint64_t reset_base;          /* count at the last reset (control side) */
    uint64_t carry;               /* count of the source this one replaced */
    pl_packet *tmpl;              /* template: the origin every packet sent clones */
    pl_signal_slot room;          /* push: the queues downstream have room */
    pl_notifier note;             /* pull: it has packets (Click's InfiniteSource notifier) */
    _Atomic int ended;            /* LIMIT reached and STOP/END_CALL done */
} isrc_state;

enum { C_SENT, C_NOBUFS, NCOUNTERS };
static const char *const counters[] = {"sent", "nobufs", NULL};

static int isrc_configure(pl_element *e, pl_error *err)
{
    isrc_state *s = PL_STATE(e, isrc_state);
    size_t len = s->length >= 0 ? (size_t)s->length : s->data.len;
    if (len > PL_MAX_LEN)
        return pl_seterr(err, PL_ERR_CONFIG, e, s->length >= 0 ? "LENGTH" : "DATA",
                         "%s %zu is longer than a packet can be (%d bytes)",
                         s->length >= 0 ? "LENGTH" : "DATA of", len, PL_MAX_LEN);
    if (s->tmpl && pl_ref_dec(s->tmpl) == 0)
        free(s->tmpl);
    size_t area = pl_class_bytes(pl_class_for((uint32_t)len + PL_HEADROOM));
    s->tmpl = aligned_alloc(64, (sizeof(pl_packet) + area + 63) & ~(size_t)63);
    if (!s->tmpl)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    memset(s->tmpl, 0, sizeof(pl_packet));
    pl_packet *t = s->tmpl;
    /* The template is the origin of every packet sent: one reference for the
     * element, one per packet alive (added a batch at a time), atomic since
     * packets may be freed on other threads. It goes with its last packet. */
    t->origin = t;
    atomic_init(&t->refs, 1);
    t->flags = PL_PKT_HEAP | PL_PKT_SHARED_REFS;
    t->buf = t->area;
    t->buf_end = t->area + area;
    t->data = t->area + PL_HEADROOM;
    t->len = (uint32_t)len;
    /* Longer than DATA: repeat it (zeros after an empty DATA). */
    for (size_t i = 0; i < len; i++)
        t->data[i] = s->data.len ? s->data.data[i % s->data.len] : 0;
    t->mac_off = PL_HEADROOM;
    return 0;
}

static void isrc_cleanup(pl_element *e)
{
    isrc_state *s = PL_STATE(e, isrc_state);
    if (s->tmpl && pl_ref_dec(s->tmpl) == 0)
        free(s->tmpl);
    s->tmpl = NULL;
}

/* Packets sent since the last reset, including those of a replaced source. */
static uint64_t sent_count(pl_element *e)
{
    isrc_state *s = PL_STATE(e, isrc_state);
    return pl_counter_total(e, C_SENT) + __atomic_load_n(&s->carry, __ATOMIC_RELAXED) -
           __atomic_load_n(&s->reset_base, __ATOMIC_RELAXED);
}

/* LIMIT reached: Click's END_CALL (STOP true is END_CALL stop), once. */
static void isrc_end(pl_element *e, pl_ctx *ctx)
{
    isrc_state *s = PL_STATE(e, isrc_state);
    if (atomic_exchange(&s->ended, 1))
        return;
    if (s->end_call && *s->end_call)
        pl_handler_call(e, s->end_call, 1, NULL, 0, NULL);
    else if (s->stop)
        pl_engine_request_stop(e->eng);
}

/* Up to `want` packets as a batch (NULL: none now); count them. */
static pl_packet *isrc_make(pl_element *e, uint64_t want, pl_ctx *ctx)
{
    isrc_state *s = PL_STATE(e, isrc_state);
    uint64_t n = want;
    int64_t limit = PL_LIVE(s->limit);
    if (limit >= 0) {
        uint64_t sent = sent_count(e);
        if (sent >= (uint64_t)limit) {
            isrc_end(e, ctx);
            return NULL;
        }
        if (n > (uint64_t)limit - sent)
            n = (uint64_t)limit - sent;
    }
    pl_packet *b = pl_pool_alloc_batch(ctx->pool, (uint32_t)n);
    if (!b) {
        pl_count(ctx, e, C_NOBUFS, 1);
        return NULL;
    }
    const pl_packet *t = s->tmpl;
    uint64_t ts = s->timestamp ? pl_engine_realtime_ns(e->eng) : 0;
    uint64_t first = pl_stamp_now(ctx);
    PL_BATCH_FOREACH(p, b) {
        if (first)
            pl_stamp(p, first);
        p->origin = s->tmpl;
        p->buf = t->buf;
        p->buf_end = t->buf_end;
        p->data = t->data;
        p->len = t->len;
        p->mac_off = t->mac_off;
        p->timestamp = ts;
    }
    b->b_bytes = (uint64_t)b->b_count * t->len;
    pl_ref_add(s->tmpl, b->b_count);
    pl_count(ctx, e, C_SENT, b->b_count);
    return b;
}

static uint32_t isrc_run(pl_element *e, pl_ctx *ctx)
{
    isrc_state *s = PL_STATE(e, isrc_state);
    if (!PL_LIVE(s->active)) {
        pl_task_sleep(e);              /* writing active (or reset) wakes it */
        return 0;
    }
    /* Click: a source whose queues downstream are all full sleeps until one
     * has room. */
    if (!pl_signal_active(pl_signal_get(&s->room)) && pl_task_sleep_unless(e, &s->room))
        return 0;
    uint64_t want = PL_LIVE(s->burst), room = pl_signal_room(pl_signal_get(&s->room));
    if (room < want)
        want = room ? room : 1;
    pl_packet *b = isrc_make(e, want, ctx);
    if (!b) {
        if (atomic_load(&s->ended)) {
            pl_task_sleep(e);
            if (s->stop)
                atomic_store_explicit(&e->task_done, 1, memory_order_relaxed);
        }
        return 0;
    }
    uint32_t got = b->b_count;
    pl_output_source(ctx, e, 0, b);
    return got;
}

/* Pulled (Click's InfiniteSource is agnostic): a packet per pull, or a batch. */
static pl_packet *isrc_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    isrc_state *s = PL_STATE(e, isrc_state);
    pl_packet *b = PL_LIVE(s->active) ? isrc_make(e, max, ctx) : NULL;
    if (!b && pl_notifier_active(&s->note) && (!PL_LIVE(s->active) || atomic_load(&s->ended)))
        pl_notifier_sleep(&s->note);
    return b;
}

static int isrc_initialize(pl_element *e, pl_error *err)
{
    isrc_state *s = PL_STATE(e, isrc_state);
    pl_notifier_init(&s->note, 1);
    if (pl_output_is_pull(e, 0)) {
        e->no_task = 1;
        return pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->note, 0, err);
    }
    return pl_listen(e, PL_NOTE_FULL, 0, &s->room, pl_task_wake, err);
}

/* A live write of ACTIVE or LIMIT: the pull side's notifier follows. */
static void isrc_wake(pl_element *e)
{
    isrc_state *s = PL_STATE(e, isrc_state);
    if (PL_LIVE(s->active))
        pl_notifier_wake(&s->note);
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)sent_count(e));
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    (void)v;
    (void)err;
    isrc_state *s = PL_STATE(e, isrc_state);
    __atomic_store_n(&s->reset_base, pl_counter_total(e, C_SENT) + s->carry, __ATOMIC_RELAXED);
    atomic_store(&s->ended, 0);
    atomic_store(&e->task_done, 0);
    pl_task_wake(e);
    isrc_wake(e);
    return 0;
}

static int write_active(pl_element *e, const char *v, pl_error *err)
{
    uint8_t b;
    if (pl_parse_bool(v, &b))
        return pl_seterr(err, PL_ERR_HANDLER, e, "active", "active: expected a boolean, got '%s'", v);
    __atomic_store_n(&PL_STATE(e, isrc_state)->active, b, __ATOMIC_RELAXED);
    pl_task_wake(e);
    isrc_wake(e);
    return 0;
}

static int write_limit(pl_element *e, const char *v, pl_error *err)
{
    int64_t n;
    if (pl_parse_int(v, &n) || n < -1)
        return pl_seterr(err, PL_ERR_HANDLER, e, "limit", "limit: expected an integer >= -1, got '%s'", v);
    isrc_state *s = PL_STATE(e, isrc_state);
    __atomic_store_n(&s->limit, n, __ATOMIC_RELAXED);
    if (n < 0 || sent_count(e) < (uint64_t)n) {
        atomic_store(&s->ended, 0);
        atomic_store(&e->task_done, 0);
    }
    pl_task_wake(e);
    isrc_wake(e);
    return 0;
}

static int read_active(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", PL_LIVE(PL_STATE(e, isrc_state)->active) ? "true" : "false");
}

static int read_limit(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%lld", (long long)PL_LIVE(PL_STATE(e, isrc_state)->limit));
}

/* Live change: the replacement continues the sequence (count and LIMIT). */
static void isrc_take_state(pl_element *e, pl_element *old)
{
    __atomic_store_n(&PL_STATE(e, isrc_state)->carry, sent_count(old), __ATOMIC_RELAXED);
}

static const pl_param params[] = {
    {"DATA", PL_T_DATA, offsetof(isrc_state, data),
     "\"Random bullshit in a packet, at least 64 bytes long. Well, now it is.\"", 0, -1,
     PL_P_POSITIONAL, "packet data (Click's default: 69 bytes of text)"},
    {"LIMIT", PL_T_INT, offsetof(isrc_state, limit), "-1", -1, 9.2e18, PL_P_POSITIONAL | PL_P_LIVE,
     "packets to send, -1 for no limit"},
    {"BURST", PL_T_UINT, offsetof(isrc_state, burst), "32", 1, 4096, PL_P_POSITIONAL | PL_P_LIVE,
     "packets per batch"},
    {"ACTIVE", PL_T_BOOL, offsetof(isrc_state, active), "true", 0, -1, PL_P_POSITIONAL | PL_P_LIVE,
     "whether the source sends"},
    {"LENGTH", PL_T_INT, offsetof(isrc_state, length), "-1", -1, PL_MAX_LEN, 0,
     "packet length (-1: the length of DATA)"},
    {"STOP", PL_T_BOOL, offsetof(isrc_state, stop), "false", 0, -1, 0,
     "stop the engine when LIMIT is reached"},
    {"TIMESTAMP", PL_T_BOOL, offsetof(isrc_state, timestamp), "false", 0, -1, 0,
     "set each packet's timestamp annotation to the time it is made"},
    {"END_CALL", PL_T_STRING, offsetof(isrc_state, end_call), "", 0, -1, 0,
     "write handler to call when LIMIT is reached (\"elem.handler value\")"},
    {0}};

static const pl_handler handlers[] = {
    {"count", "packets sent", read_count, NULL},
    {"reset", "reset the count", NULL, write_reset},
    {"active", "whether the source sends", read_active, write_active},
    {"limit", "packets to send, -1 for no limit", read_limit, write_limit},
    {0}};

static const pl_class infinite_source = {
    .name = "InfiniteSource",
    .ports = "0/1",
    .processing = "a/a",
    .doc = "InfiniteSource([DATA, LIMIT, BURST, ACTIVE, KEYWORDS])\n"
           "Generates packets whenever scheduled.\n\n"
           "Each time its task runs, pushes BURST packets of DATA (repeated or cut to\n"
           "LENGTH bytes) as one batch, until LIMIT packets were sent (-1: forever);\n"
           "then it calls END_CALL, or with STOP true stops the engine. Packets share\n"
           "the template's data, as Click's clones do: an element that writes a packet\n"
           "copies it first. As Click's, it sleeps while every queue it feeds is full\n"
           "(their full notifiers) and wakes when one has room. Its output is agnostic:\n"
           "pulled (InfiniteSource -> Unqueue), it has no task and makes packets on\n"
           "each pull. Replaced by live change, it continues the old source's count and\n"
           "LIMIT. Counters: sent, nobufs (runs that found the pool empty).\n\n"
           "Example: InfiniteSource(LENGTH 64, BURST 32) -> Counter -> Discard;",
    .state_size = sizeof(isrc_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 0,
    .configure = isrc_configure,
    .cleanup = isrc_cleanup,
    .run_task = isrc_run,
    .pull = isrc_pull,
    .initialize = isrc_initialize,
    .take_state = isrc_take_state,
    .sources = PL_S_SOURCE,
};
PL_REGISTER_CLASS(infinite_source);
