/* Classifier: sends packets to the output of the first pattern they match. */
#include "../../core/element.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Patterns compile, once, into a program of 8-byte masked compares with
 * three exits each (match, mismatch, packet too short), as Click's decision
 * tree. Exits are steps (>= 0) or outputs (-1 - port). A failed clause skips
 * every later pattern that contains the same clause.
 */
#define MAX_CLAUSE 128             /* bytes in one clause's value */
#define MAX_CLAUSES 64             /* clauses in one pattern */

typedef struct {
    uint32_t need, off;            /* packet length needed; offset of the 8 bytes */
    uint64_t mask, value;          /* value is pre-masked */
    int32_t yes, no, shrt;
} cl_step;

typedef struct {
    uint32_t off, n;
    int neg;
    uint8_t val[MAX_CLAUSE], msk[MAX_CLAUSE];
} cl_clause;

typedef struct {
    int n, never;                  /* never: has a negated match-all clause */
    cl_clause c[MAX_CLAUSES];
} cl_pattern;

typedef struct {
    pl_args patterns;
    cl_step *prog;
    int nsteps, npatterns;
    int32_t start;
} cl_state;

enum { C_NO_MATCH, C_UNCONNECTED };
static const char *const counters[] = {"no_match", "unconnected", NULL};

static int hexdigit(int c)
{
    return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

/* "[!]OFFSET/VALUE[%MASK]": 0, or -1 with *why set. */
static int parse_clause(const char *s, const char *end, cl_clause *c, const char **why)
{
    memset(c, 0, sizeof *c);
    if (s < end && *s == '!')
        c->neg = 1, s++;
    char *slash;
    unsigned long off = strtoul(s, &slash, 10);
    if (slash == s || !isdigit((unsigned char)*s) || slash >= end || *slash != '/' || off > 65535)
        return *why = "expected OFFSET/VALUE", -1;
    const char *v = slash + 1, *pct = v;
    while (pct < end && *pct != '%')
        pct++;
    size_t nv = (size_t)(pct - v);
    if (!nv || nv % 2)
        return *why = "VALUE needs an even number of hex digits", -1;
    if (nv / 2 > MAX_CLAUSE)
        return *why = "VALUE is longer than 128 bytes", -1;
    const char *m = pct < end ? pct + 1 : NULL;
    if (m && (size_t)(end - m) != nv)
        return *why = "MASK must have as many hex digits as VALUE", -1;
    for (size_t i = 0; i < nv; i++) {
        int dv = v[i] == '?' ? 0 : hexdigit((unsigned char)v[i]);
        int dm = v[i] == '?' ? 0 : 15;
        if (dv < 0)
            return *why = "VALUE must be hex digits or '?'", -1;
        if (m) {
            int x = hexdigit((unsigned char)m[i]);
            if (x < 0)
                return *why = "MASK must be hex digits", -1;
            dm &= x;
        }
        int sh = i % 2 ? 0 : 4;
        c->val[i / 2] |= (uint8_t)((dv & dm) << sh);
        c->msk[i / 2] |= (uint8_t)(dm << sh);
    }
    /* Trim wildcard bytes at both ends: they need no packet bytes. */
    size_t lo = 0, hi = nv / 2;
    while (lo < hi && !c->msk[lo])
        lo++;
    while (hi > lo && !c->msk[hi - 1])
        hi--;
    c->n = (uint32_t)(hi - lo);
    c->off = (uint32_t)(off + lo);
    memmove(c->val, c->val + lo, c->n);
    memmove(c->msk, c->msk + lo, c->n);
    memset(c->val + c->n, 0, MAX_CLAUSE - c->n);
    memset(c->msk + c->n, 0, MAX_CLAUSE - c->n);
    return 0;
}

static int parse_pattern(const char *s, cl_pattern *p, const char **why)
{
    p->n = p->never = 0;
    const char *t = s;
    while (isspace((unsigned char)*t))
        t++;
    if (!*t)
        return *why = "empty pattern (use '-' to match every packet)", -1;
    while (*s) {
        while (isspace((unsigned char)*s))
            s++;
        const char *e = s;
        while (*e && !isspace((unsigned char)*e))
            e++;
        if (e == s)
            break;
        if (e - s == 1 && *s == '-') {
            s = e;
            continue;
        }
        cl_clause c;
        if (parse_clause(s, e, &c, why))
            return -1;
        s = e;
        if (!c.n) {                /* matches any packet */
            p->never |= c.neg;
            continue;
        }
        int dup = 0;
        for (int i = 0; i < p->n && !dup; i++)
            dup = !memcmp(&p->c[i], &c, sizeof c);
        if (dup)
            continue;
        if (p->n == MAX_CLAUSES)
            return *why = "more than 64 clauses", -1;
        p->c[p->n++] = c;
    }
    return 0;
}

static int nchunks(const cl_clause *c) { return (int)((c->n + 7) / 8); }

static int has_clause(const cl_pattern *p, const cl_clause *c)
{
    for (int i = 0; i < p->n; i++)
        if (!memcmp(&p->c[i], c, sizeof *c))
            return 1;
    return 0;
}

static int compile(cl_state *s, cl_pattern *pats, int np)
{
    int32_t *base = calloc((size_t)np + 1, sizeof *base);
    int32_t *start = calloc((size_t)np + 1, sizeof *start);
    int n = 0;
    for (int i = 0; i < np; i++) {
        base[i] = n;
        for (int k = 0; k < pats[i].n; k++)
            n += nchunks(&pats[i].c[k]);
    }
    s->prog = calloc((size_t)n + 1, sizeof *s->prog);
    if (!base || !start || !s->prog) {
        free(base), free(start);
        return -1;
    }
    start[np] = -1 - np;           /* no pattern matched */
    for (int i = np - 1; i >= 0; i--)
        start[i] = pats[i].never ? start[i + 1] : pats[i].n ? base[i] : -1 - i;
    for (int i = 0; i < np; i++) {
        int32_t step = base[i];
        for (int k = 0; k < pats[i].n; k++) {
            const cl_clause *c = &pats[i].c[k];
            int j = i + 1;
            while (j < np && has_clause(&pats[j], c))
                j++;
            int32_t fail = start[j], chunks = nchunks(c);
            int32_t after = k + 1 < pats[i].n ? step + chunks : -1 - i;
            for (int q = 0; q < chunks; q++, step++) {
                cl_step *x = &s->prog[step];
                x->need = c->off + c->n;
                x->off = c->off + 8 * (uint32_t)q;
                memcpy(&x->mask, c->msk + 8 * q, 8);
                memcpy(&x->value, c->val + 8 * q, 8);
                int32_t next = q + 1 < chunks ? step + 1 : after;
                x->shrt = fail;
                /* !clause: true as soon as one chunk differs. */
                x->yes = c->neg ? (q + 1 < chunks ? step + 1 : fail) : next;
                x->no = c->neg ? after : fail;
            }
        }
    }
    s->nsteps = n;
    s->start = start[0];
    free(base), free(start);
    return 0;
}

static int cl_configure(pl_element *e, pl_error *err)
{
    cl_state *s = PL_STATE(e, cl_state);
    int np = s->patterns.n;
    cl_pattern *pats = malloc(sizeof *pats * (size_t)(np ? np : 1));
    if (!pats)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (int i = 0; i < np; i++) {
        const char *why = NULL;
        if (parse_pattern(s->patterns.v[i], &pats[i], &why)) {
            free(pats);
            return pl_seterr(err, PL_ERR_CONFIG, e, "PATTERN", "pattern %d '%s': %s", i,
                             s->patterns.v[i], why);
        }
    }
    free(s->prog);
    int rc = compile(s, pats, np);
    free(pats);
    if (rc)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    s->npatterns = np;
    return 0;
}

static int cl_initialize(pl_element *e, pl_error *err)
{
    int np = PL_STATE(e, cl_state)->npatterns;
    if (e->noutputs > np)
        return pl_seterr(err, PL_ERR_GRAPH, e, "", "%d outputs connected, but %d pattern%s",
                         e->noutputs, np, np == 1 ? "" : "s");
    return 0;
}

static void cl_cleanup(pl_element *e) { free(PL_STATE(e, cl_state)->prog); }

static int cl_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    const cl_state *s = PL_STATE(e, cl_state);
    const uint8_t *d = p->data;
    uint32_t len = p->len;
    int32_t t = s->start;
    while (t >= 0) {
        const cl_step *x = &s->prog[t];
        if (x->need > len) {
            t = x->shrt;
            continue;
        }
        uint64_t w = 0;
        memcpy(&w, d + x->off, len - x->off >= 8 ? 8 : len - x->off);
        t = (w & x->mask) == x->value ? x->yes : x->no;
    }
    int out = -1 - t;
    if (out == s->npatterns) {
        pl_drop(ctx, e, C_NO_MATCH, p);
        return -1;
    }
    return out;
}

/* An exit as the program handler shows it: "step 3" or "[2]" (an output). */
static void exit_name(char *out, size_t n, int32_t t)
{
    if (t >= 0)
        snprintf(out, n, "step %d", t);
    else
        snprintf(out, n, "[%d]", -1 - t);
}

static int read_program(pl_element *e, char *buf, size_t len)
{
    const cl_state *s = PL_STATE(e, cl_state);
    size_t k = 0;
    char t[3][16], line[192];
    for (int i = 0; i < s->nsteps; i++) {
        const cl_step *x = &s->prog[i];
        exit_name(t[0], 16, x->yes), exit_name(t[1], 16, x->no), exit_name(t[2], 16, x->shrt);
        uint8_t vm[16];
        memcpy(vm, &x->value, 8), memcpy(vm + 8, &x->mask, 8);
        size_t w = (size_t)snprintf(line, sizeof line, "%3d  %u/", i, x->off);
        for (int j = 0; j < 16; j++)     /* fits: the line is at most ~140 bytes */
            w += (size_t)snprintf(line + w, sizeof line - w, "%s%02x", j == 8 ? "%" : "", vm[j]);
        w += (size_t)snprintf(line + w, sizeof line - w, "  yes->%s  no->%s  short->%s\n", t[0],
                              t[1], t[2]);
        if (k + w + 1 > len)
            return PL_ERR_HANDLER;
        memcpy(buf + k, line, w + 1);
        k += w;
    }
    exit_name(t[0], 16, s->start);
    return pl_fmt(buf + k, len - k, "start: %s\n", t[0]);
}

static const pl_param params[] = {
    {"PATTERN", PL_T_ARGS, offsetof(cl_state, patterns), "", 0, -1, PL_P_POSITIONAL,
     "one per output: clauses OFFSET/VALUE[%MASK], optionally negated with '!', "
     "all of which must hold; '-' matches every packet"},
    {0}};

static const pl_handler handlers[] = {
    {"program", "the compiled decision program (output [n] = no match)", read_program, NULL},
    {0}};

static const pl_class classifier = {
    .name = "Classifier",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "Classifier(PATTERN_1, ..., PATTERN_N)\n"
           "Classifies packets by contents.\n\n"
           "Sends each packet to output i of the first PATTERN_i it matches. A pattern\n"
           "is clauses separated by spaces, all of which must hold: OFFSET/VALUE\n"
           "compares the bytes at decimal OFFSET with hex VALUE ('?' is a wildcard\n"
           "nibble), OFFSET/VALUE%MASK compares under a hex MASK, !CLAUSE negates. '-'\n"
           "matches every packet. A packet too short for a clause fails it, negated or\n"
           "not. Patterns are compiled once into a decision program (handler program).\n"
           "Packets that match no pattern, or whose output is not connected, are\n"
           "dropped. Counters: no_match, unconnected (both drops).\n\n"
           "Example: c :: Classifier(12/0806 20/0001, 12/0800, -);\n"
           "         c[0] -> ARPResponder(...); c[1] -> Strip(14) -> ...; c[2] -> Discard;",
    .state_size = sizeof(cl_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 2,
    .unused_output_counter = C_UNCONNECTED,
    .configure = cl_configure,
    .initialize = cl_initialize,
    .cleanup = cl_cleanup,
    .classify = cl_classify,
};
PL_REGISTER_CLASS(classifier);
