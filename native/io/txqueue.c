/* What the device outputs share: TX queues from the thread vector, and the
 * internal queue's bound (io.h). */
#include "io.h"

int pl_tx_assign(uint64_t threads, int nthreads, uint32_t nq, int32_t *qi, uint8_t *shared)
{
    uint32_t users[256] = {0};
    uint32_t k = 0;
    for (int t = 0; t < nthreads; t++) {
        qi[t] = -1;
        shared[t] = 0;
        if (!nq || !(threads >> (t < 63 ? t : 63) & 1))
            continue;
        qi[t] = (int32_t)(k++ % nq);
        users[qi[t] % 256]++;
    }
    int locked = 0;
    for (int t = 0; t < nthreads; t++)
        if (qi[t] >= 0 && users[qi[t] % 256] > 1) {
            shared[t] = 1;
            locked++;
        }
    return locked;
}

pl_packet *pl_batch_keep(pl_element *e, pl_ctx *ctx, int counter, pl_packet *b, uint64_t keep)
{
    if (!b || b->b_count <= keep)
        return b;
    if (!keep) {
        pl_drop_batch(ctx, e, counter, b);
        return NULL;
    }
    pl_packet *last = b;
    uint64_t bytes = b->len;
    for (uint64_t i = 1; i < keep; i++) {
        last = last->next;
        bytes += last->len;
    }
    pl_packet *rest = last->next;
    rest->b_count = b->b_count - (uint32_t)keep;
    rest->b_bytes = b->b_bytes - bytes;
    rest->b_tail = b->b_tail;
    last->next = NULL;
    b->b_tail = last;
    b->b_count = (uint32_t)keep;
    b->b_bytes = bytes;
    pl_drop_batch(ctx, e, counter, rest);
    return b;
}
