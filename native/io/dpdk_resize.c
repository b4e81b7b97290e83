/*
 * NDESC written while running: rebuild a port's rings and say what it cost.
 *
 * The workers are parked at a quiescent point (no burst in flight), the port
 * is stopped, reconfigured with the new ring size and started again. What a
 * stop can lose is measured from the device's own statistics against what the
 * engine's queues read and handed over (pl_dpdk_gap):
 *   RX ring  packets the device had received that the engine had not read:
 *            the stop frees them;
 *   TX ring  packets the engine had handed over that the device had not sent
 *            when it stopped;
 *   missed   packets the device dropped (imissed) while the rings were rebuilt.
 * Devices that count in software at burst time (net_null, net_ring) lose
 * nothing in their rings. A device that resets its statistics on stop makes
 * the figure unknowable; the change then says so instead of reporting 0.
 */
#include "dpdk_port.h"

#ifdef PL_HAVE_DPDK
#include <stdlib.h>

static uint64_t grown(int64_t now, int64_t base) { return now > base ? (uint64_t)(now - base) : 0; }

/* Under pl_dpdk_lock, workers parked: the rebuild and its losses. */
static int rebuild(dev *d, uint16_t ndesc, pl_dpdk_resize *r, pl_error *err)
{
    port *p = d->p;
    uint16_t *field = d->tx ? &p->ntxd : &p->nrxd;
    pl_dpdk_gap base = p->base, before = pl_dpdk_port_gap(p);
    pl_dpdk_log_capture();
    rte_eth_dev_stop(p->id);
    pl_dpdk_log_release();
    p->running = 0;
    pl_dpdk_gap stopped = pl_dpdk_port_gap(p);
    uint16_t old = *field;
    *field = ndesc;
    int rc = pl_dpdk_port_configure(p, d->e, err);
    if (rc) {                      /* back to the size that worked, so traffic goes on */
        pl_error ignored = {0};
        *field = old;
        pl_dpdk_port_configure(p, d->e, &ignored);
        return rc;
    }
    pl_dpdk_gap after = p->base;   /* configure measured it right after the start */
    r->unknown = !base.ok || !before.ok || !stopped.ok || !after.ok ||
                 stopped.ipackets < before.ipackets || stopped.opackets < before.opackets ||
                 after.imissed < before.imissed;
    if (!r->unknown) {
        r->rx_ring = grown(before.rx, base.rx);
        r->tx_ring = grown(stopped.tx, base.tx);
        r->missed = after.imissed - before.imissed;
    }
    return 0;
}

int pl_dpdk_dev_resize(void *h, const pl_element *e, const char *value, uint64_t *field,
                       pl_error *err)
{
    dev *d = h;
    char *end;
    unsigned long long v = strtoull(value, &end, 10);
    while (*end == ' ' || *end == '\n')
        end++;
    if (!*value || *end || v > 65535)
        return pl_seterr(err, PL_ERR_HANDLER, e, "NDESC",
                         "NDESC: expected a ring size from 0 (the default) to 65535, got '%s'",
                         value);
    if (!d->p->configured)
        return pl_seterr(err, PL_ERR_STATE, e, "NDESC", "the port is not started yet");
    pl_dpdk_resize r = {.from = pl_dpdk_dev_ndesc(h)};
    double t0 = pl_now_us();
    pl_engine_park(e->eng);
    pthread_mutex_lock(&pl_dpdk_lock);
    int rc = rebuild(d, (uint16_t)v, &r, err);
    pthread_mutex_unlock(&pl_dpdk_lock);
    pl_engine_unpark(e->eng);
    if (rc)
        return rc;
    r.parked_us = pl_now_us() - t0;
    r.to = pl_dpdk_dev_ndesc(h);
    d->last = r;
    d->lost += r.rx_ring + r.tx_ring + r.missed;
    __atomic_store_n(field, r.to, __ATOMIC_RELAXED);
    return 0;
}

uint64_t pl_dpdk_dev_ndesc_lost(void *h) { return h ? ((dev *)h)->lost : 0; }

int pl_dpdk_dev_ndesc_change(void *h, char *buf, size_t len)
{
    const dev *d = h;
    if (!d || !d->last.to)
        return pl_fmt(buf, len, "no NDESC change yet");
    const pl_dpdk_resize *r = &d->last;
    if (r->unknown)
        return pl_fmt(buf, len, "NDESC %u -> %u, workers parked %.0f us, lost: unknown (the "
                      "device reset its statistics when stopped)", r->from, r->to, r->parked_us);
    return pl_fmt(buf, len, "NDESC %u -> %u, workers parked %.0f us, lost %llu (RX ring %llu, "
                  "TX ring %llu, missed %llu)", r->from, r->to, r->parked_us,
                  (unsigned long long)(r->rx_ring + r->tx_ring + r->missed),
                  (unsigned long long)r->rx_ring, (unsigned long long)r->tx_ring,
                  (unsigned long long)r->missed);
}

#endif
