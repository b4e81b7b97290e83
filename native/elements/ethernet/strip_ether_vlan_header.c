/* StripEtherVLANHeader: strips an 802.1Q (or plain) Ethernet header (Click's). */
#include "../../core/args.h"
#include "../../lib/netpkt.h"

typedef struct {
    int64_t native;
    int32_t native_net;           /* network order, -1: none */
} sev_state;

enum { C_NOT_VLAN, C_TOO_SHORT };
static const char *const counters[] = {"not_vlan", "too_short", NULL};

static int sev_configure(pl_element *e, pl_error *err)
{
    sev_state *s = PL_STATE(e, sev_state);
    s->native_net = -1;
    if (s->native >= 0) {
        uint16_t n;
        pl_wr16((uint8_t *)&n, (uint16_t)s->native);
        s->native_net = n;
    }
    (void)err;
    return 0;
}

/* 0 on, else 1 + the reason (output 1 when connected, else that drop). */
static int sev_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    (void)ctx;
    sev_state *s = PL_STATE(e, sev_state);
    pl_packet *p = *pp;
    if (p->len < PL_ETHER_HLEN)
        return 1 + C_TOO_SHORT;
    if (pl_rd16(p->data + 12) == 0x8100) {
        if (p->len < PL_ETHER_HLEN + 4)
            return 1 + C_TOO_SHORT;
        uint16_t tci;
        memcpy(&tci, p->data + 14, 2);
        pl_anno_set_u16(p, PL_ANNO_VLAN_TCI, tci);
        pl_packet_pull(p, PL_ETHER_HLEN + 4);
        return 0;
    }
    if (s->native_net < 0)
        return 1 + C_NOT_VLAN;
    pl_anno_set_u16(p, PL_ANNO_VLAN_TCI, (uint16_t)s->native_net);
    pl_packet_pull(p, PL_ETHER_HLEN);
    return 0;
}

static void sev_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, sev_check);
}

static const pl_param params[] = {
    {"NATIVE_VLAN", PL_T_INT, offsetof(sev_state, native), "0", -1, 0xfff, PL_P_POSITIONAL,
     "VLAN annotation of frames without a tag (-1: they leave on output 1)"},
    {0}};

static const pl_class strip_ether_vlan_header = {
    .name = "StripEtherVLANHeader",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "StripEtherVLANHeader([NATIVE_VLAN])\n"
           "Strips 802.1Q VLAN Ethernet headers.\n\n"
           "A frame whose Ethernet type is 0x8100 gets the tag's TCI as its VLAN TCI\n"
           "annotation and loses its 18-byte header. Another frame is taken as\n"
           "belonging to NATIVE_VLAN (0 by default): the annotation gets that VLAN and\n"
           "the 14-byte Ethernet header goes. With NATIVE_VLAN -1, untagged frames\n"
           "leave on output 1 (dropped under not_vlan when it is not connected), as\n"
           "Click's; frames too short for their header too (too_short: Click does not\n"
           "check).\n"
           "Counters (drops): not_vlan, too_short.\n\n"
           "Example: FromDevice(eth0) -> StripEtherVLANHeader(-1) -> CheckIPHeader -> ...",
    .state_size = sizeof(sev_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .configure = sev_configure,
    .push = sev_push,
};
PL_REGISTER_CLASS(strip_ether_vlan_header);
