/* SetVLANAnno: sets the VLAN TCI annotation. */
#include "../../lib/netpkt.h"

typedef struct {
    int64_t tci;
    uint64_t pcp, id;
    uint16_t net;
} sva_state;

static int sva_configure(pl_element *e, pl_error *err)
{
    (void)err;
    sva_state *s = PL_STATE(e, sva_state);
    pl_wr16((uint8_t *)&s->net, (uint16_t)((s->tci >= 0 ? (uint64_t)s->tci : s->id) | s->pcp << 13));
    return 0;
}

static pl_packet *sva_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    pl_anno_set_u16(p, PL_ANNO_VLAN_TCI, PL_STATE(e, sva_state)->net);
    return p;
}

static int read_tci(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%u", pl_rd16((const uint8_t *)&PL_STATE(e, sva_state)->net));
}

static const pl_param params[] = {
    {"VLAN_TCI", PL_T_INT, offsetof(sva_state, tci), "-1", -1, 0xffff, PL_P_POSITIONAL,
     "the whole tag control information"},
    {"VLAN_PCP", PL_T_UINT, offsetof(sva_state, pcp), "0", 0, 7, PL_P_POSITIONAL, "priority"},
    {"VLAN_ID", PL_T_UINT, offsetof(sva_state, id), "0", 0, 0xfff, 0, "VLAN identifier"},
    {0}};

static const pl_handler handlers[] = {
    {"vlan_tci_value", "the TCI the annotation gets", read_tci, NULL},
    {0}};

static const pl_class set_vlan_anno = {
    .name = "SetVLANAnno",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "SetVLANAnno(VLAN_TCI [, VLAN_PCP, KEYWORDS])\n"
           "Sets VLAN annotation.\n\n"
           "Sets each packet's VLAN TCI annotation (what VLANEncap(ANNO) tags with) to\n"
           "VLAN_TCI, or to VLAN_ID with VLAN_PCP.\n\n"
           "Example: ... -> SetVLANAnno(VLAN_ID 3, VLAN_PCP 5) -> VLANEncap(ANNO) -> ...",
    .state_size = sizeof(sva_state),
    .params = params,
    .handlers = handlers,
    .configure = sva_configure,
    .simple_action = sva_action,
};
PL_REGISTER_CLASS(set_vlan_anno);
