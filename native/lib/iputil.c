#include "iputil.h"

#include "../core/args.h"
#include "../core/addrinfo.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t pl_len_mask(int len)
{
    uint32_t h = len <= 0 ? 0 : len >= 32 ? 0xffffffffu : ~(0xffffffffu >> len);
    uint8_t b[4] = {(uint8_t)(h >> 24), (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h};
    uint32_t m;
    memcpy(&m, b, 4);
    return m;
}

int pl_mask_len(uint32_t mask)
{
    uint8_t b[4];
    memcpy(b, &mask, 4);
    uint32_t h = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    int n = __builtin_popcount(h);
    return (n == 32 || h == ~(0xffffffffu >> n)) && (n || !h) ? n : -1;
}

/* Click's partial address before a prefix's slash ("10.2/16", "0/0"): 1 to 4
 * dotted decimal bytes, the rest zero. The number of bytes, or -1. */
static int partial_ipv4(const char *s, uint32_t *addr)
{
    uint8_t b[4] = {0};
    int n = 0;
    while (n < 4) {
        if (!isdigit((unsigned char)*s))
            return -1;
        int v = 0;
        while (isdigit((unsigned char)*s) && v <= 255)
            v = v * 10 + (*s++ - '0');
        if (v > 255)
            return -1;
        b[n++] = (uint8_t)v;
        if (!*s)
            break;
        if (*s++ != '.')
            return -1;
    }
    if (*s)
        return -1;
    memcpy(addr, b, 4);
    return n;
}

/* bare_first: a bare name is its address as a /32 before its prefix (Click's
 * IPPrefixArg(true)); else its prefix first (IPPrefixArg()). */
static int parse_prefix(const char *s, uint32_t *addr, uint32_t *mask, int *len, int bare_first)
{
    uint32_t literal;
    if (!strchr(s, '/') && pl_parse_ipv4_literal(s, &literal)) {
        if (bare_first && !pl_parse_ipv4(s, addr)) {
            *mask = 0xffffffffu;
            *len = 32;
            return 0;
        }
        if (!pl_addrinfo_prefix(s, (uint8_t *)addr, (uint8_t *)mask)) {
            *len = pl_mask_len(*mask);
            *addr &= *mask;
            return 0;
        }
    }
    char buf[64];
    size_t n = strlen(s);
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, s, n + 1);
    char *slash = strchr(buf, '/');
    if (slash)
        *slash = 0;
    int nbytes = slash ? partial_ipv4(buf, addr) : -1;
    if (nbytes < 0 && pl_parse_ipv4(buf, addr))
        return -1;
    if (nbytes < 0)
        nbytes = 4;
    if (!slash) {
        *mask = 0xffffffffu;
        *len = 32;
        return 0;
    }
    const char *m = slash + 1;
    if (strchr(m, '.')) {
        if (pl_parse_ipv4(m, mask))
            return -1;
        *len = pl_mask_len(*mask);
    } else {
        char *end;
        if (!isdigit((unsigned char)*m))
            return -1;
        long l = strtol(m, &end, 10);
        if (*end || l < 0 || l > 32)
            return -1;
        *len = (int)l;
        *mask = pl_len_mask((int)l);
    }
    /* A mask longer than the bytes given is an error, as Click's. */
    if (nbytes < 4 && (*mask & pl_len_mask(nbytes * 8)) != *mask)
        return -1;
    *addr &= *mask;
    return 0;
}

int pl_parse_prefix(const char *s, uint32_t *addr, uint32_t *mask, int *len)
{
    return parse_prefix(s, addr, mask, len, 1);
}

int pl_parse_net_prefix(const char *s, uint32_t *addr, uint32_t *mask, int *len)
{
    return parse_prefix(s, addr, mask, len, 0);
}

int pl_addr_list_add(pl_addr_list *l, uint32_t addr, uint32_t mask)
{
    uint32_t *a = realloc(l->addr, sizeof *a * (size_t)(l->n + 1));
    if (!a)
        return -1;
    l->addr = a;
    uint32_t *m = realloc(l->mask, sizeof *m * (size_t)(l->n + 1));
    if (!m)
        return -1;
    l->mask = m;
    l->addr[l->n] = addr;
    l->mask[l->n] = mask;
    l->n++;
    return 0;
}

int pl_addr_list_parse(const char *s, int prefixes, pl_addr_list *out, const char **bad)
{
    static _Thread_local char word[64];
    while (s && *s) {
        while (isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        size_t n = 0;
        while (s[n] && !isspace((unsigned char)s[n]))
            n++;
        snprintf(word, sizeof word, "%.*s", (int)n, s);
        s += n;
        uint32_t a, m = 0xffffffffu;
        int len;
        int rc = prefixes ? pl_parse_prefix(word, &a, &m, &len) : pl_parse_ipv4(word, &a);
        if (rc) {
            *bad = word;
            return -1;
        }
        if (prefixes) {
            /* keep the host part: INTERFACES 10.0.0.1/24 names an address and its net */
            pl_parse_ipv4(strtok(word, "/"), &a);
        }
        if (pl_addr_list_add(out, a, m)) {
            *bad = "(out of memory)";
            return -1;
        }
    }
    return 0;
}

int pl_addr_list_has(const pl_addr_list *l, uint32_t addr)
{
    for (int i = 0; i < l->n; i++)
        if (l->addr[i] == addr)
            return 1;
    return 0;
}

void pl_addr_list_free(pl_addr_list *l)
{
    free(l->addr);
    free(l->mask);
    l->addr = l->mask = NULL;
    l->n = 0;
}

const char *pl_ip_str(uint32_t a, char *buf)
{
    uint8_t b[4];
    memcpy(b, &a, 4);
    snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return buf;
}
