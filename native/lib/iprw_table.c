/* The rewriters' flow table: Click's HashContainer maps, expiry heaps and
 * store_flow/shrink_heap, over storage allocated once (iprw.h). */
#include "iprw.h"
#include "ipfield.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define ROT(v, r) ((uint32_t)(v) << (r) | (uint32_t)(v) >> (32 - (r)))

/* Click's IPFlowID::hashcode. */
static uint32_t fid_hash(const iprw_fid *f)
{
    uint16_t s = ntohs(f->sport), d = ntohs(f->dport);
    return (ROT(f->saddr, (s % 16) + 1) ^ ROT(f->daddr, 31 - (d % 16))) ^
           ((uint32_t)d << 16 | s);
}

static int32_t *hnext(iprw_table *t, int32_t en) { return &t->flows[en >> 1].hnext[en & 1]; }
static const iprw_fid *ekey(const iprw_table *t, int32_t en) { return &t->flows[en >> 1].fid[en & 1]; }

int iprw_table_init(iprw_table *t, uint32_t capacity, int nmaps)
{
    memset(t, 0, sizeof *t);
    t->capacity = capacity;
    t->nflows = capacity + 1;
    t->nmaps = nmaps;
    t->flows = calloc(t->nflows, sizeof *t->flows);
    t->heap[0] = malloc(sizeof(int32_t) * t->nflows);
    t->heap[1] = malloc(sizeof(int32_t) * t->nflows);
    if (!t->flows || !t->heap[0] || !t->heap[1])
        return -1;
    t->free_list = IPRW_NIL;
    for (uint32_t i = t->nflows; i-- > 0;) {
        t->flows[i].hnext[0] = t->free_list;
        t->flows[i].place = -1;
        t->free_list = (int32_t)i;
    }
    uint32_t maxnb = 1;
    while (maxnb < t->nflows && maxnb < 4194303u)
        maxnb = ((maxnb + 1) << 1) - 1;
    for (int m = 0; m < nmaps; m++) {
        iprw_map *mp = &t->map[m];
        mp->maxnb = maxnb;
        mp->nb = 1;                   /* Click's HashContainer(0) */
        mp->buckets = malloc(sizeof(int32_t) * maxnb);
        mp->spare = malloc(sizeof(int32_t) * maxnb);
        if (!mp->buckets || !mp->spare)
            return -1;
        mp->buckets[0] = IPRW_NIL;
    }
    return 0;
}

void iprw_table_destroy(iprw_table *t)
{
    free(t->flows);
    free(t->heap[0]);
    free(t->heap[1]);
    for (int m = 0; m < t->nmaps; m++) {
        free(t->map[m].buckets);
        free(t->map[m].spare);
    }
    memset(t, 0, sizeof *t);
}

int32_t iprw_map_get(const iprw_table *t, int m, const iprw_fid *fid)
{
    const iprw_map *mp = &t->map[m];
    int32_t en = mp->buckets[fid_hash(fid) % mp->nb];
    while (en != IPRW_NIL && !iprw_fid_eq(ekey(t, en), fid))
        en = t->flows[en >> 1].hnext[en & 1];
    return en;
}

/* Click's HashContainer::set: en replaces an entry with its key (returned)
 * or goes to the head of its bucket (IPRW_NIL returned). */
static int32_t map_set(iprw_table *t, int m, int32_t en)
{
    iprw_map *mp = &t->map[m];
    int32_t *pp = &mp->buckets[fid_hash(ekey(t, en)) % mp->nb];
    while (*pp != IPRW_NIL && !iprw_fid_eq(ekey(t, *pp), ekey(t, en)))
        pp = hnext(t, *pp);
    int32_t old = *pp;
    if (old == en)
        return old;
    if (old != IPRW_NIL)
        *hnext(t, en) = *hnext(t, old);
    else {                            /* not found: at the head of its bucket */
        mp->size++;
        pp = &mp->buckets[fid_hash(ekey(t, en)) % mp->nb];
        *hnext(t, en) = *pp;
    }
    *pp = en;
    return old;
}

/* Erase the entry with en's key when it is en itself (Click's unmap_flow). */
static void map_erase(iprw_table *t, int m, int32_t en)
{
    iprw_map *mp = &t->map[m];
    int32_t *pp = &mp->buckets[fid_hash(ekey(t, en)) % mp->nb];
    while (*pp != IPRW_NIL && !iprw_fid_eq(ekey(t, *pp), ekey(t, en)))
        pp = hnext(t, *pp);
    if (*pp == en) {
        *pp = *hnext(t, en);
        mp->size--;
    }
}

static void map_rehash_if_unbalanced(iprw_table *t, int m)
{
    iprw_map *mp = &t->map[m];
    if (!(mp->size > 2 * mp->nb && mp->nb < mp->maxnb))
        return;
    uint32_t nnb = 1;
    while (nnb < mp->nb + 1 && nnb < mp->maxnb)
        nnb = ((nnb + 1) << 1) - 1;
    int32_t *nbk = mp->spare;
    for (uint32_t b = 0; b < nnb; b++)
        nbk[b] = IPRW_NIL;
    for (uint32_t b = 0; b < mp->nb; b++)
        for (int32_t en = mp->buckets[b]; en != IPRW_NIL;) {
            int32_t nx = *hnext(t, en);
            uint32_t nbucket = fid_hash(ekey(t, en)) % nnb;
            *hnext(t, en) = nbk[nbucket];
            nbk[nbucket] = en;
            en = nx;
        }
    mp->spare = mp->buckets;
    mp->buckets = nbk;
    mp->nb = nnb;
}

/* ---- heaps (Click's heap.hh, keyed by expiry, least first) ---- */
static int less(const iprw_table *t, int32_t a, int32_t b)
{
    return (int64_t)(t->flows[a].expiry - t->flows[b].expiry) < 0;
}

static void hplace(iprw_table *t, int h, uint32_t i) { t->flows[t->heap[h][i]].place = (int32_t)i; }

static void heap_fix(iprw_table *t, int h, uint32_t i)
{
    int32_t *v = t->heap[h];
    uint32_t n = t->hsize[h];
    int moved = 0;
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!less(t, v[i], v[p]))
            break;
        int32_t x = v[i];
        v[i] = v[p], v[p] = x;
        hplace(t, h, i);
        i = p;
        moved = 1;
    }
    while (!moved) {
        uint32_t s = i, c = 2 * i + 1;
        if (c < n && less(t, v[c], v[s]))
            s = c;
        if (c + 1 < n && less(t, v[c + 1], v[s]))
            s = c + 1;
        if (s == i)
            break;
        int32_t x = v[i];
        v[i] = v[s], v[s] = x;
        hplace(t, h, i);
        i = s;
    }
    hplace(t, h, i);
}

static void heap_push(iprw_table *t, int h, int32_t fi)
{
    t->heap[h][t->hsize[h]] = fi;
    heap_fix(t, h, t->hsize[h]++);
}

static void heap_remove(iprw_table *t, int h, uint32_t i)
{
    uint32_t last = --t->hsize[h];
    if (i != last) {
        t->heap[h][i] = t->heap[h][last];
        heap_fix(t, h, i);
    }
}

void iprw_change_expiry(iprw_table *t, iprw_flow *f, int guaranteed, uint64_t expiry)
{
    int32_t fi = (int32_t)(f - t->flows);
    f->expiry = expiry;
    if (f->guaranteed != !!guaranteed) {
        heap_remove(t, f->guaranteed, (uint32_t)f->place);
        f->guaranteed = !!guaranteed;
        heap_push(t, f->guaranteed, fi);
    } else
        heap_fix(t, f->guaranteed, (uint32_t)f->place);
}

void iprw_destroy_flow(iprw_table *t, iprw_input *inputs, iprw_flow *f)
{
    int32_t fi = (int32_t)(f - t->flows);
    heap_remove(t, f->guaranteed, (uint32_t)f->place);
    atomic_fetch_sub_explicit(&inputs[f->input].count, 1, memory_order_relaxed);
    map_erase(t, f->map, fi * 2);
    map_erase(t, f->map, fi * 2 + 1);
    f->place = -1;
    f->hnext[0] = t->free_list;
    t->free_list = fi;
}

void iprw_update_csum(uint8_t *sum, int direction, uint16_t delta)
{
    if (delta)
        pl_cksum_update(sum, 0, direction ? delta : (uint16_t)~delta);
}

static void shift_best_effort(iprw_table *t, uint64_t now, iprw_be_expiry_fn be, void *arg)
{
    while (t->hsize[1] && (int64_t)(now - t->flows[t->heap[1][0]].expiry) >= 0) {
        iprw_flow *f = &t->flows[t->heap[1][0]];
        iprw_change_expiry(t, f, 0, be(arg, f));
    }
}

int32_t iprw_add_flow(iprw_table *t, int m, iprw_input *inputs, int input, const iprw_fid *fid,
                      const iprw_fid *rw, uint8_t ip_p, int guaranteed, uint64_t expiry,
                      uint64_t now, iprw_be_expiry_fn be, void *arg)
{
    if (t->free_list == IPRW_NIL) {   /* cannot happen: capacity + 1 slots */
        atomic_fetch_add_explicit(&inputs[input].failures, 1, memory_order_relaxed);
        return IPRW_NIL;
    }
    int32_t fi = t->free_list;
    iprw_flow *f = &t->flows[fi];
    t->free_list = f->hnext[0];
    memset(f, 0, sizeof *f);
    f->fid[0] = *fid;
    f->fid[1] = iprw_rev(*rw);
    f->out[0] = (uint32_t)inputs[input].foutput;
    f->out[1] = (uint32_t)inputs[input].routput;
    f->expiry = expiry;
    f->guaranteed = !!guaranteed;
    f->ip_p = ip_p;
    f->input = (uint16_t)input;
    f->map = (uint8_t)m;
    uint16_t sw[6], dw[6];
    memcpy(sw, fid, 12);
    memcpy(dw, rw, 12);
    uint8_t d[2] = {0, 0};
    for (int i = 0; i < 4; i++)
        pl_cksum_update(d, sw[i], dw[i]);
    memcpy(&f->ip_delta, d, 2);
    for (int i = 4; i < 6; i++)
        pl_cksum_update(d, sw[i], dw[i]);
    memcpy(&f->udp_delta, d, 2);

    map_set(t, m, fi * 2);
    int32_t old = map_set(t, m, fi * 2 + 1);
    if (old != IPRW_NIL && (old >> 1) != fi)
        iprw_destroy_flow(t, inputs, &t->flows[old >> 1]);
    heap_push(t, f->guaranteed, fi);
    atomic_fetch_add_explicit(&inputs[input].count, 1, memory_order_relaxed);
    if (iprw_table_size(t) > t->capacity) {
        shift_best_effort(t, now, be, arg);
        int32_t dead = t->hsize[0] ? t->heap[0][0] : fi;
        iprw_destroy_flow(t, inputs, &t->flows[dead]);
        if (dead == fi) {
            atomic_fetch_add_explicit(&inputs[input].failures, 1, memory_order_relaxed);
            return IPRW_NIL;
        }
    }
    map_rehash_if_unbalanced(t, m);
    return fi * 2;
}

void iprw_shrink(iprw_table *t, iprw_input *inputs, uint64_t now, int clear, iprw_be_expiry_fn be,
                 void *arg)
{
    shift_best_effort(t, now, be, arg);
    while (t->hsize[0] && (int64_t)(now - t->flows[t->heap[0][0]].expiry) >= 0)
        iprw_destroy_flow(t, inputs, &t->flows[t->heap[0][0]]);
    uint32_t cap = clear ? 0 : t->capacity;
    while (iprw_table_size(t) > cap) {
        int h = t->hsize[0] ? 0 : 1;
        iprw_destroy_flow(t, inputs, &t->flows[t->heap[h][0]]);
    }
}

void iprw_remove_input(iprw_table *t, iprw_input *inputs, int input)
{
    for (int h = 0; h < 2; h++)
        for (uint32_t i = t->hsize[h]; i-- > 0;) {
            if (i >= t->hsize[h])
                continue;
            iprw_flow *f = &t->flows[t->heap[h][i]];
            if (f->input == input) {
                iprw_destroy_flow(t, inputs, f);
                if (i < t->hsize[h])
                    i++;
            }
        }
}
