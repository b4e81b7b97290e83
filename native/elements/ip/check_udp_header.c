/* CheckUDPHeader: checks UDP lengths and checksums. */
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

#include "../../lib/check_transport.h"

static const char *const counters[] = {"not_udp", "bad_length", "bad_checksum", NULL};
static const char *const texts[] = {"not UDP", "bad packet length", "bad UDP checksum"};

static inline int cuh_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    (void)ctx;
    ct_state *s = PL_STATE(e, ct_state);
    const pl_packet *p = *pp;
    const uint8_t *ip = pl_net_header(p);
    uint32_t tlen;
    int r = ct_transport(p, ip, PL_IP_PROTO_UDP, &tlen);
    if (r)
        return ct_bad(e, s, r == 1 ? CT_NOT : CT_LENGTH, texts);
    const uint8_t *udp = ip + pl_ip_hl(ip);
    uint32_t ulen = tlen >= 8 ? pl_rd16(udp + 4) : 0;
    if (ulen < 8 || ulen > tlen)
        return ct_bad(e, s, CT_LENGTH, texts);
    if (s->checksum && (udp[6] | udp[7]) &&
        pl_csum_fold(pl_csum_add(pl_pseudo_sum(ip, PL_IP_PROTO_UDP, ulen), udp, ulen)) != 0xffff)
        return ct_bad(e, s, CT_CSUM, texts);
    return 0;
}

static void cuh_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, cuh_check);
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

static const pl_class check_udp_header = {
    .name = "CheckUDPHeader",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "CheckUDPHeader([KEYWORDS])\n"
           "Checks UDP header on UDP/IP packets.\n\n"
           "Expects UDP/IP packets with the network header annotation set (CheckIPHeader\n"
           "sets it). Checks that the protocol is UDP and the packet is not a later\n"
           "fragment, that the UDP length fits in the IP packet, and (with CHECKSUM) the\n"
           "UDP checksum with its pseudo header; a zero checksum means none was sent.\n"
           "Good packets leave on output 0, bad ones on output 1 when it is connected,\n"
           "else they are dropped under their reason.\n"
           "Counters (drop reasons): not_udp, bad_length, bad_checksum.\n\n"
           "Example: CheckIPHeader -> ipc :: IPClassifier(udp, -); ipc[0] -> CheckUDPHeader -> ...",
    .state_size = sizeof(ct_state),
    .params = ct_params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = CT_NREASONS,
    .push = cuh_push,
};
PL_REGISTER_CLASS(check_udp_header);
