/*
 * A class's description: its parameters, handlers, counters and functions.
 * Part of element.h (the header element authors include).
 */
#ifndef PL_ELEMENT_CLASS_H
#define PL_ELEMENT_CLASS_H

#include "element_ctx.h"

typedef enum {
    PL_P_POSITIONAL = 1,          /* may be given without keyword, in table order */
    PL_P_LIVE = 2,                /* writable while running, via handler lower(name) */
    PL_P_REQUIRED = 4,
    PL_P_ANYWHERE = 8             /* ARGS: positional arguments may follow keywords (Script) */
} pl_param_flags;

typedef struct pl_bytes {
    uint8_t *data;
    size_t len;
} pl_bytes;

typedef struct pl_args {          /* PL_T_ARGS: the remaining positional arguments */
    int n;
    char **v;
} pl_args;

typedef struct pl_param {
    const char *name;
    pl_ptype type;
    size_t offset;                /* into the element's state */
    const char *def;              /* default as text, NULL = none */
    double min, max;              /* min > max: unbounded */
    unsigned flags;
    const char *doc;
} pl_param;

/* Handler flags, as Click's (shown by the `handlers` handler). */
enum {
    PL_H_CALM = 1,                /* '.': reading it changes nothing and is cheap */
    PL_H_RAW = 2,                 /* '%': value is raw bytes, printed without a newline added */
    PL_H_EXPENSIVE = 4,           /* '$': reading it costs (a table dump) */
    PL_H_BUTTON = 8,              /* 'b': written to act (reset), the value ignored */
    PL_H_CHECKBOX = 16,           /* 'c': a boolean */
    PL_H_UNCOMMON = 32            /* 'U' */
};

typedef struct pl_handler {
    const char *name;
    const char *doc;
    /* Write the value into buf (NUL-terminated, at most len bytes). */
    int (*read)(pl_element *e, char *buf, size_t len);
    int (*write)(pl_element *e, const char *value, pl_error *err);
    unsigned flags;               /* PL_H_* */
} pl_handler;

/* A read handler with a parameter, as Click's ("lookup 10.0.0.1"): the engine
 * calls it for a read of "NAME PARAM". Fill err on bad input. */
typedef struct pl_param_handler {
    const char *name;
    const char *doc;
    int (*read)(pl_element *e, const char *param, char *buf, size_t len, pl_error *err);
} pl_param_handler;

typedef struct pl_class {
    const char *name;
    const char *ports;            /* Click port count spec: "1/1", "0/1", "1/1-2", "1/-" */
    const char *processing;       /* "h/h" push, "l/l" pull, "a/a" agnostic */
    const char *doc;              /* the manual page */
    size_t state_size;
    const pl_param *params;       /* terminated by {0} */
    const pl_handler *handlers;   /* terminated by {0} */
    const pl_param_handler *param_handlers;   /* reads with a parameter, terminated by {0} */
    const char *const *counters;  /* NULL-terminated names */
    int ndrops;                   /* the first ndrops counters count packets freed here */
    int unused_output_counter;    /* classify: counter for packets sent to an unconnected port */
    int (*configure)(pl_element *e, pl_error *err);   /* after parameters were parsed */
    int (*initialize)(pl_element *e, pl_error *err);  /* ports known, before start */
    void (*cleanup)(pl_element *e);
    pl_packet *(*simple_action)(pl_element *e, pl_packet *p, pl_ctx *ctx);
    int (*classify)(pl_element *e, pl_packet *p, pl_ctx *ctx);
    pl_push_fn push;
    pl_pull_fn pull;              /* outputs in pull mode ('l' in processing) */
    uint32_t (*run_task)(pl_element *e, pl_ctx *ctx);
    /* A task run by several workers at once (e.g. one RX queue each): how
     * many (clamped to the engine's threads; NULL = 1). The core gives them
     * consecutive workers from e->thread; run_task tells them apart by ctx->tid. */
    int (*task_threads)(pl_element *e);
    /* The thread analysis changed the workers that can push into it (bit t of
     * `threads`): map per-thread resources (ToDPDKDevice's TX queues and
     * locks). Called with the workers parked or not started; while a live
     * change settles, `threads` covers the old graph's and the new one's. */
    void (*threads_changed)(pl_element *e, uint64_t threads);
    /* The workers are about to start (pl_engine_start, run_inline), on the
     * control thread: take back a device another engine used meanwhile, or
     * fail saying why it cannot run (the engine then stays stopped). */
    int (*start)(pl_element *e, pl_error *err);
    /* The workers stopped (pl_engine_stop, end of run_inline): give back held
     * packets, flush files. ctx lends worker 0's pool and counters. */
    void (*stop)(pl_element *e, pl_ctx *ctx);
    /* In-memory I/O (FromMemory, ToMemory), reached through pl_element_feed and
     * pl_element_drain. Control thread only; memio.c serializes the calls, so
     * each element sees one producer (feed) or one consumer (drain) at a time. */
    int (*feed)(pl_element *e, const uint8_t *data, const uint32_t *lens, uint32_t n,
                uint32_t *accepted, pl_error *err);
    int (*drain)(pl_element *e, uint8_t *data, size_t cap, pl_pkt_meta *meta, uint32_t maxn,
                 uint32_t *got, pl_error *err);
    /* Live change: `e` replaces `old` (same name). Called on the control
     * thread once `old` is quiescent; `e` may already be receiving packets
     * but is not yet scheduled as a task. Carry counts, tables, queues. */
    void (*take_state)(pl_element *e, pl_element *old);
    unsigned traits;              /* PL_C_* */
    /* Pulled through its push function: at most how many packets it should
     * pull now (Counter with COUNT_CALL stops at the call, as Click's one
     * packet per pull would); NULL: as many as asked. */
    uint32_t (*pull_max)(pl_element *e, uint32_t max);
    /* Click's Storage: packets it holds now (queues; RED reads it). */
    uint64_t (*storage_length)(pl_element *e);
    /* The graph changed (after initialize, after every live change), on the
     * control thread: look up what it depends on in the new graph
     * (e->eng's elements and connections). Old lookups may still be read by
     * a worker until the next grace period (pl_garbage_add them). */
    void (*graph_changed)(pl_element *e);
    /* Handlers by any other name (Script TYPE PROXY): tried last. */
    int (*any_read)(pl_element *e, const char *name, const char *param, char *buf, size_t len,
                    pl_error *err);
    int (*any_write)(pl_element *e, const char *name, const char *value, pl_error *err);
    int (*any_mode)(pl_element *e, const char *name);   /* bit 1 read, 2 write; 0: none */
    /* A DriverManager (an element that set is_driver in initialize): step
     * it when the runcount drops to zero; 0 means it ended normally (Click's
     * "step router"). Called on its home worker. */
    int (*driver_step)(pl_element *e, pl_ctx *ctx);
    /* Click's flow code ("x/x" when NULL: every input reaches every output),
     * read by the processing resolution and the notifier searches. */
    const char *flow;
    /* Click's flag S: 0 = it never makes packets of its own (schedulers,
     * Idle), 1 = it may (sources); a notifier search that ends at an element
     * with no flow through it is busy unless S is 0. */
    int sources;                  /* PL_S_* */
} pl_class;

enum { PL_S_UNKNOWN = 0, PL_S_NONE = 1, PL_S_SOURCE = 2 };

/* Class traits read by the thread analysis (threads.c). */
enum {
    PL_C_BOUNDARY = 1,            /* packets change threads here: the outputs run on the
                                     element's own task (Pipeliner, queues) */
    PL_C_SINGLE_THREAD = 2        /* state not safe for several threads: warn if reached so */
};

struct pl_listen;
struct pl_noteprov;
struct pl_timer;

#endif
