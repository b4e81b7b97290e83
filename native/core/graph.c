/* Port counts (Click's port-spec rules) and output edges. */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

/* One side of a Click port spec: "n", "n-m", "n-", "-", "=" (lo = -1). */
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

static int count_ports(const pl_element *el, int index, const pl_conn *conns, int nconns,
                       int output, int lo, int hi, pl_error *err)
{
    int used = 0;
    for (int i = 0; i < nconns; i++) {
        const pl_conn *c = &conns[i];
        int port = output ? (c->from == index ? c->from_port : -1)
                          : (c->to == index ? c->to_port : -1);
        if (port >= used)
            used = port + 1;
    }
    const char *side = output ? "output" : "input";
    if (used > hi) {
        if (hi == 0)
            pl_seterr(err, PL_ERR_GRAPH, el, "", "'%s :: %s' has no %s %d (%s has no %ss)",
                      el->name, el->cls->name, side, used - 1, el->cls->name, side);
        else
            pl_seterr(err, PL_ERR_GRAPH, el, "", "'%s :: %s' has no %s %d (%s has at most %d %s%s)",
                      el->name, el->cls->name, side, used - 1, el->cls->name, hi, side,
                      hi == 1 ? "" : "s");
        return -1;
    }
    int n = used < lo ? lo : used;
    for (int p = 0; p < n; p++) {
        int found = 0;
        for (int i = 0; i < nconns && !found; i++) {
            const pl_conn *c = &conns[i];
            found = output ? (c->from == index && c->from_port == p)
                           : (c->to == index && c->to_port == p);
        }
        if (!found) {
            pl_seterr(err, PL_ERR_GRAPH, el, "", "'%s :: %s' %s %d unused", el->name, el->cls->name,
                      side, p);
            return -1;
        }
    }
    return n;
}

int pl_port_counts(const pl_element *el, int index, const pl_conn *conns, int nconns, int *nin,
                   int *nout, pl_error *err)
{
    const char *spec = el->cls->ports;
    const char *slash = strchr(spec, '/');
    int ilo, ihi, olo, ohi;
    port_range(spec, &ilo, &ihi);
    port_range(slash ? slash + 1 : spec, &olo, &ohi);
    int ni = count_ports(el, index, conns, nconns, 0, ilo, ihi, err);
    if (ni < 0)
        return -1;
    if (olo < 0)
        olo = ohi = ni;
    int no = count_ports(el, index, conns, nconns, 1, olo, ohi, err);
    if (no < 0)
        return -1;
    int pulls = 0;
    for (int p = 0; p < ni; p++)
        pulls += pl_port_mode(el->cls, 0, p) == 'l';
    if (ni - pulls > 0 && !el->push) {
        pl_seterr(err, PL_ERR_GRAPH, el, "", "%s cannot receive packets", el->cls->name);
        return -1;
    }
    *nin = ni;
    *nout = no;
    return 0;
}

char pl_port_mode(const pl_class *c, int output, int port)
{
    const char *s = c->processing;
    const char *slash = strchr(s, '/');
    const char *side = output ? (slash ? slash + 1 : s) : s;
    size_t n = output || !slash ? strlen(side) : (size_t)(slash - s);
    if (!n)
        return 'h';
    char m = side[(size_t)port < n ? (size_t)port : n - 1];
    return m == 'l' ? 'l' : m == 'h' ? 'h' : 'a';
}

int pl_set_ports(pl_element *el, int nin, int nout, pl_error *err)
{
    el->ninputs = nin;
    el->noutputs = nout;
    if (nout) {
        el->out = calloc((size_t)nout, sizeof *el->out);
        if (!el->out)
            return pl_seterr(err, PL_ERR_NOMEM, el, "", "out of memory");
    }
    int pulls = 0;
    for (int p = 0; p < nin; p++)
        pulls += pl_port_mode(el->cls, 0, p) == 'l';
    if (pulls) {
        el->in = calloc((size_t)nin, sizeof *el->in);
        if (!el->in)
            return pl_seterr(err, PL_ERR_NOMEM, el, "", "out of memory");
    }
    return 0;
}

/*
 * Push and pull (Click's rules, with agnostic ports running as push: this is
 * a full-push engine, and pull exists so the vanilla Queue -> Unqueue model
 * can be compared). A pull output connects to one pull input and back.
 */
int pl_check_modes(pl_element *const *elems, const pl_conn *conns, int nconns, pl_error *err)
{
    for (int i = 0; i < nconns; i++) {
        const pl_conn *c = &conns[i];
        pl_element *from = elems[c->from], *to = elems[c->to];
        char mo = pl_port_mode(from->cls, 1, c->from_port), mi = pl_port_mode(to->cls, 0, c->to_port);
        int po = mo == 'l', pi = mi == 'l';
        if (po != pi)
            return pl_seterr(err, PL_ERR_GRAPH, po ? from : to, "",
                             "%s %s [%d] connected to %s %s [%d]: push/pull mismatch (%s)",
                             po ? "pull output" : "push output", from->name, c->from_port,
                             pi ? "pull input" : "push input", to->name, c->to_port,
                             po ? "a pull output feeds an element that pulls, such as Unqueue"
                                : "put a Queue before an element that pulls");
        if (pi)
            for (int j = 0; j < i; j++)
                if (conns[j].to == c->to && conns[j].to_port == c->to_port)
                    return pl_seterr(err, PL_ERR_GRAPH, to, "",
                                     "pull input %d connected more than once", c->to_port);
    }
    return 0;
}

/* The edge for connection c: an output edge (push) or an input edge (pull). */
pl_edge *pl_conn_edge(pl_element *from, int from_port, pl_element *to, int to_port, int *is_pull)
{
    pl_edge *edge = pl_edge_new(from, from_port, to, to_port);
    *is_pull = pl_port_mode(from->cls, 1, from_port) == 'l';
    if (edge && *is_pull) {
        edge->push = NULL;
        edge->from = from;
        edge->from_port = from_port;
        edge->pull = from->cls->pull;
    }
    return edge;
}

/* Check that no push output is connected twice. */
int pl_check_fanout(pl_element *const *elems, const pl_conn *conns, int nconns, pl_error *err)
{
    for (int i = 0; i < nconns; i++)
        for (int j = 0; j < i; j++)
            if (conns[i].from == conns[j].from && conns[i].from_port == conns[j].from_port)
                return pl_seterr(err, PL_ERR_GRAPH, elems[conns[i].from], "",
                                 "illegal reuse of '%s :: %s' push output %d",
                                 elems[conns[i].from]->name, elems[conns[i].from]->cls->name,
                                 conns[i].from_port);
    return 0;
}

pl_edge *pl_edge_new(pl_element *from, int from_port, pl_element *to, int to_port)
{
    pl_edge *edge = malloc(sizeof *edge);
    if (edge)
        *edge = (pl_edge){to, to->push, to_port, from->port_base + (uint32_t)from_port, NULL, 0,
                          NULL};
    return edge;
}
