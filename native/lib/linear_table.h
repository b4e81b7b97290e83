/* The table of LinearIPLookup and StaticIPLookup: routes, longest prefix first. */
#ifndef PL_LINEAR_TABLE_H
#define PL_LINEAR_TABLE_H

#include "iproute.h"
#include "netpkt.h"

#include <stdlib.h>

typedef struct {
    int n;
    pl_route r[];
} lin_table;

typedef struct {
    pl_rt rt;
    _Atomic(void *) table;
} lin_state;

static inline const pl_route *lin_find(const lin_table *t, uint32_t a)
{
    for (int i = 0; i < t->n; i++)
        if ((a & t->r[i].mask) == t->r[i].addr)
            return &t->r[i];
    return NULL;
}

static int lin_commit(pl_element *e, pl_error *err)
{
    lin_state *s = PL_STATE(e, lin_state);
    lin_table *t = malloc(sizeof *t + sizeof(pl_route) * (size_t)(s->rt.n + 1));
    if (!t)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    t->n = s->rt.n;
    pl_rt_sorted(&s->rt, t->r, 1);
    free(pl_rt_publish(e, &s->table, t));
    return 0;
}

static int lin_lookup(pl_element *e, uint32_t a, pl_route *out)
{
    const lin_table *t = atomic_load_explicit(&PL_STATE(e, lin_state)->table, memory_order_acquire);
    return pl_rt_found(t ? lin_find(t, a) : NULL, out);
}

static int lin_configure(pl_element *e, pl_error *err)
{
    lin_state *s = PL_STATE(e, lin_state);
    s->rt.commit = lin_commit;
    s->rt.lookup = lin_lookup;
    return pl_rt_configure(e, err);
}

static void lin_cleanup(pl_element *e)
{
    free(atomic_load(&PL_STATE(e, lin_state)->table));
    pl_rt_cleanup(e);
}

static inline int lin_route(pl_element *e, pl_packet *p, pl_ctx *ctx, const void *t)
{
    return pl_rt_forward(e, p, ctx, lin_find(t, p->dst_ip));
}

static void lin_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    const lin_table *t = atomic_load_explicit(&PL_STATE(e, lin_state)->table, memory_order_acquire);
    pl_push_split(e, b, ctx, lin_route, t, PL_RT_BAD_PORT);
}

#endif
