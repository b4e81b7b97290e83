/* Latency histograms: per-thread log-linear buckets (lathist.h). */
#include "lathist.h"

#include "../core/anno.h"

#include <stdlib.h>
#include <string.h>

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define ADD(x, n) STORE(x, LOAD(x) + (n))

int pl_lh_init(pl_lh *h, int nthreads)
{
    h->nthreads = nthreads < 1 ? 1 : nthreads;
    h->t = aligned_alloc(64, (size_t)h->nthreads * sizeof *h->t);
    if (!h->t)
        return -1;
    memset(h->t, 0, (size_t)h->nthreads * sizeof *h->t);
    for (int i = 0; i < h->nthreads; i++)
        h->t[i].min = UINT64_MAX;
    atomic_init(&h->gen, 0);
    return 0;
}

void pl_lh_free(pl_lh *h)
{
    free(h->t);
    h->t = NULL;
}

/* The owner's block, zeroed first when a reset happened since it last counted. */
static pl_lh_block *own(pl_lh *h, int tid)
{
    pl_lh_block *t = &h->t[tid < h->nthreads && tid >= 0 ? tid : 0];
    uint64_t g = atomic_load_explicit(&h->gen, memory_order_acquire);
    if (__builtin_expect(__atomic_load_n(&t->gen, __ATOMIC_RELAXED) != g, 0)) {
        STORE(t->count, 0);
        STORE(t->sum, 0);
        STORE(t->max, 0);
        STORE(t->min, UINT64_MAX);
        STORE(t->future, 0);
        for (unsigned i = 0; i < PL_LH_BUCKETS; i++)
            STORE(t->bucket[i], 0);
        __atomic_store_n(&t->gen, g, __ATOMIC_RELEASE);
    }
    return t;
}

static void add_totals(pl_lh_block *t, uint64_t n, uint64_t sum, uint64_t mx, uint64_t mn)
{
    ADD(t->count, n);
    ADD(t->sum, sum);
    if (mx > LOAD(t->max))
        STORE(t->max, mx);
    if (mn < LOAD(t->min))
        STORE(t->min, mn);
}

uint32_t pl_lh_record_batch(pl_lh *h, int tid, const pl_packet *b, uint64_t now)
{
    pl_lh_block *t = own(h, tid);
    uint64_t n = 0, sum = 0, mx = 0, mn = UINT64_MAX, future = 0;
    uint32_t unstamped = 0;
    for (const pl_packet *p = b; p; p = p->next) {
        uint64_t ts;
        memcpy(&ts, p->anno + PL_ANNO_FIRST_TIMESTAMP, 8);
        if (!ts) {
            unstamped++;
            continue;
        }
        uint64_t d = 0;
        if (ts > now)                 /* the wall clock stepped back: counted as 0 */
            future++;
        else
            d = now - ts;
        ADD(t->bucket[pl_lh_index(d)], 1);
        n++;
        sum += d;
        mx = d > mx ? d : mx;
        mn = d < mn ? d : mn;
    }
    if (n)
        add_totals(t, n, sum, mx, mn);
    if (__builtin_expect(future, 0))
        ADD(t->future, future);
    return unstamped;
}

void pl_lh_record(pl_lh *h, int tid, uint64_t v)
{
    pl_lh_block *t = own(h, tid);
    ADD(t->bucket[pl_lh_index(v)], 1);
    add_totals(t, 1, v, v, v);
}

void pl_lh_reset(pl_lh *h) { atomic_fetch_add_explicit(&h->gen, 1, memory_order_release); }

void pl_lh_merge(pl_lh *h, pl_lh_sum *out)
{
    memset(out, 0, sizeof *out);
    out->min = UINT64_MAX;
    uint64_t g = atomic_load_explicit(&h->gen, memory_order_acquire);
    for (int k = 0; k < h->nthreads; k++) {
        pl_lh_block *t = &h->t[k];
        if (__atomic_load_n(&t->gen, __ATOMIC_ACQUIRE) != g)
            continue;                 /* nothing counted since the reset */
        out->count += LOAD(t->count);
        out->sum += LOAD(t->sum);
        out->future += LOAD(t->future);
        uint64_t mx = LOAD(t->max), mn = LOAD(t->min);
        out->max = mx > out->max ? mx : out->max;
        out->min = mn < out->min ? mn : out->min;
        for (unsigned i = 0; i < PL_LH_BUCKETS; i++)
            out->bucket[i] += LOAD(t->bucket[i]);
    }
    if (out->min == UINT64_MAX)
        out->min = 0;
}

void pl_lh_sum_add(pl_lh_sum *to, const pl_lh_sum *from)
{
    if (!from->count)
        return;
    to->min = !to->count || from->min < to->min ? from->min : to->min;
    to->max = from->max > to->max ? from->max : to->max;
    to->count += from->count;
    to->sum += from->sum;
    to->future += from->future;
    for (unsigned i = 0; i < PL_LH_BUCKETS; i++)
        to->bucket[i] += from->bucket[i];
}

uint64_t pl_lh_quantile(const pl_lh_sum *s, double q)
{
    uint64_t total = 0;
    for (unsigned i = 0; i < PL_LH_BUCKETS; i++)
        total += s->bucket[i];
    if (!total)
        return 0;
    if (!(q > 0))
        return s->min;
    if (q >= 1)
        return s->max;
    double want = q * (double)total;
    uint64_t rank = (uint64_t)want;
    if ((double)rank < want)
        rank++;                       /* the ceil(q * n)-th value, as HdrHistogram */
    uint64_t seen = 0;
    for (unsigned i = 0; i < PL_LH_BUCKETS; i++) {
        seen += s->bucket[i];
        if (seen >= rank) {
            uint64_t v = pl_lh_low(i) + pl_lh_width(i) - 1;
            if (v > s->max)
                v = s->max;
            return v < s->min ? s->min : v;
        }
    }
    return s->max;
}
