/*
 * ARP table: IP -> Ethernet entries, each with the packets waiting for its
 * resolution (linked through `next`), kept in age order as Click's ARPTable
 * (elements/ethernet/arptable.cc): the oldest entries go first when
 * ENTRY_CAPACITY is passed, the oldest entries' packets when CAPACITY is.
 * Times are jiffies (ms) of the engine's clock, so simulated time works.
 *
 * Shared by ARPTable (the element) and ARPQuerier (its own table, or an
 * ARPTable's through TABLE): callers hold arpt_lock around every call.
 * Packets the table gives up are appended to a caller's `killed` list; the
 * caller frees them under its own drop counter.
 */
#ifndef PL_ARPT_H
#define PL_ARPT_H

#include "../core/element.h"

#include <stdatomic.h>

#define ARPT_BUCKETS 1024

typedef struct arpt_entry {
    struct arpt_entry *hnext, *aprev, *anext;   /* hash chain, age list */
    uint32_t ip;                                /* network order */
    uint8_t eth[6];
    uint8_t known, is_static, polls;            /* polls since the last reply */
    int64_t live_j, polled_j;
    pl_packet *head, *tail;
    uint32_t npackets;
} arpt_entry;

typedef struct arpt {
    atomic_flag lock;
    arpt_entry *bucket[ARPT_BUCKETS];
    arpt_entry *age_head, *age_tail;
    uint32_t entries, packets;
    uint64_t drops;               /* packets given up (Click's ARPTable drops) */
    uint32_t entry_capacity, packet_capacity, entry_packet_capacity, slim_factor;
    int64_t timeout_j;            /* 0: entries never expire */
    int64_t slimmed_j;            /* last expiry sweep */
    /* Left by handlers (control thread) for the next querier's data path:
     * packets to free (counted there), and packets whose address a handler
     * inserted, to send (in arrival order). */
    pl_packet *orphans, *ready, *ready_tail;
} arpt;

void arpt_init(arpt *t);
/* Every entry removed, its packets appended to *killed. */
void arpt_clear(arpt *t, pl_packet **killed);
static inline void arpt_lock(arpt *t)
{
    while (atomic_flag_test_and_set_explicit(&t->lock, memory_order_acquire))
        ;
}
static inline void arpt_unlock(arpt *t) { atomic_flag_clear_explicit(&t->lock, memory_order_release); }

static inline int64_t arpt_jiffies(uint64_t ns) { return (int64_t)(ns / 1000000u); }
/* Timeout in seconds to jiffies (Click: a timeout too large means none). */
int64_t arpt_timeout_j(double seconds);

/* Look ip up: -1 unknown (or expired), 0 known (*eth set), 1 known and due
 * for a poll (poll_j after its last update, rate-limited; marked polled). */
int arpt_lookup(arpt *t, uint32_t ip, int64_t now, int64_t poll_j, uint8_t eth[6]);
/* Record ip -> eth (an all-ones eth makes the entry unknown: Click's delete).
 * The packets that waited for it are returned in *waiting (in arrival order)
 * when waiting is not NULL. 0, or -1 without memory. */
int arpt_insert(arpt *t, uint32_t ip, const uint8_t eth[6], int is_static, int64_t now,
                pl_packet **waiting, pl_packet **killed);
/* Let p wait for ip: 1 queued and a query is due, 0 queued, -1 not queued
 * (no memory, or ENTRY_PACKET_CAPACITY: the caller drops p), -2 ip is
 * known after all (look it up again). */
int arpt_append(arpt *t, uint32_t ip, pl_packet *p, int64_t now, pl_packet **killed);
/* Click's expiry timer: drop expired entries (at most once per timeout). */
void arpt_expire(arpt *t, int64_t now, pl_packet **killed);
/* The table as Click prints it: "IP VALID ETH AGE" lines, oldest first. */
int arpt_format(arpt *t, int64_t now, char *buf, size_t len);
/* A handler's insert or delete: packets waiting for ip become ready (insert)
 * or orphans (delete). 0, or -1 without memory. */
int arpt_handler_set(arpt *t, uint32_t ip, const uint8_t eth[6], int64_t now);
/* A handler's clear: every waiting packet becomes an orphan. */
void arpt_handler_clear(arpt *t);
/* Move src's entries into dst (live change); src is left empty. */
void arpt_take(arpt *dst, arpt *src);
/* Permanent entries from text "IP ETH IP ETH ..." (pktlab's STATIC). 0; -1
 * for bad text, the offending pair written to bad; -2 without memory. */
int arpt_load_static(arpt *t, const char *text, char *bad, size_t badlen);

/* The table of the ARPTable element `name` in eng's graph, or NULL. */
struct pl_engine;
arpt *arpt_find_element(struct pl_engine *eng, const char *name);

/* Parse "IP ETH" (insert) or "IP" (delete, eth NULL) as Click's handlers. */
int arpt_parse_entry(const char *text, uint32_t *ip, uint8_t eth[6]);

#endif
