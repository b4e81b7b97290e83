/* ToDump: writes packets to a pcap file that tcpdump, Wireshark and scapy read. */
#include "../../io/pcap_file.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    char *file;
    uint64_t snaplen;
    pl_pcap_writer w;
    int shared;                   /* several threads may push: serialize writes */
    int lock_ready;
    pthread_mutex_t lock;
} tdump_state;

/* Every packet ends here: both counters are drop reasons (freed by ToDump). */
enum { C_WRITTEN, C_ERRORS };
static const char *const counters[] = {"written", "write_errors", NULL};

static int tdump_configure(pl_element *e, pl_error *err)
{
    tdump_state *s = PL_STATE(e, tdump_state);
    if (pl_pcap_open_write(&s->w, s->file, (uint32_t)s->snaplen, PL_PCAP_LINKTYPE_ETHERNET, e,
                           err))
        return err->status;
    s->shared = pl_element_nthreads(e) > 1;
    pthread_mutex_init(&s->lock, NULL);
    s->lock_ready = 1;
    return 0;
}

static void tdump_cleanup(pl_element *e)
{
    tdump_state *s = PL_STATE(e, tdump_state);
    pl_pcap_close_write(&s->w);
    if (s->lock_ready)
        pthread_mutex_destroy(&s->lock);
    s->lock_ready = 0;
}

static void tdump_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    tdump_state *s = PL_STATE(e, tdump_state);
    uint64_t now = 0;
    uint32_t ok = 0, bad = 0;
    if (s->shared)
        pthread_mutex_lock(&s->lock);
    PL_BATCH_FOREACH(p, b) {
        uint64_t ts = p->timestamp;
        if (!ts) {               /* no timestamp annotation: the time it is written */
            if (!now) {
                struct timespec t;
                clock_gettime(CLOCK_REALTIME, &t);
                now = (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
            }
            ts = now;
        }
        if (pl_pcap_write(&s->w, ts, p->data, p->len) == 0)
            ok++;
        else
            bad++;
    }
    if (s->shared)
        pthread_mutex_unlock(&s->lock);
    pl_count(ctx, e, C_WRITTEN, ok);
    if (bad)
        pl_count(ctx, e, C_ERRORS, bad);
    pl_batch_free(ctx->pool, b);
}

/* Workers are stopped: everything written so far reaches the file. */
static void tdump_stop(pl_element *e, pl_ctx *ctx)
{
    (void)ctx;
    tdump_state *s = PL_STATE(e, tdump_state);
    if (pl_pcap_flush(&s->w))
        pl_log(e->eng, "%s: cannot write %s", e->name, s->file);
}

/* Before a restart: nobody else wrote the file meanwhile (a later engine's
 * ToDump of the same FILE truncates it). */
static int tdump_start(pl_element *e, pl_error *err)
{
    tdump_state *s = PL_STATE(e, tdump_state);
    return pl_pcap_check_write(&s->w, s->file, e, err);
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_WRITTEN));
}

static const pl_param params[] = {
    {"FILE", PL_T_STRING, offsetof(tdump_state, file), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "pcap file to write (replaced if it exists)"},
    {"SNAPLEN", PL_T_UINT, offsetof(tdump_state, snaplen), "65535", 1, 262144, PL_P_POSITIONAL,
     "bytes kept of each packet"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "count", .doc = "packets written", .read = read_count},
    {0}};

static const pl_class to_dump = {
    .name = "ToDump",
    .ports = "1/0",
    .processing = "a/a",
    .doc = "ToDump(FILE [, SNAPLEN])\n"
           "Writes packets to a pcap file.\n\n"
           "Appends each packet (its first SNAPLEN bytes, with its full length) to\n"
           "FILE, a classic pcap file of Ethernet frames with microsecond timestamps\n"
           "that tcpdump, Wireshark and scapy read. The timestamp is the packet's\n"
           "timestamp annotation, or the current time when it has none. Writes are\n"
           "buffered; the file is complete once the engine stopped. Threads share\n"
           "the file under a lock.\n"
           "Counters (drop reasons: every packet ends here): written, write_errors.\n\n"
           "Example: FromDPDKDevice(0) -> ToDump(/tmp/capture.pcap, SNAPLEN 128);",
    .state_size = sizeof(tdump_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 2,
    .configure = tdump_configure,
    .cleanup = tdump_cleanup,
    .push = tdump_push,
    .start = tdump_start,
    .stop = tdump_stop,
};
PL_REGISTER_CLASS(to_dump);
