/* ToIPSummaryDump: writes one line of Click's IP summary dump text per packet. */
#include "../../lib/ipsumdump.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *file, *fields_kw, *contents_kw, *data_kw, *banner;
    uint8_t verbose, header, multipacket, bad_packets, careful_trunc, extra_length, binary;
    const pl_isd_field *fields[64];
    int nfields;
    FILE *f;                      /* NULL: the engine's standard output ("-") */
    pthread_mutex_t lock;
    int lock_ready;
    pl_isd_out line, bad;
    char *linebuf, *badbuf;
    _Atomic uint64_t count_base;
} tisd_state;

/* Packets that end here are freed under "consumed" (a drop reason); "written"
 * counts every line. */
enum { C_CONSUMED, C_WRITTEN };
static const char *const counters[] = {"consumed", "written", NULL};

#define LINE_CAP (4 * 65536 + 4096)

static void emit(pl_element *e, tisd_state *s, const char *d, size_t n)
{
    if (s->f)
        fwrite(d, 1, n, s->f);
    else
        pl_out(e->eng, d, n);
}

static int tisd_configure(pl_element *e, pl_error *err)
{
    tisd_state *s = PL_STATE(e, tisd_state);
    const char *list = s->fields_kw ? s->fields_kw : s->contents_kw ? s->contents_kw
                       : s->data_kw ? s->data_kw : "timestamp ip_src";
    const char *kw = s->fields_kw ? "FIELDS" : s->contents_kw ? "CONTENTS" : "DATA";
    if (s->binary)
        return pl_seterr(err, PL_ERR_CONFIG, e, "BINARY",
                         "BINARY: pktlab writes the text format only (binary dumps are not "
                         "supported)");
    if (s->multipacket)
        return pl_seterr(err, PL_ERR_CONFIG, e, "MULTIPACKET",
                         "MULTIPACKET: not supported by pktlab");
    s->nfields = 0;
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        const char *q = p;
        while (*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r')
            q++;
        char w[64];
        size_t n = (size_t)(q - p) < sizeof w ? (size_t)(q - p) : sizeof w - 1;
        memcpy(w, p, n);
        w[n] = 0;
        p = q;
        const pl_isd_field *f = pl_isd_find(w);
        if (!f)
            return pl_seterr(err, PL_ERR_CONFIG, e, kw,
                             pl_isd_known_unsupported(w)
                                 ? "%s: field '%s' is not supported by pktlab"
                                 : "%s: unknown content type '%s'", kw, w);
        if (s->nfields == 64)
            return pl_seterr(err, PL_ERR_CONFIG, e, kw, "%s: more than 64 fields", kw);
        s->fields[s->nfields++] = f;
    }
    if (!s->nfields)
        return pl_seterr(err, PL_ERR_CONFIG, e, kw, "no contents specified");
    s->linebuf = malloc(LINE_CAP);
    s->badbuf = malloc(256);
    if (!s->linebuf || !s->badbuf)
        return pl_seterr(err, PL_ERR_NOMEM, e, NULL, "out of memory");
    s->line = (pl_isd_out){s->linebuf, 0, LINE_CAP};
    s->bad = (pl_isd_out){s->badbuf, 0, 256};
    pthread_mutex_init(&s->lock, NULL);
    s->lock_ready = 1;
    return 0;
}

static int tisd_initialize(pl_element *e, pl_error *err)
{
    tisd_state *s = PL_STATE(e, tisd_state);
    if (strcmp(s->file, "-")) {
        s->f = fopen(s->file, "wb");
        if (!s->f)
            return pl_seterr(err, PL_ERR_CONFIG, e, "FILENAME", "%s: %s", s->file,
                             strerror(errno));
    }
    if (s->header) {
        pl_isd_out o = s->line;
        o.len = 0;
        pl_isd_puts(&o, "!IPSummaryDump 1.3\n");
        if (s->banner) {
            pl_isd_puts(&o, "!creator ");
            pl_isd_quote(&o, (const uint8_t *)s->banner, strlen(s->banner));
            pl_isd_putc(&o, '\n');
        }
        pl_isd_puts(&o, "!data");
        for (int i = 0; i < s->nfields; i++) {
            pl_isd_putc(&o, ' ');
            pl_isd_puts(&o, s->fields[i]->id == PL_ISD_NTIMESTAMP ? "timestamp"
                                                                   : s->fields[i]->name);
        }
        pl_isd_putc(&o, '\n');
        emit(e, s, o.s, o.len);
    }
    return pl_sink_init(e, 32, err);              /* after a Queue: a task that pulls */
}

static void tisd_cleanup(pl_element *e)
{
    tisd_state *s = PL_STATE(e, tisd_state);
    if (s->f)
        fclose(s->f);
    s->f = NULL;
    free(s->linebuf);
    free(s->badbuf);
    s->linebuf = s->badbuf = NULL;
    if (s->lock_ready)
        pthread_mutex_destroy(&s->lock);
    s->lock_ready = 0;
}

static void tisd_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    tisd_state *s = PL_STATE(e, tisd_state);
    pthread_mutex_lock(&s->lock);
    uint32_t n = 0;
    PL_BATCH_FOREACH(p, b) {
        s->line.len = s->bad.len = 0;
        pl_isd_write_line(s->fields, s->nfields, p, s->careful_trunc, s->extra_length,
                          &s->line, s->bad_packets ? &s->bad : NULL);
        if (s->bad.len)
            emit(e, s, s->bad.s, s->bad.len);
        emit(e, s, s->line.s, s->line.len);
        n++;
    }
    pthread_mutex_unlock(&s->lock);
    pl_count(ctx, e, C_WRITTEN, n);
    if (e->noutputs > 0 && atomic_load_explicit(&e->out[0], memory_order_acquire))
        pl_output(ctx, e, 0, b);
    else
        pl_drop_batch(ctx, e, C_CONSUMED, b);
}

static void tisd_stop(pl_element *e, pl_ctx *ctx)
{
    (void)ctx;
    tisd_state *s = PL_STATE(e, tisd_state);
    if (s->f && fflush(s->f))
        pl_log(e->eng, "%s: cannot write %s", e->name, s->file);
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    uint64_t base = atomic_load(&PL_STATE(e, tisd_state)->count_base);
    return pl_fmt(buf, len, "%llu", (unsigned long long)(pl_counter_total(e, C_WRITTEN) - base));
}

static int read_filename(pl_element *e, char *buf, size_t len)
{
    const char *f = PL_STATE(e, tisd_state)->file;
    return pl_fmt(buf, len, "%s", strcmp(f, "-") ? f : "<stdout>");
}

static const pl_handler handlers[] = {
    {.name = "count", .doc = "packets written", .read = read_count},
    {.name = "filename", .doc = "the file (<stdout> for -)", .read = read_filename},
    {0}};

static const pl_param params[] = {
    {"FILENAME", PL_T_STRING, offsetof(tisd_state, file), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "file to write, - for standard output"},
    {"FIELDS", PL_T_STRING, offsetof(tisd_state, fields_kw), NULL, 0, -1, 0,
     "the fields of each line, space-separated (default timestamp ip_src)"},
    {"CONTENTS", PL_T_STRING, offsetof(tisd_state, contents_kw), NULL, 0, -1, 0,
     "the same as FIELDS"},
    {"DATA", PL_T_STRING, offsetof(tisd_state, data_kw), NULL, 0, -1, 0,
     "the same as FIELDS (deprecated in Click)"},
    {"VERBOSE", PL_T_BOOL, offsetof(tisd_state, verbose), "false", 0, -1, 0,
     "accepted; the !host and !runtime lines are not written"},
    {"HEADER", PL_T_BOOL, offsetof(tisd_state, header), "true", 0, -1, 0,
     "write the !IPSummaryDump, !creator and !data lines first"},
    {"BANNER", PL_T_STRING, offsetof(tisd_state, banner), NULL, 0, -1, 0,
     "text of a !creator line"},
    {"MULTIPACKET", PL_T_BOOL, offsetof(tisd_state, multipacket), "false", 0, -1, 0,
     "not supported (an error when true)"},
    {"BAD_PACKETS", PL_T_BOOL, offsetof(tisd_state, bad_packets), "false", 0, -1, 0,
     "write a '!bad' line before each malformed packet's line"},
    {"CAREFUL_TRUNC", PL_T_BOOL, offsetof(tisd_state, careful_trunc), "true", 0, -1, 0,
     "with BAD_PACKETS: note packets cut shorter than their IP length"},
    {"EXTRA_LENGTH", PL_T_BOOL, offsetof(tisd_state, extra_length), "true", 0, -1, 0,
     "count the extra-length annotation in ip_len and payload_len"},
    {"BINARY", PL_T_BOOL, offsetof(tisd_state, binary), "false", 0, -1, 0,
     "not supported (an error when true): pktlab writes the text format"},
    {0}};

#define TISD_DOC                                                                             \
    "ToIPSummaryDump(FILENAME [, KEYWORDS FIELDS, BANNER, HEADER, BAD_PACKETS,\n"           \
    "                CAREFUL_TRUNC, EXTRA_LENGTH, VERBOSE])\n"                              \
    "Writes packet summaries to a file in Click's IP summary dump text format.\n\n"        \
    "Writes '!IPSummaryDump 1.3', an optional '!creator \"BANNER\"' and '!data FIELDS'\n" \
    "(HEADER false leaves them out), then one line per packet: each field of FIELDS\n"     \
    "(default 'timestamp ip_src'), space-separated, or '-' where the packet lacks it\n"    \
    "(no IP header, another protocol, a truncated header). FILENAME - is standard\n"       \
    "output. Fields, by Click's names and synonyms (src is ip_src, ts is timestamp):\n"   \
    "timestamp, ntimestamp, ts_sec, ts_usec, ts_usec1, first_timestamp, count, link,\n"    \
    "paint, direction, aggregate, wire_len, ip_src, ip_dst, ip_tos, ip_dscp, ip_ecn,\n"   \
    "ip_ttl, ip_frag, ip_fragoff, ip_id, ip_sum, ip_proto, ip_hl, ip_len,\n"              \
    "ip_capture_len, ip_opt, sport, dport, tcp_seq, tcp_ack, tcp_off, tcp_flags, tcp_window,\n"   \
    "tcp_urp, tcp_opt, udp_len, icmp_type, icmp_code, icmp_type_name, icmp_code_name,\n"  \
    "icmp_flowid, icmp_seq, icmp_nextmtu, payload_len, payload. Click's other fields\n"   \
    "(tcp_ntopt, tcp_sack, payload_md5, link-level fields) and BINARY and\n"                \
    "MULTIPACKET are refused with an error naming them. BAD_PACKETS writes a\n"           \
    "'!bad REASON' line before a malformed packet's line. Packets go on to output 0\n"   \
    "when it is connected. After a Queue its task pulls batches of 32.\n"                  \
    "Handlers: count, filename. Counters: consumed (packets freed here, a drop\n"         \
    "reason: output 0 unconnected), written (lines).\n\n"                                    \
    "Example: FromIPSummaryDump(in.txt, STOP true)\n"                                      \
    "    -> ToIPSummaryDump(-, FIELDS src sport dst dport proto);"

static const pl_class to_ip_summary_dump = {
    .name = "ToIPSummaryDump",
    .ports = "1/0-1",
    .processing = "a/h",
    .doc = TISD_DOC,
    .state_size = sizeof(tisd_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .configure = tisd_configure,
    .initialize = tisd_initialize,
    .cleanup = tisd_cleanup,
    .push = tisd_push,
    .run_task = pl_sink_run,
    .stop = tisd_stop,
};
PL_REGISTER_CLASS(to_ip_summary_dump);
