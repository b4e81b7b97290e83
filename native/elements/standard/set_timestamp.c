/* SetTimestamp: sets the timestamp annotation (Click's). */
#include "../../core/anno.h"
#include "../../core/args.h"

#include <stdlib.h>

typedef struct {
    char *timestamp;
    uint8_t first;
    int64_t at;                   /* ns since the epoch; -1: now */
} sts_state;

/* Click's Timestamp text: seconds, optionally with a fraction. */
static int parse_ts(const char *t, int64_t *ns)
{
    char *end;
    long long sec = strtoll(t, &end, 10);
    if (end == t || sec < 0 || sec > INT64_MAX / 1000000000ll - 1)
        return -1;                  /* (past 2262: not a time in int64 nanoseconds) */
    int64_t frac = 0, scale = 100000000;
    if (*end == '.')
        for (end++; *end >= '0' && *end <= '9'; end++, scale /= 10)
            frac += (*end - '0') * scale;
    if (*end)
        return -1;
    *ns = sec * 1000000000ll + frac;
    return 0;
}

static int sts_configure(pl_element *e, pl_error *err)
{
    sts_state *s = PL_STATE(e, sts_state);
    s->at = -1;
    if (s->timestamp && *s->timestamp && parse_ts(s->timestamp, &s->at))
        return pl_seterr(err, PL_ERR_CONFIG, e, "TIMESTAMP",
                         "TIMESTAMP: expected a time (seconds[.fraction]), got '%s'", s->timestamp);
    return 0;
}

static pl_packet *sts_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    sts_state *s = PL_STATE(e, sts_state);
    uint64_t t = s->at >= 0 ? (uint64_t)s->at : pl_engine_realtime_ns(e->eng);
    if (s->first)
        memcpy(p->anno + PL_ANNO_FIRST_TIMESTAMP, &t, 8);
    else
        p->timestamp = t;
    return p;
}

static const pl_param params[] = {
    {"TIMESTAMP", PL_T_STRING, offsetof(sts_state, timestamp), "", 0, -1, PL_P_POSITIONAL,
     "time to set (seconds since the epoch); default: now"},
    {"FIRST", PL_T_BOOL, offsetof(sts_state, first), "false", 0, -1, 0,
     "set the first-timestamp annotation instead"},
    {0}};

static const pl_class set_timestamp = {
    .name = "SetTimestamp",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "SetTimestamp([TIMESTAMP, KEYWORDS])\n"
           "Stores a time in the packet's timestamp annotation.\n\n"
           "Sets each packet's timestamp annotation to TIMESTAMP, or to the time it\n"
           "arrives (the engine's wall clock, simulated under simtime); with FIRST\n"
           "true, its first-timestamp annotation instead. Latency measurements take the\n"
           "difference downstream.\n\n"
           "Example: src -> SetTimestamp -> Queue -> ... -> Print(TIMESTAMP true) -> Discard;",
    .state_size = sizeof(sts_state),
    .params = params,
    .configure = sts_configure,
    .simple_action = sts_action,
};
PL_REGISTER_CLASS(set_timestamp);
