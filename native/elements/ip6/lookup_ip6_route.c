/* LookupIP6Route: IPv6 routing lookup on the destination annotation (Click's IP6Table). */
#include "../../core/anno.h"
#include "../../core/addrinfo.h"
#include "../../lib/netpkt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t dst[16], mask[16], gw[16];
    int plen, out;
} r6_route;

typedef struct {
    pl_args routes;
    int n;
    r6_route *t;
} r6_state;

enum { C_NO_ROUTE, C_BAD_PORT };
static const char *const counters[] = {"no_route", "bad_port", NULL};

static void len_mask(int len, uint8_t m[16])
{
    for (int i = 0; i < 16; i++) {
        int bits = len - 8 * i;
        m[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
    }
}

/* Click's cp_ip6_prefix with a bare address allowed: ADDR/LEN, ADDR/MASK,
 * ADDR (/128) or an AddressInfo name (its address as /128, else its prefix:
 * IP6PrefixArg(true)). */
static int parse_prefix(const char *w, uint8_t dst[16], int *len)
{
    if (!pl_parse_ipv6_prefix(w, dst, len))
        return 0;
    const char *slash = strchr(w, '/');
    if (slash && strchr(slash + 1, ':')) {
        char a[64];
        uint8_t m[16];
        if ((size_t)(slash - w) >= sizeof a)
            return -1;
        memcpy(a, w, (size_t)(slash - w));
        a[slash - w] = 0;
        if (pl_parse_ipv6(a, dst) || pl_parse_ipv6(slash + 1, m))
            return -1;
        int n = 0;
        while (n < 128 && (m[n / 8] & (0x80 >> (n % 8))))
            n++;
        uint8_t check[16];
        len_mask(n, check);
        if (memcmp(check, m, 16))
            return -1;                 /* not a prefix mask */
        *len = n;
        return 0;
    }
    if (!slash && (!pl_parse_ipv6(w, dst) || !pl_addrinfo_ip6(w, dst))) {
        *len = 128;
        return 0;
    }
    return !slash && !pl_addrinfo_ip6_prefix(w, dst, len) ? 0 : -1;
}

static int r6_configure(pl_element *e, pl_error *err)
{
    r6_state *s = PL_STATE(e, r6_state);
    free(s->t);
    s->t = calloc((size_t)(s->routes.n ? s->routes.n : 1), sizeof *s->t);
    s->n = 0;
    if (!s->t)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (int i = 0; i < s->routes.n; i++) {
        char *copy = strdup(s->routes.v[i]), *save = NULL, *w[4];
        if (!copy)
            return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
        int nw = 0;
        for (char *x = strtok_r(copy, " \t\r\n", &save); x; x = strtok_r(NULL, " \t\r\n", &save))
            if (nw < 4)
                w[nw++] = x;
            else
                nw = 5;
        r6_route r = {0};
        char *end = NULL;
        int ok = (nw == 2 || nw == 3) && !parse_prefix(w[0], r.dst, &r.plen);
        if (ok) {
            long o = strtol(w[nw - 1], &end, 0);
            ok = *w[nw - 1] && !*end && o >= 0 && o < 1 << 16;
            r.out = (int)o;
        }
        if (ok && nw == 3)
            ok = !pl_parse_ipv6(w[1], r.gw) || !pl_addrinfo_ip6(w[1], r.gw);
        free(copy);
        if (!ok)
            return pl_seterr(err, PL_ERR_CONFIG, e, "ROUTE",
                             "argument %d should be DADDR/MASK [GW] OUTPUT, got '%s'", i + 1,
                             s->routes.v[i]);
        len_mask(r.plen, r.mask);
        for (int k = 0; k < 16; k++)
            r.dst[k] &= r.mask[k];
        int j = 0;                     /* the same prefix again replaces it (IP6Table::add) */
        while (j < s->n && !(s->t[j].plen == r.plen && !memcmp(s->t[j].dst, r.dst, 16)))
            j++;
        s->t[j] = r;
        if (j == s->n)
            s->n++;
    }
    if (!s->n)
        pl_log(e->eng, "%s: LookupIP6Route: no routes", e->name);
    return 0;
}

static void r6_cleanup(pl_element *e)
{
    free(PL_STATE(e, r6_state)->t);
}

/* Longest matching prefix; the later of equal ones, as IP6Table::lookup. */
static inline int r6_route_of(pl_element *e, pl_packet *p, pl_ctx *ctx, const void *aux)
{
    const r6_state *s = aux;
    uint8_t *a = p->anno + PL_ANNO_DST_IP6;
    int best = -1;
    for (int i = 0; i < s->n; i++) {
        const r6_route *r = &s->t[i];
        int match = 1;
        for (int k = 0; k < 16 && match; k++)
            match = (a[k] & r->mask[k]) == r->dst[k];
        if (match && (best < 0 || r->plen >= s->t[best].plen))
            best = i;
    }
    if (best < 0) {
        pl_drop(ctx, e, C_NO_ROUTE, p);
        return -1;
    }
    static const uint8_t zero[16];
    if (memcmp(s->t[best].gw, zero, 16))
        memcpy(a, s->t[best].gw, 16);
    return s->t[best].out;
}

static void r6_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_split(e, b, ctx, r6_route_of, PL_STATE(e, r6_state), C_BAD_PORT);
}

static int read_table(pl_element *e, char *buf, size_t len)
{
    const r6_state *s = PL_STATE(e, r6_state);
    size_t k = 0;
    if (len)
        buf[0] = 0;
    for (int i = 0; i < s->n && k < len; i++) {
        char d[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, s->t[i].dst, d, sizeof d);
        inet_ntop(AF_INET6, s->t[i].gw, g, sizeof g);
        k += (size_t)snprintf(buf + k, len - k, "%s/%d\t%s\t%d\n", d, s->t[i].plen, g,
                              s->t[i].out);
    }
    return 0;
}

static const pl_param params[] = {
    {"ROUTE", PL_T_ARGS, offsetof(r6_state, routes), "", 0, -1, PL_P_POSITIONAL,
     "routes 'DADDR/MASK [GW] OUTPUT', one per argument"},
    {0}};

static const pl_handler handlers[] = {
    {"table", "the routes: DST/LEN, gateway (:: for none), output; one per line", read_table,
     NULL},
    {0}};

static const pl_class lookup_ip6_route = {
    .name = "LookupIP6Route",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "LookupIP6Route(DST1/MASK1 [GW1] OUT1, ...)\n"
           "IPv6 routing lookup through a static table.\n\n"
           "Looks up the IPv6 destination annotation (GetIP6Address sets it): the\n"
           "longest matching prefix picks the output, and the annotation becomes the\n"
           "route's gateway when it has one (not ::). A prefix is ADDR/LEN, ADDR/MASK,\n"
           "a bare ADDR (/128) or an AddressInfo name; a repeated prefix replaces the\n"
           "earlier route. Packets without a route are dropped and counted (Click\n"
           "frees them silently); a route to an unconnected output counts bad_port.\n"
           "Keywords: ROUTE (positional, all arguments).\n"
           "Handlers: table.\n"
           "Counters: no_route, bad_port (drops).\n\n"
           "Example: rt :: LookupIP6Route(3ffe:1ce1:2::1/128 ::0 0,\n"
           "                              3ffe:1ce1:2::/80 ::0 1, ::0/0 3ffe:1ce1:2::2 1);",
    .state_size = sizeof(r6_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 2,
    .configure = r6_configure,
    .cleanup = r6_cleanup,
    .push = r6_push,
};
PL_REGISTER_CLASS(lookup_ip6_route);
