/* AggregateCounter's table of counts: open addressing, grown by doubling. */
#include "aggregate_counter.h"

#include <stdlib.h>
#include <string.h>

static uint32_t hash(uint32_t a)
{
    a ^= a >> 16;
    a *= 0x7feb352du;
    a ^= a >> 15;
    a *= 0x846ca68bu;
    return a ^ (a >> 16);
}

int ac_table_alloc(ac_state *s, uint32_t cap)
{
    ac_slot *slot = calloc(cap, sizeof *slot);
    uint8_t *used = calloc(cap, 1);
    if (!slot || !used) {
        free(slot);
        free(used);
        return -1;
    }
    ac_slot *old = s->slot;
    uint8_t *oldu = s->used;
    uint32_t oldcap = s->cap;
    s->slot = slot, s->used = used, s->cap = cap;
    for (uint32_t i = 0; i < oldcap; i++)
        if (oldu[i]) {
            uint32_t j = hash(old[i].agg) & (cap - 1);
            while (used[j])
                j = (j + 1) & (cap - 1);
            used[j] = 1, slot[j] = old[i];
        }
    free(old);
    free(oldu);
    return 0;
}

void ac_clear(ac_state *s)
{
    memset(s->used, 0, s->cap);
    s->nused = 0, s->nnz = 0, s->total = 0, s->has_zero = 0, s->zero_count = 0;
}

uint32_t *ac_find(ac_state *s, uint32_t a, int frozen, int *created)
{
    *created = 0;
    if (!a) {                                   /* 0 also marks free slots' keys: apart */
        if (frozen && !s->zero_count)       /* as Click: a frozen table counts no new one */
            return NULL;
        *created = !s->has_zero;
        s->has_zero = 1;
        return &s->zero_count;
    }
    uint32_t j = hash(a) & (s->cap - 1);
    while (s->used[j]) {
        if (s->slot[j].agg == a)
            return frozen && !s->slot[j].count ? NULL : &s->slot[j].count;
        j = (j + 1) & (s->cap - 1);
    }
    if (frozen)
        return NULL;
    if (s->nused * 2 >= s->cap) {                      /* half full: double */
        if (s->cap >= (1u << 30) || ac_table_alloc(s, s->cap * 2))
            return NULL;
        return ac_find(s, a, frozen, created);
    }
    s->used[j] = 1;
    s->nused++;
    s->slot[j].agg = a, s->slot[j].count = 0;
    *created = 1;
    return &s->slot[j].count;
}
