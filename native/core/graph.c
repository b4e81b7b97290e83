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

/* Port numbers against the class's range (Click's check_hookup_range);
 * that every port below the count is connected is checked after the
 * push/pull resolution (pl_check_hookup), as in Click. */
static int count_ports(const pl_element *el, int index, const pl_conn *conns, const pl_adj *adj,
                       int output, int lo, int hi, pl_error *err)
{
    const int *mine = output ? adj->out + adj->out_off[index] : adj->in + adj->in_off[index];
    int n_mine = output ? adj->out_off[index + 1] - adj->out_off[index]
                        : adj->in_off[index + 1] - adj->in_off[index];
    int used = 0;
    for (int k = 0; k < n_mine; k++) {
        const pl_conn *c = &conns[mine[k]];
        int port = output ? c->from_port : c->to_port;
        if (port >= used)
            used = port + 1;
    }
    if (used > hi) {
        char d[160];
        for (int k = 0; k < n_mine; k++) {
            const pl_conn *c = &conns[mine[k]];
            int port = output ? c->from_port : c->to_port;
            if (port >= hi) {
                pl_seterr(err, PL_ERR_GRAPH, el, "", "'%s' has no %s %d",
                          pl_decl(el, d, sizeof d), output ? "output" : "input", port);
                return -1;
            }
        }
    }
    return used < lo ? lo : used;
}

int pl_port_counts(const pl_element *el, int index, const pl_conn *conns, const pl_adj *adj,
                   int *nin, int *nout, pl_error *err)
{
    const char *spec = el->cls->ports;
    const char *slash = strchr(spec, '/');
    int ilo, ihi, olo, ohi;
    port_range(spec, &ilo, &ihi);
    port_range(slash ? slash + 1 : spec, &olo, &ohi);
    int ni = count_ports(el, index, conns, adj, 0, ilo, ihi, err);
    if (ni < 0)
        return -1;
    if (olo < 0)
        olo = ohi = ni;
    int no = count_ports(el, index, conns, adj, 1, olo, ohi, err);
    if (no < 0)
        return -1;
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
    return 0;
}

int pl_set_modes(pl_element *el, char *pmode, pl_error *err)
{
    char d[160];
    free(el->pmode);
    el->pmode = pmode;
    int pulls = 0, pushes = 0;
    for (int p = 0; p < el->ninputs; p++) {
        pulls += pmode[p] == 'l';
        pushes += pmode[p] == 'h';
    }
    if (pushes && !el->push)
        return pl_seterr(err, PL_ERR_GRAPH, el, "", "'%s' cannot receive pushed packets",
                         pl_decl(el, d, sizeof d));
    if (pulls && !el->in) {
        el->in = calloc((size_t)el->ninputs, sizeof *el->in);
        if (!el->in)
            return pl_seterr(err, PL_ERR_NOMEM, el, "", "out of memory");
    }
    return pl_setup_pull(el, err);
}

/* The edge for connection c: an output edge (push) or an input edge (pull),
 * by the resolved processing of the sender's port. */
pl_edge *pl_conn_edge(pl_element *from, int from_port, pl_element *to, int to_port, int *is_pull)
{
    pl_edge *edge = pl_edge_new(from, from_port, to, to_port);
    *is_pull = pl_output_is_pull(from, from_port);
    if (edge && *is_pull) {
        edge->push = NULL;
        edge->from = from;
        edge->from_port = from_port;
        edge->pull = from->pull;
    }
    return edge;
}

pl_edge *pl_edge_new(pl_element *from, int from_port, pl_element *to, int to_port)
{
    pl_edge *edge = malloc(sizeof *edge);
    if (edge)
        *edge = (pl_edge){to, to->push, to_port, from->port_base + (uint32_t)from_port, NULL, 0,
                          NULL};
    return edge;
}
