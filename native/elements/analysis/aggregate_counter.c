/* AggregateCounter: counts packets (or bytes) per aggregate annotation. */
#include "../../core/anno.h"
#include "../../core/args.h"
#include "aggregate_counter.h"

#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_COUNTED, C_UNCOUNTED };
static const char *const counters[] = {"counted", "uncounted", NULL};

static void fire(pl_element *e, ac_state *s, ac_trigger *t)
{
    int action = t->action;
    t->action = ACT_NONE;                       /* once, as Click's (uint32_t)-1 */
    if (action == ACT_FREEZE)
        atomic_store(&s->frozen, 1);
    else if (action == ACT_STOP) {
        atomic_store(&s->active, 0);
        pl_engine_request_stop(e->eng);
    } else if (action == ACT_CALL) {
        ac_unlock(s);                              /* the handler may be one of ours */
        pl_handler_call(e, t->call, 1, NULL, 0, NULL);
        ac_lock(s);
    }
}

/* Counts p; 0 when it was not counted (inactive, frozen and new, no memory). */
static int update(pl_element *e, ac_state *s, pl_packet *p, int frozen)
{
    if (!atomic_load_explicit(&s->active, memory_order_relaxed))
        return 0;
    int created;
    uint32_t *c = ac_find(s, pl_anno_u32(p, PL_ANNO_AGGREGATE), frozen, &created);
    if (!c)
        return 0;
    uint32_t amount;
    if (!s->bytes)
        amount = 1 + (s->multipacket ? pl_anno_u32(p, PL_ANNO_EXTRA_PACKETS) : 0);
    else {
        amount = p->len + (s->extra_length ? pl_anno_u32(p, PL_ANNO_EXTRA_LENGTH) : 0);
        if (s->ip_bytes && p->net_off != PL_OFF_UNSET && p->buf + p->net_off > p->data)
            amount -= (uint32_t)(p->buf + p->net_off - p->data);
    }
    if (amount && !*c) {
        if (s->tr[0].action != ACT_NONE && s->nnz >= s->tr[0].at) {
            fire(e, s, &s->tr[0]);
            return update(e, s, p, frozen || atomic_load(&s->frozen));
        }
        s->nnz++;
    }
    *c += amount;
    s->total += amount;
    if (s->tr[1].action != ACT_NONE && s->total >= s->tr[1].at)
        fire(e, s, &s->tr[1]);
    return 1;
}

static void ac_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    ac_state *s = PL_STATE(e, ac_state);
    int two = e->noutputs > 1;
    pl_packet *yes = NULL, *no = NULL;
    ac_lock(s);
    for (pl_packet *p = b, *next; p; p = next) {
        next = p->next;
        int frozen = port == 1 || atomic_load_explicit(&s->frozen, memory_order_relaxed);
        if (update(e, s, p, frozen)) {
            pl_count(ctx, e, C_COUNTED, 1);
            pl_batch_append(&yes, p);
        } else {
            pl_count(ctx, e, C_UNCOUNTED, 1);
            pl_batch_append(two ? &no : &yes, p);
        }
    }
    ac_unlock(s);
    if (yes)
        pl_output(ctx, e, 0, yes);
    if (no)
        pl_output(ctx, e, 1, no);
}

/* "[N ]HANDLER [VALUE]" for the *_CALL keywords; N alone for the others. */
static int parse_trigger(pl_element *e, const char *text, int action, const char *kw,
                         ac_trigger *t, pl_error *err)
{
    if (!text)
        return 0;
    if (t->action != ACT_NONE)
        return pl_seterr(err, PL_ERR_CONFIG, e, kw, t == &PL_STATE(e, ac_state)->tr[0]
                         ? "'AGGREGATE_FREEZE', 'AGGREGATE_STOP', and 'AGGREGATE_CALL' are "
                           "mutually exclusive"
                         : "'COUNT_FREEZE', 'COUNT_STOP', and 'COUNT_CALL' are mutually "
                           "exclusive");
    char *end;
    while (isspace((unsigned char)*text))
        text++;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 0);
    if (end == text || *text == '-' || errno || (*end && !isspace((unsigned char)*end))
        || (action != ACT_CALL && *end))
        return pl_seterr(err, PL_ERR_CONFIG, e, kw, "%s: expected %s, got '%s'", kw,
                         action == ACT_CALL ? "'N HANDLER [VALUE]'" : "an unsigned number",
                         text);
    while (isspace((unsigned char)*end))
        end++;
    if (action == ACT_CALL && !*end)
        return pl_seterr(err, PL_ERR_CONFIG, e, kw, "%s: expected 'N HANDLER [VALUE]'", kw);
    t->at = n;
    if (action == ACT_CALL && !(t->call = strdup(end)))
        return pl_seterr(err, PL_ERR_NOMEM, e, kw, "out of memory");
    t->action = action;
    return 0;
}

static int ac_configure(pl_element *e, pl_error *err)
{
    ac_state *s = PL_STATE(e, ac_state);
    atomic_flag_clear(&s->lock);
    if (parse_trigger(e, s->agg_freeze, ACT_FREEZE, "AGGREGATE_FREEZE", &s->tr[0], err)
        || parse_trigger(e, s->agg_stop, ACT_STOP, "AGGREGATE_STOP", &s->tr[0], err)
        || parse_trigger(e, s->agg_call, ACT_CALL, "AGGREGATE_CALL", &s->tr[0], err)
        || parse_trigger(e, s->count_freeze, ACT_FREEZE, "COUNT_FREEZE", &s->tr[1], err)
        || parse_trigger(e, s->count_stop, ACT_STOP, "COUNT_STOP", &s->tr[1], err)
        || parse_trigger(e, s->count_call, ACT_CALL, "COUNT_CALL", &s->tr[1], err))
        return err->status;
    if (ac_table_alloc(s, 256))
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    atomic_store(&s->frozen, 0);
    atomic_store(&s->active, 1);
    return 0;
}

static void ac_cleanup(pl_element *e)
{
    ac_state *s = PL_STATE(e, ac_state);
    free(s->slot);
    free(s->used);
    s->slot = NULL, s->used = NULL, s->cap = 0;
    for (int k = 0; k < 2; k++)
        free(s->tr[k].call), s->tr[k].call = NULL;
}

static int w_text(pl_element *e, const char *v, pl_error *err) { return ac_write_file(e, v, W_TEXT, err); }
static int w_binary(pl_element *e, const char *v, pl_error *err) { return ac_write_file(e, v, W_BINARY, err); }
static int w_ip(pl_element *e, const char *v, pl_error *err) { return ac_write_file(e, v, W_IP, err); }
static int w_pdf(pl_element *e, const char *v, pl_error *err) { return ac_write_file(e, v, W_PDF, err); }

static int set_flag(pl_element *e, _Atomic int *flag, const char *v, pl_error *err)
{
    uint8_t b;
    if (pl_parse_bool(v, &b))
        return pl_seterr(err, PL_ERR_HANDLER, e, "", "type mismatch: expected true or false");
    atomic_store(flag, b);
    return 0;
}

static int w_freeze(pl_element *e, const char *v, pl_error *err)
{
    return set_flag(e, &PL_STATE(e, ac_state)->frozen, v, err);
}
static int w_active(pl_element *e, const char *v, pl_error *err)
{
    return set_flag(e, &PL_STATE(e, ac_state)->active, v, err);
}
static int r_freeze(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", atomic_load(&PL_STATE(e, ac_state)->frozen) ? "true" : "false");
}
static int r_active(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", atomic_load(&PL_STATE(e, ac_state)->active) ? "true" : "false");
}

static int w_stop(pl_element *e, const char *v, pl_error *err)
{
    (void)v, (void)err;
    atomic_store(&PL_STATE(e, ac_state)->active, 0);
    pl_engine_request_stop(e->eng);
    return 0;
}

static int w_clear(pl_element *e, const char *v, pl_error *err)
{
    (void)v, (void)err;
    ac_state *s = PL_STATE(e, ac_state);
    ac_lock(s);
    ac_clear(s);
    ac_unlock(s);
    return 0;
}

/* counts_pdf: each count becomes an aggregate, counted once per aggregate that had it. */
static int w_counts_pdf(pl_element *e, const char *v, pl_error *err)
{
    (void)v;
    ac_state *s = PL_STATE(e, ac_state);
    ac_lock(s);
    uint32_t k = 0;
    ac_slot *old = malloc(sizeof *old * ((size_t)s->cap + 1));
    if (!old) {
        ac_unlock(s);
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    }
    if (s->has_zero)
        old[k++] = (ac_slot){0, s->zero_count};
    for (uint32_t i = 0; i < s->cap; i++)
        if (s->used[i])
            old[k++] = s->slot[i];
    ac_clear(s);
    int created;
    for (uint32_t i = 0; i < k; i++) {
        uint32_t *c = ac_find(s, old[i].count, 0, &created);
        if (c) {
            s->nnz += !*c;
            (*c)++;
            s->total++;
        }
    }
    ac_unlock(s);
    free(old);
    return 0;
}

static int r_nagg(pl_element *e, char *buf, size_t len)
{
    ac_state *s = PL_STATE(e, ac_state);
    ac_lock(s);
    uint32_t n = s->nnz;
    ac_unlock(s);
    return pl_fmt(buf, len, "%u", n);
}

static int r_count(pl_element *e, char *buf, size_t len)
{
    ac_state *s = PL_STATE(e, ac_state);
    ac_lock(s);
    uint64_t n = s->total;
    ac_unlock(s);
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static int r_banner(pl_element *e, char *buf, size_t len)
{
    const char *b = PL_STATE(e, ac_state)->banner;
    return pl_fmt(buf, len, "%s", b ? b : "");
}

static const pl_param params[] = {
    {"BYTES", PL_T_BOOL, offsetof(ac_state, bytes), "false", 0, -1, 0,
     "count bytes, not packets"},
    {"IP_BYTES", PL_T_BOOL, offsetof(ac_state, ip_bytes), "false", 0, -1, 0,
     "with BYTES: leave out the link header"},
    {"MULTIPACKET", PL_T_BOOL, offsetof(ac_state, multipacket), "true", 0, -1, 0,
     "add the extra packets annotation (summary dumps set it)"},
    {"EXTRA_LENGTH", PL_T_BOOL, offsetof(ac_state, extra_length), "true", 0, -1, 0,
     "with BYTES: add the extra length annotation (FromDump sets it)"},
    {"AGGREGATE_FREEZE", PL_T_STRING, offsetof(ac_state, agg_freeze), NULL, 0, -1, 0,
     "N: freeze once N aggregates were seen"},
    {"AGGREGATE_STOP", PL_T_STRING, offsetof(ac_state, agg_stop), NULL, 0, -1, 0,
     "N: stop the driver once N aggregates were seen"},
    {"AGGREGATE_CALL", PL_T_STRING, offsetof(ac_state, agg_call), NULL, 0, -1, 0,
     "N HANDLER [VALUE]: call a write handler once N aggregates were seen"},
    {"COUNT_FREEZE", PL_T_STRING, offsetof(ac_state, count_freeze), NULL, 0, -1, 0,
     "N: freeze once the total count reaches N"},
    {"COUNT_STOP", PL_T_STRING, offsetof(ac_state, count_stop), NULL, 0, -1, 0,
     "N: stop the driver once the total count reaches N"},
    {"COUNT_CALL", PL_T_STRING, offsetof(ac_state, count_call), NULL, 0, -1, 0,
     "N HANDLER [VALUE]: call a write handler once the total count reaches N"},
    {"BANNER", PL_T_STRING, offsetof(ac_state, banner), NULL, 0, -1, 0,
     "text written at the head of the files, after !IPAggregate"},
    {0}};

static const pl_handler handlers[] = {
    {"write_text_file", "write 'AGGREGATE COUNT' lines to the named file ('-': stdout)", NULL,
     w_text},
    {"write_ascii_file", "the same as write_text_file", NULL, w_text},
    {"write_file", "write packed 8-byte records (!packed_le / !packed_be)", NULL, w_binary},
    {"write_ip_file", "as write_text_file, aggregates as IP addresses", NULL, w_ip},
    {"write_pdf_file", "as write_text_file, counts as fractions of the total", NULL, w_pdf},
    {"freeze", "true: count only aggregates already seen", r_freeze, w_freeze, PL_H_CHECKBOX},
    {"active", "false: count nothing", r_active, w_active, PL_H_CHECKBOX},
    {"stop", "set active false and stop the driver", NULL, w_stop, PL_H_BUTTON},
    {"clear", "forget every aggregate", NULL, w_clear, PL_H_BUTTON},
    {"counts_pdf", "replace the aggregates by their counts' multiset", NULL, w_counts_pdf},
    {"reaggregate_counts", "the same as counts_pdf", NULL, w_counts_pdf},
    {"banner", "the BANNER setting", r_banner, NULL},
    {"nagg", "aggregates with a nonzero count", r_nagg, NULL},
    {"count", "the total count", r_count, NULL},
    {0}};

static const pl_class aggregate_counter = {
    .name = "AggregateCounter",
    .ports = "1-2/1-2",
    .processing = "h/h",
    .doc = "AggregateCounter([KEYWORDS])\n"
           "Counts packets per aggregate annotation.\n\n"
           "Keeps, for each aggregate annotation value (AggregateIPFlows and\n"
           "FromIPSummaryDump set it), how many packets (or, with BYTES, bytes) it has\n"
           "seen; the write_file handlers dump the counts. A frozen AggregateCounter\n"
           "(freeze, AGGREGATE_FREEZE, COUNT_FREEZE) only updates aggregates it has\n"
           "already seen; its second input, if any, is always frozen. With two outputs,\n"
           "packets counted leave on output 0 and the others on output 1.\n"
           "Keywords: BYTES, IP_BYTES, MULTIPACKET (default true), EXTRA_LENGTH (default\n"
           "true), AGGREGATE_FREEZE, AGGREGATE_STOP, AGGREGATE_CALL 'N HANDLER [VALUE]'\n"
           "(at most one of the three), COUNT_FREEZE, COUNT_STOP, COUNT_CALL (at most\n"
           "one), BANNER.\n"
           "Files: '!IPAggregate 1.0', the banner, '!num_nonzero N', then one line\n"
           "'AGGREGATE COUNT' per aggregate in increasing order (write_ip_file: '!ip'\n"
           "and aggregates as addresses; write_pdf_file: counts over the total;\n"
           "write_file: '!packed_le' then 8-byte records, aggregate and count in host\n"
           "order). Aggregates are host-order numbers: 128.0.0.0 is 2147483648.\n"
           "Handlers: write_text_file, write_ascii_file, write_file, write_ip_file,\n"
           "write_pdf_file, freeze, active, stop, clear, counts_pdf, reaggregate_counts,\n"
           "banner, nagg, count.\n"
           "Counters: counted, uncounted.\n\n"
           "Example: FromIPSummaryDump(-, STOP true) -> AggregateIP(ip dst) -> ac :: AggregateCounter\n"
           "    -> Discard;  DriverManager(wait_pause, write ac.write_text_file -);",
    .state_size = sizeof(ac_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .configure = ac_configure,
    .cleanup = ac_cleanup,
    .push = ac_push,
};
PL_REGISTER_CLASS(aggregate_counter);
