/* IPRewriterPatterns: names rewriter patterns for IPRewriter's input specs. */
#include "../../lib/iprw_registry.h"

static int rp_configure(pl_element *e, pl_error *err)
{
    return iprw_patterns_configure(e, PL_STATE(e, iprw_patterns), err);
}
static void rp_cleanup(pl_element *e) { iprw_patterns_free(PL_STATE(e, iprw_patterns)); }
static int read_patterns(pl_element *e, char *buf, size_t len)
{
    return iprw_patterns_read(PL_STATE(e, iprw_patterns), buf, len);
}

static const pl_param params[] = {
    {"PATTERN", PL_T_ARGS, offsetof(iprw_patterns, args), "", 0, -1, PL_P_POSITIONAL,
     "NAME SADDR SPORT DADDR DPORT (or NAME SADDR DADDR), one a pattern"},
    {0}};

static const pl_handler handlers[] = {
    {"patterns", "the patterns, one a line: NAME PATTERN", read_patterns, NULL, PL_H_CALM},
    {0}};

static const pl_class ip_rewriter_patterns = {
    .name = IPRW_PATTERNS_CLASS,
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
    .state_size = sizeof(iprw_patterns),
    .params = params,
    .handlers = handlers,
    .configure = rp_configure,
    .cleanup = rp_cleanup,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(ip_rewriter_patterns);
