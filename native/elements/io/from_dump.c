/* FromDump: replays a pcap or pcapng file, streamed, with Click's FromDump keywords. */
#include "from_dump.h"

#include <stdlib.h>

static const char *const counters[] = {"too_long", "non_ip", "sent", "nobufs", "skipped", NULL};

enum { R_PACKET, R_SKIP, R_STOP };

static int fdump_configure(pl_element *e, pl_error *err)
{
    fdump_state *s = PL_STATE(e, fdump_state);
    atomic_store(&s->d.seek_to, -1);
    if (pl_trace_window_init(&s->d.win, s->start, s->start_after, s->end, s->end_after,
                             s->interval, s->sample, e, err))
        return err->status;
    if (s->end_call) {
        if (s->stop)
            return pl_seterr(err, PL_ERR_CONFIG, e, "END_CALL",
                             "END_CALL and STOP are mutually exclusive");
        /* Handlers run on the worker thread here: only FromDump's own, and the
         * driver's stop, are safe to call from there. */
        size_t n = strlen(e->name);
        const char *h = s->end_call;
        if (!strncmp(h, e->name, n) && h[n] == '.')
            h += n + 1;
        if (!strcmp(h, "stop"))
            s->end_stop = 1;
        else if (!strcmp(h, "active false") || !strcmp(h, "active 0"))
            s->end_inactive = 1;
        else
            return pl_seterr(err, PL_ERR_CONFIG, e, "END_CALL",
                             "END_CALL: '%s' is not supported; use '%s.active false', "
                             "'%s.stop' or 'stop' (other handlers would run on the worker "
                             "thread)", s->end_call, e->name, e->name);
    } else if (s->stop) {
        s->end_stop = 1;
    } else if (s->d.win.any_end) {
        s->end_inactive = 1;
    }
    s->d.force_ip = s->force_ip;
    if (pl_pcap_open_read(&s->d.r, s->file, e, err))
        return err->status;
    if (s->force_ip && !pl_linktype_force_ipable(s->d.r.linktype)) {
        char name[16];
        pl_seterr(err, PL_ERR_CONFIG, e, "FORCE_IP", "unknown linktype %s; can't force IP packets",
                  pl_linktype_name(s->d.r.linktype, name, sizeof name));
        pl_pcap_close_read(&s->d.r);
        return err->status;
    }
    char why[120];
    if (s->filepos_arg && pl_dump_seek(&s->d, s->filepos_arg, why, sizeof why)) {
        pl_seterr(err, PL_ERR_CONFIG, e, "FILEPOS", "FILEPOS: %s", why);
        pl_pcap_close_read(&s->d.r);
        return err->status;
    }
    atomic_store(&s->d.pos, s->d.r.pos);
    return 0;
}

static void fdump_cleanup(pl_element *e)
{
    fdump_state *s = PL_STATE(e, fdump_state);
    pl_pcap_close_read(&s->d.r);
    free(s->saved);
    s->saved = NULL;
}

static void end_reached(pl_element *e, fdump_state *s)
{
    if (s->end_stop || s->end_inactive)
        __atomic_store_n(&s->active, 0, __ATOMIC_RELAXED);
    if (s->end_stop)
        pl_engine_request_stop(e->eng);
}

/* The next packet for output 0 (*pp), or one for output 1 (*nonip). */
static int read_one(pl_element *e, fdump_state *s, pl_ctx *ctx, pl_packet **pp,
                    pl_packet **nonip)
{
    if (s->has_saved) {               /* the packet that waited when the engine stopped */
        pl_packet *p = pl_packet_alloc_len(ctx->pool, s->saved_len);
        if (!p) {
            pl_count(ctx, e, C_NOBUFS, 1);
            return R_STOP;
        }
        memcpy(p->data, s->saved, s->saved_len);
        p->timestamp = s->saved_ts;
        p->mac_off = (uint16_t)(p->data - p->buf);
        s->has_saved = 0;
        *pp = p;
        return R_PACKET;
    }
    pl_packet *p = NULL;
    switch (pl_dump_next(&s->d, ctx->pool, &p)) {
    case PL_DUMP_PACKET:
        atomic_store_explicit(&s->d.packet_pos, s->d.rec.filepos, memory_order_relaxed);
        *pp = p;
        return R_PACKET;
    case PL_DUMP_NONIP:
        if (e->noutputs > 1)
            pl_batch_append(nonip, p);
        else
            pl_drop(ctx, e, C_NONIP, p);
        return R_SKIP;
    case PL_DUMP_SKIPPED:
        pl_count(ctx, e, C_SKIPPED, 1);
        return R_SKIP;
    case PL_DUMP_TOOLONG:
        pl_count(ctx, e, C_TOOLONG, 1);
        return R_SKIP;
    case PL_DUMP_END:
        end_reached(e, s);
        if (PL_LIVE(s->active))
            return R_SKIP;            /* still active (extended): look again */
        pl_dump_drop(&s->d);          /* as Click: the record at END is not emitted */
        return R_STOP;
    case PL_DUMP_NOBUFS:
        pl_count(ctx, e, C_NOBUFS, 1);
        return R_STOP;
    default:
        if (s->d.corrupt && !s->logged) {
            s->logged = 1;
            pl_log(e->eng, "%s: %s: %s; stopped there", PL_NAME(e), s->file, s->d.r.error);
        }
        return R_STOP;
    }
}

/* What the handlers asked for since the last run. */
static void take_requests(pl_element *e, fdump_state *s, pl_ctx *ctx)
{
    char why[120];
    int did = pl_dump_take_requests(&s->d, why, sizeof why);
    if (did & PL_DUMP_REQ_EXTENDED)
        __atomic_store_n(&s->active, 1, __ATOMIC_RELAXED);
    if (did & (PL_DUMP_REQ_RETIMED | PL_DUMP_REQ_SEEKED))
        s->started = 0;
    if (did & PL_DUMP_REQ_SEEKED) {
        if (s->due)
            pl_packet_free(ctx->pool, s->due);
        s->due = NULL;
        s->has_saved = s->logged = 0;
    }
    if (did & PL_DUMP_REQ_SEEK_FAILED)
        pl_log(e->eng, "%s: filepos: %s", PL_NAME(e), why);
}

static uint32_t fdump_run(pl_element *e, pl_ctx *ctx)
{
    fdump_state *s = PL_STATE(e, fdump_state);
    take_requests(e, s, ctx);
    if (!PL_LIVE(s->active))
        return 0;
    uint32_t burst = (uint32_t)PL_LIVE(s->burst);
    uint64_t now = s->timing ? pl_now_ns() : 0;
    pl_packet *b = NULL, *nonip = NULL;
    uint32_t n = 0, tries = 0;
    while (n < burst && tries++ < 4 * burst) {
        pl_packet *p = s->due;
        s->due = NULL;
        if (!p) {
            if (s->d.eof && !s->has_saved)
                break;
            int rc = read_one(e, s, ctx, &p, &nonip);
            if (rc == R_STOP)
                break;
            if (rc == R_SKIP)
                continue;
        }
        if (s->timing) {
            if (!s->started) {
                s->started = 1;
                s->t0_wall = now;
                s->t0_file = p->timestamp;
            }
            if (p->timestamp > s->t0_file && p->timestamp - s->t0_file > now - s->t0_wall) {
                s->due = p;
                break;
            }
        }
        pl_batch_append(&b, p);
        n++;
    }
    atomic_store_explicit(&s->d.pos, pl_pcap_tell(&s->d.r), memory_order_relaxed);
    if (b) {
        pl_count(ctx, e, C_SENT, n);
        pl_output_source(ctx, e, 0, b);
    }
    if (nonip)
        pl_output_source(ctx, e, 1, nonip);
    if (s->d.eof && !s->due && !s->has_saved && !b && !nonip) {
        end_reached(e, s);
        atomic_store_explicit(&e->task_done, 1, memory_order_relaxed);
    }
    return n || nonip ? n + (nonip != NULL) : s->due != NULL;
}

/* A packet waiting for its time is kept aside (the file is a stream) and its
 * buffer goes back to the pool; after a restart it goes first, and the timing
 * restarts from it. */
static void fdump_stop(pl_element *e, pl_ctx *ctx)
{
    fdump_state *s = PL_STATE(e, fdump_state);
    s->started = 0;
    pl_packet *p = s->due;
    s->due = NULL;
    if (!p)
        return;
    if (s->saved_cap < p->len) {
        free(s->saved);
        s->saved = malloc(p->len);
        s->saved_cap = s->saved ? p->len : 0;
    }
    if (s->saved) {
        memcpy(s->saved, p->data, p->len);
        s->saved_len = p->len;
        s->saved_ts = p->timestamp;
        s->has_saved = 1;
        pl_packet_free(ctx->pool, p);
    } else {
        pl_drop(ctx, e, C_NOBUFS, p);     /* no memory to keep it: count it lost */
    }
}

#define FDUMP_DOC                                                                            \
    "FromDump(FILE [, TIMING, KEYWORDS STOP, SAMPLE, FORCE_IP, START, START_AFTER, END,\n"  \
    "         END_AFTER, INTERVAL, END_CALL, FILEPOS, ACTIVE, BURST, MMAP])\n"                \
    "Reads packets from a tcpdump (pcap) or pcapng file.\n\n"                                  \
    "Streams FILE a buffer at a time, never the whole file, and pushes BURST packets\n"     \
    "per batch. Reads classic pcap (microsecond or nanosecond timestamps, either byte\n"    \
    "order) and pcapng (several sections and interfaces, each with its own link type\n"    \
    "and timestamp resolution; blocks other than packets and descriptions are\n"           \
    "skipped). Packets have any length up to 65,535 bytes and more (longer records\n"     \
    "are dropped as too_long); each packet's MAC header annotation is its first byte,\n"  \
    "its timestamp the record's, its extra-length annotation the bytes the capture\n"     \
    "cut (what ToDump's EXTRA_LENGTH writes back). Any link type is read; Ethernet,\n"     \
    "raw IP (link types 12, 14, 101, 228, 229), Linux cooked (SLL 113, SLL2 276),\n"     \
    "BSD loopback (0, 108), PPP and Cisco HDLC are understood by FORCE_IP.\n\n"              \
    "TIMING (also positional): send each packet when its time, relative to the first,\n" \
    "has come. STOP: stop the engine at the end of the file (or at END). SAMPLE: emit\n"  \
    "each packet with this probability (28-bit fixed point, as Click). FORCE_IP: emit\n" \
    "only IP packets, with the IP header and destination annotations set; others go\n"  \
    "to output 1 when it is connected, else are dropped (non_ip). Raw IP files force\n"  \
    "it, as in Click. START (seconds since the epoch) or START_AFTER (a time into the\n" \
    "trace) skip earlier packets; END, END_AFTER or INTERVAL (after the first packet\n" \
    "emitted) end at the first packet at or past that time, which is not emitted, and\n" \
    "then call END_CALL: NAME.active false by default, NAME.stop with STOP (only\n"      \
    "FromDump's own handlers: others would run on the worker thread). FILEPOS: start\n" \
    "at this file offset, which must be where a record (pcapng: a block) starts. MMAP\n" \
    "is accepted and ignored. At the end of the file the task ends.\n"                   \
    "Handlers: count, reset_counts, sampling_prob, active, encap, filename, filesize,\n" \
    "filepos (write: move to an offset), packet_filepos, extend_interval, reset_timing,\n" \
    "stop, burst.\n"                                                                       \
    "Counters: too_long, non_ip (drop reasons), sent, nobufs (runs that found the pool\n" \
    "empty), skipped (before START or sampled out).\n\n"                                    \
    "Example: FromDump(in.pcapng, STOP true, FORCE_IP true) -> c :: Counter\n"             \
    "    -> ToDump(out.pcap, SNAPLEN 0);"

static const pl_param params[] = {
    {"FILE", PL_T_STRING, offsetof(fdump_state, file), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "pcap or pcapng file to read"},
    {"TIMING", PL_T_BOOL, offsetof(fdump_state, timing), "false", 0, -1, PL_P_POSITIONAL,
     "send packets at the pace of their timestamps"},
    {"STOP", PL_T_BOOL, offsetof(fdump_state, stop), "false", 0, -1, 0,
     "stop the engine at the end of the file (or at END)"},
    {"ACTIVE", PL_T_BOOL, offsetof(fdump_state, active), "true", 0, -1, PL_P_LIVE,
     "whether to send"},
    {"SAMPLE", PL_T_REAL, offsetof(fdump_state, sample), "1", 0, 1, 0,
     "emit each packet with this probability"},
    {"FORCE_IP", PL_T_BOOL, offsetof(fdump_state, force_ip), "false", 0, -1, 0,
     "emit only IP packets, with the IP header annotation set (others: output 1 or dropped)"},
    {"START", PL_T_STRING, offsetof(fdump_state, start), NULL, 0, -1, 0,
     "emit packets from this absolute time (seconds since the epoch)"},
    {"START_AFTER", PL_T_TIME, offsetof(fdump_state, start_after), NULL, 0, -1, 0,
     "skip the first T of the trace"},
    {"END", PL_T_STRING, offsetof(fdump_state, end), NULL, 0, -1, 0,
     "end at the first packet at or after this absolute time"},
    {"END_AFTER", PL_T_TIME, offsetof(fdump_state, end_after), NULL, 0, -1, 0,
     "end at the first packet T after the trace's first"},
    {"INTERVAL", PL_T_TIME, offsetof(fdump_state, interval), NULL, 0, -1, 0,
     "end at the first packet T after the first packet emitted"},
    {"END_CALL", PL_T_STRING, offsetof(fdump_state, end_call), NULL, 0, -1, 0,
     "handler to call at the end: NAME.active false (the default with END), NAME.stop"},
    {"FILEPOS", PL_T_UINT, offsetof(fdump_state, filepos_arg), "0", 0, -1, 0,
     "start at this file offset (the start of a record)"},
    {"MMAP", PL_T_BOOL, offsetof(fdump_state, mmap), "false", 0, -1, 0,
     "accepted for Click's configurations; the file is always streamed"},
    {"BURST", PL_T_UINT, offsetof(fdump_state, burst), "32", 1, 4096, PL_P_LIVE,
     "packets per batch"},
    {0}};

static const pl_class from_dump = {
    .name = "FromDump",
    .ports = "0/1-2",
    .processing = "a/h",
    .doc = FDUMP_DOC,
    .state_size = sizeof(fdump_state),
    .params = params,
    .handlers = pl_from_dump_handlers,
    .counters = counters,
    .ndrops = 2,
    .configure = fdump_configure,
    .cleanup = fdump_cleanup,
    .run_task = fdump_run,
    .stop = fdump_stop,
};
PL_REGISTER_CLASS(from_dump);
