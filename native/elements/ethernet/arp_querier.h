/* ARPQuerier's state, shared by the class (arp_querier.c) and its handlers
 * (arp_querier_handlers.c). */
#ifndef PL_ARP_QUERIER_H
#define PL_ARP_QUERIER_H

#include "../../core/args.h"
#include "../../core/engine.h"
#include "../../lib/arp.h"
#include "../../lib/arpt.h"
#include "../../lib/iputil.h"

typedef struct {
    char *ip_s, *table_s, *static_s;
    uint8_t eth[6];
    uint64_t capacity, entry_capacity, entry_packet_capacity, slim_factor;
    double timeout, poll_timeout;
    uint32_t ip_cfg, bcast_cfg;
    _Atomic uint32_t ip, bcast;
    uint8_t broadcast_poll;
    int64_t poll_j;
    arpt own;
    _Atomic(arpt *) t;            /* &own, or TABLE's */
} aq_state;

enum { C_ZERO_DST, C_QUEUE_FULL, C_EXPIRED, C_CLEARED, C_RESPONSE, C_BAD_RESPONSE, C_NOBUFS,
       NDROPS, C_QUERIES = NDROPS, C_BROADCASTS };
extern const pl_handler pl_arp_querier_handlers[];

#endif
