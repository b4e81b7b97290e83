/* AggregateIPFlows's state, shared by its files: the host-pair tables and
 * flows (aggregate_ip_flows_table.c), the reaping of old flows and waiting
 * fragments (aggregate_ip_flows_reap.c) and the class (aggregate_ip_flows.c). */
#ifndef PL_AGGREGATE_IP_FLOWS_H
#define PL_AGGREGATE_IP_FLOWS_H

#include "../../core/element.h"
#include "../../core/timer.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

/*
 * Click's design (elements/analysis/aggregateipflows.cc): per protocol (TCP,
 * UDP), a table of host pairs (the two addresses, lower first, compared as
 * Click compares them: the raw 32-bit words); each pair holds its flows (the
 * port pair, most recent first) and the fragments waiting for their first
 * fragment's ports, in arrival order. Time is packet time, in seconds; flows
 * are reaped every REAP seconds of it. Memory is taken for a new host pair or
 * flow, never for a packet of a known one. A spin flag guards the tables
 * between the data path (once per batch) and the clear handler.
 */
typedef struct aif_flow {
    uint32_t ports, agg;
    int64_t last_sec;
    uint8_t over, reverse;
    struct aif_flow *next;
} aif_flow;

typedef struct {
    uint32_t a, b;
    int used;
    aif_flow *flows;
    pl_packet *fhead, *ftail;
} aif_pair;

typedef struct {
    aif_pair *v;
    uint32_t cap, n;
} aif_map;

typedef struct {
    uint64_t tcp_timeout, tcp_done_timeout, udp_timeout, fragment_timeout, reap;
    uint8_t icmp, fragments;
    atomic_flag lock;
    aif_map map[2];               /* TCP, UDP */
    uint32_t next;
    int64_t active_sec, gc_sec;
    uint64_t smallest_timeout;
    pl_timer clear_timer;         /* clear written outside a worker: done on one */
} aif_state;

enum { C_NOT_FLOW, C_STALE_FRAGMENT, C_NOMEM };

static inline void aif_lock(aif_state *s)
{
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire))
        ;
}
static inline void aif_unlock(aif_state *s) { atomic_flag_clear_explicit(&s->lock, memory_order_release); }

static inline int64_t aif_sec(const pl_packet *p) { return (int64_t)(p->timestamp / 1000000000u); }

static inline uint32_t aif_raw32(const uint8_t *b)
{
    uint32_t v;
    memcpy(&v, b, 4);
    return v;
}

/* The pair (a, b) of the table, added when new (NULL: no memory). */
aif_pair *aif_map_find(aif_map *m, uint32_t a, uint32_t b);
/* The IP header that names the flow: the packet's, or (paint 2) an ICMP error's quote. */
const uint8_t *aif_flow_header(const pl_packet *p, const aif_state *s, int *paint);
/* Flow over: RST, or FIN both ways (only packets, not ICMP errors, count). */
void aif_emit_hook(const pl_packet *p, const uint8_t *ip, aif_flow *f);
/* The pair's flow of these ports, renumbered when it died, added when new (NULL: no memory). */
aif_flow *aif_find_flow(aif_state *s, aif_pair *hp, int udp, uint32_t ports, int flipped,
                        const pl_packet *p, const uint8_t *ip);
/* The first waiting fragment of the pair leaves (to yes, or dropped when stale). */
void aif_emit_fragment_head(pl_element *e, aif_pair *hp, pl_packet **yes, pl_ctx *ctx);
/* Old flows go and overdue fragments leave, every REAP seconds of packet time. */
void aif_reap(pl_element *e, pl_packet **yes, pl_ctx *ctx);

#endif
