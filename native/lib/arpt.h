/*
 * ARPQuerier's table: IP -> Ethernet entries in a chained hash, each with
 * the packets waiting for its resolution (linked through `next`). Not
 * thread-safe: ARPQuerier holds its lock around every use.
 */
#ifndef PL_ARPT_H
#define PL_ARPT_H

#include "../core/element.h"

#define ARPT_BUCKETS 1024

typedef struct arpt_entry {
    uint32_t ip;                  /* network order */
    int32_t next;                 /* hash chain (or free list), -1 = end */
    uint8_t eth[6];
    uint8_t known, is_static, used;
    uint64_t updated_ns, queried_ns, polled_ns, waiting_since_ns;
    pl_packet *q_head, *q_tail;
    uint32_t q_len;
} arpt_entry;

typedef struct arpt {
    int32_t bucket[ARPT_BUCKETS];
    arpt_entry *v;
    int32_t n, cap, free_list, live;
    uint64_t saved;               /* packets waiting, all entries */
} arpt;

void arpt_init(arpt *t);
void arpt_destroy(arpt *t);
arpt_entry *arpt_find(arpt *t, uint32_t ip);
/* Find or create (NULL: no memory or ENTRY_CAPACITY reached). */
arpt_entry *arpt_get(arpt *t, uint32_t ip, uint32_t entry_capacity);
/* Remove an entry; its waiting packets are appended to *orphans. */
void arpt_remove(arpt *t, uint32_t ip, pl_packet **orphans);
void arpt_clear(arpt *t, pl_packet **orphans);
/* Make ip -> eth a permanent entry: 1 when packets wait for it (the caller
 * sends them), 0, or -1 without memory. */
int arpt_set_static(arpt *t, uint32_t ip, const uint8_t eth[6]);
/* Permanent entries from text "IP ETH IP ETH ..." (STATIC), into a table
 * where nothing waits yet. 0; -1 for bad text, the offending pair written to
 * bad; -2 without memory. */
int arpt_load_static(arpt *t, const char *text, char *bad, size_t badlen);
/* Record ip -> eth from a reply at now_ns (a permanent entry keeps its
 * address). NULL when ENTRY_CAPACITY is reached or without memory. */
arpt_entry *arpt_learn(arpt *t, uint32_t ip, const uint8_t eth[6], uint64_t now_ns,
                       uint32_t entry_capacity);
/* Queue and dequeue waiting packets. */
void arpt_enqueue(arpt *t, arpt_entry *en, pl_packet *p);
pl_packet *arpt_take_queue(arpt *t, arpt_entry *en);
/* Let p wait for en's resolution. When the packets already waiting have
 * waited more than max_wait_ns, they first leave the queue into *expired
 * (the caller drops them). -1, p not queued, when `capacity` packets wait
 * in the table or `entry_capacity` for this entry (0: unlimited); 0 queued. */
int arpt_wait(arpt *t, arpt_entry *en, pl_packet *p, uint64_t now_ns, uint64_t max_wait_ns,
              uint64_t capacity, uint64_t entry_capacity, pl_packet **expired);
/* The table as text, one entry a line: "IP ETH static|fresh|dynamic" or
 * "IP - waiting N". 0, or -1 when buf is too small. */
int arpt_format(const arpt *t, uint64_t now_ns, char *buf, size_t len);

#endif
