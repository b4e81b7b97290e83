/*
 * Handlers FromNetmapDevice and ToNetmapDevice share: the ring size (read
 * from the ring; written: the port reopened with that many slots), the
 * engine's netmap buffers and the memory region.
 *
 * Netmap fixes a port's ring sizes when the port is created: an interface
 * takes its driver's (ethtool -G, before netmap opens it), a VALE port or a
 * pipe the slots its first opener asks for. Writing NDESC therefore parks the
 * workers, closes every ring this engine has open on the port (both
 * directions), and opens them again asking for the new size; what the
 * closed rings still held (RX: received, not read; TX: queued, not sent) is
 * lost and counted. A port that someone else keeps open is not recreated:
 * the write then fails, saying so, and the rings keep their size.
 */
#include "netmap_port.h"

#include <stdlib.h>

#define U64(x) pl_fmt(buf, len, "%llu", (unsigned long long)(x))

static pl_netmap_elem *elem(pl_element *e) { return PL_STATE(e, pl_netmap_elem); }

int pl_netmap_h_ndesc(pl_element *e, char *buf, size_t len)
{
#ifdef PL_HAVE_NETMAP
    if (elem(e)->dev)
        return U64(pl_nm_dev_ndesc(elem(e)->dev));
#endif
    return U64(__atomic_load_n(&elem(e)->ndesc, __ATOMIC_RELAXED));
}

int pl_netmap_h_ndesc_write(pl_element *e, const char *v, pl_error *err)
{
#ifdef PL_HAVE_NETMAP
    if (elem(e)->dev)
        return pl_nm_dev_resize(elem(e)->dev, e, v, &elem(e)->ndesc, err);
#endif
    (void)v;
    return pl_netmap_require(e, err);
}

int pl_netmap_h_ndesc_lost(pl_element *e, char *buf, size_t len)
{
#ifdef PL_HAVE_NETMAP
    if (elem(e)->dev)
        return U64(pl_nm_dev_ndesc_lost(elem(e)->dev));
#endif
    return U64(0);
}

int pl_netmap_h_ndesc_change(pl_element *e, char *buf, size_t len)
{
#ifdef PL_HAVE_NETMAP
    if (elem(e)->dev)
        return pl_nm_dev_ndesc_change(elem(e)->dev, buf, len);
#endif
    return pl_fmt(buf, len, "no NDESC change yet");
}

int pl_netmap_h_buffers(pl_element *e, char *buf, size_t len)
{
#ifdef PL_HAVE_NETMAP
    if (elem(e)->dev) {
        uint32_t total, nfree;
        pl_nm_set_counts(pl_nm_dev_set(elem(e)->dev), &total, &nfree);
        return pl_fmt(buf, len, "%u %u %u", total, nfree, total - nfree);
    }
#endif
    return pl_fmt(buf, len, "0 0 0");
}

int pl_netmap_h_mem(pl_element *e, char *buf, size_t len)
{
#ifdef PL_HAVE_NETMAP
    if (elem(e)->dev) {
        void *d = elem(e)->dev;
        return pl_fmt(buf, len, "%u %u %s", pl_nm_dev_mem(d), pl_nm_set_mem(pl_nm_dev_set(d)),
                      pl_nm_dev_zero_copy(d) ? "zero-copy" : "copy");
    }
#endif
    return pl_fmt(buf, len, "0 0 none");
}

#ifdef PL_HAVE_NETMAP
/* Under pl_nm_lock, workers parked: close the engine's rings on d's port,
 * reopen them with `slots` in d's direction. */
static int reopen(nm_dev *d, uint32_t slots, pl_nm_resize *r, pl_error *err)
{
    const void *eng = d->e->eng;
    uint32_t other = 0;
    for (nm_dev *o = pl_nm_devs; o; o = o->next) {
        if (o->e->eng != eng || strcmp(o->port, d->port))
            continue;
        if (o->tx != d->tx)
            other = o->slots;
        for (uint32_t i = 0; i < o->n; i++) {
            uint32_t left = o->q[i].ring ? pl_nm_ring_pending(&o->q[i]) : 0;
            if (o->tx)
                r->tx_ring += left;
            else
                r->rx_ring += left;
        }
        pl_nm_close_queues(o, 0);
    }
    int rc = 0;
    pl_nm_ctx_setup();
    for (nm_dev *o = pl_nm_devs; o; o = o->next) {
        if (o->e->eng != eng || strcmp(o->port, d->port))
            continue;
        o->ndesc = o->tx == d->tx ? slots : other;
        o->other_ndesc = o->tx == d->tx ? other : slots;
        pl_error e2 = {0};
        int orc = pl_nm_open_queues(o, o->e, rc ? &e2 : err);
        if (orc && !rc)
            rc = orc;
    }
    return rc;
}
#endif

#ifdef PL_HAVE_NETMAP
int pl_nm_dev_resize(void *h, const pl_element *e, const char *value, uint64_t *field,
                     pl_error *err)
{
    nm_dev *d = h;
    char *end;
    unsigned long long v = strtoull(value, &end, 10);
    while (*end == ' ' || *end == '\n')
        end++;
    if (!*value || *end || v < 2 || v > 16384)
        return pl_seterr(err, PL_ERR_HANDLER, e, "NDESC",
                         "NDESC: expected a ring size from 2 to 16384, got '%s'", value);
    pl_nm_resize r = {.from = d->slots, .asked = (uint32_t)v};
    double t0 = pl_now_us();
    pl_engine_park(e->eng);
    pthread_mutex_lock(&pl_nm_lock);
    int rc = reopen(d, (uint32_t)v, &r, err);
    if (!rc && d->slots != v) {
        uint32_t got = d->slots;
        pl_nm_resize ignored = {0};
        rc = pl_seterr(err, PL_ERR_STATE, e, "NDESC", "netmap kept %s at %u slots (asked %llu): "
                       "the port is open elsewhere, so it was not created again", d->port, got,
                       v);
        pl_error e2 = {0};
        reopen(d, got, &ignored, &e2);
    }
    pthread_mutex_unlock(&pl_nm_lock);
    pl_engine_unpark(e->eng);
    r.parked_us = pl_now_us() - t0;
    r.to = d->slots;
    d->last = r;
    d->lost += r.rx_ring + r.tx_ring;
    if (!rc)
        __atomic_store_n(field, r.to, __ATOMIC_RELAXED);
    return rc;
}

uint64_t pl_nm_dev_ndesc_lost(void *h) { return ((nm_dev *)h)->lost; }

int pl_nm_dev_ndesc_change(void *h, char *buf, size_t len)
{
    const nm_dev *d = h;
    const pl_nm_resize *r = &d->last;
    if (!r->asked)
        return pl_fmt(buf, len, "no NDESC change yet");
    return pl_fmt(buf, len, "NDESC %u -> %u, workers parked %.0f us, lost %llu (RX ring %llu, "
                  "TX ring %llu)", r->from, r->to, r->parked_us,
                  (unsigned long long)(r->rx_ring + r->tx_ring), (unsigned long long)r->rx_ring,
                  (unsigned long long)r->tx_ring);
}
#endif
