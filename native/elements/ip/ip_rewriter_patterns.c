/* IPRewriterPatterns: names rewriter patterns for IPRewriter's input specs. */
#include "../../core/engine.h"
#include "../../lib/iprw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    pl_args args;
    int n;
    char **names;
    iprw_pattern *pats;
} rp_state;

static const pl_class ip_rewriter_patterns;

static void rp_free(rp_state *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->names[i]);
    free(s->names);
    free(s->pats);
    s->names = NULL, s->pats = NULL, s->n = 0;
}

static int rp_configure(pl_element *e, pl_error *err)
{
    rp_state *s = PL_STATE(e, rp_state);
    rp_free(s);
    int n = s->args.n;
    s->names = calloc((size_t)(n ? n : 1), sizeof *s->names);
    s->pats = calloc((size_t)(n ? n : 1), sizeof *s->pats);
    if (!s->names || !s->pats)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (int i = 0; i < n; i++) {
        char *copy = strdup(s->args.v[i]), *w[8], *save = NULL, msg[160];
        int nw = 0;
        if (!copy)
            return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
        for (char *t = strtok_r(copy, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save))
            if (nw < 8)
                w[nw++] = t;
            else
                nw = 9;
        int rc = 0;
        if (nw == 0) {
            free(copy);
            continue;
        }
        for (int k = 0; k < s->n && !rc; k++)
            if (!strcmp(s->names[k], w[0]))
                rc = pl_seterr(err, PL_ERR_CONFIG, e, "PATTERN", "pattern '%s' already defined",
                               w[0]);
        if (!rc && (nw == 2 || nw > 5 ||
                    iprw_parse_pattern(w + 1, nw - 1, &s->pats[s->n], msg, sizeof msg)))
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "PATTERN", "pattern '%s': %s", w[0],
                           nw == 2 || nw > 5 ? "syntax error" : msg);
        if (!rc && !(s->names[s->n] = strdup(w[0])))
            rc = pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
        if (!rc)
            s->n++;
        free(copy);
        if (rc)
            return rc;
    }
    return 0;
}

static void rp_cleanup(pl_element *e) { rp_free(PL_STATE(e, rp_state)); }

iprw_pattern *iprw_named_pattern(pl_engine *eng, const char *name)
{
    for (int i = 0; i < eng->nelems; i++) {
        pl_element *x = eng->elems[i];
        if (x->cls != &ip_rewriter_patterns)
            continue;
        rp_state *s = PL_STATE(x, rp_state);
        for (int k = 0; k < s->n; k++)
            if (!strcmp(s->names[k], name))
                return &s->pats[k];
    }
    return NULL;
}

static int read_patterns(pl_element *e, char *buf, size_t len)
{
    rp_state *s = PL_STATE(e, rp_state);
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

static const pl_param params[] = {
    {"PATTERN", PL_T_ARGS, offsetof(rp_state, args), "", 0, -1, PL_P_POSITIONAL,
     "NAME SADDR SPORT DADDR DPORT (or NAME SADDR DADDR), one a pattern"},
    {0}};

static const pl_handler handlers[] = {
    {"patterns", "the patterns, one a line: NAME PATTERN", read_patterns, NULL, PL_H_CALM},
    {0}};

static const pl_class ip_rewriter_patterns = {
    .name = "IPRewriterPatterns",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "IPRewriterPatterns(NAME PATTERN, ...)\n"
           "Names patterns for IPRewriter's input specs.\n\n"
           "Click's IPRewriterPatterns. Each argument is a name and a pattern of\n"
           "IPRewriter's syntax (SADDR SPORT DADDR DPORT, or SADDR DADDR for\n"
           "IPAddrRewriter); a rewriter's input spec 'pattern NAME FOUTPUT ROUTPUT' uses\n"
           "it. Rewriters sharing a pattern share its sequential position ('#'), as in\n"
           "Click. Names are global to the configuration (Click scopes them by compound).\n"
           "Handlers: patterns.\n\n"
           "Example: IPRewriterPatterns(to_world 10.0.0.1 50000-65535# - -);\n"
           "  rw :: IPRewriter(pattern to_world 0 1, drop);",
    .state_size = sizeof(rp_state),
    .params = params,
    .handlers = handlers,
    .configure = rp_configure,
    .cleanup = rp_cleanup,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(ip_rewriter_patterns);
