/* AdjustTimestamp: adds a (possibly negative) time to the timestamp annotation. */
#include "../../core/args.h"
#include "../../lib/timestamp.h"

typedef struct {
    char *time_s;
    int64_t time;                 /* ns, live */
    uint8_t first, all;
} adjts_state;

/* A time that may be negative (Click's TimestampArg(true)). */
static int parse_signed_time(const char *s, int64_t *ns)
{
    int neg = *s == '-';
    double t;
    if (pl_parse_time(s + (neg || *s == '+'), &t))
        return -1;
    return pl_ts_from_sec_checked(neg ? -t : t, ns);
}

static int adjts_configure(pl_element *e, pl_error *err)
{
    adjts_state *s = PL_STATE(e, adjts_state);
    if (parse_signed_time(s->time_s, &s->time))
        return pl_seterr(err, PL_ERR_CONFIG, e, "TIME", "TIME: expected a time within %.0f s, "
                         "got '%s'", PL_TS_MAX_SEC, s->time_s);
    if (s->first)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FIRST", "FIRST: pktlab packets have no first "
                         "timestamp annotation yet");
    return 0;
}

static pl_packet *adjts_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    adjts_state *s = PL_STATE(e, adjts_state);
    int64_t ts = pl_ts_get(&p->timestamp);
    if (ts || s->all)
        pl_ts_set(&p->timestamp, pl_ts_add(ts, PL_LIVE(s->time)));
    return p;
}

static int read_time(pl_element *e, char *buf, size_t len)
{
    return pl_ts_format(buf, len, PL_LIVE(PL_STATE(e, adjts_state)->time)) < (int)len ? 0 : -1;
}

static int write_time(pl_element *e, const char *v, pl_error *err)
{
    int64_t ns;
    if (parse_signed_time(v, &ns))
        return pl_seterr(err, PL_ERR_HANDLER, e, "time", "expected a time, got '%s'", v);
    __atomic_store_n(&PL_STATE(e, adjts_state)->time, ns, __ATOMIC_RELAXED);
    return 0;
}

static const pl_handler handlers[] = {
    {"time", "the time added", read_time, write_time},
    {0}};

static const pl_param params[] = {
    {"TIME", PL_T_STRING, offsetof(adjts_state, time_s), "0", 0, -1, PL_P_POSITIONAL,
     "time added (negative: subtracted)"},
    {"FIRST", PL_T_BOOL, offsetof(adjts_state, first), "false", 0, -1, 0,
     "adjust the first-timestamp annotation instead"},
    {"ALL", PL_T_BOOL, offsetof(adjts_state, all), "false", 0, -1, 0,
     "adjust zero timestamps too"},
    {0}};

static const pl_class adjust_timestamp = {
    .name = "AdjustTimestamp",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "AdjustTimestamp(TIME [, FIRST, ALL])\n"
           "Adjusts the time in the packet's timestamp annotation.\n\n"
           "Adds TIME, which may be negative, to each packet's timestamp annotation.\n"
           "Zero timestamps are left alone unless ALL is true. A timestamp may become\n"
           "negative. FIRST (the first-timestamp annotation of flow summaries) is\n"
           "refused until pktlab packets carry that annotation.\n\n"
           "Keywords: TIME (handler time, read/write), FIRST, ALL.\n\n"
           "Example: FromDump(in.pcap) -> AdjustTimestamp(-1) -> ...;",
    .state_size = sizeof(adjts_state),
    .params = params,
    .handlers = handlers,
    .configure = adjts_configure,
    .simple_action = adjts_action,
};
PL_REGISTER_CLASS(adjust_timestamp);
