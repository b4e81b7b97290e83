/*
 * Element names -> indices, and connections by element: what makes building,
 * initializing and changing a graph of N elements O(N) instead of O(N^2)
 * (a 2^15-element configuration took 35 s to load with linear lookups).
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;          /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int grow(pl_names *t)
{
    uint32_t cap = t->cap ? t->cap * 2 : 64;
    pl_name_slot *v = calloc(cap, sizeof *v);
    if (!v)
        return -1;
    for (uint32_t i = 0; i < t->cap; i++) {
        if (!t->v[i].name)
            continue;
        uint32_t k = (uint32_t)hash(t->v[i].name) & (cap - 1);
        while (v[k].name)
            k = (k + 1) & (cap - 1);
        v[k] = t->v[i];
    }
    free(t->v);
    t->v = v;
    t->cap = cap;
    return 0;
}

int pl_names_put(pl_names *t, const char *name, int index)
{
    if ((t->n + 1) * 2 > t->cap && grow(t))
        return -1;
    uint32_t k = (uint32_t)hash(name) & (t->cap - 1);
    for (; t->v[k].name; k = (k + 1) & (t->cap - 1))
        if (!strcmp(t->v[k].name, name))
            return 1;
    t->v[k] = (pl_name_slot){name, index};
    t->n++;
    return 0;
}

int pl_names_get(const pl_names *t, const char *name)
{
    if (!t->cap)
        return -1;
    for (uint32_t k = (uint32_t)hash(name) & (t->cap - 1); t->v[k].name; k = (k + 1) & (t->cap - 1))
        if (!strcmp(t->v[k].name, name))
            return t->v[k].index;
    return -1;
}

void pl_names_free(pl_names *t)
{
    free(t->v);
    memset(t, 0, sizeof *t);
}

int pl_engine_find(pl_engine *e, const char *name) { return pl_names_get(&e->names, name); }

int pl_names_rebuild(pl_engine *e)
{
    pl_names_free(&e->names);
    for (int i = 0; i < e->nelems; i++)
        if (pl_names_put(&e->names, e->elems[i]->name, i) < 0)
            return -1;
    return 0;
}

/* ---- connections by element (counting sort) ---- */

int pl_adj_build(pl_adj *a, int n, const pl_conn *conns, int nconns)
{
    memset(a, 0, sizeof *a);
    a->out_off = calloc((size_t)n + 2, sizeof(int));
    a->in_off = calloc((size_t)n + 2, sizeof(int));
    a->out = malloc(sizeof(int) * (size_t)(nconns ? nconns : 1));
    a->in = malloc(sizeof(int) * (size_t)(nconns ? nconns : 1));
    if (!a->out_off || !a->in_off || !a->out || !a->in) {
        pl_adj_free(a);
        return -1;
    }
    for (int c = 0; c < nconns; c++) {
        a->out_off[conns[c].from + 2]++;
        a->in_off[conns[c].to + 2]++;
    }
    for (int i = 2; i <= n + 1; i++) {
        a->out_off[i] += a->out_off[i - 1];
        a->in_off[i] += a->in_off[i - 1];
    }
    /* Connections keep their order within each element's list. */
    for (int c = 0; c < nconns; c++) {
        a->out[a->out_off[conns[c].from + 1]++] = c;
        a->in[a->in_off[conns[c].to + 1]++] = c;
    }
    a->n = n;
    return 0;
}

void pl_adj_free(pl_adj *a)
{
    free(a->out_off);
    free(a->in_off);
    free(a->out);
    free(a->in);
    memset(a, 0, sizeof *a);
}
