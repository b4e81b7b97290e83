/* Building and initializing the flat graph; start, stop, statistics. */
#include "engine.h"

#include "args.h"
#include "addrinfo.h"
#include "push.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_POOL_BUFFERS (1u << 16)
#ifndef PL_STATS_SPARE           /* ports and counters beyond twice the graph's (native/fuzz: fewer) */
#define PL_STATS_SPARE 64
#endif

_Atomic uint32_t *pl_engine_shared(struct pl_engine *eng, int slot) { return &eng->shared[slot]; }

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
    if (e->opts.simtime && e->opts.threads != 1) {
        pl_seterr(err, PL_ERR_CONFIG, NULL, "simtime", "simulated time runs on one thread");
        free(e);
        return NULL;
    }
    e->nthreads = e->opts.threads;
    pl_pool_init(&e->ctl_pool, 0, 1);   /* carves nothing: takes what the control thread frees */
    e->log = malloc(PL_LOG_SIZE);
    e->out = malloc(PL_LOG_SIZE);
    e->log_fd = -1;
    pthread_mutex_init(&e->log_lock, NULL);
    atomic_init(&e->shared[PL_SHARED_ICMP_ERROR_ID], 1);   /* Click's ICMPError: static int id = 1 */
    pthread_mutex_init(&e->pending_lock, NULL);
    pthread_mutex_init(&e->park_lock, NULL);
    atomic_init(&e->runcount, 1);
    e->simtime = e->opts.simtime;
    double start = e->opts.simtime_start > 0 ? e->opts.simtime_start : 1e9;
    atomic_init(&e->sim_now, (uint64_t)(start * 1e9));
    e->sim_real_off = 0;
    return e;
}

void pl_element_destroy(pl_element *el)
{
    if (!el)
        return;
    if (el->timers)
        pl_timers_cancel_owner(el);
    pl_notes_free(el);                 /* before cleanup: slots may live in its memory */
    if (el->cls->cleanup && !el->cleaned)
        el->cls->cleanup(el);
    pl_free_params(el);
    free(el->pmode);
    if (el->out) {
        for (int i = 0; i < el->noutputs; i++)
            free(atomic_load_explicit(&el->out[i], memory_order_relaxed));
        free(el->out);
    }
    if (el->in) {
        for (int i = 0; i < el->ninputs; i++)
            free(atomic_load_explicit(&el->in[i], memory_order_relaxed));
        free(el->in);
    }
    free(el->name);
    free(el->config);
    free(el);
}

/* A configured element, not yet part of any graph. */
pl_element *pl_element_create(pl_engine *e, const char *name, const char *cls, const char *config,
                              int line, int col, pl_error *err)
{
    const pl_class *c = pl_class_lookup(cls);
    if (!c) {
        pl_seterr(err, PL_ERR_CLASS, NULL, "", "unknown element class '%s'", cls);
        snprintf(err->element, sizeof err->element, "%s", name);
        err->line = line;
        err->col = col;
        return NULL;
    }
    pl_element *el = aligned_alloc(64, (sizeof *el + c->state_size + 63) & ~(size_t)63);
    if (!el) {
        pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
        return NULL;
    }
    memset(el, 0, sizeof *el + c->state_size);
    el->cls = c;
    el->eng = e;
    el->name = strdup(name);
    el->config = strdup(config ? config : "");
    el->index = -1;
    el->line = line;
    el->col = col;
    el->thread = -1;
    atomic_init(&el->sched, 1);
    el->push = c->push ? c->push
               : c->simple_action ? pl_push_simple
               : c->classify ? pl_push_classify
                             : NULL;
    if (!el->name || !el->config) {
        pl_seterr(err, PL_ERR_NOMEM, el, "", "out of memory");
        pl_element_destroy(el);
        return NULL;
    }
    pl_addrinfo_scope saved = pl_addrinfo_enter(e, el->name);
    int bad = pl_parse_config(el, el->config, err) || (c->configure && c->configure(el, err));
    pl_addrinfo_leave(saved);
    if (bad) {
        pl_element_destroy(el);
        return NULL;
    }
    return el;
}

void pl_engine_free(pl_engine *e)
{
    if (!e)
        return;
    pl_engine_stop(e);
    for (int i = 0; i < e->nelems; i++)
        pl_element_destroy(e->elems[i]);
    free(e->elems);
    free(e->conns);
    pl_names_free(&e->names);
    if (e->workers) {
        for (int t = 0; t < e->nthreads; t++) {
            pl_pool_destroy(&e->workers[t].pool);
            free(atomic_load(&e->workers[t].tasks));
            pl_timers_free(&e->workers[t]);
            pthread_mutex_destroy(&e->workers[t].tlock);
        }
        free(e->workers);
        for (int k = 0; k < PL_NCLASSES; k++)
            pl_depot_destroy(&e->depot[k]);
    }
    pl_pool_destroy(&e->ctl_pool);      /* its stack: its buffers are the workers' slabs' */
    pl_stats_free(e);
    pl_garbage_destroy(e);
    free(e->log);
    free(e->out);
    free(e->msgs);
    pl_addrinfo_free(e->addrinfo);
    pthread_mutex_destroy(&e->log_lock);
    pthread_mutex_destroy(&e->pending_lock);
    pthread_mutex_destroy(&e->park_lock);
    free(e);
}

int pl_engine_add(pl_engine *e, const char *name, const char *cls, const char *config, int line,
                  int col, pl_error *err)
{
    if (e->state != PL_S_BUILD)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "the graph is already initialized");
    if (!name || !cls)
        return pl_seterr(err, PL_ERR_GRAPH, NULL, "", "an element needs a name and a class");
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
    pl_element *el = pl_element_create(e, name, cls, config, line, col, err);
    if (!el)
        return err->status;
    if (pl_names_put(&e->names, el->name, e->nelems) < 0) {
        pl_element_destroy(el);
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
    }
    el->index = e->nelems;
    e->elems[e->nelems++] = el;
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

static int setup_workers(pl_engine *e, pl_error *err)
{
    e->workers = aligned_alloc(64, (size_t)e->nthreads * sizeof *e->workers);
    if (e->workers)
        memset(e->workers, 0, (size_t)e->nthreads * sizeof *e->workers);
    if (!e->workers)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
    /* Plain refcounts until the thread analysis finds packets crossing. */
    int atomic_refs = 0;
    for (int k = 0; k < PL_NCLASSES; k++)
        pl_depot_init(&e->depot[k]);
    for (int t = 0; t < e->nthreads; t++) {
        pl_worker *w = &e->workers[t];
        w->eng = e;
        pl_pool_init(&w->pool, e->opts.pool_buffers, atomic_refs);
        if (e->nthreads > 1)
            pl_pool_set_depots(&w->pool, e->depot);
        w->ctx = (pl_ctx){
            .tid = t,
            .pool = &w->pool,
            .eng = e,
            .per_packet = e->opts.per_packet,
            .cycles = e->opts.cycles,
            .timestamps = e->opts.timestamps,
            .bd = e->opts.breakdown ? w->bd : NULL,
            .vec = e->opts.vectors ? w->vec : NULL,
        };
        pthread_mutex_init(&w->tlock, NULL);
        atomic_init(&w->tnext, UINT64_MAX);
    }
    return 0;
}

/* Tasks not yet scheduled go to the worker with the fewest tasks. */
void pl_tasks_assign(pl_engine *e)
{
    int load[256] = {0};
    for (int i = 0; i < e->nelems; i++)
        for (int t = 0; t < e->nthreads; t++)
            load[t] += pl_task_runs_on(e->elems[i], t, e->nthreads);
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        if (!el->cls->run_task || el->no_task || el->thread >= 0)
            continue;
        int n = el->cls->task_threads ? el->cls->task_threads(el) : 1;
        n = n < 1 ? 1 : n > e->nthreads ? e->nthreads : n;
        int best = 0;
        for (int t = 1; t < e->nthreads; t++)
            if (load[t] < load[best])
                best = t;
        el->thread = best;
        el->task_count = n;
        for (int k = 0; k < n; k++)
            load[(best + k) % e->nthreads]++;
    }
}

int pl_engine_initialize(pl_engine *e, pl_error *err)
{
    if (e->state != PL_S_BUILD)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "the graph is already initialized");
    if (e->opts.dry)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "a dry engine (configure only, as "
                         "`pktlab check` makes) opened no device and cannot run");
    pl_adj adj;
    if (pl_adj_build(&adj, e->nelems, e->conns, e->nconns))
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
    for (int i = 0; i < e->nelems; i++) {
        int nin, nout;
        if (pl_port_counts(e->elems[i], i, e->conns, &adj, &nin, &nout, err) ||
            pl_set_ports(e->elems[i], nin, nout, err)) {
            pl_adj_free(&adj);
            return err->status;
        }
    }
    pl_adj_free(&adj);
    char **pmode = calloc((size_t)(e->nelems ? e->nelems : 1), sizeof *pmode);
    if (!pmode)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
    if (pl_resolve_processing(e->elems, e->nelems, e->conns, e->nconns, pmode, err) ||
        pl_check_hookup(e->elems, e->nelems, (const char *const *)pmode, e->conns, e->nconns,
                        err) ||
        setup_workers(e, err)) {
        for (int i = 0; i < e->nelems; i++)
            free(pmode[i]);
        free(pmode);
        return err->status;
    }
    uint32_t nports = 0, ncounters = PL_CORE_NCOUNTERS;
    for (int i = 0; i < e->nelems; i++) {
        nports += (uint32_t)e->elems[i]->noutputs;
        for (const char *const *c = e->elems[i]->cls->counters; c && *c; c++)
            ncounters++;
    }
    /* Room for live change to add elements without moving the region. */
    if (pl_stats_init(e, nports * 2 + PL_STATS_SPARE, ncounters * 2 + PL_STATS_SPARE, err)) {
        for (int i = 0; i < e->nelems; i++)
            free(pmode[i]);
        free(pmode);
        return err->status;
    }
    e->ncounters = PL_CORE_NCOUNTERS;   /* the core's counters come first */
    e->scratch_port = e->nports++;
    for (int i = 0; i < e->nelems; i++)
        pl_stats_assign(e, e->elems[i]);
    int rc = 0;
    for (int i = 0; i < e->nelems; i++) {
        if (!rc)
            rc = pl_set_modes(e->elems[i], pmode[i], err);
        else
            free(pmode[i]);
    }
    free(pmode);
    if (rc)
        return err->status;
    for (int i = 0; i < e->nconns; i++) {
        const pl_conn *c = &e->conns[i];
        pl_element *from = e->elems[c->from], *to = e->elems[c->to];
        int is_pull;
        pl_edge *edge = pl_conn_edge(from, c->from_port, to, c->to_port, &is_pull);
        if (!edge)
            return pl_seterr(err, PL_ERR_NOMEM, from, "", "out of memory");
        _Atomic(pl_edge *) *slot = is_pull ? &to->in[c->to_port] : &from->out[c->from_port];
        /* A pull output feeding several pullers: the last connection wins the
         * slot of each puller; the sender keeps its capture edge. */
        free(atomic_exchange_explicit(slot, edge, memory_order_acq_rel));
    }
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        if (el->cls->initialize && el->cls->initialize(el, err))
            return err->status;
    }
    if (pl_elect_driver(e, e->elems, e->nelems, err))
        return err->status;
    /* A DriverManager whose first instruction gives up its run count (Click's
     * DriverManager(stop), print ... before any wait) did so before it was
     * elected, which marked the engine done, and a start forgets a finished
     * stop: the driver settles it in the first round instead. */
    if (atomic_load(&e->driver) && atomic_load(&e->runcount) <= 0)
        atomic_store(&e->done, 0);
    pl_tasks_assign(e);
    pl_threads_analyze(e);
    pl_threads_apply(e);
    if (pl_signals_update(e, err))
        return err->status;
    for (int i = 0; i < e->nelems; i++)
        if (e->elems[i]->cls->graph_changed)
            e->elems[i]->cls->graph_changed(e->elems[i]);
    pl_garbage_free(e);
    pl_timers_settle(e);
    if (pl_tasks_publish(e, err))
        return err->status;
    e->state = PL_S_READY;
    return PL_OK;
}

int pl_engine_nelements(pl_engine *e) { return e->nelems; }

#define CHECK_ELEM(e, i, bad) \
    if ((i) < 0 || (i) >= (e)->nelems) return bad

const char *pl_element_name(pl_engine *e, int i) { CHECK_ELEM(e, i, NULL); return e->elems[i]->name; }
int pl_element_class(pl_engine *e, int i) { CHECK_ELEM(e, i, -1); return pl_class_id(e->elems[i]->cls); }
int pl_element_ninputs(pl_engine *e, int i) { CHECK_ELEM(e, i, -1); return e->elems[i]->ninputs; }
int pl_element_noutputs(pl_engine *e, int i) { CHECK_ELEM(e, i, -1); return e->elems[i]->noutputs; }
int pl_element_thread(pl_engine *e, int i) { CHECK_ELEM(e, i, -1); return e->elems[i]->thread; }

int pl_port_index(pl_engine *e, int i, int port)
{
    CHECK_ELEM(e, i, -1);
    if (port < 0 || port >= e->elems[i]->noutputs)
        return -1;
    return (int)(e->elems[i]->port_base + (uint32_t)port);
}

int pl_counter_index(pl_engine *e, int i) { CHECK_ELEM(e, i, -1); return (int)e->elems[i]->counter_base; }

int pl_engine_pools(pl_engine *e, pl_pool_info *out)
{
    memset(out, 0, sizeof *out);
    out->nclasses = PL_NCLASSES;
    out->max_len = PL_MAX_LEN;
    for (int k = 0; k < PL_NCLASSES; k++)
        out->class_bytes[k] = pl_class_bytes((unsigned)k);
    if (!e->workers)
        return PL_OK;
    /* Buffers are interchangeable between the pools of one class: totals
     * over the workers, the control thread's pool and the depots. */
    for (int k = 0; k < PL_NCLASSES; k++) {
        for (int t = 0; t < e->nthreads; t++) {
            const pl_bufs *b = &e->workers[t].pool.c[k];
            out->class_allocated[k] += b->allocated;
            out->class_free[k] += b->nfree;
            out->class_failures[k] += b->alloc_failures;
        }
        out->class_free[k] += e->ctl_pool.c[k].nfree + e->depot[k].nfree;
        out->allocated += out->class_allocated[k];
        out->free += out->class_free[k];
        out->alloc_failures += out->class_failures[k];
    }
    return PL_OK;
}

void pl_packet_free_ctl(pl_element *el, int counter, pl_packet *p)
{
    pl_engine *e = el->eng;
    if (counter >= 0) {
        uint64_t *c = &e->layout.base[e->layout.counters_off + el->counter_base + (uint32_t)counter];
        PL_STAT_ADD(*c, 1);
    }
    pl_packet_free(&e->ctl_pool, p);
}

uint32_t pl_packet_max_len(void) { return PL_MAX_LEN; }

const char *pl_version(void) { return "0.1.0"; }
