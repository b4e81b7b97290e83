/*
 * FuzzSource and FuzzSink: the harness's own element classes. They are
 * registered like any class (so the engine wires and schedules them as it
 * does every element) but exist only in the fuzzer binary.
 *
 * FuzzSource pushes the input's packets in the batches the input asks for,
 * with the annotations, headroom and sharing (clones) it asks for: what any
 * upstream element could have handed the element under test.
 *
 * FuzzSink checks every batch it gets -- its links, count, length and tail,
 * every packet's bounds within its buffer -- and reads every byte of every
 * packet, so that ASan sees a packet whose data is not memory it may read.
 * A violation aborts: libFuzzer saves the input.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    fz_plan *plan;
    uint64_t sent;
} fzsrc_state;

void fz_source_set(pl_element *src, fz_plan *plan) { PL_STATE(src, fzsrc_state)->plan = plan; }
uint64_t fz_source_sent(pl_element *src) { return PL_STATE(src, fzsrc_state)->sent; }

/* One packet of the plan in a pool buffer (NULL when the pool is empty). */
static pl_packet *make(const fz_pkt *k, pl_ctx *ctx)
{
    pl_packet *p = pl_packet_alloc(ctx->pool);
    if (!p)
        return NULL;
    uint32_t head = k->flags & FZ_P_HEADROOM ? k->headroom : PL_HEADROOM;
    uint32_t room = (uint32_t)(p->buf_end - p->buf);
    uint32_t len = k->len;
    if (head > room)
        head = room;
    if (len > room - head)
        len = room - head;
    p->data = p->buf + head;
    p->len = len;
    memcpy(p->data, k->data, len);
    if (k->flags & FZ_P_MAC)
        p->mac_off = (uint16_t)head;
    if (k->flags & FZ_P_NET)
        p->net_off = k->net == 255 ? PL_OFF_UNSET : (uint16_t)(head + k->net);
    if (k->flags & FZ_P_ANNO) {
        p->paint = k->paint;
        memcpy(p->anno, k->anno, sizeof k->anno);
        p->dst_ip = k->dst_ip;
    }
    return pl_batch_one(p);
}

static uint32_t src_run(pl_element *e, pl_ctx *ctx)
{
    fzsrc_state *s = PL_STATE(e, fzsrc_state);
    fz_plan *plan = s->plan;
    pl_packet *b = NULL;
    while (plan && plan->pos < plan->n && pl_batch_count(b) < 256) {
        const fz_pkt *k = &plan->v[plan->pos++];
        pl_packet *p = make(k, ctx);
        if (p && (k->flags & FZ_P_CLONE)) {
            /* Two packets sharing p's data; p itself only holds the buffer
             * from now on (it never leaves: no packet of the graph). */
            pl_packet *c1 = pl_packet_clone(ctx->pool, p), *c2 = pl_packet_clone(ctx->pool, p);
            pl_packet_free(ctx->pool, p);
            p = NULL;
            if (c1)
                pl_batch_append(&b, c1);
            if (c2)
                pl_batch_append(&b, c2);
        } else if (p) {
            pl_batch_append(&b, p);
        }
        if (k->flags & FZ_P_BATCH_END)
            break;
    }
    if (!plan || plan->pos >= plan->n)
        atomic_store_explicit(&e->task_done, 1, memory_order_relaxed);
    if (!b)
        return plan && plan->pos < plan->n;
    uint32_t n = b->b_count;
    s->sent += n;
    pl_output_source(ctx, e, 0, b);
    return n;
}

const pl_class fz_source_class = {
    .name = "FuzzSource",
    .ports = "0/1",
    .processing = "a/h",
    .doc = "FuzzSource\nThe element fuzzer's source (native/fuzz only).",
    .state_size = sizeof(fzsrc_state),
    .run_task = src_run,
};
PL_REGISTER_CLASS(fz_source_class);

static void fail(const pl_element *e, const char *what, unsigned long long a, unsigned long long b)
{
    fprintf(stderr, "FuzzSink %s: %s (%llu, %llu)\n", e->name, what, a, b);
    abort();
}

static void sink_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    if (!b)
        fail(e, "empty batch pushed", 0, 0);
    uint32_t n = 0;
    uint64_t bytes = 0;
    pl_packet *last = b;
    volatile uint8_t sum = 0;
    for (pl_packet *p = b; p; p = p->next) {
        if (++n > (1u << 20))
            fail(e, "batch list does not end", n, 0);
        if (p->data < p->buf || p->data > p->buf_end || p->len > (uint32_t)(p->buf_end - p->data))
            fail(e, "packet data outside its buffer", (unsigned long long)(p->data - p->buf),
                 p->len);
        if (!p->origin || atomic_load_explicit(&p->origin->refs, memory_order_relaxed) == 0)
            fail(e, "packet without a live buffer owner", n, 0);
        for (uint32_t i = 0; i < p->len; i++)
            sum += p->data[i];
        bytes += p->len;
        last = p;
    }
    (void)sum;
    if (n != b->b_count)
        fail(e, "batch count differs from its list", b->b_count, n);
    if (bytes != b->b_bytes)
        fail(e, "batch bytes differ from its packets", b->b_bytes, bytes);
    if (last != b->b_tail)
        fail(e, "batch tail is not its last packet", 0, 0);
    pl_drop_batch(ctx, e, 0, b);
}

static const char *const sink_counters[] = {"count", NULL};

const pl_class fz_sink_class = {
    .name = "FuzzSink",
    .ports = "1/0",
    .processing = "h/h",
    .doc = "FuzzSink\nThe element fuzzer's sink (native/fuzz only).",
    .counters = sink_counters,
    .ndrops = 1,
    .push = sink_push,
};
PL_REGISTER_CLASS(fz_sink_class);
