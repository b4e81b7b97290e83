/* What the pull schedulers share: a signal per input (Click's
 * upstream_empty_signal for each), read to skip inputs with nothing. */
#ifndef PL_ELEMENTS_SCHED_H
#define PL_ELEMENTS_SCHED_H

#include "../../core/element.h"

#include <stdlib.h>

/* In initialize: *slots gets one signal slot per input, each kept up to date
 * by the core; wake (may be NULL) runs when one of them activates. */
static inline int pl_sched_listen(pl_element *e, pl_signal_slot **slots, pl_wake_fn wake,
                                  pl_error *err)
{
    *slots = calloc((size_t)(e->ninputs ? e->ninputs : 1), sizeof **slots);
    if (!*slots)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (int i = 0; i < e->ninputs; i++)
        if (pl_listen(e, PL_NOTE_EMPTY, i, &(*slots)[i], wake, err))
            return err->status;
    return 0;
}

static inline int pl_sched_input_active(pl_signal_slot *slots, int i)
{
    return pl_signal_active(pl_signal_get(&slots[i]));
}

#endif
