/* The core's batch loops for per-packet element functions. */
#ifndef PL_PUSH_H
#define PL_PUSH_H

#include "element.h"

void pl_push_simple(pl_element *e, int port, pl_packet *b, pl_ctx *ctx);
void pl_push_classify(pl_element *e, int port, pl_packet *b, pl_ctx *ctx);

#endif
