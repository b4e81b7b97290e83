/*
 * DPDK: the EAL (once per process), the mbuf pool, the zero-copy free hooks
 * and the public pl_dpdk_* calls. Without PL_HAVE_DPDK the public calls
 * exist and say that DPDK is not built in.
 */
#include "dpdk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef PL_HAVE_DPDK
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_mbuf_pool_ops.h>

struct rte_mempool *pl_dpdk_pool;

static int eal_state;             /* 0 never tried, 1 up, -1 failed */
static char eal_error[400];
static pthread_mutex_t eal_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t attach_key;
static FILE *log_capture;
static char log_line[300];

/* ---- the free hooks: mbuf-backed packets back to their mempool ---- */

/* The pool's invariants (see dpdk.h), set when the pool is made. */
static void restore(pl_packet *p)
{
    struct rte_mbuf *m = pl_mbuf_of(p);
    p->buf = m->buf_addr;
    p->buf_end = p->buf + m->buf_len;
    p->origin = p;
    atomic_store_explicit(&p->refs, 1, memory_order_relaxed);
}

static void init_meta(struct rte_mempool *mp, void *opaque, void *obj, unsigned idx)
{
    (void)mp, (void)opaque, (void)idx;
    pl_packet *p = pl_packet_of(obj);
    restore(p);
    p->flags = PL_PKT_EXTERNAL;
}

/* Reached when the last reference went: origin and buf may have moved. */
static void ext_free_one(pl_packet *p)
{
    restore(p);
    rte_pktmbuf_free(pl_mbuf_of(p));
}

/* One pass: unshared mbufs straight into the mempool in bulk (they are plain
 * mbufs of our pool: single segment, refcnt 1, as rte_pktmbuf_free would
 * leave them); anything else through the general path. */
static void ext_free_batch(pl_pool *pool, pl_packet *b)
{
    void *v[64];
    unsigned n = 0;
    /* Another backend's packets (netmap's) in the batch go their own way. */
    const int ranged = atomic_load_explicit(&pl_ext_nranges, memory_order_relaxed) > 0;
    for (pl_packet *p = b, *nx; p; p = nx) {
        nx = p->next;
        if (__builtin_expect((p->flags & (PL_PKT_EXTERNAL | PL_PKT_STATIC | PL_PKT_CHAIN)) ==
                                 PL_PKT_EXTERNAL &&
                                 p->origin == p &&
                                 atomic_load_explicit(&p->refs, memory_order_relaxed) == 1 &&
                                 (!ranged || !pl_ext_ranged(p)),
                             1)) {
            v[n++] = pl_mbuf_of(p);
            if (n == 64) {
                rte_mempool_put_bulk(pl_dpdk_pool, v, n);
                n = 0;
            }
        } else {
            pl_packet_free(pool, p);
        }
    }
    if (n)
        rte_mempool_put_bulk(pl_dpdk_pool, v, n);
}

/* ---- worker threads as EAL threads ---- */

static void detach(void *unused)
{
    (void)unused;
    rte_thread_unregister();
}

void pl_dpdk_thread_attach(void)
{
    if (rte_lcore_id() != LCORE_ID_ANY)
        return;
    /* Without an lcore id the thread still works, only without mempool caches. */
    if (rte_thread_register() == 0)
        pthread_setspecific(attach_key, (void *)1);
}

/* ---- DPDK's log, captured around control calls ---- */

void pl_dpdk_log_capture(void)
{
    if (!log_capture)
        log_capture = tmpfile();
    if (log_capture) {
        rewind(log_capture);
        if (ftruncate(fileno(log_capture), 0) != 0)
            return;
        rte_openlog_stream(log_capture);
    }
}

/* The last non-empty line DPDK logged since the capture began ("" if none). */
const char *pl_dpdk_log_release(void)
{
    log_line[0] = 0;
    if (!log_capture)
        return log_line;
    fflush(log_capture);
    rte_openlog_stream(NULL);
    rewind(log_capture);
    char line[sizeof log_line];
    while (fgets(line, sizeof line, log_capture)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == ' '))
            line[--n] = 0;
        if (n)
            memcpy(log_line, line, n + 1);
    }
    return log_line;
}

int pl_dpdk_require(const pl_element *e, pl_error *err)
{
    if (eal_state == 1)
        return 0;
    return pl_seterr(err, PL_ERR_STATE, e, "",
                     "DPDK is not initialised: call pktlab.dpdk.init(\"EAL ARGS\"), pass "
                     "Engine(..., dpdk=\"EAL ARGS\") or run `pktlab run CONFIG --dpdk \"EAL ARGS\"`%s%s",
                     eal_state < 0 ? "; the earlier initialisation failed: " : "",
                     eal_state < 0 ? eal_error : "");
}

int pl_dpdk_available(void) { return 1; }
int pl_dpdk_lcores(void) { return eal_state == 1 ? (int)rte_lcore_count() : 0; }
int pl_dpdk_initialized(void) { return eal_state == 1; }

/*
 * The mbuf pool. rte_pktmbuf_pool_create keeps every object inside one page
 * of the smallest page size, for devices that need an object's IOVA range
 * contiguous. Without hugepages that page is 4 KiB and holds one 2.6 KiB
 * mbuf, so every mbuf starts at the same offset in its page and the same
 * line of every mbuf falls in the same L1 cache set: a burst of 32 mbufs
 * evicts itself (12 ways), and forwarding between net_null ports runs at
 * half speed. When IOVA is the virtual address (always without hugepages,
 * and with VFIO), virtually contiguous is IOVA contiguous, so objects may
 * cross pages: they are packed, 41 cache lines apart, over all the sets.
 */
/* Distance between two objects as laid out (the second and third: the first
 * may sit at the end of a partly used page). */
static uint64_t pool_stride;
static void note_stride(struct rte_mempool *mp, void *opaque, void *obj, unsigned idx)
{
    (void)mp;
    uintptr_t *prev = opaque;
    if (idx == 2)
        pool_stride = (uint64_t)((uintptr_t)obj - *prev);
    *prev = (uintptr_t)obj;
}

static struct rte_mempool *make_pool(uint32_t mbufs, uint32_t cache, int pack, uint16_t room)
{
    uint16_t priv = (uint16_t)RTE_ALIGN_CEIL(sizeof(pl_packet), RTE_MBUF_PRIV_ALIGN);
    int socket = (int)rte_socket_id();
    if (!pack || rte_eal_iova_mode() != RTE_IOVA_VA)
        return rte_pktmbuf_pool_create("pktlab_mbufs", mbufs, cache, priv, room, socket);
    struct rte_pktmbuf_pool_private pp = {.mbuf_data_room_size = room, .mbuf_priv_size = priv};
    struct rte_mempool *mp = rte_mempool_create_empty(
        "pktlab_mbufs", mbufs, sizeof(struct rte_mbuf) + priv + room, cache, sizeof pp, socket,
        RTE_MEMPOOL_F_NO_IOVA_CONTIG);
    if (!mp)
        return NULL;
    int rc = rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(), NULL);
    if (rc == 0) {
        rte_pktmbuf_pool_init(mp, &pp);
        rc = rte_mempool_populate_default(mp);
    }
    if (rc < 0) {
        rte_mempool_free(mp);
        rte_errno = -rc;
        return NULL;
    }
    rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
    return mp;
}

static int init_locked(int argc, const char *const *argv, uint32_t mbufs, uint32_t cache,
                       int pack, uint16_t room, pl_error *err)
{
    if (eal_state == 1)
        return pl_seterr(err, PL_ERR_STATE, NULL, "",
                         "DPDK's EAL is already initialised in this process; it can only be "
                         "initialised once (restart the process or kernel to change its arguments)");
    if (eal_state < 0)
        return pl_seterr(err, PL_ERR_STATE, NULL, "",
                         "DPDK's EAL initialisation already failed in this process (%s); it can "
                         "only be initialised once: restart the process or kernel to retry",
                         eal_error);
    char **v = calloc((size_t)argc + 2, sizeof *v);
    if (!v)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "", "out of memory");
    v[0] = "pktlab";
    for (int i = 0; i < argc; i++)
        v[i + 1] = (char *)argv[i];
    /* rte_eal_init pins the calling (control) thread to the main lcore; put
     * its affinity back so threads it creates later are not confined. */
    cpu_set_t cpus;
    int have_cpus = pthread_getaffinity_np(pthread_self(), sizeof cpus, &cpus) == 0;
    pl_dpdk_log_capture();
    int rc = rte_eal_init(argc + 1, v);
    int eno = rte_errno;
    const char *last = pl_dpdk_log_release();
    free(v);
    if (have_cpus)
        pthread_setaffinity_np(pthread_self(), sizeof cpus, &cpus);
    if (rc < 0) {
        eal_state = -1;
        snprintf(eal_error, sizeof eal_error, "%s%s%s", strerror(eno), *last ? ": " : "", last);
        return pl_seterr(err, PL_ERR_CONFIG, NULL, "dpdk",
                         "DPDK's EAL rejected its arguments (%s). Note: the EAL can only be "
                         "initialised once per process, so restart the process or kernel "
                         "before trying other arguments",
                         eal_error);
    }
    eal_state = 1;
    pthread_key_create(&attach_key, detach);
    pl_dpdk_log_capture();
    pl_dpdk_pool = make_pool(mbufs, cache, pack, room);
    eno = rte_errno;
    last = pl_dpdk_log_release();
    if (!pl_dpdk_pool)
        return pl_seterr(err, PL_ERR_NOMEM, NULL, "mbufs",
                         "cannot create a pool of %u mbufs (cache %u): %s%s%s; give the EAL "
                         "more memory (-m) or ask for fewer mbufs",
                         mbufs, cache, rte_strerror(eno), *last ? ": " : "", last);
    rte_mempool_obj_iter(pl_dpdk_pool, init_meta, NULL);
    uintptr_t first = 0;
    rte_mempool_obj_iter(pl_dpdk_pool, note_stride, &first);
    pl_ext_free_one = ext_free_one;
    pl_ext_free_batch = ext_free_batch;
    return PL_OK;
}

int pl_dpdk_init(int argc, const char *const *argv, uint32_t mbufs, uint32_t cache, int pack,
                 uint32_t data_room, pl_error *err)
{
    if (!data_room)
        data_room = RTE_MBUF_DEFAULT_BUF_SIZE;
    if (data_room < RTE_PKTMBUF_HEADROOM + 256 || data_room > UINT16_MAX)
        return pl_seterr(err, PL_ERR_CONFIG, NULL, "mbuf_size",
                         "mbuf_size (the data room, its %d bytes of headroom included) must be "
                         "between %d and %d", RTE_PKTMBUF_HEADROOM, RTE_PKTMBUF_HEADROOM + 256,
                         UINT16_MAX);
    if (mbufs < 64)
        return pl_seterr(err, PL_ERR_CONFIG, NULL, "mbufs", "mbufs must be at least 64");
    if (cache > RTE_MEMPOOL_CACHE_MAX_SIZE || (uint64_t)cache * 3 > (uint64_t)mbufs * 2)
        return pl_seterr(err, PL_ERR_CONFIG, NULL, "cache",
                         "cache must be at most %d and at most mbufs / 1.5",
                         RTE_MEMPOOL_CACHE_MAX_SIZE);
    pthread_mutex_lock(&eal_lock);
    int rc = init_locked(argc, argv, mbufs, cache, pack, (uint16_t)data_room, err);
    pthread_mutex_unlock(&eal_lock);
    return rc;
}

int pl_dpdk_ports(char *buf, size_t len)
{
    if (!len)
        return PL_ERR_CONFIG;
    buf[0] = 0;
    if (eal_state != 1)
        return PL_OK;
    size_t k = 0;
    uint16_t id;
    RTE_ETH_FOREACH_DEV(id) {
        char name[RTE_ETH_NAME_MAX_LEN];
        if (rte_eth_dev_get_name_by_port(id, name))
            continue;
        int n = snprintf(buf + k, len - k, "%u\t%s\t%d\n", id, name, rte_eth_dev_socket_id(id));
        if (n < 0 || (size_t)n >= len - k)
            return PL_ERR_NOMEM;
        k += (size_t)n;
    }
    return PL_OK;
}

int pl_dpdk_mempool(pl_dpdk_pool_info *out)
{
    memset(out, 0, sizeof *out);
    if (!pl_dpdk_pool)
        return PL_ERR_STATE;
    out->size = pl_dpdk_pool->size;
    out->in_use = rte_mempool_in_use_count(pl_dpdk_pool);
    out->cache_size = pl_dpdk_pool->cache_size;
    out->priv_size = rte_pktmbuf_priv_size(pl_dpdk_pool);
    out->data_room = rte_pktmbuf_data_room_size(pl_dpdk_pool);
    out->stride = pool_stride;
    /* Objects are a page apart unless packed (make_pool). */
    out->packed = (pl_dpdk_pool->flags & RTE_MEMPOOL_F_NO_IOVA_CONTIG) != 0;
    return PL_OK;
}

int pl_dpdk_probe(const char *devargs, pl_error *err)
{
    if (pl_dpdk_require(NULL, err))
        return err->status;
    pthread_mutex_lock(&eal_lock);
    pl_dpdk_log_capture();
    int rc = rte_dev_probe(devargs);
    const char *last = pl_dpdk_log_release();
    pthread_mutex_unlock(&eal_lock);
    if (rc < 0)
        return pl_seterr(err, PL_ERR_CONFIG, NULL, "vdev", "cannot add device '%s': %s%s%s",
                         devargs, strerror(-rc), *last ? ": " : "", last);
    return PL_OK;
}

const char *pl_dpdk_runtime_dir(void) { return eal_state == 1 ? rte_eal_get_runtime_dir() : ""; }

#else /* !PL_HAVE_DPDK */

int pl_dpdk_require(const pl_element *e, pl_error *err)
{
    return pl_seterr(err, PL_ERR_CONFIG, e, "", PL_NO_DPDK_MSG);
}

int pl_dpdk_available(void) { return 0; }
int pl_dpdk_lcores(void) { return 0; }
int pl_dpdk_initialized(void) { return 0; }

int pl_dpdk_init(int argc, const char *const *argv, uint32_t mbufs, uint32_t cache, int pack,
                 uint32_t data_room, pl_error *err)
{
    (void)argc, (void)argv, (void)mbufs, (void)cache, (void)pack, (void)data_room;
    return pl_seterr(err, PL_ERR_CONFIG, NULL, "dpdk", PL_NO_DPDK_MSG);
}

int pl_dpdk_ports(char *buf, size_t len)
{
    if (len)
        buf[0] = 0;
    return PL_OK;
}

int pl_dpdk_mempool(pl_dpdk_pool_info *out)
{
    memset(out, 0, sizeof *out);
    return PL_ERR_STATE;
}

int pl_dpdk_probe(const char *devargs, pl_error *err)
{
    (void)devargs;
    return pl_seterr(err, PL_ERR_CONFIG, NULL, "vdev", PL_NO_DPDK_MSG);
}

const char *pl_dpdk_runtime_dir(void) { return ""; }

#endif
