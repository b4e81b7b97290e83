/* The IPClassifier language's internals: tokens, expression trees, primitives. */
#ifndef PL_IPF_AST_H
#define PL_IPF_AST_H

#include "ipf.h"

#define IPF_MAX_TOKENS 512
#define IPF_TOKEN_LEN 64
#define IPF_MAX_NODES 1024

enum { IPF_N_TRUE, IPF_N_FALSE, IPF_N_TEST, IPF_N_NOT, IPF_N_AND, IPF_N_OR, IPF_N_COND };

typedef struct ipf_node {
    int kind;
    struct ipf_node *a, *b, *c;   /* COND: c ? a : b */
    ipf_test t;
} ipf_node;

/* A primitive as written, kept so that a bare value can reuse it ("src port 80 or 81"). */
enum { P_HOST, P_NET, P_PORT, P_PROTO, P_FIELD, P_TCPOPT, P_ICMPTYPE, P_WIN, P_BYTES, P_ETHER };
enum { SD_NONE, SD_SRC, SD_DST, SD_OR, SD_AND };

typedef struct ipf_prim {
    int type, srcdst, proto;      /* proto: -1 none, else the transport qualifier */
    int field;                    /* P_FIELD: index in the field table */
    int op, negate;               /* IPF_EQ, NE, GT, LT, GE, LE; negate: only for ether */
    int has_mask;
    uint32_t mask;                /* & MASK as written */
    int base, off, len;           /* P_BYTES */
    uint32_t value, vmask;        /* vmask: P_NET's prefix mask */
    uint8_t eth[6];
} ipf_prim;

typedef struct ipf_parser {
    char tok[IPF_MAX_TOKENS][IPF_TOKEN_LEN];
    int ntok, pos;
    ipf_node nodes[IPF_MAX_NODES];
    int nnodes;
    ipf_prim prev;                /* type -1: none yet */
    char err[200];
} ipf_parser;

int ipf_tokenize(ipf_parser *ps, const char *s);
int ipf_error(ipf_parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *ipf_peek(const ipf_parser *ps, int k);
ipf_node *ipf_new(ipf_parser *ps, int kind, ipf_node *a, ipf_node *b);
ipf_node *ipf_parse(ipf_parser *ps, const char *pattern);
ipf_node *ipf_primitive(ipf_parser *ps);

/* IP header fields of "ip vers|hl|tos|dscp|len|id|ttl|sum|csum" (ipf_prim.c). */
struct ipf_field {
    const char *name;
    int off, len;
    uint32_t mask;
    int shift;
    uint32_t max;
};
extern const struct ipf_field ipf_fields[];

/* ipf_build.c: a primitive as a tree of tests. */
ipf_node *ipf_build(ipf_parser *ps, const ipf_prim *p);
ipf_node *ipf_test_node(ipf_parser *ps, int base, int off, int len, uint32_t mask, int op,
                        uint32_t value);
ipf_node *ipf_proto_is(ipf_parser *ps, uint32_t proto);

#endif
