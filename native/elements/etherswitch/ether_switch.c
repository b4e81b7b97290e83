/* EtherSwitch: a learning Ethernet bridge (Click's). */
#include "../../core/element.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NIL (-1)

typedef struct {
    uint8_t addr[6];
    int32_t next;                 /* hash chain, or free list */
    int32_t port;
    uint64_t stamp;               /* the packet timestamp it was learned at (ns) */
} es_entry;

typedef struct {
    double timeout;
    uint64_t capacity;
    es_entry *v;
    int32_t *buckets, *spare, free_list;
    uint32_t nb, maxnb, size;
    atomic_flag lock;
    _Atomic uint64_t timeout_ns;
} es_state;

enum { C_SHORT, C_SAME_PORT, C_NOBUFS, NDROPS, C_NOT_LEARNED = NDROPS };
static const char *const counters[] = {"short", "same_port", "nobufs", "not_learned", NULL};

static void lock(es_state *s)
{
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire))
        ;
}
static void unlock(es_state *s) { atomic_flag_clear_explicit(&s->lock, memory_order_release); }

/* Click's EtherAddress::hashcode over its three 16-bit words (memory order). */
static uint32_t hash(const uint8_t *a)
{
    uint16_t d[3];
    memcpy(d, a, 6);
    return (uint32_t)((d[2] | ((size_t)d[1] << 16)) ^ ((size_t)d[0] << 9));
}

static int32_t *find(es_state *s, const uint8_t *a)
{
    int32_t *pp = &s->buckets[hash(a) % s->nb];
    while (*pp != NIL && memcmp(s->v[*pp].addr, a, 6))
        pp = &s->v[*pp].next;
    return pp;
}

/* Click's HashContainer::rehash(nb + 1): chains reversed into 2nb+1 buckets. */
static void rehash(es_state *s)
{
    uint32_t nnb = 1;
    while (nnb < s->nb + 1 && nnb < s->maxnb)
        nnb = ((nnb + 1) << 1) - 1;
    for (uint32_t b = 0; b < nnb; b++)
        s->spare[b] = NIL;
    for (uint32_t b = 0; b < s->nb; b++)
        for (int32_t i = s->buckets[b]; i != NIL;) {
            int32_t nx = s->v[i].next;
            uint32_t k = hash(s->v[i].addr) % nnb;
            s->v[i].next = s->spare[k];
            s->spare[k] = i;
            i = nx;
        }
    int32_t *t = s->buckets;
    s->buckets = s->spare, s->spare = t, s->nb = nnb;
}

/* Click's HashTable::set: 0, or -1 when the table is full. */
static int learn(es_state *s, const uint8_t *a, int port, uint64_t stamp)
{
    int32_t *pp = find(s, a);
    if (*pp != NIL) {
        s->v[*pp].port = port, s->v[*pp].stamp = stamp;
        return 0;
    }
    if (s->free_list == NIL)
        return -1;
    int32_t i = s->free_list;
    s->free_list = s->v[i].next;
    memcpy(s->v[i].addr, a, 6);
    s->v[i].port = port, s->v[i].stamp = stamp;
    s->size++;
    if (s->size > 2 * s->nb && s->nb < s->maxnb)
        rehash(s);
    pp = &s->buckets[hash(a) % s->nb];   /* at the head of its bucket */
    s->v[i].next = *pp;
    *pp = i;
    return 0;
}

static void es_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    es_state *s = PL_STATE(e, es_state);
    int n = e->noutputs;
    pl_packet *outs[n];
    memset(outs, 0, sizeof outs);
    uint64_t timeout = atomic_load_explicit(&s->timeout_ns, memory_order_relaxed);
    lock(s);
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        p->next = NULL;
        if (p->len < 14) {
            pl_drop(ctx, e, C_SHORT, p);
            continue;
        }
        int out = -1;                  /* broadcast */
        if (timeout) {                 /* 0: a dumb switch */
            if (learn(s, p->data + 6, port, p->timestamp))
                pl_count(ctx, e, C_NOT_LEARNED, 1);
            if (!(p->data[0] & 1)) {
                int32_t *pp = find(s, p->data);
                if (*pp != NIL) {
                    es_entry *en = &s->v[*pp];
                    if (p->timestamp < en->stamp + timeout)
                        out = en->port;
                    else {             /* stale: forgotten */
                        int32_t i = *pp;
                        *pp = en->next;
                        en->next = s->free_list;
                        s->free_list = i;
                        s->size--;
                    }
                }
            }
        }
        if (out == port)
            pl_drop(ctx, e, C_SAME_PORT, p);
        else if (out >= 0)
            pl_batch_append(&outs[out], p);
        else {
            int sent = 0;
            for (int i = n - 1; i >= 0; i--)
                if (i != port) {
                    pl_packet *q = sent < n - 2 ? pl_packet_clone(ctx->pool, p) : p;
                    if (!q)
                        pl_count(ctx, e, C_NOBUFS, 1);
                    else
                        pl_batch_append(&outs[i], q);
                    sent++;
                }
            if (n < 2)
                pl_drop(ctx, e, C_SAME_PORT, p);
        }
    }
    unlock(s);
    for (int o = 0; o < n; o++)
        if (outs[o])
            pl_output(ctx, e, o, outs[o]);
}

static int es_configure(pl_element *e, pl_error *err)
{
    es_state *s = PL_STATE(e, es_state);
    atomic_flag_clear(&s->lock);
    atomic_store(&s->timeout_ns, (uint64_t)(int64_t)s->timeout * 1000000000u);
    return 0;
}

static int es_initialize(pl_element *e, pl_error *err)
{
    es_state *s = PL_STATE(e, es_state);
    if (e->noutputs != e->ninputs)
        return pl_seterr(err, PL_ERR_GRAPH, e, "", "needs as many outputs as inputs (%d, not %d)",
                         e->ninputs, e->noutputs);
    uint32_t cap = (uint32_t)s->capacity;
    s->maxnb = 63;
    while (s->maxnb < cap)
        s->maxnb = ((s->maxnb + 1) << 1) - 1;
    s->v = calloc(cap ? cap : 1, sizeof *s->v);
    s->buckets = malloc(sizeof(int32_t) * s->maxnb);
    s->spare = malloc(sizeof(int32_t) * s->maxnb);
    if (!s->v || !s->buckets || !s->spare)
        return pl_seterr(err, PL_ERR_NOMEM, e, "CAPACITY", "no memory for %u addresses", cap);
    s->nb = 63;                        /* Click's HashTable() */
    for (uint32_t b = 0; b < s->nb; b++)
        s->buckets[b] = NIL;
    s->free_list = NIL;
    for (uint32_t i = cap; i-- > 0;)
        s->v[i].next = s->free_list, s->free_list = (int32_t)i;
    return 0;
}

static void es_cleanup(pl_element *e)
{
    es_state *s = PL_STATE(e, es_state);
    free(s->v), free(s->buckets), free(s->spare);
    s->v = NULL, s->buckets = s->spare = NULL;
}

static int read_table(pl_element *e, char *buf, size_t len)
{
    es_state *s = PL_STATE(e, es_state);
    size_t o = 0;
    int rc = 0;
    buf[0] = 0;
    lock(s);
    for (uint32_t b = 0; s->buckets && b < s->nb && !rc; b++)
        for (int32_t i = s->buckets[b]; i != NIL && !rc; i = s->v[i].next) {
            const uint8_t *a = s->v[i].addr;
            int k = snprintf(buf + o, len - o, "%02X-%02X-%02X-%02X-%02X-%02X %d\n", a[0], a[1],
                             a[2], a[3], a[4], a[5], s->v[i].port);
            if (k < 0 || (size_t)k >= len - o)
                rc = PL_ERR_HANDLER;
            else
                o += (size_t)k;
        }
    unlock(s);
    return rc;
}

static int read_timeout(pl_element *e, char *buf, size_t len)
{
    uint64_t ns = atomic_load(&PL_STATE(e, es_state)->timeout_ns);
    return pl_fmt(buf, len, "%llu", (unsigned long long)(ns / 1000000000u));
}

static int write_timeout(pl_element *e, const char *v, pl_error *err)
{
    char *end;
    double d = strtod(v, &end);
    while (*end == ' ' || *end == '\n')
        end++;
    if (end == v || *end || d < 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "timeout", "expected timeout (integer)");
    if (d > 4294967295.0)
        d = 4294967295.0;              /* saturating, as Click's */
    atomic_store(&PL_STATE(e, es_state)->timeout_ns, (uint64_t)d * 1000000000u);
    return 0;
}

static const pl_param params[] = {
    {"TIMEOUT", PL_T_TIME, offsetof(es_state, timeout), "300s", 0, 4294967295.0, 0,
     "how long a learned address stays valid, by packet timestamps (0: never learn)"},
    {"CAPACITY", PL_T_UINT, offsetof(es_state, capacity), "4096", 1, 4000000, 0,
     "most addresses learned (allocated at initialize; Click's table is unbounded)"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the learned addresses: ADDRESS PORT, one a line", read_table, NULL, PL_H_EXPENSIVE},
    {"timeout", "TIMEOUT in seconds (written: a new one)", read_timeout, write_timeout, 0},
    {0}};

static const pl_class ether_switch = {
    .name = "EtherSwitch",
    .ports = "2-/2-",
    .processing = "h/h",
    .doc = "EtherSwitch([TIMEOUT, CAPACITY])\n"
           "A learning Ethernet switch.\n\n"
           "Click's EtherSwitch. Input and output n are one switch port. Each frame\n"
           "teaches the switch that its source address is behind its input; a frame to\n"
           "a unicast address learned less than TIMEOUT ago (by packet timestamps) goes\n"
           "out of that port alone, or is dropped when that is the port it came from\n"
           "(same_port); other frames are flooded out of every other port (clones, the\n"
           "highest port first, as Click). An address found stale is forgotten. TIMEOUT 0\n"
           "makes a hub. Frames under 14 bytes are dropped (short). The table holds\n"
           "CAPACITY addresses, allocated at initialize (Click's grows): past it new\n"
           "addresses are not learned (not_learned) and their frames still flow.\n"
           "Threads: the table is this element's; every access holds its lock (once a\n"
           "batch).\n"
           "Counters: short, same_port, nobufs (drops); not_learned.\n"
           "Handlers: table (Click's format: 00-01-02-03-04-05 PORT), timeout (r/w).\n\n"
           "Example: sw :: EtherSwitch;  FromDevice(a) -> [0]sw[0] -> Queue -> ToDevice(a);\n"
           "  FromDevice(b) -> [1]sw[1] -> Queue -> ToDevice(b);",
    .state_size = sizeof(es_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = NDROPS,
    .configure = es_configure,
    .initialize = es_initialize,
    .cleanup = es_cleanup,
    .push = es_push,
};
PL_REGISTER_CLASS(ether_switch);
