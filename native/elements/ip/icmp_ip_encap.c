/* ICMPIPEncap: puts an ICMP header, then an IP header, in front of each packet. */
#include "../../core/element.h"
#include "../../lib/checksum.h"
#include "../../lib/icmp_names.h"
#include "../../lib/netpkt.h"

typedef struct {
    uint32_t src, dst;            /* network order */
    char *type_s, *code_s;
    uint64_t identifier;
    int type, code;
    uint16_t ip_id;               /* the worker's: one task pushes through an element at a time */
} iie_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static int iie_configure(pl_element *e, pl_error *err)
{
    iie_state *s = PL_STATE(e, iie_state);
    if (pl_icmp_type(s->type_s, &s->type))
        return pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "invalid TYPE");
    if (pl_icmp_code(s->type, s->code_s, &s->code))
        return pl_seterr(err, PL_ERR_CONFIG, e, "CODE", "invalid CODE");
    return 0;
}

static pl_packet *iie_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    iie_state *s = PL_STATE(e, iie_state);
    uint32_t src = PL_LIVE(s->src), dst = PL_LIVE(s->dst);
    unsigned ihl = pl_icmp_hl(s->type);
    p = pl_push(ctx, e, C_NOBUFS, p, 20 + ihl);
    if (!p)
        return NULL;
    uint8_t *ip = p->data, *icmp = ip + 20;
    memset(ip, 0, 20 + ihl);
    ip[0] = 0x45;
    pl_wr16(ip + 2, (uint16_t)p->len);
    pl_wr16(ip + 4, s->ip_id);
    ip[8] = 255;
    ip[9] = 1;
    memcpy(ip + 12, &src, 4);
    memcpy(ip + 16, &dst, 4);
    pl_ip_set_csum(ip, 20);
    icmp[0] = (uint8_t)s->type;
    icmp[1] = (uint8_t)s->code;
    if (pl_icmp_sequenced(s->type)) {
        pl_wr16(icmp + 4, (uint16_t)s->identifier);
        pl_wr16(icmp + 6, s->ip_id);
    }
    uint16_t sum = pl_in_cksum(icmp, p->len - 20);
    memcpy(icmp + 2, &sum, 2);
    p->dst_ip = dst;
    pl_set_net_header(p, ip);
    s->ip_id = (uint16_t)(s->ip_id + (s->ip_id == 0xFFFF ? 2 : 1));
    return p;
}

static const pl_param params[] = {
    {"SRC", PL_T_IPV4, offsetof(iie_state, src), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE, "source address"},
    {"DST", PL_T_IPV4, offsetof(iie_state, dst), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE, "destination address"},
    {"TYPE", PL_T_STRING, offsetof(iie_state, type_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "ICMP type: a number or a name (echo, unreachable, ...)"},
    {"CODE", PL_T_STRING, offsetof(iie_state, code_s), "0", 0, -1, PL_P_POSITIONAL,
     "ICMP code: a number or a name of TYPE's codes (host, port, transit, ...)"},
    {"IDENTIFIER", PL_T_UINT, offsetof(iie_state, identifier), "0", 0, 65535, 0,
     "identifier of echo, timestamp and information messages"},
    {0}};

static const pl_class icmp_ip_encap = {
    .name = "ICMPIPEncap",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "ICMPIPEncap(SRC, DST, TYPE [, CODE, IDENTIFIER])\n"
           "Encapsulates packets in ICMP/IP headers.\n\n"
           "Puts an ICMP header of type TYPE and code CODE (numbers 0..255 or Click's\n"
           "names: echo, echo-reply, unreachable with net, host, port, ...; timeexceeded\n"
           "with transit, reassembly; ...) and an IP header from SRC to DST (TTL 255,\n"
           "protocol 1, IP ID counting from 0) in front of each packet, with both\n"
           "checksums, and sets the destination address annotation. Echo, timestamp and\n"
           "information messages carry IDENTIFIER and a sequence number equal to the\n"
           "IP ID.\n\n"
           "Keywords: SRC, DST (handlers src, dst: read/write), TYPE, CODE, IDENTIFIER.\n"
           "Counters: nobufs.\n\n"
           "Example: InfiniteSource -> ICMPIPEncap(1.0.0.1, 1.0.0.2, echo) -> ...;",
    .state_size = sizeof(iie_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .configure = iie_configure,
    .simple_action = iie_action,
};
PL_REGISTER_CLASS(icmp_ip_encap);
