/*
 * The IPRewriter family's shared parts (Click's IPRewriterBase, IPRewriterFlow,
 * IPRewriterPattern): flow IDs, a flow table of fixed capacity, input specs
 * and patterns. Used by IPRewriter, TCPRewriter, UDPRewriter, IPAddrRewriter
 * and ICMPPingRewriter (docs/nat.md).
 *
 * The table is allocated whole in initialize: CAPACITY flows (plus one, so
 * that a new flow can be stored before the oldest is given up, as Click
 * does), the hash maps' largest bucket arrays, and the two expiry heaps
 * (best effort and guaranteed). Nothing is allocated per packet. The maps
 * are Click's HashContainer (2^k-1 buckets, new entries at the head of their
 * chain, rehashed when over 2 entries a bucket, with Click's IPFlowID hash),
 * so the `table` handlers list mappings in Click's order.
 *
 * Not thread-safe by itself: the element holds its lock (iprw_lock) around
 * every use, a batch at a time on the data path.
 */
#ifndef PL_IPRW_H
#define PL_IPRW_H

#include "../core/element.h"

#include <stdatomic.h>

/* Click's IPFlowID: addresses and ports in network order, in this order. */
typedef struct iprw_fid {
    uint32_t saddr, daddr;
    uint16_t sport, dport;
} iprw_fid;

static inline iprw_fid iprw_rev(iprw_fid f)
{
    iprw_fid r = {f.daddr, f.saddr, f.dport, f.sport};
    return r;
}
static inline int iprw_fid_eq(const iprw_fid *a, const iprw_fid *b)
{
    return a->saddr == b->saddr && a->daddr == b->daddr && a->sport == b->sport &&
           a->dport == b->dport;
}

/* A pattern: SADDR[-SADDR2|/LEN] SPORT[-SPORT2] DADDR DPORT, 0 fields kept. */
typedef struct iprw_pattern {
    uint32_t saddr, daddr;        /* network order, 0 = '-' */
    uint16_t sport, dport;
    uint32_t variation_top;
    _Atomic uint32_t next_variation;
    uint8_t is_napt, sequential, same_first;
} iprw_pattern;

enum { IPRW_DROP, IPRW_NOCHANGE, IPRW_KEEP, IPRW_PATTERN, IPRW_MAPPER };
enum { IPRW_RW_DROP = -1, IPRW_RW_ADDMAP = -2 };

typedef struct iprw_input {
    int kind;
    int foutput, routput;
    _Atomic uint32_t count, failures;
    iprw_pattern *pat;            /* own, or an IPRewriterPatterns element's */
    iprw_pattern own;
    char *pat_name;               /* a named pattern or mapper, found in initialize */
    struct iprw_mapper *mapper;   /* IPRW_MAPPER: an IPMapper element's (iprw_registry.h) */
} iprw_input;

#define IPRW_NIL (-1)

typedef struct iprw_flow {
    iprw_fid fid[2];              /* entry 0: the flow as it came; 1: the reply's */
    int32_t hnext[2];             /* hash chains, as entry indices (flow * 2 + dir) */
    uint32_t out[2];
    uint64_t expiry;              /* ms on the engine clock */
    int32_t place;                /* in heap[guaranteed] */
    uint16_t ip_delta, udp_delta;
    uint16_t input;
    uint8_t guaranteed, ip_p, tflags, reply_anno, map;
} iprw_flow;

typedef struct iprw_map {
    int32_t *buckets, *spare;     /* spare: the rehash's target, as big */
    uint32_t nb, size, maxnb;
} iprw_map;

typedef struct iprw_table {
    iprw_flow *flows;
    int32_t free_list;            /* through hnext[0] */
    uint32_t nflows;              /* allocated: capacity + 1 */
    uint32_t capacity;            /* live limit (the `capacity` handler) */
    int32_t *heap[2];
    uint32_t hsize[2];
    iprw_map map[2];              /* IPRewriter: TCP (0) and UDP (1) */
    int nmaps;
} iprw_table;

int iprw_table_init(iprw_table *t, uint32_t capacity, int nmaps);
void iprw_table_destroy(iprw_table *t);
static inline uint32_t iprw_table_size(const iprw_table *t) { return t->hsize[0] + t->hsize[1]; }
/* The entry (flow * 2 + direction) for fid in map m, or IPRW_NIL. */
int32_t iprw_map_get(const iprw_table *t, int m, const iprw_fid *fid);
static inline iprw_flow *iprw_entry_flow(iprw_table *t, int32_t en) { return &t->flows[en >> 1]; }

/* Timeouts in ms, as Click's _timeouts: [0] best effort, [1] guarantee. */
typedef uint64_t (*iprw_be_expiry_fn)(void *arg, const iprw_flow *f);

/* Make a flow (Click's IPRewriterFlow constructor and store_flow): the
 * entry of its forward direction, or IPRW_NIL when the table is full of
 * guaranteed flows (the input's failures counted). The oldest best-effort
 * flow is given up when the table is full. */
int32_t iprw_add_flow(iprw_table *t, int m, iprw_input *inputs, int input, const iprw_fid *fid,
                      const iprw_fid *rw, uint8_t ip_p, int guaranteed, uint64_t expiry,
                      uint64_t now, iprw_be_expiry_fn be, void *arg);
void iprw_change_expiry(iprw_table *t, iprw_flow *f, int guaranteed, uint64_t expiry);
void iprw_destroy_flow(iprw_table *t, iprw_input *inputs, iprw_flow *f);
/* Click's shrink_heap: expired flows go, then the oldest over capacity (all if clear). */
void iprw_shrink(iprw_table *t, iprw_input *inputs, uint64_t now, int clear, iprw_be_expiry_fn be,
                 void *arg);
/* Remove every flow made by input `input`. */
void iprw_remove_input(iprw_table *t, iprw_input *inputs, int input);

/* Click's IPRewriterFlow::apply's checksum step. */
void iprw_update_csum(uint8_t *sum, int direction, uint16_t delta);

/* ---- input specs and patterns (iprw_spec.c) ---- */
/* Parse one input spec ("pattern ...", "keep F R", "pass [F]", "drop"); a
 * message in msg on error. Output ranges are checked by iprw_check_input. */
int iprw_parse_input(const char *text, iprw_input *is, char *msg, size_t msglen);
int iprw_check_input(const iprw_input *is, int noutputs, char *msg, size_t msglen);
/* A pattern of 1 to 4 words (IPRewriterPatterns' form). */
int iprw_parse_pattern(char **words, int n, iprw_pattern *p, char *msg, size_t msglen);
/* Click's IPRewriterPattern::rewrite_flowid: IPRW_RW_ADDMAP or IPRW_RW_DROP. */
int iprw_pattern_rewrite(iprw_pattern *p, const iprw_fid *fid, iprw_fid *rw, const iprw_table *t,
                         int m);
int iprw_pattern_unparse(const iprw_pattern *p, char *buf, size_t len);
/* The pattern named `name` of an IPRewriterPatterns element in eng
 * (iprw_registry.c). */
iprw_pattern *iprw_named_pattern(struct pl_engine *eng, const char *name);
int iprw_fid_unparse(const iprw_fid *f, char *buf, size_t len);

#endif
