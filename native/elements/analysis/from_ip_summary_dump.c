/* FromIPSummaryDump: makes packets from Click's IP summary dump text, a line each. */
#include "../../core/anno.h"
#include "../../lib/ipsumdump.h"
#include "../../lib/random.h"
#include "../../lib/timestamp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *file, *data, *fields, *flowid, *proto;
    uint8_t stop, active, zero, timing, checksum, multipacket, allow_nonexistent;
    double sample;
    uint64_t burst;
    pl_isd_source src;
    pl_packet *due;               /* TIMING: waiting for its time */
    uint64_t due_at;              /* ... which is this, on the engine clock */
    int have_timing;
    int64_t timing_offset;        /* engine clock minus packet time */
    pl_timer timer;
    pl_notifier note;             /* pulled: it has packets (Click's empty notifier) */
    int pulled, stopped;
    uint64_t rng;
    uint32_t sample_prob;         /* 28-bit fixed point, as Click */
} fisd_state;

enum { C_SAMPLED, C_PARSE, C_NOBUFS, C_SENT };
static const char *const counters[] = {"sampled_out", "parse_errors", "nobufs", "sent", NULL};

static int fisd_configure(pl_element *e, pl_error *err)
{
    fisd_state *s = PL_STATE(e, fisd_state);
    s->src.r.default_proto = 6;
    s->src.name = s->file ? s->file : "DATA";
    s->src.checksum = s->checksum;
    if (s->proto && pl_isd_reader_proto(&s->src.r, s->proto))
        return pl_seterr(err, PL_ERR_CONFIG, e, "PROTO", "PROTO: bad protocol '%s'", s->proto);
    if (s->multipacket)
        return pl_seterr(err, PL_ERR_CONFIG, e, "MULTIPACKET",
                         "MULTIPACKET: not supported by pktlab");
    s->src.r.minor_version = 3;
    if (s->fields) {
        char warn[160];
        if (pl_isd_reader_fields(&s->src.r, s->fields, warn, sizeof warn) < 0)
            return pl_seterr(err, PL_ERR_CONFIG, e, "FIELDS", "no contents specified");
        if (warn[0])
            pl_message(e, PL_MSG_WARNING, "%s", warn);
    }
    if (s->flowid) {
        char line[256];
        snprintf(line, sizeof line, "! %s", s->flowid);
        if (pl_isd_reader_flowid(&s->src.r, line))
            return pl_seterr(err, PL_ERR_CONFIG, e, "FLOWID", "bad !flowid specification");
    }
    s->sample_prob = (uint32_t)(s->sample * (1 << 28) + 0.5);
    if (s->sample == 0)
        pl_message(e, PL_MSG_WARNING, "SAMPLE probability is 0; emitting no packets");
    if (s->data && s->file)
        return pl_seterr(err, PL_ERR_CONFIG, e, "DATA", "FILENAME and DATA conflict");
    if (!s->data && !s->file)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILENAME", "FILENAME: required argument missing");
    s->src.k.b = calloc(1, PL_ISD_MAXPKT);
    if (!s->src.k.b)
        return pl_seterr(err, PL_ERR_NOMEM, e, NULL, "out of memory");
    s->rng = pl_rand_seed(e, e->name);
    if (s->data) {
        s->src.mem = s->data;
        s->src.mem_end = s->data + strlen(s->data);
    } else if (!strcmp(s->file, "-")) {
        s->src.f = stdin;
    } else {
        s->src.f = fopen(s->file, "r");
        if (!s->src.f && !(s->allow_nonexistent && errno == ENOENT))
            return pl_seterr(err, PL_ERR_CONFIG, e, "FILENAME", "%s: %s", s->file,
                             strerror(errno));
        if (!s->src.f)
            s->src.eof = 1;
    }
    /* as Click: a file that does not start like a dump gets a warning */
    if (s->src.mem && !s->fields) {
        const char *d = s->src.mem;
        if (strncmp(d, "!IPSummaryDump", 14) && strncmp(d, "!creator", 8) && strncmp(d, "!data", 5)
            && strncmp(d, "!contents", 9) && strncmp(d, "!proto", 6) && strncmp(d, "!flowid", 7))
            pl_message(e, PL_MSG_WARNING, "DATA: missing banner line; is this an IP summary dump?");
    }
    return 0;
}

static void wake_note(pl_timer *t, pl_ctx *ctx)
{
    (void)ctx;
    pl_notifier_wake(&PL_STATE(t->owner, fisd_state)->note);
}

static int fisd_initialize(pl_element *e, pl_error *err)
{
    fisd_state *s = PL_STATE(e, fisd_state);
    pl_notifier_init(&s->note, 1);
    if (pl_output_is_pull(e, 0)) {
        s->pulled = 1;
        e->no_task = 1;
        pl_timer_init(&s->timer, e, wake_note, NULL);
        return pl_notifier_provide(e, PL_NOTE_EMPTY, 0, &s->note, 0, err);
    }
    pl_timer_init(&s->timer, e, pl_timer_wake_task, NULL);
    return 0;
}

static void fisd_cleanup(pl_element *e)
{
    fisd_state *s = PL_STATE(e, fisd_state);
    if (s->src.f && s->src.f != stdin)
        fclose(s->src.f);
    s->src.f = NULL;
    free(s->src.line);
    free(s->src.k.b);
    s->src.line = NULL;
    s->src.k.b = NULL;
}

static void at_end(pl_element *e, fisd_state *s)
{
    if (s->stop && !s->stopped)
        pl_engine_request_stop(e->eng);
    s->stopped = 1;
    if (s->pulled)
        pl_notifier_sleep(&s->note);
    else
        atomic_store_explicit(&e->task_done, 1, memory_order_relaxed);
}

/* Up to max packets into *b; the count. */
static uint32_t take(pl_element *e, fisd_state *s, pl_ctx *ctx, uint32_t max, pl_packet **b)
{
    uint32_t n = 0;
    while (n < max) {
        pl_packet *p = s->due;
        s->due = NULL;
        if (!p && !s->src.eof)
            p = pl_isd_source_next(&s->src, e, ctx, C_PARSE, C_NOBUFS);
        if (!p)
            break;
        if (s->timing) {
            int64_t now = (int64_t)pl_engine_now_ns(e->eng), ts = pl_ts_get(&p->timestamp);
            if (!s->have_timing) {
                s->have_timing = 1;
                s->timing_offset = now - ts;
            }
            int64_t when = ts + s->timing_offset;
            if (now < when) {
                s->due = p;
                s->due_at = (uint64_t)when;
                pl_timer_schedule_at(&s->timer, (uint64_t)when);
                if (s->pulled)
                    pl_notifier_sleep(&s->note);
                else
                    pl_task_sleep(e);
                break;
            }
        }
        if (s->sample_prob < (1u << 28)
            && (uint32_t)(pl_rand_next(&s->rng) & ((1u << 28) - 1)) >= s->sample_prob) {
            pl_drop(ctx, e, C_SAMPLED, p);
            continue;
        }
        pl_batch_append(b, p);
        n++;
    }
    if (s->src.eof && !s->due)
        at_end(e, s);
    return n;
}

static uint32_t fisd_run(pl_element *e, pl_ctx *ctx)
{
    fisd_state *s = PL_STATE(e, fisd_state);
    if (!PL_LIVE(s->active)) {
        pl_task_sleep(e);                 /* writing active wakes it */
        return 0;
    }
    pl_packet *b = NULL;
    uint32_t n = take(e, s, ctx, (uint32_t)PL_LIVE(s->burst), &b);
    if (b) {
        pl_count(ctx, e, C_SENT, n);
        pl_output_source(ctx, e, 0, b);
    }
    return n;
}

static pl_packet *fisd_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    (void)port;
    fisd_state *s = PL_STATE(e, fisd_state);
    if (!PL_LIVE(s->active)) {
        pl_notifier_sleep(&s->note);
        return NULL;
    }
    pl_packet *b = NULL;
    uint32_t n = take(e, s, ctx, max, &b);
    if (n)
        pl_count(ctx, e, C_SENT, n);
    return b;
}

/* A live write of ACTIVE: the pull side's notifier follows. */
static int write_active(pl_element *e, const char *v, pl_error *err)
{
    fisd_state *s = PL_STATE(e, fisd_state);
    int on;
    if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes"))
        on = 1;
    else if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no"))
        on = 0;
    else
        return pl_seterr(err, PL_ERR_HANDLER, e, "active", "type mismatch");
    __atomic_store_n(&s->active, (uint8_t)on, __ATOMIC_RELAXED);
    if (on && s->pulled && !s->stopped)
        pl_notifier_wake(&s->note);
    pl_task_wake(e);
    return 0;
}

/* A run starts again (an inline run goes in steps, each a start and a stop):
 * the packet that waits for its time gets its timer back, which the stop took. */
static int fisd_start(pl_element *e, pl_error *err)
{
    (void)err;
    fisd_state *s = PL_STATE(e, fisd_state);
    if (s->due && !s->stopped)
        pl_timer_schedule_at(&s->timer, s->due_at);
    return 0;
}

static void fisd_stop(pl_element *e, pl_ctx *ctx)
{
    fisd_state *s = PL_STATE(e, fisd_state);
    (void)ctx;
    pl_timer_unschedule(&s->timer);
}

static int read_sampling_prob(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%.9g", PL_STATE(e, fisd_state)->sample_prob / (double)(1 << 28));
}

static int read_encap(pl_element *e, char *buf, size_t len) { return pl_fmt(buf, len, "IP"); }

static int read_filename(pl_element *e, char *buf, size_t len)
{
    fisd_state *s = PL_STATE(e, fisd_state);
    return pl_fmt(buf, len, "%s", s->file ? s->file : "");
}

static int write_stop(pl_element *e, const char *v, pl_error *err)
{
    (void)v, (void)err;
    __atomic_store_n(&PL_STATE(e, fisd_state)->active, 0, __ATOMIC_RELAXED);
    pl_engine_request_stop(e->eng);
    return 0;
}

static int read_active(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", PL_LIVE(PL_STATE(e, fisd_state)->active) ? "true" : "false");
}

static const pl_handler handlers[] = {
    {.name = "active", .doc = "whether it sends", .read = read_active, .write = write_active,
     .flags = PL_H_CHECKBOX},
    {.name = "sampling_prob", .doc = "the sampling probability", .read = read_sampling_prob},
    {.name = "encap", .doc = "always IP", .read = read_encap},
    {.name = "filename", .doc = "the file", .read = read_filename},
    {.name = "stop", .doc = "stop sending and stop the driver", .write = write_stop,
     .flags = PL_H_BUTTON},
    {0}};

static const pl_param fisd_params[] = {
    {"FILENAME", PL_T_STRING, offsetof(fisd_state, file), NULL, 0, -1, PL_P_POSITIONAL,
     "the dump to read (- for standard input)"},
    {"STOP", PL_T_BOOL, offsetof(fisd_state, stop), "false", 0, -1, 0,
     "stop the driver at the end of the file"},
    {"ACTIVE", PL_T_BOOL, offsetof(fisd_state, active), "true", 0, -1, PL_P_LIVE,
     "whether it sends"},
    {"ZERO", PL_T_BOOL, offsetof(fisd_state, zero), "true", 0, -1, 0,
     "accepted: packet bytes no field sets are always zero"},
    {"TIMING", PL_T_BOOL, offsetof(fisd_state, timing), "false", 0, -1, 0,
     "send each packet when its time, relative to the first, has come"},
    {"CHECKSUM", PL_T_BOOL, offsetof(fisd_state, checksum), "false", 0, -1, 0,
     "fill the packets to their IP length and set IP, TCP, UDP and ICMP checksums"},
    {"SAMPLE", PL_T_REAL, offsetof(fisd_state, sample), "1", 0, 1, 0,
     "emit each packet with this probability"},
    {"PROTO", PL_T_STRING, offsetof(fisd_state, proto), NULL, 0, -1, 0,
     "IP protocol of packets whose line names none (default T, TCP)"},
    {"MULTIPACKET", PL_T_BOOL, offsetof(fisd_state, multipacket), "false", 0, -1, 0,
     "not supported (an error when true)"},
    {"FIELDS", PL_T_STRING, offsetof(fisd_state, fields), NULL, 0, -1, 0,
     "the fields, when the file has no !data line"},
    {"CONTENTS", PL_T_STRING, offsetof(fisd_state, fields), NULL, 0, -1, 0, "FIELDS"},
    {"DEFAULT_FIELDS", PL_T_STRING, offsetof(fisd_state, fields), NULL, 0, -1, 0, "FIELDS"},
    {"DEFAULT_CONTENTS", PL_T_STRING, offsetof(fisd_state, fields), NULL, 0, -1, 0, "FIELDS"},
    {"FLOWID", PL_T_STRING, offsetof(fisd_state, flowid), NULL, 0, -1, 0,
     "SRC SPORT DST DPORT [PROTO]: values for fields the lines leave out"},
    {"DEFAULT_FLOWID", PL_T_STRING, offsetof(fisd_state, flowid), NULL, 0, -1, 0, "FLOWID"},
    {"ALLOW_NONEXISTENT", PL_T_BOOL, offsetof(fisd_state, allow_nonexistent), "false", 0, -1,
     0, "a missing file is empty, not an error"},
    {"DATA", PL_T_STRING, offsetof(fisd_state, data), NULL, 0, -1, 0,
     "the dump's text itself, instead of FILENAME"},
    {"BURST", PL_T_UINT, offsetof(fisd_state, burst), "32", 1, 4096, PL_P_LIVE,
     "packets per batch"},
    {0}};

#define FISD_DOC                                                                             \
    "FromIPSummaryDump(FILENAME [, KEYWORDS STOP, TIMING, ACTIVE, ZERO, CHECKSUM, SAMPLE,\n"  \
    "                  PROTO, FIELDS, FLOWID, ALLOW_NONEXISTENT, DATA, BURST])\n"            \
    "Reads packets from a file in Click's IP summary dump text format.\n\n"                \
    "Each line is one packet, its fields as the last '!data' line names them (or\n"        \
    "FIELDS); '-' leaves a field out. The packet is built as Click builds it: an IP\n"     \
    "header (TTL 100, protocol from '!proto', PROTO or the line), a transport header\n"   \
    "for TCP, UDP and ICMP, the payload; ip_len (or payload_len) longer than what\n"      \
    "was built goes to the extra-length annotation, or with CHECKSUM true is filled\n"    \
    "with zeros and every checksum is set. Timestamps, paint (link, direction),\n"        \
    "aggregate, count and first_timestamp go to the annotations, the destination\n"      \
    "address to the destination annotation. Lines starting '#' are comments;\n"           \
    "'!proto', '!flowid' and '!data' lines change what follows; a line that does not\n"  \
    "parse is logged once (FILE:LINE: packet parse error) and counted. TIMING sends\n"   \
    "each packet when its time, relative to the first, has come (on the engine clock:\n"\
    "--simtime makes it virtual). STOP stops the driver at the end of the file.\n"        \
    "Fields: those ToIPSummaryDump writes except ip_capture_len (ignored, as Click);\n"  \
    "ip_opt reads routes, nop, eol and numbered options (not ts{}: the field is left\n"   \
    "out); Click's binary dumps and MULTIPACKET are refused, naming them.\n"              \
    "Handlers: active, stop, sampling_prob, encap, filename, burst.\n"                     \
    "Counters: sampled_out (drop reason), parse_errors, nobufs, sent.\n\n"                 \
    "Example: FromIPSummaryDump(in.txt, STOP true, CHECKSUM true)\n"                         \
    "    -> CheckIPHeader -> ToIPSummaryDump(-, FIELDS src dst proto);"

static const pl_class from_ip_summary_dump = {
    .name = "FromIPSummaryDump",
    .ports = "0/1",
    .processing = "a/a",
    .sources = PL_S_SOURCE,
    .doc = FISD_DOC,
    .state_size = sizeof(fisd_state),
    .params = fisd_params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .configure = fisd_configure,
    .initialize = fisd_initialize,
    .cleanup = fisd_cleanup,
    .run_task = fisd_run,
    .start = fisd_start,
    .pull = fisd_pull,
    .stop = fisd_stop,
};
PL_REGISTER_CLASS(from_ip_summary_dump);
