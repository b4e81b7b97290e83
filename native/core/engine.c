/* Building and initializing the flat graph; start, stop, statistics. */
#include "engine.h"

#include "args.h"
#include "push.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_POOL_BUFFERS (1u << 16)

pl_engine *pl_engine_new(const pl_engine_opts *opts, pl_error *err)
{
    pl_engine *e = calloc(1, sizeof *e);
    if (!e) {
        pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
        return NULL;
    }
    if (opts)
        e->opts = *opts;
    if (e->opts.threads < 1)
        e->opts.threads = 1;
    if (e->opts.threads > 256) {
        pl_seterr(err, PL_ERR_CONFIG, NULL, "threads", "threads must be between 1 and 256");
        free(e);
        return NULL;
    }
    if (!e->opts.pool_buffers)
        e->opts.pool_buffers = DEFAULT_POOL_BUFFERS;
    e->nthreads = e->opts.threads;
    e->log = malloc(PL_LOG_SIZE);
    pthread_mutex_init(&e->log_lock, NULL);
    return e;
}

static void free_element(pl_element *el)
{
    if (!el)
        return;
    if (el->cls->cleanup)
        el->cls->cleanup(el);
    pl_free_params(el);
    if (el->out) {
        for (int i = 0; i < el->noutputs; i++)
            free(atomic_load_explicit(&el->out[i], memory_order_relaxed));
        free(el->out);
    }
    free(el->name);
    free(el->config);
    free(el);
}

void pl_engine_free(pl_engine *e)
{
    if (!e)
        return;
    pl_engine_stop(e);
    for (int i = 0; i < e->nelems; i++)
        free_element(e->elems[i]);
    free(e->elems);
    free(e->conns);
    if (e->workers) {
        for (int t = 0; t < e->nthreads; t++) {
            pl_pool_destroy(&e->workers[t].pool);
            free(e->workers[t].tasks);
        }
        free(e->workers);
    }
    free(e->stats);
    free(e->log);
    pthread_mutex_destroy(&e->log_lock);
    free(e);
}

int pl_engine_add(pl_engine *e, const char *name, const char *cls, const char *config, int line,
                  int col, pl_error *err)
{
    if (e->state != PL_S_BUILD)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "the graph is already initialized");
    const pl_class *c = pl_class_lookup(cls);
    if (!c) {
        int r = pl_seterr(err, PL_ERR_CLASS, NULL, "", "unknown element class '%s'", cls);
        snprintf(err->element, sizeof err->element, "%s", name);
        err->line = line;
        err->col = col;
        return r;
    }
    if (pl_engine_find(e, name) >= 0) {
        int r = pl_seterr(err, PL_ERR_GRAPH, NULL, "", "element '%s' declared twice", name);
        err->line = line;
        err->col = col;
        return r;
    }
    if (e->nelems == e->cap_elems) {
        int cap = e->cap_elems ? e->cap_elems * 2 : 16;
        pl_element **v = realloc(e->elems, sizeof *v * (size_t)cap);
        if (!v)
            return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
        e->elems = v;
        e->cap_elems = cap;
    }
    pl_element *el = aligned_alloc(64, (sizeof *el + c->state_size + 63) & ~(size_t)63);
    if (!el)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
    memset(el, 0, sizeof *el + c->state_size);
    el->cls = c;
    el->eng = e;
    el->name = strdup(name);
    el->config = strdup(config ? config : "");
    el->index = e->nelems;
    el->line = line;
    el->col = col;
    el->thread = -1;
    el->push = c->push ? c->push
               : c->simple_action ? pl_push_simple
               : c->classify ? pl_push_classify
                             : NULL;
    e->elems[e->nelems++] = el;
    if (!el->name || !el->config)
        return pl_seterr(err, PL_ERR_NOMEM, el, "", "out of memory");
    if (pl_parse_config(el, el->config, err) || (c->configure && c->configure(el, err)))
        return err->status;
    return PL_OK;
}

int pl_engine_connect(pl_engine *e, int from, int from_port, int to, int to_port, pl_error *err)
{
    if (e->state != PL_S_BUILD)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "the graph is already initialized");
    if (from < 0 || from >= e->nelems || to < 0 || to >= e->nelems)
        return pl_seterr(err, PL_ERR_GRAPH, NULL, "", "connection names an element that does not exist");
    if (from_port < 0 || to_port < 0 || from_port >= PL_MAX_PORTS || to_port >= PL_MAX_PORTS)
        return pl_seterr(err, PL_ERR_GRAPH, e->elems[from], "", "port number out of range");
    if (e->nconns == e->cap_conns) {
        int cap = e->cap_conns ? e->cap_conns * 2 : 16;
        pl_conn *v = realloc(e->conns, sizeof *v * (size_t)cap);
        if (!v)
            return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
        e->conns = v;
        e->cap_conns = cap;
    }
    e->conns[e->nconns++] = (pl_conn){from, from_port, to, to_port};
    return PL_OK;
}

/* One side of a Click port spec: "n", "n-m", "n-", "-", "=". */
static void port_range(const char *s, int *lo, int *hi)
{
    if (*s == '-') {
        *lo = 0;
        *hi = PL_MAX_PORTS;
        return;
    }
    if (*s == '=') {
        *lo = -1;
        *hi = -1;
        return;
    }
    char *end;
    *lo = (int)strtol(s, &end, 10);
    *hi = *lo;
    if (*end == '-')
        *hi = end[1] && end[1] != '/' ? (int)strtol(end + 1, NULL, 10) : PL_MAX_PORTS;
}

static int count_ports(pl_engine *e, pl_element *el, int output, int lo, int hi, pl_error *err)
{
    int used = 0;
    for (int i = 0; i < e->nconns; i++) {
        const pl_conn *c = &e->conns[i];
        int port = output ? (c->from == el->index ? c->from_port : -1)
                          : (c->to == el->index ? c->to_port : -1);
        if (port >= used)
            used = port + 1;
    }
    const char *side = output ? "output" : "input";
    if (used > hi) {
        if (hi == 0) {
            pl_seterr(err, PL_ERR_GRAPH, el, "", "%s has no %ss, but %s %d is connected",
                      el->cls->name, side, side, used - 1);
            return -1;
        }
        pl_seterr(err, PL_ERR_GRAPH, el, "", "%s [%d] used, but %s has at most %d %s%s", side,
                  used - 1, el->cls->name, hi, side, hi == 1 ? "" : "s");
        return -1;
    }
    int n = used < lo ? lo : used;
    for (int p = 0; p < n; p++) {
        int found = 0;
        for (int i = 0; i < e->nconns && !found; i++) {
            const pl_conn *c = &e->conns[i];
            found = output ? (c->from == el->index && c->from_port == p)
                           : (c->to == el->index && c->to_port == p);
        }
        if (!found) {
            pl_seterr(err, PL_ERR_GRAPH, el, "", "%s %d not connected", side, p);
            return -1;
        }
    }
    return n;
}

static int setup_ports(pl_engine *e, pl_element *el, pl_error *err)
{
    const char *spec = el->cls->ports;
    const char *slash = strchr(spec, '/');
    int ilo, ihi, olo, ohi;
    port_range(spec, &ilo, &ihi);
    port_range(slash ? slash + 1 : spec, &olo, &ohi);
    int ni = count_ports(e, el, 0, ilo, ihi, err);
    if (ni < 0)
        return -1;
    el->ninputs = ni;
    if (olo < 0) {
        olo = ohi = ni;
    }
    int no = count_ports(e, el, 1, olo, ohi, err);
    if (no < 0)
        return -1;
    el->noutputs = no;
    if (no) {
        el->out = calloc((size_t)no, sizeof *el->out);
        if (!el->out)
            return pl_seterr(err, PL_ERR_NOMEM, el, "", "out of memory");
    }
    /* Only push processing runs in this engine (full push, as the paper). */
    if (strchr(el->cls->processing, 'l'))
        return pl_seterr(err, PL_ERR_GRAPH, el, "",
                         "%s has pull ports, and this engine runs full push only",
                         el->cls->name);
    return 0;
}

static int wire(pl_engine *e, pl_error *err)
{
    for (int i = 0; i < e->nconns; i++) {
        const pl_conn *c = &e->conns[i];
        pl_element *from = e->elems[c->from], *to = e->elems[c->to];
        if (atomic_load_explicit(&from->out[c->from_port], memory_order_relaxed))
            return pl_seterr(err, PL_ERR_GRAPH, from, "",
                             "push output %d connected more than once", c->from_port);
        pl_edge *edge = malloc(sizeof *edge);
        if (!edge)
            return pl_seterr(err, PL_ERR_NOMEM, from, "", "out of memory");
        *edge = (pl_edge){to, to->push, c->to_port, from->port_base + (uint32_t)c->from_port};
        atomic_store_explicit(&from->out[c->from_port], edge, memory_order_release);
    }
    return 0;
}

static int layout_stats(pl_engine *e, pl_error *err)
{
    uint32_t nports = 0, ncounters = 0;
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        el->port_base = nports;
        el->counter_base = ncounters;
        nports += (uint32_t)el->noutputs;
        for (const char *const *c = el->cls->counters; c && *c; c++)
            ncounters++;
    }
    e->nports = nports;
    e->ncounters = ncounters;
    size_t T = (size_t)e->nthreads;
    size_t pstride = ((size_t)nports * 4 + 7) & ~(size_t)7;
    size_t hstride = ((size_t)nports * PL_HIST_BINS + 7) & ~(size_t)7;
    size_t cstride = ((size_t)ncounters + 7) & ~(size_t)7;
    size_t total = T * (pstride + hstride + cstride);
    if (!total)
        total = 8;
    e->stats = aligned_alloc(64, total * sizeof(uint64_t));
    if (!e->stats)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory for statistics");
    memset(e->stats, 0, total * sizeof(uint64_t));
    pl_stats_layout *L = &e->layout;
    L->base = e->stats;
    L->bytes = total * sizeof(uint64_t);
    L->threads = e->nthreads;
    L->nports = (int)nports;
    L->ncounters = (int)ncounters;
    L->ports_off = 0;
    L->ports_stride = pstride;
    L->hist_off = T * pstride;
    L->hist_stride = hstride;
    L->counters_off = T * (pstride + hstride);
    L->counters_stride = cstride;
    L->hist_bins = PL_HIST_BINS;
    return 0;
}

static int setup_workers(pl_engine *e, pl_error *err)
{
    e->workers = calloc((size_t)e->nthreads, sizeof *e->workers);
    if (!e->workers)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
    /* Refcounts are atomic as soon as packets could meet on two threads.
     * The multi-core analysis refines this with thread vectors. */
    int atomic_refs = e->nthreads > 1;
    for (int t = 0; t < e->nthreads; t++) {
        pl_worker *w = &e->workers[t];
        w->eng = e;
        pl_pool_init(&w->pool, e->opts.pool_buffers, atomic_refs);
        w->ctx = (pl_ctx){
            .tid = t,
            .pool = &w->pool,
            .port_stats = e->stats + e->layout.ports_off + (size_t)t * e->layout.ports_stride,
            .hist = e->stats + e->layout.hist_off + (size_t)t * e->layout.hist_stride,
            .counters = e->stats + e->layout.counters_off + (size_t)t * e->layout.counters_stride,
            .eng = e,
            .per_packet = e->opts.per_packet,
            .cycles = e->opts.cycles,
        };
    }
    /* Tasks go round-robin to workers in declaration order. */
    int next = 0;
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        if (!el->cls->run_task)
            continue;
        pl_worker *w = &e->workers[next];
        pl_element **v = realloc(w->tasks, sizeof *v * (size_t)(w->ntasks + 1));
        if (!v)
            return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
        w->tasks = v;
        w->tasks[w->ntasks++] = el;
        el->thread = next;
        next = (next + 1) % e->nthreads;
    }
    return 0;
}

int pl_engine_initialize(pl_engine *e, pl_error *err)
{
    if (e->state != PL_S_BUILD)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "the graph is already initialized");
    for (int i = 0; i < e->nelems; i++)
        if (setup_ports(e, e->elems[i], err))
            return err->status;
    if (layout_stats(e, err) || wire(e, err) || setup_workers(e, err))
        return err->status;
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        if (el->cls->initialize && el->cls->initialize(el, err))
            return err->status;
    }
    e->state = PL_S_READY;
    return PL_OK;
}

int pl_engine_start(pl_engine *e, pl_error *err)
{
    if (e->state == PL_S_RUNNING)
        return PL_OK;
    if (e->state != PL_S_READY && e->state != PL_S_STOPPED)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "initialize the engine before starting it");
    atomic_store(&e->stop, 0);
    atomic_store(&e->done, 0);
    if (pl_workers_start(e, err))
        return err->status;
    e->state = PL_S_RUNNING;
    return PL_OK;
}

int pl_engine_stop(pl_engine *e)
{
    if (e->state != PL_S_RUNNING)
        return PL_OK;
    atomic_store(&e->stop, 1);
    pl_workers_join(e);
    e->state = PL_S_STOPPED;
    return PL_OK;
}

int pl_engine_running(pl_engine *e) { return e->state == PL_S_RUNNING; }

int pl_engine_done(pl_engine *e) { return atomic_load(&e->done); }

void pl_engine_request_stop(pl_engine *e) { atomic_store(&e->done, 1); }

int pl_engine_run_inline(pl_engine *e, uint64_t max_runs, pl_error *err)
{
    if (e->state != PL_S_READY && e->state != PL_S_STOPPED)
        return pl_seterr(err, PL_ERR_STATE, NULL, "",
                         "run_inline needs an initialized engine that is not running");
    if (e->nthreads != 1)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "run_inline needs a single-thread engine");
    atomic_store(&e->stop, 0);
    atomic_store(&e->done, 0);
    pl_worker_loop(&e->workers[0], max_runs ? max_runs : UINT64_MAX, 1);
    e->state = PL_S_STOPPED;
    return PL_OK;
}

int pl_engine_nelements(pl_engine *e) { return e->nelems; }

int pl_engine_find(pl_engine *e, const char *name)
{
    for (int i = 0; i < e->nelems; i++)
        if (!strcmp(e->elems[i]->name, name))
            return i;
    return -1;
}

#define CHECK_ELEM(e, i, bad) \
    if ((i) < 0 || (i) >= (e)->nelems) return bad

const char *pl_element_name(pl_engine *e, int i) { CHECK_ELEM(e, i, NULL); return e->elems[i]->name; }
int pl_element_class(pl_engine *e, int i) { CHECK_ELEM(e, i, -1); return pl_class_id(e->elems[i]->cls); }
int pl_element_ninputs(pl_engine *e, int i) { CHECK_ELEM(e, i, -1); return e->elems[i]->ninputs; }
int pl_element_noutputs(pl_engine *e, int i) { CHECK_ELEM(e, i, -1); return e->elems[i]->noutputs; }
int pl_element_thread(pl_engine *e, int i) { CHECK_ELEM(e, i, -1); return e->elems[i]->thread; }

int pl_stats(pl_engine *e, pl_stats_layout *out)
{
    if (e->state == PL_S_BUILD)
        return PL_ERR_STATE;
    *out = e->layout;
    return PL_OK;
}

int pl_port_index(pl_engine *e, int i, int port)
{
    CHECK_ELEM(e, i, -1);
    if (port < 0 || port >= e->elems[i]->noutputs)
        return -1;
    return (int)(e->elems[i]->port_base + (uint32_t)port);
}

int pl_counter_index(pl_engine *e, int i) { CHECK_ELEM(e, i, -1); return (int)e->elems[i]->counter_base; }

uint64_t pl_stats_port_total(pl_engine *e, uint32_t stat, int field)
{
    uint64_t sum = 0;
    for (int t = 0; t < e->nthreads; t++)
        sum += __atomic_load_n(&e->stats[e->layout.ports_off + (size_t)t * e->layout.ports_stride +
                                         (size_t)stat * 4 + (size_t)field],
                               __ATOMIC_RELAXED);
    return sum;
}

uint64_t pl_stats_counter_total(pl_engine *e, uint32_t counter)
{
    uint64_t sum = 0;
    for (int t = 0; t < e->nthreads; t++)
        sum += __atomic_load_n(&e->stats[e->layout.counters_off +
                                         (size_t)t * e->layout.counters_stride + counter],
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

int pl_engine_pools(pl_engine *e, pl_pool_info *out)
{
    memset(out, 0, sizeof *out);
    if (!e->workers)
        return PL_OK;
    for (int t = 0; t < e->nthreads; t++) {
        out->allocated += e->workers[t].pool.allocated;
        out->free += e->workers[t].pool.nfree;
        out->alloc_failures += e->workers[t].pool.alloc_failures;
    }
    return PL_OK;
}

const char *pl_version(void) { return "0.1.0"; }
