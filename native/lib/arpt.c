#include "arpt.h"

#include "../core/args.h"
#include "iputil.h"

#include <stdio.h>
#include <stdlib.h>

static uint32_t hash(uint32_t ip) { return (ip * 2654435761u) >> 22; }   /* 10 bits */

void arpt_init(arpt *t)
{
    memset(t, 0, sizeof *t);
    for (int i = 0; i < ARPT_BUCKETS; i++)
        t->bucket[i] = -1;
    t->free_list = -1;
}

void arpt_destroy(arpt *t)
{
    free(t->v);
    t->v = NULL;
}

arpt_entry *arpt_find(arpt *t, uint32_t ip)
{
    for (int32_t i = t->bucket[hash(ip)]; i >= 0; i = t->v[i].next)
        if (t->v[i].ip == ip)
            return &t->v[i];
    return NULL;
}

arpt_entry *arpt_get(arpt *t, uint32_t ip, uint32_t entry_capacity)
{
    arpt_entry *en = arpt_find(t, ip);
    if (en)
        return en;
    if (entry_capacity && (uint32_t)t->live >= entry_capacity)
        return NULL;
    int32_t i = t->free_list;
    if (i >= 0) {
        t->free_list = t->v[i].next;
    } else {
        if (t->n == t->cap) {
            int32_t cap = t->cap ? t->cap * 2 : 64;
            arpt_entry *v = realloc(t->v, sizeof *v * (size_t)cap);
            if (!v)
                return NULL;
            t->v = v;
            t->cap = cap;
        }
        i = t->n++;
    }
    en = &t->v[i];
    memset(en, 0, sizeof *en);
    en->ip = ip;
    en->used = 1;
    uint32_t h = hash(ip);
    en->next = t->bucket[h];
    t->bucket[h] = i;
    t->live++;
    return en;
}

int arpt_set_static(arpt *t, uint32_t ip, const uint8_t eth[6])
{
    arpt_entry *en = arpt_get(t, ip, 0);
    if (!en)
        return -1;
    memcpy(en->eth, eth, 6);
    en->known = en->is_static = 1;
    return en->q_head != NULL;
}

int arpt_load_static(arpt *t, const char *text, char *bad, size_t badlen)
{
    char *copy = text ? strdup(text) : NULL, *save = NULL;
    int rc = 0;
    for (char *w = copy ? strtok_r(copy, " \t\n", &save) : NULL; w && !rc;
         w = strtok_r(NULL, " \t\n", &save)) {
        char *m = strtok_r(NULL, " \t\n", &save);
        uint32_t ip;
        uint8_t eth[6];
        if (!m || pl_parse_ipv4(w, &ip) || pl_parse_ether(m, eth)) {
            snprintf(bad, badlen, "%s %s", w, m ? m : "");
            rc = -1;
        } else if (arpt_set_static(t, ip, eth) < 0) {
            rc = -2;
        }
    }
    free(copy);
    return rc;
}

arpt_entry *arpt_learn(arpt *t, uint32_t ip, const uint8_t eth[6], uint64_t now_ns,
                       uint32_t entry_capacity)
{
    arpt_entry *en = arpt_get(t, ip, entry_capacity);
    if (en) {
        if (!en->is_static)
            memcpy(en->eth, eth, 6);
        en->known = 1;
        en->updated_ns = now_ns;
    }
    return en;
}

void arpt_enqueue(arpt *t, arpt_entry *en, pl_packet *p)
{
    p->next = NULL;
    if (en->q_tail)
        en->q_tail->next = p;
    else
        en->q_head = p;
    en->q_tail = p;
    en->q_len++;
    t->saved++;
}

pl_packet *arpt_take_queue(arpt *t, arpt_entry *en)
{
    pl_packet *q = en->q_head;
    t->saved -= en->q_len;
    en->q_head = en->q_tail = NULL;
    en->q_len = 0;
    return q;
}

int arpt_wait(arpt *t, arpt_entry *en, pl_packet *p, uint64_t now_ns, uint64_t max_wait_ns,
              uint64_t capacity, uint64_t entry_capacity, pl_packet **expired)
{
    *expired = NULL;
    if (en->q_head && now_ns - en->waiting_since_ns > max_wait_ns)
        *expired = arpt_take_queue(t, en);
    if (!en->q_head)
        en->waiting_since_ns = now_ns;
    if ((capacity && t->saved >= capacity) || (entry_capacity && en->q_len >= entry_capacity))
        return -1;
    arpt_enqueue(t, en, p);
    return 0;
}

static void orphan(pl_packet **orphans, pl_packet *q)
{
    while (q) {
        pl_packet *nx = q->next;
        q->next = *orphans;
        *orphans = q;
        q = nx;
    }
}

void arpt_remove(arpt *t, uint32_t ip, pl_packet **orphans)
{
    int32_t *link = &t->bucket[hash(ip)];
    while (*link >= 0 && t->v[*link].ip != ip)
        link = &t->v[*link].next;
    if (*link < 0)
        return;
    int32_t i = *link;
    orphan(orphans, arpt_take_queue(t, &t->v[i]));
    *link = t->v[i].next;
    t->v[i].used = 0;
    t->v[i].next = t->free_list;
    t->free_list = i;
    t->live--;
}

void arpt_clear(arpt *t, pl_packet **orphans)
{
    for (int32_t i = 0; i < t->n; i++)
        if (t->v[i].q_head)
            orphan(orphans, arpt_take_queue(t, &t->v[i]));
    pl_packet *keep = *orphans;
    free(t->v);
    arpt_init(t);
    *orphans = keep;
}

int arpt_format(const arpt *t, uint64_t now_ns, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = 0;
    for (int32_t i = 0; i < t->n; i++) {
        const arpt_entry *en = &t->v[i];
        if (!en->used)
            continue;
        char a[16];
        const uint8_t *h = en->eth;
        const char *kind = en->is_static ? "static"
                           : now_ns - en->updated_ns < 1000000000u ? "fresh" : "dynamic";
        int w = en->known ? snprintf(buf + k, len - k, "%s %02x:%02x:%02x:%02x:%02x:%02x %s\n",
                                     pl_ip_str(en->ip, a), h[0], h[1], h[2], h[3], h[4], h[5], kind)
                          : snprintf(buf + k, len - k, "%s - waiting %u\n", pl_ip_str(en->ip, a),
                                     en->q_len);
        if (w < 0 || (size_t)w >= len - k)
            return -1;
        k += (size_t)w;
    }
    return 0;
}
