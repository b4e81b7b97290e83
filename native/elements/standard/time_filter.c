/* TimeFilter: passes packets whose timestamps lie in a range. */
#include "../../core/args.h"
#include "../../lib/timestamp.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *start_s, *end_s, *start_after, *end_after, *start_delay, *end_delay, *interval;
    uint8_t stop;
    char *end_call;
    int64_t first, last;          /* ns */
    uint8_t ready, first_rel, last_rel, last_interval, last_h_ready;
    pl_hcall last_h;
} tf_state;

enum { C_OUTSIDE };
static const char *const counters[] = {"outside", NULL};

static int parse_t(pl_element *e, const char *kw, const char *s, int64_t *ns, int *given,
                   pl_error *err)
{
    *given = s && *s;
    if (!*given)
        return 0;
    int neg = *s == '-';
    double t;
    if (pl_parse_time(s + (neg || *s == '+'), &t))
        return pl_seterr(err, PL_ERR_CONFIG, e, kw, "%s: expected a time, got '%s'", kw, s);
    if (pl_ts_from_sec_checked(neg ? -t : t, ns))
        return pl_seterr(err, PL_ERR_CONFIG, e, kw, "%s: '%s' is more than %.0f s", kw, s,
                         PL_TS_MAX_SEC);
    return 0;
}

static int tf_configure(pl_element *e, pl_error *err)
{
    tf_state *s = PL_STATE(e, tf_state);
    int64_t v[7] = {0};
    int g[7];
    const char *kw[7] = {"START", "START_AFTER", "START_DELAY", "END", "END_AFTER", "END_DELAY",
                         "INTERVAL"};
    const char *txt[7] = {s->start_s, s->start_after, s->start_delay, s->end_s, s->end_after,
                          s->end_delay, s->interval};
    for (int i = 0; i < 7; i++)
        if (parse_t(e, kw[i], txt[i], &v[i], &g[i], err))
            return -1;
    if (g[0] + g[1] + g[2] > 1)
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "START, START_AFTER, and START_DELAY are "
                         "mutually exclusive");
    if (g[3] + g[4] + g[5] + g[6] > 1)
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "END, END_AFTER, END_DELAY, and INTERVAL are "
                         "mutually exclusive");
    int64_t now = g[2] || g[5] ? pl_ts_now() : 0;
    s->first_rel = !g[0] && !g[2];
    s->first = g[0] ? v[0] : g[2] ? pl_ts_add(now, v[2]) : v[1];
    s->last_rel = g[4];
    s->last_interval = g[6];
    s->last = g[3] ? v[3] : g[4] ? v[4] : g[5] ? pl_ts_add(now, v[5]) : g[6] ? v[6] : INT64_MAX;
    if (s->stop && s->end_call && *s->end_call)
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "END_CALL and STOP are mutually exclusive");
    if (s->end_call && *s->end_call && pl_hcall_set(&s->last_h, e, s->end_call, err))
        return -1;
    if (s->stop && pl_hcall_set(&s->last_h, e, "stop true", err))
        return -1;
    s->ready = 0;
    return 0;
}

static int tf_initialize(pl_element *e, pl_error *err)
{
    tf_state *s = PL_STATE(e, tf_state);
    if (pl_hcall_resolve(&s->last_h, e, "END_CALL", err))
        return -1;
    s->last_h_ready = s->last_h.text != NULL;
    return 0;
}

static void tf_cleanup(pl_element *e)
{
    pl_hcall_free(&PL_STATE(e, tf_state)->last_h);
}

static void first_packet(tf_state *s, int64_t t)
{
    if (s->first_rel)
        s->first = pl_ts_add(s->first, t);
    if (s->last_rel)
        s->last = pl_ts_add(s->last, t);
    else if (s->last_interval)
        s->last = pl_ts_add(s->last, s->first);
    s->ready = 1;
}

/* END_CALL's value with $t replaced by the packet's timestamp. */
static void call_end(pl_element *e, tf_state *s, int64_t t)
{
    char ts[40], value[512];
    pl_ts_format(ts, sizeof ts, t);
    const char *v = s->last_h.value;
    size_t k = 0;
    for (; *v && k + sizeof ts + 1 < sizeof value; v++) {
        if (v[0] == '$' && v[1] == 't' && !(v[2] == '_' || (v[2] >= 'a' && v[2] <= 'z') ||
                                           (v[2] >= 'A' && v[2] <= 'Z') ||
                                           (v[2] >= '0' && v[2] <= '9'))) {
            k += (size_t)snprintf(value + k, sizeof value - k, "%s", ts);
            v++;
        } else {
            value[k++] = *v;
        }
    }
    value[k] = 0;
    pl_hcall_write_value(&s->last_h, e, value);
}

static int tf_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    tf_state *s = PL_STATE(e, tf_state);
    int64_t t = pl_ts_get(&p->timestamp);
    if (!s->ready)
        first_packet(s, t);
    if (t < s->first)
        return 1;
    if (t >= s->last && s->last_h.text && s->last_h_ready) {
        int64_t prev;
        do {
            prev = s->last;
            s->last_h_ready = 0;
            call_end(e, s, t);
        } while (t >= s->last && s->last_h_ready && s->last > prev);
    }
    return t < s->last ? 0 : 1;
}

static int read_ts(pl_element *e, char *buf, size_t len, int which)
{
    tf_state *s = PL_STATE(e, tf_state);
    int64_t v = which == 0 ? s->first : which == 1 ? s->last : pl_ts_sub(s->last, s->first);
    return pl_ts_format(buf, len, v) < (int)len ? 0 : -1;
}
static int read_start(pl_element *e, char *b, size_t l) { return read_ts(e, b, l, 0); }
static int read_end(pl_element *e, char *b, size_t l) { return read_ts(e, b, l, 1); }
static int read_interval(pl_element *e, char *b, size_t l) { return read_ts(e, b, l, 2); }

static int write_ts(pl_element *e, const char *v, pl_error *err, int which)
{
    tf_state *s = PL_STATE(e, tf_state);
    int64_t t;
    int given;
    if (parse_t(e, "time", v, &t, &given, err) || !given)
        return pl_seterr(err, PL_ERR_HANDLER, e, "", "expected time");
    switch (which) {
    case 0:
        if (!s->ready)
            first_packet(s, t);
        s->first = t;
        break;
    case 1:
        s->last = t;
        s->last_rel = s->last_interval = 0;
        s->last_h_ready = 1;
        break;
    case 2:
        s->last = pl_ts_add(s->first, t);
        s->last_h_ready = 1;
        break;
    default:
        s->last = pl_ts_add(s->last, t);
        s->last_h_ready = 1;
    }
    return 0;
}
static int write_start(pl_element *e, const char *v, pl_error *r) { return write_ts(e, v, r, 0); }
static int write_end(pl_element *e, const char *v, pl_error *r) { return write_ts(e, v, r, 1); }
static int write_interval(pl_element *e, const char *v, pl_error *r) { return write_ts(e, v, r, 2); }
static int write_extend(pl_element *e, const char *v, pl_error *r) { return write_ts(e, v, r, 3); }

static const pl_param params[] = {
    {"START", PL_T_STRING, offsetof(tf_state, start_s), "", 0, -1, PL_P_POSITIONAL,
     "absolute start time (s since the epoch)"},
    {"END", PL_T_STRING, offsetof(tf_state, end_s), "", 0, -1, PL_P_POSITIONAL,
     "absolute end time"},
    {"START_AFTER", PL_T_STRING, offsetof(tf_state, start_after), "", 0, -1, 0,
     "start this long after the first packet's timestamp"},
    {"END_AFTER", PL_T_STRING, offsetof(tf_state, end_after), "", 0, -1, 0,
     "end this long after the first packet's timestamp"},
    {"START_DELAY", PL_T_STRING, offsetof(tf_state, start_delay), "", 0, -1, 0,
     "start this long after initialization"},
    {"END_DELAY", PL_T_STRING, offsetof(tf_state, end_delay), "", 0, -1, 0,
     "end this long after initialization"},
    {"INTERVAL", PL_T_STRING, offsetof(tf_state, interval), "", 0, -1, 0,
     "end this long after the start"},
    {"STOP", PL_T_BOOL, offsetof(tf_state, stop), "false", 0, -1, 0,
     "stop the driver at the first packet past the end"},
    {"END_CALL", PL_T_STRING, offsetof(tf_state, end_call), "", 0, -1, 0,
     "write handler called at the first packet past the end ($t: its timestamp)"},
    {0}};

static const pl_handler handlers[] = {
    {"start", "the start time", read_start, write_start},
    {"end", "the end time", read_end, write_end},
    {"interval", "end - start (write: the end, from the start)", read_interval, write_interval},
    {"extend_interval", "move the end later by this time", NULL, write_extend},
    {0}};

static const pl_class time_filter = {
    .name = "TimeFilter",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "TimeFilter([START, END, START_AFTER, START_DELAY, END_AFTER, END_DELAY, INTERVAL, "
           "STOP, END_CALL])\n"
           "Filters packets by timestamp.\n\n"
           "Passes packets whose timestamp annotation lies in [start, end); the others go\n"
           "to output 1, or are dropped (counted) when it is not connected. The range is\n"
           "absolute (START, END), relative to the first packet's timestamp (START_AFTER,\n"
           "END_AFTER), to initialization (START_DELAY, END_DELAY), or END is INTERVAL\n"
           "after the start. At the first packet past the end, STOP true stops the driver\n"
           "and END_CALL calls a write handler, with $t replaced by that packet's\n"
           "timestamp; a handler that extends the interval lets the packet pass.\n\n"
           "Handlers: start, end, interval (read/write), extend_interval (write).\n"
           "Counters: outside (dropped for want of output 1).\n\n"
           "Example: FromDump(in.pcap) -> TimeFilter(START_AFTER 1, INTERVAL 10) -> ...;",
    .state_size = sizeof(tf_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .unused_output_counter = C_OUTSIDE,
    .configure = tf_configure,
    .initialize = tf_initialize,
    .cleanup = tf_cleanup,
    .classify = tf_classify,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(time_filter);
