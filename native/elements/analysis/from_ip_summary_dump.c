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
    FILE *f;
    const char *mem, *mem_end;    /* DATA: the text, the rest to read */
    char *line;
    size_t line_cap;
    long lineno;
    int eof, complained, warned_data;
    pl_isd_reader r;
    pl_isd_pkt k;
    pl_packet *due;               /* TIMING: waiting for its time */
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

#define NAME(s) ((s)->file ? (s)->file : "DATA")

/* The next line (without its newline) in s->line; -1 at the end. */
static long next_line(fisd_state *s)
{
    if (s->mem) {
        if (s->mem >= s->mem_end)
            return -1;
        const char *nl = memchr(s->mem, '\n', (size_t)(s->mem_end - s->mem));
        size_t n = nl ? (size_t)(nl - s->mem) : (size_t)(s->mem_end - s->mem);
        if (n + 1 > s->line_cap) {
            char *b = realloc(s->line, n + 1);
            if (!b)
                return -1;
            s->line = b, s->line_cap = n + 1;
        }
        memcpy(s->line, s->mem, n);
        s->line[n] = 0;
        s->mem += n + (nl != NULL);
        s->lineno++;
        return (long)n;
    }
    if (!s->f)
        return -1;
    ssize_t n = getline(&s->line, &s->line_cap, s->f);
    if (n < 0)
        return -1;
    if (n && s->line[n - 1] == '\n')
        s->line[--n] = 0;
    if (n && s->line[n - 1] == '\r')
        s->line[--n] = 0;
    s->lineno++;
    return (long)n;
}

static int bang(pl_element *e, fisd_state *s, const char *l, size_t n)
{
#define IS(w) (n > sizeof w - 1 && !memcmp(l, w, sizeof w - 1) && (l[sizeof w - 1] == ' ' || l[sizeof w - 1] == '\t'))
    char warn[160];
    if (IS("!data") || IS("!contents")) {
        if (pl_isd_reader_fields(&s->r, l, warn, sizeof warn) < 0)
            pl_log(e->eng, "%s:%ld: no contents specified", NAME(s), s->lineno);
        else if (warn[0])
            pl_log(e->eng, "%s:%ld: warning: %s", NAME(s), s->lineno, warn);
    } else if (IS("!proto")) {
        const char *w = l + 6;
        while (*w == ' ' || *w == '\t')
            w++;
        if (pl_isd_reader_proto(&s->r, w))
            pl_log(e->eng, "%s:%ld: bad protocol in !proto", NAME(s), s->lineno);
    } else if (IS("!flowid")) {
        if (pl_isd_reader_flowid(&s->r, l))
            pl_log(e->eng, "%s:%ld: bad !flowid specification", NAME(s), s->lineno);
    } else if (IS("!binary")) {
        pl_log(e->eng, "%s:%ld: binary IP summary dumps are not supported by pktlab; "
               "stopped there", NAME(s), s->lineno);
        return -1;
    }
    return 0;
#undef IS
}

/* The next packet of the file, or NULL at its end. */
static pl_packet *read_packet(pl_element *e, fisd_state *s, pl_ctx *ctx)
{
    for (;;) {
        long n = next_line(s);
        if (n < 0) {
            s->eof = 1;
            return NULL;
        }
        const char *l = s->line;
        if (!n)
            continue;
        if (l[0] == '!') {
            if (bang(e, s, l, (size_t)n)) {
                s->eof = 1;
                return NULL;
            }
            continue;
        }
        if (l[0] == '#')
            continue;
        int used = s->r.nfields ? pl_isd_read_line(&s->r, l, (size_t)n, &s->k, s->checksum) : 0;
        if (!used) {
            const char *c = l;
            while (*c == ' ' || *c == '\t' || *c == '\r')
                c++;
            if (*c && !s->complained) {
                s->complained = 1;
                pl_log(e->eng, "%s:%ld: %s", NAME(s), s->lineno,
                       s->r.nfields ? "packet parse error" : "no '!data' provided");
            }
            if (*c)
                pl_count(ctx, e, C_PARSE, 1);
            continue;
        }
        pl_isd_pkt *k = &s->k;
        pl_packet *p = pl_packet_alloc_len(ctx->pool, k->len);
        if (!p) {
            pl_count(ctx, e, C_NOBUFS, 1);
            return NULL;
        }
        memcpy(p->data, k->b, k->len);
        if (k->has_net) {
            p->net_off = (uint16_t)(p->data - p->buf);
            memcpy(&p->dst_ip, k->b + 16, 4);
        }
        p->timestamp = (uint64_t)k->ts;
        p->paint = k->paint;
        pl_anno_set_u32(p, PL_ANNO_AGGREGATE, k->aggregate);
        pl_anno_set_u32(p, PL_ANNO_EXTRA_PACKETS, k->extra_packets);
        if (k->has_first_ts)
            memcpy(p->anno + PL_ANNO_FIRST_TIMESTAMP, &k->first_ts, 8);
        if (k->want_len > k->len)
            pl_anno_set_u32(p, PL_ANNO_EXTRA_LENGTH, k->want_len - k->len);
        return p;
    }
}

static int fisd_configure(pl_element *e, pl_error *err)
{
    fisd_state *s = PL_STATE(e, fisd_state);
    s->r.default_proto = 6;
    if (s->proto && pl_isd_reader_proto(&s->r, s->proto))
        return pl_seterr(err, PL_ERR_CONFIG, e, "PROTO", "PROTO: bad protocol '%s'", s->proto);
    if (s->multipacket)
        return pl_seterr(err, PL_ERR_CONFIG, e, "MULTIPACKET",
                         "MULTIPACKET: not supported by pktlab");
    s->r.minor_version = 3;
    if (s->fields) {
        char warn[160];
        if (pl_isd_reader_fields(&s->r, s->fields, warn, sizeof warn) < 0)
            return pl_seterr(err, PL_ERR_CONFIG, e, "FIELDS", "no contents specified");
        if (warn[0])
            pl_message(e, PL_MSG_WARNING, "%s", warn);
    }
    if (s->flowid) {
        char line[256];
        snprintf(line, sizeof line, "! %s", s->flowid);
        if (pl_isd_reader_flowid(&s->r, line))
            return pl_seterr(err, PL_ERR_CONFIG, e, "FLOWID", "bad !flowid specification");
    }
    s->sample_prob = (uint32_t)(s->sample * (1 << 28) + 0.5);
    if (s->sample == 0)
        pl_message(e, PL_MSG_WARNING, "SAMPLE probability is 0; emitting no packets");
    if (s->data && s->file)
        return pl_seterr(err, PL_ERR_CONFIG, e, "DATA", "FILENAME and DATA conflict");
    if (!s->data && !s->file)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILENAME", "FILENAME: required argument missing");
    s->k.b = calloc(1, PL_ISD_MAXPKT);
    if (!s->k.b)
        return pl_seterr(err, PL_ERR_NOMEM, e, NULL, "out of memory");
    s->rng = pl_rand_seed(e, e->name);
    if (s->data) {
        s->mem = s->data;
        s->mem_end = s->data + strlen(s->data);
    } else if (!strcmp(s->file, "-")) {
        s->f = stdin;
    } else {
        s->f = fopen(s->file, "r");
        if (!s->f && !(s->allow_nonexistent && errno == ENOENT))
            return pl_seterr(err, PL_ERR_CONFIG, e, "FILENAME", "%s: %s", s->file,
                             strerror(errno));
        if (!s->f)
            s->eof = 1;
    }
    /* as Click: a file that does not start like a dump gets a warning */
    if (s->mem && !s->fields) {
        const char *d = s->mem;
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
    if (s->f && s->f != stdin)
        fclose(s->f);
    s->f = NULL;
    free(s->line);
    free(s->k.b);
    s->line = NULL;
    s->k.b = NULL;
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
        if (!p && !s->eof)
            p = read_packet(e, s, ctx);
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
    if (s->eof && !s->due)
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
    .pull = fisd_pull,
    .stop = fisd_stop,
};
PL_REGISTER_CLASS(from_ip_summary_dump);
