/* Meter: sends packets to an output chosen by the current packet rate (Click's). */
#include "meter.h"

static int m_initialize(pl_element *e, pl_error *err) { return pl_meter_initialize(e, 0, err); }

static int m_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    return pl_meter_classify_by(e, 1, ctx);
}

static const pl_param params[] = {
    {"RATES", PL_T_ARGS, offsetof(meter_state, rates), NULL, 0, -1, PL_P_POSITIONAL,
     "thresholds, increasing packet rates"},
    {0}};

static const pl_class meter = {
    .name = "Meter",
    .ports = "1/2-",
    .processing = "h/h",
    .doc = "Meter(RATE1, ..., RATEn)\n"
           "Classifies packets by the current packet rate.\n\n"
           "Measures the arrival rate in packets per second with Click's moving\n"
           "average (1 ms epochs, weight 1/16) and sends each packet to output 0 while\n"
           "it is below RATE1, output 1 below RATE2, ..., output n above RATEn. n rates,\n"
           "n + 1 outputs. The whole stream follows the rate; RatedSplitter splits it.\n"
           "Handlers: rate, meters.\n\n"
           "Example: ... -> m :: Meter(10000) -> out; m[1] -> Discard;",
    .state_size = sizeof(meter_state),
    .params = params,
    .handlers = pl_meter_handlers,
    .initialize = m_initialize,
    .classify = m_classify,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(meter);
