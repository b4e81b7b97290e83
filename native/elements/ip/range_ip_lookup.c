/* RangeIPLookup: IP routing lookup through binary search in a compact range table. */
#include "../../lib/iproute.h"
#include "../../lib/netpkt.h"

#include <stdlib.h>

/*
 * The routes (prefixes only) cut the address space into ranges, each with
 * one longest-matching route. The table holds, per /16 (a 65537-entry index),
 * the ranges that begin inside it, as 4-byte entries: the low 16 bits of the
 * range's first address and its route index + 1 (0: no route); every /16's
 * list begins at low bits 0. A lookup reads the index, then binary-searches
 * the few entries of its /16, which stay in cache for real tables. Built
 * aside from the route set on each change and published at once.
 */
#define MAX_ROUTES 65535

typedef struct {
    uint16_t low, route;
} rng_entry;

typedef struct {
    pl_route *routes;
    uint32_t *index;               /* 65537: first entry of each /16, then the end */
    rng_entry *e;
} rng_table;

typedef pl_rt_table_state rng_state;

typedef struct {
    uint32_t start;                /* host order */
    uint16_t route;
} rng_point;

static void rng_free(rng_table *t)
{
    if (t) {
        free(t->routes);
        free(t->index);
        free(t->e);
        free(t);
    }
}

static uint32_t host(uint32_t net)
{
    uint8_t a[4];
    memcpy(a, &net, 4);
    return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

/* By first address, then shorter prefix first (prefixes nest or are disjoint). */
static int cmp_start(const void *a, const void *b)
{
    const pl_route *x = a, *y = b;
    uint32_t hx = host(x->addr), hy = host(y->addr);
    if (hx != hy)
        return hx < hy ? -1 : 1;
    return x->plen - y->plen;
}

static uint64_t last_addr(const pl_route *r)
{
    return (uint64_t)host(r->addr) + ((uint64_t)1 << (32 - r->plen)) - 1;
}

/* Appends "from `start` on, route `route`", replacing a point at the same address. */
static void point(rng_point *p, int *n, uint64_t start, uint16_t route)
{
    if (start > 0xffffffffu)
        return;
    if (*n && p[*n - 1].start == (uint32_t)start)
        (*n)--;
    if (*n && p[*n - 1].route == route)
        return;
    p[*n].start = (uint32_t)start;
    p[*n].route = route;
    (*n)++;
}

/* The ranges of routes r[0..n) (sorted by cmp_start): at most 2n + 1 points. */
static int ranges(const pl_route *r, int n, rng_point *p)
{
    int np = 0, depth = 0;
    int *stack = malloc(sizeof *stack * (size_t)(n + 1));
    if (!stack)
        return -1;
    point(p, &np, 0, 0);
    for (int i = 0; i <= n; i++) {
        uint64_t start = i < n ? host(r[i].addr) : (uint64_t)1 << 32;
        while (depth && last_addr(&r[stack[depth - 1]]) < start) {
            uint64_t end = last_addr(&r[stack[--depth]]) + 1;
            point(p, &np, end, depth ? (uint16_t)(stack[depth - 1] + 1) : 0);
        }
        if (i < n) {
            point(p, &np, start, (uint16_t)(i + 1));
            stack[depth++] = i;
        }
    }
    free(stack);
    return np;
}

static int rng_commit(pl_element *e, pl_error *err)
{
    rng_state *s = PL_STATE(e, rng_state);
    int n = s->rt.n;
    if (n > MAX_ROUTES)
        return pl_seterr(err, PL_ERR_CONFIG, e, "ROUTE", "%d routes; RangeIPLookup holds at "
                         "most %d", n, MAX_ROUTES);
    rng_table *t = calloc(1, sizeof *t);
    rng_point *p = malloc(sizeof *p * (size_t)(2 * n + 2));
    int np = -1;
    if (t && p) {
        t->routes = malloc(sizeof(pl_route) * (size_t)(n + 1));
        t->index = malloc(sizeof(uint32_t) * 65537);
        t->e = malloc(sizeof(rng_entry) * (size_t)(65536 + 2 * n + 2));
        if (t->routes && t->index && t->e) {
            pl_rt_sorted(&s->rt, t->routes, 0);
            qsort(t->routes, (size_t)n, sizeof *t->routes, cmp_start);
            np = ranges(t->routes, n, p);
        }
    }
    if (np < 0) {
        free(p);
        rng_free(t);
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory for the range table");
    }
    uint32_t k = 0;
    int j = 0;
    uint16_t carry = 0;
    for (uint32_t hi = 0; hi < 65536; hi++) {
        t->index[hi] = k;
        uint32_t base = hi << 16;
        if (j >= np || p[j].start != base)
            t->e[k++] = (rng_entry){0, carry};
        for (; j < np && p[j].start >> 16 == hi; j++) {
            t->e[k++] = (rng_entry){(uint16_t)p[j].start, p[j].route};
            carry = p[j].route;
        }
    }
    t->index[65536] = k;
    free(p);
    rng_free(pl_rt_publish(e, &s->table, t));
    return 0;
}

static inline const pl_route *rng_find(const rng_table *t, uint32_t addr)
{
    uint32_t h = host(addr), lo = t->index[h >> 16], hi = t->index[(h >> 16) + 1];
    uint16_t low = (uint16_t)h;
    while (hi - lo > 1) {                /* e[lo].low <= low: the first entry's is 0 */
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->e[mid].low <= low)
            lo = mid;
        else
            hi = mid;
    }
    uint16_t v = t->e[lo].route;
    return v ? &t->routes[v - 1] : NULL;
}

PL_RT_TABLE_ELEMENT(rng, rng_table, rng_find, rng_free, rng_commit)

static const pl_param params[] = {PL_RT_PARAMS(rng_state)};
static const pl_handler handlers[] = {PL_RT_HANDLERS_RW, {0}};

static const pl_class range_ip_lookup = {
    .name = "RangeIPLookup",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "RangeIPLookup(ADDR1/MASK1 [GW1] OUT1, ...)\n"
           "IP routing lookup through binary search in a very compact table.\n\n"
           "Routes packets by their destination IP annotation, as RadixIPLookup: the\n"
           "longest matching prefix wins, the packet leaves on that route's output, and\n"
           "its annotation becomes the gateway when the route has one. The routes cut\n"
           "the address space into ranges of one route each; the table keeps, per /16,\n"
           "the ranges that start in it (4 bytes each) and a lookup binary-searches\n"
           "them: a few cache lines per lookup, about 4 bytes per route plus a 256 KiB\n"
           "index. Holds up to 65535 routes; masks must be prefixes. Routes change\n"
           "while running (add, set, remove, flush): a new table is built aside and\n"
           "published at once.\n"
           "Handlers: table, lookup ADDR (a read with a parameter; get is the same),\n"
           "add, set, remove, flush.\n"
           "Counters: no_route, bad_port (route to an unconnected output); drops.\n\n"
           "Example: rt :: RangeIPLookup(10.0.0.0/24 0, 10.0.1.0/24 1, 0.0.0.0/0 10.0.0.254 0);",
    .state_size = sizeof(rng_state),
    .params = params,
    .handlers = handlers,
    .param_handlers = pl_rt_param_handlers,
    .counters = pl_rt_counters,
    .ndrops = 2,
    .unused_output_counter = PL_RT_BAD_PORT,
    .configure = rng_configure,
    .cleanup = rng_cleanup,
    .push = rng_push,
};
PL_REGISTER_CLASS(range_ip_lookup);
