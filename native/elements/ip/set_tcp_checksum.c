/* SetTCPChecksum: computes TCP checksums. */
#include "../../lib/ipfield.h"

typedef struct {
    uint8_t fixoff;
} stc_state;

enum { C_BAD, C_NOBUFS };
static const char *const counters[] = {"bad_lengths", "nobufs", NULL};

static pl_packet *stc_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    unsigned hl;
    uint8_t *ip = pl_ip_header_ok(p, &hl);
    uint32_t iplen = ip ? pl_rd16(ip + 2) : 0;
    uint32_t plen = iplen - hl;
    if (!ip || iplen < hl || plen < 20 || plen > pl_transport_length(p)) {
        pl_log(e->eng, "SetTCPChecksum: bad lengths");
        pl_drop(ctx, e, C_BAD, p);
        return NULL;
    }
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    ip = pl_net_header(p);
    uint8_t *tcp = ip + hl;
    if (PL_STATE(e, stc_state)->fixoff) {
        unsigned off = (unsigned)(tcp[12] >> 4) << 2;
        if (off < 20)
            tcp[12] = (uint8_t)((tcp[12] & 0x0f) | (5 << 4));
        else if (off > plen && !pl_ip_is_fragment(ip))
            tcp[12] = (uint8_t)((tcp[12] & 0x0f) | ((plen >> 2) << 4));
    }
    tcp[16] = tcp[17] = 0;
    uint16_t c = pl_transport_cksum(ip, tcp, plen);
    memcpy(tcp + 16, &c, 2);
    return p;
}

static const pl_param params[] = {
    {"FIXOFF", PL_T_BOOL, offsetof(stc_state, fixoff), "false", 0, -1, PL_P_POSITIONAL,
     "repair a TCP data offset that is too small or past the end"},
    {0}};

static const pl_class set_tcp_checksum = {
    .name = "SetTCPChecksum",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "SetTCPChecksum([FIXOFF])\n"
           "Sets TCP packets' checksums.\n\n"
           "Computes the checksum of the TCP segment after the IP header (its length\n"
           "from the IP total length), with the pseudo header, and stores it. With\n"
           "FIXOFF, a data offset below 5 words is set to 5 and one past the segment's\n"
           "end to the segment's length. Packets whose lengths do not hold a TCP\n"
           "header are dropped.\n"
           "Counters (drops): bad_lengths, nobufs.\n\n"
           "Example: ... -> SetTCPChecksum -> ...",
    .state_size = sizeof(stc_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .simple_action = stc_action,
};
PL_REGISTER_CLASS(set_tcp_checksum);
