/* PaintSwitch: sends each packet to the output its paint annotation names (Click's). */
#include "../../core/element.h"

#include <stdlib.h>
#include <strings.h>

typedef struct {
    char *anno;
    int off;                      /* byte of the generic annotations, -1: the paint field */
} pswitch_state;

enum { C_DROPS, C_NOBUFS };
static const char *const counters[] = {"drops", "nobufs", NULL};

static int ps_configure(pl_element *e, pl_error *err)
{
    pswitch_state *s = PL_STATE(e, pswitch_state);
    const char *a = s->anno ? s->anno : "PAINT";
    if (!strcasecmp(a, "PAINT")) {
        s->off = -1;
        return 0;
    }
    char *end;
    long v = strtol(a, &end, 0);
    if (end == a || *end || v < 0 || v >= PL_ANNO_SIZE)
        return pl_seterr(err, PL_ERR_CONFIG, e, "ANNO",
                         "ANNO: expected PAINT or an annotation byte 0..%d, got '%s'",
                         PL_ANNO_SIZE - 1, a);
    s->off = (int)v;
    return 0;
}

static pl_packet *copy_of(pl_ctx *ctx, const pl_packet *p)
{
    pl_packet *q = pl_packet_clone(ctx->pool, (pl_packet *)p);
    return q;
}

static void ps_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    pswitch_state *s = PL_STATE(e, pswitch_state);
    int n = e->noutputs;
    pl_packet *outs[PL_MAX_PORTS] = {0}, *drops = NULL;
    uint32_t nobufs = 0;
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        int o = s->off < 0 ? p->paint : p->anno[s->off];
        if (o != 0xFF || n == 0) {     /* (no outputs at all: nothing to copy to) */
            pl_batch_append(o < n ? &outs[o] : &drops, p);
            continue;
        }
        /* 255: a copy to every output, the original to the last. */
        for (int k = 0; k < n - 1; k++) {
            pl_packet *q = copy_of(ctx, p);
            if (q)
                pl_batch_append(&outs[k], q);
            else
                nobufs++;
        }
        pl_batch_append(&outs[n - 1], p);
    }
    if (nobufs)
        pl_count(ctx, e, C_NOBUFS, nobufs);
    pl_drop_batch(ctx, e, C_DROPS, drops);
    for (int k = 0; k < n; k++)
        if (outs[k])
            pl_output(ctx, e, k, outs[k]);
}

static const pl_param params[] = {
    {"ANNO", PL_T_STRING, offsetof(pswitch_state, anno), "PAINT", 0, -1, PL_P_POSITIONAL,
     "annotation that names the output: PAINT, or a byte of the generic annotations"},
    {0}};

static const pl_class paint_switch = {
    .name = "PaintSwitch",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "PaintSwitch([ANNO])\n"
           "Sends each packet to the output chosen by its paint annotation.\n\n"
           "Packet with paint K leaves on output K; paint 255 sends a copy (a clone,\n"
           "sharing the data) to every output. A packet whose output does not exist\n"
           "is dropped and counted (drops). ANNO names another one-byte annotation:\n"
           "a byte offset into the generic annotations.\n"
           "Counters: drops (drop), nobufs (copies the pool could not give).\n\n"
           "Example: src -> Paint(1) -> ps :: PaintSwitch => (out0, out1);",
    .state_size = sizeof(pswitch_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .configure = ps_configure,
    .push = ps_push,
};
PL_REGISTER_CLASS(paint_switch);
