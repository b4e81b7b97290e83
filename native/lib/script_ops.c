/*
 * Script's read handlers with parameters that compute (Click's
 * Script::arithmetic_handler, compare_handler, sprintf_handler,
 * basic_handler): add, sub, min, max, mul, div, idiv, mod, rem, neg, abs,
 * eq, ne, lt, gt, le, ge, not, and, or, nand, nor, if, in, first, sprintf,
 * random, length, unquote, htons, htonl, ntohs, ntohl, cat, catq, kill.
 * Numbers are parsed and printed as Click does (integers while they can be,
 * then doubles printed with %.12g).
 */
#include "script_ops.h"

#include "../core/args.h"
#include "clickstr.h"
#include "random.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int int_arg(const char *s, int64_t *v) { return *s && !pl_parse_int(s, v); }
static int dbl_arg(const char *s, double *v) { return *s && !pl_parse_real(s, v); }

static void put_double(pl_str *out, double d) { pl_str_addf(out, "%.12g", d); }

static int arith(const char *op, const char *args, pl_str *out, const char **err)
{
    int add = !strcmp(op, "add"), sub = !strcmp(op, "sub"), min = !strcmp(op, "min");
    int max = !strcmp(op, "max"), mul = !strcmp(op, "mul");
    int use_d = !strcmp(op, "div") || !strcmp(op, "idiv");
    int64_t acc = add || sub ? 0 : 1, a;
    double dacc = (double)acc, da;
    int first = 1;
    const char *p = args;
    for (;;) {
        char *w = pl_cp_shift(&p);
        if (!*w && pl_cp_blank(p)) {
            free(w);
            break;
        }
        if (!use_d && !int_arg(w, &a)) {
            use_d = 1;
            dacc = (double)acc;
        }
        if (use_d && !dbl_arg(w, &da)) {
            free(w);
            *err = "expected list of numbers";
            return -1;
        }
        free(w);
        if (use_d) {
            dacc = first ? da : add ? dacc + da : sub ? dacc - da : min ? (dacc < da ? dacc : da)
                 : max ? (dacc > da ? dacc : da) : mul ? dacc * da : dacc / da;
        } else {
            acc = first ? a : add ? acc + a : sub ? acc - a : min ? (acc < a ? acc : a)
                : max ? (acc > a ? acc : a) : mul ? acc * a : (a ? acc / a : 0);
        }
        first = 0;
    }
    if (!strcmp(op, "idiv"))
        pl_str_addf(out, "%lld", (long long)(int64_t)dacc);
    else if (use_d)
        put_double(out, dacc);
    else
        pl_str_addf(out, "%lld", (long long)acc);
    return 0;
}

/* Two words exactly; 0 with *err otherwise. */
static int two(const char *args, char **a, char **b)
{
    const char *p = args;
    *a = pl_cp_shift(&p);
    *b = pl_cp_shift(&p);
    if (*p || !**a || !**b) {
        free(*a), free(*b);
        return 0;
    }
    return 1;
}

static int modrem(const char *op, const char *args, pl_str *out, const char **err)
{
    char *as, *bs;
    if (!two(args, &as, &bs)) {
        *err = "expected two numbers";
        return -1;
    }
    int64_t a, b;
    double da, db;
    int rc = 0;
    if (int_arg(as, &a) && int_arg(bs, &b)) {
        if (!b) {
            *err = "division by zero";
            rc = -1;
        } else
            pl_str_addf(out, "%lld", (long long)(a % b));
    } else if (!strcmp(op, "rem") && dbl_arg(as, &da) && dbl_arg(bs, &db))
        put_double(out, fmod(da, db));
    else {
        *err = "expected two numbers";
        rc = -1;
    }
    free(as), free(bs);
    return rc;
}

static int negabs(const char *op, const char *args, pl_str *out, const char **err)
{
    int64_t x;
    double d;
    char *t = pl_cp_uncomment(args);
    int neg = !strcmp(op, "neg"), rc = 0;
    if (int_arg(t, &x))
        pl_str_addf(out, "%lld", (long long)(neg || x < 0 ? -x : x));
    else if (dbl_arg(t, &d))
        put_double(out, neg ? -d : fabs(d));
    else {
        *err = "expected one number";
        rc = -1;
    }
    free(t);
    return rc;
}

static int compare(const char *op, const char *args, pl_str *out, const char **err)
{
    char *as, *bs;
    if (!two(args, &as, &bs)) {
        *err = "expected two numbers";
        return -1;
    }
    int64_t a, b;
    double da, db;
    int c;
    if (int_arg(as, &a) && int_arg(bs, &b))
        c = a < b ? -1 : a > b;
    else if (dbl_arg(as, &da) && dbl_arg(bs, &db))
        c = da < db ? -1 : da > db;
    else {
        char *ua = pl_cp_unquote(as), *ub = pl_cp_unquote(bs);
        int r = strcmp(ua, ub);
        c = r < 0 ? -1 : r > 0;
        free(ua), free(ub);
    }
    free(as), free(bs);
    int v = !strcmp(op, "eq") ? c == 0 : !strcmp(op, "ne") ? c != 0 : !strcmp(op, "lt") ? c < 0
          : !strcmp(op, "gt") ? c > 0 : !strcmp(op, "le") ? c <= 0 : c >= 0;
    pl_str_adds(out, v ? "true" : "false");
    return 0;
}

static int bool_word(const char *w, int *v)
{
    uint8_t b;
    if (pl_parse_bool(w, &b))
        return 0;
    *v = b;
    return 1;
}

/* Click's sprintf handler: %d %i %u %o %x %X %s %%, flags, width, precision. */
static int do_sprintf(const char *args, pl_str *out, const char **err)
{
    const char *p = args;
    char *fw = pl_cp_shift(&p);
    char *fmt = pl_cp_unquote(fw);
    free(fw);
    int rc = 0;
    for (const char *s = fmt; *s && !rc;) {
        if (*s != '%') {
            pl_str_addc(out, *s++);
            continue;
        }
        char spec[64];
        size_t k = 0;
        spec[k++] = *s++;
        while (*s && strchr("0#- +", *s) && k < 40)
            spec[k++] = *s++;
        while (*s >= '0' && *s <= '9' && k < 50)
            spec[k++] = *s++;
        if (*s == '.') {
            spec[k++] = *s++;
            while (*s >= '0' && *s <= '9' && k < 58)
                spec[k++] = *s++;
        }
        while (*s == 'h' || *s == 'l' || *s == 'L' || *s == 'q')
            s++;
        char conv = *s ? *s++ : 0;
        char *w = NULL;
        if (conv && strchr("diuoxX", conv)) {
            w = pl_cp_shift(&p);
            int64_t v;
            if (!int_arg(w, &v)) {
                rc = -1;
                break;
            }
            spec[k++] = 'l';
            spec[k++] = 'l';
            spec[k++] = conv;
            spec[k] = 0;
            pl_str_addf(out, spec, (long long)v);
        } else if (conv == '%')
            pl_str_addc(out, '%');
        else if (conv == 's') {
            w = pl_cp_shift(&p);
            char *u = pl_cp_unquote(w);
            spec[k++] = 's';
            spec[k] = 0;
            pl_str_addf(out, spec, u);
            free(u);
        } else
            rc = -1;
        free(w);
    }
    free(fmt);
    if (rc || *p)
        *err = "syntax error";
    return rc || *p ? -1 : 0;
}

int pl_script_op(pl_element *e, uint64_t *rng, const char *op, const char *args, pl_str *out,
                 const char **err)
{
    static const char *arith_ops[] = {"add", "sub", "min", "max", "mul", "div", "idiv", NULL};
    static const char *cmp_ops[] = {"eq", "ne", "lt", "gt", "le", "ge", NULL};
    for (int i = 0; arith_ops[i]; i++)
        if (!strcmp(op, arith_ops[i]))
            return arith(op, args, out, err);
    for (int i = 0; cmp_ops[i]; i++)
        if (!strcmp(op, cmp_ops[i]))
            return compare(op, args, out, err);
    if (!strcmp(op, "mod") || !strcmp(op, "rem"))
        return modrem(op, args, out, err);
    if (!strcmp(op, "neg") || !strcmp(op, "abs"))
        return negabs(op, args, out, err);
    if (!strcmp(op, "sprintf"))
        return do_sprintf(args, out, err);
    const char *p = args;
    if (!strcmp(op, "first")) {
        char *w = pl_cp_shift(&p);
        pl_str_adds(out, w);
        free(w);
        return 0;
    }
    if (!strcmp(op, "not")) {
        char *t = pl_cp_uncomment(args);
        int v, ok = bool_word(t, &v);
        free(t);
        if (!ok)
            return *err = "syntax error", -1;
        pl_str_adds(out, v ? "false" : "true");
        return 0;
    }
    if (!strcmp(op, "and") || !strcmp(op, "or") || !strcmp(op, "nand") || !strcmp(op, "nor")) {
        int conj = op[0] == 'a' || op[1] == 'a', cur = conj;
        while (cur == conj && *p) {
            char *w = pl_cp_shift(&p);
            int v, ok = bool_word(w, &v);
            free(w);
            if (!ok)
                return *err = "syntax error", -1;
            cur = conj ? cur && v : cur || v;
        }
        if (op[0] == 'n')
            cur = !cur;
        pl_str_adds(out, cur ? "true" : "false");
        return 0;
    }
    if (!strcmp(op, "if")) {
        char *c = pl_cp_shift(&p), *a = pl_cp_shift(&p), *b = pl_cp_shift(&p);
        int v, ok = bool_word(c, &v);
        if (ok)
            pl_str_adds(out, v ? a : b);
        free(c), free(a), free(b);
        return ok ? 0 : (*err = "syntax error", -1);
    }
    if (!strcmp(op, "in")) {
        char *w = pl_cp_shift(&p), *word = pl_cp_unquote(w);
        int ans = 0;
        free(w);
        while (*word && *p && !ans) {
            char *x = pl_cp_shift(&p), *ux = pl_cp_unquote(x);
            ans = !strcmp(word, ux);
            free(x), free(ux);
        }
        free(word);
        pl_str_adds(out, ans ? "true" : "false");
        return 0;
    }
    if (!strcmp(op, "random")) {
        char *a = pl_cp_shift(&p), *b = pl_cp_shift(&p);
        int64_t n1, n2;
        int rc = 0;
        if (!*a)
            pl_str_addf(out, "%u", (unsigned)(pl_rand_next(rng) >> 33));
        else if (!int_arg(a, &n1) || n1 < 0 || (*b && (!int_arg(b, &n2) || n2 < n1)) ||
                 (!*b && n1 == 0))
            rc = -1, *err = "bad N";
        else if (*b)
            pl_str_addf(out, "%lld", (long long)(n1 + pl_rand_below(rng, (uint32_t)(n2 - n1 + 1))));
        else
            pl_str_addf(out, "%u", pl_rand_below(rng, (uint32_t)n1));
        free(a), free(b);
        return rc;
    }
    if (!strcmp(op, "length")) {
        pl_str_addf(out, "%zu", strlen(args));
        return 0;
    }
    if (!strcmp(op, "unquote")) {
        char *u = pl_cp_unquote(args);
        pl_str_adds(out, u);
        free(u);
        return 0;
    }
    if (!strcmp(op, "htons") || !strcmp(op, "ntohs") || !strcmp(op, "htonl") || !strcmp(op, "ntohl")) {
        int64_t x;
        char *t = pl_cp_uncomment(args);
        int ok = int_arg(t, &x);
        free(t);
        if (!ok)
            return *err = "syntax error", -1;
        int shortv = op[4] == 's';
        pl_str_addf(out, "%lld", shortv ? (long long)htons((uint16_t)x)
                                        : (long long)(int32_t)htonl((uint32_t)x));
        return 0;
    }
    if (!strcmp(op, "cat") || !strcmp(op, "catq")) {
        char *f = pl_cp_unquote(args);
        FILE *fp = fopen(f, "rb");
        free(f);
        if (!fp)
            return *err = strerror(errno), -1;
        pl_str text = {0};
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
            pl_str_add(&text, buf, n);
        fclose(fp);
        char *t = pl_str_take(&text);
        if (op[3] == 'q') {
            char *q = pl_cp_quote(t);
            pl_str_adds(out, q);
            free(q);
        } else
            pl_str_adds(out, t);
        free(t);
        return 0;
    }
    if (!strcmp(op, "kill")) {
        static const struct { const char *n; int s; } sigs[] = {
            {"ABRT", SIGABRT}, {"ALRM", SIGALRM}, {"HUP", SIGHUP}, {"INT", SIGINT},
            {"PIPE", SIGPIPE}, {"QUIT", SIGQUIT}, {"TERM", SIGTERM}, {"USR1", SIGUSR1},
            {"USR2", SIGUSR2}, {NULL, 0}};
        char *w = pl_cp_shift(&p);
        int64_t signo = -1;
        for (int i = 0; sigs[i].n; i++)
            if (!strcasecmp(w, sigs[i].n))
                signo = sigs[i].s;
        if (signo < 0 && (!int_arg(w, &signo) || signo > 32))
            signo = -1;
        free(w);
        if (signo < 0)
            return *err = "bad SIGNO", -1;
        while (*p) {
            char *x = pl_cp_shift(&p);
            int64_t pid;
            int ok = int_arg(x, &pid);
            free(x);
            if (!ok)
                return *err = "bad PID", -1;
            if (kill((pid_t)pid, (int)signo))
                return *err = strerror(errno), -1;
        }
        return 0;
    }
    (void)e;
    return 1;                          /* not an operator */
}
