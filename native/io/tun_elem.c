/* KernelTun and KernelTap: what both classes share (see tun_elem.h). */
#include "tun_elem.h"

#include "../lib/iputil.h"
#include "../lib/netpkt.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

const char *const pl_ktun_counters[] = {"no_ip_header", "bad_version", "too_small", "too_long",
                                        "write_errors", "nobufs", "bad", "sent", "received",
                                        NULL};

#define ETHERTYPE_IP6 0x86dd

int pl_ktun_configure(pl_element *e, pl_error *err)
{
    ktun_state *s = PL_STATE(e, ktun_state);
    int len;
    if (pl_parse_net_prefix(s->addr, &s->near, &s->mask, &len))
        return pl_seterr(err, PL_ERR_CONFIG, e, "ADDR", "'%s' is not an IP prefix (ADDR/MASK)",
                         s->addr);
    if (s->gw && (s->gw & s->mask) != (s->near & s->mask))
        return pl_seterr(err, PL_ERR_CONFIG, e, "GATEWAY", "bad GATEWAY: not on ADDR's network");
    if (s->headroom > PL_HEADROOM)
        return pl_seterr(err, PL_ERR_CONFIG, e, "HEADROOM",
                         "HEADROOM %llu: pktlab's buffers keep %d bytes of headroom, no more",
                         (unsigned long long)s->headroom, PL_HEADROOM);
    const char *name = *s->devname ? s->devname : s->dev_name;
    static const uint8_t zero[6];
    if (pl_element_dry(e))             /* pktlab check: nothing opened */
        return 0;
    if (pl_tun_open(&s->t, *name ? name : NULL, s->tap, e, err))
        return err->status;
    s->rx_room = PL_TUN_PI + (uint32_t)s->mtu + (s->tap ? 14 : 0);
    if (pl_tun_setup(&s->t, s->near, s->mask, memcmp(s->ether, zero, 6) ? s->ether : NULL,
                     (uint32_t)s->mtu, e, err) ||
        (s->gw && pl_tun_default_route(&s->t, s->gw, e, err))) {
        pl_tun_close(&s->t);
        return err->status;
    }
    return 0;
}

void pl_ktun_cleanup(pl_element *e)
{
    pl_tun_close(&PL_STATE(e, ktun_state)->t);
}

/* Click's fake_pcap_force_ip for raw IP: an IPv4 header whose length fits,
 * or a whole IPv6 header; marks it (and the IPv4 destination annotation). */
static int force_ip(pl_packet *p)
{
    if (p->len < 1)
        return 0;
    unsigned v = p->data[0] >> 4;
    if (v == 4 && p->len >= 20 && pl_ip_hl(p->data) >= 20 && pl_ip_hl(p->data) <= p->len) {
        pl_set_net_header(p, p->data);
        memcpy(&p->dst_ip, p->data + 16, 4);
        return 1;
    }
    if (v == 6 && p->len >= 40) {
        pl_set_net_header(p, p->data);
        return 1;
    }
    return 0;
}

uint32_t pl_ktun_run(pl_element *e, pl_ctx *ctx)
{
    ktun_state *s = PL_STATE(e, ktun_state);
    uint32_t moved = 0;
    /* A pull input: write what the upstream queue has (the device never
     * refuses for long: the kernel queues or drops and counts). */
    if (pl_input_is_pull(e, 0)) {
        pl_packet *b = pl_input_pull(ctx, e, 0, (uint32_t)PL_LIVE(s->burst));
        if (b) {
            moved += b->b_count;
            pl_ktun_push(e, 0, b, ctx);
        }
    }
    pl_packet *good = NULL, *bad = NULL;
    uint32_t n = 0, burst = (uint32_t)PL_LIVE(s->burst);
    uint64_t now = 0;
    while (n < burst) {
        pl_packet *p = pl_packet_alloc_len(ctx->pool, s->rx_room);
        if (!p)
            break;                        /* the kernel keeps the packet meanwhile */
        ssize_t cc = read(s->t.fd, p->data, s->rx_room);
        if (cc <= (ssize_t)PL_TUN_PI) {
            int en = errno;
            pl_packet_free(ctx->pool, p);
            /* As Click's: every error logged, but ENOBUFS once with IGNORE_QUEUE_OVERFLOWS. */
            if (cc < 0 && en != EAGAIN && en != EWOULDBLOCK &&
                (!__atomic_exchange_n(&s->warned_read, 1, __ATOMIC_RELAXED) || !s->ignore_q ||
                 en != ENOBUFS)) {
                pl_log(e->eng, "%s: read from %s: %s", PL_NAME(e), s->t.name, strerror(en));
            }
            break;
        }
        if (!n)
            now = pl_engine_realtime_ns(e->eng);
        n++;
        p->len = (uint32_t)cc;
        uint16_t proto = pl_rd16(p->data + 2);
        pl_packet_pull(p, PL_TUN_PI);
        p->timestamp = now;
        if (s->tap) {
            p->mac_off = (uint16_t)(p->data - p->buf);
            pl_batch_append(&good, p);
        } else if ((proto == PL_ETHERTYPE_IP || proto == ETHERTYPE_IP6) && force_ip(p)) {
            pl_batch_append(&good, p);
        } else
            pl_batch_append(&bad, p);
    }
    if (n) {
        atomic_fetch_add_explicit(&s->selected, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&s->packets, n, memory_order_relaxed);
        pl_count(ctx, e, KT_RECEIVED, n);
    }
    if (good)
        pl_output_source(ctx, e, 0, good);
    if (bad) {
        if (e->noutputs > 1)
            pl_output_source(ctx, e, 1, bad);
        else
            pl_drop_batch(ctx, e, KT_BAD, bad);
    }
    return moved + n;
}

/* Write one packet: -1 when it was freed and counted here, else the drop
 * reason to free it under. */
static int write_one(pl_element *e, ktun_state *s, pl_packet *p, pl_ctx *ctx)
{
    uint16_t proto;
    uint32_t check;
    if (s->tap) {
        if (p->len < 14)
            return KT_TOO_SMALL;
        check = p->len - 14;
        proto = pl_rd16(p->data + 12);
    } else {
        uint8_t *ip = pl_net_header(p);
        uint32_t nl = pl_net_length(p);
        if (p->net_off == PL_OFF_UNSET || nl < 20)
            return KT_NO_IP;
        unsigned v = ip[0] >> 4;
        if (v != 4 && v != 6)
            return KT_VERSION;
        pl_packet_pull(p, (uint32_t)(ip - p->data));   /* strip link headers */
        check = p->len;
        proto = v == 4 ? PL_ETHERTYPE_IP : ETHERTYPE_IP6;
    }
    if (check > s->mtu)
        return KT_TOO_LONG;
    if (pl_headroom(p) < PL_TUN_PI || pl_packet_shared(p)) {
        p = pl_grow(ctx, e, KT_NOBUFS, p, PL_TUN_PI, 0, 1);
        if (!p)
            return -1;                    /* counted and freed there (nobufs) */
    } else
        pl_packet_push(p, PL_TUN_PI);
    pl_wr16(p->data, 0);
    pl_wr16(p->data + 2, proto);
    ssize_t want = (ssize_t)p->len, w = write(s->t.fd, p->data, p->len);
    int en = errno;
    pl_packet_free(ctx->pool, p);
    if (w != want) {
        /* Logged as Click's (ENOBUFS once with IGNORE_QUEUE_OVERFLOWS); all counted. */
        if (!__atomic_exchange_n(&s->warned_write, 1, __ATOMIC_RELAXED) || !s->ignore_q ||
            en != ENOBUFS) {
            pl_log(e->eng, "%s(%s): write failed: %s", PL_NAME(e), s->t.name,
                   w < 0 ? strerror(en) : "short write");
        }
        pl_count(ctx, e, KT_WRITE_ERRORS, 1);
    } else
        pl_count(ctx, e, KT_SENT, 1);
    return -1;                            /* freed and counted here */
}

void pl_ktun_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    ktun_state *s = PL_STATE(e, ktun_state);
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        int why = write_one(e, s, p, ctx);
        if (why >= 0)
            pl_drop(ctx, e, why, p);
    }
}

static int read_dev_name(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", PL_STATE(e, ktun_state)->t.name);
}

static int read_selected(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)atomic_load(&PL_STATE(e, ktun_state)->selected));
}

static int read_packets(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)atomic_load(&PL_STATE(e, ktun_state)->packets));
}

const pl_handler pl_ktun_handlers[] = {
    {.name = "dev_name", .doc = "the device's name", .read = read_dev_name, .flags = PL_H_CALM},
    {.name = "selected_calls", .doc = "runs that found packets to read", .read = read_selected},
    {.name = "packets", .doc = "packets read from the device", .read = read_packets},
    {0}};
