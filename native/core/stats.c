/*
 * The statistics region: per-thread blocks of uint64 counters, 64-byte
 * aligned, with room to spare for elements added by live change. Indices are
 * never reused, so a replaced element's final counts stay readable.
 *
 * When live change needs more room, a larger region is made while the
 * workers are parked at a quiescent point; the old region is kept (not
 * freed) until the engine is freed, so views that Python still holds on it
 * stay valid (stale) until they are remapped (the layout's generation).
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

typedef struct pl_region {
    struct pl_region *next;
    uint64_t *base;
} pl_region;

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

static int region_make(pl_engine *e, uint32_t cap_ports, uint32_t cap_counters, pl_stats_layout *L,
                       pl_error *err)
{
    size_t T = (size_t)e->nthreads;
    size_t pstride = pad8((size_t)cap_ports * 4);
    size_t hstride = pad8((size_t)cap_ports * PL_HIST_BINS);
    size_t cstride = pad8((size_t)cap_counters);
    size_t total = T * (pstride + hstride + cstride);
    if (!total)
        total = 8;
    uint64_t *base = aligned_alloc(64, total * sizeof(uint64_t));
    if (!base)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory for statistics");
    memset(base, 0, total * sizeof(uint64_t));
    *L = (pl_stats_layout){
        .base = base,
        .bytes = total * sizeof(uint64_t),
        .threads = e->nthreads,
        .nports = (int)cap_ports,
        .ncounters = (int)cap_counters,
        .ports_off = 0,
        .ports_stride = pstride,
        .hist_off = T * pstride,
        .hist_stride = hstride,
        .counters_off = T * (pstride + hstride),
        .counters_stride = cstride,
        .hist_bins = PL_HIST_BINS,
        .generation = e->layout.generation + 1,
    };
    return 0;
}

static void point_workers(pl_engine *e)
{
    const pl_stats_layout *L = &e->layout;
    for (int t = 0; e->workers && t < e->nthreads; t++) {
        pl_ctx *c = &e->workers[t].ctx;
        c->port_stats = L->base + L->ports_off + (size_t)t * L->ports_stride;
        c->hist = L->base + L->hist_off + (size_t)t * L->hist_stride;
        c->counters = L->base + L->counters_off + (size_t)t * L->counters_stride;
    }
}

int pl_stats_init(pl_engine *e, uint32_t cap_ports, uint32_t cap_counters, pl_error *err)
{
    if (region_make(e, cap_ports, cap_counters, &e->layout, err))
        return -1;
    e->stats = e->layout.base;
    point_workers(e);
    return 0;
}

/* Copy every thread's block of the old layout into the new one. */
static void region_copy(const pl_stats_layout *from, const pl_stats_layout *to)
{
    for (int t = 0; t < from->threads; t++) {
        memcpy(to->base + to->ports_off + (size_t)t * to->ports_stride,
               from->base + from->ports_off + (size_t)t * from->ports_stride,
               (size_t)from->nports * 4 * sizeof(uint64_t));
        memcpy(to->base + to->hist_off + (size_t)t * to->hist_stride,
               from->base + from->hist_off + (size_t)t * from->hist_stride,
               (size_t)from->nports * PL_HIST_BINS * sizeof(uint64_t));
        memcpy(to->base + to->counters_off + (size_t)t * to->counters_stride,
               from->base + from->counters_off + (size_t)t * from->counters_stride,
               (size_t)from->ncounters * sizeof(uint64_t));
    }
}

int pl_stats_reserve(pl_engine *e, uint32_t more_ports, uint32_t more_counters, pl_error *err)
{
    uint32_t need_p = e->nports + more_ports, need_c = e->ncounters + more_counters;
    if (need_p <= (uint32_t)e->layout.nports && need_c <= (uint32_t)e->layout.ncounters)
        return 0;
    uint32_t cap_p = (uint32_t)e->layout.nports, cap_c = (uint32_t)e->layout.ncounters;
    while (cap_p < need_p)
        cap_p = cap_p * 2 + 16;
    while (cap_c < need_c)
        cap_c = cap_c * 2 + 16;
    pl_region *keep = malloc(sizeof *keep);
    if (!keep)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory for statistics");
    pl_stats_layout L;
    if (region_make(e, cap_p, cap_c, &L, err)) {
        free(keep);
        return -1;
    }
    pl_engine_park(e);
    region_copy(&e->layout, &L);
    keep->base = e->layout.base;
    keep->next = e->old_regions;
    e->old_regions = keep;
    e->layout = L;
    e->stats = L.base;
    point_workers(e);
    pl_engine_unpark(e);
    return 0;
}

void pl_stats_assign(pl_engine *e, pl_element *el)
{
    el->port_base = e->nports;
    el->counter_base = e->ncounters;
    e->nports += (uint32_t)el->noutputs;
    for (const char *const *c = el->cls->counters; c && *c; c++)
        e->ncounters++;
}

void pl_stats_free(pl_engine *e)
{
    pl_region *r = e->old_regions;
    while (r) {
        pl_region *next = r->next;
        free(r->base);
        free(r);
        r = next;
    }
    e->old_regions = NULL;
    free(e->stats);
    e->stats = NULL;
}

uint64_t pl_stats_port_total(pl_engine *e, uint32_t stat, int field)
{
    const pl_stats_layout *L = &e->layout;
    uint64_t sum = 0;
    for (int t = 0; t < e->nthreads; t++)
        sum += __atomic_load_n(&L->base[L->ports_off + (size_t)t * L->ports_stride +
                                        (size_t)stat * 4 + (size_t)field],
                               __ATOMIC_RELAXED);
    return sum;
}

uint64_t pl_stats_counter_total(pl_engine *e, uint32_t counter)
{
    const pl_stats_layout *L = &e->layout;
    uint64_t sum = 0;
    for (int t = 0; t < e->nthreads; t++)
        sum += __atomic_load_n(&L->base[L->counters_off + (size_t)t * L->counters_stride + counter],
                               __ATOMIC_RELAXED);
    return sum;
}

uint64_t pl_counter_total(pl_element *el, int counter)
{
    return pl_stats_counter_total(el->eng, el->counter_base + (uint32_t)counter);
}

uint64_t pl_output_total(pl_element *el, int port, int field)
{
    return pl_stats_port_total(el->eng, el->port_base + (uint32_t)port, field);
}

int pl_stats(pl_engine *e, pl_stats_layout *out)
{
    if (e->state == PL_S_BUILD)
        return PL_ERR_STATE;
    *out = e->layout;
    return PL_OK;
}

/* ---- the per-packet cost breakdown (element.h, pl_bd_mark) ---- */

static const char *const bd_names[PL_BD_N] = {"dispatch", "rx_device", "rx_conversion",
                                              "statistics", "tx_conversion", "tx_device",
                                              "preempted"};

int pl_breakdown_nstages(void) { return PL_BD_N; }

const char *pl_breakdown_stage(int i) { return i >= 0 && i < PL_BD_N ? bd_names[i] : NULL; }

int pl_engine_breakdown(pl_engine *e, uint64_t *cycles, uint64_t *marks, int n, uint64_t *open)
{
    if (!e->opts.breakdown || !e->workers)
        return -1;
    if (n > PL_BD_N)
        n = PL_BD_N;
    const uint64_t now = pl_rdtsc();
    *open = 0;
    for (int t = 0; t < e->nthreads; t++) {
        uint64_t last = __atomic_load_n(&e->workers[t].bd[2 * PL_BD_N], __ATOMIC_RELAXED);
        if (last && now > last)
            *open += now - last;
    }
    for (int i = 0; i < n; i++) {
        cycles[i] = marks[i] = 0;
        for (int t = 0; t < e->nthreads; t++) {
            cycles[i] += __atomic_load_n(&e->workers[t].bd[i], __ATOMIC_RELAXED);
            marks[i] += __atomic_load_n(&e->workers[t].bd[PL_BD_N + i], __ATOMIC_RELAXED);
        }
    }
    return n;
}

uint64_t pl_tsc(void) { return pl_rdtsc(); }

/* What one mark costs, so that the benchmark can take the marks' own time
 * out of the stages: n marks in a row on a context of its own. */
double pl_breakdown_mark_cycles(uint32_t n)
{
    uint64_t bd[2 * PL_BD_N + 1] = {0};
    pl_ctx ctx = {.bd = bd, .bd_last = pl_rdtsc()};
    if (!n)
        return 0;
    const uint64_t t0 = ctx.bd_last;
    for (uint32_t i = 0; i < n; i++)
        pl_bd_mark(&ctx, (int)(i % PL_BD_N));
    return (double)(pl_rdtsc() - t0) / n;
}
