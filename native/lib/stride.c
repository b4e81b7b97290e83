/* Tickets for StrideSched and StrideSwitch, checked as Click's configure does. */
#include "../core/args.h"
#include "stride.h"

#include <stdlib.h>

int pl_stride_parse(pl_element *e, const pl_args *a, int n, const char *side, int *t,
                    pl_error *err)
{
    if (a->n != n)
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "need %d arguments, one per %s port", n,
                         side);
    for (int i = 0; i < n; i++) {
        int64_t v;
        if (pl_parse_int(a->v[i], &v))
            return pl_seterr(err, PL_ERR_CONFIG, e, "",
                             "argument %d should be number of tickets (integer)", i);
        if (v < 0)
            return pl_seterr(err, PL_ERR_CONFIG, e, "",
                             "argument %d (number of tickets) must be >= 0", i);
        if (v > PL_STRIDE_MAX_TICKETS) {
            pl_log(e->eng, "%s :: %s: %s %d's tickets reduced to %d", PL_NAME(e), e->cls->name,
                   side, i, PL_STRIDE_MAX_TICKETS);
            v = PL_STRIDE_MAX_TICKETS;
        }
        t[i] = (int)v;
    }
    return 0;
}
