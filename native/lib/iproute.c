#include "iproute.h"

#include "../core/args.h"
#include "iputil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const pl_rt_counters[] = {"no_route", "bad_port", NULL};

const pl_param_handler pl_rt_param_handlers[] = {
    {"lookup", "read 'lookup ADDR': 'OUTPUT [GATEWAY]' of ADDR's route, -1 if none",
     pl_rt_read_lookup},
    {"get", "the same as lookup", pl_rt_read_lookup},
    {0}};

/* "ADDR/MASK [GW] OUT": 0, or -1 with *why. */
static int parse_route(const char *s, pl_route *r, const char **why)
{
    char w[4][64];
    int n = 0;
    while (*s) {
        while (isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        size_t k = 0;
        while (s[k] && !isspace((unsigned char)s[k]))
            k++;
        if (n == 4 || k >= 64)
            return *why = "expected 'ADDR/MASK [GATEWAY] OUTPUT'", -1;
        snprintf(w[n++], 64, "%.*s", (int)k, s);
        s += k;
    }
    if (n < 2 || n > 3)
        return *why = "expected 'ADDR/MASK [GATEWAY] OUTPUT'", -1;
    int len;
    if (pl_parse_prefix(w[0], &r->addr, &r->mask, &len))
        return *why = "bad ADDR/MASK", -1;
    r->plen = len;
    r->gw = 0;
    if (n == 3 && strcmp(w[1], "-") && pl_parse_ipv4(w[1], &r->gw))
        return *why = "bad GATEWAY address", -1;
    char *end;
    long port = strtol(w[n - 1], &end, 10);
    if (*end || end == w[n - 1] || port < 0 || port >= PL_MAX_PORTS)
        return *why = "OUTPUT must be a port number", -1;
    r->port = (int32_t)port;
    return 0;
}

static int find(const pl_rt *rt, const pl_route *r)
{
    for (int i = 0; i < rt->n; i++)
        if (rt->v[i].addr == r->addr && rt->v[i].mask == r->mask)
            return i;
    return -1;
}

static int put(pl_rt *rt, const pl_route *r, int replace)
{
    int i = find(rt, r);
    if (i >= 0) {
        if (!replace)
            return -1;
        rt->v[i] = *r;
        return 0;
    }
    if (rt->n == rt->cap) {
        int cap = rt->cap ? rt->cap * 2 : 16;
        pl_route *v = realloc(rt->v, sizeof *v * (size_t)cap);
        if (!v)
            return -2;
        rt->v = v;
        rt->cap = cap;
    }
    rt->v[rt->n++] = *r;
    return 0;
}

static int route_error(pl_element *e, const char *kw, const char *text, const char *why,
                       pl_error *err)
{
    return pl_seterr(err, PL_ERR_CONFIG, e, kw, "route '%s': %s", text, why);
}

int pl_rt_configure(pl_element *e, pl_error *err)
{
    pl_rt *rt = PL_STATE(e, pl_rt);
    pthread_mutex_init(&rt->lock, NULL);
    rt->n = 0;
    for (int i = 0; i < rt->routes.n; i++) {
        pl_route r;
        const char *why;
        if (parse_route(rt->routes.v[i], &r, &why))
            return route_error(e, "ROUTE", rt->routes.v[i], why, err);
        if (r.plen < 0 && rt->contiguous_only)
            return route_error(e, "ROUTE", rt->routes.v[i], "the mask must be a prefix", err);
        int rc = put(rt, &r, 1);
        if (rc)
            return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    }
    return rt->commit(e, err);
}

void pl_rt_cleanup(pl_element *e)
{
    pl_rt *rt = PL_STATE(e, pl_rt);
    free(rt->v);
    rt->v = NULL;
    rt->n = rt->cap = 0;
    pthread_mutex_destroy(&rt->lock);
}

void *pl_rt_publish(pl_element *e, _Atomic(void *) *slot, void *table)
{
    void *old = atomic_exchange_explicit(slot, table, memory_order_acq_rel);
    pl_engine_synchronize(e->eng);
    return old;
}

/* Specificity: the prefix length, or the one bits of a non-prefix mask. */
static int bits(const pl_route *r)
{
    return r->plen >= 0 ? r->plen : __builtin_popcount(r->mask);
}

static int cmp_desc(const void *a, const void *b)
{
    int x = bits(a), y = bits(b);
    return (y > x) - (y < x);
}

void pl_rt_sorted(const pl_rt *rt, pl_route *out, int longest_first)
{
    if (rt->n)                          /* rt->v is NULL while the table is empty */
        memcpy(out, rt->v, sizeof *out * (size_t)rt->n);
    /* Non-prefix masks rank by their number of one bits (Click's LinearIPLookup). */
    qsort(out, (size_t)rt->n, sizeof *out, cmp_desc);
    if (!longest_first)
        for (int i = 0, j = rt->n - 1; i < j; i++, j--) {
            pl_route t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
}

static void unparse(const pl_route *r, char *buf, size_t len)
{
    char a[16], m[16], g[16];
    pl_ip_str(r->addr, a);
    if (r->plen >= 0)
        snprintf(m, sizeof m, "%d", r->plen);
    else
        pl_ip_str(r->mask, m);
    snprintf(buf, len, "%s/%s\t%s\t%d", a, m, r->gw ? pl_ip_str(r->gw, g) : "-", r->port);
}

/* A route as Click's IPRoute::unparse writes it in messages: "18.16.0.0/12 4.0.0.4 0". */
static const char *route_str(const pl_route *r, char *buf, size_t len)
{
    unparse(r, buf, len);
    for (char *c = buf; *c; c++)
        if (*c == '\t')
            *c = ' ';
    return buf;
}

int pl_rt_read_table(pl_element *e, char *buf, size_t len)
{
    pl_rt *rt = PL_STATE(e, pl_rt);
    pthread_mutex_lock(&rt->lock);
    size_t k = 0;
    int rc = 0;
    buf[0] = 0;
    for (int i = 0; i < rt->n && !rc; i++) {
        char line[80];
        unparse(&rt->v[i], line, sizeof line);
        int w = snprintf(buf + k, len - k, "%s\n", line);
        if (w < 0 || (size_t)w >= len - k)
            rc = PL_ERR_HANDLER;
        else
            k += (size_t)w;
    }
    pthread_mutex_unlock(&rt->lock);
    return rc;
}

/* Apply each route of `v` (lines or commas) with op; all or nothing. */
static int change(pl_element *e, const char *v, const char *kw, int op, pl_error *err)
{
    pl_rt *rt = PL_STATE(e, pl_rt);
    pthread_mutex_lock(&rt->lock);
    pl_route *saved = malloc(sizeof *saved * (size_t)(rt->n + 1));
    int saved_n = rt->n, rc = 0;
    if (!saved) {
        pthread_mutex_unlock(&rt->lock);
        return pl_seterr(err, PL_ERR_NOMEM, e, kw, "out of memory");
    }
    if (rt->n)
        memcpy(saved, rt->v, sizeof *saved * (size_t)rt->n);
    char *text = strdup(v), *save = NULL;
    if (!text) {
        free(saved);
        pthread_mutex_unlock(&rt->lock);
        return pl_seterr(err, PL_ERR_NOMEM, e, kw, "out of memory");
    }
    for (char *item = strtok_r(text, ",\n;", &save); item && !rc;
         item = strtok_r(NULL, ",\n;", &save)) {
        while (isspace((unsigned char)*item))
            item++;
        if (!*item)
            continue;
        pl_route r;
        const char *why;
        if (op == 2) {                 /* remove: ADDR/MASK [GW] [OUT] */
            char head[64];
            int len;
            sscanf(item, "%63s", head);
            if (pl_parse_prefix(head, &r.addr, &r.mask, &len)) {
                rc = route_error(e, kw, item, "bad ADDR/MASK", err);
                break;
            }
            pl_route full;
            int has_full = !parse_route(item, &full, &why);
            int i = find(rt, &r);
            if (i < 0 || (has_full && (rt->v[i].port != full.port ||
                                       (full.gw && rt->v[i].gw != full.gw)))) {
                char t[80];
                if (!has_full)
                    full = r, full.gw = 0, full.port = -1, full.plen = len;
                rc = pl_seterr(err, PL_ERR_CONFIG, e, kw, "route '%s' not found",
                               route_str(&full, t, sizeof t));
                break;
            }
            rt->v[i] = rt->v[--rt->n];
            continue;
        }
        if (parse_route(item, &r, &why)) {
            rc = route_error(e, kw, item, why, err);
        } else if (r.plen < 0 && rt->contiguous_only) {
            rc = route_error(e, kw, item, "the mask must be a prefix", err);
        } else {
            int x = put(rt, &r, op == 1);
            char t[80];
            if (x == -1)                /* Click's words (IPRouteTable::run_command) */
                rc = pl_seterr(err, PL_ERR_CONFIG, e, kw, "conflict with existing route '%s'",
                               route_str(&rt->v[find(rt, &r)], t, sizeof t));
            else if (x)
                rc = pl_seterr(err, PL_ERR_NOMEM, e, kw, "out of memory");
        }
    }
    free(text);
    if (!rc)
        rc = rt->commit(e, err);
    if (rc) {                          /* restore */
        if (saved_n)
            memcpy(rt->v, saved, sizeof *saved * (size_t)saved_n);
        rt->n = saved_n;
    }
    free(saved);
    pthread_mutex_unlock(&rt->lock);
    return rc;
}

int pl_rt_write_add(pl_element *e, const char *v, pl_error *err) { return change(e, v, "add", 0, err); }
int pl_rt_write_set(pl_element *e, const char *v, pl_error *err) { return change(e, v, "set", 1, err); }
int pl_rt_write_remove(pl_element *e, const char *v, pl_error *err)
{
    return change(e, v, "remove", 2, err);
}

int pl_rt_write_flush(pl_element *e, const char *v, pl_error *err)
{
    (void)v;
    pl_rt *rt = PL_STATE(e, pl_rt);
    pthread_mutex_lock(&rt->lock);
    int saved = rt->n;
    rt->n = 0;
    int rc = rt->commit(e, err);
    if (rc)
        rt->n = saved;
    pthread_mutex_unlock(&rt->lock);
    return rc;
}

int pl_rt_read_lookup(pl_element *e, const char *param, char *buf, size_t len, pl_error *err)
{
    pl_rt *rt = PL_STATE(e, pl_rt);
    uint32_t a;
    if (pl_parse_ipv4(param, &a))
        return pl_seterr(err, PL_ERR_HANDLER, e, "lookup", "'%s' is not an IP address", param);
    pl_route r;
    pthread_mutex_lock(&rt->lock);          /* the structure stays while we read it */
    int found = rt->lookup(e, a, &r);
    pthread_mutex_unlock(&rt->lock);
    if (!found)                             /* Click's IPRouteTable::lookup_handler */
        return pl_fmt(buf, len, "%s", "-1");
    char g[16];
    if (r.gw)
        return pl_fmt(buf, len, "%d %s", r.port, pl_ip_str(r.gw, g));
    return pl_fmt(buf, len, "%d", r.port);
}
