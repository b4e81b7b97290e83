/* Meter and BandwidthMeter: classify by the current rate (Click's RateEWMA). */
#ifndef PL_ELEMENTS_METER_H
#define PL_ELEMENTS_METER_H

#include "../../core/args.h"
#include "../../lib/ewma.h"

typedef struct {
    pl_args rates;
    int n;
    int64_t meters[PL_MAX_PORTS];  /* scaled per-epoch rates, increasing */
    double real[PL_MAX_PORTS];
    pl_rate_ewma rate;
} meter_state;

int pl_meter_initialize(pl_element *e, int bandwidth, pl_error *err);
int pl_meter_classify_by(pl_element *e, int64_t amount, pl_ctx *ctx);
extern const pl_handler pl_meter_handlers[];

#endif
