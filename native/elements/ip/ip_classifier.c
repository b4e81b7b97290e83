/* IPClassifier: classifies IP packets with tcpdump-like patterns. */
#include "../../lib/ipf.h"

#include <stdlib.h>

typedef struct {
    pl_args patterns;
    ipf_prog prog;
    int npatterns;
} ipc_state;

enum { C_NO_MATCH, C_UNCONNECTED };
static const char *const counters[] = {"no_match", "unconnected", NULL};

static int ipc_configure(pl_element *e, pl_error *err)
{
    ipc_state *s = PL_STATE(e, ipc_state);
    int n = s->patterns.n;
    if (!n)
        return pl_seterr(err, PL_ERR_CONFIG, e, "PATTERN", "give at least one pattern");
    ipf_rule *rules = malloc(sizeof *rules * (size_t)n);
    if (!rules)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (int i = 0; i < n; i++)
        rules[i] = (ipf_rule){s->patterns.v[i], i};
    char msg[400];
    ipf_free(&s->prog);
    int rc = ipf_compile(rules, n, &s->prog, msg, sizeof msg);
    free(rules);
    if (rc)
        return pl_seterr(err, PL_ERR_CONFIG, e, "PATTERN", "%s", msg);
    s->npatterns = n;
    return 0;
}

static int ipc_initialize(pl_element *e, pl_error *err)
{
    int n = PL_STATE(e, ipc_state)->npatterns;
    if (e->noutputs > n)
        return pl_seterr(err, PL_ERR_GRAPH, e, "", "%d outputs connected, but %d pattern%s",
                         e->noutputs, n, n == 1 ? "" : "s");
    return 0;
}

static void ipc_cleanup(pl_element *e) { ipf_free(&PL_STATE(e, ipc_state)->prog); }

static inline int ipc_classify(pl_element *e, pl_packet *p, pl_ctx *ctx, const void *prog)
{
    int out = ipf_match(prog, p);
    if (__builtin_expect(out == IPF_DROP, 0)) {
        pl_drop(ctx, e, C_NO_MATCH, p);
        return -1;
    }
    return out;
}

static void ipc_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_split(e, b, ctx, ipc_classify, &PL_STATE(e, ipc_state)->prog, C_UNCONNECTED);
}

static int read_program(pl_element *e, char *buf, size_t len)
{
    return ipf_unparse(&PL_STATE(e, ipc_state)->prog, buf, len) ? PL_ERR_HANDLER : 0;
}

static const pl_param params[] = {
    {"PATTERN", PL_T_ARGS, offsetof(ipc_state, patterns), "", 0, -1, PL_P_POSITIONAL,
     "one pattern per output, in IPClassifier's tcpdump-like language"},
    {0}};

static const pl_handler handlers[] = {
    {"program", "the compiled decision program (exit [n] = output n)", read_program, NULL},
    {0}};

static const pl_class ip_classifier = {
    .name = "IPClassifier",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "IPClassifier(PATTERN_1, ..., PATTERN_N)\n"
           "Classifies IP packets by contents.\n\n"
           "Sends each packet to the output of the first pattern it matches; packets\n"
           "matching none are dropped. Patterns look at the IP header (the network\n"
           "header annotation, which CheckIPHeader sets, or the packet's start), the\n"
           "transport header after it and the MAC header annotation. Primitives:\n"
           "  [src|dst|src or dst|src and dst] host ADDR | net ADDR/LEN | net ADDR mask M\n"
           "  [src|dst] [tcp|udp] port PORT     ip proto PROTO     ip vers|hl|id|tos|dscp|ttl|len N\n"
           "  ip frag | ip unfrag | ip ect | ip ce     tcp opt syn|fin|ack|rst|psh|urg\n"
           "  tcp win N     icmp type TYPE     ip[POS:LEN] V, transp|tcp|udp|icmp[POS:LEN] V\n"
           "  [src|dst] ether host ETH     true | false | - | any | all\n"
           "with operators == != < > <= >= and '& MASK', combined with and/&&, or/||,\n"
           "not/!, parentheses and 'C ? A : B'; juxtaposition means and. Shorthands:\n"
           "tcp, udp, icmp; www (a port); syn; 10.0.0.0/8; 10.0.0.1; frag; and a bare\n"
           "value repeats the previous primitive ('src port 80 or 443'). Port, type\n"
           "and TCP primitives match first fragments only. The patterns compile once\n"
           "into a decision program (handler program).\n"
           "Counters: no_match, unconnected (drops).\n\n"
           "Example: IPClassifier(tcp dst port www and syn, udp port 53, icmp type echo, -);",
    .state_size = sizeof(ipc_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 2,
    .unused_output_counter = C_UNCONNECTED,
    .configure = ipc_configure,
    .initialize = ipc_initialize,
    .cleanup = ipc_cleanup,
    .push = ipc_push,
};
PL_REGISTER_CLASS(ip_classifier);
