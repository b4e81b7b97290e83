/* IPFilter: filters IP packets by ACTION PATTERN rules. */
#include "../../lib/ipf.h"

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>

typedef struct {
    uint8_t caching;
    pl_args rules;
    ipf_prog prog;
    int maxport;
} ipfl_state;

enum { C_DROPPED, C_UNCONNECTED };
static const char *const counters[] = {"dropped", "unconnected", NULL};

static int ipfl_configure(pl_element *e, pl_error *err)
{
    ipfl_state *s = PL_STATE(e, ipfl_state);
    int n = s->rules.n;
    if (!n)
        return pl_seterr(err, PL_ERR_CONFIG, e, "RULE", "give at least one 'ACTION PATTERN' rule");
    ipf_rule *rules = malloc(sizeof *rules * (size_t)n);
    if (!rules)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    s->maxport = 0;
    for (int i = 0; i < n; i++) {
        const char *r = s->rules.v[i];
        size_t k = 0;
        while (r[k] && !isspace((unsigned char)r[k]))
            k++;
        const char *pat = r + k;
        while (isspace((unsigned char)*pat))
            pat++;
        int out;
        char *end;
        long port = strtol(r, &end, 10);
        if (k == 5 && !strncasecmp(r, "allow", 5))
            out = 0;
        else if ((k == 4 && !strncasecmp(r, "deny", 4)) || (k == 4 && !strncasecmp(r, "drop", 4)))
            out = IPF_DROP;
        else if (end == r + k && k && port >= 0 && port < PL_MAX_PORTS)
            out = (int)port;
        else {
            free(rules);
            return pl_seterr(err, PL_ERR_CONFIG, e, "RULE", "rule %d '%s': the action must be "
                             "allow, deny, drop or an output number", i, r);
        }
        if (!*pat) {
            free(rules);
            return pl_seterr(err, PL_ERR_CONFIG, e, "RULE", "rule %d '%s': no pattern after the "
                             "action (use 'all')", i, r);
        }
        if (out != IPF_DROP && out > s->maxport)
            s->maxport = out;
        rules[i] = (ipf_rule){pat, out};
    }
    char msg[400];
    ipf_free(&s->prog);
    int rc = ipf_compile(rules, n, &s->prog, msg, sizeof msg);
    free(rules);
    if (rc)
        return pl_seterr(err, PL_ERR_CONFIG, e, "RULE", "%s", msg);
    return 0;
}

static void ipfl_cleanup(pl_element *e) { ipf_free(&PL_STATE(e, ipfl_state)->prog); }

static inline int ipfl_classify(pl_element *e, pl_packet *p, pl_ctx *ctx, const void *prog)
{
    int out = ipf_match(prog, p);
    if (out == IPF_DROP) {
        pl_drop(ctx, e, C_DROPPED, p);
        return -1;
    }
    return out;
}

static void ipfl_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_split(e, b, ctx, ipfl_classify, &PL_STATE(e, ipfl_state)->prog, C_UNCONNECTED);
}

static int read_program(pl_element *e, char *buf, size_t len)
{
    return ipf_unparse(&PL_STATE(e, ipfl_state)->prog, buf, len) ? PL_ERR_HANDLER : 0;
}

static const pl_param params[] = {
    {"CACHING", PL_T_BOOL, offsetof(ipfl_state, caching), "false", 0, -1, 0,
     "accepted for FastClick compatibility; the program needs no cache"},
    {"RULE", PL_T_ARGS, offsetof(ipfl_state, rules), "", 0, -1, PL_P_POSITIONAL,
     "'ACTION PATTERN': ACTION is allow (output 0), deny or drop, or an output number"},
    {0}};

static const pl_handler handlers[] = {
    {"program", "the compiled decision program (exit [n] = output n)", read_program, NULL},
    {0}};

static const pl_class ip_filter = {
    .name = "IPFilter",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "IPFilter(ACTION_1 PATTERN_1, ..., ACTION_N PATTERN_N)\n"
           "Filters IP packets by contents.\n\n"
           "Packets are tested against the rules in order and handled by the first\n"
           "that matches: ACTION allow sends them to output 0, a number to that output,\n"
           "deny or drop drops them; packets matching no rule are dropped. PATTERNs are\n"
           "IPClassifier's (see its manual). The rules compile once into a decision\n"
           "program (handler program).\n"
           "Counters: dropped (deny rules and no match), unconnected; drops.\n\n"
           "Example: IPFilter(allow src net 10.0.0.0/8 && tcp dst port 22, deny all);",
    .state_size = sizeof(ipfl_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 2,
    .unused_output_counter = C_UNCONNECTED,
    .configure = ipfl_configure,
    .cleanup = ipfl_cleanup,
    .push = ipfl_push,
};
PL_REGISTER_CLASS(ip_filter);
