/* DirectIPLookup: IP routing lookup through DIR-24-8 tables. */
#include "../../lib/iproute.h"
#include "../../lib/netpkt.h"

#include <stdlib.h>

/*
 * Gupta, Lin and McKeown's DIR-24-8: a table of 2^24 16-bit entries indexed
 * by the address's first 24 bits holds the route of every /24 (or, with the
 * top bit set, a group of 256 entries for the last byte). One or two memory
 * reads per lookup. Entries hold route index + 1 (0: no route), so a table
 * holds up to 32767 routes and 32768 groups. The big table is calloc'ed (the
 * kernel maps its pages lazily) and filled shortest prefix first.
 */
#define GROUP 0x8000u
#define MAX_ROUTES 32767
#define MAX_GROUPS 32768

typedef struct {
    int nroutes, ngroups;
    pl_route *routes;
    uint16_t *tbl24;              /* 1 << 24 */
    uint16_t *tbl8;               /* ngroups x 256 */
} dir_table;

typedef pl_rt_table_state dir_state;

static void dir_free(dir_table *t)
{
    if (t) {
        free(t->routes);
        free(t->tbl24);
        free(t->tbl8);
        free(t);
    }
}

/* n copies of v: one store, then copies of what is already filled (memcpy
 * runs at memory speed; a /0 route is 2^24 entries). */
static void fill16(uint16_t *d, uint16_t v, size_t n)
{
    d[0] = v;
    for (size_t k = 1; k < n; k *= 2)
        memcpy(d + k, d, sizeof *d * (n - k < k ? n - k : k));
}

static int fill(dir_table *t, int *cap, const pl_route *r, uint16_t v)
{
    uint8_t a[4];
    memcpy(a, &r->addr, 4);
    uint32_t h = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
    if (r->plen <= 24) {
        /* No group yet: longer prefixes come later. */
        fill16(t->tbl24 + (h >> 8), v, (size_t)1 << (24 - r->plen));
        return 0;
    }
    uint16_t *e = &t->tbl24[h >> 8];
    if (!(*e & GROUP)) {
        if (t->ngroups == MAX_GROUPS)
            return -2;
        if (t->ngroups == *cap) {
            int c = *cap ? *cap * 2 : 16;
            uint16_t *g = realloc(t->tbl8, sizeof *g * 256 * (size_t)c);
            if (!g)
                return -1;
            t->tbl8 = g;
            *cap = c;
        }
        fill16(t->tbl8 + (size_t)t->ngroups * 256, *e, 256);
        *e = (uint16_t)(GROUP | t->ngroups++);
    }
    uint16_t *g = t->tbl8 + (size_t)(*e & ~GROUP) * 256;
    unsigned n = 1u << (32 - r->plen), first = (h & 255) & ~(n - 1);
    fill16(g + first, v, n);
    return 0;
}

static int dir_commit(pl_element *e, pl_error *err)
{
    dir_state *s = PL_STATE(e, dir_state);
    if (s->rt.n > MAX_ROUTES)
        return pl_seterr(err, PL_ERR_CONFIG, e, "ROUTE", "%d routes; DirectIPLookup holds at "
                         "most %d", s->rt.n, MAX_ROUTES);
    dir_table *t = calloc(1, sizeof *t);
    int cap = 0, rc = 0;
    if (t) {
        t->nroutes = s->rt.n;
        t->routes = malloc(sizeof(pl_route) * (size_t)(s->rt.n + 1));
        t->tbl24 = calloc((size_t)1 << 24, sizeof(uint16_t));
    }
    if (!t || !t->routes || !t->tbl24) {
        dir_free(t);
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory for the DIR-24-8 table");
    }
    pl_rt_sorted(&s->rt, t->routes, 0);
    for (int i = 0; i < t->nroutes && !rc; i++)
        rc = fill(t, &cap, &t->routes[i], (uint16_t)(i + 1));
    if (rc) {
        dir_free(t);
        return rc == -2 ? pl_seterr(err, PL_ERR_CONFIG, e, "ROUTE", "more than %d /24 blocks "
                                    "hold prefixes longer than 24 bits", MAX_GROUPS)
                        : pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    }
    dir_free(pl_rt_publish(e, &s->table, t));
    return 0;
}

static inline const pl_route *dir_find(const dir_table *t, uint32_t addr)
{
    uint8_t a[4];
    memcpy(a, &addr, 4);
    uint16_t v = t->tbl24[(uint32_t)a[0] << 16 | (uint32_t)a[1] << 8 | a[2]];
    if (__builtin_expect(v & GROUP, 0))
        v = t->tbl8[(size_t)(v & ~GROUP) * 256 + a[3]];
    return v ? &t->routes[v - 1] : NULL;
}

PL_RT_TABLE_ELEMENT(dir, dir_table, dir_find, dir_free, dir_commit)

static const pl_param params[] = {PL_RT_PARAMS(dir_state)};
static const pl_handler handlers[] = {PL_RT_HANDLERS_RW, {0}};

static const pl_class direct_ip_lookup = {
    .name = "DirectIPLookup",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "DirectIPLookup(ADDR1/MASK1 [GW1] OUT1, ...)\n"
           "IP routing lookup through DIR-24-8 tables.\n\n"
           "Routes packets by their destination IP annotation, as RadixIPLookup, with\n"
           "Gupta, Lin and McKeown's DIR-24-8 tables: 2^24 entries for the first 24\n"
           "bits, and 256-entry groups for /24 blocks that hold longer prefixes; one or\n"
           "two memory reads per lookup. Holds up to 32767 routes (32 MiB of table,\n"
           "mapped as it is touched). Routes change while running (add, set, remove,\n"
           "flush): new tables are built aside and published at once. Masks must be\n"
           "prefixes.\n"
           "Handlers: table, lookup ADDR (a read with a parameter; get is the same),\n"
           "add, set, remove, flush.\n"
           "Counters: no_route, bad_port (route to an unconnected output); drops.\n\n"
           "Example: rt :: DirectIPLookup(10.0.0.0/24 0, 10.0.1.0/24 1, 0.0.0.0/0 10.0.0.254 0);",
    .state_size = sizeof(dir_state),
    .params = params,
    .handlers = handlers,
    .param_handlers = pl_rt_param_handlers,
    .counters = pl_rt_counters,
    .ndrops = 2,
    .unused_output_counter = PL_RT_BAD_PORT,
    .configure = dir_configure,
    .cleanup = dir_cleanup,
    .push = dir_push,
};
PL_REGISTER_CLASS(direct_ip_lookup);
