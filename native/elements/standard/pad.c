/* Pad: pads packets to a length, or by their extra length annotation. */
#include "../../lib/netpkt.h"

typedef struct {
    uint64_t length;
    uint8_t zero;
} pad_state;

enum { C_NO_ROOM, C_NOBUFS };
static const char *const counters[] = {"no_tailroom", "nobufs", NULL};

static pl_packet *pad_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    pad_state *s = PL_STATE(e, pad_state);
    uint64_t want = PL_LIVE(s->length);
    uint32_t put = want ? (p->len < want ? (uint32_t)(want - p->len) : 0)
                        : pl_anno_u32(p, PL_ANNO_EXTRA_LENGTH);
    if (put) {
        /* Click's put() moves a packet to a larger buffer; until the core can,
         * a packet without the tailroom is a counted drop. */
        if (__builtin_expect(pl_tailroom(p) < put, 0)) {
            pl_drop(ctx, e, C_NO_ROOM, p);
            return NULL;
        }
        if (!pl_packet_writable(ctx->pool, p)) {
            pl_drop(ctx, e, C_NOBUFS, p);
            return NULL;
        }
        if (s->zero)
            memset(p->data + p->len, 0, put);
        p->len += put;
    }
    pl_anno_set_u32(p, PL_ANNO_EXTRA_LENGTH, 0);
    return p;
}

static const pl_param params[] = {
    {"LENGTH", PL_T_UINT, offsetof(pad_state, length), "0", 0, 65535,
     PL_P_POSITIONAL | PL_P_LIVE, "pad shorter packets to this length (0: by the extra length "
     "annotation)"},
    {"ZERO", PL_T_BOOL, offsetof(pad_state, zero), "true", 0, -1, 0,
     "fill with zero bytes (false: leave the buffer's bytes)"},
    {0}};

static const pl_class pad = {
    .name = "Pad",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Pad([LENGTH, ZERO])\n"
           "Pad packets to a minimum length.\n\n"
           "Extends packets shorter than LENGTH bytes to LENGTH with zero bytes. With\n"
           "LENGTH 0 (the default), extends each packet by its extra length annotation\n"
           "instead (what an earlier Truncate cut off). The extra length annotation is\n"
           "cleared. A packet whose buffer has too little tailroom is dropped.\n"
           "Counters (drops): no_tailroom, nobufs.\n\n"
           "Example: ... -> Pad(60) -> ToDevice(eth0);",
    .state_size = sizeof(pad_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .simple_action = pad_action,
};
PL_REGISTER_CLASS(pad);
