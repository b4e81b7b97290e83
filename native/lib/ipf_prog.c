/*
 * Expression trees to decision programs: compile(e, yes, no) emits the tests
 * of e so that a packet reaches `yes` when e holds and `no` otherwise
 * (AND/OR/NOT/?: become jumps; nothing is evaluated twice on a path). Rules
 * compile from the last: rule i's `no` is rule i+1's start. Identical steps
 * are merged, so the program is a DAG, not a tree that could blow up.
 */
#include "ipf_ast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int32_t emit(ipf_prog *pr, const ipf_test *t, int32_t yes, int32_t no)
{
    if (yes == no)
        return yes;
    for (int i = 0; i < pr->n; i++) {
        const ipf_step *s = &pr->steps[i];
        if (s->yes == yes && s->no == no && !memcmp(&s->t, t, sizeof *t))
            return i;
    }
    if (pr->n == pr->cap) {
        int cap = pr->cap ? pr->cap * 2 : 16;
        ipf_step *v = realloc(pr->steps, sizeof *v * (size_t)cap);
        if (!v)
            return INT32_MIN;
        pr->steps = v;
        pr->cap = cap;
    }
    pr->steps[pr->n] = (ipf_step){*t, yes, no};
    return pr->n++;
}

static int32_t gen(ipf_prog *pr, const ipf_node *n, int32_t yes, int32_t no)
{
    int32_t x, y;
    switch (n->kind) {
    case IPF_N_TRUE: return yes;
    case IPF_N_FALSE: return no;
    case IPF_N_TEST: return emit(pr, &n->t, yes, no);
    case IPF_N_NOT: return gen(pr, n->a, no, yes);
    case IPF_N_AND:
        x = gen(pr, n->b, yes, no);
        return x == INT32_MIN ? x : gen(pr, n->a, x, no);
    case IPF_N_OR:
        x = gen(pr, n->b, yes, no);
        return x == INT32_MIN ? x : gen(pr, n->a, yes, x);
    case IPF_N_COND:
        x = gen(pr, n->a, yes, no);
        y = gen(pr, n->b, yes, no);
        return x == INT32_MIN || y == INT32_MIN ? INT32_MIN : gen(pr, n->c, x, y);
    }
    return INT32_MIN;
}

int ipf_compile(const ipf_rule *rules, int n, ipf_prog *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    ipf_parser *ps = malloc(sizeof *ps);
    if (!ps)
        return snprintf(err, errlen, "out of memory"), -1;
    int32_t next = -1 - IPF_DROP;
    for (int i = n - 1; i >= 0; i--) {
        ipf_node *tree = ipf_parse(ps, rules[i].pattern);
        if (!tree) {
            snprintf(err, errlen, "pattern %d '%s': %s", i, rules[i].pattern, ps->err);
            free(ps);
            ipf_free(out);
            return -1;
        }
        next = gen(out, tree, -1 - rules[i].output, next);
        if (next == INT32_MIN) {
            snprintf(err, errlen, "out of memory");
            free(ps);
            ipf_free(out);
            return -1;
        }
    }
    free(ps);
    out->start = next;
    return 0;
}

void ipf_free(ipf_prog *p)
{
    free(p->steps);
    p->steps = NULL;
    p->n = p->cap = 0;
}

static void exit_name(char *b, size_t n, int32_t t)
{
    if (t >= 0)
        snprintf(b, n, "step %d", t);
    else if (-1 - t == IPF_DROP)
        snprintf(b, n, "drop");
    else
        snprintf(b, n, "[%d]", -1 - t);
}

int ipf_unparse(const ipf_prog *p, char *buf, size_t len)
{
    static const char *bases[] = {"ip", "transp", "ether"};
    static const char *ops[] = {"==", ">", "<", "!=", ">=", "<="};
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < p->n; i++) {
        const ipf_step *s = &p->steps[i];
        char y[16], no[16];
        exit_name(y, sizeof y, s->yes);
        exit_name(no, sizeof no, s->no);
        int w = snprintf(buf + k, len - k, "%3d  %s[%u:%u] & 0x%x %s 0x%x  yes->%s  no->%s\n", i,
                         bases[s->t.base], s->t.off, s->t.len, s->t.mask, ops[s->t.op],
                         s->t.value, y, no);
        if (w < 0 || (size_t)w >= len - k)
            return -1;
        k += (size_t)w;
    }
    char st[16];
    exit_name(st, sizeof st, p->start);
    int w = snprintf(buf + k, len - k, "start: %s\n", st);
    return w < 0 || (size_t)w >= len - k ? -1 : 0;
}
