/* DPDKInfo: FastClick's DPDK global parameters; the pool's are applied by the engine. */
#include "../../core/element.h"

typedef struct {
    uint64_t nb_mbuf, mbuf_size, cache;
    char *socket_mbuf;
    uint64_t unsupported[12];
} dinfo_state;

/* FastClick's keywords pktlab's DPDK glue has no counterpart for. */
#define U(NAME, I)                                                                          \
    {NAME, PL_T_UINT, offsetof(dinfo_state, unsupported) + (I) * sizeof(uint64_t), "0", 0, -1, 0, \
     "FastClick's; not supported by pktlab (an error when given)"}
enum { P_FIRST_UNSUPPORTED = 4, P_MEMPOOL_PREFIX = 10 };

static const pl_param params[] = {
    {"NB_MBUF", PL_T_UINT, offsetof(dinfo_state, nb_mbuf), "16384", 1024, 4294967295.0,
     PL_P_POSITIONAL, "mbufs in the shared pool (pktlab's default 16384, sized to -m 1024)"},
    {"MBUF_SIZE", PL_T_UINT, offsetof(dinfo_state, mbuf_size), "0", 0, 65535, 0,
     "an mbuf's data room with its 128 bytes of headroom (0: DPDK's 2176)"},
    {"MBUF_CACHE_SIZE", PL_T_UINT, offsetof(dinfo_state, cache), "256", 0, 512, 0,
     "mbufs each lcore caches"},
    {"NB_SOCKET_MBUF", PL_T_STRING, offsetof(dinfo_state, socket_mbuf), "", 0, -1, 0,
     "FastClick's per-NUMA-socket pool sizes; not supported by pktlab (one pool)"},
    U("RX_PTHRESH", 0), U("RX_HTHRESH", 1), U("RX_WTHRESH", 2), U("TX_PTHRESH", 3),
    U("TX_HTHRESH", 4), U("TX_WTHRESH", 5),
    {"MEMPOOL_PREFIX", PL_T_STRING, offsetof(dinfo_state, socket_mbuf), "", 0, -1, 0,
     "FastClick's; not supported by pktlab (an error when given)"},
    U("DEF_RING_NDESC", 6), U("DEF_BURST_SIZE", 7), U("RING_SIZE", 8),
    U("RING_POOL_CACHE_SIZE", 9), U("RING_PRIV_DATA_SIZE", 10),
    {0}};

static int dinfo_configure(pl_element *e, pl_error *err)
{
    for (int i = 3; params[i].name; i++)
        if (e->given & (1ull << i))
            return pl_seterr(err, PL_ERR_CONFIG, e, params[i].name,
                             "%s is not supported by pktlab: its DPDK glue has one shared "
                             "mbuf pool (NB_MBUF, MBUF_SIZE, MBUF_CACHE_SIZE) and per-element "
                             "NDESC and BURST",
                             params[i].name);
    dinfo_state *s = PL_STATE(e, dinfo_state);
    if (s->mbuf_size && s->mbuf_size < 128 + 64)
        return pl_seterr(err, PL_ERR_CONFIG, e, "MBUF_SIZE",
                         "MBUF_SIZE %llu: at least 192 (128 bytes of headroom and a 64-byte frame)",
                         (unsigned long long)s->mbuf_size);
    return 0;
}

static const pl_class dpdk_info = {
    .name = "DPDKInfo",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "DPDKInfo([NB_MBUF, keywords MBUF_SIZE, MBUF_CACHE_SIZE])\n"
           "Sets DPDK global parameters (FastClick's).\n\n"
           "The shared mbuf pool that FromDPDKDevice and ToDPDKDevice use: NB_MBUF\n"
           "mbufs, each with MBUF_SIZE bytes of data room (128 of them headroom; 0:\n"
           "DPDK's 2,176), MBUF_CACHE_SIZE cached per lcore. The engine applies them\n"
           "when it initialises DPDK's EAL for the configuration (pktlab.engine.dpdk:\n"
           "Engine does that for a graph with DPDK elements); where the EAL was\n"
           "initialised already with another pool, building the configuration fails\n"
           "and says so (the pool is made once per process). FastClick's other\n"
           "keywords (NB_SOCKET_MBUF, RX_/TX_ PTHRESH, HTHRESH, WTHRESH,\n"
           "MEMPOOL_PREFIX, DEF_RING_NDESC, DEF_BURST_SIZE, RING_SIZE,\n"
           "RING_POOL_CACHE_SIZE, RING_PRIV_DATA_SIZE) are errors that name the\n"
           "keyword: pktlab has one pool, and NDESC and BURST on each element.\n"
           "FastClick's pool_count and pools handlers are not provided (Python:\n"
           "pktlab.engine.dpdk.mempool()).\n\n"
           "Example: DPDKInfo(65536, MBUF_CACHE_SIZE 512);\n"
           "         FromDPDKDevice(net_null0) -> ToDPDKDevice(net_null1);",
    .state_size = sizeof(dinfo_state),
    .params = params,
    .configure = dinfo_configure,
};
PL_REGISTER_CLASS(dpdk_info);
