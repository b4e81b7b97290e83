/*
 * What the IP route lookup elements share (Click's IPRouteTable): the route
 * syntax, the control-side route set, and the handlers table, add, set,
 * remove, flush and lookup/get. Each element keeps its own data-path
 * structure, built from the route set by its `commit` function and published
 * with one atomic pointer store; the old structure is freed after
 * pl_engine_synchronize(), so lookups never take a lock.
 */
#ifndef PL_IPROUTE_H
#define PL_IPROUTE_H

#include "../core/element.h"
#include "netpkt.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct pl_route {
    uint32_t addr, mask, gw;      /* network order; gw 0 = none */
    int32_t port;
    int32_t plen;                 /* prefix length, -1 for a non-contiguous mask */
} pl_route;

typedef struct pl_rt pl_rt;

/* The element state of every lookup element starts with this. */
struct pl_rt {
    pl_args routes;               /* the configuration's ROUTE arguments */
    pthread_mutex_t lock;         /* serializes control-side changes */
    pl_route *v;
    int n, cap;
    int contiguous_only;          /* the structure needs prefix masks */
    /* Build and publish the data-path structure from v[0..n). */
    int (*commit)(pl_element *e, pl_error *err);
    /* Data-path lookup, used by the lookup handler too. NULL: no route. */
    int (*lookup)(pl_element *e, uint32_t addr, pl_route *out);
};

/* configure: parse the ROUTE arguments and commit. */
int pl_rt_configure(pl_element *e, pl_error *err);
void pl_rt_cleanup(pl_element *e);
/* Publish `table` into *slot; wait for the workers; return the old one to free. */
void *pl_rt_publish(pl_element *e, _Atomic(void *) *slot, void *table);
/* Routes sorted by prefix length: descending (longest first) or ascending. */
void pl_rt_sorted(const pl_rt *rt, pl_route *out, int longest_first);

int pl_rt_read_table(pl_element *e, char *buf, size_t len);
int pl_rt_write_add(pl_element *e, const char *v, pl_error *err);
int pl_rt_write_set(pl_element *e, const char *v, pl_error *err);
int pl_rt_write_remove(pl_element *e, const char *v, pl_error *err);
int pl_rt_write_flush(pl_element *e, const char *v, pl_error *err);
int pl_rt_read_lookup(pl_element *e, const char *param, char *buf, size_t len, pl_error *err);

/* The data path: route by the destination IP annotation, set it to the
 * gateway when the route has one; no route: dropped under counter 0. */
#define PL_RT_NO_ROUTE 0
#define PL_RT_BAD_PORT 1
extern const char *const pl_rt_counters[];

#define PL_RT_PARAMS(type)                                                                  \
    {"ROUTE", PL_T_ARGS, offsetof(type, rt.routes), "", 0, -1, PL_P_POSITIONAL,             \
     "routes 'ADDR/MASK [GATEWAY] OUTPUT', one per argument"},                             \
    {0}

#define PL_RT_HANDLERS_RO                                                                   \
    {"table", "the routing table, one route per line", pl_rt_read_table, NULL}

#define PL_RT_HANDLERS_RW                                                                   \
    PL_RT_HANDLERS_RO,                                                                      \
    {"add", "add routes (one per line or comma); an existing prefix is an error", NULL,     \
     pl_rt_write_add},                                                                      \
    {"set", "add routes, replacing those with the same prefix", NULL, pl_rt_write_set},     \
    {"remove", "remove routes 'ADDR/MASK [GATEWAY] [OUTPUT]'", NULL, pl_rt_write_remove},   \
    {"flush", "remove every route", NULL, pl_rt_write_flush}

/* A lookup's answer for the control side (the `lookup` handler): 1 and *out, or 0. */
static inline int pl_rt_found(const pl_route *r, pl_route *out)
{
    if (r)
        *out = *r;
    return r != NULL;
}

/* The data path's step once a table answered for packet p: no route drops
 * it (-1), else the gateway (if any) becomes its destination annotation and
 * the route's output is returned. The same for every lookup element. */
static inline int pl_rt_forward(pl_element *e, pl_packet *p, pl_ctx *ctx, const pl_route *r)
{
    if (__builtin_expect(!r, 0)) {
        pl_drop(ctx, e, PL_RT_NO_ROUTE, p);
        return -1;
    }
    if (r->gw)
        p->dst_ip = r->gw;
    return r->port;
}

/*
 * A lookup element whose routes compile into one table, published whole
 * (DirectIPLookup, RadixIPLookup, RangeIPLookup): its state, and the glue
 * between its table and the element. The class writes its table type, a
 * FREE(table *) that takes NULL, a COMMIT(e, err) that builds the table from
 * rt.v and publishes it into `table` (pl_rt_publish), and an inline
 * FIND(const table *, addr) for the data path; PL_RT_TABLE_ELEMENT(P, ...)
 * then defines P_lookup, P_configure, P_cleanup, P_route and P_push, FIND
 * inlined into the batch loop.
 */
typedef struct pl_rt_table_state {
    pl_rt rt;
    _Atomic(void *) table;
} pl_rt_table_state;

static inline const void *pl_rt_table(pl_element *e)
{
    return atomic_load_explicit(&PL_STATE(e, pl_rt_table_state)->table, memory_order_acquire);
}

#define PL_RT_TABLE_ELEMENT(P, TABLE, FIND, FREE, COMMIT)                                  \
    static int P##_lookup(pl_element *e, uint32_t a, pl_route *out)                         \
    {                                                                                       \
        return pl_rt_found(FIND((const TABLE *)pl_rt_table(e), a), out);                    \
    }                                                                                       \
    static int P##_configure(pl_element *e, pl_error *err)                                  \
    {                                                                                       \
        pl_rt_table_state *s = PL_STATE(e, pl_rt_table_state);                              \
        s->rt.contiguous_only = 1;                                                          \
        s->rt.commit = COMMIT;                                                              \
        s->rt.lookup = P##_lookup;                                                          \
        return pl_rt_configure(e, err);                                                     \
    }                                                                                       \
    static void P##_cleanup(pl_element *e)                                                  \
    {                                                                                       \
        FREE(atomic_load(&PL_STATE(e, pl_rt_table_state)->table));                          \
        pl_rt_cleanup(e);                                                                   \
    }                                                                                       \
    static inline int P##_route(pl_element *e, pl_packet *p, pl_ctx *ctx, const void *t)    \
    {                                                                                       \
        return pl_rt_forward(e, p, ctx, FIND((const TABLE *)t, p->dst_ip));                 \
    }                                                                                       \
    static void P##_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)                \
    {                                                                                       \
        (void)port;                                                                         \
        pl_push_split(e, b, ctx, P##_route, pl_rt_table(e), PL_RT_BAD_PORT);                \
    }

/* Reads with a parameter: lookup ADDR (and its synonym get). */
extern const pl_param_handler pl_rt_param_handlers[];

#endif
