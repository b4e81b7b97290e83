/* Shaper and BandwidthShaper: pull elements that let a rate through (Click's GapRate). */
#ifndef PL_ELEMENTS_SHAPER_H
#define PL_ELEMENTS_SHAPER_H

#include "../../core/args.h"
#include "../../lib/gaprate.h"

typedef struct {
    double rate;
    pl_gaprate gap;
    double applied;
} shaper_state;

int pl_shaper_configure(pl_element *e, pl_error *err);
void pl_shaper_follow(pl_element *e, shaper_state *s, uint64_t now);
extern const pl_handler pl_shaper_handlers[];

#endif
