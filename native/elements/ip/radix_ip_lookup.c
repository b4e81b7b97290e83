/* RadixIPLookup: IP routing lookup through a multibit trie (strides 8-8-8-8). */
#include "../../lib/iproute.h"
#include "../../lib/netpkt.h"

#include <stdlib.h>

/*
 * Node entries: 0 = no route, CHILD | n = node n continues, else route
 * index + 1. Built from the routes shortest prefix first, so that a longer
 * prefix always overwrites (controlled prefix expansion); a lookup is at most
 * four dependent loads.
 */
#define CHILD 0x80000000u

typedef struct {
    int nroutes, nnodes;
    pl_route *routes;
    uint32_t *nodes;              /* nnodes x 256 */
} rdx_table;

typedef pl_rt_table_state rdx_state;

static void rdx_free(rdx_table *t)
{
    if (t) {
        free(t->routes);
        free(t->nodes);
        free(t);
    }
}

static int new_node(rdx_table *t, int *cap, uint32_t fill)
{
    if (t->nnodes == *cap) {
        int c = *cap * 2;
        uint32_t *v = realloc(t->nodes, sizeof *v * 256 * (size_t)c);
        if (!v)
            return -1;
        t->nodes = v;
        *cap = c;
    }
    uint32_t *n = t->nodes + (size_t)t->nnodes * 256;
    for (int i = 0; i < 256; i++)
        n[i] = fill;
    return t->nnodes++;
}

static int insert(rdx_table *t, int *cap, const pl_route *r, uint32_t value)
{
    uint8_t a[4];
    memcpy(a, &r->addr, 4);
    int node = 0, level = 0;
    while (r->plen > 8 * (level + 1)) {
        uint32_t e = t->nodes[(size_t)node * 256 + a[level]];
        if (!(e & CHILD)) {
            int c = new_node(t, cap, e);
            if (c < 0)
                return -1;
            t->nodes[(size_t)node * 256 + a[level]] = CHILD | (uint32_t)c;
            e = CHILD | (uint32_t)c;
        }
        node = (int)(e & ~CHILD);
        level++;
    }
    unsigned span = 1u << (8 * (level + 1) - r->plen);
    unsigned first = a[level] & ~(span - 1);
    for (unsigned j = first; j < first + span; j++)
        t->nodes[(size_t)node * 256 + j] = value;
    return 0;
}

static int rdx_commit(pl_element *e, pl_error *err)
{
    rdx_state *s = PL_STATE(e, rdx_state);
    rdx_table *t = calloc(1, sizeof *t);
    int cap = 16;
    if (t) {
        t->nroutes = s->rt.n;
        t->routes = malloc(sizeof(pl_route) * (size_t)(s->rt.n + 1));
        t->nodes = malloc(sizeof(uint32_t) * 256 * (size_t)cap);
    }
    if (!t || !t->routes || !t->nodes || new_node(t, &cap, 0) < 0) {
        rdx_free(t);
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    }
    pl_rt_sorted(&s->rt, t->routes, 0);
    for (int i = 0; i < t->nroutes; i++)
        if (insert(t, &cap, &t->routes[i], (uint32_t)i + 1)) {
            rdx_free(t);
            return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
        }
    rdx_free(pl_rt_publish(e, &s->table, t));
    return 0;
}

static inline const pl_route *rdx_find(const rdx_table *t, uint32_t addr)
{
    uint8_t a[4];
    memcpy(a, &addr, 4);
    const uint32_t *n = t->nodes;
    uint32_t v = n[a[0]];
    for (int level = 1; (v & CHILD) && level < 4; level++)
        v = n[(size_t)(v & ~CHILD) * 256 + a[level]];
    return v ? &t->routes[v - 1] : NULL;
}

PL_RT_TABLE_ELEMENT(rdx, rdx_table, rdx_find, rdx_free, rdx_commit)

static const pl_param params[] = {PL_RT_PARAMS(rdx_state)};
static const pl_handler handlers[] = {PL_RT_HANDLERS_RW, {0}};

static const pl_class radix_ip_lookup = {
    .name = "RadixIPLookup",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "RadixIPLookup(ADDR1/MASK1 [GW1] OUT1, ...)\n"
           "IP lookup using a radix trie.\n\n"
           "Routes packets by their destination IP annotation: the longest matching\n"
           "prefix picks the output, and the annotation becomes the route's gateway\n"
           "when it has one; packets without a route are dropped. The table is a\n"
           "multibit trie with 8-bit strides (controlled prefix expansion): at most four\n"
           "memory reads per lookup, whatever the table's size. Routes change while\n"
           "running (add, set, remove, flush): a new trie is built aside and published\n"
           "at once; the old one is freed when no worker can hold it. Masks must be\n"
           "prefixes.\n"
           "Handlers: table, lookup ADDR (a read with a parameter; get is the same),\n"
           "add, set, remove, flush.\n"
           "Counters: no_route, bad_port (route to an unconnected output); drops.\n\n"
           "Example: rt :: RadixIPLookup(10.0.0.0/24 0, 10.0.1.0/24 1, 0.0.0.0/0 10.0.0.254 0);",
    .state_size = sizeof(rdx_state),
    .params = params,
    .handlers = handlers,
    .param_handlers = pl_rt_param_handlers,
    .counters = pl_rt_counters,
    .ndrops = 2,
    .unused_output_counter = PL_RT_BAD_PORT,
    .configure = rdx_configure,
    .cleanup = rdx_cleanup,
    .push = rdx_push,
};
PL_REGISTER_CLASS(radix_ip_lookup);
