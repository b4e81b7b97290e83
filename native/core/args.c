/* Configuration strings: splitting (Click's cp_argvec), keyword and positional
 * arguments matched to a class's parameter table, values formatted back. */
#include "args.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dup_range(const char *s, const char *e)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    size_t n = (size_t)(e - s);
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = 0;
    }
    return r;
}

static int argv_push(pl_argv *a, char *s)
{
    char **v = realloc(a->v, sizeof(char *) * (size_t)(a->n + 1));
    if (!v || !s) {
        free(s);
        if (v)
            a->v = v;
        return -1;
    }
    a->v = v;
    a->v[a->n++] = s;
    return 0;
}

int pl_split_args(const char *config, pl_argv *out)
{
    out->n = 0;
    out->v = NULL;
    if (!config)
        return 0;
    const char *start = config, *s = config;
    int depth = 0;
    char quote = 0;
    for (; *s; s++) {
        char c = *s;
        if (quote) {
            if (c == '\\' && s[1])
                s++;
            else if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '(' || c == '[' || c == '{') {
            depth++;
        } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
            depth--;
        } else if (c == ',' && depth == 0) {
            if (argv_push(out, dup_range(start, s)) < 0)
                return -1;
            start = s + 1;
        }
    }
    char *last = dup_range(start, s);
    if (!last)
        return -1;
    /* A configuration of only spaces has no arguments; a trailing comma
     * leaves an empty last argument, as in Click. */
    if (!*last && out->n == 0) {
        free(last);
        return 0;
    }
    return argv_push(out, last);
}

void pl_argv_free(pl_argv *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = 0;
}

static const char *type_name(pl_ptype t)
{
    switch (t) {
    case PL_T_INT: return "an integer";
    case PL_T_UINT: return "an unsigned integer";
    case PL_T_BOOL: return "a boolean (true/false)";
    case PL_T_REAL: return "a real number";
    case PL_T_STRING: return "a string";
    case PL_T_TIME: return "a time (e.g. 10ms, 1s)";
    case PL_T_BANDWIDTH: return "a bandwidth (e.g. 10Gbps, 1.5MBps)";
    case PL_T_IPV4: return "an IPv4 address";
    case PL_T_ETHER: return "an Ethernet address";
    case PL_T_DATA: return "data";
    case PL_T_ARGS: return "arguments";
    }
    return "a value";
}

static int in_range(const pl_param *p, double v)
{
    return p->min > p->max || (v >= p->min && v <= p->max);
}

int pl_parse_value(pl_element *e, const pl_param *p, const char *text, void *dst, pl_error *err)
{
    int rc = 0;
    double num = 0;
    int ranged = 0;
    switch (p->type) {
    case PL_T_INT: {
        int64_t v;
        rc = pl_parse_int(text, &v);
        if (!rc) { *(int64_t *)dst = v; num = (double)v; ranged = 1; }
        break;
    }
    case PL_T_UINT: {
        uint64_t v;
        rc = pl_parse_uint(text, &v);
        if (!rc) { *(uint64_t *)dst = v; num = (double)v; ranged = 1; }
        break;
    }
    case PL_T_BOOL: rc = pl_parse_bool(text, (uint8_t *)dst); break;
    case PL_T_REAL: rc = pl_parse_real(text, (double *)dst); num = *(double *)dst; ranged = !rc; break;
    case PL_T_TIME: rc = pl_parse_time(text, (double *)dst); num = *(double *)dst; ranged = !rc; break;
    case PL_T_BANDWIDTH:
        rc = pl_parse_bandwidth(text, (double *)dst); num = *(double *)dst; ranged = !rc; break;
    case PL_T_IPV4: rc = pl_parse_ipv4(text, (uint32_t *)dst); break;
    case PL_T_ETHER: rc = pl_parse_ether(text, (uint8_t *)dst); break;
    case PL_T_STRING: {
        char *s = pl_unquote(text);
        if (!s) { rc = -1; break; }
        free(*(char **)dst);
        *(char **)dst = s;
        break;
    }
    case PL_T_DATA: {
        pl_bytes b;
        rc = pl_parse_data(text, &b);
        if (!rc) {
            free(((pl_bytes *)dst)->data);
            *(pl_bytes *)dst = b;
        }
        break;
    }
    case PL_T_ARGS:
        return pl_seterr(err, PL_ERR_CONFIG, e, p->name, "internal: ARGS parsed as a value");
    }
    if (rc)
        return pl_seterr(err, PL_ERR_CONFIG, e, p->name, "%s: expected %s, got '%s'", p->name,
                         type_name(p->type), text);
    if (ranged && !in_range(p, num))
        return pl_seterr(err, PL_ERR_CONFIG, e, p->name, "%s: %s is out of range [%g, %g]",
                         p->name, text, p->min, p->max);
    return 0;
}

/* "KEYWORD value" or "KEYWORD": returns the keyword length, 0 if none. */
static size_t keyword_len(const char *arg)
{
    size_t i = 0;
    if (!(arg[0] >= 'A' && arg[0] <= 'Z'))
        return 0;
    while ((arg[i] >= 'A' && arg[i] <= 'Z') || (arg[i] >= '0' && arg[i] <= '9') || arg[i] == '_')
        i++;
    if (arg[i] && !isspace((unsigned char)arg[i]))
        return 0;
    return i;
}

static const pl_param *find_param(const pl_class *c, const char *kw, size_t n)
{
    for (const pl_param *p = c->params; p && p->name; p++)
        if (strlen(p->name) == n && !strncmp(p->name, kw, n))
            return p;
    return NULL;
}

static int rest_anywhere(const pl_class *c, const pl_args *rest, const pl_element *e)
{
    for (const pl_param *p = c->params; p && p->name; p++)
        if (p->type == PL_T_ARGS && (const void *)(e->state + p->offset) == (const void *)rest)
            return (p->flags & PL_P_ANYWHERE) != 0;
    return 0;
}

int pl_parse_config(pl_element *e, const char *config, pl_error *err)
{
    const pl_class *c = e->cls;
    int nparams = 0;
    for (const pl_param *p = c->params; p && p->name; p++)
        nparams++;
    unsigned char seen[64] = {0};
    if (nparams > 64)
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "internal: too many parameters");

    for (int i = 0; i < nparams; i++) {
        const pl_param *p = &c->params[i];
        if (p->def && p->type != PL_T_ARGS &&
            pl_parse_value(e, p, p->def, e->state + p->offset, err))
            return -1;
    }

    pl_argv av;
    if (pl_split_args(config, &av) < 0)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    int rc = 0, next_pos = 0, seen_keyword = 0;
    pl_args *rest = NULL;
    for (int a = 0; a < av.n && !rc; a++) {
        const char *arg = av.v[a];
        size_t kl = keyword_len(arg);
        const pl_param *p = kl ? find_param(c, arg, kl) : NULL;
        const char *val = arg;
        if (p) {
            seen_keyword = 1;
            val = arg + kl;
            while (isspace((unsigned char)*val))
                val++;
            if (!*val && p->type == PL_T_BOOL)
                val = "true";
        } else {
            /* As in Click, positional arguments come first: after a keyword,
             * an upper-case word that names no parameter is a bad keyword
             * (unless the next positional parameter takes them anywhere). */
            int anywhere = 0;
            for (int k = next_pos; k < nparams && !anywhere; k++)
                if (c->params[k].flags & PL_P_POSITIONAL)
                    anywhere = (c->params[k].flags & PL_P_ANYWHERE) ? 1 : -1;
            if (rest && (rest_anywhere(c, rest, e)))
                anywhere = 1;
            if (kl && seen_keyword && !rest && anywhere <= 0) {
                char kw[48];
                snprintf(kw, sizeof kw, "%.*s", (int)(kl < 47 ? kl : 47), arg);
                rc = pl_seterr(err, PL_ERR_CONFIG, e, kw, "unknown keyword '%s' for %s", kw,
                               c->name);
                break;
            }
            if (seen_keyword && !rest && anywhere <= 0) {
                rc = pl_seterr(err, PL_ERR_CONFIG, e, "",
                               "positional argument '%s' after keyword arguments", arg);
                break;
            }
            while (next_pos < nparams && !(c->params[next_pos].flags & PL_P_POSITIONAL))
                next_pos++;
            if (next_pos >= nparams) {
                if (rest) {
                    char **v = realloc(rest->v, sizeof(char *) * (size_t)(rest->n + 1));
                    char *copy = strdup(arg);
                    if (!v || !copy) {
                        free(copy);
                        if (v)
                            rest->v = v;
                        rc = pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
                        break;
                    }
                    rest->v = v;
                    rest->v[rest->n++] = copy;
                    continue;
                }
                rc = pl_seterr(err, PL_ERR_CONFIG, e, "", "too many arguments (argument %d: '%s')",
                               a + 1, arg);
                break;
            }
            p = &c->params[next_pos++];
        }
        int idx = (int)(p - c->params);
        if (seen[idx] && p->type != PL_T_ARGS) {
            rc = pl_seterr(err, PL_ERR_CONFIG, e, p->name, "%s given twice", p->name);
            break;
        }
        seen[idx] = 1;
        if (p->type == PL_T_ARGS) {
            rest = (pl_args *)(e->state + p->offset);
            char **v = realloc(rest->v, sizeof(char *) * (size_t)(rest->n + 1));
            char *copy = strdup(val);
            if (!v || !copy) {
                free(copy);
                if (v)
                    rest->v = v;
                rc = pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
                break;
            }
            rest->v = v;
            rest->v[rest->n++] = copy;
            continue;
        }
        rc = pl_parse_value(e, p, val, e->state + p->offset, err) ? -1 : 0;
    }
    pl_argv_free(&av);
    if (rc)
        return -1;
    e->given = 0;
    for (int i = 0; i < nparams; i++)
        if (seen[i])
            e->given |= 1ull << i;
    for (int i = 0; i < nparams; i++) {
        const pl_param *p = &c->params[i];
        if ((p->flags & PL_P_REQUIRED) && !seen[i])
            return pl_seterr(err, PL_ERR_CONFIG, e, p->name, "missing required argument %s",
                             p->name);
    }
    return 0;
}

void pl_free_params(pl_element *e)
{
    for (const pl_param *p = e->cls->params; p && p->name; p++) {
        void *f = e->state + p->offset;
        if (p->type == PL_T_STRING) {
            free(*(char **)f);
            *(char **)f = NULL;
        } else if (p->type == PL_T_DATA) {
            free(((pl_bytes *)f)->data);
            ((pl_bytes *)f)->data = NULL;
        } else if (p->type == PL_T_ARGS) {
            pl_args *a = f;
            for (int i = 0; i < a->n; i++)
                free(a->v[i]);
            free(a->v);
            a->v = NULL;
            a->n = 0;
        }
    }
}

int pl_format_value(pl_element *e, const pl_param *p, char *buf, size_t len)
{
    const void *f = e->state + p->offset;
    switch (p->type) {
    case PL_T_INT: return pl_fmt(buf, len, "%lld", (long long)__atomic_load_n((const int64_t *)f, __ATOMIC_RELAXED));
    case PL_T_UINT: return pl_fmt(buf, len, "%llu", (unsigned long long)__atomic_load_n((const uint64_t *)f, __ATOMIC_RELAXED));
    case PL_T_BOOL: return pl_fmt(buf, len, "%s", __atomic_load_n((const uint8_t *)f, __ATOMIC_RELAXED) ? "true" : "false");
    case PL_T_REAL:
    case PL_T_TIME:
    case PL_T_BANDWIDTH: {
        double d;
        __atomic_load((const double *)f, &d, __ATOMIC_RELAXED);
        return pl_fmt(buf, len, "%.17g", d);
    }
    case PL_T_IPV4: {
        const uint8_t *b = f;
        return pl_fmt(buf, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    }
    case PL_T_ETHER: {
        const uint8_t *b = f;
        return pl_fmt(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
    }
    case PL_T_STRING: return pl_fmt(buf, len, "%s", *(char *const *)f ? *(char *const *)f : "");
    case PL_T_DATA: {
        const pl_bytes *b = f;
        size_t k = 0;
        if (len)
            buf[0] = 0;
        for (size_t i = 0; i < b->len && k + 3 < len; i++)
            k += (size_t)snprintf(buf + k, len - k, "%02x", b->data[i]);
        return 0;
    }
    case PL_T_ARGS: {
        const pl_args *a = f;
        size_t k = 0;
        if (len)
            buf[0] = 0;
        for (int i = 0; i < a->n && k < len; i++)
            k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "", a->v[i]);
        return 0;
    }
    }
    return -1;
}

int pl_param_given(const pl_element *e, const char *name)
{
    int i = 0;
    for (const pl_param *p = e->cls->params; p && p->name; p++, i++)
        if (!strcmp(p->name, name))
            return (int)((e->given >> i) & 1);
    return 0;
}
