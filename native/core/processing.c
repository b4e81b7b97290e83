/*
 * Push and pull, as Click decides them (click(5) "push and pull";
 * Router::check_push_and_pull and check_hookup_completeness in Click's
 * lib/router.cc): every port is push, pull or agnostic in its class's
 * processing code; agnostic ports take the processing of what they are
 * connected to, and an agnostic input and an agnostic output of the same
 * element that packets can travel between (its flow code) must agree. The
 * personalities spread over the connections until nothing changes; a
 * connection between a push port and a pull port is an error in Click's
 * words. Then a push output and a pull input may be connected once only,
 * and every port an element has must be connected.
 */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pl_decl(const pl_element *el, char *buf, size_t len)
{
    snprintf(buf, len, "%s :: %s", el->name, el->cls->name);
    return buf;
}

/* ---- flow codes ("x/x", "xy/x", "[^x]/..."), as Click's port_flow ---- */

static void skip_code(const char **p)
{
    if (**p != '/' && **p) {
        if (**p == '[') {
            while (**p && **p != ']')
                (*p)++;
            if (**p)
                (*p)++;
        } else
            (*p)++;
    }
}

/* The set of code letters of the port's code (bit k: letter k; '#' = port). */
static void next_code(const char **p, const char *start, int port, uint64_t set[5])
{
    memset(set, 0, sizeof(uint64_t) * 5);
    if ((**p == '/' || !**p) && *p > start) {
        if ((*p)[-1] == ']')
            for (*p -= 2; *p > start && **p != '['; (*p)--)
                ;
        else
            (*p)--;
    }
    int negate = 0;
    const char *q = *p;
    if (*q == '[') {
        q++;
        if (*q == '^')
            negate = 1, q++;
        for (; *q && *q != ']'; q++) {
            if (*q == '#')
                set[4] |= 1ull << (port & 63);
            else
                set[(unsigned char)*q >> 6] |= 1ull << ((unsigned char)*q & 63);
        }
        if (*q)
            q++;
    } else if (*q) {
        if (*q == '#')
            set[4] |= 1ull << (port & 63);
        else
            set[(unsigned char)*q >> 6] |= 1ull << ((unsigned char)*q & 63);
        q++;
    }
    if (negate)
        for (int i = 0; i < 5; i++)
            set[i] = ~set[i];
    *p = q;
}

/* Whether packets can travel between `port` on one side (output if `output`)
 * and port `other` on the other side. */
int pl_flows(const pl_element *el, int output, int port, int other)
{
    const char *f = el->cls->flow;
    if (!f || !strcmp(f, "x/x"))
        return 1;
    const char *in = f, *slash = strchr(f, '/');
    const char *out = slash ? slash + 1 : f;
    const char *mine = output ? out : in, *theirs = output ? in : out;
    const char *p = mine;
    for (int i = 0; i < port; i++)
        skip_code(&p);
    uint64_t a[5], b[5];
    next_code(&p, mine, port, a);
    const char *q = theirs;
    for (int i = 0; i < other; i++)
        skip_code(&q);
    next_code(&q, theirs, other, b);
    /* '#' matches the same port number on the other side only. */
    if (port != other) {
        a[4] = 0;
        b[4] = 0;
    }
    for (int i = 0; i < 5; i++)
        if (a[i] & b[i])
            return 1;
    return 0;
}

/* ---- resolution ---- */

static char code_at(const char *s, int n, int i)
{
    /* Click: the last code repeats; an empty side is agnostic. */
    if (n <= 0)
        return 'a';
    char c = s[i < n ? i : n - 1];
    return c == 'h' || c == 'H' ? 'h' : c == 'l' || c == 'L' ? 'l' : 'a';
}

static void class_modes(const pl_element *el, char *m)
{
    const char *s = el->cls->processing ? el->cls->processing : "a/a";
    const char *slash = strchr(s, '/');
    int ni = slash ? (int)(slash - s) : (int)strlen(s);
    const char *o = slash ? slash + 1 : s;
    int no = (int)strlen(o);
    for (int p = 0; p < el->ninputs; p++)
        m[p] = code_at(s, ni, p);
    for (int p = 0; p < el->noutputs; p++)
        m[el->ninputs + p] = code_at(o, no, p);
}

/* One edge of the spreading: from output (fe, fp) to input (te, tp). */
typedef struct link {
    int fe, fp, te, tp;
    int fake;                 /* inside an agnostic element */
} link;

static int processing_error(pl_element *const *elems, const link *l, char pf, pl_error *err)
{
    char a[160], b[160];
    const char *t1 = pf == 'h' ? "push" : "pull", *t2 = pf == 'h' ? "pull" : "push";
    pl_element *from = elems[l->fe], *to = elems[l->te];
    if (!l->fake)
        pl_seterr(err, PL_ERR_GRAPH, from, "", "'%s' %s output %d connected to '%s' %s input %d",
                  pl_decl(from, a, sizeof a), t1, l->fp, pl_decl(to, b, sizeof b), t2, l->tp);
    else
        pl_seterr(err, PL_ERR_GRAPH, from, "", "agnostic '%s' in mixed context: %s input %d, %s output %d",
                  pl_decl(from, a, sizeof a), t2, l->tp, t1, l->fp);
    return -1;
}

int pl_resolve_processing(pl_element *const *elems, int n, const pl_conn *conns, int nconns,
                          char **pmode, pl_error *err)
{
    int nlinks = nconns;
    for (int i = 0; i < n; i++)
        nlinks += elems[i]->ninputs * elems[i]->noutputs;
    link *links = malloc(sizeof *links * (size_t)(nlinks ? nlinks : 1));
    if (!links)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
    for (int i = 0; i < n; i++) {
        pmode[i] = malloc((size_t)(elems[i]->ninputs + elems[i]->noutputs) + 1);
        if (!pmode[i]) {
            for (int k = 0; k < i; k++)
                free(pmode[k]), pmode[k] = NULL;
            free(links);
            return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
        }
        class_modes(elems[i], pmode[i]);
        pmode[i][elems[i]->ninputs + elems[i]->noutputs] = 0;
    }
    int k = 0;
    for (int c = 0; c < nconns; c++)
        links[k++] = (link){conns[c].from, conns[c].from_port, conns[c].to, conns[c].to_port, 0};
    /* Click's fake connections: agnostic input -> agnostic output it flows to. */
    for (int i = 0; i < n; i++) {
        pl_element *el = elems[i];
        for (int p = 0; p < el->ninputs; p++)
            if (pmode[i][p] == 'a')
                for (int o = 0; o < el->noutputs; o++)
                    if (pmode[i][el->ninputs + o] == 'a' && pl_flows(el, 0, p, o))
                        links[k++] = (link){i, o, i, p, 1};
    }
    int rc = 0;
    for (int changed = 1; changed;) {
        changed = 0;
        for (int c = 0; c < k; c++) {
            link *l = &links[c];
            if (l->fe < 0)
                continue;
            char *pf = &pmode[l->fe][elems[l->fe]->ninputs + l->fp];
            char *pt = &pmode[l->te][l->tp];
            if (*pt == 'a') {
                if (*pf != 'a') {
                    *pt = *pf;
                    changed = 1;
                }
            } else if (*pf == 'a') {
                *pf = *pt;
                changed = 1;
            } else if (*pf != *pt) {
                if (!rc)
                    rc = processing_error(elems, l, *pf, err);
                l->fe = -1;
            }
        }
    }
    free(links);
    if (rc) {
        for (int i = 0; i < n; i++)
            free(pmode[i]), pmode[i] = NULL;
        return rc;
    }
    /* Ports left agnostic (connected to nothing that decides): push, as Click. */
    for (int i = 0; i < n; i++)
        for (char *m = pmode[i]; *m; m++)
            if (*m == 'a')
                *m = 'h';
    return 0;
}

/* A push output or a pull input is used by one connection only; every port
 * below the element's count is connected (Click's wording). */
int pl_check_hookup(pl_element *const *elems, int n, const char *const *pmode, const pl_conn *conns,
                    int nconns, pl_error *err)
{
    char a[160];
    /* Connections per port: base[e] is element e's first input, then its outputs. */
    size_t *base = malloc(((size_t)n + 1) * sizeof *base);
    if (!base)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
    base[0] = 0;
    for (int e = 0; e < n; e++)
        base[e + 1] = base[e] + (size_t)elems[e]->ninputs + (size_t)elems[e]->noutputs;
    int *uses = calloc(base[n] ? base[n] : 1, sizeof *uses);
    if (!uses) {
        free(base);
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
    }
    int rc = 0;
    for (int side = 0; side < 2 && !rc; side++)
        for (int i = 0; i < nconns; i++) {
            int e1 = side ? conns[i].from : conns[i].to;
            int p1 = side ? conns[i].from_port : conns[i].to_port;
            pl_element *el = elems[e1];
            int slot = side ? el->ninputs + p1 : p1;
            if (uses[base[e1] + (size_t)slot]++ == 0)
                continue;
            char m = pmode[e1][slot];
            if ((side && m == 'h') || (!side && m == 'l')) {
                rc = pl_seterr(err, PL_ERR_GRAPH, el, "", "illegal reuse of '%s' %s %d",
                               pl_decl(el, a, sizeof a), side ? "push output" : "pull input", p1);
                break;
            }
        }
    for (int side = 0; side < 2 && !rc; side++)
        for (int e = 0; e < n && !rc; e++) {
            pl_element *el = elems[e];
            int np = side ? el->noutputs : el->ninputs;
            for (int p = 0; p < np; p++)
                if (!uses[base[e] + (size_t)(side ? el->ninputs + p : p)]) {
                    rc = pl_seterr(err, PL_ERR_GRAPH, el, "", "'%s' %s %d unused",
                                   pl_decl(el, a, sizeof a), side ? "output" : "input", p);
                    break;
                }
        }
    free(uses);
    free(base);
    return rc;
}
