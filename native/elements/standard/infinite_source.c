/* InfiniteSource: the in-memory packet generator (Click's, batched). */
#include "../../core/element.h"

#include <stdlib.h>

typedef struct {
    pl_bytes data;
    int64_t length;
    int64_t limit;
    uint64_t burst;
    uint8_t active;
    uint8_t stop;
    uint64_t reset_base;          /* count at the last reset (control side) */
    uint64_t carry;               /* count of the source this one replaced */
    pl_packet *tmpl;              /* template: the origin every packet sent clones */
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

static uint32_t isrc_run(pl_element *e, pl_ctx *ctx)
{
    isrc_state *s = PL_STATE(e, isrc_state);
    if (!PL_LIVE(s->active))
        return 0;
    uint64_t n = PL_LIVE(s->burst);
    int64_t limit = PL_LIVE(s->limit);
    if (limit >= 0) {
        uint64_t sent = sent_count(e);
        if (sent >= (uint64_t)limit) {
            if (s->stop)
                pl_engine_request_stop(e->eng);
            atomic_store_explicit(&e->task_done, s->stop, memory_order_relaxed);
            return 0;
        }
        if (n > (uint64_t)limit - sent)
            n = (uint64_t)limit - sent;
    }
    pl_packet *b = pl_pool_alloc_batch(ctx->pool, (uint32_t)n);
    if (!b) {
        pl_count(ctx, e, C_NOBUFS, 1);
        return 0;
    }
    const pl_packet *t = s->tmpl;
    PL_BATCH_FOREACH(p, b) {
        p->origin = s->tmpl;
        p->buf = t->buf;
        p->buf_end = t->buf_end;
        p->data = t->data;
        p->len = t->len;
        p->mac_off = t->mac_off;
    }
    b->b_bytes = (uint64_t)b->b_count * t->len;
    pl_ref_add(s->tmpl, b->b_count);
    uint32_t got = b->b_count;
    pl_count(ctx, e, C_SENT, got);
    pl_output_source(ctx, e, 0, b);
    return got;
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
    atomic_store(&e->task_done, 0);
    return 0;
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
    {0}};

static const pl_handler handlers[] = {
    {"count", "packets sent", read_count, NULL},
    {"reset", "reset the count", NULL, write_reset},
    {0}};

static const pl_class infinite_source = {
    .name = "InfiniteSource",
    .ports = "0/1",
    .processing = "a/h",
    .doc = "InfiniteSource([DATA, LIMIT, BURST, ACTIVE, KEYWORDS])\n"
           "Generates packets whenever scheduled.\n\n"
           "Each time its task runs, pushes BURST packets of DATA (repeated or cut to\n"
           "LENGTH bytes) as one batch, until LIMIT packets were sent (-1: forever);\n"
           "with STOP true the engine then stops. Packets share the template's data,\n"
           "as Click's clones do: an element that writes a packet copies it first.\n"
           "Replaced by live change, it continues the old source's count and LIMIT.\n"
           "Counters: sent, nobufs (runs that found the pool empty).\n\n"
           "Example: InfiniteSource(LENGTH 64, BURST 32) -> Counter -> Discard;",
    .state_size = sizeof(isrc_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 0,
    .configure = isrc_configure,
    .cleanup = isrc_cleanup,
    .run_task = isrc_run,
    .take_state = isrc_take_state,
};
PL_REGISTER_CLASS(infinite_source);
