/*
 * Header access for network elements: byte-order helpers, the MAC and
 * network header annotations, and making room in front of a packet.
 */
#ifndef PL_NETPKT_H
#define PL_NETPKT_H

#include "../core/anno.h"
#include "../core/element.h"

#define PL_ETHER_HLEN 14
#define PL_ETHERTYPE_IP 0x0800
#define PL_ETHERTYPE_ARP 0x0806
#define PL_IP_PROTO_ICMP 1
#define PL_IP_PROTO_TCP 6
#define PL_IP_PROTO_UDP 17

static inline uint16_t pl_rd16(const uint8_t *b) { return (uint16_t)(b[0] << 8 | b[1]); }
static inline uint32_t pl_rd32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
static inline void pl_wr16(uint8_t *b, uint16_t v) { b[0] = (uint8_t)(v >> 8), b[1] = (uint8_t)v; }
static inline void pl_wr32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24), b[1] = (uint8_t)(v >> 16), b[2] = (uint8_t)(v >> 8), b[3] = (uint8_t)v;
}

/* The network header: the annotation when set, else the data start. */
static inline uint8_t *pl_net_header(const pl_packet *p)
{
    return p->net_off != PL_OFF_UNSET ? p->buf + p->net_off : p->data;
}
static inline void pl_set_net_header(pl_packet *p, const uint8_t *h)
{
    p->net_off = (uint16_t)(h - p->buf);
}
/* Bytes from the network header to the end of the packet (0 if outside). */
static inline uint32_t pl_net_length(const pl_packet *p)
{
    const uint8_t *h = pl_net_header(p), *end = p->data + p->len;
    return h >= p->data && h <= end ? (uint32_t)(end - h) : 0;
}
static inline uint8_t *pl_mac_header(const pl_packet *p)
{
    return p->mac_off != PL_OFF_UNSET ? p->buf + p->mac_off : NULL;
}

/* IPv4 header fields (ip points at the header). */
static inline unsigned pl_ip_hl(const uint8_t *ip) { return (unsigned)(ip[0] & 15) << 2; }
static inline int pl_ip_is_fragment(const uint8_t *ip) { return (pl_rd16(ip + 6) & 0x3fff) != 0; }
static inline int pl_ip_first_fragment(const uint8_t *ip) { return (pl_rd16(ip + 6) & 0x1fff) == 0; }

/* True for 255.255.255.255 and class D (multicast) addresses (network order). */
static inline int pl_ip_is_group(uint32_t a_net)
{
    uint8_t b[4];
    memcpy(b, &a_net, 4);
    return (b[0] & 0xf0) == 0xe0 || a_net == 0xffffffffu;
}

/*
 * Make p writable with at least `n` bytes of headroom, then prepend n bytes
 * (Click's push()). Header annotations follow the data. Returns p, or NULL
 * (p unchanged) when no buffer could be had or the frame would not fit.
 */
static inline pl_packet *pl_packet_push_front(pl_pool *pool, pl_packet *p, uint32_t n)
{
    if (__builtin_expect(pl_packet_shared(p), 0) && !pl_packet_uniqueify(pool, p))
        return NULL;
    if (__builtin_expect(pl_headroom(p) < n, 0)) {
        uint32_t shift = n - pl_headroom(p) + 32;
        if (pl_tailroom(p) < shift)
            return NULL;
        memmove(p->data + shift, p->data, p->len);
        p->data += shift;
        if (p->mac_off != PL_OFF_UNSET)
            p->mac_off = (uint16_t)(p->mac_off + shift);
        if (p->net_off != PL_OFF_UNSET)
            p->net_off = (uint16_t)(p->net_off + shift);
    }
    pl_packet_push(p, n);
    return p;
}

/* Make p writable (Click's uniqueify); NULL when no buffer could be had. */
static inline pl_packet *pl_packet_writable(pl_pool *pool, pl_packet *p)
{
    return __builtin_expect(pl_packet_shared(p), 0) ? pl_packet_uniqueify(pool, p) : p;
}

/*
 * The batch loop of checking elements with ports "1/1-2" (Click's
 * checked_output_push(1, p)): fn returns 0 for a packet that goes on to
 * output 0, r > 0 for a bad one (counter r - 1, a drop reason), which leaves
 * through output 1 when it is connected and is freed under its reason
 * otherwise, or -1 when fn consumed the packet itself. fn may replace *pp.
 */
typedef int (*pl_verdict_fn)(pl_element *e, pl_packet **pp, pl_ctx *ctx);

static inline void pl_push_verdict(pl_element *e, pl_packet *b, pl_ctx *ctx, pl_verdict_fn fn)
{
    pl_packet *good = NULL, *glast = NULL, *bad = NULL;
    uint32_t ng = 0;
    uint64_t gbytes = 0;
    int has1 = e->noutputs > 1;
    pl_packet *p = b;
    while (p) {
        pl_packet *next = p->next;
        pl_packet *q = p;
        int r = fn(e, &q, ctx);
        if (__builtin_expect(r == 0, 1)) {
            if (glast)
                glast->next = q;
            else
                good = q;
            glast = q;
            ng++;
            gbytes += q->len;
        } else if (r > 0) {
            if (has1)
                pl_batch_append(&bad, q);
            else
                pl_drop(ctx, e, r - 1, q);
        }
        p = next;
    }
    if (good) {
        glast->next = NULL;
        good->b_tail = glast;
        good->b_count = ng;
        good->b_bytes = gbytes;
        pl_output(ctx, e, 0, good);
    }
    if (bad)
        pl_output(ctx, e, 1, bad);
}

/* True when pred holds for every packet of b: the batch can pass untouched. */
static inline int pl_batch_all(const pl_packet *b, int (*pred)(const pl_packet *, const void *),
                               const void *aux)
{
    for (const pl_packet *p = b; p; p = p->next)
        if (!pred(p, aux))
            return 0;
    return 1;
}

/*
 * The batch loop of classifying elements (Click's classify, FastClick's
 * classify_batch), inlined with the element's own function: fn returns the
 * output of a packet, or -1 when it consumed (dropped) it. Consecutive
 * packets for the same output stay linked as they came (runs), so a batch
 * whose packets all go one way is passed on as it is. Packets for an
 * unconnected output are dropped under counter `unconnected`.
 */
typedef int (*pl_split_fn)(pl_element *e, pl_packet *p, pl_ctx *ctx, const void *aux);

static inline void pl_push_split(pl_element *e, pl_packet *b, pl_ctx *ctx, pl_split_fn fn,
                                 const void *aux, int unconnected)
{
    int nout = e->noutputs;
    pl_packet *outs[nout > 0 ? nout : 1];
    memset(outs, 0, sizeof(pl_packet *) * (size_t)(nout > 0 ? nout : 1));
    pl_packet *run = NULL, *last = NULL;
    int port = -1;
    uint32_t n = 0;
    uint64_t bytes = 0;
#define PL_SPLIT_FLUSH()                                                       \
    do {                                                                       \
        if (run) {                                                             \
            last->next = NULL;                                                 \
            run->b_tail = last;                                                \
            run->b_count = n;                                                  \
            run->b_bytes = bytes;                                              \
            if (port < nout)                                                   \
                pl_batch_join(&outs[port], run);                               \
            else                                                               \
                pl_drop_batch(ctx, e, unconnected, run);                       \
        }                                                                      \
    } while (0)
    for (pl_packet *p = b, *next; p; p = next) {
        next = p->next;
        int o = fn(e, p, ctx, aux);
        if (__builtin_expect(o < 0, 0))
            continue;
        if (__builtin_expect(o == port, 1)) {
            last->next = p;
            last = p;
            n++;
            bytes += p->len;
        } else {
            PL_SPLIT_FLUSH();
            run = last = p;
            port = o;
            n = 1;
            bytes = p->len;
        }
    }
    PL_SPLIT_FLUSH();
#undef PL_SPLIT_FLUSH
    for (int k = 0; k < nout; k++)
        if (outs[k])
            pl_output(ctx, e, k, outs[k]);
}

#endif
