/*
 * fuzz_elements: libFuzzer harness for every element class that takes packets.
 *
 * One input is one experiment. Its first bytes pick the class (unless
 * PL_FUZZ_CLASS fixes it), a configuration (fuzz_config.c), how many of the
 * class's inputs and outputs to use, engine options (per-packet mode, a
 * pool small enough to run dry), handler writes and a live change; the rest
 * are packets, each with its batch boundary, input port, annotations,
 * headroom and sharing. The harness builds the smallest graph around the
 * element: a FuzzSource per input (behind a Queue where the input pulls), a
 * FuzzSink per output (behind an Unqueue where the output is pulled), runs
 * it on this thread as run_inline does until nothing moves, reads every
 * handler, then checks:
 *   - conservation: every packet of the graph (one that passed an edge:
 *     the sources', and the clones, fragments and replies elements sent on)
 *     was counted exactly once where it ended -- a sink, or a drop counter
 *     of the element (at cleanup for packets it still held), live change
 *     included (poolcheck.h marks the packets);
 *   - pool accounting: every buffer is back in a pool.
 * A violation aborts with the figures, so libFuzzer keeps the input.
 *
 * Classes come from the class table at start: a class added later is fuzzed
 * with no change here. Environment:
 *   PL_FUZZ_CLASS=Name  fuzz that class only (the first byte is then ignored)
 *   PL_FUZZ_LIST=1      print the classes it fuzzes, one per line, and exit
 *   PL_FUZZ_NET=1       allow running without a network namespace of its own
 *                       (otherwise it makes one, so that device elements
 *                       never reach a real interface)
 *
 * Input layout (docs/robustness.md): [class][flags][ports][L][L config bytes]
 * {[H][H handler bytes] if flags&0x10}{[K][K change bytes] if flags&0x20}
 * then packets, each [flags][len16][net?][headroom?][paint anno3 dst4?][data].
 */
#include "fuzz.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t pl_fuzz_deaths;

typedef struct fz_class {
    const pl_class *cls;
    fz_words words;
    int ilo, ihi, olo, ohi;       /* port ranges from the spec, capped */
} fz_class;

static fz_class classes[512];
static int nclasses;
static const pl_class *queue_cls, *unqueue_cls;

static void range(const char *s, int *lo, int *hi)
{
    if (*s == '-') {
        *lo = 0, *hi = 4;
        return;
    }
    if (*s == '=') {
        *lo = *hi = -1;
        return;
    }
    char *end;
    *lo = *hi = (int)strtol(s, &end, 10);
    if (*end == '-')
        *hi = end[1] && end[1] != '/' ? (int)strtol(end + 1, NULL, 10) : *lo + 4;
    if (*hi > *lo + 4)
        *hi = *lo + 4;
}

static int has_pull(const pl_class *c, int output, int n)
{
    for (int p = 0; p < n; p++)
        if (pl_port_mode(c, output, p) == 'l')
            return 1;
    return 0;
}

static void isolate(void)
{
    const char *allow = getenv("PL_FUZZ_NET");
    if (allow && *allow == '1')
        return;
    /* Device elements (ToDevice(eth0) from a manual's example) must never
     * send the fuzzer's packets anywhere: a network namespace of our own
     * has nothing but a loopback that is down. */
    if (unshare(CLONE_NEWNET) && unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
        fprintf(stderr, "fuzz_elements: cannot make a network namespace (%m); run as root, "
                        "or set PL_FUZZ_NET=1 to fuzz in this one\n");
        exit(2);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *only = getenv("PL_FUZZ_CLASS");
    const char *list = getenv("PL_FUZZ_LIST");
    queue_cls = pl_class_lookup("Queue");
    unqueue_cls = pl_class_lookup("Unqueue");
    for (int i = 0; i < pl_class_count() && nclasses < 512; i++) {
        const pl_class *c = pl_class_at(i);
        if (c == &fz_source_class || c == &fz_sink_class)
            continue;
        fz_class *f = &classes[nclasses];
        const char *slash = strchr(c->ports, '/');
        range(c->ports, &f->ilo, &f->ihi);
        range(slash ? slash + 1 : c->ports, &f->olo, &f->ohi);
        if (f->ihi <= 0 || (only && strcmp(only, c->name)))
            continue;
        if (f->ilo < 1)
            f->ilo = 1;
        /* Room in the graph: 4 inputs (a source and a queue each), 12 outputs. */
        if (f->ilo > 4 || f->olo > 12)
            continue;
        f->ihi = f->ihi > 4 ? 4 : f->ihi;
        f->ohi = f->ohi > 12 ? 12 : f->ohi;
        if ((has_pull(c, 0, f->ihi) && !queue_cls) || (has_pull(c, 1, f->ohi) && !unqueue_cls))
            continue;
        f->cls = c;
        fz_words_build(c, &f->words);
        nclasses++;
    }
    if (list && *list == '1') {
        for (int i = 0; i < nclasses; i++)
            printf("%s\n", classes[i].cls->name);
        exit(0);
    }
    if (!nclasses) {
        fprintf(stderr, "fuzz_elements: no class to fuzz%s%s\n", only ? " named " : "",
                only ? only : "");
        exit(2);
    }
    isolate();
    return 0;
}

/* ---- the graph ---- */

#define MAXEL 32

typedef struct fz_graph {
    pl_elem_spec els[MAXEL];
    pl_conn_spec conns[MAXEL];
    char names[MAXEL][16];
    int nels, nconns, x;
    int src[8], nsrc;
} fz_graph;

static int add(fz_graph *g, const char *prefix, int k, const char *cls, const char *config)
{
    int i = g->nels++;
    snprintf(g->names[i], sizeof g->names[i], "%s%d", prefix, k);
    g->els[i] = (pl_elem_spec){g->names[i], cls, config, 0, 0};
    return i;
}

static void conn(fz_graph *g, int from, int fp, int to, int tp)
{
    g->conns[g->nconns++] = (pl_conn_spec){from, fp, to, tp};
}

/* X with nin inputs fed by sources and nout outputs ending in sinks. */
static void build(fz_graph *g, const pl_class *c, const char *config, int nin, int nout)
{
    memset(g, 0, sizeof *g);
    g->x = add(g, "x", 0, c->name, config);
    for (int p = 0; p < nin; p++) {
        int s = add(g, "src", p, fz_source_class.name, "");
        g->src[g->nsrc++] = s;
        if (pl_port_mode(c, 0, p) == 'l') {
            int q = add(g, "q", p, queue_cls->name, "");
            conn(g, s, 0, q, 0);
            s = q;
        }
        conn(g, s, 0, g->x, p);
    }
    for (int p = 0; p < nout; p++) {
        int from = g->x;
        if (pl_port_mode(c, 1, p) == 'l') {
            int u = add(g, "uq", p, unqueue_cls->name, "");
            conn(g, g->x, p, u, 0);
            from = u;
        }
        int k = add(g, "sink", p, fz_sink_class.name, "");
        conn(g, from, from == g->x ? p : 0, k, 0);
    }
    /* ICMPRewriter looks mappings up in the rewriter its configuration names
     * (its manual's example: 'rw'): one, fed by a source of its own, so that
     * the errors the input sends can quote flows it mapped. */
    if (!strcmp(c->name, "ICMPRewriter")) {
        int r = add(g, "rw", 0, "IPRewriter", "pattern 10.0.0.1 1024-65535 - - 0 0");
        snprintf(g->names[r], sizeof g->names[r], "rw");
        int s = add(g, "src", nin, fz_source_class.name, "");
        g->src[g->nsrc++] = s;
        int k = add(g, "sink", nout, fz_sink_class.name, "");
        conn(g, s, 0, r, 0);
        conn(g, r, 0, k, 0);
    }
}

static int instantiate(pl_engine *e, const fz_graph *g, pl_error *err)
{
    for (int i = 0; i < g->nels; i++)
        if (pl_engine_add(e, g->els[i].name, g->els[i].cls, g->els[i].config, 0, 0, err))
            return -1;
    for (int i = 0; i < g->nconns; i++) {
        const pl_conn_spec *c = &g->conns[i];
        if (pl_engine_connect(e, c->from, c->from_port, c->to, c->to_port, err))
            return -1;
    }
    return pl_engine_initialize(e, err);
}

/* ---- running ---- */

static uint64_t moved(pl_engine *e)
{
    uint64_t n = 0;
    for (uint32_t p = 0; p < e->nports; p++)
        n += e->workers[0].ctx.port_stats[(size_t)p * 4];
    return n;
}

static int sources_done(pl_engine *e)
{
    for (int i = 0; i < e->nelems; i++)
        if (e->elems[i]->cls == &fz_source_class &&
            !atomic_load_explicit(&e->elems[i]->task_done, memory_order_relaxed))
            return 0;
    return 1;
}

/* run_inline, round by round, until the sources are done and nothing moved
 * for a few rounds (tasks such as Unqueue never finish by themselves). */
static void run(pl_engine *e)
{
    int quiet = 0;
    for (int round = 0; round < 2048 && quiet < 4; round++) {
        uint64_t before = moved(e);
        pl_worker_loop(&e->workers[0], 1, 1);
        quiet = sources_done(e) && moved(e) == before ? quiet + 1 : 0;
        if (atomic_load(&e->done))
            break;
    }
    for (int i = 0; i < e->nelems; i++)
        if (e->elems[i]->cls->stop)
            e->elems[i]->cls->stop(e->elems[i], &e->workers[0].ctx);
    atomic_store(&e->stop, 0);
    atomic_store(&e->done, 0);
    e->state = PL_S_STOPPED;
}

static void read_handlers(pl_engine *e, int x)
{
    static char buf[1 << 16];
    pl_error err;
    const pl_element *el = e->elems[x];
    for (const pl_handler *h = el->cls->handlers; h && h->name; h++)
        if (h->read)
            pl_handler_read(e, x, h->name, buf, sizeof buf, &err);
    for (const pl_param *p = el->cls->params; p && p->name; p++) {
        char lower[64];
        size_t i = 0;
        for (; p->name[i] && i < sizeof lower - 1; i++)
            lower[i] = (char)(p->name[i] | 0x20);
        lower[i] = 0;
        pl_handler_read(e, x, lower, buf, sizeof buf, &err);
    }
    static const char *const builtin[] = {"class", "name", "config", "ports", "handlers",
                                          "icounts", "ocounts"};
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        pl_handler_read(e, x, builtin[i], buf, sizeof buf, &err);
}

/* Writes to the element's writable handlers and live parameters. */
static void write_handlers(pl_engine *e, int x, const fz_class *f, fz_rd *r)
{
    const pl_element *el = e->elems[x];
    const char *names[64];
    const pl_param *params[64];
    int n = 0;
    static char lower[64][48];
    for (const pl_handler *h = el->cls->handlers; h && h->name && n < 64; h++)
        if (h->write)
            names[n] = h->name, params[n++] = NULL;
    for (const pl_param *p = el->cls->params; p && p->name && n < 64; p++) {
        if (!(p->flags & PL_P_LIVE))
            continue;
        size_t i = 0;
        for (; p->name[i] && i < 47; i++)
            lower[n][i] = (char)(p->name[i] | 0x20);
        lower[n][i] = 0;
        names[n] = lower[n], params[n++] = p;
    }
    while (n && fz_left(r)) {
        int k = (int)(fz_u8(r) % (unsigned)n);
        char *v = fz_value(params[k], &f->words, r);
        pl_error err;
        pl_handler_write(e, x, names[k], v, &err);
        free(v);
    }
}

/* ---- the checks ---- */

static void check(pl_engine *e, const char *cls)
{
    uint64_t drops = pl_engine_retired_drops(e);
    for (int i = 0; i < e->nelems; i++)
        for (int c = 0; c < e->elems[i]->cls->ndrops; c++)
            drops += pl_counter_total(e->elems[i], c);
    pl_pool_info pools;
    pl_engine_pools(e, &pools);
    if (drops != pl_fuzz_deaths || pools.allocated != pools.free) {
        fprintf(stderr,
                "fuzz_elements: %s: %s: %llu packets of the graph freed, %llu counted by drop "
                "counters; %llu buffers, %llu back in the pools\n",
                cls, drops != pl_fuzz_deaths ? "conservation violated" : "buffers not returned",
                (unsigned long long)pl_fuzz_deaths, (unsigned long long)drops,
                (unsigned long long)pools.allocated, (unsigned long long)pools.free);
        for (int i = 0; i < e->nelems; i++) {
            const pl_element *el = e->elems[i];
            fprintf(stderr, "  %s :: %s(%s):", el->name, el->cls->name, el->config);
            for (int p = 0; p < el->noutputs; p++)
                fprintf(stderr, " out%d=%llu", p, (unsigned long long)pl_output_total(
                                                      (pl_element *)el, p, 0));
            for (int c = 0; el->cls->counters && el->cls->counters[c]; c++)
                fprintf(stderr, " %s%s=%llu", c < el->cls->ndrops ? "drop:" : "",
                        el->cls->counters[c],
                        (unsigned long long)pl_counter_total((pl_element *)el, c));
            fprintf(stderr, "\n");
        }
        abort();
    }
}

/* Let every element give back what it holds (counted), as live change does
 * for an element it removes, while the counters are still there. */
static void clean(pl_engine *e)
{
    for (int i = 0; i < e->nelems; i++) {
        pl_element *el = e->elems[i];
        if (el->cls->cleanup && !el->cleaned) {
            pl_notes_free(el);     /* first, as the engine does: listener slots may
                                      live in memory the cleanup frees */
            el->cls->cleanup(el);
            el->cleaned = 1;
        }
    }
}

static void packets(fz_rd *r, fz_plan *plans, int nin, int split, fz_plan *later)
{
    int total = 0;
    while (fz_left(r) && total < FZ_MAX_PACKETS) {
        fz_pkt k = {0};
        k.flags = (uint8_t)fz_u8(r);
        k.len = fz_u16(r);
        if (k.flags & FZ_P_NET)
            k.net = (uint8_t)fz_u8(r);
        if (k.flags & FZ_P_HEADROOM)
            k.headroom = (uint8_t)fz_u8(r);
        if (k.flags & FZ_P_ANNO) {
            k.paint = (uint8_t)fz_u8(r);
            for (int i = 0; i < 3; i++)
                k.anno[i] = (uint8_t)fz_u8(r);
            uint8_t a[4];
            for (int i = 0; i < 4; i++)
                a[i] = (uint8_t)fz_u8(r);
            memcpy(&k.dst_ip, a, 4);          /* network order, as the annotation */
        }
        fz_rd d = fz_sub(r, k.len);
        k.data = d.d;
        k.len = (uint32_t)d.n;
        fz_plan *pl = &plans[(k.flags >> 1 & 3) % nin];
        if (split && total & 1)
            pl = &later[(k.flags >> 1 & 3) % nin];
        if (pl->n < FZ_MAX_PACKETS)
            pl->v[pl->n++] = k;
        total++;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_rd r = {data, size, 0};
    const fz_class *f = &classes[fz_u8(&r) % (unsigned)nclasses];
    unsigned flags = fz_u8(&r), ports = fz_u8(&r);
    fz_rd cr = fz_sub(&r, fz_u8(&r));
    fz_rd hr = {0}, lr = {0};
    if (flags & 0x10)
        hr = fz_sub(&r, fz_u8(&r));
    if (flags & 0x20)
        lr = fz_sub(&r, fz_u8(&r));
    int nin = f->ilo + (int)((ports >> 4) % (unsigned)(f->ihi - f->ilo + 1));
    int olo = f->olo < 0 ? nin : f->olo, ohi = f->ohi < 0 ? nin : f->ohi;
    int nout = olo + (int)((ports & 15) % (unsigned)(ohi - olo + 1));

    static fz_plan plans[4], later[4];
    for (int i = 0; i < 4; i++)
        plans[i].n = plans[i].pos = later[i].n = later[i].pos = 0;
    packets(&r, plans, nin, (flags & 0x20) != 0, later);

    char *config = fz_config(f->cls, &f->words, flags & 3, &cr);
    pl_engine_opts opts = {.threads = 1, .per_packet = (flags >> 2) & 1,
                           .pool_buffers = flags & 8 ? 12 : 192,
                           .timestamps = (flags >> 6) & 1};   /* sources stamp (LatencyHistogram) */
    pl_error err;
    pl_fuzz_deaths = 0;
    pl_engine *e = pl_engine_new(&opts, &err);
    fz_graph g;
    build(&g, f->cls, config, nin, nout);
    if (!e || instantiate(e, &g, &err)) {
        pl_engine_free(e);
        free(config);
        return 0;
    }
    for (int i = 0; i < g.nsrc; i++)
        fz_source_set(e->elems[g.src[i]], &plans[i]);
    write_handlers(e, g.x, f, &hr);
    run(e);
    if (flags & 0x20) {
        /* A live change of the element: a new configuration, retuned in
         * place or built and swapped in (taking the old one's state). */
        char *c2 = fz_config(f->cls, &f->words, fz_u8(&lr) & 3, &lr);
        g.els[g.x].config = c2;
        if (!pl_engine_apply(e, g.els, g.nels, g.conns, g.nconns, NULL, &err)) {
            for (int i = 0; i < g.nsrc; i++)
                fz_source_set(e->elems[g.src[i]], &later[i]);
            for (int i = 0; i < g.nsrc; i++)
                atomic_store(&e->elems[g.src[i]]->task_done, 0);
            run(e);
        }
        free(c2);
    }
    read_handlers(e, g.x);
    clean(e);
    check(e, f->cls->name);
    pl_engine_free(e);
    free(config);
    return 0;
}
