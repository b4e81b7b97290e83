/* Clipboard: copies byte ranges of packets on input 0 into packets on input 1. */
#include "../../core/element.h"

#include <stdlib.h>
#include <string.h>

#define CB_RANGES 32

typedef struct {
    pl_args ranges;
    int n;
    uint32_t off[CB_RANGES], len[CB_RANGES];
    uint32_t min_len, size;
    uint8_t *board;
} clip_state;

enum { C_NOBUFS };
static const char *const counters[] = {"nobufs", NULL};

static int clip_configure(pl_element *e, pl_error *err)
{
    clip_state *s = PL_STATE(e, clip_state);
    if (s->ranges.n > CB_RANGES)
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "at most %d ranges", CB_RANGES);
    s->n = s->ranges.n;
    s->min_len = s->size = 0;
    for (int i = 0; i < s->n; i++) {
        const char *a = s->ranges.v[i];
        char *end, *end2;
        unsigned long off = strtoul(a, &end, 0);
        if (end == a || *end != '/' || !end[1])
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "range %d: expected '/' between offset "
                             "and length", i);
        unsigned long len = strtoul(end + 1, &end2, 0);
        if (*end2 || off > PL_MAX_LEN || len > PL_MAX_LEN)
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "range %d: invalid offset or length", i);
        s->off[i] = (uint32_t)off;
        s->len[i] = (uint32_t)len;
        s->size += (uint32_t)len;
        if (off + len > s->min_len)
            s->min_len = (uint32_t)(off + len);
    }
    free(s->board);
    s->board = calloc(1, s->size ? s->size : 1);
    return s->board ? 0 : pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
}

static void clip_cleanup(pl_element *e)
{
    clip_state *s = PL_STATE(e, clip_state);
    free(s->board);
    s->board = NULL;
}

static void copy_in(clip_state *s, const pl_packet *p)
{
    uint8_t *dst = s->board;
    for (int i = 0; i < s->n; i++) {
        uint32_t have = p->len > s->off[i] ? p->len - s->off[i] : 0;
        memcpy(dst, p->data + s->off[i], have < s->len[i] ? have : s->len[i]);
        dst += s->len[i];
    }
}

static pl_packet *paste(pl_element *e, clip_state *s, pl_packet *p, pl_ctx *ctx)
{
    if (p->len < s->min_len)
        return p;
    p = pl_writable(ctx, e, C_NOBUFS, p);
    if (!p)
        return NULL;
    const uint8_t *src = s->board;
    for (int i = 0; i < s->n; i++) {
        memcpy(p->data + s->off[i], src, s->len[i]);
        src += s->len[i];
    }
    return p;
}

static void clip_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    clip_state *s = PL_STATE(e, clip_state);
    if (port == 0) {
        PL_BATCH_FOREACH(p, b)
            copy_in(s, p);
        pl_output(ctx, e, 0, b);
        return;
    }
    pl_packet *out = NULL;
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        pl_packet *q = paste(e, s, p, ctx);
        if (q)
            pl_batch_append(&out, q);
    }
    if (out)
        pl_output(ctx, e, 1, out);
}

static pl_packet *clip_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    clip_state *s = PL_STATE(e, clip_state);
    pl_packet *b = pl_input_pull(ctx, e, port, max);
    if (!b)
        return NULL;
    if (port == 0) {
        PL_BATCH_FOREACH(p, b)
            copy_in(s, p);
        return b;
    }
    pl_packet *out = NULL;
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        pl_packet *q = paste(e, s, p, ctx);
        if (q)
            pl_batch_append(&out, q);
    }
    return out;
}

static const pl_param params[] = {
    {"RANGE", PL_T_ARGS, offsetof(clip_state, ranges), NULL, 0, -1, PL_P_POSITIONAL,
     "byte ranges OFFSET/LENGTH, one per argument"},
    {0}};

static const pl_class clipboard = {
    .name = "Clipboard",
    .ports = "2/2",
    .processing = "a/a",
    .doc = "Clipboard(RANGE_1, ..., RANGE_N)\n"
           "Copies data from one packet to another.\n\n"
           "Each RANGE is OFFSET/LENGTH. A packet arriving on input 0 has those bytes\n"
           "copied to the clipboard and leaves unchanged by output 0; a packet arriving\n"
           "on input 1 gets the clipboard's bytes written over the same ranges (a private\n"
           "copy when its data is shared) and leaves by output 1. A packet on input 1\n"
           "shorter than the ranges passes unchanged. Either pair works push or pull.\n\n"
           "Counters: nobufs.\n\n"
           "Example: clipboard :: Clipboard(0/1, 2/1, 9/1);",
    .state_size = sizeof(clip_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .configure = clip_configure,
    .cleanup = clip_cleanup,
    .push = clip_push,
    .pull = clip_pull,
};
PL_REGISTER_CLASS(clipboard);
