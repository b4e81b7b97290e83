/* Click's text helpers (clickstr.h), after lib/confparse.cc and variableenv.cc. */
#include "clickstr.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pl_str_add(pl_str *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns)
            return;
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

void pl_str_adds(pl_str *b, const char *s) { pl_str_add(b, s, strlen(s)); }
void pl_str_addc(pl_str *b, char c) { pl_str_add(b, &c, 1); }

void pl_str_addf(pl_str *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        pl_str_add(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big)
        return;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    pl_str_add(b, big, (size_t)n);
    free(big);
}

char *pl_str_take(pl_str *b)
{
    char *s = b->s ? b->s : strdup("");
    b->s = NULL;
    b->n = b->cap = 0;
    return s;
}

void pl_str_free(pl_str *b)
{
    free(b->s);
    b->s = NULL;
    b->n = b->cap = 0;
}

static const char *skip_comment(const char *s, const char *end)
{
    if (s[1] == '/') {
        for (s += 2; s + 1 < end && *s != '\n' && *s != '\r'; s++)
            ;
        if (s + 1 < end && *s == '\r' && s[1] == '\n')
            s++;
        return s + 1;
    }
    for (s += 2; s + 2 < end && (*s != '*' || s[1] != '/'); s++)
        ;
    return s + 2 < end ? s + 2 : end;
}

static const char *skip_backslash(const char *s, const char *end)
{
    if (s + 1 >= end)
        return s + 1;
    if (s[1] == '<') {
        for (s += 2; s < end;)
            if (*s == '>')
                return s + 1;
            else if (*s == '/' && s + 1 < end && (s[1] == '/' || s[1] == '*'))
                s = skip_comment(s, end);
            else
                s++;
        return s;
    }
    if (s[1] == '\r' && s + 2 < end && s[2] == '\n')
        return s + 3;
    return s + 2;
}

static const char *skip_double_quote(const char *s, const char *end)
{
    for (s++; s < end;)
        if (*s == '\\')
            s = skip_backslash(s, end);
        else if (*s == '"')
            return s + 1;
        else
            s++;
    return end;
}

static const char *skip_single_quote(const char *s, const char *end)
{
    for (s++; s < end; s++)
        if (*s == '\'')
            return s + 1;
    return end;
}

const char *pl_cp_skip_comment_space(const char *s, const char *end)
{
    for (; s < end; s++) {
        if (isspace((unsigned char)*s))
            continue;
        if (*s == '/' && s + 1 < end && (s[1] == '/' || s[1] == '*'))
            s = skip_comment(s, end) - 1;
        else
            break;
    }
    return s;
}

static const char *skip_item(const char *s, const char *end)
{
    while (s < end)
        switch (*s) {
        case '/':
            if (s + 1 < end && (s[1] == '/' || s[1] == '*'))
                return s;
            s++;
            break;
        case '"': s = skip_double_quote(s, end); break;
        case '\'': s = skip_single_quote(s, end); break;
        case '\\':
            s = s + 1 < end && s[1] == '<' ? skip_backslash(s, end) : s + 1;
            break;
        case ' ': case '\f': case '\n': case '\r': case '\t': case '\v':
            return s;
        default:
            s++;
        }
    return s;
}

char *pl_cp_shift(const char **str)
{
    const char *end = *str + strlen(*str);
    const char *item = pl_cp_skip_comment_space(*str, end);
    const char *item_end = skip_item(item, end);
    pl_str b = {0};
    pl_str_add(&b, item, (size_t)(item_end - item));
    *str = pl_cp_skip_comment_space(item_end, end);
    return pl_str_take(&b);
}

int pl_cp_blank(const char *s)
{
    const char *end = s + strlen(s);
    return pl_cp_skip_comment_space(s, end) == end;
}

/* Click's partial_uncomment without commas. */
char *pl_cp_uncomment(const char *str)
{
    const char *end = str + strlen(str);
    const char *s = pl_cp_skip_comment_space(str, end);
    pl_str b = {0};
    const char *left = s, *right = s;
    int closed = 0;
    while (s < end) {
        if (isspace((unsigned char)*s))
            s++;
        else if (*s == '/' && s + 1 < end && (s[1] == '/' || s[1] == '*')) {
            s = skip_comment(s, end);
            closed = 1;
        } else {
            if (closed) {
                pl_str_add(&b, left, (size_t)(right - left));
                pl_str_addc(&b, ' ');
                left = s;
                closed = 0;
            }
            if (*s == '\'')
                s = skip_single_quote(s, end);
            else if (*s == '"')
                s = skip_double_quote(s, end);
            else if (*s == '\\' && s + 1 < end && s[1] == '<')
                s = skip_backslash(s, end);
            else
                s++;
            right = s;
        }
    }
    pl_str_add(&b, left, (size_t)(right - left));
    return pl_str_take(&b);
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* cp_process_backslash: s at a backslash; returns what follows the escape. */
static const char *backslash(const char *s, const char *end, pl_str *b)
{
    if (s == end - 1) {
        pl_str_addc(b, '\\');
        return end;
    }
    switch (s[1]) {
    case '\r': return s + 2 < end && s[2] == '\n' ? s + 3 : s + 2;
    case '\n': return s + 2;
    case 'a': pl_str_addc(b, '\a'); return s + 2;
    case 'b': pl_str_addc(b, '\b'); return s + 2;
    case 'f': pl_str_addc(b, '\f'); return s + 2;
    case 'n': pl_str_addc(b, '\n'); return s + 2;
    case 'r': pl_str_addc(b, '\r'); return s + 2;
    case 't': pl_str_addc(b, '\t'); return s + 2;
    case 'v': pl_str_addc(b, '\v'); return s + 2;
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        int c = 0, d = 0;
        for (s++; s < end && *s >= '0' && *s <= '7' && d < 3; s++, d++)
            c = c * 8 + *s - '0';
        pl_str_addc(b, (char)c);
        return s;
    }
    case 'x': {
        int c = 0;
        for (s += 2; s < end && hexval(*s) >= 0; s++)
            c = c * 16 + hexval(*s);
        pl_str_addc(b, (char)c);
        return s;
    }
    case '<': {
        int c = 0, d = 0;
        for (s += 2; s < end; s++) {
            if (*s == '>')
                return s + 1;
            if (hexval(*s) >= 0)
                c = c * 16 + hexval(*s);
            else if (*s == '/' && s + 1 < end && (s[1] == '/' || s[1] == '*')) {
                s = skip_comment(s, end) - 1;
                continue;
            } else
                continue;
            if (++d == 2) {
                pl_str_addc(b, (char)c);
                c = d = 0;
            }
        }
        return end;
    }
    default:
        pl_str_addc(b, s[1]);
        return s + 2;
    }
}

char *pl_cp_unquote(const char *str)
{
    char *x = pl_cp_uncomment(str);
    const char *s = x, *end = x + strlen(x), *start = s;
    pl_str b = {0};
    int q = 0;
    for (; s < end; s++)
        switch (*s) {
        case '"':
        case '\'':
            if (!q) {
                pl_str_add(&b, start, (size_t)(s - start));
                start = s + 1;
                q = *s;
            } else if (q == *s) {
                pl_str_add(&b, start, (size_t)(s - start));
                start = s + 1;
                q = 0;
            }
            break;
        case '\\':
            if (s + 1 < end && (q == '"' || (!q && s[1] == '<'))) {
                pl_str_add(&b, start, (size_t)(s - start));
                start = backslash(s, end, &b);
                s = start - 1;
            }
            break;
        }
    pl_str_add(&b, start, (size_t)(s - start));
    free(x);
    return pl_str_take(&b);
}

char *pl_cp_quote(const char *s)
{
    pl_str b = {0};
    pl_str_addc(&b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\' || c == '"' || c == '$') {
            pl_str_addc(&b, '\\');
            pl_str_addc(&b, (char)c);
        } else if (c == '\t')
            pl_str_adds(&b, "\\t");
        else if (c == '\r')
            pl_str_adds(&b, "\\r");
        else if (c == '\n')
            pl_str_adds(&b, "\\n");
        else if (c < 32 || c >= 127)
            pl_str_addf(&b, "\\%c%c%c", '0' + (c >> 6), '0' + ((c >> 3) & 7), '0' + (c & 7));
        else
            pl_str_addc(&b, (char)c);
    }
    pl_str_addc(&b, '"');
    return pl_str_take(&b);
}
