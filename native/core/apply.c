/*
 * Live change: replace the running graph by a new flat graph, doing the
 * least that gets there (DESIGN.md §2 "Live change").
 *
 * Elements are matched by name. A matched element of the same class whose
 * port counts are unchanged is kept; if only live parameters differ it is
 * retuned in place. Anything else is built off to the side (configured,
 * wired, initialized) while the old graph runs, then published with one
 * atomic store per changed output port. Removed and replaced elements leave
 * the task lists, a grace period passes (every worker crosses a quiescent
 * point, so packets inside an old element finish their journey through it),
 * the replacements take the old elements' state, new tasks are scheduled and
 * the old objects are freed.
 *
 * Everything that can fail happens before the first store: a change that
 * fails leaves the running graph exactly as it was.
 */
#include "args.h"
#include "engine.h"

#include <stdlib.h>
#include <string.h>

/* KEEP and RETUNE are pl_retune_plan()'s answers (retune.c). */
enum plan { KEEP = PL_RETUNE_KEEP, RETUNE = PL_RETUNE_LIVE, REPLACE = PL_RETUNE_REPLACE, ADD };

typedef struct pending_edge {
    pl_element *holder;      /* the element whose port array holds the edge */
    int port;
    int in;                  /* an input (pull) edge, else an output edge */
    pl_edge *edge;
} pending_edge;

typedef struct change {
    int n;
    pl_element **final;      /* the new graph's elements, in order */
    pl_element **old;        /* the running element it is matched with (spec `was`), or NULL */
    char **rename;           /* a kept element's new name; after publish, its old one */
    enum plan *plan;
    char **pmode;            /* resolved processing of the new elements, until set */
    pending_edge *edges;     /* new edges for kept elements' outputs */
    int nedges;
} change;

static void change_free(change *ch, int destroy_new)
{
    for (int i = 0; destroy_new && i < ch->n; i++)
        if (ch->final[i] && (ch->plan[i] == REPLACE || ch->plan[i] == ADD))
            pl_element_destroy(ch->final[i]);
    for (int i = 0; destroy_new && i < ch->nedges; i++)
        free(ch->edges[i].edge);
    for (int i = 0; ch->rename && i < ch->n; i++)
        free(ch->rename[i]);
    free(ch->rename);
    for (int i = 0; ch->pmode && i < ch->n; i++)
        free(ch->pmode[i]);
    free(ch->pmode);
    free(ch->final);
    free(ch->old);
    free(ch->plan);
    free(ch->edges);
}

/* Element i of the new graph is built afresh (added, or replacing the old
 * element of its name). */
static int fresh_element(pl_engine *e, change *ch, int i, const pl_elem_spec *els,
                         const pl_conn *conns, const pl_adj *adj, pl_error *err)
{
    ch->plan[i] = ch->old[i] ? REPLACE : ADD;
    pl_element *el = pl_element_create(e, els[i].name, els[i].cls, els[i].config, els[i].line,
                                       els[i].col, err);
    if (!el)
        return -1;
    ch->final[i] = el;
    int nin, nout;
    if (pl_port_counts(el, i, conns, adj, &nin, &nout, err) ||
        pl_set_ports(el, nin, nout, err))
        return -1;
    return 0;
}

/* Build everything off to the side. Nothing the workers can see changes. */
static int prepare(pl_engine *e, change *ch, const pl_elem_spec *els, const pl_conn *conns,
                   int nconns, const pl_adj *adj, pl_element **scratch, pl_error *err)
{
    int n = ch->n;
    pl_names seen = {0};
    for (int i = 0; i < n; i++) {
        if (!els[i].name || !els[i].cls || !els[i].config) {
            pl_names_free(&seen);
            return pl_seterr(err, PL_ERR_GRAPH, NULL, "", "element %d has no name, class or "
                             "configuration", i), -1;
        }
        int dup = pl_names_put(&seen, els[i].name, i);
        if (dup) {
            pl_names_free(&seen);
            if (dup < 0)
                return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory"), -1;
            pl_seterr(err, PL_ERR_GRAPH, NULL, "", "element '%s' declared twice", els[i].name);
            err->line = els[i].line;
            err->col = els[i].col;
            return -1;
        }
    }
    pl_names_free(&seen);
    /* The new graph's AddressInfo and PortInfo names first, as when a graph is built. */
    for (int i = 0; i < n; i++) {
        if (!strcmp(els[i].cls, "AddressInfo") &&
            pl_engine_define_addresses(e, els[i].name, els[i].config, err))
            return -1;
        if (!strcmp(els[i].cls, "PortInfo") &&
            pl_engine_define_ports(e, els[i].name, els[i].config, err))
            return -1;
    }
    for (int i = 0; i < n; i++) {
        const char *key = els[i].was ? els[i].was : els[i].name;
        int k = *key ? pl_engine_find(e, key) : -1;
        pl_element *old = k >= 0 ? e->elems[k] : NULL;
        for (int j = 0; old && j < i; j++)
            if (ch->old[j] == old) {
                pl_seterr(err, PL_ERR_GRAPH, NULL, "", "elements '%s' and '%s' both continue "
                          "running element '%s'", els[j].name, els[i].name, key);
                return -1;
            }
        ch->old[i] = old;
        if (old && !strcmp(old->cls->name, els[i].cls)) {
            int nin, nout;
            if (pl_port_counts(old, i, conns, adj, &nin, &nout, err))
                return -1;
            if (nin == old->ninputs && nout == old->noutputs) {
                int r = strcmp(old->config, els[i].config) ? pl_retune_plan(old, els[i].config,
                                                                            &scratch[i], err)
                                                           : KEEP;
                if (r < 0)
                    return -1;
                if (r != PL_RETUNE_REPLACE) {
                    ch->plan[i] = (enum plan)r;
                    ch->final[i] = old;
                    if (strcmp(old->name, els[i].name) && !(ch->rename[i] = strdup(els[i].name)))
                        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory"), -1;
                    continue;
                }
            }
        }
        if (fresh_element(e, ch, i, els, conns, adj, err))
            return -1;
    }
    /* Push and pull over the new graph; a kept element whose ports resolve
     * differently now is rebuilt (its edges are of another kind). */
    char **pmode = calloc((size_t)(n ? n : 1), sizeof *pmode);
    if (!pmode)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory"), -1;
    int rc = pl_resolve_processing(ch->final, n, conns, nconns, pmode, err) ||
             pl_check_hookup(ch->final, n, (const char *const *)pmode, conns, nconns, err);
    for (int i = 0; !rc && i < n; i++) {
        if ((ch->plan[i] == KEEP || ch->plan[i] == RETUNE) &&
            strcmp(ch->final[i]->pmode, pmode[i])) {
            if (scratch[i]) {
                pl_free_params(scratch[i]);
                free(scratch[i]);
                scratch[i] = NULL;
            }
            free(ch->rename[i]);          /* built afresh under its new name */
            ch->rename[i] = NULL;
            rc = fresh_element(e, ch, i, els, conns, adj, err);
        }
    }
    for (int i = 0; i < n; i++) {
        if (!rc && (ch->plan[i] == REPLACE || ch->plan[i] == ADD)) {
            ch->pmode[i] = pmode[i];
            pmode[i] = NULL;
        }
        free(pmode[i]);
    }
    free(pmode);
    if (rc)
        return -1;

    uint32_t more_ports = 0, more_counters = 0;
    for (int i = 0; i < n; i++) {
        if (ch->plan[i] != REPLACE && ch->plan[i] != ADD)
            continue;
        more_ports += (uint32_t)ch->final[i]->noutputs;
        for (const char *const *c = ch->final[i]->cls->counters; c && *c; c++)
            more_counters++;
    }
    if (pl_stats_reserve(e, more_ports, more_counters, err))
        return -1;
    for (int i = 0; i < n; i++)
        if (ch->plan[i] == REPLACE || ch->plan[i] == ADD) {
            pl_stats_assign(e, ch->final[i]);
            char *m = ch->pmode[i];
            ch->pmode[i] = NULL;
            if (pl_set_modes(ch->final[i], m, err))
                return -1;
        }

    ch->edges = calloc((size_t)(nconns ? nconns : 1), sizeof *ch->edges);
    if (!ch->edges)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory"), -1;
    for (int i = 0; i < nconns; i++) {
        const pl_conn *c = &conns[i];
        pl_element *from = ch->final[c->from], *to = ch->final[c->to];
        int pull = pl_output_is_pull(from, c->from_port);
        /* A push edge lives in the sender's outputs, a pull edge in the
         * puller's inputs. */
        int hi = pull ? c->to : c->from;
        pl_element *holder = ch->final[hi];
        int port = pull ? c->to_port : c->from_port;
        _Atomic(pl_edge *) *slot = pull ? &holder->in[port] : &holder->out[port];
        int fresh = ch->plan[hi] == REPLACE || ch->plan[hi] == ADD;
        pl_edge *cur = fresh ? NULL : atomic_load_explicit(slot, memory_order_relaxed);
        uint32_t stat = from->port_base + (uint32_t)c->from_port;
        if (cur && cur->stat == stat &&
            (pull ? cur->from == from && cur->from_port == c->from_port && cur->pull == from->pull
                  : cur->to == to && cur->to_port == c->to_port && cur->push == to->push))
            continue;
        int is_pull;
        pl_edge *edge = pl_conn_edge(from, c->from_port, to, c->to_port, &is_pull);
        if (!edge)
            return pl_seterr(err, PL_ERR_NOMEM, from, "", "out of memory"), -1;
        if (fresh)
            free(atomic_exchange_explicit(slot, edge, memory_order_relaxed));
        else
            ch->edges[ch->nedges++] = (pending_edge){holder, port, pull, edge};
    }
    for (int i = 0; i < n; i++) {
        pl_element *el = ch->final[i];
        if ((ch->plan[i] == REPLACE || ch->plan[i] == ADD) && el->cls->initialize &&
            el->cls->initialize(el, err))
            return -1;
    }
    return pl_elect_driver(e, ch->final, n, err) ? -1 : 0;
}

/* Retuned parameters that only their handler can change (NDESC), last
 * before publishing since they act at once; a failure writes back the
 * elements already done (their old text parsed again) and fails the change. */
static int rewrite(change *ch, pl_element **scratch, pl_error *err)
{
    for (int i = 0; i < ch->n; i++) {
        if (ch->plan[i] != RETUNE || !pl_retune_handlers(ch->final[i], scratch[i], err))
            continue;
        for (int j = 0; j < i; j++) {
            pl_element *was = NULL;
            pl_error ignored = {0};
            if (ch->plan[j] == RETUNE &&
                pl_retune_plan(ch->final[j], ch->final[j]->config, &was, &ignored) == RETUNE) {
                pl_retune_handlers(ch->final[j], was, &ignored);
                pl_free_params(was);
                free(was);
            }
        }
        return -1;
    }
    return 0;
}

int pl_engine_apply(pl_engine *e, const pl_elem_spec *els, int nels, const pl_conn_spec *cspec,
                    int nconns, pl_apply_stats *out, pl_error *err)
{
    double t0 = pl_now_us();
    pl_apply_stats st = {0};
    if (e->state == PL_S_BUILD)
        return pl_seterr(err, PL_ERR_STATE, NULL, "", "initialize the engine before changing it");
    for (int i = 0; i < nconns; i++)
        if (cspec[i].from < 0 || cspec[i].from >= nels || cspec[i].to < 0 || cspec[i].to >= nels ||
            cspec[i].from_port < 0 || cspec[i].to_port < 0 || cspec[i].from_port >= PL_MAX_PORTS ||
            cspec[i].to_port >= PL_MAX_PORTS)
            return pl_seterr(err, PL_ERR_GRAPH, NULL, "", "connection %d is out of range", i);

    change ch = {.n = nels};
    ch.final = calloc((size_t)(nels ? nels : 1), sizeof *ch.final);
    ch.old = calloc((size_t)(nels ? nels : 1), sizeof *ch.old);
    ch.rename = calloc((size_t)(nels ? nels : 1), sizeof *ch.rename);
    ch.plan = calloc((size_t)(nels ? nels : 1), sizeof *ch.plan);
    ch.pmode = calloc((size_t)(nels ? nels : 1), sizeof *ch.pmode);
    pl_element **scratch = calloc((size_t)(nels ? nels : 1), sizeof *scratch);
    pl_conn *conns = malloc(sizeof *conns * (size_t)(nconns ? nconns : 1));
    pl_element **retired = calloc((size_t)(e->nelems ? e->nelems : 1), sizeof *retired);
    int rc = 0;
    if (!ch.final || !ch.old || !ch.rename || !ch.plan || !ch.pmode || !scratch || !conns ||
        !retired) {
        rc = pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
        goto fail;
    }
    for (int i = 0; i < nconns; i++)
        conns[i] = (pl_conn){cspec[i].from, cspec[i].from_port, cspec[i].to, cspec[i].to_port};
    pl_adj adj;
    if (pl_adj_build(&adj, nels, conns, nconns)) {
        rc = pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
        goto fail;
    }
    rc = prepare(e, &ch, els, conns, nconns, &adj, scratch, err) || rewrite(&ch, scratch, err);
    pl_adj_free(&adj);
    if (rc) {
        rc = err->status;
        goto fail;
    }
    if (nels > e->cap_elems) {
        pl_element **v = realloc(e->elems, sizeof *v * (size_t)nels);
        if (!v) {
            rc = pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
            goto fail;
        }
        e->elems = v;
        e->cap_elems = nels;
    }
    double t1 = pl_now_us();

    /* ---- from here on nothing fails: publish ---- */
    /* A boundary that may join threads must find atomic refcounts in place
     * before any packet reaches it; the analysis below settles the mode. */
    for (int i = 0; i < nels && e->nthreads > 1; i++)
        if ((ch.final[i]->cls->traits & PL_C_BOUNDARY) && !pl_engine_atomic_refs(e)) {
            e->crossing = 1;
            pl_threads_apply(e);
        }
    for (int i = 0; i < nels; i++) {
        if (ch.plan[i] == RETUNE) {
            pl_retune(ch.final[i], scratch[i], els[i].config);
            st.retuned++;
        }
        if (ch.rename[i])           /* workers may be logging under the old name */
            ch.rename[i] = __atomic_exchange_n(&ch.final[i]->name, ch.rename[i], __ATOMIC_ACQ_REL);
        st.kept += ch.plan[i] == KEEP;
        st.replaced += ch.plan[i] == REPLACE;
        st.added += ch.plan[i] == ADD;
    }
    /* Per-thread resources (TX queues) ready for whoever may push after this. */
    pl_threads_preview(e, ch.final, nels, conns, nconns);
    for (int i = 0; i < ch.nedges; i++) {
        pending_edge *pe = &ch.edges[i];
        _Atomic(pl_edge *) *slot = pe->in ? &pe->holder->in[pe->port] : &pe->holder->out[pe->port];
        pe->edge = atomic_exchange_explicit(slot, pe->edge, memory_order_acq_rel);
    }
    st.edges_changed = ch.nedges;

    /* Old elements that are not part of the new graph retire. */
    int nretired = 0;
    for (int k = 0; k < e->nelems; k++)
        e->elems[k]->index = -1;               /* kept ones get theirs back below */
    for (int i = 0; i < nels; i++)
        ch.final[i]->index = i;
    for (int k = 0; k < e->nelems; k++)
        if (e->elems[k]->index < 0)
            retired[nretired++] = e->elems[k];
    st.removed = nretired - st.replaced;
    /* New elements' tasks wait until the old ones handed over their state. */
    int *thread_of = calloc((size_t)(nels ? nels : 1), sizeof *thread_of);
    for (int i = 0; i < nels; i++) {
        pl_element *el = ch.final[i];
        el->index = i;
        int fresh = ch.plan[i] == REPLACE || ch.plan[i] == ADD;
        if (thread_of)
            thread_of[i] = fresh && ch.old[i] && ch.old[i]->cls->run_task ? ch.old[i]->thread : -1;
        if (fresh)
            el->thread = -1;
    }
    memcpy(e->elems, ch.final, sizeof *ch.final * (size_t)nels);
    e->nelems = nels;
    if (pl_names_rebuild(e))
        pl_log(e, "live change: out of memory for the name index: lookups by name fail");
    free(e->conns);
    e->conns = conns;
    e->nconns = e->cap_conns = nconns;
    conns = NULL;

    double t2 = pl_now_us();
    pl_tasks_publish(e, err);          /* and a grace period: retired elements are quiescent */
    double t3 = pl_now_us();
    for (int k = 0; k < nretired; k++)
        pl_timers_cancel_owner(retired[k]);

    for (int i = 0; i < nels; i++) {
        pl_element *el = ch.final[i];
        if (ch.plan[i] == REPLACE && el->cls->take_state &&
            el->cls->take_state == ch.old[i]->cls->take_state)
            el->cls->take_state(el, ch.old[i]);
        if (thread_of && thread_of[i] >= 0 && el->cls->run_task)
            el->thread = thread_of[i];
    }
    free(thread_of);
    pl_tasks_assign(e);
    pl_threads_analyze(e);
    pl_elect_driver(e, e->elems, e->nelems, err);
    pl_signals_update(e, err);         /* fails only out of memory: signals stay busy */
    for (int i = 0; i < e->nelems; i++)
        if (e->elems[i]->cls->graph_changed)
            e->elems[i]->cls->graph_changed(e->elems[i]);
    pl_timers_settle(e);
    pl_tasks_publish(e, err);          /* grace: nobody reads the replaced signals */
    pl_garbage_free(e);
    pl_threads_apply(e);

    for (int k = 0; k < nretired; k++) {
        pl_element *el = retired[k];
        /* Cleanup first: it may drop (and count) packets still queued inside. */
        pl_notes_free(el);
        if (el->cls->cleanup) {
            el->cls->cleanup(el);
            el->cleaned = 1;
        }
        for (int c = 0; c < el->cls->ndrops; c++)
            e->retired_drops += pl_counter_total(el, c);
        pl_element_destroy(el);
    }
    for (int i = 0; i < ch.nedges; i++)
        free(ch.edges[i].edge);         /* the edges they replaced */
    e->changes++;
    st.build_us = t1 - t0;
    st.publish_us = t2 - t1;
    st.grace_us = t3 - t2;
    st.total_us = pl_now_us() - t0;
    if (out)
        *out = st;
    for (int i = 0; i < nels; i++)
        if (scratch[i]) {
            pl_free_params(scratch[i]);
            free(scratch[i]);
        }
    free(scratch);
    free(retired);
    change_free(&ch, 0);
    return PL_OK;

fail:
    for (int i = 0; scratch && i < nels; i++)
        if (scratch[i]) {
            pl_free_params(scratch[i]);
            free(scratch[i]);
        }
    free(scratch);
    free(conns);
    free(retired);
    change_free(&ch, 1);
    return rc ? rc : PL_ERR_NOMEM;
}

uint64_t pl_engine_retired_drops(pl_engine *e) { return e->retired_drops; }
uint64_t pl_engine_changes(pl_engine *e) { return e->changes; }
