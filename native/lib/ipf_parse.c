/*
 * The IPClassifier pattern language: tokens, then a recursive-descent parser
 * into an expression tree (ipf_ast.h) that ipf_prog.c compiles.
 *
 *   expr    := or ['?' expr ':' expr]
 *   or      := and {('or' | '||') and}
 *   and     := not {['and' | '&&'] not}           (juxtaposition is 'and')
 *   not     := ('not' | '!') not | '(' expr ')' | primitive
 */
#include "ipf_ast.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ipf_tokenize(ipf_parser *ps, const char *s)
{
    ps->ntok = 0;
    while (*s) {
        if (isspace((unsigned char)*s)) {
            s++;
            continue;
        }
        if (ps->ntok == IPF_MAX_TOKENS)
            return ipf_error(ps, "pattern too long");
        char *t = ps->tok[ps->ntok];
        size_t n = 0;
        static const char *two[] = {"&&", "||", "==", "!=", "<=", ">=", NULL};
        for (int i = 0; two[i]; i++)
            if (!strncmp(s, two[i], 2))
                n = 2;
        if (!n && strchr("()!?&<>=[]", *s))
            n = 1;
        if (!n)
            while (s[n] && !isspace((unsigned char)s[n]) && !strchr("()!?&|<>=[]", s[n]))
                n++;
        if (!n)
            return ipf_error(ps, "unexpected character '%c'", *s);
        if (n >= IPF_TOKEN_LEN)
            return ipf_error(ps, "word '%.20s...' is too long", s);
        memcpy(t, s, n);
        t[n] = 0;
        s += n;
        ps->ntok++;
    }
    return 0;
}

int ipf_error(ipf_parser *ps, const char *fmt, ...)
{
    if (!ps->err[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err, sizeof ps->err, fmt, ap);
        va_end(ap);
    }
    return -1;
}

const char *ipf_peek(const ipf_parser *ps, int k)
{
    return ps->pos + k < ps->ntok ? ps->tok[ps->pos + k] : "";
}

static int is(const ipf_parser *ps, const char *w) { return !strcasecmp(ipf_peek(ps, 0), w); }

ipf_node *ipf_new(ipf_parser *ps, int kind, ipf_node *a, ipf_node *b)
{
    if (ps->nnodes == IPF_MAX_NODES) {
        ipf_error(ps, "pattern too complex");
        return NULL;
    }
    ipf_node *n = &ps->nodes[ps->nnodes++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->a = a;
    n->b = b;
    return n;
}

static ipf_node *expr(ipf_parser *ps);

/* Can the token start a primitive or a parenthesized/negated term? */
static int starts_term(const ipf_parser *ps)
{
    const char *t = ipf_peek(ps, 0);
    return *t && strcmp(t, ")") && strcmp(t, "?") && strcmp(t, ":") && strcmp(t, "||") &&
           strcasecmp(t, "or") && strcmp(t, "&&") && strcasecmp(t, "and") && strcmp(t, "]");
}

static ipf_node *notexpr(ipf_parser *ps)
{
    if (is(ps, "not") || is(ps, "!")) {
        ps->pos++;
        ipf_node *a = notexpr(ps);
        return a ? ipf_new(ps, IPF_N_NOT, a, NULL) : NULL;
    }
    if (is(ps, "(")) {
        ps->pos++;
        ipf_node *a = expr(ps);
        if (!a)
            return NULL;
        if (!is(ps, ")"))
            return ipf_error(ps, "expected ')' before '%s'", *ipf_peek(ps, 0) ? ipf_peek(ps, 0)
                             : "end"), NULL;
        ps->pos++;
        return a;
    }
    if (!starts_term(ps)) {
        ipf_error(ps, *ipf_peek(ps, 0) ? "expected a primitive before '%s'"
                                       : "expected a primitive at end of pattern",
                  ipf_peek(ps, 0));
        return NULL;
    }
    return ipf_primitive(ps);
}

static ipf_node *andexpr(ipf_parser *ps)
{
    ipf_node *a = notexpr(ps);
    while (a) {
        if (is(ps, "and") || is(ps, "&&"))
            ps->pos++;
        else if (!starts_term(ps))
            break;
        ipf_node *b = notexpr(ps);
        a = b ? ipf_new(ps, IPF_N_AND, a, b) : NULL;
    }
    return a;
}

static ipf_node *orexpr(ipf_parser *ps)
{
    ipf_node *a = andexpr(ps);
    while (a && (is(ps, "or") || is(ps, "||"))) {
        ps->pos++;
        ipf_node *b = andexpr(ps);
        a = b ? ipf_new(ps, IPF_N_OR, a, b) : NULL;
    }
    return a;
}

static ipf_node *expr(ipf_parser *ps)
{
    ipf_node *c = orexpr(ps);
    if (!c || !is(ps, "?"))
        return c;
    ps->pos++;
    ipf_node *a = expr(ps);
    if (!a)
        return NULL;
    if (!is(ps, ":"))
        return ipf_error(ps, "expected ':' in 'COND ? A : B' (surround it with spaces)"), NULL;
    ps->pos++;
    ipf_node *b = expr(ps);
    if (!b)
        return NULL;
    ipf_node *n = ipf_new(ps, IPF_N_COND, a, b);
    if (n)
        n->c = c;
    return n;
}

ipf_node *ipf_parse(ipf_parser *ps, const char *pattern)
{
    memset(ps, 0, sizeof *ps);
    ps->prev.type = -1;
    if (ipf_tokenize(ps, pattern))
        return NULL;
    if (ps->ntok == 0)
        return ipf_error(ps, "empty pattern (use '-' to match every packet)"), NULL;
    ipf_node *n = expr(ps);
    if (n && ps->pos < ps->ntok)
        return ipf_error(ps, "unexpected '%s'", ipf_peek(ps, 0)), NULL;
    return n;
}
