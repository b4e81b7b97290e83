/* FromDump: replays a pcap file, streamed, optionally with its original timing. */
#include "../../io/pcap_file.h"

#include <stdlib.h>

#define MAX_FRAME (PL_BUFSIZE - PL_HEADROOM)

typedef struct {
    char *file;
    uint8_t stop, timing, active;
    uint64_t burst;
    pl_pcap_reader r;
    pl_packet *due;                   /* read, waiting for its time (TIMING) */
    uint8_t *saved;                   /* `due` across a stop: its bytes, length, time */
    uint32_t saved_len;
    int has_saved;
    uint64_t saved_ts;
    uint64_t t0_wall, t0_file;        /* TIMING: when the first packet went, its timestamp */
    int started, eof, corrupt;
    _Atomic uint64_t pos;             /* file offset, for the filepos handler */
} fdump_state;

enum { C_TOOLONG, C_SENT, C_NOBUFS };
static const char *const counters[] = {"too_long", "sent", "nobufs", NULL};

static int fdump_configure(pl_element *e, pl_error *err)
{
    fdump_state *s = PL_STATE(e, fdump_state);
    return pl_pcap_open_read(&s->r, s->file, e, err);
}

static void fdump_cleanup(pl_element *e)
{
    fdump_state *s = PL_STATE(e, fdump_state);
    pl_pcap_close_read(&s->r);
    free(s->saved);
    s->saved = NULL;
}

/* The next packet from the file, or NULL (end of file, no buffer). */
static pl_packet *read_one(pl_element *e, fdump_state *s, pl_ctx *ctx)
{
    for (;;) {
        pl_packet *p = pl_packet_alloc(ctx->pool);
        if (!p) {
            pl_count(ctx, e, C_NOBUFS, 1);
            return NULL;
        }
        if (s->has_saved) {           /* the packet that waited when the engine stopped */
            memcpy(p->data, s->saved, s->saved_len);
            p->len = s->saved_len;
            p->timestamp = s->saved_ts;
            p->mac_off = PL_HEADROOM;
            s->has_saved = 0;
            return p;
        }
        pl_pcap_record rec;
        int rc = pl_pcap_next(&s->r, &rec, p->data, MAX_FRAME);
        if (rc <= 0) {
            pl_packet_free(ctx->pool, p);
            s->eof = 1;
            if (rc < 0 && !s->corrupt) {
                s->corrupt = 1;
                pl_log(e->eng, "%s: %s: truncated or corrupt record at offset %llu; stopped there",
                       PL_NAME(e), s->file, (unsigned long long)pl_pcap_tell(&s->r));
            }
            return NULL;
        }
        if (rec.caplen > MAX_FRAME) {
            pl_drop(ctx, e, C_TOOLONG, p);
            continue;
        }
        p->len = rec.caplen;
        p->timestamp = rec.ts_ns;
        p->mac_off = PL_HEADROOM;
        return p;
    }
}

static uint32_t fdump_run(pl_element *e, pl_ctx *ctx)
{
    fdump_state *s = PL_STATE(e, fdump_state);
    if (!PL_LIVE(s->active))
        return 0;
    uint32_t burst = (uint32_t)PL_LIVE(s->burst);
    uint64_t now = s->timing ? pl_now_ns() : 0;
    pl_packet *b = NULL;
    uint32_t n = 0;
    while (n < burst) {
        pl_packet *p = s->due;
        s->due = NULL;
        if (!p && ((s->eof && !s->has_saved) || !(p = read_one(e, s, ctx))))
            break;
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
    atomic_store_explicit(&s->pos, pl_pcap_tell(&s->r), memory_order_relaxed);
    if (b) {
        pl_count(ctx, e, C_SENT, n);
        pl_output_source(ctx, e, 0, b);
    }
    if (s->eof && !s->due && !s->has_saved && !b) {
        if (s->stop)
            pl_engine_request_stop(e->eng);
        atomic_store_explicit(&e->task_done, 1, memory_order_relaxed);
    }
    return n ? n : s->due != NULL;
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
    if (!s->saved)
        s->saved = malloc(MAX_FRAME);
    if (s->saved) {
        memcpy(s->saved, p->data, p->len);
        s->saved_len = p->len;
        s->saved_ts = p->timestamp;
        s->has_saved = 1;
        pl_packet_free(ctx->pool, p);
    } else {
        pl_drop(ctx, e, C_TOOLONG, p);     /* no memory to keep it: count it lost */
    }
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_SENT));
}

static int read_filesize(pl_element *e, char *buf, size_t len)
{
    fdump_state *s = PL_STATE(e, fdump_state);
    return s->r.size ? pl_fmt(buf, len, "%llu", (unsigned long long)s->r.size)
                     : pl_fmt(buf, len, "-");
}

static int read_filepos(pl_element *e, char *buf, size_t len)
{
    fdump_state *s = PL_STATE(e, fdump_state);
    uint64_t pos = atomic_load_explicit(&s->pos, memory_order_relaxed);
    return pl_fmt(buf, len, "%llu", (unsigned long long)(pos ? pos : 24));
}

static const pl_param params[] = {
    {"FILE", PL_T_STRING, offsetof(fdump_state, file), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "pcap file to read"},
    {"STOP", PL_T_BOOL, offsetof(fdump_state, stop), "false", 0, -1, 0,
     "stop the engine at the end of the file"},
    {"TIMING", PL_T_BOOL, offsetof(fdump_state, timing), "false", 0, -1, 0,
     "send packets at the pace of their timestamps"},
    {"ACTIVE", PL_T_BOOL, offsetof(fdump_state, active), "true", 0, -1, PL_P_LIVE,
     "whether to send"},
    {"BURST", PL_T_UINT, offsetof(fdump_state, burst), "32", 1, 4096, PL_P_LIVE,
     "packets per batch"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "count", .doc = "packets sent", .read = read_count},
    {.name = "filesize", .doc = "size of the file in bytes", .read = read_filesize},
    {.name = "filepos", .doc = "bytes read so far", .read = read_filepos},
    {0}};

static const pl_class from_dump = {
    .name = "FromDump",
    .ports = "0/1",
    .processing = "a/h",
    .doc = "FromDump(FILE [, STOP, TIMING, ACTIVE, BURST])\n"
           "Reads packets from a pcap file.\n\n"
           "Streams FILE (a classic pcap file of Ethernet frames: microsecond or\n"
           "nanosecond timestamps, either byte order) a buffer at a time, never the\n"
           "whole file, and pushes BURST packets per batch. Each packet's timestamp\n"
           "annotation is its record's time. TIMING true sends each packet when its\n"
           "time, relative to the first, has come. At the end of the file the task\n"
           "ends; STOP true then stops the engine. Frames longer than 1920 bytes are\n"
           "dropped (too_long); a truncated last record ends the file (logged).\n"
           "Counters: too_long (drop reason), sent, nobufs (runs that found the pool\n"
           "empty).\n\n"
           "Example: FromDump(in.pcap, STOP true) -> c :: Counter -> ToDump(out.pcap);",
    .state_size = sizeof(fdump_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .configure = fdump_configure,
    .cleanup = fdump_cleanup,
    .run_task = fdump_run,
    .stop = fdump_stop,
};
PL_REGISTER_CLASS(from_dump);
