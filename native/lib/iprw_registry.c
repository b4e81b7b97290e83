/* The rewriters' named parts (iprw_registry.h): IPRewriterPatterns' named
 * patterns, IPMapper elements (RoundRobinIPMapper) and the rewriters that
 * other elements (ICMPRewriter, MAPPING_CAPACITY) name. */
#include "iprw_registry.h"
#include "iprw_elem.h"
#include "../core/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- IPRewriterPatterns ---- */

void iprw_patterns_free(iprw_patterns *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->names[i]);
    free(s->names);
    free(s->pats);
    s->names = NULL, s->pats = NULL, s->n = 0;
}

/* One "NAME PATTERN" argument; 1 when it is empty. */
static int patterns_add(pl_element *e, iprw_patterns *s, const char *arg, pl_error *err)
{
    char *copy = strdup(arg), *w[8], *save = NULL, msg[160];
    int nw = 0, rc = 0;
    if (!copy)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (char *t = strtok_r(copy, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save))
        if (nw < 8)
            w[nw++] = t;
        else
            nw = 9;
    if (nw == 0) {
        free(copy);
        return 1;
    }
    for (int k = 0; k < s->n && !rc; k++)
        if (!strcmp(s->names[k], w[0]))
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "PATTERN", "pattern '%s' already defined", w[0]);
    if (!rc && (nw == 2 || nw > 5 ||
                iprw_parse_pattern(w + 1, nw - 1, &s->pats[s->n], msg, sizeof msg)))
        rc = pl_seterr(err, PL_ERR_CONFIG, e, "PATTERN", "pattern '%s': %s", w[0],
                       nw == 2 || nw > 5 ? "syntax error" : msg);
    if (!rc && !(s->names[s->n] = strdup(w[0])))
        rc = pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    if (!rc)
        s->n++;
    free(copy);
    return rc;
}

int iprw_patterns_configure(pl_element *e, iprw_patterns *s, pl_error *err)
{
    iprw_patterns_free(s);
    int n = s->args.n;
    s->names = calloc((size_t)(n ? n : 1), sizeof *s->names);
    s->pats = calloc((size_t)(n ? n : 1), sizeof *s->pats);
    if (!s->names || !s->pats)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (int i = 0; i < n; i++) {
        int rc = patterns_add(e, s, s->args.v[i], err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int iprw_patterns_read(const iprw_patterns *s, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (int k = 0; k < s->n; k++) {
        char p[160];
        iprw_pattern_unparse(&s->pats[k], p, sizeof p);
        int n = snprintf(buf + o, len - o, "%s %s\n", s->names[k], p);
        if (n < 0 || (size_t)n >= len - o)
            return PL_ERR_HANDLER;
        o += (size_t)n;
    }
    return 0;
}

iprw_pattern *iprw_named_pattern(pl_engine *eng, const char *name)
{
    for (int i = 0; i < eng->nelems; i++) {
        pl_element *x = eng->elems[i];
        if (strcmp(x->cls->name, IPRW_PATTERNS_CLASS))
            continue;
        iprw_patterns *s = PL_STATE(x, iprw_patterns);
        for (int k = 0; k < s->n; k++)
            if (!strcmp(s->names[k], name))
                return &s->pats[k];
    }
    return NULL;
}

/* ---- IPMapper elements ---- */

void iprw_mapper_free(iprw_mapper *m)
{
    for (int i = 0; i < m->n; i++)
        free(m->is[i].pat_name);
    free(m->is);
    m->is = NULL, m->n = 0;
}

int iprw_mapper_configure(pl_element *e, iprw_mapper *m, pl_error *err)
{
    iprw_mapper_free(m);
    if (m->args.n == 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "PATTERN", "no patterns given");
    m->is = calloc((size_t)m->args.n, sizeof *m->is);
    if (!m->is)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (int i = 0; i < m->args.n; i++) {
        char spec[512], msg[200];
        snprintf(spec, sizeof spec, "pattern %s", m->args.v[i]);
        if (iprw_parse_input(spec, &m->is[i], msg, sizeof msg)) {
            m->n = i + 1;
            return pl_seterr(err, PL_ERR_CONFIG, e, "PATTERN", "pattern %d: %s", i, msg);
        }
        m->n = i + 1;
    }
    atomic_store(&m->last, 0u);
    return 0;
}

iprw_mapper *iprw_find_mapper(pl_engine *eng, const char *name)
{
    int k = pl_engine_find(eng, name);
    if (k < 0 || strcmp(eng->elems[k]->cls->name, IPRW_MAPPER_CLASS))
        return NULL;
    return PL_STATE(eng->elems[k], iprw_mapper);
}

int iprw_mapper_resolve(pl_element *user, iprw_mapper *m, const char *name, pl_error *err)
{
    for (int i = 0; i < m->n; i++) {
        iprw_input *is = &m->is[i];
        if (is->pat_name && !(is->pat = iprw_named_pattern(user->eng, is->pat_name)))
            return pl_seterr(err, PL_ERR_CONFIG, user, "INPUTSPEC",
                             "%s pattern %d: no such pattern '%s'", name, i, is->pat_name);
        if ((unsigned)is->foutput >= (unsigned)user->noutputs ||
            (unsigned)is->routput >= (unsigned)user->noutputs)
            return pl_seterr(err, PL_ERR_CONFIG, user, "INPUTSPEC",
                             "output port out of range in %s pattern %d", name, i);
    }
    return 0;
}

int iprw_mapper_rewrite(iprw_mapper *m, iprw_input *in, const iprw_fid *fid, iprw_fid *rw,
                        const iprw_table *t, int map)
{
    for (int i = 0; i < m->n; i++) {
        unsigned k = atomic_fetch_add_explicit(&m->last, 1u, memory_order_relaxed) % (unsigned)m->n;
        iprw_input *is = &m->is[k];
        if (iprw_pattern_rewrite(is->pat, fid, rw, t, map) != IPRW_RW_DROP) {
            in->foutput = is->foutput;  /* the flow's outputs, as Click's mapper sets */
            in->routput = is->routput;
            return IPRW_RW_ADDMAP;
        }
    }
    return IPRW_RW_DROP;
}

/* ---- rewriters named by other elements ---- */

pl_element *iprw_find_rewriter(pl_engine *eng, const char *name)
{
    int k = pl_engine_find(eng, name);
    if (k < 0 || eng->elems[k]->cls->push != iprw_push)
        return NULL;
    return eng->elems[k];
}
