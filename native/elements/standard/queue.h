/* Queue's functions, shared by its synonyms (SimpleQueue, ThreadSafeQueue). */
#ifndef PL_ELEMENTS_QUEUE_H
#define PL_ELEMENTS_QUEUE_H

#include "../../core/element.h"

extern const pl_param pl_queue_params[];
extern const pl_handler pl_queue_handlers[];
extern const char *const pl_queue_counters[];
int pl_queue_initialize(pl_element *e, pl_error *err);
void pl_queue_cleanup(pl_element *e);
void pl_queue_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx);
pl_packet *pl_queue_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx);
void pl_queue_take_state(pl_element *e, pl_element *old);

#define PL_QUEUE_CLASS(cname, doc_text)                                                      \
    {                                                                                     \
        .name = cname, .ports = "1-/1", .processing = "h/l", .doc = doc_text,            \
        .state_size = sizeof(pl_queue_state), .params = pl_queue_params,                 \
        .handlers = pl_queue_handlers, .counters = pl_queue_counters, .ndrops = 1,       \
        .initialize = pl_queue_initialize, .cleanup = pl_queue_cleanup,                  \
        .push = pl_queue_push, .pull = pl_queue_pull, .take_state = pl_queue_take_state, \
        .traits = PL_C_BOUNDARY,                                                          \
    }

#include "../../core/rings.h"

typedef struct {
    uint64_t capacity;
    pl_rings rings;
} pl_queue_state;

#endif
