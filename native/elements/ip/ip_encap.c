/* IPEncap: prepends an IP header. */
#include "../../core/args.h"
#include "../../lib/ipfield.h"

#include <strings.h>

typedef struct {
    char *proto_s, *dst_s, *ect_s;
    uint32_t src;
    int64_t tos, dscp;
    uint64_t ttl;
    uint8_t ce, df;
    int dst_anno;
    uint8_t hdr[20];              /* template, its checksum set for incremental updates */
    _Atomic uint32_t id;
} ipe_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static int ipe_configure(pl_element *e, pl_error *err)
{
    ipe_state *s = PL_STATE(e, ipe_state);
    long proto;
    uint32_t dst = 0;
    if (pl_parse_named(s->proto_s, 1, 255, &proto))
        return pl_seterr(err, PL_ERR_CONFIG, e, "PROTO", "PROTO: bad IP protocol '%s'", s->proto_s);
    s->dst_anno = !strcmp(s->dst_s, "DST_ANNO");
    if (!s->dst_anno && pl_parse_ipv4(s->dst_s, &dst))
        return pl_seterr(err, PL_ERR_CONFIG, e, "DST",
                         "DST: argument should be IP address or 'DST_ANNO', not '%s'", s->dst_s);
    int ect = 0;
    if (s->ect_s) {
        uint8_t b;
        if (!pl_parse_bool(s->ect_s, &b))
            ect = b;
        else if (!strcmp(s->ect_s, "2"))
            ect = 2;
        else
            return pl_seterr(err, PL_ERR_CONFIG, e, "ECT", "ECT: bad ECT value '%s'", s->ect_s);
    }
    if (s->tos >= 0 && s->dscp >= 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "TOS", "cannot set both TOS and DSCP");
    if (s->tos >= 0 && (ect || s->ce))
        return pl_seterr(err, PL_ERR_CONFIG, e, "TOS", "cannot set both TOS and ECN bits");
    if (ect && s->ce)
        return pl_seterr(err, PL_ERR_CONFIG, e, "CE", "can set at most one ECN option");
    uint8_t *h = s->hdr;
    memset(h, 0, 20);
    h[0] = 0x45;
    h[1] = (uint8_t)(s->tos >= 0 ? s->tos : s->dscp >= 0 ? s->dscp << 2 : 0);
    h[1] |= (uint8_t)(ect == 1 ? 1 : ect == 2 ? 2 : 0) | (s->ce ? 3 : 0);
    if (s->df)
        h[6] = 0x40;
    h[8] = (uint8_t)s->ttl;
    h[9] = (uint8_t)proto;
    memcpy(h + 12, &s->src, 4);
    memcpy(h + 16, &dst, 4);
    uint16_t c = pl_in_cksum(h, 20);
    memcpy(h + 10, &c, 2);
    return 0;
}

/* Click's update_cksum(ip, off): add the word at off to the template's sum. */
static inline void add_word(uint8_t *ip, int off)
{
    uint16_t w;
    memcpy(&w, ip + off, 2);
    pl_cksum_update(ip + 10, 0, w);
}

static inline int ipe_one(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    ipe_state *s = PL_STATE(e, ipe_state);
    pl_packet *p = *pp;
    if (!pl_packet_push_front(ctx->pool, p, 20)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return -1;
    }
    uint8_t *ip = p->data;
    memcpy(ip, s->hdr, 20);
    if (s->dst_anno) {
        memcpy(ip + 16, &p->dst_ip, 4);
        add_word(ip, 16);
        add_word(ip, 18);
    } else
        memcpy(&p->dst_ip, ip + 16, 4);
    pl_wr16(ip + 2, (uint16_t)p->len);
    pl_wr16(ip + 4, (uint16_t)atomic_fetch_add_explicit(&s->id, 1, memory_order_relaxed));
    add_word(ip, 2);
    add_word(ip, 4);
    pl_set_net_header(p, ip);
    return 0;
}

static void ipe_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, ipe_one);
}

static void ipe_take_state(pl_element *e, pl_element *old)
{
    atomic_store(&PL_STATE(e, ipe_state)->id, atomic_load(&PL_STATE(old, ipe_state)->id));
}

static const pl_param params[] = {
    {"PROTO", PL_T_STRING, offsetof(ipe_state, proto_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "IP protocol: a number or a name (tcp, udp, icmp, ...)"},
    {"SRC", PL_T_IPV4, offsetof(ipe_state, src), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "source address"},
    {"DST", PL_T_STRING, offsetof(ipe_state, dst_s), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "destination address, or DST_ANNO: the destination IP annotation"},
    {"TOS", PL_T_INT, offsetof(ipe_state, tos), "-1", -1, 255, 0, "the TOS byte"},
    {"TTL", PL_T_UINT, offsetof(ipe_state, ttl), "250", 0, 255, 0, "time to live"},
    {"DSCP", PL_T_INT, offsetof(ipe_state, dscp), "-1", -1, 62, 0, "DSCP (the TOS byte's upper bits)"},
    {"ECT", PL_T_STRING, offsetof(ipe_state, ect_s), NULL, 0, -1, 0,
     "ECN capable transport: true (ECT(1)), 2 (ECT(0)) or false"},
    {"CE", PL_T_BOOL, offsetof(ipe_state, ce), "false", 0, -1, 0, "set ECN congestion experienced"},
    {"DF", PL_T_BOOL, offsetof(ipe_state, df), "false", 0, -1, 0, "set Don't Fragment"},
    {0}};

static const pl_class ip_encap = {
    .name = "IPEncap",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "IPEncap(PROTO, SRC, DST, KEYWORDS)\n"
           "Encapsulates packets in static IP header.\n\n"
           "Prepends a 20-byte IP header: PROTO, SRC, DST (or the destination IP\n"
           "annotation with DST_ANNO), TTL 250 unless TTL, TOS or DSCP/ECT/CE, DF; the\n"
           "total length of the result and an ID that counts from 0 per element (carried\n"
           "across a live swap). The checksum is updated incrementally from a template,\n"
           "as Click does. Sets the network header and, without DST_ANNO, the\n"
           "destination IP annotations. The header goes in the headroom.\n"
           "Handlers: src, dst (writable: reconfigure). Counters (drop): nobufs.\n\n"
           "Example: ... -> IPEncap(4, 1.0.0.1, 2.0.0.2) -> ...   // IP in IP",
    .state_size = sizeof(ipe_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .configure = ipe_configure,
    .push = ipe_push,
    .take_state = ipe_take_state,
};
PL_REGISTER_CLASS(ip_encap);
