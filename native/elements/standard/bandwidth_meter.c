/* BandwidthMeter: sends packets to an output chosen by the current byte rate (Click's). */
#include "meter.h"

#include <stdio.h>

int pl_meter_initialize(pl_element *e, int bandwidth, pl_error *err)
{
    meter_state *s = PL_STATE(e, meter_state);
    const char *cname = e->cls->name;
    if (s->rates.n == 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "too few arguments to %s(%s, ...)", cname,
                         bandwidth ? "bandwidth" : "rate");
    for (int i = 0; i < s->rates.n; i++) {
        double v;
        if (bandwidth ? pl_parse_bandwidth(s->rates.v[i], &v) : pl_parse_real(s->rates.v[i], &v))
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "argument %d syntax error", i + 1);
        if (i > 0 && v <= s->real[i - 1])
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "rate %d must be > rate %d", i + 1, i);
        if (!(v * 1024.0 / PL_RATE_EPOCH_FREQ < 9e18))
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "rate %d is too large", i + 1);
        s->real[i] = v;
        /* Click: rate in events per jiffy, with 10 bits of fraction. */
        s->meters[i] = (int64_t)(v * 1024.0 / PL_RATE_EPOCH_FREQ);
    }
    s->n = s->rates.n;
    if (s->n + 1 != e->noutputs)
        return pl_seterr(err, PL_ERR_CONFIG, e, "",
                         "need %d arguments, one less than the number of output ports",
                         e->noutputs - 1);
    pl_rate_ewma_init(&s->rate, pl_engine_now_ns(e->eng));
    return 0;
}

int pl_meter_classify_by(pl_element *e, int64_t amount, pl_ctx *ctx)
{
    meter_state *s = PL_STATE(e, meter_state);
    pl_rate_ewma_update(&s->rate, amount, pl_engine_now_ns(e->eng));
    int64_t r = pl_rate_ewma_scaled(&s->rate);
    for (int i = 0; i < s->n; i++)
        if (r < s->meters[i])
            return i;
    return s->n;
}

static int read_rate(pl_element *e, char *buf, size_t len)
{
    meter_state *s = PL_STATE(e, meter_state);
    /* Click updates the average with nothing first; reading here from the
     * control side only reports it (the data path's thread owns it). */
    return pl_fmt(buf, len, "%.3f", pl_rate_ewma_rate(&s->rate));
}

static int read_meters(pl_element *e, char *buf, size_t len)
{
    meter_state *s = PL_STATE(e, meter_state);
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < s->n && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%g", i ? " " : "", s->real[i]);
    return k < len ? 0 : PL_ERR_HANDLER;
}

const pl_handler pl_meter_handlers[] = {
    {"rate", "the current rate (moving average)", read_rate, NULL},
    {"meters", "the rate thresholds", read_meters, NULL},
    {0}};

static int bm_initialize(pl_element *e, pl_error *err) { return pl_meter_initialize(e, 1, err); }

static int bm_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    return pl_meter_classify_by(e, p->len, ctx);
}

static const pl_param params[] = {
    {"RATES", PL_T_ARGS, offsetof(meter_state, rates), NULL, 0, -1, PL_P_POSITIONAL,
     "thresholds, increasing bandwidths (10Mbps, 2MBps)"},
    {0}};

static const pl_class bandwidth_meter = {
    .name = "BandwidthMeter",
    .ports = "1/2-",
    .processing = "h/h",
    .doc = "BandwidthMeter(RATE1, ..., RATEn)\n"
           "Classifies packets by the current bandwidth.\n\n"
           "Measures the byte rate with Click's moving average (1 ms epochs, weight\n"
           "1/16) and sends the packet to output 0 if it is below RATE1, output 1 if\n"
           "below RATE2, ..., output n above RATEn: the whole stream goes where the\n"
           "rate is (see BandwidthRatedSplitter to split it). n rates, n + 1 outputs.\n"
           "Handlers: rate, meters.\n\n"
           "Example: src -> m :: BandwidthMeter(1MBps) -> out; m[1] -> Discard;",
    .state_size = sizeof(meter_state),
    .params = params,
    .handlers = pl_meter_handlers,
    .initialize = bm_initialize,
    .classify = bm_classify,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(bandwidth_meter);
