/*
 * IPClassifier primitives: "[src|dst [or|and dst|src]] [ether] [ip|tcp|udp|icmp]
 * TYPE [& MASK] [OP] VALUE", their abbreviations (tcp, www, syn, 10.0.0.0/8,
 * frag, 10.0.0.1) and the reuse of the previous primitive by a bare value
 * ("src port 80 or 81"). Each becomes a small tree of tests.
 */
#include "ipf_ast.h"

#include "../core/args.h"
#include "iputil.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* IP header fields: name, offset, bytes, mask, shift, largest value. */
const struct ipf_field ipf_fields[] = {
    {"vers", 0, 1, 0xf0, 4, 15}, {"hl", 0, 1, 0x0f, 0, 15}, {"tos", 1, 1, 0xff, 0, 255},
    {"dscp", 1, 1, 0xfc, 2, 63}, {"len", 2, 2, 0xffff, 0, 65535},
    {"id", 4, 2, 0xffff, 0, 65535}, {"ttl", 8, 1, 0xff, 0, 255},
    {"sum", 10, 2, 0xffff, 0, 65535}, {"csum", 10, 2, 0xffff, 0, 65535}, {NULL, 0, 0, 0, 0, 0}};

static int is(const ipf_parser *ps, int k, const char *w) { return !strcasecmp(ipf_peek(ps, k), w); }

static int parse_num(const char *s, uint32_t *out)
{
    uint64_t v;
    if (!isdigit((unsigned char)*s) || pl_parse_uint(s, &v) || v > 0xffffffffu)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static uint32_t host_order(uint32_t net)
{
    uint8_t b[4];
    memcpy(b, &net, 4);
    return pl_rd32(b);
}

/* [& MASK] [OP]: the operator defaults to '=='. */
static int mask_and_op(ipf_parser *ps, ipf_prim *p, int allow_rel)
{
    if (is(ps, 0, "&")) {
        if (parse_num(ipf_peek(ps, 1), &p->mask))
            return ipf_error(ps, "expected a mask after '&', not '%s'", ipf_peek(ps, 1));
        p->has_mask = 1;
        ps->pos += 2;
    }
    static const struct { const char *w; int op, neg; } ops[] = {
        {"==", IPF_EQ, 0}, {"=", IPF_EQ, 0}, {"!=", IPF_NE, 0}, {">", IPF_GT, 0},
        {"<", IPF_LT, 0}, {">=", IPF_GE, 0}, {"<=", IPF_LE, 0}, {NULL, 0, 0}};
    p->op = IPF_EQ;
    p->negate = 0;
    for (int i = 0; ops[i].w; i++)
        if (is(ps, 0, ops[i].w)) {
            if (ops[i].op != IPF_EQ && ops[i].op != IPF_NE && !allow_rel)
                return ipf_error(ps, "'%s' needs an integer value", ops[i].w);
            p->op = ops[i].op;
            p->negate = ops[i].neg;
            ps->pos++;
            break;
        }
    return 0;
}

/* The value of p (its type is known); the word is consumed. */
static int value(ipf_parser *ps, ipf_prim *p)
{
    const char *w = ipf_peek(ps, 0);
    if (!*w || strchr("()?:|&", *w) || !strcasecmp(w, "and") || !strcasecmp(w, "or"))
        return *w ? ipf_error(ps, "expected a value before '%s'", w)
                  : ipf_error(ps, "expected a value at end of pattern");
    uint32_t v = 0, a;
    int ok = 0;
    switch (p->type) {
    case P_HOST:
        ok = !pl_parse_ipv4(w, &a);
        v = host_order(a);
        break;
    case P_NET: {
        uint32_t m;
        int len;
        ok = !pl_parse_net_prefix(w, &a, &m, &len);
        if (ok && !strchr(w, '/') && is(ps, 1, "mask")) {
            uint32_t mm;
            if (pl_parse_ipv4(ipf_peek(ps, 2), &mm))
                return ipf_error(ps, "bad mask '%s'", ipf_peek(ps, 2));
            m = mm;
            a &= m;
            ps->pos += 2;
        }
        v = host_order(a);
        p->vmask = host_order(m);
        break;
    }
    case P_PORT:
        ok = !parse_num(w, &v) ? v <= 65535 : !ipf_port_name(w, &v);
        break;
    case P_PROTO:
        ok = !parse_num(w, &v) ? v <= 255 : !ipf_proto_name(w, &v);
        break;
    case P_ICMPTYPE:
        ok = !parse_num(w, &v) ? v <= 255 : !ipf_icmp_type_name(w, &v);
        break;
    case P_TCPOPT:
        ok = !ipf_tcp_flag_name(w, &v);
        break;
    case P_FIELD:
        ok = !parse_num(w, &v) && v <= ipf_fields[p->field].max;
        break;
    case P_WIN:
        ok = !parse_num(w, &v) && v <= 65535;
        break;
    case P_BYTES:
        ok = !parse_num(w, &v) && (p->len == 4 || v < (1u << (8 * p->len)));
        break;
    case P_ETHER:
        ok = !pl_parse_ether(w, p->eth);
        break;
    }
    if (!ok)
        return ipf_error(ps, "bad value '%s'", w);
    p->value = v;
    ps->pos++;
    return 0;
}

static int is_proto_word(const char *w, int *proto)
{
    uint32_t v;
    if (!strcasecmp(w, "ip"))
        return *proto = 0, 1;
    if (!strcasecmp(w, "transp"))
        return *proto = -2, 1;
    if (!strcasecmp(w, "tcp") || !strcasecmp(w, "udp") || !strcasecmp(w, "icmp") ||
        !strcasecmp(w, "igmp") || !strcasecmp(w, "ipip") || !strcasecmp(w, "sctp")) {
        ipf_proto_name(w, &v);
        return *proto = (int)v, 1;
    }
    return 0;
}

/* "ip[POS]" / "ip[POS:LEN]" after the proto word. */
static int bytes_spec(ipf_parser *ps, ipf_prim *p)
{
    ps->pos++;                                      /* '[' */
    const char *w = ipf_peek(ps, 0);
    char *colon;
    long pos = strtol(w, &colon, 0), len = 1;
    if (colon == w || pos < 0 || pos > 1500)
        return ipf_error(ps, "bad position '%s' in [POS:LEN]", w);
    if (*colon == ':') {
        char *end;
        len = strtol(colon + 1, &end, 0);
        if (*end || (len != 1 && len != 2 && len != 4))
            return ipf_error(ps, "LEN in [POS:LEN] must be 1, 2 or 4, not '%s'", colon + 1);
    } else if (*colon)
        return ipf_error(ps, "bad [POS:LEN] '%s'", w);
    if (!is(ps, 1, "]"))
        return ipf_error(ps, "expected ']' after '%s'", w);
    ps->pos += 2;
    p->type = P_BYTES;
    p->off = (int)pos;
    p->len = (int)len;
    return 0;
}

static int type_word(const char *w, ipf_prim *p)
{
    static const struct { const char *w; int type; } t[] = {
        {"host", P_HOST}, {"net", P_NET}, {"port", P_PORT}, {"proto", P_PROTO},
        {"opt", P_TCPOPT}, {"win", P_WIN}, {"type", P_ICMPTYPE}, {NULL, 0}};
    for (int i = 0; t[i].w; i++)
        if (!strcasecmp(w, t[i].w))
            return p->type = t[i].type, 1;
    for (int i = 0; ipf_fields[i].name; i++)
        if (!strcasecmp(w, ipf_fields[i].name))
            return p->type = P_FIELD, p->field = i, 1;
    return 0;
}

/* ip frag / unfrag / ect / ce: no value. */
static ipf_node *flag_field(ipf_parser *ps, const char *w)
{
    if (!strcasecmp(w, "frag"))
        return ipf_test_node(ps, IPF_NET, 6, 2, 0x3fff, IPF_NE, 0);
    if (!strcasecmp(w, "unfrag"))
        return ipf_test_node(ps, IPF_NET, 6, 2, 0x3fff, IPF_EQ, 0);
    if (!strcasecmp(w, "ect"))
        return ipf_test_node(ps, IPF_NET, 1, 1, 3, IPF_NE, 0);
    if (!strcasecmp(w, "ce"))
        return ipf_test_node(ps, IPF_NET, 1, 1, 3, IPF_EQ, 3);
    return NULL;
}

static int is_flag_field(const char *w)
{
    return !strcasecmp(w, "frag") || !strcasecmp(w, "unfrag") || !strcasecmp(w, "ect") ||
           !strcasecmp(w, "ce");
}

/* A bare value: what it means alone, or the previous primitive again. */
static int bare_value(ipf_parser *ps, ipf_prim *p, int qualified)
{
    const char *w = ipf_peek(ps, 0);
    uint32_t v;
    int numeric = isdigit((unsigned char)*w);
    if (ps->prev.type >= 0 && !qualified) {
        ipf_prim save = *p;
        *p = ps->prev;
        int at = ps->pos;
        if (!value(ps, p))
            return 0;
        *p = save;                                  /* does not fit: read it alone */
        ps->pos = at;
        ps->err[0] = 0;
    }
    if (strchr(w, ':') && !numeric)
        p->type = P_ETHER;
    else if (numeric && strchr(w, '/'))
        p->type = P_NET;
    else if (numeric && strchr(w, '.'))
        p->type = P_HOST;
    else if (!ipf_port_name(w, &v))
        p->type = P_PORT;
    else if (numeric && strchr(w, ':'))
        p->type = P_ETHER;
    else
        return ipf_error(ps, numeric ? "'%s' needs a primitive before it (port, proto, ...)"
                                     : "unknown word '%s'", w);
    return value(ps, p);
}

ipf_node *ipf_primitive(ipf_parser *ps)
{
    const char *w = ipf_peek(ps, 0);
    if (!strcasecmp(w, "true") || !strcasecmp(w, "any") || !strcasecmp(w, "all") ||
        !strcmp(w, "-")) {
        ps->pos++;
        return ipf_new(ps, IPF_N_TRUE, NULL, NULL);
    }
    if (!strcasecmp(w, "false") || !strcasecmp(w, "none")) {
        ps->pos++;
        return ipf_new(ps, IPF_N_FALSE, NULL, NULL);
    }
    ipf_prim p;
    memset(&p, 0, sizeof p);
    p.type = -1;
    p.proto = -1;
    int qualified = 0, ether = 0;
    for (;;) {
        w = ipf_peek(ps, 0);
        if (!strcasecmp(w, "src") || !strcasecmp(w, "dst")) {
            p.srcdst = !strcasecmp(w, "src") ? SD_SRC : SD_DST;
            ps->pos++;
            if ((is(ps, 0, "or") || is(ps, 0, "and")) &&
                (is(ps, 1, "src") || is(ps, 1, "dst"))) {
                p.srcdst = is(ps, 0, "or") ? SD_OR : SD_AND;
                ps->pos += 2;
            }
        } else if (!strcasecmp(w, "ether")) {
            ether = 1;
            ps->pos++;
        } else if (p.proto == -1 && is_proto_word(w, &p.proto)) {
            ps->pos++;
        } else
            break;
        qualified = 1;
    }
    w = ipf_peek(ps, 0);
    int proto = p.proto;
    if (!strcmp(w, "[")) {
        if (proto == -1)
            return ipf_error(ps, "'[' must follow ip, transp, tcp, udp or icmp"), NULL;
        if (bytes_spec(ps, &p))
            return NULL;
        p.base = proto == 0 ? IPF_NET : IPF_TRANSP;
        p.proto = proto == 0 ? -1 : proto;
    } else if (is_flag_field(w)) {
        ps->pos++;
        return flag_field(ps, w);
    } else if (type_word(w, &p)) {
        ps->pos++;
        if (ether && p.type != P_HOST)
            return ipf_error(ps, "expected 'host' after 'ether'"), NULL;
        if (ether)
            p.type = P_ETHER;
        if (p.type == P_TCPOPT || p.type == P_WIN) {
            if (proto > 0 && proto != 6)
                return ipf_error(ps, "'%s' is for TCP", w), NULL;
        } else if (p.type == P_ICMPTYPE) {
            if (proto > 0 && proto != 1)
                return ipf_error(ps, "'type' is for ICMP"), NULL;
        } else if (p.type == P_PORT) {
            if (proto > 0 && proto != 6 && proto != 17)
                return ipf_error(ps, "ports are for TCP or UDP"), NULL;
            p.proto = proto > 0 ? proto : -1;
        }
    } else if (ether) {
        return ipf_error(ps, "expected 'host' after 'ether'"), NULL;
    } else if (proto == -2) {
        return ipf_error(ps, "expected '[' after 'transp'"), NULL;
    } else if (proto >= 0 && !p.srcdst) {
        /* "tcp", "ip": the protocol alone */
        return proto == 0 ? ipf_new(ps, IPF_N_TRUE, NULL, NULL) : ipf_proto_is(ps, (uint32_t)proto);
    } else {
        uint32_t f;
        if (!ipf_tcp_flag_name(w, &f) && !qualified) {
            p.type = P_TCPOPT;
            p.value = f;
            ps->pos++;
            ps->prev = p;
            return ipf_build(ps, &p);
        }
        uint32_t port;                  /* Click: "icmp echo-reply", an ICMP type by name */
        if (!ipf_icmp_type_name(w, &f) && ipf_port_name(w, &port) && !qualified) {
            p.type = P_ICMPTYPE;
            p.value = f;
            ps->pos++;
            ps->prev = p;
            return ipf_build(ps, &p);
        }
        if (bare_value(ps, &p, qualified))
            return NULL;
        if (p.proto < 0 && proto > 0)
            p.proto = proto;
        ps->prev = p;
        return ipf_build(ps, &p);
    }
    if (p.type == P_TCPOPT) {
        if (value(ps, &p))
            return NULL;
    } else {
        int rel = p.type != P_HOST && p.type != P_NET && p.type != P_ETHER;
        if (mask_and_op(ps, &p, rel))
            return NULL;
        int has_value = *ipf_peek(ps, 0) && (isdigit((unsigned char)*ipf_peek(ps, 0)) ||
                                             isalpha((unsigned char)*ipf_peek(ps, 0))) &&
                        !is(ps, 0, "and") && !is(ps, 0, "or") && !is(ps, 0, "not");
        if (p.has_mask && !has_value && p.op == IPF_EQ) {
            p.op = IPF_NE;                          /* "& MASK" alone: any bit set */
            p.value = 0;
        } else if (value(ps, &p))
            return NULL;
    }
    ps->prev = p;
    return ipf_build(ps, &p);
}
