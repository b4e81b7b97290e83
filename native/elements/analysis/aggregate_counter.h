/* AggregateCounter's state, shared by its files: the table of counts
 * (aggregate_counter_table.c), the files it writes (aggregate_counter_file.c)
 * and the class (aggregate_counter.c). */
#ifndef PL_AGGREGATE_COUNTER_H
#define PL_AGGREGATE_COUNTER_H

#include "../../core/element.h"

#include <stdatomic.h>
#include <stdint.h>

/*
 * Counts live in an open-addressing hash table keyed by the aggregate
 * annotation (host order, as Click's AGGREGATE_ANNO), grown by doubling when
 * half full: memory is taken only when a new aggregate arrives and the table
 * is full, never per packet otherwise. A spin flag guards the table between
 * the data path (held once per batch) and the handlers. The files list
 * aggregates in increasing order, as the pre-order walk of Click's trie does.
 */
typedef struct {
    uint32_t agg, count;
} ac_slot;

/* AGGREGATE_* / COUNT_*: at N, freeze, stop, or call a handler. */
enum { ACT_NONE, ACT_FREEZE, ACT_STOP, ACT_CALL };
typedef struct {
    int action;
    uint64_t at;
    char *call;                   /* ACT_CALL: "HANDLER [VALUE]" */
} ac_trigger;

typedef struct {
    uint8_t bytes, ip_bytes, multipacket, extra_length;
    char *agg_freeze, *agg_stop, *agg_call, *count_freeze, *count_stop, *count_call;
    char *banner;
    atomic_flag lock;
    ac_slot *slot;
    uint8_t *used;
    uint32_t cap, nused, nnz;     /* nnz: aggregates with a nonzero count */
    int has_zero;                 /* aggregate 0 lives outside the table */
    uint32_t zero_count;
    uint64_t total;
    ac_trigger tr[2];             /* [0] aggregates, [1] count */
    _Atomic int frozen, active;
} ac_state;

static inline void ac_lock(ac_state *s)
{
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire))
        ;
}
static inline void ac_unlock(ac_state *s) { atomic_flag_clear_explicit(&s->lock, memory_order_release); }

int ac_table_alloc(ac_state *s, uint32_t cap);
void ac_clear(ac_state *s);
/* The count of aggregate a, created unless frozen (NULL: frozen and new, or no memory). */
uint32_t *ac_find(ac_state *s, uint32_t a, int frozen, int *created);

enum { W_TEXT, W_BINARY, W_IP, W_PDF };
/* The write_* handlers: the nonzero counts, in increasing aggregate order, to a file. */
int ac_write_file(pl_element *e, const char *value, int format, pl_error *err);

#endif
