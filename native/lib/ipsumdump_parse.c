/* Parsing IP summary dump values (Click's number, address, time, string and
 * TCP option texts), for ipsumdump_read.c. */
#include "ipsumdump.h"
#include "netpkt.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- words ---- */

/* Next word of [s, end): quoted strings are one word. */
const char *pl_isd_word_end(const char *s, const char *end)
{
    while (s < end && !isspace((unsigned char)*s)) {
        if (*s == '"') {
            for (s++; s < end && *s != '"'; s++)
                if (*s == '\\' && s + 1 < end)
                    s++;
            if (s < end)
                s++;
        } else {
            s++;
        }
    }
    return s;
}

int pl_isd_parse_uint(const char *s, size_t n, uint64_t *out)
{
    char b[32];
    if (!n || n >= sizeof b || *s == '-' || *s == '+' || isspace((unsigned char)*s))
        return -1;
    memcpy(b, s, n);
    b[n] = 0;
    char *e;
    int base = n > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') ? 16 : 10;
    unsigned long long v = strtoull(b, &e, base);
    if (*e)
        return -1;
    *out = v;
    return 0;
}

int pl_isd_parse_ip(const char *s, size_t n, uint32_t *net)
{
    uint8_t a[4];
    const char *end = s + n;
    for (int i = 0; i < 4; i++) {
        unsigned v = 0, digits = 0;
        while (s < end && isdigit((unsigned char)*s) && digits < 4)
            v = v * 10 + (unsigned)(*s++ - '0'), digits++;
        if (!digits || v > 255)
            return -1;
        a[i] = (uint8_t)v;
        if (i < 3 && (s >= end || *s++ != '.'))
            return -1;
    }
    if (s != end)
        return -1;
    memcpy(net, a, 4);
    return 0;
}

/* Click's cp_time: [-]SEC[.FRAC], to nanoseconds. */
int pl_isd_parse_time(const char *s, size_t n, int64_t *ns)
{
    const char *end = s + n;
    int neg = 0;
    if (s < end && *s == '-')
        neg = 1, s++;
    if (s >= end)
        return -1;
    int64_t sec = 0, frac = 0;
    int digits = 0, fd = 0;
    while (s < end && isdigit((unsigned char)*s) && digits < 12)
        sec = sec * 10 + (*s++ - '0'), digits++;
    if (s < end && *s == '.') {
        s++;
        while (s < end && isdigit((unsigned char)*s)) {
            if (fd < 9)
                frac = frac * 10 + (*s - '0'), fd++;
            else if (fd == 9 && *s >= '5')
                frac++, fd++;
            s++;
            digits++;
        }
    }
    if (s != end || !digits)
        return -1;
    for (int i = fd > 9 ? 9 : fd; i < 9; i++)
        frac *= 10;
    int64_t v = sec * 1000000000 + frac;
    *ns = neg ? -v : v;
    return 0;
}

/* Click's cp_string: a double-quoted C string, or the word itself. */
int pl_isd_parse_string(const char *s, size_t n, pl_isd_val *x)
{
    if (n < 2 || s[0] != '"' || s[n - 1] != '"') {
        x->vp = (const uint8_t *)s;
        x->vlen = n;
        return 0;
    }
    size_t k = 0;
    for (size_t i = 1; i + 1 < n && k < sizeof x->tmp; i++) {
        char c = s[i];
        if (c == '\\' && i + 2 < n) {
            c = s[++i];
            if (c >= '0' && c <= '7') {
                int v = 0, d = 0;
                while (d < 3 && i + 1 < n && s[i] >= '0' && s[i] <= '7')
                    v = v * 8 + (s[i++] - '0'), d++;
                i--;
                c = (char)v;
            } else if (c == 'n') {
                c = '\n';
            } else if (c == 't') {
                c = '\t';
            } else if (c == 'r') {
                c = '\r';
            } else if (c == 'x' && i + 2 < n - 1 && isxdigit((unsigned char)s[i + 1])) {
                char h[3] = {s[i + 1], s[i + 2], 0};
                c = (char)strtol(h, NULL, 16);
                i += 2;
            }
        }
        x->tmp[k++] = (uint8_t)c;
    }
    x->vp = x->tmp;
    x->vlen = k;
    return 0;
}

/* Click's TCP option text: mss, wscale, sackok, sackA-B, tsA:B, nop, eol, N=V:V. */
int pl_isd_parse_tcp_opt(const char *s, size_t n, pl_isd_val *x)
{
    const char *end = s + n;
    size_t k = 0;
    if (n == 1 && *s == '.') {
        x->vp = NULL;
        return 0;
    }
    while (s < end) {
        char *e;
        unsigned long a, b;
        if (end - s > 3 && !memcmp(s, "mss", 3)) {
            a = strtoul(s + 3, &e, 0);
            if (e == s + 3 || a > 0xffff || k + 4 > 40)
                return -1;
            x->tmp[k++] = 2, x->tmp[k++] = 4, x->tmp[k++] = (uint8_t)(a >> 8), x->tmp[k++] = (uint8_t)a;
        } else if (end - s > 6 && !memcmp(s, "wscale", 6)) {
            a = strtoul(s + 6, &e, 0);
            if (e == s + 6 || a > 255 || k + 3 > 40)
                return -1;
            x->tmp[k++] = 3, x->tmp[k++] = 3, x->tmp[k++] = (uint8_t)a;
        } else if (end - s >= 6 && !memcmp(s, "sackok", 6)) {
            if (k + 2 > 40)
                return -1;
            x->tmp[k++] = 4, x->tmp[k++] = 2;
            e = (char *)s + 6;
        } else if (end - s > 4 && !memcmp(s, "sack", 4)) {
            a = strtoul(s + 4, &e, 0);
            if (e == s + 4 || (*e != '-' && *e != ':'))
                return -1;
            b = strtoul(e + 1, &e, 0);
            if (k + 10 > 40)
                return -1;
            x->tmp[k++] = 5, x->tmp[k++] = 10;
            pl_wr32(x->tmp + k, (uint32_t)a), pl_wr32(x->tmp + k + 4, (uint32_t)b), k += 8;
        } else if (end - s > 2 && !memcmp(s, "ts", 2)) {
            a = strtoul(s + 2, &e, 0);
            if (e == s + 2 || *e != ':')
                return -1;
            b = strtoul(e + 1, &e, 0);
            if (k + 10 > 40)
                return -1;
            x->tmp[k++] = 8, x->tmp[k++] = 10;
            pl_wr32(x->tmp + k, (uint32_t)a), pl_wr32(x->tmp + k + 4, (uint32_t)b), k += 8;
        } else if (end - s >= 3 && (!memcmp(s, "nop", 3) || !memcmp(s, "eol", 3))) {
            if (k + 1 > 40)
                return -1;
            x->tmp[k++] = s[0] == 'n' ? 1 : 0;
            e = (char *)s + 3;
        } else if (isdigit((unsigned char)*s)) {
            a = strtoul(s, &e, 0);
            if (a > 255 || k + 2 > 40)
                return -1;
            size_t at = k;
            x->tmp[k++] = (uint8_t)a;
            if (e < end && *e == '=') {
                x->tmp[k++] = 0;
                do {
                    b = strtoul(e + 1, &e, 0);
                    if (b > 255 || k + 1 > 40)
                        return -1;
                    x->tmp[k++] = (uint8_t)b;
                } while (e < end && *e == ':');
                x->tmp[at + 1] = (uint8_t)(k - at);
            }
        } else {
            return -1;
        }
        s = e;
        if (s < end && *s != ',' && *s != ';')
            return -1;
        if (s < end)
            s++;
    }
    x->vp = x->tmp;
    x->vlen = k;
    return 0;
}

