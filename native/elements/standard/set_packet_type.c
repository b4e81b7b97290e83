/* SetPacketType: sets the packet type annotation. */
#include "../../lib/netpkt.h"

#include <strings.h>

typedef struct {
    char *type_s;
    uint8_t type;
} spt_state;

static const char *const names[] = {"HOST", "BROADCAST", "MULTICAST", "OTHERHOST", "OUTGOING",
                                    "LOOPBACK", NULL};

static int spt_configure(pl_element *e, pl_error *err)
{
    spt_state *s = PL_STATE(e, spt_state);
    for (int i = 0; names[i]; i++)
        if (!strcasecmp(s->type_s, names[i]))
            return s->type = (uint8_t)i, 0;
    return pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "TYPE: unrecognized packet type '%s' (HOST, "
                     "BROADCAST, MULTICAST, OTHERHOST, OUTGOING, LOOPBACK)", s->type_s);
}

static pl_packet *spt_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    pl_anno_set_u8(p, PL_ANNO_PACKET_TYPE, PL_STATE(e, spt_state)->type);
    return p;
}

static const pl_param params[] = {
    {"TYPE", PL_T_STRING, offsetof(spt_state, type_s), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "HOST, BROADCAST, MULTICAST, OTHERHOST, OUTGOING or LOOPBACK"},
    {0}};

static const pl_class set_packet_type = {
    .name = "SetPacketType",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "SetPacketType(TYPE)\n"
           "Sets packet type annotation.\n\n"
           "Sets the link-level packet type annotation of each packet to TYPE: HOST,\n"
           "BROADCAST, MULTICAST, OTHERHOST, OUTGOING or LOOPBACK (ICMPError and\n"
           "DropBroadcasts read it).\n\n"
           "Example: ... -> SetPacketType(BROADCAST) -> ICMPError(...)  // sends nothing",
    .state_size = sizeof(spt_state),
    .params = params,
    .configure = spt_configure,
    .simple_action = spt_action,
};
PL_REGISTER_CLASS(set_packet_type);
