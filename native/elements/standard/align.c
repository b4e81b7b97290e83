/* Align: aligns packet data. */
#include "../../lib/netpkt.h"

typedef struct {
    uint64_t modulus, offset;
} align_state;

enum { C_NO_ROOM, C_NOBUFS };
static const char *const counters[] = {"no_room", "nobufs", NULL};

static int align_configure(pl_element *e, pl_error *err)
{
    align_state *s = PL_STATE(e, align_state);
    if (s->modulus != 2 && s->modulus != 4 && s->modulus != 8)
        return pl_seterr(err, PL_ERR_CONFIG, e, "MODULUS", "MODULUS must be 2, 4, or 8");
    if (s->offset >= s->modulus)
        return pl_seterr(err, PL_ERR_CONFIG, e, "OFFSET", "OFFSET must be smaller than MODULUS");
    return 0;
}

static pl_packet *align_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    align_state *s = PL_STATE(e, align_state);
    uintptr_t mask = (uintptr_t)s->modulus - 1;
    int delta = (int)s->offset - (int)((uintptr_t)p->data & mask);
    if (!delta)
        return p;
    if (delta < 0)
        delta += (int)mask + 1;
    /* Click's shift_data: the bytes move, the headers with them. */
    if (pl_tailroom(p) < (uint32_t)delta) {
        if (pl_headroom(p) < mask + 1 - (uint32_t)delta) {
            pl_drop(ctx, e, C_NO_ROOM, p);
            return NULL;
        }
        delta -= (int)mask + 1;
    }
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    memmove(p->data + delta, p->data, p->len);
    p->data += delta;
    if (p->mac_off != PL_OFF_UNSET)
        p->mac_off = (uint16_t)(p->mac_off + delta);
    if (p->net_off != PL_OFF_UNSET)
        p->net_off = (uint16_t)(p->net_off + delta);
    return p;
}

static const pl_param params[] = {
    {"MODULUS", PL_T_UINT, offsetof(align_state, modulus), NULL, 0, 8,
     PL_P_POSITIONAL | PL_P_REQUIRED, "2, 4 or 8"},
    {"OFFSET", PL_T_UINT, offsetof(align_state, offset), NULL, 0, 7,
     PL_P_POSITIONAL | PL_P_REQUIRED, "wanted data address modulo MODULUS"},
    {0}};

static const pl_class align = {
    .name = "Align",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Align(MODULUS, OFFSET)\n"
           "Aligns packet data.\n\n"
           "Moves each packet's data, within its buffer, so that its first byte's\n"
           "address is OFFSET modulo MODULUS; the header annotations move with it.\n"
           "The bytes are unchanged. pktlab's buffers start data 64-byte aligned, so\n"
           "Align(4, 0) passes packets as they are unless an element moved their start.\n"
           "Counters (drops): no_room, nobufs.\n\n"
           "Example: FromDevice(eth0) -> Align(4, 2) -> ...",
    .state_size = sizeof(align_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .configure = align_configure,
    .simple_action = align_action,
};
PL_REGISTER_CLASS(align);
