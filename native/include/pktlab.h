/*
 * pktlab.h — the public C API of the pktlab engine.
 *
 * This header is the only thing the cffi layer sees (it is parsed by cffi's
 * cdef, so it stays plain C: no macros with bodies, no inline functions, no
 * includes beyond <stdint.h>/<stddef.h>). Everything else in native/ is
 * private to the engine.
 *
 * Conventions: functions return a pl_status (0 = PL_OK); on failure they fill
 * the caller's pl_error, whose message names the element, the keyword and,
 * when the caller gave one, the configuration location.
 */
#ifndef PKTLAB_H
#define PKTLAB_H

#include <stddef.h>
#include <stdint.h>

typedef enum pl_status {
    PL_OK = 0,
    PL_ERR_CONFIG = 1,    /* bad configuration argument */
    PL_ERR_CLASS = 2,     /* unknown element class */
    PL_ERR_GRAPH = 3,     /* bad connection, port, push/pull mismatch */
    PL_ERR_STATE = 4,     /* call not valid in the engine's current state */
    PL_ERR_NOMEM = 5,
    PL_ERR_HANDLER = 6,   /* no such handler, or not readable/writable */
    PL_ERR_SYSTEM = 7     /* OS error (threads, affinity) */
} pl_status;

typedef struct pl_error {
    int status;
    char element[96];     /* element name, or "" */
    char keyword[48];     /* configuration keyword or handler, or "" */
    int line, col;        /* configuration location, 0 when unknown */
    char message[512];
} pl_error;

/* ---- element classes (introspection, drives docs and widget forms) ---- */

typedef enum pl_ptype {
    PL_T_INT = 0, PL_T_UINT = 1, PL_T_BOOL = 2, PL_T_REAL = 3, PL_T_STRING = 4,
    PL_T_TIME = 5, PL_T_BANDWIDTH = 6, PL_T_IPV4 = 7, PL_T_ETHER = 8,
    PL_T_DATA = 9, PL_T_ARGS = 10
} pl_ptype;

typedef struct pl_param_info {
    const char *name;      /* Click keyword, upper case */
    int type;              /* pl_ptype */
    const char *def;       /* default, as configuration text, or NULL if required */
    double min, max;       /* range for numbers (min > max: unbounded) */
    const char *doc;
    int positional;        /* may be given without its keyword, in this order */
    int live;              /* writable while running (a handler of the same name, lower case) */
} pl_param_info;

typedef struct pl_handler_info {
    const char *name;
    int readable, writable;
    const char *doc;
} pl_handler_info;

int pl_class_count(void);
const char *pl_class_name(int cls);
const char *pl_class_ports(int cls);        /* Click port spec, e.g. "1/1-2" */
const char *pl_class_processing(int cls);   /* e.g. "h/h", "a/a", "l/h" */
const char *pl_class_doc(int cls);          /* manual: synopsis, description, ... */
int pl_class_nparams(int cls);
int pl_class_param(int cls, int i, pl_param_info *out);
int pl_class_nhandlers(int cls);
int pl_class_handler(int cls, int i, pl_handler_info *out);
/* Read handlers that take a parameter ("lookup ADDR"): read as "NAME PARAM". */
int pl_class_nparam_handlers(int cls);
int pl_class_param_handler(int cls, int i, pl_handler_info *out);
int pl_class_ncounters(int cls);
const char *pl_class_counter(int cls, int i);   /* counter / drop-reason name */
int pl_class_ndrops(int cls);   /* counters [0, ndrops) count packets this class freed */
int pl_class_find(const char *name);        /* -1 if unknown */

/* ---- engine ---- */

typedef struct pl_engine pl_engine;

typedef struct pl_engine_opts {
    int threads;           /* worker threads, >= 1 */
    int pin;               /* pin worker i to CPU cpus[i % ncpus], or (first_cpu + i) */
    int first_cpu;
    int ncpus;             /* 0: first_cpu + i */
    int cpus[64];          /* where the workers run (pktlab.placement: near the devices) */
    int per_packet;        /* run every batch as batches of one (Click-style baseline) */
    int cycles;            /* count cycles per element (rdtsc) */
    uint32_t pool_buffers; /* per-thread pool limit, 0 = default */
    int simtime;           /* simulated time (Click's --simtime): timers fire in virtual
                              time, an idle engine jumps to the next one (one thread) */
    double simtime_start;  /* simulated clock at start, seconds (0: Click's 1e9) */
    int stdio;             /* element output straight to stderr (log) and stdout (Script's
                              print) instead of the engine's rings (a command-line driver) */
    int timestamps;        /* stamp packets when received or made (PL_ANNO_FIRST_TIMESTAMP,
                              one clock read per batch), for LatencyHistogram; off: no cost */
    int breakdown;         /* time the stages of the batch path (rdtsc at stage boundaries,
                              per batch): pl_engine_breakdown; off: one branch per mark */
    int vectors;           /* batch vectors: a device burst's packets carried as an array
                              beside the linked batch, so that TX walks the array (links
                              checked, no dependent loads) instead of the list */
    int dry;               /* configure only (`pktlab check`): elements check their arguments
                              but open no device, socket or output file; such an engine
                              cannot be initialized or run */
} pl_engine_opts;

pl_engine *pl_engine_new(const pl_engine_opts *opts, pl_error *err);
void pl_engine_free(pl_engine *e);

/* Build the flat graph: elements in order (their index is the call order). */
int pl_engine_add(pl_engine *e, const char *name, const char *cls,
                  const char *config, int line, int col, pl_error *err);
int pl_engine_connect(pl_engine *e, int from, int from_port, int to, int to_port,
                      pl_error *err);
/* Define the named addresses of AddressInfo element `element` (its
 * configuration string) before any element is added, so that every
 * element's address arguments take the names wherever AddressInfo is. */
int pl_engine_define_addresses(pl_engine *e, const char *element, const char *config,
                               pl_error *err);
/* The same for the port names of PortInfo element `element`. */
int pl_engine_define_ports(pl_engine *e, const char *element, const char *config, pl_error *err);
/* Check ports, configure every element, assign tasks, lay out statistics. */
int pl_engine_initialize(pl_engine *e, pl_error *err);

int pl_engine_start(pl_engine *e, pl_error *err);
/* Ask workers to stop and join them; packets in flight finish first. */
int pl_engine_stop(pl_engine *e);
/* 1 once every task finished and a STOP was requested (InfiniteSource STOP true). */
int pl_engine_done(pl_engine *e);
/* Run on the calling thread until done or until max_batches task runs (single thread only). */
int pl_engine_run_inline(pl_engine *e, uint64_t max_runs, pl_error *err);
/* The same in steps, so that the caller can react to a signal between two
 * (Python's run_inline: Ctrl-C stops it cleanly): begin; step until it
 * returns 1 (every task finished, or an element asked to stop), each step
 * running at most max_runs task rounds (0: no limit) and returning after
 * about max_us microseconds (0: no limit), *ran the rounds it ran; then end
 * (the elements' stop hooks), also after an interruption. */
int pl_engine_inline_begin(pl_engine *e, pl_error *err);
int pl_engine_inline_step(pl_engine *e, uint64_t max_runs, uint64_t max_us, uint64_t *ran);
void pl_engine_inline_end(pl_engine *e);
int pl_engine_running(pl_engine *e);
/* Tasks that have not finished (a source past its LIMIT has): 0 when nothing
 * is left to run, as Click's driver sees it when every task is idle. */
int pl_engine_live_tasks(pl_engine *e);

int pl_engine_nelements(pl_engine *e);
int pl_engine_find(pl_engine *e, const char *name);
const char *pl_element_name(pl_engine *e, int elem);
int pl_element_class(pl_engine *e, int elem);
int pl_element_ninputs(pl_engine *e, int elem);
int pl_element_noutputs(pl_engine *e, int elem);
int pl_element_thread(pl_engine *e, int elem);   /* task's worker, -1 if not a task */

/* ---- live change ----
 * Replace the running graph (running or not) by a new flat graph: elements in
 * order, connections by index into `els`. Each new element is matched with
 * the running element named `was` (NULL: its own name; "": none, it is new),
 * so that an element renamed by the edit (Click's anonymous Counter@2 that
 * became Counter@3) keeps running under its new name. The least is done
 * (kept, retuned in place, replaced with state taken over, added, removed).
 * On error the running graph is left exactly as it was.
 */
typedef struct pl_elem_spec {
    const char *name;
    const char *cls;
    const char *config;
    int line, col;
    const char *was;
} pl_elem_spec;

typedef struct pl_conn_spec {
    int from, from_port, to, to_port;
} pl_conn_spec;

typedef struct pl_apply_stats {
    int kept, retuned, replaced, added, removed, edges_changed;
    double build_us;        /* building the new parts off to the side */
    double publish_us;      /* atomic stores */
    double grace_us;        /* until every worker passed a quiescent point */
    double total_us;
} pl_apply_stats;

int pl_engine_apply(pl_engine *e, const pl_elem_spec *els, int nels, const pl_conn_spec *conns,
                    int nconns, pl_apply_stats *out, pl_error *err);
/* Packets counted by drop counters of elements that live change removed. */
uint64_t pl_engine_retired_drops(pl_engine *e);
uint64_t pl_engine_changes(pl_engine *e);

/* ---- threads (the paper's §5.6 thread vectors) ----
 * After initialize and every live change the engine computes, for each
 * element, which worker threads can push packets into it (bit t of the
 * vector; workers >= 64 share bit 63), and decides from that whether packet
 * reference counts must be atomic (only when packets can cross threads).
 */
uint64_t pl_element_threads(pl_engine *e, int elem);
int pl_engine_atomic_refs(pl_engine *e);
/* Warnings from the analysis (one per line), e.g. a single-thread element
 * reached by several threads. Returns the length written. */
size_t pl_engine_warnings(pl_engine *e, char *buf, size_t len);

/* Handlers: NUL-terminated text in and out, as Click's. Element
 * PL_ROOT_ELEMENT names the global handlers (list, classes, version,
 * handlers; stop is written). */
enum { PL_ROOT_ELEMENT = -1 };
int pl_handler_read(pl_engine *e, int elem, const char *handler,
                    char *buf, size_t len, pl_error *err);
int pl_handler_write(pl_engine *e, int elem, const char *handler,
                     const char *value, pl_error *err);

/* ---- statistics region ----
 * One contiguous, 64-byte aligned region of uint64 counters, laid out as:
 *   ports[threads][nports][4]    packets, bytes, batches, cycles  (per output port)
 *   hist[threads][nports][PL_HIST_BINS]  batch sizes arriving through that edge:
 *                                        bin k = size k (1..256), bin 257 = larger
 *   counters[threads][ncounters]  element counters (drop reasons, ...)
 * Port p of element i has global index pl_port_index(e, i, p); element counter
 * c of element i has index pl_counter_index(e, i) + c.
 */
typedef struct pl_stats_layout {
    uint64_t *base;
    size_t bytes;
    int threads;
    int nports;             /* output ports, all elements */
    int ncounters;
    /* Offsets and per-thread strides in uint64 units from base; strides are
     * padded to 64 bytes so that threads never share a cache line. */
    size_t ports_off, ports_stride;
    size_t hist_off, hist_stride;
    size_t counters_off, counters_stride;
    int hist_bins;
    uint64_t generation;    /* changes when live change moved the region: remap */
} pl_stats_layout;

int pl_stats(pl_engine *e, pl_stats_layout *out);

/* ---- the per-packet cost breakdown (opts.breakdown) ----
 * Stages of the batch path, in TSC cycles summed over the workers, with how
 * many marks ended each (a mark's own cost is pl_breakdown_mark_cycles);
 * *open: the cycles since each worker's last mark (the stages in progress).
 * Returns the number of stages written (at most n), or -1 when the engine
 * was built without opts.breakdown. */
int pl_breakdown_nstages(void);
const char *pl_breakdown_stage(int i);   /* "dispatch", "rx_device", ...; NULL out of range */
int pl_engine_breakdown(pl_engine *e, uint64_t *cycles, uint64_t *marks, int n, uint64_t *open);
double pl_breakdown_mark_cycles(uint32_t n);   /* TSC cycles per mark, over n marks here */
uint64_t pl_tsc(void);                   /* the TSC now (0 where there is none) */
int pl_port_index(pl_engine *e, int elem, int port);    /* -1 if none */
int pl_counter_index(pl_engine *e, int elem);

/* The core's own counters come first in every thread's counter block:
 * counters[t][i] for i < pl_core_ncounters() (element counters follow). */
int pl_core_ncounters(void);
const char *pl_core_counter(int i);     /* "grown", "linearized"; NULL out of range */

/* ---- pools ----
 * Per-thread pools hold buffers in size classes (data area per buffer in
 * class_bytes: 2 KB, the fast path's, then jumbo and 64 KB classes). */
typedef struct pl_pool_info {
    uint64_t allocated;     /* buffers obtained from the system, all classes */
    uint64_t free;          /* buffers back in the pools, all classes */
    uint64_t alloc_failures;
    int nclasses;
    uint32_t class_bytes[4];
    uint64_t class_allocated[4];
    uint64_t class_free[4];
    uint64_t class_failures[4];
    uint32_t max_len;       /* the longest packet the engine holds */
} pl_pool_info;
int pl_engine_pools(pl_engine *e, pl_pool_info *out);
uint32_t pl_packet_max_len(void);   /* the longest packet: 65,535 bytes and the headers around */

/* ---- in-memory I/O (FromMemory, ToMemory) ----
 * pl_element_feed queues n packets (lens[i] bytes each, back to back in data)
 * into a FromMemory; safe while the engine runs. *accepted is how many were
 * queued (all of them, unless an error is returned).
 * pl_element_drain moves up to maxn packets a ToMemory stored into data (back
 * to back, at most cap bytes) and meta; *got is how many. Safe while running.
 * Both fail with PL_ERR_STATE for an element of another class. */
typedef struct pl_pkt_meta {
    uint32_t len;           /* bytes copied into data */
    uint32_t orig_len;      /* the frame's length when stored (len < orig_len: cut at SNAPLEN) */
    uint32_t dst_ip;        /* destination IP annotation, network order */
    uint8_t paint;
    uint8_t thread;         /* worker thread that stored it */
    uint16_t net_off;       /* network header annotation: offset from the data, 0xffff: none */
    uint64_t timestamp;
    uint8_t anno[48];       /* generic annotation bytes (PL_ANNO_SIZE) */
} pl_pkt_meta;

int pl_element_feed(pl_engine *e, int elem, const uint8_t *data, const uint32_t *lens,
                    uint32_t n, uint32_t *accepted, pl_error *err);
int pl_element_drain(pl_engine *e, int elem, uint8_t *data, size_t cap, pl_pkt_meta *meta,
                     uint32_t maxn, uint32_t *got, pl_error *err);

/* ---- DPDK (optional at build time; see pktlab/engine/dpdk.py) ----
 * pl_dpdk_init runs the EAL once per process (argv without a program name)
 * and creates the mbuf pool (mbufs, per-thread cache) that every DPDK port
 * and element shares; pack: pack mbufs across pages where IOVA is the
 * virtual address (0: DPDK's layout, one page each at most); data_room: each
 * mbuf's data room, its headroom included (0: DPDK's default, 2,048 bytes
 * after the headroom; larger holds jumbo frames in one mbuf, smaller ones
 * arrive and leave as chains). pl_dpdk_ports lists "index<TAB>name<TAB>NUMA node" lines
 * (node -1: unknown). The pool's
 * in_use counts mbufs held outside the pool and its caches. */
typedef struct pl_dpdk_pool_info {
    uint64_t size;
    uint64_t in_use;
    uint64_t cache_size;
    uint64_t priv_size;     /* private area per mbuf: the pl_packet metadata */
    uint64_t data_room;
    uint64_t stride;        /* bytes from one mbuf to the next, as laid out in memory */
    uint64_t packed;        /* 1: objects packed across pages, 0: one page each at most */
} pl_dpdk_pool_info;

int pl_dpdk_available(void);       /* 1 when pktlab was built with DPDK */
int pl_dpdk_initialized(void);
int pl_dpdk_init(int argc, const char *const *argv, uint32_t mbufs, uint32_t cache, int pack,
                 uint32_t data_room, pl_error *err);
int pl_dpdk_ports(char *buf, size_t len);
int pl_dpdk_lcores(void);          /* threads with an lcore id: EAL's and the workers that use DPDK */
int pl_dpdk_mempool(pl_dpdk_pool_info *out);
int pl_dpdk_probe(const char *devargs, pl_error *err);   /* add a device (vdev) after init */
/* Benchmark reference: testpmd's io forwarding loop from port `in` queue 0
 * to port `out` queue 0 on the calling thread, on pktlab's mbuf pool, for
 * `seconds`; *forwarded = packets sent. The ports must be started (by an
 * engine that is not running). */
int pl_dpdk_io_loop(uint16_t in, uint16_t out, uint32_t burst, double seconds,
                    uint64_t *forwarded, pl_error *err);
const char *pl_dpdk_runtime_dir(void);

/* ---- netmap (optional at build time; see pktlab/engine/netmap.py) ---- */
int pl_netmap_available(void);     /* 1 when pktlab was built with netmap */

/* Bounded log written by elements such as Print (Click's stderr); read from
 * the control side. pl_engine_out_read: what elements printed to standard
 * output (Script's print), the same way. */
size_t pl_engine_log_read(pl_engine *e, char *buf, size_t len);
/* Lines that did not fit in the log (64 KiB, read too late), since the engine was made. */
uint64_t pl_engine_log_dropped(pl_engine *e);
size_t pl_engine_out_read(pl_engine *e, char *buf, size_t len);

/* Resolved processing of an element's port after initialize: 'h' push,
 * 'l' pull (0 if no such port). */
int pl_element_port_mode(pl_engine *e, int elem, int output, int port);
/* Receive/generation timestamps on (1) or off (0) while running (opts.timestamps). */
void pl_engine_set_timestamps(pl_engine *e, int on);
int pl_engine_timestamps(pl_engine *e);
/* Engine clock, ns (simulated under simtime). */
uint64_t pl_engine_clock(pl_engine *e);
/* fd >= 0: log lines are written straight to fd instead (as Click's
 * click_chatter writes to stderr); -1: back to the ring. */
void pl_engine_set_log_fd(pl_engine *e, int fd);
/* Messages elements gave while configured, "ELEMENT<TAB>LEVEL<TAB>TEXT" lines
 * (LEVEL 0 message, 1 warning). Returns the length they need; copies them
 * and forgets them when len is larger than that. */
size_t pl_engine_messages(pl_engine *e, char *buf, size_t len);

const char *pl_version(void);

#endif
