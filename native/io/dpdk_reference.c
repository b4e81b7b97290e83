/*
 * The reference pktlab's DPDK benchmark measures the engine against in the
 * same process: testpmd's io forwarding loop (receive a burst, send it, free
 * what the device refused) between two started ports, on the calling thread
 * and on pktlab's own mbuf pool, with no engine, batch or element between.
 * What pktlab forwards less than this is what the engine costs; comparing
 * with testpmd itself also compares the two programs' mbuf pools.
 */
#include "dpdk.h"

#ifdef PL_HAVE_DPDK
static int bad_port(uint16_t port, pl_error *err)
{
    if (!rte_eth_dev_is_valid_port(port))
        return pl_seterr(err, PL_ERR_CONFIG, NULL, "port", "no DPDK port %u", port);
    int state = pl_dpdk_port_state(port);
    if (state == 0)
        return pl_seterr(err, PL_ERR_STATE, NULL, "port",
                         "DPDK port %u is not started: build an engine that uses it first", port);
    if (state == 2)     /* its workers poll queue 0: one queue takes one thread */
        return pl_seterr(err, PL_ERR_STATE, NULL, "port",
                         "DPDK port %u belongs to a running engine: stop it first", port);
    return 0;
}

int pl_dpdk_io_loop(uint16_t in, uint16_t out, uint32_t burst, double seconds,
                    uint64_t *forwarded, pl_error *err)
{
    *forwarded = 0;
    if (pl_dpdk_require(NULL, err))
        return err->status;
    if (burst == 0 || burst > PL_DPDK_MAX_BURST)
        return pl_seterr(err, PL_ERR_CONFIG, NULL, "burst", "burst must be 1..%d",
                         PL_DPDK_MAX_BURST);
    if (bad_port(in, err) || bad_port(out, err))
        return err->status;
    pl_dpdk_thread_attach();            /* an lcore id: the mempool cache */
    struct rte_mbuf *m[PL_DPDK_MAX_BURST];
    uint64_t sent = 0;
    const uint64_t end = pl_now_ns() + (uint64_t)(seconds * 1e9);
    do {
        for (int i = 0; i < 256; i++) {
            uint16_t n = rte_eth_rx_burst(in, 0, m, (uint16_t)burst);
            uint16_t k = n ? rte_eth_tx_burst(out, 0, m, n) : 0;
            sent += k;
            if (k < n)
                rte_pktmbuf_free_bulk(m + k, n - k);
        }
    } while (pl_now_ns() < end);
    *forwarded = sent;
    return PL_OK;
}
#else
int pl_dpdk_io_loop(uint16_t in, uint16_t out, uint32_t burst, double seconds,
                    uint64_t *forwarded, pl_error *err)
{
    (void)in, (void)out, (void)burst, (void)seconds;
    *forwarded = 0;
    return pl_dpdk_require(NULL, err);
}
#endif
