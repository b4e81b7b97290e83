/* Building a packet from IP summary dump values, as Click's PacketOdesc and
 * its fields' inject functions (ipsumdump_read.c parses the text). */
#include "ipsumdump.h"
#include "checksum.h"
#include "icmp_names.h"
#include "netpkt.h"

#include <string.h>

/* ---- building ---- */

static uint8_t *pput(pl_isd_pkt *k, uint32_t n)
{
    if (k->len + n + 64 > PL_ISD_MAXPKT) {
        k->failed = 1;
        return NULL;
    }
    uint8_t *at = k->b + k->len;
    k->len += n;
    if (k->len > k->dirty)
        k->dirty = k->len;
    return at;
}

static uint8_t proto_of(const pl_isd_pkt *k) { return k->b[9]; }
static int first_frag(const pl_isd_pkt *k) { return (pl_rd16(k->b + 6) & 0x1fff) == 0; }

static int hard_make_ip(const pl_isd_reader *r, pl_isd_pkt *k)
{
    k->has_net = 1;
    if (k->len < 20) {
        if (!pput(k, 20 - k->len))
            return 0;
        k->toff = 20;
        uint8_t *ip = k->b;
        ip[0] = 0x45;
        ip[9] = (uint8_t)r->default_proto;
        pl_wr16(ip + 2, 0);
        pl_wr16(ip + 6, 0);
        ip[8] = 100;
        if (r->have_flowid) {
            memcpy(ip + 12, &r->flow_src, 4);
            memcpy(ip + 16, &r->flow_dst, 4);
        }
    }
    return 1;
}

static int make_ip(const pl_isd_reader *r, pl_isd_pkt *k, int ip_p)
{
    if ((!k->has_net || k->len < 20) && !hard_make_ip(r, k))
        return 0;
    return !ip_p || !proto_of(k) || proto_of(k) == ip_p;
}

static int hard_make_transp(const pl_isd_reader *r, pl_isd_pkt *k)
{
    int len;
    switch (proto_of(k)) {
    case 6: len = 20; break;
    case 17: case 136: len = 8; break;
    case 33: len = 12; break;
    case 1: len = 8; break;
    default: return 1;
    }
    if (k->want_len > 0 && k->want_len < k->toff + (uint32_t)len)
        len = (int)(k->want_len - k->toff);
    int tl = (int)(k->len - k->toff);
    if (tl < len) {
        int xlen = len < 4 ? 4 : len;
        if (!pput(k, (uint32_t)(xlen - tl)))
            return 0;
        if (proto_of(k) == 6 && len >= 13)
            k->b[k->toff + 12] = (uint8_t)((k->b[k->toff + 12] & 0x0f) | (5 << 4));
        if (r->have_flowid) {
            pl_wr16(k->b + k->toff, r->flow_sport);
            pl_wr16(k->b + k->toff + 2, r->flow_dport);
        }
        if (xlen > len)
            k->len -= (uint32_t)(xlen - len);
    }
    return 1;
}

static int make_transp(const pl_isd_reader *r, pl_isd_pkt *k)
{
    if (!first_frag(k))
        return 0;
    if (k->len < k->toff + 8)
        return hard_make_transp(r, k);
    return 1;
}

static int has_udp_ports(int p) { return p == 6 || p == 17 || p == 33 || p == 136; }

/* Payload offset and length as Click's payload_info (on a packet being built). */
static void payload_info(const pl_isd_pkt *k, int32_t *off, uint32_t *len)
{
    if (!k->has_net) {
        *off = 0;
        *len = k->len;
        return;
    }
    *len = pl_rd16(k->b + 2);
    *off = (int32_t)k->toff;
    if (first_frag(k)) {
        int p = proto_of(k);
        if (p == 6) {
            unsigned th = (unsigned)(k->b[k->toff + 12] >> 4) << 2;
            *off += k->len >= k->toff + 13 && th >= 20 ? (int32_t)th : 20;
        } else if (p == 17 || p == 136) {
            *off += 8;
        }
    }
    *len -= (uint32_t)*off;
}

static void account_payload_len(pl_isd_pkt *k, int32_t off, uint32_t plen)
{
    if (!k->has_net || (pl_rd16(k->b + 2) == 0 && k->want_len == 0)) {
        k->want_len = (uint32_t)off + plen;
        return;
    }
    uint32_t ip_len = pl_rd16(k->b + 2) ? pl_rd16(k->b + 2) : k->want_len;
    int delta = (int)ip_len - (int)((uint32_t)off + plen);
    uint8_t *tcp = k->b + k->toff;
    if (delta > 0 && first_frag(k) && proto_of(k) == 6 && !k->have_tcp_hl
        && k->len >= k->toff + 13 && (tcp[12] >> 4) == 5) {
        int th = delta - (delta & 3);
        if (th + 20 > 60)
            th = 40;
        uint32_t at = k->toff + 20;
        if (!pput(k, (uint32_t)th))
            return;
        memmove(k->b + at + th, k->b + at, k->len - (at + (uint32_t)th));
        memset(k->b + at, 0, (size_t)th);
        tcp[12] = (uint8_t)((tcp[12] & 0x0f) | (((20 + th) >> 2) << 4));
        delta -= th;
    }
    if (delta > 0 && !k->have_ip_hl && (k->b[0] & 15) == 5) {
        int ih = delta - (delta & 3);
        if (ih + 20 > 60)
            ih = 40;
        if (!pput(k, (uint32_t)ih))
            return;
        memmove(k->b + 20 + ih, k->b + 20, k->len - (20 + (uint32_t)ih));
        memset(k->b + 20, 0, (size_t)ih);
        k->b[0] = (uint8_t)((k->b[0] & 0xf0) | ((20 + ih) >> 2));
        k->toff = 20 + (uint32_t)ih;
    }
}

static void inject_ip(const pl_isd_reader *r, pl_isd_pkt *k, int id, pl_isd_val *x);
static void inject_transport(const pl_isd_reader *r, pl_isd_pkt *k, int id, pl_isd_val *x);

void pl_isd_inject(const pl_isd_reader *r, pl_isd_pkt *k, const pl_isd_field *f, pl_isd_val *x)
{
    uint64_t v = x->v;
    switch (f->id) {
    case PL_ISD_TIMESTAMP: case PL_ISD_NTIMESTAMP:
        k->ts = (int64_t)v, k->has_ts = 1;
        return;
    case PL_ISD_TS_SEC:
        k->ts = (int64_t)(v * 1000000000u + (uint64_t)(k->ts % 1000000000)), k->has_ts = 1;
        return;
    case PL_ISD_TS_USEC:
        k->ts = k->ts / 1000000000 * 1000000000 + (int64_t)(v % 1000000) * 1000, k->has_ts = 1;
        return;
    case PL_ISD_TS_USEC1:
        k->ts = (int64_t)(v / 1000000 * 1000000000 + v % 1000000 * 1000), k->has_ts = 1;
        return;
    case PL_ISD_FIRST_TIMESTAMP:
        k->first_ts = (int64_t)v, k->has_first_ts = 1;
        return;
    case PL_ISD_COUNT:
        k->extra_packets = v ? (uint32_t)v - 1 : 0;
        return;
    case PL_ISD_LINK: case PL_ISD_PAINT: case PL_ISD_DIRECTION:
        k->paint = (uint8_t)v;
        return;
    case PL_ISD_AGGREGATE:
        k->aggregate = (uint32_t)v;
        return;
    case PL_ISD_WIRE_LEN:
        k->want_len = (uint32_t)v;
        return;
    case PL_ISD_PAYLOAD: case PL_ISD_PAYLOAD_LEN: {
        if (make_ip(r, k, 0))
            make_transp(r, k);
        int32_t off;
        uint32_t len;
        payload_info(k, &off, &len);
        if (f->id == PL_ISD_PAYLOAD_LEN) {
            account_payload_len(k, off, (uint32_t)v);
            return;
        }
        if (!x->vp || !x->vlen)
            return;
        account_payload_len(k, off, (uint32_t)x->vlen);
        /* as Click: at the offset found before the headers grew */
        if (k->len - (uint32_t)off < x->vlen && !pput(k, (uint32_t)x->vlen - (k->len - (uint32_t)off)))
            return;
        memcpy(k->b + off, x->vp, x->vlen);
        return;
    }
    default:
        if (f->id >= PL_ISD_IP_SRC && f->id <= PL_ISD_IP_OPT)
            inject_ip(r, k, f->id, x);
        else
            inject_transport(r, k, f->id, x);
    }
}

static void inject_ip(const pl_isd_reader *r, pl_isd_pkt *k, int id, pl_isd_val *x)
{
    if (!make_ip(r, k, 0))
        return;
    uint8_t *ip = k->b;
    uint32_t v = (uint32_t)x->v;
    switch (id) {
    case PL_ISD_IP_SRC: memcpy(ip + 12, &v, 4); break;
    case PL_ISD_IP_DST: memcpy(ip + 16, &v, 4); break;
    case PL_ISD_IP_TOS: ip[1] = (uint8_t)v; break;
    case PL_ISD_IP_DSCP: ip[1] = (uint8_t)((ip[1] & 3) | ((v << 2) & 0xfc)); break;
    case PL_ISD_IP_ECN: ip[1] = (uint8_t)((ip[1] & 0xfc) | (v & 3)); break;
    case PL_ISD_IP_TTL: ip[8] = (uint8_t)v; break;
    case PL_ISD_IP_FRAG: case PL_ISD_IP_FRAGOFF: pl_wr16(ip + 6, (uint16_t)v); break;
    case PL_ISD_IP_ID: pl_wr16(ip + 4, (uint16_t)v); break;
    case PL_ISD_IP_SUM: pl_wr16(ip + 10, (uint16_t)v); break;
    case PL_ISD_IP_PROTO: ip[9] = (uint8_t)v; break;
    case PL_ISD_IP_HL: {
        k->have_ip_hl = 1;
        v = (v + 3) & ~3u;
        unsigned hl = (unsigned)(ip[0] & 15) << 2;
        if (v > hl) {
            uint32_t more = v - hl;
            if (!pput(k, more))
                return;
            k->toff = v;
            memset(k->b + k->toff - more, 0, more);
        }
        ip[0] = (uint8_t)((ip[0] & 0xf0) | ((v >> 2) & 15));
        break;
    }
    case PL_ISD_IP_OPT: {
        k->have_ip_hl = 1;
        if (!x->vp)
            return;
        uint32_t olen = (uint32_t)x->vlen, hl = (20 + olen + 3) & ~3u;
        if (k->len < hl && !pput(k, hl - k->len))
            return;
        if (hl > ((unsigned)(ip[0] & 15) << 2)) {
            k->toff = hl;
            ip[0] = (uint8_t)((ip[0] & 0xf0) | (hl >> 2));
        }
        memcpy(ip + 20, x->vp, olen);
        memset(ip + 20 + olen, 0, hl - olen - 20);
        break;
    }
    case PL_ISD_IP_LEN: k->want_len = v; break;
    default: break;               /* ip_capture_len: ignored on input, as Click */
    }
}

static void inject_transport(const pl_isd_reader *r, pl_isd_pkt *k, int id, pl_isd_val *x)
{
    uint32_t v = (uint32_t)x->v;
    int need = id >= PL_ISD_TCP_SEQ && id <= PL_ISD_TCP_OPT ? 6
               : id >= PL_ISD_ICMP_TYPE ? 1 : 0;
    if (!make_ip(r, k, need) || !make_transp(r, k))
        return;
    uint8_t *t = k->b + k->toff;
    int p = proto_of(k);
    switch (id) {
    case PL_ISD_SPORT: case PL_ISD_DPORT:
        if (p && !has_udp_ports(p))
            return;
        pl_wr16(t + (id == PL_ISD_DPORT ? 2 : 0), (uint16_t)v);
        return;
    case PL_ISD_UDP_LEN:
        if (p && p != 17 && p != 136)
            return;
        if (k->len < k->toff + 8 && !pput(k, k->toff + 8 - k->len))
            return;
        pl_wr16(t + 4, (uint16_t)v);
        return;
    case PL_ISD_TCP_SEQ: pl_wr32(t + 4, v); return;
    case PL_ISD_TCP_ACK: pl_wr32(t + 8, v); return;
    case PL_ISD_TCP_FLAGS:
        t[13] = (uint8_t)v;
        t[12] = (uint8_t)((t[12] & 0xf0) | ((v >> 8) & 15));
        return;
    case PL_ISD_TCP_OFF: {
        v = (v + 3) & ~3u;
        unsigned off = (unsigned)(t[12] >> 4) << 2;
        if (v > off && !pput(k, v - off))
            return;
        t[12] = (uint8_t)((t[12] & 0x0f) | (((v >> 2) & 15) << 4));
        return;
    }
    case PL_ISD_TCP_WINDOW: pl_wr16(t + 14, (uint16_t)v); return;
    case PL_ISD_TCP_URP: pl_wr16(t + 18, (uint16_t)v); return;
    case PL_ISD_TCP_OPT: {
        k->have_tcp_hl = 1;
        if (!x->vp || !x->vlen)
            return;
        uint32_t olen = (uint32_t)x->vlen, th = (20 + olen + 3) & ~3u;
        if (k->len - k->toff < th && !pput(k, th - (k->len - k->toff)))
            return;
        if (th > ((unsigned)(t[12] >> 4) << 2))
            t[12] = (uint8_t)((t[12] & 0x0f) | ((th >> 2) << 4));
        memcpy(t + 20, x->vp, olen);
        memset(t + 20 + olen, 0, th - 20 - olen);
        return;
    }
    default: break;
    }
    /* ICMP */
    if (k->len - k->toff < 8 && !pput(k, 8 - (k->len - k->toff)))
        return;
    int seqd = 0;
    switch (id) {
    case PL_ISD_ICMP_TYPE: case PL_ISD_ICMP_TYPE_NAME: {
        t[0] = (uint8_t)v;
        k->have_icmp_type = 1;
        uint32_t hl = pl_icmp_hl((int)v);
        if (k->len - k->toff < hl)
            pput(k, hl - (k->len - k->toff));
        return;
    }
    case PL_ISD_ICMP_CODE: case PL_ISD_ICMP_CODE_NAME:
        t[1] = (uint8_t)v;
        k->have_icmp_code = 1;
        return;
    case PL_ISD_ICMP_FLOWID: case PL_ISD_ICMP_SEQ:
        seqd = !k->have_icmp_type || (t[0] < 32 && ((1u << t[0]) & 0x1e101u));
        if (!seqd)
            return;
        if (k->len - k->toff < 8 && !pput(k, 8 - (k->len - k->toff)))
            return;
        pl_wr16(t + (id == PL_ISD_ICMP_SEQ ? 6 : 4), (uint16_t)v);
        return;
    case PL_ISD_ICMP_NEXTMTU:
        if ((k->have_icmp_type && t[0] != 3) || (k->have_icmp_code && t[1] != 4))
            return;
        if (k->len - k->toff < 8 && !pput(k, 8 - (k->len - k->toff)))
            return;
        pl_wr16(t + 6, (uint16_t)v);
        return;
    }
}

/* Click's read_packet after the fields: lengths, annotations, checksums. */
void pl_isd_finish(const pl_isd_reader *r, pl_isd_pkt *k, int checksum)
{
    if (r->have_flowid)
        make_ip(r, k, 0);
    if (!k->has_net)
        return;
    make_transp(r, k);
    uint8_t *ip = k->b;
    uint32_t ip_len = pl_rd16(ip + 2);
    if (!ip_len) {
        ip_len = k->want_len;
        if (ip_len > 0xffff)
            ip_len = 0xffff;
        else if (ip_len == 0)
            ip_len = k->len;
        pl_wr16(ip + 2, (uint16_t)ip_len);
    }
    if (proto_of(k) == 17 && first_frag(k) && !pl_rd16(k->b + k->toff + 4))
        pl_wr16(k->b + k->toff + 4, (uint16_t)(ip_len - k->toff));
    if (!checksum)
        return;
    if (ip_len > k->len && !pput(k, ip_len - k->len))
        return;
    unsigned hl = (unsigned)(ip[0] & 15) << 2;
    pl_ip_set_csum(ip, hl < 20 ? 20 : hl);
    if (pl_ip_is_fragment(ip))
        return;
    uint8_t *t = k->b + k->toff;
    uint32_t tl = k->len - k->toff;
    int p = proto_of(k);
    int at = p == 6 ? 16 : p == 17 ? 6 : p == 1 ? 2 : -1;
    if (at < 0 || tl < (uint32_t)at + 2)
        return;
    t[at] = t[at + 1] = 0;
    uint16_t c;
    if (p == 1)
        c = pl_in_cksum(t, tl);
    else
        c = (uint16_t)~pl_csum_fold(pl_csum_add(pl_pseudo_sum(ip, (uint8_t)p, tl), t, tl));
    memcpy(t + at, &c, 2);
}
