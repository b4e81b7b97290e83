/*
 * Handlers FromDPDKDevice and ToDPDKDevice share: the device's own counters
 * and the ring size (NDESC) with what changing it cost. Both elements' state
 * starts with a pl_dpdk_elem, which is all these read.
 */
#include "dpdk.h"

#define U64(x) pl_fmt(buf, len, "%llu", (unsigned long long)(x))

static pl_dpdk_elem *elem(pl_element *e) { return PL_STATE(e, pl_dpdk_elem); }

int pl_dpdk_elem_start(pl_element *e, pl_error *err)
{
#ifdef PL_HAVE_DPDK
    return elem(e)->dev ? pl_dpdk_dev_start(elem(e)->dev, e, err) : 0;
#else
    return pl_dpdk_require(e, err);
#endif
}

int pl_dpdk_io_stats(pl_element *e, pl_io_stats *st)
{
    memset(st, 0, sizeof *st);
#ifdef PL_HAVE_DPDK
    if (elem(e)->dev)
        return pl_io_dpdk.stats(elem(e)->dev, st);
#else
    (void)e;
#endif
    return 0;
}

int pl_dpdk_h_hw_count(pl_element *e, char *buf, size_t len)
{
    pl_io_stats st;
    if (pl_dpdk_io_stats(e, &st))
        return PL_ERR_HANDLER;
    return U64(elem(e)->tx ? st.opackets : st.ipackets);
}

int pl_dpdk_h_hw_dropped(pl_element *e, char *buf, size_t len)
{
    pl_io_stats st;
    if (pl_dpdk_io_stats(e, &st))
        return PL_ERR_HANDLER;
    return U64(elem(e)->tx ? st.oerrors : st.imissed + st.ierrors);
}

int pl_dpdk_h_ndesc(pl_element *e, char *buf, size_t len)
{
#ifdef PL_HAVE_DPDK
    if (elem(e)->dev)
        return U64(pl_dpdk_dev_ndesc(elem(e)->dev));
#endif
    return U64(__atomic_load_n(&elem(e)->ndesc, __ATOMIC_RELAXED));
}

int pl_dpdk_h_ndesc_write(pl_element *e, const char *v, pl_error *err)
{
#ifdef PL_HAVE_DPDK
    if (elem(e)->dev)
        return pl_dpdk_dev_resize(elem(e)->dev, e, v, &elem(e)->ndesc, err);
#endif
    (void)v;
    return pl_dpdk_require(e, err);
}

int pl_dpdk_h_ndesc_lost(pl_element *e, char *buf, size_t len)
{
#ifdef PL_HAVE_DPDK
    return U64(pl_dpdk_dev_ndesc_lost(elem(e)->dev));
#else
    (void)e;
    return U64(0);
#endif
}

int pl_dpdk_h_ndesc_change(pl_element *e, char *buf, size_t len)
{
#ifdef PL_HAVE_DPDK
    return pl_dpdk_dev_ndesc_change(elem(e)->dev, buf, len);
#else
    (void)e;
    return pl_fmt(buf, len, "no NDESC change yet");
#endif
}
