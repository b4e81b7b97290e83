/* Named addresses: AddressInfo's table and Click's lookup rules (addrinfo.h). */
#include "addrinfo.h"

#include "args.h"
#include "engine.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <ifaddrs.h>
#include <net/if_arp.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

typedef struct pl_name_entry {
    char *key;            /* scope prefix + name: "a/b/" "host" */
    int type;
    uint8_t data[20];     /* IP 4, PREFIX 4+4, ETHER 6, IP6 16, IP6PREFIX 16 + length */
} pl_name_entry;

struct pl_addrinfo {
    int n, cap;
    pl_name_entry *v;
};

static _Thread_local pl_addrinfo_scope cur;

pl_addrinfo_scope pl_addrinfo_enter(struct pl_engine *e, const char *element)
{
    pl_addrinfo_scope saved = cur;
    cur.table = e ? e->addrinfo : NULL;
    cur.element = element;
    return saved;
}

void pl_addrinfo_leave(pl_addrinfo_scope saved)
{
    cur = saved;
}

void pl_addrinfo_free(pl_addrinfo *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->n; i++)
        free(t->v[i].key);
    free(t->v);
    free(t);
}

static int define(pl_addrinfo *t, const char *scope, size_t scope_len, const char *name, int type,
                  const void *data, size_t len)
{
    size_t nlen = strlen(name);
    char *key = malloc(scope_len + nlen + 1);
    if (!key)
        return -1;
    memcpy(key, scope, scope_len);
    memcpy(key + scope_len, name, nlen + 1);
    for (int i = 0; i < t->n; i++)
        if (t->v[i].type == type && !strcmp(t->v[i].key, key)) {
            free(key);
            memset(t->v[i].data, 0, sizeof t->v[i].data);
            memcpy(t->v[i].data, data, len);
            return 0;
        }
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 16;
        pl_name_entry *v = realloc(t->v, sizeof *v * (size_t)cap);
        if (!v) {
            free(key);
            return -1;
        }
        t->v = v;
        t->cap = cap;
    }
    pl_name_entry *x = &t->v[t->n++];
    x->key = key;
    x->type = type;
    memset(x->data, 0, sizeof x->data);
    memcpy(x->data, data, len);
    return 0;
}

int pl_addrinfo_define_raw(struct pl_engine *e, const char *element, const char *name, int type,
                           const void *data, size_t len)
{
    if (!e->addrinfo && !(e->addrinfo = calloc(1, sizeof *e->addrinfo)))
        return -1;
    const char *slash = strrchr(element, '/');
    return define(e->addrinfo, element, slash ? (size_t)(slash - element) + 1 : 0, name, type,
                  data, len);
}

static const uint8_t *query(int type, const char *name);

const uint8_t *pl_addrinfo_query_raw(int type, const char *name) { return query(type, name); }

/* Click's NameInfo::query: the element's compound, then each enclosing one. */
static const uint8_t *query(int type, const char *name)
{
    const pl_addrinfo *t = cur.table;
    if (!t || !*name)
        return NULL;
    const char *el = cur.element ? cur.element : "";
    const char *slash = strrchr(el, '/');
    size_t plen = slash ? (size_t)(slash - el) + 1 : 0;
    size_t nlen = strlen(name);
    for (;;) {
        for (int i = 0; i < t->n; i++) {
            const char *k = t->v[i].key;
            if (t->v[i].type == type && strlen(k) == plen + nlen && !strncmp(k, el, plen) &&
                !strcmp(k + plen, name))
                return t->v[i].data;
        }
        if (!plen)
            return NULL;
        /* drop the innermost compound: "a/b/" -> "a/" */
        size_t p = plen - 1;
        while (p > 0 && el[p - 1] != '/')
            p--;
        plen = p;
    }
}

/* A network device of this host (Click's query_netdevice, userlevel). */
static int netdevice(const char *name, int type, uint8_t *out)
{
    struct ifaddrs *ifap;
    if (!*name || getifaddrs(&ifap) < 0)
        return -1;
    int found = -1;
    for (struct ifaddrs *a = ifap; a && found; a = a->ifa_next) {
        if (!a->ifa_addr || strcmp(a->ifa_name, name))
            continue;
        int fam = a->ifa_addr->sa_family;
        if (fam == AF_INET && (type == PL_NAME_IP || (type == PL_NAME_PREFIX && a->ifa_netmask))) {
            memcpy(out, &((struct sockaddr_in *)a->ifa_addr)->sin_addr, 4);
            if (type == PL_NAME_PREFIX)
                memcpy(out + 4, &((struct sockaddr_in *)a->ifa_netmask)->sin_addr, 4);
            found = 0;
        } else if (fam == AF_PACKET && type == PL_NAME_ETHER) {
            const struct sockaddr_ll *ll = (const struct sockaddr_ll *)a->ifa_addr;
            if ((ll->sll_hatype == ARPHRD_ETHER || ll->sll_hatype == ARPHRD_IEEE80211) &&
                ll->sll_halen == 6) {
                memcpy(out, ll->sll_addr, 6);
                found = 0;
            }
        }
    }
    freeifaddrs(ifap);
    return found;
}

static int lookup(int type, const char *name, uint8_t *out, size_t len)
{
    const uint8_t *v = query(type, name);
    if (v) {
        memcpy(out, v, len);
        return 0;
    }
    return (type == PL_NAME_IP || type == PL_NAME_PREFIX || type == PL_NAME_ETHER)
               ? netdevice(name, type, out)
               : -1;
}

/* Split "name:suffix" at its last colon: base copied into buf, suffix returned
 * (NULL without a colon). -1 when the name is too long. */
static int split_suffix(const char *s, char *buf, size_t len, const char **suffix)
{
    size_t n = strlen(s);
    if (n >= len)
        return -1;
    memcpy(buf, s, n + 1);
    char *colon = strrchr(buf, ':');
    *suffix = NULL;
    if (colon) {
        *colon = 0;
        *suffix = s + (colon - buf);
    }
    return 0;
}

static int is(const char *suffix, const char *a, const char *b, const char *c)
{
    return !strcasecmp(suffix, a) || (b && !strcasecmp(suffix, b)) ||
           (c && !strcasecmp(suffix, c));
}

int pl_addrinfo_prefix(const char *s, uint8_t addr[4], uint8_t mask[4])
{
    char base[256];
    const char *suffix;
    if (split_suffix(s, base, sizeof base, &suffix))
        return -1;
    if (suffix && !is(suffix, ":net", ":ipnet", ":ip4net"))
        return -1;
    uint8_t d[8];
    if (lookup(PL_NAME_PREFIX, base, d, 8))
        return -1;
    memcpy(addr, d, 4);
    memcpy(mask, d + 4, 4);
    return 0;
}

int pl_addrinfo_ip(const char *s, uint8_t out[4])
{
    char base[256];
    const char *suffix;
    if (split_suffix(s, base, sizeof base, &suffix))
        return -1;
    if (suffix && is(suffix, ":bcast", NULL, NULL)) {
        uint8_t a[4], m[4];
        if (pl_addrinfo_prefix(base, a, m))
            return -1;
        for (int i = 0; i < 4; i++)
            out[i] = a[i] | (uint8_t)~m[i];
        return 0;
    }
    if (suffix && is(suffix, ":gw", NULL, NULL)) {
        if (query(PL_NAME_IP, s)) {              /* "NAME:gw" itself defined */
            memcpy(out, query(PL_NAME_IP, s), 4);
            return 0;
        }
        uint8_t d[8];
        if (lookup(PL_NAME_PREFIX, base, d, 8))
            return -1;
        for (int i = 0; i < 4; i++)
            out[i] = d[i] & d[4 + i];
        out[3] |= 1;                             /* the network's first address */
        return 0;
    }
    if (suffix && !is(suffix, ":ip", ":ip4", NULL))
        return -1;
    return lookup(PL_NAME_IP, base, out, 4);
}

int pl_addrinfo_ether(const char *s, uint8_t out[6])
{
    char base[256];
    const char *suffix;
    if (split_suffix(s, base, sizeof base, &suffix))
        return -1;
    if (suffix && !is(suffix, ":eth", ":ether", ":ethernet"))
        return -1;
    return lookup(PL_NAME_ETHER, base, out, 6);
}

int pl_addrinfo_ip6(const char *s, uint8_t out[16])
{
    char base[256];
    const char *suffix;
    if (split_suffix(s, base, sizeof base, &suffix))
        return -1;
    if (suffix && !is(suffix, ":ip6", NULL, NULL))
        return -1;
    return lookup(PL_NAME_IP6, base, out, 16);
}

int pl_addrinfo_ip6_prefix(const char *s, uint8_t out[16], int *len)
{
    char base[256];
    const char *suffix;
    if (split_suffix(s, base, sizeof base, &suffix))
        return -1;
    if (suffix && !is(suffix, ":ip6net", NULL, NULL))
        return -1;
    uint8_t d[20];
    if (lookup(PL_NAME_IP6PREFIX, base, d, 17))
        return -1;
    memcpy(out, d, 16);
    *len = d[16];
    return 0;
}

int pl_parse_ipv6(const char *s, uint8_t out[16])
{
    struct in6_addr a;
    if (!strchr(s, ':') || inet_pton(AF_INET6, s, &a) != 1)
        return -1;
    memcpy(out, &a, 16);
    return 0;
}

int pl_parse_ipv6_prefix(const char *s, uint8_t out[16], int *len)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) >= sizeof buf)
        return -1;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = 0;
    char *end;
    if (!isdigit((unsigned char)slash[1]))
        return -1;
    long l = strtol(slash + 1, &end, 10);
    if (*end || l < 0 || l > 128 || pl_parse_ipv6(buf, out))
        return -1;
    *len = (int)l;
    return 0;
}
