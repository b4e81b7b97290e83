/* IPReassembler: rebuilds IP datagrams from their fragments (Click's). */
#include "../../lib/checksum.h"
#include "../../lib/ipreasm.h"

#define RA_TIMEOUT 30            /* seconds without news of the first fragment */
#define RA_INTERVAL 10           /* seconds between looks for old datagrams */

typedef struct {
    uint64_t himem, max_memory;
    int64_t mtu_anno;
    ra_table t;
    int64_t reap_time;
} ra_state;

/* The first six end packets here: a fragment whose bytes went into its
 * datagram is consumed (merged), as ToMemory's stored packets are. */
enum { C_BAD, C_PAST_END, C_NOBUFS, C_GIVEN_UP, C_UNFINISHED, C_MERGED,
       C_FRAGMENTS, C_REASSEMBLED, C_TIMED_OUT, C_EVICTED };
static const char *const counters[] = {"bad", "past_end", "nobufs", "given_up", "unfinished",
                                       "merged", "fragments", "reassembled", "timed_out",
                                       "evicted", NULL};

/* Datagrams given up: to output 1 when connected (Click's), else counted drops. */
static void ra_give_up(pl_element *e, pl_ctx *ctx, pl_packet **out1, pl_packet *b, int why)
{
    if (!b)
        return;
    pl_count(ctx, e, why, b->b_count);
    if (e->noutputs > 1)
        pl_batch_join(out1, b);
    else
        pl_drop_batch(ctx, e, C_GIVEN_UP, b);
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
static void ra_make(pl_element *e, ra_state *s, pl_ctx *ctx, pl_packet *p, uint32_t p_off,
                    uint32_t p_last)
{
    if (s->t.free_slot < 0) {    /* cannot happen: the slots are sized from HIMEM */
        pl_drop(ctx, e, C_NOBUFS, p);
        return;
    }
    pl_packet *q;
    if (p_off == 0) {
        if (!(q = pl_writable(ctx, e, C_NOBUFS, p)))
            return;
    } else {
        /* The datagram grows in this fragment's own buffer, so that it stays
         * the packet the graph gave (what conservation counts): a 20-byte
         * header, zeros up to the fragment's offset, then its bytes. */
        if (!(q = pl_writable(ctx, e, C_NOBUFS, p)))
            return;
        uint32_t lead = (uint32_t)(pl_net_header(q) - q->data);
        unsigned hl = pl_ip_hl(pl_net_header(q));
        uint32_t n = p_last - p_off, want = 20 + p_last, have = hl + n;
        q->data += lead;               /* no link header until the first fragment's */
        q->len = have;
        if (want > have && !(q = pl_put(ctx, e, C_NOBUFS, q, want - have)))
            return;
        memmove(q->data + 20 + p_off, q->data + hl, n);
        memset(q->data + 20, 0, p_off);   /* holes read as zeros (Click's: whatever) */
        q->len = want;
        q->data[0] = 0x45;
        pl_set_net_header(q, q->data);
        /* the timestamp stays this fragment's (Click leaves it 0: reaped at
         * the next look) */
    }
    uint8_t *qip = pl_net_header(q);
    pl_wr16(qip + 6, (uint16_t)(pl_rd16(qip + 6) & 0xe000));   /* keep MF, DF, RF */
    ra_set_mtu(s, q, pl_net_length(q), 0);
    ra_add(&s->t, q, p_off, p_last);
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
    if (ra_mem_used(&s->t) > s->t.mem_high)
        ra_give_up(e, ctx, out1, ra_evict(&s->t, now), C_EVICTED);
    int32_t *link = ra_find(&s->t, ip);
    if (*link < 0) {
        ra_make(e, s, ctx, p, (uint32_t)p_off, (uint32_t)p_last);
        return NULL;
    }
    ra_slot *sl = &s->t.slots[*link];
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
            ra_unlink(&s->t, link);
            pl_drop(ctx, e, C_NOBUFS, p);
            return NULL;
        }
        sl->q = q;
        ra_extend(&s->t, sl, z);
    }
    if (ra_add_chunk(sl, a, z) < 0) {   /* an unaligned end before more data */
        pl_drop(ctx, e, C_BAD, p);
        return NULL;
    }
    memcpy(ra_payload(sl->q) + a, pl_net_header(p) + hl, z - a);
    if (a == 0 && !(sl->q = ra_take_front(e, sl, ctx, p, s))) {
        ra_unlink(&s->t, link);   /* q was freed and counted */
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    pl_packet *q = sl->q;
    uint8_t *qip = pl_net_header(q);
    if (!mf)
        qip[6] &= (uint8_t)~0x20;
    if ((qip[6] & 0x20) || sl->first.off != 0 || sl->first.lastoff != sl->tlen) {
        pl_count(ctx, e, C_MERGED, 1);
        pl_packet_free(ctx->pool, p);
        return NULL;
    }
    uint32_t total = pl_ip_hl(qip) + sl->tlen;
    q->timestamp = p->timestamp;
    pl_count(ctx, e, C_MERGED, 1);
    pl_packet_free(ctx->pool, p);
    ra_unlink(&s->t, link);
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
        if (now >= s->reap_time) {
            ra_give_up(e, ctx, &out1, ra_expire(&s->t, now - RA_TIMEOUT), C_TIMED_OUT);
            s->reap_time = now + RA_INTERVAL;
        }
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
    if (ra_table_init(&s->t, s->himem) < 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "HIMEM",
                         "HIMEM: no memory for the datagram slots of %llu bytes",
                         (unsigned long long)s->himem);
    return 0;
}

static void ra_cleanup(pl_element *e)
{
    ra_table_destroy(&PL_STATE(e, ra_state)->t, e, C_UNFINISHED);
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
    return pl_fmt(buf, len, "%llu", (unsigned long long)ra_mem_used(&s->t));
}
static int read_pending(pl_element *e, char *buf, size_t len)
{
    ra_state *s = PL_STATE(e, ra_state);
    return pl_fmt(buf, len, "%u", atomic_load_explicit(&s->t.pending, memory_order_relaxed));
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
           "Counters: bad, past_end, nobufs, given_up, unfinished (held at stop) and\n"
           "merged (fragments freed once their bytes were in their datagram: consumed,\n"
           "not lost, as ToMemory's stored) end packets here; fragments (seen),\n"
           "reassembled, timed_out, evicted (datagrams given up).\n"
           "Handlers: fragments, reassembled, failed, bad, mem_used, pending.\n\n"
           "Example: FromDump(frags.pcap, STOP true) -> Strip(14) -> CheckIPHeader\n"
           "  -> r :: IPReassembler(HIMEM 1000000) -> ToDump(whole.pcap, ENCAP IP);\n"
           "  r[1] -> ICMPError(10.0.0.1, timeexceeded, reassembly) -> Discard;",
    .state_size = sizeof(ra_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 6,
    .configure = ra_configure,
    .cleanup = ra_cleanup,
    .push = ra_push,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(ip_reassembler);
