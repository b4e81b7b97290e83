/*
 * netmap ports behind the pl_io_ops interface: opening a port name with
 * libnetmap, one descriptor per ring, in the engine's memory region.
 *
 * A name without a ring suffix opens every ring of the direction (RX only or
 * TX only: FromNetmapDevice and ToNetmapDevice of one port never share a
 * ring), each on its own descriptor (NR_REG_ONE_NIC); a name with one
 * (netmap:eth0-2, netmap:eth0^, ...) is opened as given, as one queue. Two
 * elements cannot use the same ring of a port in the same direction.
 * Control thread only, under one lock; the bursts run on the workers.
 */
#include "netmap_port.h"

#ifdef PL_HAVE_NETMAP
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

pthread_mutex_t pl_nm_lock = PTHREAD_MUTEX_INITIALIZER;
nm_dev *pl_nm_devs;
static char nm_error[300];

static void capture_error(struct nmctx *ctx, const char *msg)
{
    (void)ctx;
    snprintf(nm_error, sizeof nm_error, "%s", msg);
}

const char *pl_nm_last_error(void) { return nm_error; }

void pl_nm_ctx_setup(void)
{
    struct nmctx *ctx = nmctx_get();
    ctx->error = capture_error;
    nm_error[0] = 0;
}

/* Another element of any engine in this process on the same ring. */
static const nm_dev *ring_user(const nm_dev *d, uint32_t ring)
{
    for (const nm_dev *o = pl_nm_devs; o; o = o->next)
        if (o != d && o->tx == d->tx && !strcmp(o->port, d->port) && ring >= o->first &&
            ring < o->first + o->n)
            return o;
    return NULL;
}

/* Register and map d; a region we asked for that netmap refuses is dropped. */
static int open_desc(struct nmport_d *d, uint16_t want_mem)
{
    nm_error[0] = 0;
    if (nmport_open_desc(d) == 0)
        return 0;
    if (want_mem && d->reg.nr_mem_id == want_mem && errno == EINVAL) {
        d->reg.nr_mem_id = 0;
        nm_error[0] = 0;
        return nmport_open_desc(d);
    }
    return -1;
}

int pl_nm_open_queues(nm_dev *d, const pl_element *e, pl_error *err)
{
    const char *kw = "DEVNAME";
    nm_error[0] = 0;
    struct nmport_d *d0 = nmport_prepare(d->spec);
    if (!d0)
        return pl_seterr(err, PL_ERR_CONFIG, e, kw, "DEVNAME: '%s' is not a netmap port name: %s "
                         "(netmap:IFNAME, valeX:PORT, a pipe valeX:P{N / valeX:P}N; docs/io.md)",
                         d->spec, *nm_error ? nm_error : strerror(errno));
    snprintf(d->port, sizeof d->port, "%s", d0->hdr.nr_name);
    d->explicit_rings = d0->reg.nr_mode != NR_REG_ALL_NIC;
    d0->reg.nr_flags |= d->tx ? NR_TX_RINGS_ONLY : NR_RX_RINGS_ONLY;
    uint16_t want_mem = 0;
    pl_nm_set *set = pl_nm_set_of(e->eng);
    if (set && !d0->reg.nr_mem_id)
        d0->reg.nr_mem_id = want_mem = pl_nm_set_mem(set);
    if (d->ndesc) {
        if (d->tx)
            d0->reg.nr_tx_slots = d->ndesc;
        else
            d0->reg.nr_rx_slots = d->ndesc;
    }
    if (d->other_ndesc) {
        if (d->tx)
            d0->reg.nr_rx_slots = d->other_ndesc;
        else
            d0->reg.nr_tx_slots = d->other_ndesc;
    }
    if (open_desc(d0, want_mem)) {
        int eno = errno;
        nmport_close(d0);
        if (eno == ENXIO || eno == ENOENT)
            return pl_seterr(err, PL_ERR_CONFIG, e, kw, "DEVNAME: no netmap port '%s': %s",
                             d->spec, *nm_error ? nm_error : strerror(eno));
        return pl_seterr(err, PL_ERR_SYSTEM, e, kw, "cannot open netmap port '%s': %s%s", d->spec,
                         *nm_error ? nm_error : strerror(eno),
                         eno == ENOMEM ? " (netmap's memory region has no room for its rings: "
                         "ask fewer rings or a smaller NDESC, or raise the module's ring_num "
                         "and ring_size parameters)" : "");
    }
    d->mem_id = d0->reg.nr_mem_id;
    d->rings = d->explicit_rings ? 1u : d->tx ? d0->reg.nr_tx_rings : d0->reg.nr_rx_rings;
    if (!d->explicit_rings && (d->first >= d->rings || (d->n && d->first + d->n > d->rings))) {
        nmport_close(d0);
        uint32_t last = d->first + (d->n ? d->n : 1) - 1;
        return pl_seterr(err, PL_ERR_CONFIG, e, "QUEUE", "netmap port %s has %u %s ring%s; "
                         "rings %u..%u do not exist", d->port, d->rings, d->tx ? "TX" : "RX",
                         d->rings == 1 ? "" : "s", d->first, last);
    }
    if (!d->n)
        d->n = d->explicit_rings ? 1 : d->rings - d->first;
    if (d->n > PL_NM_MAXQ)
        d->n = PL_NM_MAXQ;
    if (d->explicit_rings && d->first)
        return nmport_close(d0), pl_seterr(err, PL_ERR_CONFIG, e, "QUEUE",
                                           "QUEUE: DEVNAME '%s' already selects its rings",
                                           d->spec);
    for (uint32_t r = d->first; r < d->first + d->n; r++) {
        const nm_dev *o = ring_user(d, r);
        if (o) {
            nmport_close(d0);
            return pl_seterr(err, PL_ERR_CONFIG, e, "QUEUE", "%s ring %u of netmap port %s is "
                             "already used by %s; give another QUEUE", d->tx ? "TX" : "RX", r,
                             d->port, o->e->name);
        }
    }
    if (!d->set) {
        d->set = pl_nm_set_get(e->eng, d0, d->extra, pl_element_nthreads(e) > 1, e, err);
        if (!d->set) {
            nmport_close(d0);
            return err->status;
        }
    }
    if (!d->q)                      /* kept over a reopen: workers hold pointers into it */
        d->q = calloc(d->n, sizeof *d->q);
    if (!d->q) {
        nmport_close(d0);
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    }
    int keep_d0 = d->explicit_rings || (d->rings == 1 && d->first == 0 && d->n == 1);
    for (uint32_t i = 0; i < d->n; i++) {
        struct nmport_d *c = d0;
        if (!keep_d0) {
            c = nmport_clone(d0);
            if (c) {
                c->reg.nr_mode = NR_REG_ONE_NIC;
                c->reg.nr_ringid = (uint16_t)(d->first + i);
                if (open_desc(c, 0)) {
                    nmport_close(c);
                    c = NULL;
                }
            }
            if (!c) {
                int eno = errno;
                pl_nm_close_queues(d, 0);
                nmport_close(d0);
                return pl_seterr(err, PL_ERR_SYSTEM, e, kw, "cannot open ring %u of netmap "
                                 "port %s: %s", d->first + i, d->port,
                                 *nm_error ? nm_error : strerror(eno));
            }
        }
        pl_nm_queue *q = &d->q[i];
        q->d = c;
        q->fd = c->fd;
        q->tx = (uint8_t)d->tx;
        q->copy = (uint8_t)d->copy;
        q->ringid = (uint16_t)(d->first + i);
        q->ring = d->tx ? NETMAP_TXRING(c->nifp, c->first_tx_ring)
                        : NETMAP_RXRING(c->nifp, c->first_rx_ring);
        q->set = d->set;
        q->zc = c->reg.nr_mem_id == pl_nm_set_mem(d->set);
    }
    if (!keep_d0)
        nmport_close(d0);           /* after the rings' own: the port stays */
    d->slots = d->q[0].ring->num_slots;
    return 0;
}

void pl_nm_close_queues(nm_dev *d, int release)
{
    for (uint32_t i = 0; d->q && i < d->n; i++) {
        if (d->q[i].d)
            nmport_close(d->q[i].d);
        d->q[i].d = NULL;
        d->q[i].ring = NULL;          /* the bursts do nothing until it is open again */
    }
    if (release) {
        free(d->q);
        d->q = NULL;
    }
}

static int nm_open(void **out, const pl_io_conf *c, const pl_element *e, pl_error *err)
{
    *out = NULL;
    if (pl_netmap_require(e, err))
        return err->status;
    if (!c->name || !*c->name)
        return pl_seterr(err, PL_ERR_CONFIG, e, "DEVNAME", "missing DEVNAME");
    nm_dev *d = calloc(1, sizeof *d);
    if (!d)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    snprintf(d->spec, sizeof d->spec, "%s", c->name);
    d->e = e;
    d->tx = c->tx;
    d->first = c->first_queue;
    d->n = c->nqueues;
    d->ndesc = c->ndesc;
    d->copy = c->copy;
    d->extra = c->buffers ? c->buffers : PL_NM_DEFAULT_EXTRA;
    pthread_mutex_lock(&pl_nm_lock);
    pl_nm_ctx_setup();
    int rc = pl_nm_open_queues(d, e, err);
    if (rc) {
        if (d->set)
            pl_nm_set_put(d->set);
        pthread_mutex_unlock(&pl_nm_lock);
        free(d);
        return rc;
    }
    d->next = pl_nm_devs;
    pl_nm_devs = d;
    pthread_mutex_unlock(&pl_nm_lock);
    *out = d;
    return 0;
}

static void nm_close(void *h)
{
    nm_dev *d = h;
    if (!d)
        return;
    pthread_mutex_lock(&pl_nm_lock);
    for (nm_dev **p = &pl_nm_devs; *p; p = &(*p)->next)
        if (*p == d) {
            *p = d->next;
            break;
        }
    pl_nm_close_queues(d, 1);
    pl_nm_set_put(d->set);
    pthread_mutex_unlock(&pl_nm_lock);
    free(d);
}

static void *nm_queue(void *h, uint32_t q, int tx)
{
    nm_dev *d = h;
    (void)tx;
    return q < d->n ? &d->q[q] : NULL;
}

static int nm_stats(void *h, pl_io_stats *out)
{
    nm_dev *d = h;
    memset(out, 0, sizeof *out);
    for (uint32_t i = 0; i < d->n; i++) {
        uint64_t n = __atomic_load_n(&d->q[i].pkts, __ATOMIC_RELAXED);
        if (d->tx)
            out->opackets += n;
        else
            out->ipackets += n;
    }
    return 0;
}

const char *pl_nm_dev_name(void *h) { return ((nm_dev *)h)->port; }
uint32_t pl_nm_dev_nqueues(void *h) { return ((nm_dev *)h)->n; }
uint32_t pl_nm_dev_first(void *h) { return ((nm_dev *)h)->first; }
uint32_t pl_nm_dev_rings(void *h) { return ((nm_dev *)h)->rings; }
pl_nm_set *pl_nm_dev_set(void *h) { return ((nm_dev *)h)->set; }
uint16_t pl_nm_dev_mem(void *h) { return ((nm_dev *)h)->mem_id; }

uint32_t pl_nm_dev_ndesc(void *h)
{
    nm_dev *d = h;
    return __atomic_load_n(&d->slots, __ATOMIC_RELAXED);
}

int pl_nm_dev_zero_copy(void *h)
{
    nm_dev *d = h;
    return d->q && d->q[0].zc;
}

const pl_io_ops pl_io_netmap = {
    .name = "netmap",
    .open = nm_open,
    .queue = nm_queue,
    .rx_burst = pl_nm_rx,
    .tx_burst = pl_nm_tx,
    .stats = nm_stats,
    .close = nm_close,
};

int pl_netmap_require(const pl_element *e, pl_error *err)
{
    struct stat st;
    if (stat("/dev/netmap", &st))
        return pl_seterr(err, PL_ERR_CONFIG, e, "DEVNAME", "/dev/netmap does not exist: the "
                         "netmap kernel module is not loaded (insmod netmap.ko; on this kind of "
                         "machine, make test-netmap runs netmap in a QEMU guest; docs/io.md)");
    return 0;
}

int pl_netmap_available(void) { return 1; }

#else /* !PL_HAVE_NETMAP */

int pl_netmap_require(const pl_element *e, pl_error *err)
{
    return pl_seterr(err, PL_ERR_CONFIG, e, "", PL_NO_NETMAP_MSG);
}

int pl_netmap_available(void) { return 0; }

const pl_io_ops pl_io_netmap = {.name = "netmap"};

#endif
