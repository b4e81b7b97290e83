/*
 * What the rewriter elements share (Click's IPRewriterBase as an element):
 * the state every rewriter class starts with, configure/initialize/cleanup,
 * the push loop, the gc timer and the handlers of add_rewriter_handlers().
 * A class supplies an iprw_ops: how it reads a packet's flow, makes flows,
 * rewrites packets and prints its table.
 *
 * Threads: the table is the element's own; every use holds the element's
 * lock, taken once per batch on the data path and by handlers and the gc
 * timer, so several workers may push into one rewriter (they serialize).
 */
#ifndef PL_IPRW_ELEM_H
#define PL_IPRW_ELEM_H

#include "iprw.h"

struct iprw_state;

typedef struct iprw_ops {
    int nmaps;
    /* The packet's flow: map index (>= 0), or -1 when this input cannot map
     * it (passed on by a `pass` input, else dropped), -2: a reply with no
     * mapping (the same). */
    int (*flow_of)(struct iprw_state *s, pl_packet *p, uint8_t *ip, unsigned hl, iprw_fid *fid);
    /* The entry for fid in map m (NULL: iprw_map_get). */
    int32_t (*lookup)(struct iprw_state *s, int m, const iprw_fid *fid, const uint8_t *ip);
    /* May a flow be made for this packet (NULL: yes)? No: as an unmappable one. */
    int (*can_make)(const uint8_t *ip, unsigned hl);
    /* Make a flow for input `in` (rw from its spec; may adjust rw). */
    int32_t (*make)(struct iprw_state *s, int m, int in, const iprw_fid *fid, iprw_fid *rw,
                    uint8_t ip_p, uint64_t now);
    /* Rewrite p by flow f in direction dir and renew f's expiry. */
    void (*apply)(struct iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip,
                  unsigned hl, uint64_t now);
    iprw_be_expiry_fn be_expiry;
    /* Click's get_entry(ip_p, flowid, get_entry_reply) for ICMPRewriter: the
     * entry of fid, a flow of protocol ip_p with its ports as the embedded
     * header gives them (0 when none); NULL: map 0, the flow's protocol
     * checked (iprw_find_entry). */
    int32_t (*find)(struct iprw_state *s, uint8_t ip_p, const iprw_fid *fid);
    /* One table line for entry dir of f, without the ports part. */
    int (*unparse)(const iprw_flow *f, int dir, char *buf, size_t len);
} iprw_ops;

typedef struct iprw_state {
    pl_args specs;
    char *capacity_s;
    double t0, t1, reap, tcp_data, tcp_done, udp0, udp1, udp_stream;
    uint8_t dst_anno;
    char *reply_anno_s;
    int reply_anno;              /* IPRW_NO_ANNO, IPRW_ANNO_PAINT or a byte of anno[] */
    /* derived, in ms */
    uint64_t to[2], tcp_data_ms, tcp_done_ms, udp_to[2], udp_stream_ms, reap_ms;
    int streaming_given;
    int ninputs;
    iprw_input *inputs;
    iprw_table t;
    atomic_flag lock;
    uint64_t next_reap;
    const iprw_ops *ops;
    pl_element *self;
} iprw_state;

enum { IPRW_C_BAD, IPRW_C_UNMAPPABLE, IPRW_C_DROPPED, IPRW_C_NO_MAPPING, IPRW_C_TABLE_FULL,
       IPRW_C_NOBUFS, IPRW_NDROPS };
extern const char *const iprw_counters[];

static inline void iprw_lock(iprw_state *s)
{
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire))
        ;
}
static inline void iprw_unlock(iprw_state *s)
{
    atomic_flag_clear_explicit(&s->lock, memory_order_release);
}
static inline uint64_t iprw_now(const pl_element *e) { return pl_engine_now_ns(e->eng) / 1000000u; }

/* Common keyword rows (CAPACITY, MAPPING_CAPACITY, REAP_INTERVAL, REAP_TIME,
 * the input specs), for a class's table. */
#define IPRW_BASE_PARAMS                                                                        \
    {"INPUTSPEC", PL_T_ARGS, offsetof(iprw_state, specs), NULL, 0, -1,                          \
     PL_P_POSITIONAL | PL_P_ANYWHERE,                                                           \
     "one input spec per input: pattern SADDR SPORT DADDR DPORT FOUTPUT ROUTPUT, pattern NAME " \
     "FOUTPUT ROUTPUT, keep FOUTPUT ROUTPUT, pass [OUTPUT], drop, discard"},                     \
    {"CAPACITY", PL_T_STRING, offsetof(iprw_state, capacity_s), NULL, 0, -1, 0,                 \
     "most mappings held (default 65536; allocated at initialize)"},                            \
    {"MAPPING_CAPACITY", PL_T_STRING, offsetof(iprw_state, capacity_s), NULL, 0, -1, 0,         \
     "the same as CAPACITY"},                                                                   \
    {"REAP_INTERVAL", PL_T_TIME, offsetof(iprw_state, reap), "900s", 0, 4294967, 0,             \
     "time between removals of expired mappings (0: never)"},                                   \
    {"REAP_TIME", PL_T_TIME, offsetof(iprw_state, reap), NULL, 0, 4294967, 0,                   \
     "deprecated: REAP_INTERVAL"}

/* REPLY_ANNO: PAINT or a byte of the generic annotations (iprw_parse_anno). */
enum { IPRW_NO_ANNO = -1, IPRW_ANNO_PAINT = -2 };
int iprw_parse_anno(const char *text, int *anno);
static inline uint8_t *iprw_anno(pl_packet *p, int anno)
{
    return anno == IPRW_ANNO_PAINT ? &p->paint : &p->anno[anno];
}
#define IPRW_REPLY_ANNO_PARAM                                                                   \
    {"REPLY_ANNO", PL_T_STRING, offsetof(iprw_state, reply_anno_s), NULL, 0, -1, 0,              \
     "annotation (PAINT, or a byte 0-47 of the generic ones) that reply packets get from the "   \
     "flow's first packet"}

#define IPRW_ANNO_PARAMS                                                                        \
    {"DST_ANNO", PL_T_BOOL, offsetof(iprw_state, dst_anno), "true", 0, -1, 0,                   \
     "set the destination IP annotation to the rewritten destination"},                         \
    IPRW_REPLY_ANNO_PARAM

int iprw_configure(pl_element *e, const iprw_ops *ops, pl_error *err);
int iprw_initialize(pl_element *e, pl_error *err);
void iprw_cleanup(pl_element *e);
void iprw_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx);
/* The `table` handler's text for map m. */
int iprw_read_table(pl_element *e, int m, char *buf, size_t len);
/* add_rewriter_handlers(): table_size nmappings mapping_failures patterns size
 * capacity clear, as rows of a class's handler table. */
int iprw_read_nmappings(pl_element *e, char *buf, size_t len);
int iprw_read_failures(pl_element *e, char *buf, size_t len);
int iprw_read_patterns(pl_element *e, char *buf, size_t len);
int iprw_read_size(pl_element *e, char *buf, size_t len);
int iprw_read_capacity(pl_element *e, char *buf, size_t len);
int iprw_write_capacity(pl_element *e, const char *v, pl_error *err);
int iprw_write_clear(pl_element *e, const char *v, pl_error *err);
#define IPRW_HANDLER_ROWS                                                                       \
    {"table_size", "mappings made by the input specs", iprw_read_nmappings, NULL, PL_H_CALM},   \
    {"nmappings", "deprecated: table_size", iprw_read_nmappings, NULL, PL_H_CALM},              \
    {"mapping_failures", "new flows not mapped (no free port, table full)", iprw_read_failures, \
     NULL, PL_H_CALM},                                                                          \
    {"patterns", "the input specs, with their mapping counts", iprw_read_patterns, NULL, 0},    \
    {"size", "flows in the table", iprw_read_size, NULL, PL_H_CALM},                            \
    {"capacity", "most flows held (written: at most the CAPACITY allocated)",                   \
     iprw_read_capacity, iprw_write_capacity, 0},                                              \
    {"clear", "remove every mapping", NULL, iprw_write_clear, PL_H_BUTTON}
int iprw_any_read(pl_element *e, const char *name, const char *param, char *buf, size_t len,
                  pl_error *err);
int iprw_any_write(pl_element *e, const char *name, const char *value, pl_error *err);
int iprw_any_mode(pl_element *e, const char *name);
/* Click's lookup handler: "SADDR SPORT DADDR DPORT" -> the rewritten flow. */
int iprw_lookup(pl_element *e, int m, const char *param, char *buf, size_t len, pl_error *err);

/* ops->find, or map 0 with the protocol checked (the lock held). */
int32_t iprw_find_entry(iprw_state *s, uint8_t ip_p, const iprw_fid *fid);

/* Reap expired flows when REAP_INTERVAL passed (the lock held). */
void iprw_maybe_reap(iprw_state *s, uint64_t now);
/* Find a spec's named pattern and check its outputs. */
int iprw_resolve(pl_element *e, iprw_input *is, int i, pl_error *err);

/* Flow helpers for the classes. */
uint64_t iprw_be_base(void *arg, const iprw_flow *f);
void iprw_rewrite_ip(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip);
/* The TCP/UDP checksum step of an address-only rewrite (first fragments;
 * a UDP checksum of 0 stays 0). */
void iprw_update_l4_csum(const iprw_flow *f, int dir, const pl_packet *p, uint8_t *ip,
                         unsigned hl);
int iprw_unparse_fids(const iprw_flow *f, int dir, char *buf, size_t len);
int32_t iprw_make_default(iprw_state *s, int m, int in, const iprw_fid *fid, iprw_fid *rw,
                          uint8_t ip_p, uint64_t now);
/* Renew by Click's change_expiry_by_timeout. */
void iprw_touch(iprw_state *s, iprw_flow *f, const uint64_t to[2], uint64_t now);

#endif
