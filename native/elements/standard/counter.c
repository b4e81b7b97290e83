/* Counter: counts packets and bytes, one update per batch. */
#include "../../core/args.h"

#include <stdlib.h>
#include <string.h>

/* COUNT_CALL / BYTE_COUNT_CALL: "N HANDLER [VALUE]", published as a whole. */
typedef struct count_call {
    uint64_t at;
    char call[];                  /* "HANDLER [VALUE]" */
} count_call;

typedef struct {
    uint64_t base_count, base_bytes;    /* totals at the last reset */
    uint64_t carry_count, carry_bytes;  /* counts of the elements this one replaced */
    uint64_t since_ns;                  /* time of the last reset or start */
    char *count_call_text, *byte_count_call_text;
    _Atomic(count_call *) calls[2];     /* packets, bytes */
    _Atomic uint64_t seen[2];           /* running totals while a call is armed */
} counter_state;

static int parse_call(pl_element *e, const char *text, const char *kw, count_call **out,
                      pl_error *err)
{
    *out = NULL;
    if (!text || !*text)
        return 0;
    char *end;
    while (*text == ' ')
        text++;
    unsigned long long n = strtoull(text, &end, 0);
    if (end == text || (*end && *end != ' '))
        return pl_seterr(err, PL_ERR_CONFIG, e, kw, "%s: expected 'N HANDLER [VALUE]', got '%s'",
                         kw, text);
    while (*end == ' ')
        end++;
    count_call *c = malloc(sizeof *c + strlen(end) + 1);
    if (!c)
        return pl_seterr(err, PL_ERR_NOMEM, e, kw, "out of memory");
    c->at = n;
    strcpy(c->call, end);
    *out = c;
    return 0;
}

static int counter_configure(pl_element *e, pl_error *err)
{
    counter_state *s = PL_STATE(e, counter_state);
    count_call *c[2];
    if (parse_call(e, s->count_call_text, "COUNT_CALL", &c[0], err))
        return err->status;
    if (parse_call(e, s->byte_count_call_text, "BYTE_COUNT_CALL", &c[1], err)) {
        free(c[0]);
        return err->status;
    }
    for (int k = 0; k < 2; k++)
        free(atomic_exchange(&s->calls[k], c[k]));
    return 0;
}

static void counter_cleanup(pl_element *e)
{
    counter_state *s = PL_STATE(e, counter_state);
    for (int k = 0; k < 2; k++)
        free(atomic_exchange(&s->calls[k], NULL));
}

/* An armed COUNT_CALL: packets before the one that reaches N go first, then
 * the handler is called, then the rest (Click calls it "before emitting the
 * packet"). */
static void counter_push_calls(pl_element *e, pl_packet *b, pl_ctx *ctx)
{
    counter_state *s = PL_STATE(e, counter_state);
    count_call *pc = atomic_load_explicit(&s->calls[0], memory_order_acquire);
    count_call *bc = atomic_load_explicit(&s->calls[1], memory_order_acquire);
    uint64_t np = atomic_load(&s->seen[0]), nb = atomic_load(&s->seen[1]);
    pl_packet *before = NULL;
    while (b) {
        pl_packet *p = b, *rest = b->next;
        if (rest) {
            rest->b_tail = b->b_tail;
            rest->b_count = b->b_count - 1;
            rest->b_bytes = b->b_bytes - p->len;
        }
        pl_batch_one(p);
        np++;
        nb += p->len;
        int fire_p = pc && np == pc->at;
        int fire_b = bc && nb - p->len < bc->at && nb >= bc->at;
        if (fire_p || fire_b) {
            if (before)
                pl_output(ctx, e, 0, before);
            before = NULL;
            atomic_store(&s->seen[0], np);
            atomic_store(&s->seen[1], nb);
            if (fire_p)
                pl_handler_call(e, pc->call, 1, NULL, 0, NULL);
            if (fire_b)
                pl_handler_call(e, bc->call, 1, NULL, 0, NULL);
            pl_output(ctx, e, 0, p);  /* alone: it goes on as Click's one packet */
        } else
            pl_batch_join(&before, p);
        b = rest;
    }
    atomic_store(&s->seen[0], np);
    atomic_store(&s->seen[1], nb);
    if (before)
        pl_output(ctx, e, 0, before);
}

enum { C_COUNT, C_BYTES };
static const char *const counters[] = {"count", "byte_count", NULL};

static void counter_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    counter_state *s = PL_STATE(e, counter_state);
    pl_count(ctx, e, C_COUNT, b->b_count);
    pl_count(ctx, e, C_BYTES, b->b_bytes);
    if (__builtin_expect(atomic_load_explicit(&s->calls[0], memory_order_relaxed) ||
                         atomic_load_explicit(&s->calls[1], memory_order_relaxed), 0)) {
        counter_push_calls(e, b, ctx);
        return;
    }
    pl_output(ctx, e, 0, b);
}

/* Pulled with a COUNT_CALL armed: no further than the packet that calls. */
static uint32_t counter_pull_max(pl_element *e, uint32_t max)
{
    counter_state *s = PL_STATE(e, counter_state);
    count_call *pc = atomic_load_explicit(&s->calls[0], memory_order_acquire);
    uint64_t seen = atomic_load(&s->seen[0]);
    if (pc && seen < pc->at && pc->at - seen < max)
        return (uint32_t)(pc->at - seen);
    return max;
}

static int counter_initialize(pl_element *e, pl_error *err)
{
    (void)err;
    __atomic_store_n(&PL_STATE(e, counter_state)->since_ns, pl_now_ns(), __ATOMIC_RELAXED);
    return 0;
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

static int read_byte_rate(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%.6g", (double)total(e, C_BYTES) / elapsed(e));
}

static int write_call(pl_element *e, const char *v, int which, pl_error *err)
{
    count_call *c;
    if (parse_call(e, v, which ? "byte_count_call" : "count_call", &c, err))
        return err->status;
    counter_state *s = PL_STATE(e, counter_state);
    atomic_store(&s->seen[which], total(e, which ? C_BYTES : C_COUNT));
    pl_garbage_add(e->eng, atomic_exchange(&s->calls[which], c));
    return 0;
}

static int write_count_call(pl_element *e, const char *v, pl_error *err) { return write_call(e, v, 0, err); }
static int write_byte_count_call(pl_element *e, const char *v, pl_error *err) { return write_call(e, v, 1, err); }

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
    atomic_store(&s->seen[0], 0);
    atomic_store(&s->seen[1], 0);
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

static const pl_handler handlers[] = {
    {"count", "packets counted since the last reset", read_count, NULL},
    {"byte_count", "bytes counted since the last reset", read_bytes, NULL},
    {"rate", "average packets/s since the last reset", read_rate, NULL},
    {"bit_rate", "average bits/s since the last reset", read_bit_rate, NULL},
    {"byte_rate", "average bytes/s since the last reset", read_byte_rate, NULL},
    {"count_call", "arm a new COUNT_CALL ('N HANDLER [VALUE]')", NULL, write_count_call},
    {"byte_count_call", "arm a new BYTE_COUNT_CALL ('N HANDLER [VALUE]')", NULL,
     write_byte_count_call},
    {"reset", "reset the counts", NULL, write_reset},
    {"reset_counts", "reset the counts", NULL, write_reset},
    {0}};

static const pl_param params[] = {
    {"COUNT_CALL", PL_T_STRING, offsetof(counter_state, count_call_text), "", 0, -1, 0,
     "'N HANDLER [VALUE]': write HANDLER when the count reaches N"},
    {"BYTE_COUNT_CALL", PL_T_STRING, offsetof(counter_state, byte_count_call_text), "", 0, -1, 0,
     "'N HANDLER [VALUE]': write HANDLER when the byte count reaches N"},
    {0}};

static const pl_class counter = {
    .name = "Counter",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Counter([KEYWORDS])\n"
           "Measures packet count and rate.\n\n"
           "Passes packets unchanged, counting packets and bytes per thread, once per\n"
           "batch. rate and bit_rate are averages since the last reset; the telemetry\n"
           "sampler gives instantaneous rates. Replaced by live change, a Counter\n"
           "keeps its counts. COUNT_CALL N HANDLER [VALUE] writes HANDLER (Click's\n"
           "handler call, e.g. s.switch 1) when the count reaches N, before the packet\n"
           "that reaches it goes on; BYTE_COUNT_CALL the same for bytes; handlers\n"
           "count_call and byte_count_call arm new ones. While one is armed the batch\n"
           "is walked packet by packet. Agnostic: pushed or pulled through.\n\n"
           "Example: InfiniteSource -> c :: Counter -> Discard;",
    .state_size = sizeof(counter_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .configure = counter_configure,
    .pull_max = counter_pull_max,
    .cleanup = counter_cleanup,
    .initialize = counter_initialize,
    .push = counter_push,
    .take_state = counter_take_state,
};
PL_REGISTER_CLASS(counter);
