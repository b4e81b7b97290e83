/* SetTimestampDelta: replaces nonzero timestamps by deltas. */
#include "../../core/element.h"
#include "../../lib/timestamp.h"

#include <string.h>

typedef struct {
    char *type_s;
    int type;                     /* 0 RANGE, 1 NOW */
    int64_t first;                /* the first nonzero timestamp seen (RANGE) */
} stsd_state;

static int stsd_configure(pl_element *e, pl_error *err)
{
    stsd_state *s = PL_STATE(e, stsd_state);
    if (!strcmp(s->type_s, "RANGE"))
        s->type = 0;
    else if (!strcmp(s->type_s, "NOW"))
        s->type = 1;
    else if (!strcmp(s->type_s, "FIRST"))
        return pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "TYPE FIRST: pktlab packets have no "
                         "first timestamp annotation yet");
    else
        return pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "bad TYPE");
    return 0;
}

static pl_packet *stsd_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    stsd_state *s = PL_STATE(e, stsd_state);
    int64_t ts = pl_ts_get(&p->timestamp);
    if (!ts)
        return p;
    if (s->type == 1) {
        pl_ts_set(&p->timestamp, pl_ts_now() - ts);
        return p;
    }
    int64_t first = __atomic_load_n(&s->first, __ATOMIC_RELAXED);
    if (!first) {
        first = ts;
        __atomic_store_n(&s->first, first, __ATOMIC_RELAXED);
    }
    pl_ts_set(&p->timestamp, pl_ts_sub(ts, first));
    return p;
}

static int read_first(pl_element *e, char *buf, size_t len)
{
    return pl_ts_format(buf, len, __atomic_load_n(&PL_STATE(e, stsd_state)->first,
                                                  __ATOMIC_RELAXED)) < (int)len ? 0 : -1;
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    __atomic_store_n(&PL_STATE(e, stsd_state)->first, 0, __ATOMIC_RELAXED);
    return 0;
}

static const pl_param params[] = {
    {"TYPE", PL_T_STRING, offsetof(stsd_state, type_s), "RANGE", 0, -1, 0,
     "RANGE: since the first nonzero timestamp; NOW: from the timestamp to now"},
    {0}};

static const pl_handler handlers[] = {
    {"first", "the first nonzero timestamp seen", read_first, NULL},
    {"reset", "forget the first timestamp", NULL, write_reset, PL_H_BUTTON},
    {0}};

static const pl_class set_timestamp_delta = {
    .name = "SetTimestampDelta",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "SetTimestampDelta([TYPE])\n"
           "Replaces packet timestamps with deltas.\n\n"
           "Replaces each nonzero timestamp annotation by a delta: with TYPE RANGE (the\n"
           "default) relative to the first nonzero timestamp it saw, with TYPE NOW the\n"
           "time from the timestamp to now. (TYPE FIRST, relative to the first-timestamp\n"
           "annotation, waits for that annotation in pktlab.)\n\n"
           "Keywords: TYPE.\n"
           "Handlers: first (read), reset (write: measure from the next timestamp).\n\n"
           "Example: FromDump(in.pcap) -> SetTimestampDelta -> Print(TIMESTAMP true) -> ...;",
    .state_size = sizeof(stsd_state),
    .params = params,
    .handlers = handlers,
    .configure = stsd_configure,
    .simple_action = stsd_action,
};
PL_REGISTER_CLASS(set_timestamp_delta);
