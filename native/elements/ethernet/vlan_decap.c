/* VLANDecap: strips an 802.1Q header. */
#include "../../lib/netpkt.h"

typedef struct {
    uint8_t anno;
    uint64_t ethertype;
} vd_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static pl_packet *vd_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    vd_state *s = PL_STATE(e, vd_state);
    uint16_t tci = 0;
    if (p->len >= 16 && pl_rd16(p->data + 12) == s->ethertype) {
        memcpy(&tci, p->data + 14, 2);
        if (!pl_packet_writable(ctx->pool, p)) {
            pl_drop(ctx, e, C_NOBUFS, p);
            return NULL;
        }
        memmove(p->data + 4, p->data, 12);
        pl_packet_pull(p, 4);
    }
    p->mac_off = (uint16_t)(p->data - p->buf);
    if (s->anno)
        pl_anno_set_u16(p, PL_ANNO_VLAN_TCI, tci);
    return p;
}

static const pl_param params[] = {
    {"ANNO", PL_T_BOOL, offsetof(vd_state, anno), "true", 0, -1, PL_P_POSITIONAL,
     "set the VLAN TCI annotation (0 for untagged frames)"},
    {"ETHERTYPE", PL_T_UINT, offsetof(vd_state, ethertype), "0x8100", 0, 0xffff, 0,
     "the tag's Ethernet type"},
    {0}};

static const pl_class vlan_decap = {
    .name = "VLANDecap",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "VLANDecap([ANNO, ETHERTYPE])\n"
           "Strips an 802.1Q header.\n\n"
           "Removes the 802.1Q tag of frames that carry one (Ethernet type ETHERTYPE\n"
           "after the addresses), moving the addresses forward; other frames pass\n"
           "unchanged. With ANNO (the default) the VLAN TCI annotation gets the tag's\n"
           "TCI, 0 for untagged frames. Sets the MAC header annotation.\n"
           "Counters (drop): nobufs.\n\n"
           "Example: FromDevice(eth0) -> VLANDecap -> ... -> VLANEncap(ANNO) -> ...",
    .state_size = sizeof(vd_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .simple_action = vd_action,
};
PL_REGISTER_CLASS(vlan_decap);
