/* Click's argument types: integers, booleans, reals, times, bandwidths,
 * addresses and data strings, each parsed from one argument's text. */
#include "args.h"
#include "addrinfo.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int pl_parse_int(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (end == s || *end || errno)
        return -1;
    *out = v;
    return 0;
}

int pl_parse_uint(const char *s, uint64_t *out)
{
    char *end;
    if (*s == '-')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || *end || errno)
        return -1;
    *out = v;
    return 0;
}

int pl_parse_bool(const char *s, uint8_t *out)
{
    static const char *yes[] = {"true", "yes", "1", "t", "y", "on"};
    static const char *no[] = {"false", "no", "0", "f", "n", "off"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = 1;
            return 0;
        }
        if (!strcasecmp(s, no[i])) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

int pl_parse_real(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* A number followed by a unit from `units` (case-sensitive), default scale 1. */
struct unit { const char *name; double scale; };

static int parse_with_unit(const char *s, const struct unit *units, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !isfinite(v) || v < 0)
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (!*end) {
        *out = v;
        return 0;
    }
    for (const struct unit *u = units; u->name; u++) {
        if (!strcmp(end, u->name)) {
            *out = v * u->scale;
            return 0;
        }
    }
    return -1;
}

int pl_parse_time(const char *s, double *seconds)
{
    static const struct unit units[] = {
        {"s", 1}, {"sec", 1}, {"ms", 1e-3}, {"msec", 1e-3}, {"us", 1e-6},
        {"usec", 1e-6}, {"ns", 1e-9}, {"nsec", 1e-9}, {"m", 60}, {"min", 60},
        {"h", 3600}, {"hr", 3600}, {"d", 86400}, {"day", 86400}, {NULL, 0}};
    return parse_with_unit(s, units, seconds);
}

int pl_parse_bandwidth(const char *s, double *bytes_per_s)
{
    static const struct unit units[] = {
        {"bps", 0.125}, {"kbps", 125}, {"Kbps", 125}, {"Mbps", 125e3},
        {"Gbps", 125e6}, {"Bps", 1}, {"kBps", 1e3}, {"KBps", 1e3},
        {"MBps", 1e6}, {"GBps", 1e9}, {"baud", 0.125},
        /* Click's other spellings: b/s and B/s, with its prefixes */
        {"b/s", 0.125}, {"kb/s", 125}, {"Kb/s", 125}, {"Mb/s", 125e3}, {"Gb/s", 125e6},
        {"B/s", 1}, {"kB/s", 1e3}, {"KB/s", 1e3}, {"MB/s", 1e6}, {"GB/s", 1e9}, {NULL, 0}};
    return parse_with_unit(s, units, bytes_per_s);
}

int pl_parse_ipv4(const char *s, uint32_t *net_order)
{
    if (!pl_parse_ipv4_literal(s, net_order))
        return 0;
    uint8_t b[4];
    if (pl_addrinfo_ip(s, b))
        return -1;
    memcpy(net_order, b, 4);
    return 0;
}

int pl_parse_ether(const char *s, uint8_t out[6])
{
    return pl_parse_ether_literal(s, out) && pl_addrinfo_ether(s, out) ? -1 : 0;
}

int pl_parse_ipv4_literal(const char *s, uint32_t *net_order)
{
    unsigned a[4];
    char tail;
    if (sscanf(s, "%u.%u.%u.%u%c", &a[0], &a[1], &a[2], &a[3], &tail) != 4)
        return -1;
    for (int i = 0; i < 4; i++)
        if (a[i] > 255)
            return -1;
    uint8_t b[4] = {(uint8_t)a[0], (uint8_t)a[1], (uint8_t)a[2], (uint8_t)a[3]};
    memcpy(net_order, b, 4);
    return 0;
}

int pl_parse_ether_literal(const char *s, uint8_t out[6])
{
    unsigned a[6];
    char tail;
    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &tail) != 6 &&
        sscanf(s, "%x-%x-%x-%x-%x-%x%c", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &tail) != 6)
        return -1;
    for (int i = 0; i < 6; i++) {
        if (a[i] > 255)
            return -1;
        out[i] = (uint8_t)a[i];
    }
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decode Click data: quotes are removed, C escapes and \<hex blocks> decoded. */
int pl_parse_data(const char *s, pl_bytes *out)
{
    size_t n = strlen(s);
    uint8_t *d = malloc(n + 1);
    if (!d)
        return -1;
    size_t k = 0;
    char quote = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!quote && (c == '"' || c == '\'')) {
            quote = c;
            continue;
        }
        if (quote && c == quote) {
            quote = 0;
            continue;
        }
        if (c == '\\' && i + 1 < n && (quote != '\'')) {
            char e = s[++i];
            if (e == '<') {
                int hi = -1;
                for (i++; i < n && s[i] != '>'; i++) {
                    if (isspace((unsigned char)s[i]))
                        continue;
                    int v = hexval(s[i]);
                    if (v < 0)
                        goto bad;
                    if (hi < 0)
                        hi = v;
                    else {
                        d[k++] = (uint8_t)(hi << 4 | v);
                        hi = -1;
                    }
                }
                if (i >= n || hi >= 0)
                    goto bad;
                continue;
            }
            switch (e) {
            case 'n': d[k++] = '\n'; break;
            case 't': d[k++] = '\t'; break;
            case 'r': d[k++] = '\r'; break;
            case '0': d[k++] = 0; break;
            case 'x':
                if (i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
                    d[k++] = (uint8_t)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
                    i += 2;
                    break;
                }
                goto bad;
            default: d[k++] = (uint8_t)e; break;
            }
            continue;
        }
        d[k++] = (uint8_t)c;
    }
    if (quote)
        goto bad;
    out->data = d;
    out->len = k;
    return 0;
bad:
    free(d);
    return -1;
}

char *pl_unquote(const char *s)
{
    pl_bytes b;
    if (pl_parse_data(s, &b) < 0)
        return NULL;
    char *r = realloc(b.data, b.len + 1);
    if (!r) {
        free(b.data);
        return NULL;
    }
    r[b.len] = 0;
    return r;
}
