/* Counter: counts packets and bytes, one update per batch. */
#include "../../core/element.h"

#include <stdlib.h>

typedef struct {
    uint64_t base_count, base_bytes;    /* totals at the last reset */
    uint64_t carry_count, carry_bytes;  /* counts of the elements this one replaced */
    uint64_t since_ns;                  /* time of the last reset or start */
    char *count_call, *byte_count_call; /* "N HANDLER [VALUE]" */
    uint64_t count_at, bytes_at;        /* their N (0: none) */
    pl_hcall count_h, bytes_h;
} counter_state;

enum { C_COUNT, C_BYTES };
static const char *const counters[] = {"count", "byte_count", NULL};

static uint64_t total(pl_element *e, int which);

static void count_out(pl_element *e, pl_packet *b, pl_ctx *ctx)
{
    pl_count(ctx, e, C_COUNT, b->b_count);
    pl_count(ctx, e, C_BYTES, b->b_bytes);
    pl_output(ctx, e, 0, b);
}

/* COUNT_CALL / BYTE_COUNT_CALL: the packets before the one that reaches N
 * leave first, then the handler is called, then that packet and the rest
 * (Click calls it before emitting the packet). */
static void counter_push_calls(pl_element *e, pl_packet *b, pl_ctx *ctx)
{
    counter_state *s = PL_STATE(e, counter_state);
    while (b) {
        uint64_t n = total(e, C_COUNT), bytes = total(e, C_BYTES);
        uint32_t k = 0, cut = 0;
        int which = -1;
        PL_BATCH_FOREACH(p, b) {
            k++;
            bytes += p->len;
            if (s->count_at && n + k == s->count_at) {
                which = C_COUNT;
                break;
            }
            if (s->bytes_at && bytes >= s->bytes_at && bytes - p->len < s->bytes_at) {
                which = C_BYTES;
                break;
            }
        }
        if (which < 0) {
            count_out(e, b, ctx);
            return;
        }
        cut = k - 1;
        pl_packet *rest = b;
        if (cut) {
            rest = pl_batch_split(b, cut);
            count_out(e, b, ctx);
        }
        pl_packet *more = rest->b_count > 1 ? pl_batch_split(rest, 1) : NULL;
        pl_count(ctx, e, C_COUNT, 1);
        pl_count(ctx, e, C_BYTES, rest->len);
        pl_hcall_write(which == C_COUNT ? &s->count_h : &s->bytes_h, e);
        pl_output(ctx, e, 0, rest);
        b = more;
    }
}

static void counter_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    counter_state *s = PL_STATE(e, counter_state);
    if (__builtin_expect(s->count_at || s->bytes_at, 0)) {
        counter_push_calls(e, b, ctx);
        return;
    }
    count_out(e, b, ctx);
}

static int parse_call(pl_element *e, const char *kw, const char *text, uint64_t *at,
                      pl_hcall *h, pl_error *err)
{
    *at = 0;
    if (!text || !*text)
        return 0;
    char *end;
    unsigned long long n = strtoull(text, &end, 0);
    if (end == text || n == 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, kw, "%s: expected 'N HANDLER [VALUE]', got '%s'",
                         kw, text);
    *at = n;
    return pl_hcall_set(h, e, end, err);
}

static int counter_configure(pl_element *e, pl_error *err)
{
    counter_state *s = PL_STATE(e, counter_state);
    if (parse_call(e, "COUNT_CALL", s->count_call, &s->count_at, &s->count_h, err) ||
        parse_call(e, "BYTE_COUNT_CALL", s->byte_count_call, &s->bytes_at, &s->bytes_h, err))
        return -1;
    return 0;
}

static int counter_initialize(pl_element *e, pl_error *err)
{
    counter_state *s = PL_STATE(e, counter_state);
    if (pl_hcall_resolve(&s->count_h, e, "COUNT_CALL", err) ||
        pl_hcall_resolve(&s->bytes_h, e, "BYTE_COUNT_CALL", err))
        return -1;
    __atomic_store_n(&s->since_ns, pl_now_ns(), __ATOMIC_RELAXED);
    return 0;
}

static void counter_cleanup(pl_element *e)
{
    counter_state *s = PL_STATE(e, counter_state);
    pl_hcall_free(&s->count_h);
    pl_hcall_free(&s->bytes_h);
}

static uint64_t total(pl_element *e, int which)
{
    counter_state *s = PL_STATE(e, counter_state);
    uint64_t base = __atomic_load_n(which == C_COUNT ? &s->base_count : &s->base_bytes,
                                    __ATOMIC_RELAXED);
    uint64_t carry = __atomic_load_n(which == C_COUNT ? &s->carry_count : &s->carry_bytes,
                                     __ATOMIC_RELAXED);
    return pl_counter_total(e, which) + carry - base;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)total(e, C_COUNT));
}

static int read_bytes(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)total(e, C_BYTES));
}

/* Average rate since the last reset (the telemetry sampler gives instant rates). */
static double elapsed(pl_element *e)
{
    uint64_t since = __atomic_load_n(&PL_STATE(e, counter_state)->since_ns, __ATOMIC_RELAXED);
    double s = (double)(pl_now_ns() - since) / 1e9;
    return s > 0 ? s : 1e-9;
}

static int read_rate(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%.6g", (double)total(e, C_COUNT) / elapsed(e));
}

static int read_bit_rate(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%.6g", 8.0 * (double)total(e, C_BYTES) / elapsed(e));
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    (void)v;
    (void)err;
    counter_state *s = PL_STATE(e, counter_state);
    __atomic_store_n(&s->base_count, pl_counter_total(e, C_COUNT) + s->carry_count, __ATOMIC_RELAXED);
    __atomic_store_n(&s->base_bytes, pl_counter_total(e, C_BYTES) + s->carry_bytes, __ATOMIC_RELAXED);
    __atomic_store_n(&s->since_ns, pl_now_ns(), __ATOMIC_RELAXED);
    return 0;
}

/* Live change: keep counting where the replaced Counter stopped. */
static void counter_take_state(pl_element *e, pl_element *old)
{
    counter_state *s = PL_STATE(e, counter_state);
    __atomic_store_n(&s->carry_count, total(old, C_COUNT), __ATOMIC_RELAXED);
    __atomic_store_n(&s->carry_bytes, total(old, C_BYTES), __ATOMIC_RELAXED);
    __atomic_store_n(&s->since_ns, PL_STATE(old, counter_state)->since_ns, __ATOMIC_RELAXED);
}

static const pl_param params[] = {
    {"COUNT_CALL", PL_T_STRING, offsetof(counter_state, count_call), "", 0, -1, 0,
     "'N HANDLER [VALUE]': write HANDLER when the count reaches N"},
    {"BYTE_COUNT_CALL", PL_T_STRING, offsetof(counter_state, byte_count_call), "", 0, -1, 0,
     "'N HANDLER [VALUE]': write HANDLER when the byte count reaches N"},
    {0}};

static const pl_handler handlers[] = {
    {"count", "packets counted since the last reset", read_count, NULL},
    {"byte_count", "bytes counted since the last reset", read_bytes, NULL},
    {"rate", "average packets/s since the last reset", read_rate, NULL},
    {"bit_rate", "average bits/s since the last reset", read_bit_rate, NULL},
    {"reset", "reset the counts", NULL, write_reset},
    {"reset_counts", "reset the counts", NULL, write_reset},
    {0}};

static const pl_class counter = {
    .name = "Counter",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Counter([COUNT_CALL, BYTE_COUNT_CALL])\n"
           "Measures packet count and rate.\n\n"
           "Passes packets unchanged, counting packets and bytes per thread, once per\n"
           "batch. rate and bit_rate are averages since the last reset; the telemetry\n"
           "sampler gives instantaneous rates. Replaced by live change, a Counter\n"
           "keeps its counts.\n\n"
           "Keywords: COUNT_CALL 'N HANDLER [VALUE]' (when the count reaches N, write\n"
           "HANDLER, e.g. 's.switch 1' or 'stop', before the packet that reached it\n"
           "leaves), BYTE_COUNT_CALL (the same when the byte count reaches N). With\n"
           "either, the batch is split at that packet.\n\n"
           "Example: InfiniteSource -> c :: Counter -> Discard;",
    .state_size = sizeof(counter_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .configure = counter_configure,
    .initialize = counter_initialize,
    .cleanup = counter_cleanup,
    .push = counter_push,
    .take_state = counter_take_state,
};
PL_REGISTER_CLASS(counter);
