/* What the packet sources share: their packet's bytes (DATA repeated or cut
 * to LENGTH, Click's default text otherwise) and a batch of fresh copies. */
#ifndef PL_ELEMENTS_SOURCE_H
#define PL_ELEMENTS_SOURCE_H

#include "../../core/args.h"

#include <stdlib.h>

#define PL_SOURCE_DEFAULT_DATA "Random bullshit in a packet, at least 64 bytes long. Well, now it is."

typedef struct pl_source_data {
    uint8_t *bytes;
    uint32_t len;
} pl_source_data;

/* length < 0: DATA's own length. */
static inline int pl_source_data_make(pl_element *e, const pl_bytes *data, int64_t length,
                                      pl_source_data *out, pl_error *err)
{
    const uint8_t *src = data && data->len ? data->data : (const uint8_t *)PL_SOURCE_DEFAULT_DATA;
    size_t srclen = data && data->len ? data->len : sizeof PL_SOURCE_DEFAULT_DATA - 1;
    size_t len = length >= 0 ? (size_t)length : srclen;
    if (len > PL_BUFSIZE - PL_HEADROOM)
        return pl_seterr(err, PL_ERR_CONFIG, e, "LENGTH", "LENGTH %zu is larger than %d", len,
                         PL_BUFSIZE - PL_HEADROOM);
    free(out->bytes);
    out->bytes = malloc(len ? len : 1);
    if (!out->bytes)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    for (size_t i = 0; i < len; i++)
        out->bytes[i] = srclen ? src[i % srclen] : 0;
    out->len = (uint32_t)len;
    return 0;
}

/* n packets of the data, timestamped with ts (0: none) and stamped when the
 * engine's timestamps are on; NULL when the pool has none (counted by the caller). */
static inline pl_packet *pl_source_batch(pl_ctx *ctx, const pl_source_data *d, uint32_t n,
                                         uint64_t ts)
{
    pl_packet *b = NULL;
    uint64_t first = pl_stamp_now(ctx);
    for (uint32_t i = 0; i < n; i++) {
        pl_packet *p = pl_packet_alloc(ctx->pool);
        if (!p)
            break;
        if (first)
            pl_stamp(p, first);
        memcpy(p->data, d->bytes, d->len);
        p->len = d->len;
        p->mac_off = PL_HEADROOM;
        p->timestamp = ts;
        pl_batch_append(&b, p);
    }
    return b;
}

#endif
