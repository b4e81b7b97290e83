/*
 * Configurations for the element under test, from the fuzzer's bytes.
 *
 * Nothing here knows a class: a configuration is drawn from what the class
 * declares -- its parameter table (types, ranges, defaults), the argument of
 * the example in its manual, and the words of its manual and parameter docs
 * (which name the values its string arguments take: ICMP types, Classifier
 * patterns, route entries) -- so a class added later is fuzzed as it is.
 * Modes (the low bits of `mode`):
 *   0  the manual's example, with arguments replaced by drawn words;
 *   1  each parameter given or not, its value drawn for its type;
 *   2  the bytes themselves as text;
 *   3  no configuration.
 */
#include "fuzz.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fz_buf {
    char *s;
    size_t n, cap;
} fz_buf;

static void put(fz_buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *t = realloc(b->s, cap);
        if (!t)
            abort();
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static void puts_(fz_buf *b, const char *s) { put(b, s, strlen(s)); }

static void putf(fz_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(fz_buf *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Words every class may meet in a string argument. */
static const char *const generic[] = {
    "0", "1", "-1", "2", "4", "8", "14", "20", "64", "255", "256", "1500", "65535", "65536",
    "4294967295", "18446744073709551616", "0x10", "-", "!", "&&", "||", "(", ")", "and", "or",
    "not", "true", "false", "10.0.0.1", "10.0.0.2", "10.0.0.0/8", "0.0.0.0/0", "0.0.0.0",
    "255.255.255.255", "10.0.0.1/32", "224.0.0.1", "1.2.3.4/0.255.0.255", "00:01:02:03:04:05",
    "ff:ff:ff:ff:ff:ff", "12/0800", "12/0806", "20/0001", "12/0800%ff00", "0/45%f0", "23/11",
    "9/06", "!12/0800", "src", "dst", "host", "net", "port", "ip", "tcp", "udp", "icmp", "proto",
    "type", "syn", "ack", "allow", "deny", "drop", "vlan", "ether", "\"\"", "\\<>", "\\<0a0b>",
    "''", "$x", "{", "}", "[", "]", ",", "*", "%", "=", ">", "<=", "ip[9]", "ip vers 4",
};
#define NGENERIC (int)(sizeof generic / sizeof *generic)

static int is_word(int c)
{
    return isalnum(c) || c == '.' || c == ':' || c == '/' || c == '-' || c == '_' || c == '@' ||
           c == '%' || c == '!';
}

static void add_words(fz_words *w, const char *text, int *cap)
{
    for (const char *s = text; s && *s;) {
        while (*s && !is_word((unsigned char)*s))
            s++;
        const char *t = s;
        while (*t && is_word((unsigned char)*t))
            t++;
        size_t n = (size_t)(t - s);
        while (n && (s[n - 1] == '.' || s[n - 1] == ':'))
            n--;
        if (n && n < 40) {
            int dup = 0;
            for (int i = 0; i < w->n && !dup; i++)
                dup = strlen(w->w[i]) == n && !memcmp(w->w[i], s, n);
            if (!dup) {
                if (w->n == *cap) {
                    *cap = *cap ? *cap * 2 : 64;
                    w->w = realloc(w->w, sizeof *w->w * (size_t)*cap);
                }
                w->w[w->n++] = strndup(s, n);
            }
        }
        s = t;
    }
}

/* The argument of `Name(...)` in the manual's example, parentheses balanced. */
static char *example_of(const pl_class *c)
{
    const char *doc = c->doc ? c->doc : "";
    const char *ex = strstr(doc, "Example");
    size_t nl = strlen(c->name);
    for (const char *s = ex; s && (s = strstr(s, c->name)); s += nl) {
        if ((s > doc && (isalnum((unsigned char)s[-1]) || s[-1] == '_')) || s[nl] != '(')
            continue;
        const char *a = s + nl + 1, *t = a;
        int depth = 1;
        char q = 0;
        for (; *t && depth; t++) {
            if (q) {
                if (*t == '\\' && t[1])
                    t++;
                else if (*t == q)
                    q = 0;
            } else if (*t == '"' || *t == '\'') {
                q = *t;
            } else if (*t == '(') {
                depth++;
            } else if (*t == ')') {
                depth--;
            }
        }
        if (!depth)
            return strndup(a, (size_t)(t - a - 1));
    }
    return strdup("");
}

void fz_words_build(const pl_class *c, fz_words *out)
{
    int cap = 0;
    memset(out, 0, sizeof *out);
    add_words(out, c->doc, &cap);
    for (const pl_param *p = c->params; p && p->name; p++) {
        add_words(out, p->doc, &cap);
        add_words(out, p->def, &cap);
    }
    out->example = example_of(c);
}

static const char *word(const fz_words *w, fz_rd *r)
{
    unsigned k = fz_u8(r);
    if (k & 1 || !w->n)
        return generic[(k >> 1) % NGENERIC];
    return w->w[(k >> 1 | fz_u8(r) << 7) % (unsigned)w->n];
}

static void words(fz_buf *b, const fz_words *w, fz_rd *r)
{
    unsigned n = fz_u8(r) % 5 + 1;
    for (unsigned i = 0; i < n; i++) {
        if (i)
            puts_(b, " ");
        puts_(b, word(w, r));
    }
}

static void number(fz_buf *b, const pl_param *p, fz_rd *r)
{
    int bounded = p->min <= p->max;
    double lo = bounded ? p->min : -2147483648.0, hi = bounded ? p->max : 4294967295.0;
    switch (fz_u8(r) % 10) {
    case 0: putf(b, "%.0f", lo); break;
    case 1: putf(b, "%.0f", hi); break;
    case 2: putf(b, "%.0f", lo - 1); break;
    case 3: putf(b, "%.0f", hi + 1); break;
    case 4: puts_(b, p->def ? p->def : "0"); break;
    case 5: putf(b, "%u", fz_u8(r)); break;
    case 6: putf(b, "%u", fz_u32(r)); break;
    case 7: putf(b, "0x%x", fz_u16(r)); break;
    case 8: putf(b, "%.0f", lo + (hi - lo) * (fz_u16(r) / 65535.0)); break;
    default: puts_(b, generic[fz_u8(r) % NGENERIC]); break;
    }
}

static const char *const units[] = {"", "s", "ms", "us", "ns", "min", "bps", "Mbps", "Gbps",
                                    "kBps", "baud", "x"};

static void value(fz_buf *b, const pl_param *p, const fz_words *w, fz_rd *r)
{
    switch (p->type) {
    case PL_T_INT:
    case PL_T_UINT:
        number(b, p, r);
        break;
    case PL_T_BOOL: {
        static const char *const v[] = {"true", "false", "yes", "0", "maybe", ""};
        puts_(b, v[fz_u8(r) % 6]);
        break;
    }
    case PL_T_REAL:
    case PL_T_TIME:
    case PL_T_BANDWIDTH: {
        static const char *const v[] = {"0", "1", "0.001", "1e-9", "1e12", "-1", "nan", "inf",
                                        "2.5", "1e400"};
        puts_(b, v[fz_u8(r) % 10]);
        puts_(b, units[fz_u8(r) % (sizeof units / sizeof *units)]);
        break;
    }
    case PL_T_IPV4: {
        unsigned k = fz_u8(r), a[4];
        for (int i = 0; i < 4; i++)
            a[i] = fz_u8(r);
        if (k < 200)
            putf(b, "%u.%u.%u.%u", k % 4 ? 10 : a[0], k % 3 ? 0 : a[1], a[2] % 4, a[3]);
        else
            puts_(b, generic[k % NGENERIC]);
        break;
    }
    case PL_T_ETHER: {
        unsigned a[6];
        for (int i = 0; i < 6; i++)
            a[i] = fz_u8(r);
        putf(b, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
        break;
    }
    case PL_T_DATA: {
        unsigned n = fz_u8(r) % 80;
        puts_(b, "\\<");
        for (unsigned i = 0; i < n; i++)
            putf(b, "%02x", fz_u8(r));
        puts_(b, ">");
        break;
    }
    case PL_T_STRING:
        words(b, w, r);
        break;
    case PL_T_ARGS: {
        unsigned n = fz_u8(r) % 6;
        for (unsigned i = 0; i < n; i++) {
            if (i)
                puts_(b, ", ");
            words(b, w, r);
        }
        break;
    }
    }
}

static void from_table(fz_buf *b, const pl_class *c, const fz_words *w, fz_rd *r)
{
    int first = 1, keyword = 0;
    for (const pl_param *p = c->params; p && p->name; p++) {
        unsigned k = fz_u8(r);
        if (!(p->flags & PL_P_REQUIRED) && k % 3 == 0)
            continue;
        if (!first)
            puts_(b, ", ");
        first = 0;
        /* Positional while the table allows it, keywords from then on. */
        keyword |= !(p->flags & PL_P_POSITIONAL) || (k & 4) || p->type == PL_T_ARGS;
        if (keyword && p->type != PL_T_ARGS) {
            puts_(b, p->name);
            puts_(b, " ");
        }
        value(b, p, w, r);
    }
}

/* The example, its arguments (between commas) replaced by drawn ones. */
static void from_example(fz_buf *b, const fz_words *w, fz_rd *r)
{
    char *ex = strdup(w->example);
    char *args[32];
    int n = 0;
    for (char *s = ex, *save = NULL, *t; n < 32 && (t = strtok_r(s, ",", &save)); s = NULL)
        args[n++] = t;
    unsigned changes = fz_u8(r) % 4;
    int replace[33] = {0};
    for (unsigned i = 0; i < changes; i++)
        replace[fz_u8(r) % (unsigned)(n + 1)] = 1;
    for (int i = 0; i <= n; i++) {
        if (i == n && !replace[n])
            break;
        if (i)
            puts_(b, ",");
        if (replace[i])
            words(b, w, r);
        else
            puts_(b, args[i]);
    }
    free(ex);
}

char *fz_config(const pl_class *c, const fz_words *w, unsigned mode, fz_rd *r)
{
    fz_buf b = {0};
    puts_(&b, "");
    switch (mode & 3) {
    case 0: from_example(&b, w, r); break;
    case 1: from_table(&b, c, w, r); break;
    case 2:
        while (fz_left(r)) {
            char ch = (char)fz_u8(r);
            put(&b, ch ? &ch : " ", 1);
        }
        break;
    default: break;
    }
    fz_confine(b.s);
    return b.s;
}

char *fz_value(const pl_param *p, const fz_words *w, fz_rd *r)
{
    fz_buf b = {0};
    puts_(&b, "");
    if (p && fz_u8(r) % 4)
        value(&b, p, w, r);
    else
        words(&b, w, r);
    fz_confine(b.s);
    return b.s;
}

void fz_confine(char *s)
{
    for (char *t = s; *t; t++) {
        if (*t == '/' && (t == s || !isalnum((unsigned char)t[-1])))
            *t = '_';
        if (t[0] == '.' && t[1] == '.')
            t[1] = '_';
    }
}
