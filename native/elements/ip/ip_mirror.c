/* IPMirror: swaps IP source and destination (and TCP/UDP ports). */
#include "../../lib/ipfield.h"

typedef struct {
    uint8_t dst_anno;
} im_state;

enum { C_BAD, C_NOBUFS };
static const char *const counters[] = {"bad", "nobufs", NULL};

static pl_packet *im_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    unsigned hl;
    if (!pl_ip_header_ok(p, &hl)) {
        pl_drop(ctx, e, C_BAD, p);
        return NULL;
    }
    if (!(p = pl_writable(ctx, e, C_NOBUFS, p)))
        return NULL;
    uint8_t *ip = pl_net_header(p), tmp[4];
    memcpy(tmp, ip + 12, 4);
    memcpy(ip + 12, ip + 16, 4);
    memcpy(ip + 16, tmp, 4);           /* the checksum stays right */
    if (PL_STATE(e, im_state)->dst_anno)
        memcpy(&p->dst_ip, tmp, 4);
    if ((ip[9] == 6 || ip[9] == 17) && pl_ip_first_fragment(ip) && pl_transport_length(p) >= 8) {
        uint8_t *th = ip + hl;
        memcpy(tmp, th, 2);
        memcpy(th, th + 2, 2);
        memcpy(th + 2, tmp, 2);
        /* TCP: seq and ack swap, as Click's (it reads them without a length
         * check; here only when the 16 bytes are there) */
        if (ip[9] == 6 && pl_transport_length(p) >= 12) {
            memcpy(tmp, th + 4, 4);
            memcpy(th + 4, th + 8, 4);
            memcpy(th + 8, tmp, 4);
        }
    }
    return p;
}

static const pl_param params[] = {
    {"DST_ANNO", PL_T_BOOL, offsetof(im_state, dst_anno), "true", 0, -1, PL_P_POSITIONAL,
     "set the destination IP annotation to the new destination"},
    {0}};

static const pl_class ip_mirror = {
    .name = "IPMirror",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "IPMirror([DST_ANNO])\n"
           "Swaps IP source and destination addresses.\n\n"
           "Click's IPMirror: swaps the IP source and destination of each packet (at the\n"
           "IP header annotation), and in first TCP and UDP fragments with 8 transport\n"
           "bytes the ports, and for TCP the sequence and acknowledgement numbers. No\n"
           "checksum changes (the swapped fields sum the same). The destination IP\n"
           "annotation becomes the new destination unless DST_ANNO is false. A packet\n"
           "without an IP header is dropped (Click reads it anyway).\n"
           "Counters: bad, nobufs (drops).\n\n"
           "Example: FromDevice(eth0) -> Strip(14) -> CheckIPHeader -> IPMirror\n"
           "  -> EtherEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2) -> Queue -> ToDevice(eth0);",
    .state_size = sizeof(im_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .simple_action = im_action,
};
PL_REGISTER_CLASS(ip_mirror);
