/* ToDump: writes packets to a pcap or pcapng file, with Click's ToDump keywords. */
#include "../../core/anno.h"
#include "../../io/pcap_file.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    char *file;
    uint64_t snaplen;
    char *encap, *use_encap_from;
    uint8_t extra_length, unbuffered, nano, pcapng;
    uint32_t linktype;
    pl_pcap_writer w;
    int shared;                   /* several threads may push: serialize writes */
    int lock_ready;
    pthread_mutex_t lock;
    _Atomic uint64_t count_base;
} tdump_state;

/* Every packet ends here: both counters are drop reasons (freed by ToDump). */
enum { C_WRITTEN, C_ERRORS };
static const char *const counters[] = {"written", "write_errors", NULL};

static int open_file(pl_element *e, tdump_state *s, pl_error *err)
{
    if (pl_pcap_open_write(&s->w, s->file, (uint32_t)s->snaplen, s->linktype, s->nano,
                           s->pcapng, e, err))
        return err->status;
    if (s->unbuffered)
        setvbuf(s->w.f, NULL, _IONBF, 0);
    return 0;
}

static int tdump_configure(pl_element *e, pl_error *err)
{
    tdump_state *s = PL_STATE(e, tdump_state);
    pthread_mutex_init(&s->lock, NULL);
    s->lock_ready = 1;
    s->shared = pl_element_nthreads(e) > 1;
    if (s->encap && s->use_encap_from)
        return pl_seterr(err, PL_ERR_CONFIG, e, "USE_ENCAP_FROM",
                         "specify at most one of 'ENCAP' and 'USE_ENCAP_FROM'");
    long lt = s->encap ? pl_linktype_parse(s->encap) : PL_DLT_EN10MB;
    if (lt < 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "ENCAP",
                         "ENCAP: bad encapsulation type '%s' (ETHER, IP, IP6, SLL, SLL2, NULL, "
                         "LOOP, PPP, HDLC, ..., or #N)", s->encap);
    s->linktype = (uint32_t)lt;
    /* With USE_ENCAP_FROM the type is known once every element exists. */
    return s->use_encap_from || pl_element_dry(e) ? 0 : open_file(e, s, err);
}

/* USE_ENCAP_FROM: the link type the named elements' encap handlers agree on. */
static int encap_from(pl_element *e, pl_error *err)
{
    tdump_state *s = PL_STATE(e, tdump_state);
    if (!s->use_encap_from)
        return 0;
    char *names = strdup(s->use_encap_from), *save = NULL;
    if (!names)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    long agreed = -1;
    int n = 0, rc = 0;
    for (char *w = strtok_r(names, " \t", &save); w && !rc; w = strtok_r(NULL, " \t", &save)) {
        int i = pl_engine_find(e->eng, w);
        char buf[32];
        pl_error herr;
        n++;
        if (i < 0)
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "USE_ENCAP_FROM",
                           "USE_ENCAP_FROM: no element named '%s'", w);
        else if (pl_handler_read(e->eng, i, "encap", buf, sizeof buf, &herr))
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "USE_ENCAP_FROM",
                           "USE_ENCAP_FROM: '%s' has no 'encap' read handler", w);
        else if (pl_linktype_parse(buf) < 0)
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "USE_ENCAP_FROM",
                           "USE_ENCAP_FROM: '%s.encap' did not return a valid encapsulation "
                           "type ('%s')", w, buf);
        else if (agreed >= 0 && pl_linktype_parse(buf) != agreed)
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "USE_ENCAP_FROM",
                           "USE_ENCAP_FROM: source encapsulation types disagree ('%s' has %s)",
                           w, buf);
        else
            agreed = pl_linktype_parse(buf);
    }
    free(names);
    if (rc)
        return rc;
    if (!n)
        return pl_seterr(err, PL_ERR_CONFIG, e, "USE_ENCAP_FROM",
                         "element names missing after 'USE_ENCAP_FROM'");
    s->linktype = (uint32_t)agreed;
    return s->w.f ? 0 : open_file(e, s, err);
}

static int tdump_initialize(pl_element *e, pl_error *err)
{
    if (encap_from(e, err))
        return err->status ? err->status : PL_ERR_CONFIG;
    return pl_sink_init(e, 32, err);            /* after a Queue: a task that pulls */
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
        uint32_t orig = p->len + (s->extra_length ? pl_anno_u32(p, PL_ANNO_EXTRA_LENGTH) : 0);
        if (pl_pcap_write(&s->w, ts, p->data, p->len, orig) == 0)
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
        pl_log(e->eng, "%s: cannot write %s", PL_NAME(e), s->file);
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
    uint64_t base = atomic_load(&PL_STATE(e, tdump_state)->count_base);
    return pl_fmt(buf, len, "%llu", (unsigned long long)(pl_counter_total(e, C_WRITTEN) - base));
}

static int write_reset_counts(pl_element *e, const char *v, pl_error *err)
{
    atomic_store(&PL_STATE(e, tdump_state)->count_base, pl_counter_total(e, C_WRITTEN));
    return 0;
}

static int read_filename(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", PL_STATE(e, tdump_state)->file);
}

static int read_encap(pl_element *e, char *buf, size_t len)
{
    char name[16];
    return pl_fmt(buf, len, "%s",
                  pl_linktype_name(PL_STATE(e, tdump_state)->linktype, name, sizeof name));
}

static const pl_param params[] = {
    {"FILE", PL_T_STRING, offsetof(tdump_state, file), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "file to write (replaced if it exists)"},
    {"SNAPLEN", PL_T_UINT, offsetof(tdump_state, snaplen), "2000", 0, 4294967295.0,
     PL_P_POSITIONAL, "bytes kept of each packet (0: all), as Click's default 2000"},
    {"ENCAP", PL_T_STRING, offsetof(tdump_state, encap), NULL, 0, -1, PL_P_POSITIONAL,
     "link type of the packets: ETHER (default), IP, IP6, SLL, SLL2, NULL, ... or #N"},
    {"USE_ENCAP_FROM", PL_T_STRING, offsetof(tdump_state, use_encap_from), NULL, 0, -1, 0,
     "element names whose encap handlers give the link type"},
    {"EXTRA_LENGTH", PL_T_BOOL, offsetof(tdump_state, extra_length), "true", 0, -1, 0,
     "record the extra-length annotation in each packet's length on the wire"},
    {"UNBUFFERED", PL_T_BOOL, offsetof(tdump_state, unbuffered), "false", 0, -1, 0,
     "write each packet to the file as it comes"},
    {"NANO", PL_T_BOOL, offsetof(tdump_state, nano), "true", 0, -1, 0,
     "nanosecond timestamps (Click's default on Linux); false: microseconds"},
    {"PCAPNG", PL_T_BOOL, offsetof(tdump_state, pcapng), "false", 0, -1, 0,
     "write pcapng (one interface, enhanced packet blocks) instead of pcap"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "count", .doc = "packets written", .read = read_count},
    {.name = "reset_counts", .doc = "set count to 0", .write = write_reset_counts},
    {.name = "filename", .doc = "the file", .read = read_filename},
    {.name = "encap", .doc = "the link type written", .read = read_encap},
    {0}};

static const pl_class to_dump = {
    .name = "ToDump",
    .ports = "1/0",
    .processing = "a/a",
    .doc = "ToDump(FILE [, SNAPLEN, ENCAP, KEYWORDS USE_ENCAP_FROM, EXTRA_LENGTH, UNBUFFERED,\n"
           "       NANO, PCAPNG])\n"
           "Writes packets to a tcpdump (pcap) or pcapng file.\n\n"
           "Appends each packet (its first SNAPLEN bytes, 2000 by default as in Click; 0:\n"
           "all of it) to FILE with its length on the wire: the packet's length plus, with\n"
           "EXTRA_LENGTH (default), its extra-length annotation (what FromDump read but the\n"
           "capture cut). ENCAP is the link type in the file header: ETHER (1), IP (raw\n"
           "IP, 101), IP4 (228), IP6 (229), SLL (113), SLL2 (276), NULL (0), LOOP (108),\n"
           "PPP, HDLC, FDDI, ATM, 802_11, ... or #N; USE_ENCAP_FROM takes it from elements'\n"
           "encap handlers (FromDump's). Timestamps are nanoseconds (NANO, Click's default\n"
           "on Linux) or microseconds: the packet's timestamp annotation, or the current\n"
           "time when it has none. PCAPNG writes a pcapng file (a section, one interface\n"
           "with that link type, enhanced packet blocks) instead: tcpdump, Wireshark and\n"
           "scapy read both. Writes are buffered (UNBUFFERED: each packet at once); the\n"
           "file is complete once the engine stopped. Threads share the file under a lock.\n"
           "After a Queue (a pull input) its task pulls batches of 32 and sleeps while\n"
           "the queue is empty. Handlers: count, reset_counts, filename, encap.\n"
           "Counters (drop reasons: every packet ends here): written, write_errors.\n\n"
           "Example: FromDPDKDevice(0) -> ToDump(/tmp/capture.pcap, SNAPLEN 0);",
    .state_size = sizeof(tdump_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 2,
    .configure = tdump_configure,
    .initialize = tdump_initialize,
    .cleanup = tdump_cleanup,
    .push = tdump_push,
    .start = tdump_start,
    .run_task = pl_sink_run,
    .stop = tdump_stop,
};
PL_REGISTER_CLASS(to_dump);
