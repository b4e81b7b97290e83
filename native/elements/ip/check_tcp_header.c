/* CheckTCPHeader: checks TCP header lengths and checksums. */
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

#include "../../lib/check_transport.h"

static const char *const counters[] = {"not_tcp", "bad_length", "bad_checksum", NULL};
static const char *const texts[] = {"not TCP", "bad packet length", "bad TCP checksum"};

static inline int cth_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    (void)ctx;
    ct_state *s = PL_STATE(e, ct_state);
    const pl_packet *p = *pp;
    const uint8_t *ip = pl_net_header(p);
    uint32_t tlen;
    int r = ct_transport(p, ip, PL_IP_PROTO_TCP, &tlen);
    if (r)
        return ct_bad(e, s, r == 1 ? CT_NOT : CT_LENGTH, texts);
    const uint8_t *tcp = ip + pl_ip_hl(ip);
    uint32_t thl = tlen >= 20 ? (uint32_t)(tcp[12] >> 4) * 4 : 0;
    if (thl < 20 || thl > tlen)
        return ct_bad(e, s, CT_LENGTH, texts);
    if (s->checksum &&
        pl_csum_fold(pl_csum_add(pl_pseudo_sum(ip, PL_IP_PROTO_TCP, tlen), tcp, tlen)) != 0xffff)
        return ct_bad(e, s, CT_CSUM, texts);
    return 0;
}

static void cth_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, cth_check);
}

static int read_details(pl_element *e, char *buf, size_t len)
{
    return ct_details(e, texts, buf, len);
}

static const pl_handler handlers[] = {
    {"count", "packets that passed the checks", ct_read_count, NULL},
    {"drops", "packets that failed a check (dropped or sent to output 1)", ct_read_drops, NULL},
    {"drop_details", "packets dropped, per reason", read_details, NULL},
    {0}};

static const pl_class check_tcp_header = {
    .name = "CheckTCPHeader",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "CheckTCPHeader([KEYWORDS])\n"
           "Checks TCP header on TCP/IP packets.\n\n"
           "Expects TCP/IP packets with the network header annotation set (CheckIPHeader\n"
           "sets it). Checks that the protocol is TCP and the packet is not a later\n"
           "fragment, that the TCP header length is valid and fits in the IP packet, and\n"
           "(with CHECKSUM) the TCP checksum with its pseudo header. Good packets leave\n"
           "on output 0, bad ones on output 1 when it is connected, else they are\n"
           "dropped under their reason.\n"
           "Counters (drop reasons): not_tcp, bad_length, bad_checksum.\n\n"
           "Example: CheckIPHeader -> ipc :: IPClassifier(tcp, -); ipc[0] -> CheckTCPHeader -> ...",
    .state_size = sizeof(ct_state),
    .params = ct_params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = CT_NREASONS,
    .push = cth_push,
};
PL_REGISTER_CLASS(check_tcp_header);
