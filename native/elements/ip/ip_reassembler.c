/* IPReassembler: rebuilds IP datagrams from their fragments (Click's). */
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

#include <stdatomic.h>
#include <stdlib.h>

/*
 * A datagram being rebuilt is one packet, q: its header (the first
 * fragment's once it came) and its payload so far at the fragments' offsets.
 * The parts received form a sorted list of chunks [off, lastoff): the first
 * is in the slot, each next one is written in the hole that follows the
 * chunk before it (4 bytes at transport + lastoff; holes between fragments
 * are at least 8 bytes), so the list costs no memory beyond q. Slots and the
 * 256 hash chains (by IP ID, as Click's) are allocated at configure time.
 */
#define RA_NMAP 256
#define RA_MEM_PER 40            /* bytes charged per datagram besides its payload */
#define RA_TIMEOUT 30            /* seconds without the first fragment's news */
#define RA_INTERVAL 10           /* seconds between looks for old datagrams */

typedef struct {
    uint16_t off, lastoff;
} ra_chunk;

typedef struct {
    pl_packet *q;                /* NULL: free */
    int32_t next;                /* hash chain or free list */
    ra_chunk first;
    uint32_t tlen;               /* payload bytes q holds (its transport length) */
    int64_t sec;                 /* the timestamp the timeout counts from */
} ra_slot;

typedef struct {
    uint64_t himem, max_memory;
    int64_t mtu_anno;
    ra_slot *slots;
    uint32_t nslots;
    int32_t free_slot;
    int32_t map[RA_NMAP];
    uint64_t mem_high, mem_low;
    _Atomic uint64_t mem_used;   /* written by the data path, read by handlers */
    _Atomic uint32_t pending;
    int64_t reap_time;
} ra_state;

enum { C_BAD, C_PAST_END, C_NOBUFS, C_GIVEN_UP, C_UNFINISHED,
       C_FRAGMENTS, C_REASSEMBLED, C_TIMED_OUT, C_EVICTED };
static const char *const counters[] = {"bad", "past_end", "nobufs", "given_up", "unfinished",
                                       "fragments", "reassembled", "timed_out", "evicted", NULL};

static inline uint8_t *ra_payload(const pl_packet *q)
{
    uint8_t *ip = pl_net_header(q);
    return ip + pl_ip_hl(ip);
}

static inline ra_chunk ra_load(const ra_slot *s, int at)
{
    ra_chunk c = s->first;
    if (at >= 0)
        memcpy(&c, ra_payload(s->q) + at, sizeof c);
    return c;
}

static inline void ra_store(ra_slot *s, int at, ra_chunk c)
{
    if (at < 0)
        s->first = c;
    else
        memcpy(ra_payload(s->q) + at, &c, sizeof c);
}

static inline int ra_bucket(const uint8_t *ip)
{
    uint16_t id;
    memcpy(&id, ip + 4, 2);      /* as Click: the raw field modulo 256 */
    return id % RA_NMAP;
}

static inline int ra_same(const uint8_t *a, const uint8_t *b)
{
    return !memcmp(a + 4, b + 4, 2) && a[9] == b[9] && !memcmp(a + 12, b + 12, 8);
}

static void ra_mem(ra_state *s, int64_t delta)
{
    atomic_store_explicit(&s->mem_used,
                          (uint64_t)((int64_t)atomic_load_explicit(&s->mem_used,
                                                                   memory_order_relaxed) + delta),
                          memory_order_relaxed);
}

/* Unlink the slot *link points to (its datagram leaves or is given up). */
static pl_packet *ra_unlink(ra_state *s, int32_t *link)
{
    int32_t k = *link;
    ra_slot *sl = &s->slots[k];
    pl_packet *q = sl->q;
    *link = sl->next;
    ra_mem(s, -(int64_t)(RA_MEM_PER + sl->tlen));
    sl->q = NULL;
    sl->next = s->free_slot;
    s->free_slot = k;
    atomic_fetch_sub_explicit(&s->pending, 1, memory_order_relaxed);
    return q;
}

/* Give up a datagram: to output 1 when connected (Click's), else a counted drop. */
static void ra_give_up(pl_element *e, pl_ctx *ctx, pl_packet **out1, pl_packet *q, int why)
{
    pl_count(ctx, e, why, 1);
    if (e->noutputs > 1)
        pl_batch_append(out1, q);
    else
        pl_drop(ctx, e, C_GIVEN_UP, q);
}

static void ra_reap(pl_element *e, ra_state *s, pl_ctx *ctx, int64_t now, pl_packet **out1)
{
    for (int b = 0; b < RA_NMAP; b++)
        for (int32_t *link = &s->map[b]; *link >= 0;)
            if (s->slots[*link].sec < now - RA_TIMEOUT)
                ra_give_up(e, ctx, out1, ra_unlink(s, link), C_TIMED_OUT);
            else
                link = &s->slots[*link].next;
    s->reap_time = now + RA_INTERVAL;
}

/* Over HIMEM: give up datagrams at least 10 s old, then 5 s, then any, in bucket
 * order, until the memory is under 3/4 HIMEM (Click's order). */
static void ra_reap_overfull(pl_element *e, ra_state *s, pl_ctx *ctx, int64_t now,
                             pl_packet **out1)
{
    for (int delta = 10; delta >= 0; delta -= 5)
        for (int b = 0; b < RA_NMAP; b++)
            for (int32_t *link = &s->map[b]; *link >= 0;)
                if (!delta || s->slots[*link].sec < now - delta) {
                    ra_give_up(e, ctx, out1, ra_unlink(s, link), C_EVICTED);
                    if (atomic_load_explicit(&s->mem_used, memory_order_relaxed) <= s->mem_low)
                        return;
                } else
                    link = &s->slots[*link].next;
}

static void ra_set_mtu(const ra_state *s, pl_packet *q, uint32_t v, int max)
{
    if (s->mtu_anno < 0)
        return;
    uint8_t *a = q->anno + s->mtu_anno;
    uint16_t old;
    memcpy(&old, a, 2);
    uint16_t nv = (uint16_t)(v > 0xffff ? 0xffff : v);
    if (!max || old < nv)
        memcpy(a, &nv, 2);
}

/* A new datagram from its first fragment to arrive. */
static void ra_make(pl_element *e, ra_state *s, pl_ctx *ctx, pl_packet *p, int b, uint32_t p_off,
                    uint32_t p_last)
{
    if (s->free_slot < 0) {      /* cannot happen with the slots sized from HIMEM */
        pl_drop(ctx, e, C_NOBUFS, p);
        return;
    }
    pl_packet *q;
    if (p_off == 0) {
        if (!(q = pl_writable(ctx, e, C_NOBUFS, p)))
            return;
    } else {
        if (!(q = pl_packet_alloc_len(ctx->pool, 20 + p_last))) {
            pl_drop(ctx, e, C_NOBUFS, p);
            return;
        }
        const uint8_t *ip = pl_net_header(p);
        memcpy(q->data, ip, 20);
        q->data[0] = 0x45;
        pl_set_net_header(q, q->data);
        memcpy(q->data + 20 + p_off, ip + pl_ip_hl(ip), p_last - p_off);
        q->timestamp = p->timestamp;   /* Click leaves it 0: reaped at the next look */
        pl_packet_free(ctx->pool, p);
    }
    uint8_t *qip = pl_net_header(q);
    pl_wr16(qip + 6, (uint16_t)(pl_rd16(qip + 6) & 0xe000));   /* keep MF, DF, RF */
    ra_set_mtu(s, q, pl_net_length(q), 0);
    int32_t k = s->free_slot;
    ra_slot *sl = &s->slots[k];
    s->free_slot = sl->next;
    sl->q = q;
    sl->first = (ra_chunk){(uint16_t)p_off, (uint16_t)p_last};
    sl->tlen = p_last;
    sl->sec = (int64_t)(q->timestamp / 1000000000u);
    sl->next = s->map[b];
    s->map[b] = k;
    ra_mem(s, RA_MEM_PER + p_last);
    atomic_fetch_add_explicit(&s->pending, 1, memory_order_relaxed);
}

/* The first fragment's link and IP headers and annotations replace q's. */
static pl_packet *ra_take_front(pl_element *e, ra_slot *sl, pl_ctx *ctx, pl_packet *p,
                                const ra_state *s)
{
    pl_packet *q = sl->q;
    uint8_t *pip = pl_net_header(p);
    uint32_t pfront = (uint32_t)(pip - p->data) + pl_ip_hl(pip);
    uint32_t qfront = (uint32_t)(ra_payload(q) - q->data);
    uint16_t ip_off = pl_rd16(pl_net_header(q) + 6);
    if (pfront > qfront) {
        if (!(q = pl_push(ctx, e, C_NOBUFS, q, pfront - qfront)))
            return NULL;
    } else
        pl_packet_pull(q, qfront - pfront);
    memcpy(q->data, p->data, pfront);
    pl_set_net_header(q, q->data + (pip - p->data));
    const uint8_t *mac = pl_mac_header(p);
    q->mac_off = mac ? (uint16_t)(q->data + (mac - p->data) - q->buf) : PL_OFF_UNSET;
    pl_wr16(pl_net_header(q) + 6, ip_off);
    uint8_t mtu[2] = {0, 0};
    if (s->mtu_anno >= 0)
        memcpy(mtu, q->anno + s->mtu_anno, 2);
    q->timestamp = p->timestamp;
    memcpy(q->anno, p->anno, sizeof q->anno);
    q->dst_ip = p->dst_ip;
    q->paint = p->paint;
    if (s->mtu_anno >= 0)
        memcpy(q->anno + s->mtu_anno, mtu, 2);
    sl->sec = (int64_t)(q->timestamp / 1000000000u);
    return q;
}

/* One fragment into its datagram; returns the datagram when it is whole. */
static pl_packet *ra_fragment(pl_element *e, ra_state *s, pl_ctx *ctx, pl_packet *p, int64_t now,
                              pl_packet **out1)
{
    uint8_t *ip = pl_net_header(p);
    unsigned hl = pl_ip_hl(ip);
    uint32_t nlen = pl_net_length(p), flags = pl_rd16(ip + 6), mf = flags & 0x2000;
    int64_t p_off = (int64_t)(flags & 0x1fff) * 8;
    int64_t p_last = p_off + (int64_t)pl_rd16(ip + 2) - hl;
    int64_t dlen = hl <= nlen ? (int64_t)(nlen - hl) : -1;
    if (hl < 20 || p_last > 0xffff || p_last <= p_off || ((p_last & 7) && mf) ||
        dlen < p_last - p_off) {
        pl_drop(ctx, e, C_BAD, p);
        return NULL;
    }
    pl_packet_take(p, (uint32_t)(dlen - (p_last - p_off)));
    if (atomic_load_explicit(&s->mem_used, memory_order_relaxed) > s->mem_high)
        ra_reap_overfull(e, s, ctx, now, out1);
    int b = ra_bucket(ip);
    int32_t *link = &s->map[b];
    while (*link >= 0 && !ra_same(ip, pl_net_header(s->slots[*link].q)))
        link = &s->slots[*link].next;
    if (*link < 0) {
        ra_make(e, s, ctx, p, b, (uint32_t)p_off, (uint32_t)p_last);
        return NULL;
    }
    ra_slot *sl = &s->slots[*link];
    ra_set_mtu(s, sl->q, nlen, 1);
    uint32_t a = (uint32_t)p_off, z = (uint32_t)p_last;
    if (z > sl->tlen) {
        if (!(pl_net_header(sl->q)[6] & 0x20)) {   /* past the end the last fragment set */
            pl_drop(ctx, e, C_PAST_END, p);
            return NULL;
        }
        uint32_t old = sl->tlen;
        pl_packet *q = pl_put(ctx, e, C_NOBUFS, sl->q, z - old);
        if (!q) {                /* q was freed and counted: the datagram is lost */
            ra_unlink(s, link);
            pl_drop(ctx, e, C_NOBUFS, p);
            return NULL;
        }
        sl->q = q;
        sl->tlen = z;
        ra_store(sl, (int)old, (ra_chunk){(uint16_t)z, (uint16_t)z});
        ra_mem(s, z - old);
    }
    /* The chunk p starts in or after, and the one p ends in or before. */
    int cat = -1;
    ra_chunk c = sl->first;
    while (c.lastoff < a) {
        cat = c.lastoff;
        c = ra_load(sl, cat);
    }
    ra_chunk l = c;
    while (l.lastoff < z && l.lastoff < sl->tlen)
        l = ra_load(sl, l.lastoff);
    if (z < l.off) {
        if (l.off - z < sizeof(ra_chunk)) {       /* an unaligned end before more data */
            pl_drop(ctx, e, C_BAD, p);
            return NULL;
        }
        ra_store(sl, (int)z, l);
        c.lastoff = (uint16_t)z;
    } else
        c.lastoff = l.lastoff;
    if (a < c.off)
        c.off = (uint16_t)a;
    ra_store(sl, cat, c);
    memcpy(ra_payload(sl->q) + a, pl_net_header(p) + hl, z - a);
    if (a == 0 && !(sl->q = ra_take_front(e, sl, ctx, p, s))) {
        ra_unlink(s, link);       /* q was freed and counted */
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    pl_packet *q = sl->q;
    uint8_t *qip = pl_net_header(q);
    if (!mf)
        qip[6] &= (uint8_t)~0x20;
    if ((qip[6] & 0x20) || sl->first.off != 0 || sl->first.lastoff != sl->tlen) {
        pl_packet_free(ctx->pool, p);
        return NULL;
    }
    uint32_t total = pl_ip_hl(qip) + sl->tlen;
    q->timestamp = p->timestamp;
    pl_packet_free(ctx->pool, p);
    ra_unlink(s, link);
    if (total > 0xffff) {        /* options and 65,535 payload bytes: no such datagram */
        pl_drop(ctx, e, C_BAD, q);
        return NULL;
    }
    pl_wr16(qip + 2, (uint16_t)total);
    pl_ip_set_csum(qip, pl_ip_hl(qip));
    pl_count(ctx, e, C_REASSEMBLED, 1);
    return q;
}

static void ra_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    ra_state *s = PL_STATE(e, ra_state);
    pl_packet *out = NULL, *out1 = NULL;
    uint32_t frags = 0;
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        const uint8_t *ip = pl_net_header(p);
        if (__builtin_expect(pl_net_length(p) < 20 || !pl_ip_is_fragment(ip), 1)) {
            pl_batch_append(&out, p);
            continue;
        }
        frags++;
        if (!p->timestamp) {     /* as Click: a fragment without a time gets now */
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            p->timestamp = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
        }
        int64_t now = (int64_t)(p->timestamp / 1000000000u);
        if (now >= s->reap_time)
            ra_reap(e, s, ctx, now, &out1);
        pl_packet *q = ra_fragment(e, s, ctx, p, now, &out1);
        if (q)
            pl_batch_append(&out, q);
    }
    if (frags)
        pl_count(ctx, e, C_FRAGMENTS, frags);
    if (out)
        pl_output(ctx, e, 0, out);
    if (out1)
        pl_output(ctx, e, 1, out1);
}

static int ra_configure(pl_element *e, pl_error *err)
{
    ra_state *s = PL_STATE(e, ra_state);
    if (s->max_memory)
        s->himem = s->max_memory;
    s->mem_high = s->himem;
    s->mem_low = (s->himem >> 2) * 3;
    /* every datagram held costs at least RA_MEM_PER + 8 bytes, and one more may
     * be added while under HIMEM: this many slots never run out */
    s->nslots = (uint32_t)(s->himem / (RA_MEM_PER + 8) + 2);
    s->slots = calloc(s->nslots, sizeof *s->slots);
    if (!s->slots)
        return pl_seterr(err, PL_ERR_CONFIG, e, "HIMEM",
                         "HIMEM: no memory for %u datagram slots", s->nslots);
    for (uint32_t k = 0; k < s->nslots; k++)
        s->slots[k].next = k + 1 < s->nslots ? (int32_t)(k + 1) : -1;
    s->free_slot = 0;
    for (int b = 0; b < RA_NMAP; b++)
        s->map[b] = -1;
    return 0;
}

static void ra_cleanup(pl_element *e)
{
    ra_state *s = PL_STATE(e, ra_state);
    for (uint32_t k = 0; s->slots && k < s->nslots; k++)
        if (s->slots[k].q)
            pl_packet_free_ctl(e, C_UNFINISHED, s->slots[k].q);
    free(s->slots);
    s->slots = NULL;
}

static int read_counter(pl_element *e, int c, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, c));
}
static int read_frags(pl_element *e, char *b, size_t n) { return read_counter(e, C_FRAGMENTS, b, n); }
static int read_good(pl_element *e, char *b, size_t n) { return read_counter(e, C_REASSEMBLED, b, n); }
static int read_bad(pl_element *e, char *b, size_t n) { return read_counter(e, C_BAD, b, n); }
static int read_failed(pl_element *e, char *buf, size_t len)
{
    uint64_t n = pl_counter_total(e, C_TIMED_OUT) + pl_counter_total(e, C_EVICTED);
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}
static int read_mem(pl_element *e, char *buf, size_t len)
{
    ra_state *s = PL_STATE(e, ra_state);
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)atomic_load_explicit(&s->mem_used, memory_order_relaxed));
}
static int read_pending(pl_element *e, char *buf, size_t len)
{
    ra_state *s = PL_STATE(e, ra_state);
    return pl_fmt(buf, len, "%u", atomic_load_explicit(&s->pending, memory_order_relaxed));
}

static const pl_param params[] = {
    {"HIMEM", PL_T_UINT, offsetof(ra_state, himem), "262144", 1024, 67108864, 0,
     "memory bound in bytes (payload held + 40 per datagram); over it, old datagrams are given "
     "up until 3/4 of it"},
    {"MAX_MEMORY", PL_T_UINT, offsetof(ra_state, max_memory), "0", 0, 67108864, 0,
     "the same bound under pktlab's name (0: HIMEM's)"},
    {"MAX_MTU_ANNO", PL_T_INT, offsetof(ra_state, mtu_anno), "-1", -1, PL_ANNO_SIZE - 2, 0,
     "byte offset of a 2-byte annotation set to the largest fragment's IP length (-1: none)"},
    {0}};

static const pl_handler handlers[] = {
    {"fragments", "fragments seen", read_frags, NULL, PL_H_CALM},
    {"reassembled", "datagrams rebuilt and sent on", read_good, NULL, PL_H_CALM},
    {"failed", "datagrams given up (timed out or evicted over HIMEM)", read_failed, NULL,
     PL_H_CALM},
    {"bad", "malformed fragments dropped", read_bad, NULL, PL_H_CALM},
    {"mem_used", "bytes held, as HIMEM counts them", read_mem, NULL, PL_H_CALM},
    {"pending", "datagrams being rebuilt", read_pending, NULL, PL_H_CALM},
    {0}};

static const pl_class ip_reassembler = {
    .name = "IPReassembler",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "IPReassembler([KEYWORDS])\n"
           "Reassembles fragmented IP packets.\n\n"
           "IP packets (at the network header annotation) that are not fragments pass on\n"
           "to output 0. Fragments are held until every part of their datagram (same\n"
           "source, destination, protocol and ID) came, in any order; the datagram then\n"
           "leaves on output 0, up to 65,535 bytes long, with the link header, IP header\n"
           "(options included), annotations and offset-0 fragment's fields, the last\n"
           "fragment's timestamp, a fresh total length and checksum. Overlapping or\n"
           "duplicate fragments are accepted as Click does: the later bytes win. A\n"
           "fragment past the end the last fragment set is dropped (past_end). Malformed\n"
           "fragments (bad length, a middle fragment not a multiple of 8 bytes, an end\n"
           "past 65,535) are dropped (bad).\n"
           "A datagram whose fragments stop coming for 30 seconds (by the packets'\n"
           "timestamps; a fragment without one gets the time of day) is given up, and so\n"
           "are old datagrams when the memory held passes HIMEM (until it is under 3/4\n"
           "of it, oldest first): each goes to output 1 when connected, as one packet\n"
           "with the fragments received at their offsets (for ICMPError(..., timeexceeded,\n"
           "reassembly)), else it is dropped (given_up).\n"
           "Keywords: HIMEM (bytes, default 256K), MAX_MEMORY (the same), MAX_MTU_ANNO\n"
           "(annotation byte offset set to the largest fragment length).\n"
           "Counters: bad, past_end, nobufs, given_up, unfinished (held at stop) (drops);\n"
           "fragments, reassembled, timed_out, evicted.\n"
           "Handlers: fragments, reassembled, failed, bad, mem_used, pending.\n\n"
           "Example: FromDump(frags.pcap, STOP true) -> Strip(14) -> CheckIPHeader\n"
           "  -> r :: IPReassembler(HIMEM 1000000) -> ToDump(whole.pcap, ENCAP IP);\n"
           "  r[1] -> ICMPError(10.0.0.1, timeexceeded, reassembly) -> Discard;",
    .state_size = sizeof(ra_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 5,
    .configure = ra_configure,
    .cleanup = ra_cleanup,
    .push = ra_push,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(ip_reassembler);
