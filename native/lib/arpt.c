#include "arpt.h"

#include "../core/args.h"
#include "../core/engine.h"
#include "iputil.h"

#include <stdio.h>
#include <stdlib.h>

#define HZ 1000                   /* jiffies a second */

static uint32_t hash(uint32_t ip) { return (ip * 2654435761u) >> 22; }   /* 10 bits */

void arpt_init(arpt *t)
{
    memset(t, 0, sizeof *t);
    atomic_flag_clear(&t->lock);
    t->packet_capacity = 2048;
    t->slim_factor = 2;
    t->timeout_j = 300 * HZ;
}

int64_t arpt_timeout_j(double seconds)
{
    if (!(seconds >= 0) || seconds >= 4294967295.0 / HZ)
        return 0;
    return (int64_t)(seconds * HZ + 0.5);
}

static int expired(const arpt_entry *en, int64_t now, int64_t timeout_j)
{
    return timeout_j && !en->is_static && en->live_j + timeout_j < now;
}

static int known(const arpt_entry *en, int64_t now, int64_t timeout_j)
{
    return en->known && !expired(en, now, timeout_j);
}

static int allow_poll(const arpt_entry *en, int64_t now)
{
    return now >= en->polled_j + (en->polls >= 10 ? HZ * 2 : HZ / 10);
}

static void mark_poll(arpt_entry *en, int64_t now)
{
    en->polled_j = now;
    if (en->polls < 255)
        en->polls++;
}

static arpt_entry *find(arpt *t, uint32_t ip)
{
    for (arpt_entry *en = t->bucket[hash(ip)]; en; en = en->hnext)
        if (en->ip == ip)
            return en;
    return NULL;
}

static void age_unlink(arpt *t, arpt_entry *en)
{
    if (en->aprev)
        en->aprev->anext = en->anext;
    else
        t->age_head = en->anext;
    if (en->anext)
        en->anext->aprev = en->aprev;
    else
        t->age_tail = en->aprev;
    en->aprev = en->anext = NULL;
}

/* Insert en before `before` (NULL: at the end). */
static void age_insert(arpt *t, arpt_entry *en, arpt_entry *before)
{
    en->anext = before;
    en->aprev = before ? before->aprev : t->age_tail;
    if (en->aprev)
        en->aprev->anext = en;
    else
        t->age_head = en;
    if (before)
        before->aprev = en;
    else
        t->age_tail = en;
}

static void kill_all(pl_packet *q, pl_packet **killed, uint64_t *drops)
{
    while (q) {
        pl_packet *nx = q->next;
        q->next = *killed;
        *killed = q;
        ++*drops;
        q = nx;
    }
}

static void erase(arpt *t, arpt_entry *en, pl_packet **killed)
{
    arpt_entry **link = &t->bucket[hash(en->ip)];
    while (*link != en)
        link = &(*link)->hnext;
    *link = en->hnext;
    age_unlink(t, en);
    t->packets -= en->npackets;
    kill_all(en->head, killed, &t->drops);
    t->entries--;
    free(en);
}

/* Click's ARPTable::slim: old entries, then the oldest entries' packets. */
static void slim(arpt *t, int64_t now, pl_packet **killed)
{
    arpt_entry *en;
    while ((en = t->age_head) && (expired(en, now, t->timeout_j) ||
                                  (t->entry_capacity && t->entries > t->entry_capacity)))
        erase(t, en, killed);
    if (t->packet_capacity && t->packets > t->packet_capacity) {
        uint32_t keep = t->packet_capacity - t->packet_capacity / t->slim_factor;
        if (!keep)
            keep = 1;                  /* the packet being added is counted already */
        for (; en && t->packets > keep; en = en->anext)
            while (en->head && t->packets > keep) {
                pl_packet *p = en->head;
                if (!(en->head = p->next))
                    en->tail = NULL;
                p->next = *killed;
                *killed = p;
                t->packets--;
                en->npackets--;
                t->drops++;
            }
    }
}

void arpt_expire(arpt *t, int64_t now, pl_packet **killed)
{
    if (!t->timeout_j || now - t->slimmed_j < t->timeout_j + HZ)
        return;
    t->slimmed_j = now;
    slim(t, now, killed);
}

static arpt_entry *ensure(arpt *t, uint32_t ip, int64_t now, pl_packet **killed)
{
    arpt_entry *en = find(t, ip);
    if (en)
        return en;
    en = calloc(1, sizeof *en);
    if (!en)
        return NULL;
    if (++t->entries, t->entry_capacity && t->entries > t->entry_capacity)
        slim(t, now, killed);
    en->ip = ip;
    memset(en->eth, 0xff, 6);
    en->live_j = now;
    en->polled_j = now - HZ;
    uint32_t h = hash(ip);
    en->hnext = t->bucket[h];
    t->bucket[h] = en;
    age_insert(t, en, NULL);
    return en;
}

int arpt_lookup(arpt *t, uint32_t ip, int64_t now, int64_t poll_j, uint8_t eth[6])
{
    arpt_entry *en = find(t, ip);
    if (!en || !known(en, now, t->timeout_j))
        return -1;
    memcpy(eth, en->eth, 6);
    if (poll_j && !en->is_static && now >= en->live_j + poll_j && allow_poll(en, now)) {
        mark_poll(en, now);
        return 1;
    }
    return 0;
}

int arpt_insert(arpt *t, uint32_t ip, const uint8_t eth[6], int is_static, int64_t now,
                pl_packet **waiting, pl_packet **killed)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    arpt_entry *en = ensure(t, ip, now, killed);
    if (!en)
        return -1;
    if (en->is_static && !is_static && memcmp(eth, bcast, 6))
        return 0;                      /* a reply does not change a STATIC entry */
    memcpy(en->eth, eth, 6);
    en->known = memcmp(eth, bcast, 6) != 0;
    en->is_static = (uint8_t)(is_static && en->known);
    en->live_j = now;
    en->polls = 0;
    en->polled_j = now - HZ;
    age_unlink(t, en);
    age_insert(t, en, NULL);
    if (waiting) {
        *waiting = en->head;
        en->head = en->tail = NULL;
        t->packets -= en->npackets;
        en->npackets = 0;
    }
    return 0;
}

int arpt_append(arpt *t, uint32_t ip, pl_packet *p, int64_t now, pl_packet **killed)
{
    arpt_entry *en = ensure(t, ip, now, killed);
    if (!en)
        return -1;
    if (known(en, now, t->timeout_j))
        return -2;
    /* Keep an entry still being asked for just this side of expiring (so the
     * slim below cannot free it), moved to its place in the age order. */
    if (t->timeout_j && en->live_j < now - t->timeout_j) {
        en->live_j = now - t->timeout_j;
        arpt_entry *next = en->anext;
        while (next && next->live_j < en->live_j)
            next = next->anext;
        if (next != en->anext) {
            age_unlink(t, en);
            age_insert(t, en, next);
        }
    }
    if (t->entry_packet_capacity && en->npackets >= t->entry_packet_capacity) {
        t->drops++;
        return -1;
    }
    if (++t->packets, t->packet_capacity && t->packets > t->packet_capacity)
        slim(t, now, killed);
    p->next = NULL;
    if (en->tail)
        en->tail->next = p;
    else
        en->head = p;
    en->tail = p;
    en->npackets++;
    if (allow_poll(en, now)) {
        mark_poll(en, now);
        return 1;
    }
    return 0;
}

void arpt_clear(arpt *t, pl_packet **killed)
{
    while (t->age_head)
        erase(t, t->age_head, killed);
    t->entries = t->packets = 0;
}

int arpt_format(arpt *t, int64_t now, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = 0;
    for (const arpt_entry *en = t->age_head; en; en = en->anext) {
        char a[16];
        const uint8_t *h = en->eth;
        int64_t age = now - en->live_j;
        if (age < 0)
            age = 0;
        int w = snprintf(buf + k, len - k, "%s %d %02X-%02X-%02X-%02X-%02X-%02X %lld.%06lld\n",
                         pl_ip_str(en->ip, a), known(en, now, t->timeout_j), h[0], h[1], h[2],
                         h[3], h[4], h[5], (long long)(age / HZ),
                         (long long)(age % HZ) * (1000000 / HZ));
        if (w < 0 || (size_t)w >= len - k)
            return -1;
        k += (size_t)w;
    }
    return 0;
}

static void append_list(pl_packet **head, pl_packet **tail, pl_packet *q)
{
    while (q) {
        pl_packet *nx = q->next;
        q->next = NULL;
        if (*tail)
            (*tail)->next = q;
        else
            *head = q;
        *tail = q;
        q = nx;
    }
}

int arpt_handler_set(arpt *t, uint32_t ip, const uint8_t eth[6], int64_t now)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    pl_packet *waiting = NULL, *killed = NULL;
    /* Click's delete makes the entry unknown; its packets keep waiting. */
    int rc = arpt_insert(t, ip, eth ? eth : bcast, 0, now, eth ? &waiting : NULL, &killed);
    append_list(&t->ready, &t->ready_tail, waiting);
    pl_packet *tail = NULL;
    for (pl_packet *p = t->orphans; p; p = p->next)
        tail = p;
    append_list(tail ? &tail->next : &t->orphans, &tail, killed);
    return rc;
}

void arpt_handler_clear(arpt *t)
{
    pl_packet *killed = t->orphans;
    arpt_clear(t, &killed);
    t->orphans = killed;
}

void arpt_take(arpt *dst, arpt *src)
{
    memcpy(dst->bucket, src->bucket, sizeof dst->bucket);
    dst->age_head = src->age_head;
    dst->age_tail = src->age_tail;
    dst->entries = src->entries;
    dst->packets = src->packets;
    dst->drops = src->drops;
    memset(src->bucket, 0, sizeof src->bucket);
    src->age_head = src->age_tail = NULL;
    src->entries = src->packets = 0;
    dst->orphans = src->orphans;
    dst->ready = src->ready;
    dst->ready_tail = src->ready_tail;
    src->orphans = src->ready = src->ready_tail = NULL;
}

int arpt_parse_entry(const char *text, uint32_t *ip, uint8_t eth[6])
{
    char a[128], b[128], extra[2];
    int n = sscanf(text, "%127s %127s %1s", a, b, extra);
    if (n != (eth ? 2 : 1) || pl_parse_ipv4(a, ip))
        return -1;
    return eth && pl_parse_ether(b, eth) ? -1 : 0;
}

int arpt_load_static(arpt *t, const char *text, char *bad, size_t badlen)
{
    char *copy = text ? strdup(text) : NULL, *save = NULL;
    pl_packet *killed = NULL;
    int rc = 0;
    if (text && !copy)
        return -2;
    for (char *w = copy ? strtok_r(copy, " \t\n", &save) : NULL; w && !rc;
         w = strtok_r(NULL, " \t\n", &save)) {
        char *m = strtok_r(NULL, " \t\n", &save);
        uint32_t ip;
        uint8_t eth[6];
        if (!m || pl_parse_ipv4(w, &ip) || pl_parse_ether(m, eth)) {
            snprintf(bad, badlen, "%s %s", w, m ? m : "");
            rc = -1;
        } else if (arpt_insert(t, ip, eth, 1, 0, NULL, &killed) < 0) {
            rc = -2;
        }
    }
    free(copy);
    return rc;                         /* nothing waited: killed stays empty */
}

arpt *arpt_find_element(struct pl_engine *eng, const char *name)
{
    int k = pl_engine_find(eng, name);
    if (k < 0 || k >= eng->nelems || strcmp(eng->elems[k]->cls->name, "ARPTable"))
        return NULL;
    return PL_STATE(eng->elems[k], arpt);   /* ARPTable's state begins with its table */
}
