/*
 * Click's stride scheduling (elements/standard/stridesched.hh): clients
 * with tickets; each has a stride STRIDE1 / tickets and a pass; the client
 * with the smallest pass goes next and advances by its stride; ties go in
 * port order. StrideSched picks inputs with it, StrideSwitch outputs.
 */
#ifndef PL_STRIDE_H
#define PL_STRIDE_H

#include <stdint.h>

#define PL_STRIDE1 (1u << 16)
#define PL_STRIDE_MAX_TICKETS (1u << 15)

typedef struct pl_stride_client {
    struct pl_stride_client **pprev, *next;
    uint32_t pass, stride;
    int tickets;
} pl_stride_client;

static inline int pl_pass_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

static inline void pl_stride_set_tickets(pl_stride_client *c, int t)
{
    c->tickets = t;
    c->stride = t ? PL_STRIDE1 / (uint32_t)t : 0;
}

static inline void pl_stride_step(pl_stride_client *c) { c->pass += c->stride; }

static inline void pl_stride_insert(pl_stride_client *c, pl_stride_client **list)
{
    c->pprev = list;
    while ((c->next = *c->pprev) && pl_pass_gt(c->pass, c->next->pass))
        c->pprev = &c->next->next;
    *c->pprev = c;
    if (c->next)
        c->next->pprev = &c->next;
}

static inline void pl_stride_remove(pl_stride_client *c)
{
    if ((*c->pprev = c->next))
        c->next->pprev = c->pprev;
}

/* Configure n clients with tickets t[i] (Click's configure: first time). */
static inline void pl_stride_init(pl_stride_client *all, int n, const int *t,
                                  pl_stride_client **list)
{
    for (int i = 0; i < n; i++) {
        all[i] = (pl_stride_client){0};
        pl_stride_set_tickets(&all[i], t[i]);
        pl_stride_step(&all[i]);
    }
    *list = 0;
    /* Inserted in reverse so that ties run in port order. */
    for (int i = n - 1; i >= 0; i--)
        if (all[i].tickets)
            pl_stride_insert(&all[i], list);
}

/* Click's set_tickets on a running schedule. */
static inline void pl_stride_change(pl_stride_client *c, int tickets, pl_stride_client **list)
{
    int old = c->tickets;
    pl_stride_set_tickets(c, tickets);
    if (tickets == 0 && old != 0)
        pl_stride_remove(c);
    else if (tickets != 0 && old == 0) {
        c->pass = *list ? (*list)->pass + c->stride : 0;
        pl_stride_insert(c, list);
    }
}

/* TICKETS arguments: one per port (n), each 0..32768 (more is reduced, with
 * a warning in the log). Fills t; fails in Click's words. */
struct pl_element;
struct pl_args;
struct pl_error;
int pl_stride_parse(struct pl_element *e, const struct pl_args *a, int n, const char *side,
                    int *t, struct pl_error *err);

#endif
