/* ICMPError: turns packets into ICMP error messages about them. */
#include "../../lib/checksum.h"
#include "../../lib/iputil.h"
#include "../../lib/netpkt.h"

#include <stdlib.h>
#include <strings.h>

typedef struct {
    uint32_t src;
    char *type_s, *code_s, *badaddrs_s;
    uint64_t mtu, pmtu;
    uint8_t set_fix_anno;
    int type, code;
    pl_addr_list bad;
} ie_state;

enum { C_NOT_IP, C_ICMP_ERROR, C_BROADCAST, C_BAD_SOURCE, C_FRAGMENT, C_SOURCE_ROUTED, C_NOBUFS,
       NDROPS };
static const char *const counters[] = {"not_ip", "icmp_error", "broadcast", "bad_source",
                                       "fragment", "source_routed", "nobufs", NULL};

enum { T_UNREACH = 3, T_SOURCEQUENCH = 4, T_REDIRECT = 5, T_TIMXCEED = 11, T_PARAMPROB = 12 };

struct name { const char *name; int value; };
static const struct name types[] = {{"unreachable", 3}, {"sourcequench", 4}, {"redirect", 5},
                                    {"timeexceeded", 11}, {"parameterproblem", 12}, {0, 0}};
static const struct name unreach_codes[] = {
    {"net", 0}, {"host", 1}, {"protocol", 2}, {"port", 3}, {"needfrag", 4}, {"srcroutefail", 5},
    {"net-unknown", 6}, {"host-unknown", 7}, {"isolated", 8}, {"net-prohibited", 9},
    {"host-prohibited", 10}, {"tosnet", 11}, {"toshost", 12}, {"filterprohibited", 13},
    {"host-precedence", 14}, {"precedence-cutoff", 15}, {0, 0}};
static const struct name redirect_codes[] = {{"net", 0}, {"host", 1}, {"tosnet", 2},
                                             {"toshost", 3}, {0, 0}};
static const struct name timxceed_codes[] = {{"transit", 0}, {"reassembly", 1}, {0, 0}};
static const struct name paramprob_codes[] = {{"erroratptr", 0}, {"missingopt", 1},
                                              {"length", 2}, {0, 0}};

static int lookup(const char *s, const struct name *t, int *out)
{
    char *end;
    long v = strtol(s, &end, 0);
    if (*s && !*end && v >= 0 && v <= 255)
        return *out = (int)v, 0;
    for (; t && t->name; t++)
        if (!strcasecmp(s, t->name))
            return *out = t->value, 0;
    return -1;
}

static int ie_configure(pl_element *e, pl_error *err)
{
    ie_state *s = PL_STATE(e, ie_state);
    if (lookup(s->type_s, types, &s->type))
        return pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "TYPE: '%s' is not an ICMP error type "
                         "(unreachable, sourcequench, redirect, timeexceeded, parameterproblem)",
                         s->type_s);
    if (s->type != T_UNREACH && s->type != T_SOURCEQUENCH && s->type != T_REDIRECT &&
        s->type != T_TIMXCEED && s->type != T_PARAMPROB)
        return pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "TYPE: ICMP type %d is not an error type",
                         s->type);
    const struct name *codes = s->type == T_UNREACH ? unreach_codes
                               : s->type == T_REDIRECT ? redirect_codes
                               : s->type == T_TIMXCEED ? timxceed_codes
                               : s->type == T_PARAMPROB ? paramprob_codes : NULL;
    if (lookup(s->code_s, codes, &s->code))
        return pl_seterr(err, PL_ERR_CONFIG, e, "CODE", "CODE: '%s' is not a code of ICMP type %d",
                         s->code_s, s->type);
    const char *bad;
    pl_addr_list_free(&s->bad);
    if (s->badaddrs_s && pl_addr_list_parse(s->badaddrs_s, 0, &s->bad, &bad))
        return pl_seterr(err, PL_ERR_CONFIG, e, "BADADDRS", "BADADDRS: '%s' is not an IP address",
                         bad);
    return 0;
}

static void ie_cleanup(pl_element *e) { pl_addr_list_free(&PL_STATE(e, ie_state)->bad); }

static int unicast(const ie_state *s, uint32_t a)
{
    return !pl_ip_is_group(a) && !pl_addr_list_has(&s->bad, a);
}

/* RFC 1812 5.3.7, 4.2.2.11, 4.2.3.1. */
static int valid_source(const ie_state *s, uint32_t a)
{
    uint8_t net;
    memcpy(&net, &a, 1);
    return unicast(s, a) && net != 0 && net != 127 && (net & 0xf0) != 0xf0;
}

/* A usable source route option in the header, or NULL; options past the
 * packet's end (a header length longer than the packet) end the scan. */
static const uint8_t *source_route(const uint8_t *ip, uint32_t nlen)
{
    unsigned hl = pl_ip_hl(ip);
    if (hl > nlen)
        hl = nlen;
    for (unsigned i = 20; i < hl;) {
        unsigned t = ip[i];
        if (t == 1) {
            i++;
            continue;
        }
        if (t == 0 || i + 1 >= hl)
            return NULL;
        unsigned xl = ip[i + 1];
        if (xl < 2 || i + xl > hl)
            return NULL;
        if ((t == 131 || t == 137) && xl >= 3 && ip[i + 2] >= 4 && ip[i + 2] % 4 == 0 &&
            ip[i + 2] <= xl + 1)
            return ip + i;
        i += xl;
    }
    return NULL;
}

/* Click's tests, in its order; like Click, the version and header length are
 * not checked (CheckIPHeader's job), only that an IP header is there. */
static int reason(ie_state *s, const pl_packet *p, const uint8_t *ip, uint32_t nlen)
{
    if (nlen < 20)
        return C_NOT_IP;
    unsigned hl = pl_ip_hl(ip);
    if (ip[9] == PL_IP_PROTO_ICMP) {                 /* RFC 1812 4.3.2.7 */
        /* Click: hlen + 4 > p->length() (from the data start), or an error type */
        if (hl + 4 > p->len || hl >= nlen)
            return C_ICMP_ERROR;
        int t = ip[hl];
        if (t == 3 || t == 4 || t == 5 || t == 11 || t == 12)
            return C_ICMP_ERROR;
    }
    uint32_t src, dst;
    memcpy(&src, ip + 12, 4);
    memcpy(&dst, ip + 16, 4);
    uint8_t pt = pl_anno_u8(p, PL_ANNO_PACKET_TYPE);
    if (!unicast(s, dst) || pt == PL_PACKET_BROADCAST || pt == PL_PACKET_MULTICAST)
        return C_BROADCAST;
    if (!valid_source(s, src))
        return C_BAD_SOURCE;
    if (!pl_ip_first_fragment(ip))
        return C_FRAGMENT;
    if (s->type == T_REDIRECT && source_route(ip, nlen))   /* RFC 1812 5.2.7.2 */
        return C_SOURCE_ROUTED;
    return -1;
}

static pl_packet *ie_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    ie_state *s = PL_STATE(e, ie_state);
    uint8_t *ip = pl_net_header(p);
    uint32_t nlen = pl_net_length(p);
    int r = reason(s, p, ip, nlen);
    if (r >= 0) {
        pl_drop(ctx, e, r, p);
        return NULL;
    }
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    ip = pl_net_header(p);
    const uint8_t *sr = source_route(ip, nlen);
    unsigned pp = pl_anno_u8(p, PL_ANNO_PARAMPROB);
    if (sr && s->type == T_PARAMPROB && s->code == 0 && ip + pp >= sr && ip + pp < sr + sr[1])
        sr = NULL;                                   /* RFC 1812 4.3.2.6 */
    unsigned olen = sr ? sr[2] - 1u : 0;
    unsigned nhl = sr ? (20 + olen + 1 + 3) & ~3u : 20;
    unsigned need = nhl + 8;
    uint32_t q = nlen;
    if (q > s->mtu - need)
        q = (uint32_t)s->mtu - need;
    if ((uint32_t)(ip - p->buf) < need) {
        memmove(p->buf + need, ip, q);
        ip = p->buf + need;
        sr = sr ? source_route(ip, nlen) : NULL;
    }
    uint8_t *h = ip - need, *icmp = h + nhl;
    memset(h, 0, need);
    if (sr) {                                        /* the source route, reversed */
        uint8_t *o = h + 20;
        o[0] = sr[0];
        o[1] = (uint8_t)olen;
        o[2] = 4;
        o += 3;
        for (const uint8_t *a = sr + sr[2] - 5; a >= sr + 3; a -= 4, o += 4)
            memmove(o, a, 4);
    }
    h[0] = (uint8_t)(0x40 | nhl / 4);
    pl_wr16(h + 2, (uint16_t)(need + q));
    /* Click numbers errors with one static counter from 1, shared by every
     * ICMPError (here: of the engine). */
    pl_wr16(h + 4, (uint16_t)atomic_fetch_add_explicit(pl_engine_shared(e->eng, PL_SHARED_ICMP_ERROR_ID),
                                                       1, memory_order_relaxed));
    h[8] = 200;
    h[9] = PL_IP_PROTO_ICMP;
    memcpy(h + 12, &s->src, 4);
    memcpy(h + 16, ip + 12, 4);
    icmp[0] = (uint8_t)s->type;
    icmp[1] = (uint8_t)s->code;
    if (s->type == T_PARAMPROB && s->code == 0)
        icmp[4] = (uint8_t)pp;
    if (s->type == T_REDIRECT)
        memcpy(icmp + 4, &p->dst_ip, 4);
    if (s->type == T_UNREACH && s->code == 4)
        pl_wr16(icmp + 6, (uint16_t)s->pmtu);
    uint16_t c = pl_in_cksum(icmp, 8 + q);
    memcpy(icmp + 2, &c, 2);
    pl_ip_set_csum(h, nhl);
    p->data = h;
    p->len = need + q;
    pl_set_net_header(p, h);
    p->mac_off = PL_OFF_UNSET;
    memcpy(&p->dst_ip, h + 16, 4);
    p->paint = 0;                         /* a new packet, as Click makes one */
    memset(p->anno, 0, sizeof p->anno);
    pl_anno_set_u8(p, PL_ANNO_FIX_IP_SRC, s->set_fix_anno);
    return p;
}

static const pl_param params[] = {
    {"SRC", PL_T_IPV4, offsetof(ie_state, src), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "source address of the error messages"},
    {"TYPE", PL_T_STRING, offsetof(ie_state, type_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED,
     "unreachable, sourcequench, redirect, timeexceeded, parameterproblem, or a number"},
    {"CODE", PL_T_STRING, offsetof(ie_state, code_s), "0", 0, -1, PL_P_POSITIONAL,
     "a number or a name (net, host, protocol, port, needfrag; transit, reassembly; "
     "erroratptr, missingopt, length)"},
    {"BADADDRS", PL_T_STRING, offsetof(ie_state, badaddrs_s), NULL, 0, -1, PL_P_POSITIONAL,
     "addresses never answered (e.g. the subnets' broadcast addresses)"},
    {"MTU", PL_T_UINT, offsetof(ie_state, mtu), "576", 128, 1500, 0,
     "largest error packet generated (RFC 1812 4.3.2.3)"},
    {"PMTU", PL_T_UINT, offsetof(ie_state, pmtu), "0", 0, 65535, 0,
     "next-hop MTU reported in unreachable/needfrag messages"},
    {"SET_FIX_ANNO", PL_T_BOOL, offsetof(ie_state, set_fix_anno), "true", 0, -1, 0,
     "set the FIX_IP_SRC annotation on the errors (for FixIPSrc)"},
    {0}};

static const pl_class icmp_error = {
    .name = "ICMPError",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "ICMPError(SRC, TYPE [, CODE, BADADDRS, KEYWORDS])\n"
           "Generates ICMP error packets.\n\n"
           "Turns each IP packet into an ICMP error of TYPE and CODE about it, from SRC\n"
           "to the packet's source: a new IP header, the ICMP header and, as payload,\n"
           "the packet from its IP header on, cut so that the error is at most MTU\n"
           "bytes. The packet's buffer is reused (nothing is allocated). Parameter\n"
           "problems take their pointer from the PARAMPROB annotation (IPGWOptions sets\n"
           "it), redirects their gateway from the destination IP annotation, needfrag\n"
           "errors report PMTU. A source route is reversed into the error. The output\n"
           "has its destination IP annotation set, and FIX_IP_SRC when SET_FIX_ANNO;\n"
           "its paint and other annotations are cleared, as a new packet's. IP IDs count\n"
           "from 1 in one sequence shared by all the engine's ICMPErrors, as Click's.\n"
           "As RFC 1812 4.3.2.7 requires, no error is sent about ICMP errors, broadcast\n"
           "or multicast packets, bad sources, or fragments other than the first: those\n"
           "packets are dropped and counted.\n"
           "Counters (drops): not_ip, icmp_error, broadcast, bad_source, fragment,\n"
           "source_routed, nobufs.\n\n"
           "Example: dt :: DecIPTTL; dt[1] -> ICMPError(10.0.0.1, timeexceeded) -> rt;",
    .state_size = sizeof(ie_state),
    .params = params,
    .counters = counters,
    .ndrops = NDROPS,
    .configure = ie_configure,
    .cleanup = ie_cleanup,
    .simple_action = ie_action,
};
PL_REGISTER_CLASS(icmp_error);
