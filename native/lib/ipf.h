/*
 * The IPClassifier/IPFilter pattern language (Click's tcpdump-like syntax),
 * compiled once into a decision DAG: each step loads 1, 2 or 4 bytes at an
 * offset from the network, transport or MAC header, masks them, compares
 * (==, !=, >, <, >=, <=) and jumps to its yes or no step, or exits to an output. Shared
 * subexpressions are compiled once and identical steps merged.
 */
#ifndef PL_IPF_H
#define PL_IPF_H

#include "netpkt.h"

enum { IPF_NET = 0, IPF_TRANSP = 1, IPF_MAC = 2 };
enum { IPF_EQ = 0, IPF_GT = 1, IPF_LT = 2, IPF_NE = 3, IPF_GE = 4, IPF_LE = 5 };

#define IPF_DROP 0x7fff            /* exit "drop" (deny, no match) */

typedef struct ipf_test {
    uint8_t base, len, op;
    uint16_t off;
    uint32_t mask, value;
} ipf_test;

typedef struct ipf_step {
    ipf_test t;
    int32_t yes, no;               /* >= 0: step; < 0: exit -1 - output */
} ipf_step;

typedef struct ipf_prog {
    ipf_step *steps;
    int n, cap;
    int32_t start;
} ipf_prog;

/* Patterns for outputs (IPClassifier: output i; IPFilter: "ACTION PATTERN"). */
typedef struct ipf_rule {
    const char *pattern;
    int output;                    /* IPF_DROP for deny/drop */
} ipf_rule;

/* Compile rules in order; a packet matching none exits with IPF_DROP.
 * Returns 0, or -1 with a message naming the rule and the word. */
int ipf_compile(const ipf_rule *rules, int n, ipf_prog *out, char *err, size_t errlen);
void ipf_free(ipf_prog *p);
/* The program as text: one step per line. */
int ipf_unparse(const ipf_prog *p, char *buf, size_t len);

/* Name tables (ipf_names.c): 0 and *out set, or -1. */
int ipf_port_name(const char *s, uint32_t *out);
int ipf_proto_name(const char *s, uint32_t *out);
int ipf_icmp_type_name(const char *s, uint32_t *out);
int ipf_tcp_flag_name(const char *s, uint32_t *out);

/* The output a packet goes to (IPF_DROP: drop). */
static inline int ipf_match(const ipf_prog *pr, const pl_packet *p)
{
    int32_t t = pr->start;
    const uint8_t *end = p->data + p->len;
    const uint8_t *net = pl_net_header(p);
    const uint8_t *base[3] = {net, net < end ? net + ((net[0] & 15) << 2) : NULL,
                              pl_mac_header(p)};
    while (t >= 0) {
        const ipf_step *s = &pr->steps[t];
        const uint8_t *b = base[s->t.base];
        if (__builtin_expect(!b || b + s->t.off + s->t.len > end, 0)) {
            t = s->no;
            continue;
        }
        b += s->t.off;
        uint32_t w = s->t.len == 4 ? pl_rd32(b) : s->t.len == 2 ? pl_rd16(b) : b[0];
        w &= s->t.mask;
        uint32_t v = s->t.value;
        int ok;
        switch (s->t.op) {
        case IPF_EQ: ok = w == v; break;
        case IPF_NE: ok = w != v; break;
        case IPF_GT: ok = w > v; break;
        case IPF_LT: ok = w < v; break;
        case IPF_GE: ok = w >= v; break;
        default: ok = w <= v; break;
        }
        t = ok ? s->yes : s->no;
    }
    return -1 - t;
}

#endif
