/* VLANEncap: pushes an 802.1Q header. */
#include "../../core/args.h"
#include "../../lib/netpkt.h"

#include <stdlib.h>

typedef struct {
    char *tci_s;
    uint64_t pcp, id, ethertype;
    int64_t native;
    int use_anno;
    uint16_t tci;                 /* network order */
    int32_t native_net;           /* network order, -1: none */
} ve_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static int ve_configure(pl_element *e, pl_error *err)
{
    ve_state *s = PL_STATE(e, ve_state);
    long tci = -1;
    s->use_anno = s->tci_s && !strcmp(s->tci_s, "ANNO");
    if (s->tci_s && !s->use_anno) {
        char *end;
        tci = strtol(s->tci_s, &end, 0);
        if (!*s->tci_s || *end || tci < 0 || tci > 0xffff)
            return pl_seterr(err, PL_ERR_CONFIG, e, "VLAN_TCI",
                             "VLAN_TCI: expected 0-65535 or ANNO, got '%s'", s->tci_s);
    }
    uint16_t h = (uint16_t)((tci >= 0 ? (uint64_t)tci : s->id) | s->pcp << 13);
    pl_wr16((uint8_t *)&s->tci, h);
    s->native_net = -1;
    if (s->native >= 0) {
        uint16_t n;
        pl_wr16((uint8_t *)&n, (uint16_t)s->native);
        s->native_net = n;
    }
    return 0;
}

static pl_packet *ve_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    ve_state *s = PL_STATE(e, ve_state);
    uint16_t tci = s->use_anno ? pl_anno_u16(p, PL_ANNO_VLAN_TCI) : s->tci;
    uint16_t idmask;
    pl_wr16((uint8_t *)&idmask, 0xfff);
    if ((int32_t)(tci & idmask) == s->native_net) {    /* the native VLAN goes untagged */
        p->mac_off = (uint16_t)(p->data - p->buf);
        return p;
    }
    if (!pl_packet_push_front(ctx->pool, p, 4)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    uint32_t n = p->len - 4 < 12 ? p->len - 4 : 12;
    memmove(p->data, p->data + 4, n);
    pl_wr16(p->data + 12, (uint16_t)s->ethertype);
    memcpy(p->data + 14, &tci, 2);
    p->mac_off = (uint16_t)(p->data - p->buf);
    return p;
}

static const pl_param params[] = {
    {"VLAN_TCI", PL_T_STRING, offsetof(ve_state, tci_s), NULL, 0, -1, PL_P_POSITIONAL,
     "the whole tag control information (0-65535), or ANNO: the VLAN TCI annotation"},
    {"VLAN_PCP", PL_T_UINT, offsetof(ve_state, pcp), "0", 0, 7, PL_P_POSITIONAL, "priority"},
    {"VLAN_ID", PL_T_UINT, offsetof(ve_state, id), "0", 0, 0xfff, 0, "VLAN identifier"},
    {"NATIVE_VLAN", PL_T_INT, offsetof(ve_state, native), "0", -1, 0xfff, 0,
     "VLAN sent untagged (-1: none)"},
    {"ETHERTYPE", PL_T_UINT, offsetof(ve_state, ethertype), "0x8100", 0, 0xffff, 0,
     "the tag's Ethernet type"},
    {0}};

static const pl_class vlan_encap = {
    .name = "VLANEncap",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "VLANEncap(VLAN_TCI [, VLAN_PCP, KEYWORDS])\n"
           "Pushes an 802.1Q header.\n\n"
           "Inserts a 4-byte 802.1Q tag (ETHERTYPE, then the TCI) after the Ethernet\n"
           "addresses of each frame. The TCI is VLAN_TCI, or VLAN_ID with VLAN_PCP, or\n"
           "with VLAN_TCI ANNO the VLAN TCI annotation (VLANDecap, SetVLANAnno). Frames\n"
           "whose VLAN ID is NATIVE_VLAN (0 by default) leave untagged. The tag goes in\n"
           "the headroom. Counters (drop): nobufs.\n\n"
           "Example: ... -> EtherEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2) -> VLANEncap(VLAN_ID 7) -> ...",
    .state_size = sizeof(ve_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .configure = ve_configure,
    .simple_action = ve_action,
};
PL_REGISTER_CLASS(vlan_encap);
