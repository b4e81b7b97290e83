/* RoundRobinIPMapper: an IPMapper giving rewriters its patterns in turn (Click's). */
#include "../../lib/iprw_registry.h"

#include <stdio.h>

static int rr_configure(pl_element *e, pl_error *err)
{
    return iprw_mapper_configure(e, PL_STATE(e, iprw_mapper), err);
}
static void rr_cleanup(pl_element *e) { iprw_mapper_free(PL_STATE(e, iprw_mapper)); }

static int read_patterns(pl_element *e, char *buf, size_t len)
{
    iprw_mapper *m = PL_STATE(e, iprw_mapper);
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < m->n; i++) {
        char p[160] = "";
        if (m->is[i].pat)
            iprw_pattern_unparse(m->is[i].pat, p, sizeof p);
        else
            snprintf(p, sizeof p, "%s", m->is[i].pat_name ? m->is[i].pat_name : "");
        int n = snprintf(buf + o, len - o, "%s %d %d\n", p, m->is[i].foutput, m->is[i].routput);
        if (n < 0 || (size_t)n >= len - o)
            return PL_ERR_HANDLER;
        o += (size_t)n;
    }
    return 0;
}

static const pl_param params[] = {
    {"PATTERN", PL_T_ARGS, offsetof(iprw_mapper, args), "", 0, -1, PL_P_POSITIONAL,
     "SADDR SPORT DADDR DPORT FOUTPUT ROUTPUT (or NAME FOUTPUT ROUTPUT), one a pattern"},
    {0}};

static const pl_handler handlers[] = {
    {"patterns", "the patterns, one a line, with their outputs", read_patterns, NULL, PL_H_CALM},
    {0}};

static const pl_class round_robin_ip_mapper = {
    .name = IPRW_MAPPER_CLASS,
    .ports = "0/0",
    .processing = "a/a",
    .doc = "RoundRobinIPMapper(PATTERN1, ..., PATTERNn)\n"
           "Gives rewriters' new flows its patterns in turn (an IPMapper).\n\n"
           "Click's RoundRobinIPMapper. Each argument is a pattern with its outputs, as an\n"
           "IPRewriter 'pattern' input spec without the word: SADDR SPORT DADDR DPORT\n"
           "FOUTPUT ROUTPUT, or NAME FOUTPUT ROUTPUT for an IPRewriterPatterns pattern. A\n"
           "rewriter input spec that is this element's name maps each new flow by the next\n"
           "pattern in turn (a pattern that cannot map the flow is passed over); the flow\n"
           "leaves on that pattern's FOUTPUT and its replies on ROUTPUT. Rewriters sharing\n"
           "the element share the turn. Outputs are checked against each rewriter using\n"
           "the element at initialize ('output port out of range').\n"
           "Handlers: patterns.\n\n"
           "Example (load balancing):\n"
           "  r :: RoundRobinIPMapper(- - 10.0.0.1 - 0 1, - - 10.0.0.2 - 0 1);\n"
           "  rw :: IPRewriter(r, drop);",
    .state_size = sizeof(iprw_mapper),
    .params = params,
    .handlers = handlers,
    .configure = rr_configure,
    .cleanup = rr_cleanup,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(round_robin_ip_mapper);
