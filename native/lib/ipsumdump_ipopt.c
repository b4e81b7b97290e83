/* IP options in Click's summary dump text: "rr{1.0.0.1,^2.0.0.2}", "ssrr{..}",
 * "lsrr{..}", "ts{..}", "nop", "eol", "N=V:V"; '.' for none. */
#include "ipsumdump.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void route(pl_isd_out *o, const uint8_t *opt)
{
    const uint8_t *q = opt + 3, *ol = opt + opt[1], *op = opt + opt[2] - 1;
    const char *sep = "";
    char b[24];
    pl_isd_putc(o, '{');
    for (; q + 4 <= ol; q += 4) {
        if (q == op) {
            if (opt[0] == 7)
                break;
            sep = "^";
        }
        snprintf(b, sizeof b, "%s%u.%u.%u.%u", sep, q[0], q[1], q[2], q[3]);
        pl_isd_puts(o, b);
        sep = ",";
    }
    if (q == ol && q == op && opt[0] != 7)
        pl_isd_putc(o, '^');
    pl_isd_putc(o, '}');
    if (q + 4 <= ol && q == op && opt[0] == 7) {
        snprintf(b, sizeof b, "+%d", (int)((ol - q) / 4));
        pl_isd_puts(o, b);
    }
}

static void tstamp(pl_isd_out *o, const uint8_t *opt)
{
    const uint8_t *q = opt + 4, *ol = opt + opt[1], *op = opt + opt[2] - 1;
    int flag = opt[3] & 15, size = flag >= 1 && flag <= 3 ? 8 : 4;
    const char *sep = "";
    char b[40];
    pl_isd_puts(o, "ts");
    if (flag == 1)
        pl_isd_puts(o, ".ip");
    else if (flag == 3)
        pl_isd_puts(o, ".preip");
    else if (flag) {
        snprintf(b, sizeof b, ".%d", flag);
        pl_isd_puts(o, b);
    }
    pl_isd_putc(o, '{');
    for (; q + size <= ol; q += 4) {
        if (q == op) {
            if (flag != 3)
                break;
            sep = "^";
        }
        if (flag) {
            snprintf(b, sizeof b, "%s%u.%u.%u.%u=", sep, q[0], q[1], q[2], q[3]);
            pl_isd_puts(o, b);
            q += 4;
        } else {
            pl_isd_puts(o, sep);
        }
        if (flag == 3 && q > op) {
            o->len--;
            o->s[o->len] = 0;
        } else {
            uint32_t v = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
            snprintf(b, sizeof b, "%s%u", v & 0x80000000u ? "!" : "", v & 0x7fffffffu);
            pl_isd_puts(o, b);
        }
        sep = ",";
    }
    if (q == ol && q == op)
        pl_isd_putc(o, '^');
    pl_isd_putc(o, '}');
    if (q + size <= ol && q == op) {
        snprintf(b, sizeof b, "+%d", (int)((ol - q) / size));
        pl_isd_puts(o, b);
    }
    if (opt[3] & 0xf0) {
        snprintf(b, sizeof b, "++%d", opt[3] >> 4);
        pl_isd_puts(o, b);
    }
}

void pl_isd_ip_opt_text(pl_isd_out *o, const uint8_t *opt, int len)
{
    size_t start = o->len;
    const uint8_t *end = opt + len;
    const char *sep = "";
    char b[16];
    while (opt < end) {
        if (*opt == 0)
            break;
        if (*opt == 1) {
            opt++;
            continue;
        }
        if (opt + 1 >= end || opt + opt[1] > end)
            goto bad;
        if (opt[0] == 7 || opt[0] == 131 || opt[0] == 137) {
            if (opt[1] < 3 || opt[2] < 4)
                goto bad;
            pl_isd_puts(o, sep);
            pl_isd_puts(o, opt[0] == 7 ? "rr" : opt[0] == 131 ? "lsrr" : "ssrr");
            route(o, opt);
        } else if (opt[0] == 68) {
            if (opt[1] < 4 || opt[2] < 5)
                goto bad;
            pl_isd_puts(o, sep);
            tstamp(o, opt);
        } else {
            if (opt[1] < 2)
                goto bad;
            snprintf(b, sizeof b, "%s%u", sep, opt[0]);
            pl_isd_puts(o, b);
            for (int i = 2; i < opt[1]; i++) {
                snprintf(b, sizeof b, "%c%u", i == 2 ? '=' : ':', opt[i]);
                pl_isd_puts(o, b);
            }
        }
        sep = ";";
        opt += opt[1];
    }
    if (o->len == start)
        pl_isd_putc(o, '.');
    return;
bad:
    o->len = start;
    if (o->cap)
        o->s[o->len] = 0;
    pl_isd_putc(o, '?');
}

static const char *quad(const char *s, const char *end, uint8_t *out)
{
    for (int i = 0; i < 4; i++) {
        unsigned v = 0, d = 0;
        while (s < end && isdigit((unsigned char)*s) && d < 4)
            v = v * 10 + (unsigned)(*s++ - '0'), d++;
        if (!d || v > 255)
            return NULL;
        out[i] = (uint8_t)v;
        if (i < 3 && (s >= end || *s++ != '.'))
            return NULL;
    }
    return s;
}

/* The text of an ip_opt field as option bytes in x (x->vp NULL for '.'). Route
 * options, nop, eol and numbered options; 0 or -1 (timestamps: -1). */
int pl_isd_parse_ip_opt(const char *s, size_t n, pl_isd_val *x)
{
    const char *end = s + n;
    size_t k = 0;
    x->vp = NULL;
    x->vlen = 0;
    if (n == 1 && *s == '.')
        return 0;
    while (s < end) {
        int type = -1;
        size_t skip = 0;
        if (end - s > 3 && !memcmp(s, "rr{", 3))
            type = 7, skip = 3;
        else if (end - s > 5 && !memcmp(s, "ssrr{", 5))
            type = 137, skip = 5;
        else if (end - s > 5 && !memcmp(s, "lsrr{", 5))
            type = 131, skip = 5;
        if (type >= 0) {
            size_t at = k;
            int pointer = -1;
            if (k + 3 > 40)
                return -1;
            x->tmp[k++] = (uint8_t)type, x->tmp[k++] = 0, x->tmp[k++] = 0;
            s += skip;
            for (;;) {
                if (s < end && *s == '^' && pointer < 0)
                    pointer = (int)(k - at + 1), s++;
                if (s >= end || !isdigit((unsigned char)*s))
                    break;
                if (k + 4 > 40 || !(s = quad(s, end, x->tmp + k)))
                    return -1;
                k += 4;
                if (s < end && *s == ',')
                    s++;
            }
            if (s >= end || *s != '}')
                return -1;
            x->tmp[at + 2] = (uint8_t)(pointer >= 0 ? pointer : (int)(k - at + 1));
            s++;
            if (s + 1 < end && *s == '+' && isdigit((unsigned char)s[1])) {
                char *e;
                unsigned long more = strtoul(s + 1, &e, 10);
                if (more >= 64 || k + more * 4 > 40)
                    return -1;
                memset(x->tmp + k, 0, more * 4);
                k += more * 4;
                s = e;
            }
            x->tmp[at + 1] = (uint8_t)(k - at);
        } else if (end - s >= 3 && (!memcmp(s, "nop", 3) || !memcmp(s, "eol", 3))) {
            if (k + 1 > 40)
                return -1;
            x->tmp[k++] = s[0] == 'n' ? 1 : 0;
            s += 3;
        } else if (isdigit((unsigned char)*s)) {
            char *e;
            unsigned long t = strtoul(s, &e, 10);
            if (t > 255 || k + 2 > 40)
                return -1;
            size_t at = k;
            x->tmp[k++] = (uint8_t)t;
            s = e;
            if (s + 1 < end && *s == '=' && isdigit((unsigned char)s[1])) {
                x->tmp[k++] = 0;
                do {
                    unsigned long v = strtoul(s + 1, &e, 10);
                    if (v > 255 || k + 1 > 40)
                        return -1;
                    x->tmp[k++] = (uint8_t)v;
                    s = e;
                } while (s + 1 < end && *s == ':' && isdigit((unsigned char)s[1]));
                x->tmp[at + 1] = (uint8_t)(k - at);
            }
        } else {
            return -1;            /* ts{...} and anything else */
        }
        if (s < end && *s != ',' && *s != ';')
            return -1;
        if (s < end)
            s++;
    }
    x->vp = x->tmp;
    x->vlen = k;
    return 0;
}
