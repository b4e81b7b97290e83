/*
 * Notifier searches and listener lists (notifier.h), as Click's
 * NotifierRouterVisitor: breadth first from a listener's port, through the
 * connections and the elements' flow codes; a notifier of the kind sought
 * ends the path (unless it lets the search pass), a port of the other
 * processing (a push output met going upstream: a queue without notifier)
 * or an element with no flow through it that may make packets makes the
 * signal busy.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

struct pl_listen {
    int kind, port;
    pl_wake_fn wake;
    pl_signal_slot *slot;
};

typedef struct pl_noteprov {
    int kind, port, pass;
    pl_notifier *n;
} pl_noteprov;

static void trash(pl_engine *e, void *p);

typedef struct garbage {
    int n, cap;
    void **v;
} garbage;

void pl_notifier_init(pl_notifier *n, int active)
{
    atomic_init(&n->active, active ? 1u : 0u);
    atomic_init(&n->listeners, NULL);
    n->room = NULL;
    n->owner = NULL;
    n->seq = 0;
    n->kind = PL_NOTE_EMPTY;
}

void pl_notifier_wake_slow(pl_notifier *n)
{
    if (atomic_exchange_explicit(&n->active, 1, memory_order_seq_cst))
        return;
    pl_listeners *l = atomic_load_explicit(&n->listeners, memory_order_acquire);
    for (int i = 0; l && i < l->n; i++)
        l->v[i].fn(l->v[i].e);
}

int pl_notifier_provide(pl_element *e, int kind, int port, pl_notifier *n, int pass,
                        pl_error *err)
{
    pl_noteprov *v = realloc(e->notes, sizeof *v * (size_t)(e->nnotes + 1));
    if (!v)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    e->notes = v;
    v[e->nnotes++] = (pl_noteprov){kind, port, pass, n};
    if (!n->seq) {
        n->kind = kind;
        n->seq = atomic_fetch_add(&e->eng->notifiers_made[kind == PL_NOTE_FULL], 1) + 1;
    }
    return 0;
}

int pl_listen(pl_element *e, int kind, int port, pl_signal_slot *slot, pl_wake_fn wake,
              pl_error *err)
{
    struct pl_listen *v = realloc(e->listens, sizeof *v * (size_t)(e->nlistens + 1));
    if (!v)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    e->listens = v;
    v[e->nlistens++] = (struct pl_listen){kind, port, wake, slot};
    atomic_store_explicit(slot, NULL, memory_order_relaxed);
    return 0;
}

int pl_task_sleep_unless(pl_element *e, pl_signal_slot *slot)
{
    pl_task_sleep(e);
    if (pl_signal_active(pl_signal_get(slot))) {
        atomic_store_explicit(&e->sched, 1, memory_order_relaxed);
        return 0;
    }
    return 1;
}

void pl_garbage_add(pl_engine *e, void *p)
{
    pthread_mutex_lock(&e->pending_lock);
    trash(e, p);
    pthread_mutex_unlock(&e->pending_lock);
}

static void trash(pl_engine *e, void *p)
{
    if (!p)
        return;
    garbage *g = e->garbage;
    if (!g) {
        g = e->garbage = calloc(1, sizeof *g);
        if (!g) {
            /* Out of memory: leak it rather than free it under a reader. */
            return;
        }
    }
    if (g->n == g->cap) {
        int cap = g->cap ? g->cap * 2 : 16;
        void **v = realloc(g->v, sizeof *v * (size_t)cap);
        if (!v)
            return;
        g->v = v;
        g->cap = cap;
    }
    g->v[g->n++] = p;
}

void pl_garbage_free(pl_engine *e)
{
    pthread_mutex_lock(&e->pending_lock);
    garbage *g = e->garbage;
    for (int i = 0; g && i < g->n; i++)
        free(g->v[i]);
    if (g)
        g->n = 0;
    pthread_mutex_unlock(&e->pending_lock);
}

void pl_garbage_destroy(pl_engine *e)
{
    pl_garbage_free(e);
    garbage *g = e->garbage;
    if (g)
        free(g->v);
    free(g);
    e->garbage = NULL;
}

void pl_notes_free(pl_element *el)
{
    for (int i = 0; i < el->nnotes; i++)
        free(atomic_exchange(&el->notes[i].n->listeners, NULL));
    for (int i = 0; i < el->nlistens; i++)
        free(atomic_exchange(el->listens[i].slot, NULL));
    free(el->notes);
    free(el->listens);
    el->notes = NULL;
    el->listens = NULL;
    el->nnotes = el->nlistens = 0;
}

static pl_noteprov *provided(pl_element *el, int kind, int port)
{
    for (int i = 0; i < el->nnotes; i++)
        if (el->notes[i].kind == kind && (el->notes[i].port < 0 || el->notes[i].port == port))
            return &el->notes[i];
    return NULL;
}

typedef struct search {
    pl_notifier **found;
    int n, cap;
    int busy;
} search;

static void add_found(search *s, pl_notifier *n)
{
    for (int i = 0; i < s->n; i++)
        if (s->found[i] == n)
            return;
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 8;
        pl_notifier **v = realloc(s->found, sizeof *v * (size_t)cap);
        if (!v) {
            s->busy = 1;                 /* cannot track it: never sleep on it */
            return;
        }
        s->found = v;
        s->cap = cap;
    }
    s->found[s->n++] = n;
}

/*
 * From element el's port (an input for EMPTY: search upstream; an output for
 * FULL: downstream), breadth first. visited marks the ports on the far side
 * (outputs going upstream, inputs going downstream) by global index.
 */
static void run_search(pl_engine *e, pl_element *start, int kind, int port, search *s)
{
    int up = kind == PL_NOTE_EMPTY;
    int total = 0;
    int *base = malloc(sizeof *base * (size_t)(e->nelems + 1));
    if (!base) {
        s->busy = 1;
        return;
    }
    for (int i = 0; i < e->nelems; i++) {
        base[i] = total;
        total += up ? e->elems[i]->noutputs : e->elems[i]->ninputs;
    }
    char *seen = calloc((size_t)(total ? total : 1), 1);
    pl_adj adj;                          /* without it (out of memory): scan every connection */
    int have_adj = !pl_adj_build(&adj, e->nelems, e->conns, e->nconns);
    /* Queue of (element, port) on the near side to expand. */
    int cap = 16, head = 0, tail = 0;
    int *q = malloc(sizeof *q * (size_t)cap * 2);
    if (!seen || !q) {
        free(base), free(seen), free(q);
        if (have_adj)
            pl_adj_free(&adj);
        s->busy = 1;
        return;
    }
    q[tail * 2] = start->index;
    q[tail * 2 + 1] = port;
    tail++;
    while (head < tail && !s->busy) {
        int ei = q[head * 2], ep = q[head * 2 + 1];
        head++;
        int lo = 0, hi = e->nconns;
        const int *list = NULL;
        if (have_adj) {
            list = up ? adj.in : adj.out;
            lo = up ? adj.in_off[ei] : adj.out_off[ei];
            hi = up ? adj.in_off[ei + 1] : adj.out_off[ei + 1];
        }
        for (int k = lo; k < hi; k++) {
            const pl_conn *cn = &e->conns[list ? list[k] : k];
            int near = up ? cn->to : cn->from, nport = up ? cn->to_port : cn->from_port;
            if (near != ei || nport != ep)
                continue;
            int fi = up ? cn->from : cn->to, fp = up ? cn->from_port : cn->to_port;
            if (seen[base[fi] + fp])
                continue;
            seen[base[fi] + fp] = 1;
            pl_element *f = e->elems[fi];
            pl_noteprov *np = provided(f, kind, fp);
            if (np) {
                add_found(s, np->n);
                if (!np->pass)
                    continue;
            } else if (up ? !pl_output_is_pull(f, fp) : pl_input_is_pull(f, fp)) {
                s->busy = 1;             /* went from pull to push: a queue without notifier */
                break;
            }
            int nother = up ? f->ninputs : f->noutputs, any = 0;
            for (int o = 0; o < nother; o++) {
                if (!pl_flows(f, up, fp, o))
                    continue;
                any = 1;
                if (tail == cap) {
                    cap *= 2;
                    int *nq = realloc(q, sizeof *q * (size_t)cap * 2);
                    if (!nq) {
                        s->busy = 1;
                        break;
                    }
                    q = nq;
                }
                q[tail * 2] = fi;
                q[tail * 2 + 1] = o;
                tail++;
            }
            if (!any && !np && f->cls->sources != PL_S_NONE)
                s->busy = 1;             /* may make packets of its own */
        }
    }
    free(base);
    free(seen);
    free(q);
    if (have_adj)
        pl_adj_free(&adj);
}

typedef struct lst {
    pl_notifier *n;
    int count, cap;
    pl_listener *t;
} lst;

int pl_signals_update(pl_engine *e, pl_error *err)
{
    lst *lists = NULL;
    int nlists = 0, caplists = 0, rc = 0;
    for (int i = 0; i < e->nelems && !rc; i++) {
        pl_element *el = e->elems[i];
        for (int k = 0; k < el->nlistens && !rc; k++) {
            struct pl_listen *l = &el->listens[k];
            search s = {0};
            int np = l->kind == PL_NOTE_EMPTY ? el->ninputs : el->noutputs;
            if (l->port >= 0 && l->port < np)
                run_search(e, el, l->kind, l->port, &s);
            else
                s.busy = 1;
            pl_signal *sig = malloc(sizeof *sig + sizeof(pl_notifier *) * (size_t)s.n);
            if (!sig) {
                free(s.found);
                rc = pl_seterr(err, PL_ERR_NOMEM, el, "", "out of memory");
                break;
            }
            sig->busy = s.busy;
            sig->n = s.busy ? 0 : s.n;
            for (int j = 0; j < sig->n; j++)
                sig->v[j] = s.found[j];
            pl_garbage_add(e, atomic_exchange_explicit(l->slot, sig, memory_order_acq_rel));
            for (int j = 0; l->wake && j < sig->n; j++) {
                int m = 0;
                while (m < nlists && lists[m].n != sig->v[j])
                    m++;
                if (m == nlists) {
                    if (nlists == caplists) {
                        caplists = caplists ? caplists * 2 : 8;
                        lst *nl = realloc(lists, sizeof *nl * (size_t)caplists);
                        if (!nl) {
                            rc = pl_seterr(err, PL_ERR_NOMEM, el, "", "out of memory");
                            break;
                        }
                        lists = nl;
                    }
                    lists[nlists++] = (lst){sig->v[j], 0, 0, NULL};
                }
                lst *L = &lists[m];
                int dup = 0;
                for (int x = 0; x < L->count; x++)
                    dup |= L->t[x].e == el && L->t[x].fn == l->wake;
                if (dup)
                    continue;
                if (L->count == L->cap) {
                    L->cap = L->cap ? L->cap * 2 : 4;
                    pl_listener *nt = realloc(L->t, sizeof *nt * (size_t)L->cap);
                    if (!nt) {
                        rc = pl_seterr(err, PL_ERR_NOMEM, el, "", "out of memory");
                        break;
                    }
                    L->t = nt;
                }
                L->t[L->count++] = (pl_listener){el, l->wake};
            }
            free(s.found);
        }
    }
    /* Every notifier of the graph gets its new list (empty when none listens). */
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        for (int k = 0; k < el->nnotes; k++) {
            pl_notifier *n = el->notes[k].n;
            int again = 0;
            for (int j = 0; j < k; j++)
                again |= el->notes[j].n == n;
            if (again)
                continue;             /* one notifier provided on several ports */
            int m = 0;
            while (m < nlists && lists[m].n != n)
                m++;
            int cnt = m < nlists ? lists[m].count : 0;
            pl_listeners *L = NULL;
            if (cnt) {
                L = malloc(sizeof *L + sizeof(pl_listener) * (size_t)cnt);
                if (L) {
                    L->n = cnt;
                    memcpy(L->v, lists[m].t, sizeof(pl_listener) * (size_t)cnt);
                }
            }
            pl_listeners *old = atomic_exchange_explicit(&n->listeners, L, memory_order_acq_rel);
            if (old != L)
                pl_garbage_add(e, old);
        }
    }
    for (int m = 0; m < nlists; m++)
        free(lists[m].t);
    free(lists);
    /* A listener whose signal is active now may be asleep: wake it. */
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        for (int k = 0; k < el->nlistens; k++)
            if (el->listens[k].wake && pl_signal_active(pl_signal_get(el->listens[k].slot)))
                el->listens[k].wake(el);
    }
    return rc;
}
