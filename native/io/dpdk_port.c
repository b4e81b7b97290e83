/*
 * DPDK ethdev ports behind the pl_io_ops interface.
 *
 * A port is owned by one engine at a time; its FromDPDKDevice and
 * ToDPDKDevice elements claim RX and TX queue ranges when they configure,
 * and the first one to initialize configures and starts the port with what
 * all of them asked for (rte_eth_dev_configure needs the queue counts up
 * front). The last element to go stops the port. Control thread only, under
 * one lock; the bursts run on the workers.
 */
#include "dpdk_port.h"

#ifdef PL_HAVE_DPDK
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static port ports[RTE_MAX_ETHPORTS];
pthread_mutex_t pl_dpdk_lock = PTHREAD_MUTEX_INITIALIZER;

static void list_ports(char *buf, size_t len)
{
    size_t k = 0;
    uint16_t id;
    buf[0] = 0;
    RTE_ETH_FOREACH_DEV(id) {
        char name[RTE_ETH_NAME_MAX_LEN];
        if (rte_eth_dev_get_name_by_port(id, name))
            continue;
        int n = snprintf(buf + k, len - k, "%s%u (%s)", k ? ", " : "", id, name);
        if (n < 0 || (size_t)n >= len - k)
            break;
        k += (size_t)n;
    }
    if (!k)
        snprintf(buf, len, "none: give devices to the EAL, e.g. --vdev net_null0");
}

static int resolve(const char *spec, uint16_t *id, const pl_element *e, pl_error *err)
{
    char *end;
    unsigned long v = strtoul(spec, &end, 10);
    int found = *spec && !*end ? v < RTE_MAX_ETHPORTS && rte_eth_dev_is_valid_port((uint16_t)v)
                               : rte_eth_dev_get_port_by_name(spec, id) == 0;
    if (*spec && !*end)
        *id = (uint16_t)v;
    if (found)
        return 0;
    char names[400];
    list_ports(names, sizeof names);
    return pl_seterr(err, PL_ERR_CONFIG, e, "PORT", "PORT: no DPDK port '%s'; ports: %s", spec,
                     names);
}

/* The owner's elements lose the port (their queue handles answer nothing). */
static void revoke(port *p)
{
    for (dev *u = p->user_list; u; u = u->next_user)
        for (uint32_t i = 0; i < u->n; i++)
            __atomic_store_n(&u->q[i].revoked, 1, __ATOMIC_RELAXED);
    p->user_list = NULL;
    p->users = 0;
    p->owner = NULL;
}

static int claim(port *p, const dev *d, uint32_t ndesc, int promisc, uint32_t mtu, pl_error *err)
{
    if (mtu && (mtu < p->info.min_mtu || mtu > p->info.max_mtu))
        return pl_seterr(err, PL_ERR_CONFIG, d->e, "MTU", "MTU %u: port %s takes %u to %u", mtu,
                         p->name, p->info.min_mtu, p->info.max_mtu);
    const pl_element **own = d->tx ? p->txq : p->rxq;
    uint16_t max = d->tx ? p->info.max_tx_queues : p->info.max_rx_queues;
    const char *dir = d->tx ? "TX" : "RX";
    if (d->first + d->n > max || d->first + d->n > PL_DPDK_MAXQ)
        return pl_seterr(err, PL_ERR_CONFIG, d->e, "QUEUE",
                         "port %s has %u %s queue%s; queues %u..%u do not exist", p->name, max,
                         dir, max == 1 ? "" : "s", d->first, d->first + d->n - 1);
    for (uint32_t q = d->first; q < d->first + d->n; q++)
        if (own[q])
            return pl_seterr(err, PL_ERR_CONFIG, d->e, "QUEUE",
                             "%s queue %u of port %s is already used by %s; give another QUEUE",
                             dir, q, p->name, own[q]->name);
    for (uint32_t q = d->first; q < d->first + d->n; q++)
        own[q] = d->e;
    if (ndesc) {
        uint16_t *nd = d->tx ? &p->ntxd : &p->nrxd;
        if (ndesc > *nd)
            *nd = (uint16_t)ndesc;
    }
    if (!d->tx)
        p->promisc |= promisc;
    if (mtu > p->mtu)
        p->mtu = mtu;
    return 0;
}

/* Make `p` this engine's: a free port is reset for it, a stopped engine's
 * claim is revoked, a running engine's is an error. */
static int own_port(port *p, uint16_t id, const pl_element *e, pl_error *err)
{
    if (p->owner && p->owner != e->eng) {
        if (pl_engine_running((pl_engine *)p->owner))
            return pl_seterr(err, PL_ERR_STATE, e, "PORT",
                             "DPDK port %s is used by another engine that is running; stop it "
                             "first", p->name);
        revoke(p);     /* a stopped engine's claim: this engine takes the port over */
    }
    if (!p->owner) {
        memset(p->rxq, 0, sizeof p->rxq);
        memset(p->txq, 0, sizeof p->txq);
        p->id = id;
        rte_eth_dev_get_name_by_port(id, p->name);
        if (rte_eth_dev_info_get(id, &p->info))
            return pl_seterr(err, PL_ERR_SYSTEM, e, "PORT", "cannot query DPDK port %s", p->name);
        p->owner = e->eng;
        p->nrxd = p->ntxd = 0;
        p->mtu = 0;
        p->promisc = 0;
        p->configured = 0;
    }
    return 0;
}

/* Claim d's queues and join the port's users (configured again at start). */
static int join(port *p, dev *d, pl_error *err)
{
    int rc = claim(p, d, d->ndesc, d->promisc, d->mtu, err);
    if (rc)
        return rc;
    p->users++;
    p->configured = 0;
    d->next_user = p->user_list;
    p->user_list = d;
    return 0;
}

static int dpdk_open(void **out, const pl_io_conf *c, const pl_element *e, pl_error *err)
{
    *out = NULL;
    if (pl_dpdk_require(e, err))
        return err->status;
    uint16_t id;
    if (resolve(c->name, &id, e, err))
        return err->status;
    dev *d = calloc(1, sizeof *d);
    if (!d)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    pthread_mutex_lock(&pl_dpdk_lock);
    port *p = &ports[id];
    int rc = own_port(p, id, e, err);
    if (rc)
        goto out;
    uint16_t max = c->tx ? p->info.max_tx_queues : p->info.max_rx_queues;
    *d = (dev){.p = p, .e = e, .tx = c->tx, .first = c->first_queue, .n = c->nqueues,
               .ndesc = c->ndesc, .promisc = c->promisc, .mtu = c->mtu};
    if (!d->n)
        d->n = 1;
    if (c->upto && max > c->first_queue && d->n > max - c->first_queue)
        d->n = max - c->first_queue;
    d->q = calloc(d->n, sizeof *d->q);
    if (!d->q) {
        rc = pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < d->n; i++)
        d->q[i] = (pl_dpdk_queue){.port = id, .queue = (uint16_t)(d->first + i), .copy = (uint8_t)c->copy};
    rc = join(p, d, err);
out:
    pthread_mutex_unlock(&pl_dpdk_lock);
    if (rc) {
        free(d->q);
        free(d);
        return rc;
    }
    *out = d;
    return 0;
}

static void dpdk_close(void *h)
{
    dev *d = h;
    if (!d)
        return;
    pthread_mutex_lock(&pl_dpdk_lock);
    port *p = d->p;
    if (d->q && d->q[0].revoked) {     /* taken over: the port is not ours to stop */
        pthread_mutex_unlock(&pl_dpdk_lock);
        free(d->q);
        free(d);
        return;
    }
    for (dev **u = &p->user_list; *u; u = &(*u)->next_user)
        if (*u == d) {
            *u = d->next_user;
            break;
        }
    const pl_element **own = d->tx ? p->txq : p->rxq;
    for (uint32_t q = d->first; q < d->first + d->n && q < PL_DPDK_MAXQ; q++)
        if (own[q] == d->e)
            own[q] = NULL;
    if (--p->users == 0) {
        if (p->running)
            rte_eth_dev_stop(p->id);
        p->running = 0;
        p->configured = 0;
        p->owner = NULL;
    }
    pthread_mutex_unlock(&pl_dpdk_lock);
    free(d->q);
    free(d);
}

static uint16_t nqueues(const port *p, int tx)
{
    const pl_element *const *own = tx ? p->txq : p->rxq;
    uint16_t n = 0;
    for (uint16_t q = 0; q < PL_DPDK_MAXQ; q++)
        if (own[q])
            n = q + 1;
    return n ? n : 1;   /* a port needs a queue each way even if nobody uses it */
}

pl_dpdk_gap pl_dpdk_port_gap(const port *p)
{
    pl_dpdk_gap g = {0};
    struct rte_eth_stats st;
    if (rte_eth_stats_get(p->id, &st))
        return g;
    uint64_t rx = 0, tx = 0;
    for (const dev *u = p->user_list; u; u = u->next_user)
        for (uint32_t i = 0; i < u->n; i++) {
            rx += u->q[i].rx_mbufs;
            tx += u->q[i].tx_mbufs;
        }
    g = (pl_dpdk_gap){.rx = (int64_t)(st.ipackets - rx), .tx = (int64_t)(tx - st.opackets),
                      .ipackets = st.ipackets, .opackets = st.opackets, .imissed = st.imissed,
                      .ok = 1};
    return g;
}

int pl_dpdk_port_configure(port *p, const pl_element *e, pl_error *err)
{
    uint16_t nrx = nqueues(p, 0), ntx = nqueues(p, 1);
    uint16_t nrxd = p->nrxd ? p->nrxd : 256, ntxd = p->ntxd ? p->ntxd : 1024;
    struct rte_eth_conf conf;
    memset(&conf, 0, sizeof conf);
    uint64_t rss = p->info.flow_type_rss_offloads &
                   (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP);
    if (nrx > 1 && rss) {
        conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
        conf.rx_adv_conf.rss_conf.rss_hf = rss;
    }
    if (p->info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
        conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
    /* Jumbo frames: the MTU, and chains of mbufs where a frame does not fit
     * one (scattered RX, multi-segment TX) when the device can. */
    uint32_t room = rte_pktmbuf_data_room_size(pl_dpdk_pool) - RTE_PKTMBUF_HEADROOM;
    if (p->mtu) {
        /* A device whose largest frame is below it (net_memif in DPDK 22.11
         * says 1518, yet carries chains of any length) is configured with its
         * own limit; pktlab applies the MTU on TX itself (too_long). */
        if (p->mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN <= p->info.max_rx_pktlen)
            conf.rxmode.mtu = p->mtu;
        if (p->mtu + RTE_ETHER_HDR_LEN + 4 > room) {
            if (p->info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)
                conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
            if (p->info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
                conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
        }
    }
    int socket = rte_eth_dev_socket_id(p->id);
    if (socket < 0)
        socket = (int)rte_socket_id();
    const char *what = "";
    int rc;
    pl_dpdk_log_capture();
    if (p->running) {
        rte_eth_dev_stop(p->id);
        p->running = 0;
    }
    if ((rc = rte_eth_dev_configure(p->id, nrx, ntx, &conf))) {
        what = "configure";
        goto fail;
    }
    if ((rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->id, &nrxd, &ntxd))) {
        what = "adjust descriptors of";
        goto fail;
    }
    for (uint16_t q = 0; q < nrx; q++)
        if ((rc = rte_eth_rx_queue_setup(p->id, q, nrxd, (unsigned)socket, NULL, pl_dpdk_pool))) {
            what = "set up an RX queue of";
            goto fail;
        }
    for (uint16_t q = 0; q < ntx; q++)
        if ((rc = rte_eth_tx_queue_setup(p->id, q, ntxd, (unsigned)socket, NULL))) {
            what = "set up a TX queue of";
            goto fail;
        }
    if (p->promisc)
        rte_eth_promiscuous_enable(p->id);
    if ((rc = rte_eth_dev_start(p->id))) {
        what = "start";
        goto fail;
    }
    pl_dpdk_log_release();
    p->nrxd = nrxd;
    p->ntxd = ntxd;
    p->running = 1;
    uint16_t mtu = RTE_ETHER_MTU;
    rte_eth_dev_get_mtu(p->id, &mtu);
    if (p->mtu)
        mtu = (uint16_t)p->mtu;
    for (dev *u = p->user_list; u; u = u->next_user)
        for (uint32_t i = 0; i < u->n; i++) {
            u->q[i].max_frame = (uint32_t)mtu + RTE_ETHER_HDR_LEN;
            u->q[i].room = (uint16_t)room;
        }
    p->configured = 1;
    p->base = pl_dpdk_port_gap(p);
    return 0;
fail:;
    const char *last = pl_dpdk_log_release();
    return pl_seterr(err, PL_ERR_SYSTEM, e, "", "cannot %s DPDK port %s (%u RX, %u TX queues, "
                     "NDESC %u/%u%s%.0u): %s%s%s", what, p->name, nrx, ntx, nrxd, ntxd,
                     p->mtu ? ", MTU " : "", p->mtu, strerror(rc < 0 ? -rc : rc),
                     *last ? ": " : "", last);
}

int pl_dpdk_dev_start(void *h, const pl_element *e, pl_error *err)
{
    dev *d = h;
    pthread_mutex_lock(&pl_dpdk_lock);
    int rc = 0;
    if (d->q[0].revoked) {
        /* Another engine used the port while this one was stopped: take it
         * back, unless that engine is running. */
        rc = own_port(d->p, d->p->id, e, err);
        if (!rc && !(rc = join(d->p, d, err)))
            for (uint32_t i = 0; i < d->n; i++)
                __atomic_store_n(&d->q[i].revoked, 0, __ATOMIC_RELAXED);
    }
    if (!rc && !d->p->configured)
        rc = pl_dpdk_port_configure(d->p, e, err);
    pthread_mutex_unlock(&pl_dpdk_lock);
    return rc;
}

static int dpdk_set_ring(void *h, uint32_t ndesc, pl_error *err)
{
    dev *d = h;
    pthread_mutex_lock(&pl_dpdk_lock);
    if (d->tx)
        d->p->ntxd = (uint16_t)ndesc;
    else
        d->p->nrxd = (uint16_t)ndesc;
    int rc = pl_dpdk_port_configure(d->p, d->e, err);
    pthread_mutex_unlock(&pl_dpdk_lock);
    return rc;
}

static void *dpdk_queue(void *h, uint32_t q, int tx)
{
    dev *d = h;
    (void)tx;
    return q < d->n ? &d->q[q] : NULL;
}

static int dpdk_stats(void *h, pl_io_stats *out)
{
    dev *d = h;
    struct rte_eth_stats st;
    memset(out, 0, sizeof *out);
    if (rte_eth_stats_get(d->p->id, &st))
        return PL_ERR_SYSTEM;
    *out = (pl_io_stats){st.ipackets, st.opackets, st.imissed, st.ierrors, st.oerrors,
                         st.rx_nombuf};
    return 0;
}

int pl_dpdk_port_state(uint16_t id)
{
    pthread_mutex_lock(&pl_dpdk_lock);
    int r = 0;
    if (id < RTE_MAX_ETHPORTS && ports[id].running)
        r = ports[id].owner && pl_engine_running((pl_engine *)ports[id].owner) ? 2 : 1;
    pthread_mutex_unlock(&pl_dpdk_lock);
    return r;
}

const char *pl_dpdk_dev_name(void *h) { return ((dev *)h)->p->name; }
uint16_t pl_dpdk_dev_port(void *h) { return ((dev *)h)->p->id; }
uint32_t pl_dpdk_dev_nqueues(void *h) { return ((dev *)h)->n; }

uint32_t pl_dpdk_dev_ndesc(void *h)
{
    dev *d = h;
    return d->tx ? d->p->ntxd : d->p->nrxd;
}

/* ---- the bursts ---- */

const pl_io_ops pl_io_dpdk = {
    .name = "dpdk",
    .open = dpdk_open,
    .queue = dpdk_queue,
    .rx_burst = pl_dpdk_rx,
    .tx_burst = pl_dpdk_tx,
    .stats = dpdk_stats,
    .set_ring = dpdk_set_ring,
    .close = dpdk_close,
};

#endif
