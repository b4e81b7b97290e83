/*
 * IPClassifier primitives as test trees: the protocol and first-fragment
 * guards of transport primitives, src/dst combinations, operators and masks.
 */
#include "ipf_ast.h"

ipf_node *ipf_test_node(ipf_parser *ps, int base, int off, int len, uint32_t mask, int op,
                      uint32_t value)
{
    ipf_node *n = ipf_new(ps, IPF_N_TEST, NULL, NULL);
    if (n)
        n->t = (ipf_test){(uint8_t)base, (uint8_t)len, (uint8_t)op, (uint16_t)off, mask,
                          value & mask};
    return n;
}

static ipf_node *and(ipf_parser *ps, ipf_node *a, ipf_node *b)
{
    return a && b ? ipf_new(ps, IPF_N_AND, a, b) : NULL;
}

static ipf_node *or(ipf_parser *ps, ipf_node *a, ipf_node *b)
{
    return a && b ? ipf_new(ps, IPF_N_OR, a, b) : NULL;
}

/* A field comparison with the primitive's operator (negations wrap the test). */
static ipf_node *cmp(ipf_parser *ps, const ipf_prim *p, int base, int off, int len,
                     uint32_t mask, uint32_t value)
{
    ipf_node *t = ipf_test_node(ps, base, off, len, mask, p->op, value);
    return p->negate && t ? ipf_new(ps, IPF_N_NOT, t, NULL) : t;
}

ipf_node *ipf_proto_is(ipf_parser *ps, uint32_t proto)
{
    return ipf_test_node(ps, IPF_NET, 9, 1, 0xff, IPF_EQ, proto);
}

/* The guard of transport primitives: the protocol and a first fragment. */
static ipf_node *transport(ipf_parser *ps, int proto, ipf_node *inner)
{
    ipf_node *first = ipf_test_node(ps, IPF_NET, 6, 2, 0x1fff, IPF_EQ, 0);
    if (proto == -2)                                /* transp[...]: any protocol */
        return and(ps, first, inner);
    ipf_node *pr = proto >= 0 ? ipf_proto_is(ps, (uint32_t)proto)
                              : or(ps, ipf_proto_is(ps, 6), ipf_proto_is(ps, 17));
    return and(ps, pr, and(ps, first, inner));
}

static ipf_node *srcdst(ipf_parser *ps, int sd, ipf_node *src, ipf_node *dst)
{
    switch (sd) {
    case SD_SRC: return src;
    case SD_DST: return dst;
    case SD_AND: return and(ps, src, dst);
    default: return or(ps, src, dst);
    }
}

ipf_node *ipf_build(ipf_parser *ps, const ipf_prim *p)
{
    uint32_t um = p->has_mask ? p->mask : 0xffffffffu;
    switch (p->type) {
    case P_HOST:
    case P_NET: {
        uint32_t m = (p->type == P_NET ? p->vmask : 0xffffffffu) & um;
        return srcdst(ps, p->srcdst, cmp(ps, p, IPF_NET, 12, 4, m, p->value),
                      cmp(ps, p, IPF_NET, 16, 4, m, p->value));
    }
    case P_PORT:
        return transport(ps, p->proto, srcdst(ps, p->srcdst,
                                              cmp(ps, p, IPF_TRANSP, 0, 2, 0xffff & um, p->value),
                                              cmp(ps, p, IPF_TRANSP, 2, 2, 0xffff & um, p->value)));
    case P_PROTO:
        return cmp(ps, p, IPF_NET, 9, 1, 0xff & um, p->value);
    case P_FIELD: {
        const struct ipf_field *f = &ipf_fields[p->field];
        return cmp(ps, p, IPF_NET, f->off, f->len, f->mask & (um << f->shift),
                   p->value << f->shift);
    }
    case P_TCPOPT:
        return transport(ps, 6, ipf_test_node(ps, IPF_TRANSP, 13, 1, p->value, IPF_NE, 0));
    case P_WIN:
        return transport(ps, 6, cmp(ps, p, IPF_TRANSP, 14, 2, 0xffff & um, p->value));
    case P_ICMPTYPE:
        return transport(ps, 1, cmp(ps, p, IPF_TRANSP, 0, 1, 0xff & um, p->value));
    case P_BYTES: {
        uint32_t full = p->len == 4 ? 0xffffffffu : (1u << (8 * p->len)) - 1;
        ipf_node *t = cmp(ps, p, p->base, p->off, p->len, full & um, p->value);
        return p->base == IPF_TRANSP ? transport(ps, p->proto, t) : t;
    }
    case P_ETHER: {
        uint32_t hi = pl_rd32(p->eth), lo = pl_rd16(p->eth + 4);
        ipf_node *src = and(ps, ipf_test_node(ps, IPF_MAC, 6, 4, ~0u, IPF_EQ, hi),
                            ipf_test_node(ps, IPF_MAC, 10, 2, 0xffff, IPF_EQ, lo));
        ipf_node *dst = and(ps, ipf_test_node(ps, IPF_MAC, 0, 4, ~0u, IPF_EQ, hi),
                            ipf_test_node(ps, IPF_MAC, 4, 2, 0xffff, IPF_EQ, lo));
        ipf_node *n = srcdst(ps, p->srcdst, src, dst);
        return p->op == IPF_NE && n ? ipf_new(ps, IPF_N_NOT, n, NULL) : n;
    }
    }
    return NULL;
}

