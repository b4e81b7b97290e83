/* IPFragmenter: fragments IP packets larger than the MTU. */
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

typedef struct {
    uint64_t mtu;
    uint8_t honor_df, verbose;
    uint64_t headroom;
} fr_state;

enum { C_DF, C_SHORT, C_NOBUFS, C_FRAGMENTS };
static const char *const counters[] = {"dont_fragment", "short", "nobufs", "fragments", NULL};

/* The header later fragments carry: options with the copy bit (RFC 791). */
static unsigned copied_header(const uint8_t *ip, unsigned hl, uint8_t out[60])
{
    memcpy(out, ip, 20);
    unsigned k = 20;
    for (unsigned i = 20; i < hl;) {
        unsigned t = ip[i];
        if (t == 0)
            break;
        if (t == 1) {
            i++;
            continue;
        }
        unsigned xl = i + 1 < hl ? ip[i + 1] : 0;
        if (xl < 2 || i + xl > hl)
            break;
        if (t & 0x80) {
            memcpy(out + k, ip + i, xl);
            k += xl;
        }
        i += xl;
    }
    while (k & 3)
        out[k++] = 0;
    out[0] = (uint8_t)(0x40 | k / 4);
    return k;
}

static pl_packet *make_fragment(pl_ctx *ctx, const pl_packet *orig, const uint8_t *hdr,
                                unsigned hl, const uint8_t *data, uint32_t n, uint32_t off,
                                int more, uint32_t headroom)
{
    pl_packet *q = pl_packet_alloc_len(ctx->pool, hl + n);   /* a jumbo MTU: a jumbo buffer */
    if (!q)
        return NULL;
    if (headroom + hl + n > (uint32_t)(q->buf_end - q->buf)) {
        pl_packet_free(ctx->pool, q);       /* MTU larger than a buffer: cannot be made */
        return NULL;
    }
    q->data = q->buf + headroom;
    q->len = hl + n;
    memcpy(q->data, hdr, hl);
    memcpy(q->data + hl, data, n);
    pl_wr16(q->data + 2, (uint16_t)(hl + n));
    pl_wr16(q->data + 6, (uint16_t)((off / 8) | (more ? 0x2000 : 0)));
    pl_ip_set_csum(q->data, hl);
    pl_set_net_header(q, q->data);
    q->paint = orig->paint;
    q->dst_ip = orig->dst_ip;
    q->timestamp = orig->timestamp;
    memcpy(q->anno, orig->anno, sizeof q->anno);
    return pl_batch_one(q);
}

/* Fragment p; the pieces are appended to *out. 0, or a drop reason. */
static int fragment(fr_state *s, pl_packet *p, pl_ctx *ctx, pl_packet **out, uint32_t *made)
{
    uint8_t *ip = pl_net_header(p);
    unsigned hl = pl_ip_hl(ip);
    uint32_t iplen = pl_rd16(ip + 2), nlen = pl_net_length(p);
    if (iplen > nlen)
        iplen = nlen;
    uint32_t plen = iplen - hl, mtu = (uint32_t)s->mtu;
    uint16_t frag = pl_rd16(ip + 6);
    uint32_t base = (uint32_t)(frag & 0x1fff) * 8;
    int mf = (frag & 0x2000) != 0;
    uint8_t later[60];
    unsigned lhl = copied_header(ip, hl, later);
    uint32_t first = mtu > hl ? (mtu - hl) & ~7u : 0, per = mtu > lhl ? (mtu - lhl) & ~7u : 0;
    if (per < 8)                   /* first < 8 went to output 1 before (Click's DF path) */
        return C_SHORT + 1;
    if (first >= plen) {
        /* Only the length field (or padding after the datagram) was over the
         * MTU: the datagram itself fits, as it is. */
        p->len = (uint32_t)(ip - p->data) + iplen;
        pl_batch_append(out, p);
        return 0;
    }
    pl_packet *rest = NULL;
    for (uint32_t o = first; o < plen; o += per) {
        uint32_t n = plen - o < per ? plen - o : per;
        pl_packet *q = make_fragment(ctx, p, later, lhl, ip + hl + o, n, base + o,
                                     mf || o + n < plen, (uint32_t)s->headroom);
        if (!q) {
            if (rest)
                pl_batch_free(ctx->pool, rest);
            return C_NOBUFS + 1;
        }
        pl_batch_append(&rest, q);
    }
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_batch_free(ctx->pool, rest);
        return C_NOBUFS + 1;
    }
    ip = pl_net_header(p);
    pl_wr16(ip + 2, (uint16_t)(hl + first));
    pl_wr16(ip + 6, (uint16_t)((frag & 0xc000) | (base / 8) | 0x2000));
    pl_ip_set_csum(ip, hl);
    p->len = (uint32_t)(ip - p->data) + hl + first;
    pl_batch_append(out, p);
    *made += 1 + (rest ? rest->b_count : 0);
    pl_batch_join(out, rest);
    return 0;
}

/* Fits as it is (the common case): a valid header and no more than MTU bytes. */
static inline int fits(const pl_packet *p, const void *aux)
{
    uint32_t nlen = pl_net_length(p), mtu = (uint32_t)((const fr_state *)aux)->mtu;
    const uint8_t *ip = pl_net_header(p);
    (void)ip;
    return nlen <= mtu;           /* Click: network_length() <= MTU passes, whatever it holds */
}

static void fr_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    fr_state *s = PL_STATE(e, fr_state);
    if (__builtin_expect(pl_batch_all(b, fits, s), 1)) {
        pl_output(ctx, e, 0, b);
        return;
    }
    pl_packet *out = NULL, *df = NULL;
    uint32_t made = 0;
    pl_packet *p = b;
    while (p) {
        pl_packet *next = p->next;
        uint32_t nlen = pl_net_length(p);
        const uint8_t *ip = pl_net_header(p);
        if (__builtin_expect(nlen <= s->mtu, 1)) {
            pl_batch_append(&out, p);
        } else if (__builtin_expect(nlen < 20 || pl_ip_hl(ip) < 20 || pl_ip_hl(ip) > nlen ||
                                    pl_rd16(ip + 2) < pl_ip_hl(ip), 0)) {
            /* A total length shorter than the header cannot be fragmented
             * (its payload length would be negative). */
            pl_drop(ctx, e, C_SHORT, p);
        } else if (((ip[6] & 0x40) && s->honor_df) || s->mtu < pl_ip_hl(ip) + 8 ||
                   ((s->mtu - pl_ip_hl(ip)) & ~7u) < 8) {
            if (s->verbose)
                pl_log(e->eng, "%s: IPFragmenter: packet of %u bytes has DF set", PL_NAME(e),
                       pl_rd16(ip + 2));
            if (e->noutputs > 1)
                pl_batch_append(&df, p);
            else
                pl_drop(ctx, e, C_DF, p);
        } else {
            int r = fragment(s, p, ctx, &out, &made);
            if (r)
                pl_drop(ctx, e, r - 1, p);
        }
        p = next;
    }
    if (made)
        pl_count(ctx, e, C_FRAGMENTS, made);
    if (out)
        pl_output(ctx, e, 0, out);
    if (df)
        pl_output(ctx, e, 1, df);
}

static int read_fragments(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_FRAGMENTS));
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    uint64_t n = pl_counter_total(e, C_DF) + (e->noutputs > 1 ? pl_output_total(e, 1, 0) : 0);
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static const pl_param params[] = {
    {"MTU", PL_T_UINT, offsetof(fr_state, mtu), NULL, 8, 65535, PL_P_POSITIONAL | PL_P_REQUIRED,
     "largest IP packet sent on, in bytes"},
    {"HONOR_DF", PL_T_BOOL, offsetof(fr_state, honor_df), "true", 0, -1, 0,
     "send packets with the Don't Fragment bit to output 1 instead of fragmenting them"},
    {"VERBOSE", PL_T_BOOL, offsetof(fr_state, verbose), "false", 0, -1, PL_P_LIVE,
     "log packets that could not be fragmented"},
    {"HEADROOM", PL_T_UINT, offsetof(fr_state, headroom), "128", 14, 128, 0,
     "headroom of the new fragments, for the link header"},
    {0}};

static const pl_handler handlers[] = {
    {"fragments", "fragments made (the first included)", read_fragments, NULL},
    {"drops", "packets with DF set (dropped or sent to output 1)", read_drops, NULL},
    {0}};

static const pl_class ip_fragmenter = {
    .name = "IPFragmenter",
    .ports = "1/1-2",
    .processing = "h/h",
    .doc = "IPFragmenter(MTU, [KEYWORDS])\n"
           "Fragments large IP packets.\n\n"
           "IP packets (at the network header annotation) no longer than MTU pass on.\n"
           "Longer ones are fragmented (RFC 791): the packet itself becomes the first\n"
           "fragment, with every option; the others are new packets carrying the\n"
           "options whose copy bit is set, each a multiple of 8 data bytes, with the\n"
           "packet's annotations. A fragment of a fragment keeps offsets and the\n"
           "more-fragments bit right. Packets with Don't Fragment set go to output 1\n"
           "(for ICMPError(..., unreachable, needfrag)) when HONOR_DF, dropped when it\n"
           "is unconnected.\n"
           "Counters: dont_fragment, short, nobufs (drops); fragments.\n\n"
           "Example: fr :: IPFragmenter(1500); fr[1] -> ICMPError(10.0.0.1, unreachable, "
           "needfrag, PMTU 1500) -> rt;",
    .state_size = sizeof(fr_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 3,
    .push = fr_push,
};
PL_REGISTER_CLASS(ip_fragmenter);
