/* Resize: adds or removes bytes at the front and the end of each packet. */
#include "../../core/element.h"

typedef struct {
    int64_t head, tail;
} resize_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static pl_packet *resize_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    resize_state *s = PL_STATE(e, resize_state);
    int64_t head = PL_LIVE(s->head), tail = PL_LIVE(s->tail);
    if (head > 0) {
        p = pl_push_nonunique(ctx, e, C_NOBUFS, p, (uint32_t)head);
        if (!p)
            return NULL;
    } else if (head < 0) {
        pl_packet_pull(p, (uint64_t)-head > p->len ? p->len : (uint32_t)-head);
    }
    if (tail > 0) {
        p = pl_put(ctx, e, C_NOBUFS, p, (uint32_t)tail);
        if (!p)
            return NULL;
    } else if (tail < 0) {
        pl_packet_take(p, (uint64_t)-tail > p->len ? p->len : (uint32_t)-tail);
    }
    return p;
}

static const pl_param params[] = {
    {"HEAD", PL_T_INT, offsetof(resize_state, head), "0", -65535, 65535,
     PL_P_POSITIONAL | PL_P_LIVE, "bytes added in front (negative: removed)"},
    {"TAIL", PL_T_INT, offsetof(resize_state, tail), "0", -65535, 65535,
     PL_P_POSITIONAL | PL_P_LIVE, "bytes added at the end (negative: removed)"},
    {0}};

static const pl_class resize = {
    .name = "Resize",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Resize([HEAD, TAIL])\n"
           "Adjusts packet length.\n\n"
           "Adds HEAD bytes in front of each packet and TAIL bytes at its end; a negative\n"
           "number removes bytes instead (at most the whole packet). Added bytes are not\n"
           "set, and the packet is copied only when they do not fit in its headroom or\n"
           "tailroom (or, at the end, when its data is shared).\n\n"
           "Keywords: HEAD, TAIL (handlers head, tail: read/write).\n"
           "Counters: nobufs.\n\n"
           "Example: ... -> Resize(HEAD -2) -> Resize(4, -2) -> ...;",
    .state_size = sizeof(resize_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .simple_action = resize_action,
};
PL_REGISTER_CLASS(resize);
