/* EtherVLANEncap: prepends an 802.1Q Ethernet header (Click's). */
#include "../../core/args.h"
#include "../../lib/netpkt.h"

#include <stdlib.h>

typedef struct {
    uint64_t ethertype;
    uint8_t src[6], dst[6];
    char *tci_s;
    uint64_t pcp, id;
    int64_t native;
    int use_anno;
    uint16_t tci;                 /* network order */
    int32_t native_net;           /* network order, -1: none */
} eve_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static int eve_configure(pl_element *e, pl_error *err)
{
    eve_state *s = PL_STATE(e, eve_state);
    long tci = -1;
    s->use_anno = s->tci_s && !strncmp(s->tci_s, "ANNO", 4) && !s->tci_s[4];
    if (s->tci_s && !s->use_anno) {
        char *end;
        tci = strtol(s->tci_s, &end, 0);
        if (!*s->tci_s || *end || tci < 0 || tci > 0xffff)
            return pl_seterr(err, PL_ERR_CONFIG, e, "VLAN_TCI",
                             "VLAN_TCI: expected 0-65535 or ANNO, got '%s'", s->tci_s);
    }
    pl_wr16((uint8_t *)&s->tci, (uint16_t)((tci >= 0 ? (uint64_t)tci : s->id) | s->pcp << 13));
    s->native_net = -1;
    if (s->native >= 0) {
        uint16_t n;
        pl_wr16((uint8_t *)&n, (uint16_t)s->native);
        s->native_net = n;
    }
    return 0;
}

/* An 18-byte 802.1Q header, or 14 bytes when the VLAN ID is NATIVE_VLAN. */
static pl_packet *eve_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    eve_state *s = PL_STATE(e, eve_state);
    uint16_t tci = s->use_anno ? pl_anno_u16(p, PL_ANNO_VLAN_TCI) : s->tci, idmask;
    pl_wr16((uint8_t *)&idmask, 0xfff);
    int untagged = (int32_t)(tci & idmask) == s->native_net;
    uint32_t n = untagged ? PL_ETHER_HLEN : PL_ETHER_HLEN + 4;
    if (!pl_packet_push_front(ctx->pool, p, n)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    memcpy(p->data, s->dst, 6);
    memcpy(p->data + 6, s->src, 6);
    if (untagged) {
        pl_wr16(p->data + 12, (uint16_t)s->ethertype);
    } else {
        pl_wr16(p->data + 12, 0x8100);
        memcpy(p->data + 14, &tci, 2);
        pl_wr16(p->data + 16, (uint16_t)s->ethertype);
    }
    p->mac_off = (uint16_t)(p->data - p->buf);
    return p;
}

static int read_vlan_tci(pl_element *e, char *buf, size_t len)
{
    eve_state *s = PL_STATE(e, eve_state);
    if (s->use_anno)
        return pl_fmt(buf, len, "ANNO");
    return pl_fmt(buf, len, "%u", (unsigned)pl_rd16((const uint8_t *)&s->tci));
}

static const pl_param params[] = {
    {"ETHERTYPE", PL_T_UINT, offsetof(eve_state, ethertype), NULL, 0, 65535,
     PL_P_POSITIONAL | PL_P_REQUIRED, "the encapsulated Ethernet type (0x0800 for IP)"},
    {"SRC", PL_T_ETHER, offsetof(eve_state, src), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "source Ethernet address"},
    {"DST", PL_T_ETHER, offsetof(eve_state, dst), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "destination Ethernet address"},
    {"VLAN_TCI", PL_T_STRING, offsetof(eve_state, tci_s), NULL, 0, -1, PL_P_POSITIONAL,
     "the whole tag control information (0-65535), or ANNO: the VLAN TCI annotation"},
    {"VLAN_PCP", PL_T_UINT, offsetof(eve_state, pcp), "0", 0, 7, PL_P_POSITIONAL, "priority"},
    {"VLAN_ID", PL_T_UINT, offsetof(eve_state, id), "0", 0, 0xfff, 0, "VLAN identifier"},
    {"NATIVE_VLAN", PL_T_INT, offsetof(eve_state, native), "0", -1, 0xfff, 0,
     "VLAN sent with a plain Ethernet header (-1: none)"},
    {0}};

static const pl_handler handlers[] = {
    {"vlan_tci", "the TCI, or ANNO", read_vlan_tci, NULL, 0},
    {0}};

static const pl_class ether_vlan_encap = {
    .name = "EtherVLANEncap",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "EtherVLANEncap(ETHERTYPE, SRC, DST, VLAN_TCI [, VLAN_PCP, KEYWORDS])\n"
           "Encapsulates packets in an 802.1Q Ethernet header.\n\n"
           "Prepends DST, SRC, 0x8100, the tag control information and ETHERTYPE (18\n"
           "bytes, in the headroom) and sets the MAC header annotation. The TCI is\n"
           "VLAN_TCI, or VLAN_ID with VLAN_PCP; VLAN_TCI ANNO takes the VLAN TCI\n"
           "annotation (StripEtherVLANHeader, VLANDecap, SetVLANAnno). A packet whose\n"
           "VLAN ID is NATIVE_VLAN (0 by default, -1 for none) gets a plain 14-byte\n"
           "Ethernet header instead, as Click's.\n"
           "Handlers: vlan_tci. Counters (drop): nobufs.\n\n"
           "Example: ... -> EtherVLANEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2, VLAN_ID 7) -> ...",
    .state_size = sizeof(eve_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .configure = eve_configure,
    .simple_action = eve_action,
};
PL_REGISTER_CLASS(ether_vlan_encap);
