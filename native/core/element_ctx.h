/*
 * The worker's context, the port functions and the edges between elements
 * (and the limits they are sized by).
 * Part of element.h (the header element authors include).
 */
#ifndef PL_ELEMENT_CTX_H
#define PL_ELEMENT_CTX_H

#include "../include/pktlab.h"
#include "pool.h"

#include <stdarg.h>
#include <time.h>

#define PL_HIST_BINS 258          /* bin k = batch size k (1..256), 257 = larger */
/* Packet copies an element may keep per thread (ToMemory, Capture): a
 * configuration asking for more gets an error, not an allocation the
 * machine cannot back (the rings are allocated lazily, so traffic's
 * ToMemory(1048576) of 2 GiB virtual is fine; the fuzzer's build, with its
 * malloc limit, takes less). */
#ifndef PL_RING_BYTES_MAX
#define PL_RING_BYTES_MAX (1ull << 34)
#endif
#define PL_MAX_PORTS 256

#include "notifier.h"

struct pl_engine;
typedef struct pl_element pl_element;

/* Everything a worker thread carries down the call chain. */
typedef struct pl_ctx {
    int tid;
    pl_pool *pool;
    uint64_t *port_stats;         /* this thread: [nports][4] */
    uint64_t *hist;               /* this thread: [nports][PL_HIST_BINS] */
    uint64_t *counters;           /* this thread: [ncounters] */
    struct pl_engine *eng;
    int per_packet;
    int cycles;
    int timestamps;               /* stamp what sources push (pl_output_source); written
                                     live by the control thread: read with PL_LIVE */
    int io_attached;              /* an I/O backend set up the thread running this context
                                     (cleared whenever a thread starts running it) */
    struct pl_packet **capture;   /* pull through a push function: where its output goes */
    int capture_port;
    uint64_t *bd;                 /* Engine(breakdown=True): this worker's stage
                                     accumulators (pl_bd_mark); NULL: off */
    uint64_t bd_last;             /* the TSC at the last mark */
    /* Batch vectors (Engine(vectors=True)): the packets of the last device
     * burst this worker received, in order (vec_n of them; 0: none). A hint
     * only: a user checks vec[0] against its batch head and each link
     * (vec[i]->next == vec[i + 1]) before it follows one, so an element that
     * changed the batch costs the vector, never a wrong packet. NULL: off. */
    struct pl_packet **vec;
    uint32_t vec_n;
} pl_ctx;
#define PL_VEC_MAX 256

typedef void (*pl_push_fn)(pl_element *e, int port, pl_packet *batch, pl_ctx *ctx);
/* Pull up to `max` packets from output `port` of e (NULL: nothing there). */
typedef pl_packet *(*pl_pull_fn)(pl_element *e, int port, uint32_t max, pl_ctx *ctx);

/* An output port's target: replaced as a whole (one atomic store) by live change. */
typedef struct pl_edge {
    pl_element *to;
    pl_push_fn push;
    int to_port;
    uint32_t stat;                /* global port index into the statistics */
    /* Pull connections (a Queue's output to an Unqueue's input) are held by
     * the pulling element's input: where to pull from. */
    pl_element *from;
    int from_port;
    pl_pull_fn pull;
} pl_edge;

#endif
