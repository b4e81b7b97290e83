/*
 * Element classes and instances: what an element author needs.
 *
 * A class is a static pl_class at the bottom of its file, registered with
 * PL_REGISTER_CLASS(). It declares its parameter table (the single source of
 * truth for configuration parsing, handlers, documentation and the widget's
 * forms), its handlers, its counters (drop reasons included) and the
 * functions it implements. An author picks the simplest that fits:
 *
 *   simple_action  one packet in, the same (or another) packet out or NULL
 *                  (then the element freed it, usually with pl_drop()).
 *                  The core runs the batch loop in place.
 *   classify       one packet in, an output port out: the core builds one
 *                  sub-batch per output and pushes each once.
 *   push           the whole batch (batch-aware elements).
 *   run_task       a task (sources): called by its worker thread, returns
 *                  the packets it moved (0 = idle).
 *   pull           outputs that can be pulled (Queue, schedulers); an
 *                  agnostic element with any of the above is pulled through
 *                  them by the core (pull.c), a batch at a time.
 *
 * Ports are push ('h'), pull ('l') or agnostic ('a') in the class's Click
 * processing code; the core resolves agnostic ports across the graph as
 * Click does (processing.c) and an element reads the result with
 * pl_input_is_pull() / pl_output_is_pull().
 *
 * Packets of any size (up to PL_MAX_LEN): a source makes a packet with
 * pl_packet_alloc_len(ctx->pool, len); an element that adds bytes uses
 * pl_push / pl_put below (Click's push() and put()), which move the packet
 * to a larger buffer when its head- or tailroom is too small and return the
 * packet to go on with, or NULL after counting a drop.
 */
#ifndef PL_ELEMENT_H
#define PL_ELEMENT_H

#include "element_ctx.h"
#include "element_class.h"
#include "element_instance.h"
#include "element_clock.h"
#include "element_output.h"
#include "element_input.h"
#include "element_engine.h"
#include "element_register.h"

#include "timer.h"

#endif
