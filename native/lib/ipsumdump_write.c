/* Writing a packet's IP summary dump line, as Click's ToIPSummaryDump. */
#include "ipsumdump.h"
#include "../core/anno.h"
#include "icmp_names.h"
#include "netpkt.h"
#include "timestamp.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    pl_packet *p;
    const uint8_t *ip, *tcp, *udp, *icmp;
    uint32_t tailpad;
    pl_isd_out *bad;
    int careful_trunc, force_extra;
} desc;

static uint32_t length(const desc *d) { return d->p->len - d->tailpad; }
static uint32_t net_length(const desc *d) { return pl_net_length(d->p) - d->tailpad; }
static uint32_t toff(const desc *d) { return pl_ip_hl(d->ip); }
static uint32_t transport_length(const desc *d)
{
    uint32_t nl = net_length(d), h = toff(d);
    return nl > h ? nl - h : 0;
}

static void badf(desc *d, const char *fmt, unsigned v)
{
    if (d->bad && !d->bad->len) {
        char b[80];
        snprintf(b, sizeof b, fmt, v);
        pl_isd_puts(d->bad, "!bad ");
        pl_isd_puts(d->bad, b);
        pl_isd_putc(d->bad, '\n');
    }
}

enum { MISSING_IP = 0, TCP_OR_UDP = 1000 };

/* Click's field_missing: always false (print '-'), noting why on the bad line. */
static int missing(desc *d, int proto, uint32_t l)
{
    if (!d->bad || d->bad->len)
        return 0;
    static const char *const names[] = {"TCP", "UDP", "ICMP", "TCP/UDP", "?"};
    const char *name = proto == 6 ? names[0] : proto == 17 ? names[1] : proto == 1 ? names[2]
                       : proto == TCP_OR_UDP ? names[3] : names[4];
    char b[80];
    if (!d->ip) {
        badf(d, "no IP header%.0u", 0);
        return 0;
    }
    if (proto == MISSING_IP) {
        badf(d, "truncated IP header capture%.0u", 0);
        return 0;
    }
    if (net_length(d) > 9 && ((proto < 256 && d->ip[9] != proto)
                              || (proto == TCP_OR_UDP && d->ip[9] != 6 && d->ip[9] != 17)))
        return 0;                 /* the wrong protocol is not a bad packet */
    uint32_t extra = pl_anno_u32(d->p, PL_ANNO_EXTRA_LENGTH);
    if (!pl_ip_first_fragment(d->ip))
        snprintf(b, sizeof b, "fragmented %s header", name);
    else if (transport_length(d) + extra >= l)
        snprintf(b, sizeof b, "truncated %s header capture", name);
    else
        snprintf(b, sizeof b, "truncated %s header", name);
    badf(d, "%s", 0);
    d->bad->len = 0;
    pl_isd_puts(d->bad, "!bad ");
    pl_isd_puts(d->bad, b);
    pl_isd_putc(d->bad, '\n');
    return 0;
}

/* Click's ip_prepare: find the headers, note bad ones, settle the extra length. */
static void prepare(desc *d)
{
    pl_packet *p = d->p;
    d->ip = p->net_off != PL_OFF_UNSET ? pl_net_header(p) : NULL;
    if (d->ip && (d->ip < p->data || d->ip > p->data + p->len))
        d->ip = NULL;
    if (!d->ip)
        return;
    uint32_t nl = pl_net_length(p);
    const uint8_t *ip = d->ip;
    uint32_t extra = pl_anno_u32(p, PL_ANNO_EXTRA_LENGTH);
    if (nl < 4)
        badf(d, "truncated IP header%.0u", 0), d->ip = NULL;
    else if (ip[0] >> 4 != 4)
        badf(d, "IP version %u", ip[0] >> 4), d->ip = NULL;
    else if ((ip[0] & 15) < 5)
        badf(d, "IP header length %u", ip[0] & 15), d->ip = NULL;
    else if (pl_rd16(ip + 2) < pl_ip_hl(ip))
        badf(d, "IP length %u", pl_rd16(ip + 2)), d->ip = NULL;
    else {
        uint32_t ip_len = pl_rd16(ip + 2);
        if (nl > ip_len) {
            extra += nl - ip_len;
            pl_anno_set_u32(p, PL_ANNO_EXTRA_LENGTH, extra);
            d->tailpad = nl - ip_len;
        } else if (d->careful_trunc && nl + extra < ip_len) {
            badf(d, "truncated IP missing %u", ip_len - nl - extra);
        }
    }
    if (!d->ip)
        return;
    uint32_t hl = pl_ip_hl(ip), nlt = net_length(d);
    int first = pl_ip_first_fragment(ip);
    const uint8_t *t = ip + hl;
    if (nlt > hl && first) {
        if (ip[9] == 6) {
            d->tcp = t;
            if (transport_length(d) > 12 && (t[12] >> 4) < 5)
                badf(d, "TCP header length %u", t[12] >> 4), d->tcp = NULL;
        } else if (ip[9] == 17) {
            d->udp = t;
        } else if (ip[9] == 1) {
            d->icmp = t;
        }
    }
    extra = pl_anno_u32(p, PL_ANNO_EXTRA_LENGTH);
    if (extra > 0) {
        uint32_t full = nlt + extra;
        pl_anno_set_u32(p, PL_ANNO_EXTRA_LENGTH,
                        pl_rd16(ip + 2) != 0xffff || full <= 0xffff ? 0 : full - 0xffff);
    }
}

static void num(pl_isd_out *o, unsigned long long v)
{
    char b[24];
    snprintf(b, sizeof b, "%llu", v);
    pl_isd_puts(o, b);
}

static void ts(pl_isd_out *o, int64_t ns)
{
    char b[40];
    pl_ts_format(b, sizeof b, ns);
    pl_isd_puts(o, b);
}

static void ipaddr(pl_isd_out *o, const uint8_t *a)
{
    char b[20];
    snprintf(b, sizeof b, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    pl_isd_puts(o, b);
}

/* One field: 1 printed, 0 missing ('-'). */
static int field(desc *d, int id, pl_isd_out *o)
{
    pl_packet *p = d->p;
    const uint8_t *ip = d->ip;
    uint32_t nl = ip ? net_length(d) : 0, tl = ip ? transport_length(d) : 0;
    int64_t t = pl_ts_get(&p->timestamp);
    uint64_t first;
#define CHECK(l) do { if (!ip || nl < (l)) return missing(d, MISSING_IP, (l)); } while (0)
#define TCHECK(h, proto, l) do { if (!(h) || tl < (l)) return missing(d, proto, (l)); } while (0)
    switch (id) {
    case PL_ISD_TIMESTAMP: case PL_ISD_NTIMESTAMP: ts(o, t); return 1;
    case PL_ISD_TS_SEC: num(o, (unsigned long long)(t / 1000000000)); return 1;
    case PL_ISD_TS_USEC: num(o, (unsigned long long)(t % 1000000000 / 1000)); return 1;
    case PL_ISD_TS_USEC1: num(o, (unsigned long long)(t / 1000)); return 1;
    case PL_ISD_FIRST_TIMESTAMP:
        memcpy(&first, p->anno + PL_ANNO_FIRST_TIMESTAMP, 8);
        ts(o, (int64_t)first);
        return 1;
    case PL_ISD_COUNT: num(o, 1ull + pl_anno_u32(p, PL_ANNO_EXTRA_PACKETS)); return 1;
    case PL_ISD_LINK: case PL_ISD_PAINT: num(o, p->paint); return 1;
    case PL_ISD_DIRECTION:
        if (p->paint < 2)
            pl_isd_putc(o, p->paint ? '<' : '>');
        else
            num(o, p->paint);
        return 1;
    case PL_ISD_AGGREGATE: num(o, pl_anno_u32(p, PL_ANNO_AGGREGATE)); return 1;
    case PL_ISD_WIRE_LEN: num(o, p->len); return 1;
    case PL_ISD_IP_SRC: CHECK(16); ipaddr(o, ip + 12); return 1;
    case PL_ISD_IP_DST: CHECK(20); ipaddr(o, ip + 16); return 1;
    case PL_ISD_IP_TOS: CHECK(2); num(o, ip[1]); return 1;
    case PL_ISD_IP_DSCP: CHECK(2); num(o, ip[1] >> 2); return 1;
    case PL_ISD_IP_ECN: {
        static const char *const e[] = {"no", "ect1", "ect2", "ce"};
        CHECK(2);
        pl_isd_puts(o, e[ip[1] & 3]);
        return 1;
    }
    case PL_ISD_IP_TTL: CHECK(9); num(o, ip[8]); return 1;
    case PL_ISD_IP_FRAG:
        CHECK(8);
        pl_isd_putc(o, pl_ip_is_fragment(ip) ? (pl_ip_first_fragment(ip) ? 'F' : 'f')
                                             : (ip[6] & 0x40 ? '!' : '.'));
        return 1;
    case PL_ISD_IP_FRAGOFF: {
        CHECK(8);
        uint16_t off = pl_rd16(ip + 6);
        num(o, (unsigned)(off & 0x1fff) << 3);
        if (off & 0x2000)
            pl_isd_putc(o, '+');
        if (off & 0x4000)
            pl_isd_putc(o, '!');
        return 1;
    }
    case PL_ISD_IP_ID: CHECK(6); num(o, pl_rd16(ip + 4)); return 1;
    case PL_ISD_IP_SUM: CHECK(12); num(o, pl_rd16(ip + 10)); return 1;
    case PL_ISD_IP_PROTO:
        CHECK(10);
        if (ip[9] == 6 || ip[9] == 17 || ip[9] == 1)
            pl_isd_putc(o, ip[9] == 6 ? 'T' : ip[9] == 17 ? 'U' : 'I');
        else
            num(o, ip[9]);
        return 1;
    case PL_ISD_IP_HL: CHECK(1); num(o, pl_ip_hl(ip)); return 1;
    case PL_ISD_IP_LEN:
        num(o, (ip ? pl_rd16(ip + 2) : length(d))
                   + (d->force_extra ? pl_anno_u32(p, PL_ANNO_EXTRA_LENGTH) : 0));
        return 1;
    case PL_ISD_IP_CAPTURE_LEN: {
        uint32_t allow = ip ? nl : length(d), len = ip ? pl_rd16(ip + 2) : allow;
        num(o, len < allow ? len : allow);
        return 1;
    }
    case PL_ISD_IP_OPT: {
        uint32_t hl = ip ? pl_ip_hl(ip) : 20;
        if (!ip || (hl > 20 && nl < hl))
            return missing(d, MISSING_IP, hl);
        if (hl <= 20)
            pl_isd_putc(o, '.');
        else
            pl_isd_ip_opt_text(o, ip + 20, (int)hl - 20);
        return 1;
    }
    case PL_ISD_SPORT: case PL_ISD_DPORT: {
        uint32_t need = id == PL_ISD_DPORT ? 4 : 2;
        int pr = ip ? ip[9] : 0;
        if (ip && nl > pl_ip_hl(ip) && pl_ip_first_fragment(ip)
            && (pr == 6 || pr == 17 || pr == 33 || pr == 136) && tl >= need) {
            num(o, pl_rd16(ip + pl_ip_hl(ip) + need - 2));
            return 1;
        }
        return missing(d, TCP_OR_UDP, need);
    }
    case PL_ISD_TCP_SEQ: TCHECK(d->tcp, 6, 8); num(o, pl_rd32(d->tcp + 4)); return 1;
    case PL_ISD_TCP_ACK: TCHECK(d->tcp, 6, 12); num(o, pl_rd32(d->tcp + 8)); return 1;
    case PL_ISD_TCP_OFF: TCHECK(d->tcp, 6, 13); num(o, (unsigned)(d->tcp[12] >> 4) << 2); return 1;
    case PL_ISD_TCP_FLAGS: {
        TCHECK(d->tcp, 6, 14);
        unsigned v = d->tcp[13] | (unsigned)(d->tcp[12] & 15) << 8;
        if (v == 0x18)
            pl_isd_puts(o, "PA");
        else if (v == 0x10)
            pl_isd_putc(o, 'A');
        else if (!v)
            pl_isd_putc(o, '.');
        else
            for (int i = 0; i < 9; i++)
                if (v & (1u << i))
                    pl_isd_putc(o, "FSRPAUECN"[i]);
        return 1;
    }
    case PL_ISD_TCP_WINDOW: TCHECK(d->tcp, 6, 16); num(o, pl_rd16(d->tcp + 14)); return 1;
    case PL_ISD_TCP_URP: TCHECK(d->tcp, 6, 20); num(o, pl_rd16(d->tcp + 18)); return 1;
    case PL_ISD_TCP_OPT: {
        unsigned off = d->tcp ? (unsigned)(d->tcp[12] >> 4) << 2 : 0;
        if (!d->tcp || tl < 13 || (off > 20 && tl < off))
            return missing(d, 6, tl + 1);
        if (off <= 20)
            pl_isd_putc(o, '.');
        else
            pl_isd_tcp_opt_text(o, d->tcp + 20, (int)off - 20);
        return 1;
    }
    case PL_ISD_UDP_LEN: TCHECK(d->udp, 17, 6); num(o, pl_rd16(d->udp + 4)); return 1;
    case PL_ISD_ICMP_TYPE: TCHECK(d->icmp, 1, 1); num(o, d->icmp[0]); return 1;
    case PL_ISD_ICMP_CODE: TCHECK(d->icmp, 1, 2); num(o, d->icmp[1]); return 1;
    case PL_ISD_ICMP_TYPE_NAME: {
        TCHECK(d->icmp, 1, 1);
        const char *n = pl_icmp_type_name(d->icmp[0]);
        if (n)
            pl_isd_puts(o, n);
        else
            num(o, d->icmp[0]);
        return 1;
    }
    case PL_ISD_ICMP_CODE_NAME: {
        TCHECK(d->icmp, 1, 2);
        const char *n = pl_icmp_code_name(d->icmp[0], d->icmp[1]);
        if (n)
            pl_isd_puts(o, n);
        else
            num(o, d->icmp[1]);
        return 1;
    }
    case PL_ISD_ICMP_FLOWID: case PL_ISD_ICMP_SEQ:
        TCHECK(d->icmp, 1, 1);
        if (d->icmp[0] >= 32 || !((1u << d->icmp[0]) & 0x1e101u))
            return 0;
        TCHECK(d->icmp, 1, id == PL_ISD_ICMP_SEQ ? 8 : 6);
        num(o, pl_rd16(d->icmp + (id == PL_ISD_ICMP_SEQ ? 6 : 4)));
        return 1;
    case PL_ISD_ICMP_NEXTMTU:
        TCHECK(d->icmp, 1, 2);
        if (d->icmp[0] != 3 || d->icmp[1] != 4)
            return 0;
        TCHECK(d->icmp, 1, 8);
        num(o, pl_rd16(d->icmp + 6));
        return 1;
    case PL_ISD_PAYLOAD_LEN: case PL_ISD_PAYLOAD: {
        int64_t off;
        uint32_t len;
        if (ip) {
            len = pl_rd16(ip + 2);
            off = (ip - p->data) + pl_ip_hl(ip);
            if (pl_ip_first_fragment(ip)) {
                if (ip[9] == 6) {
                    unsigned th = (unsigned)(ip[pl_ip_hl(ip) + 12] >> 4) << 2;
                    off += tl >= 13 && th >= 20 ? th : 20;
                } else if (ip[9] == 17 || ip[9] == 136) {
                    off += 8;
                }
            }
            len -= (uint32_t)(off - (ip - p->data));
        } else {
            off = 0;
            len = length(d);
        }
        if (id == PL_ISD_PAYLOAD_LEN) {
            if (!ip || d->force_extra)
                len += pl_anno_u32(p, PL_ANNO_EXTRA_LENGTH);
            num(o, len);
            return 1;
        }
        if (len && off >= (int64_t)p->len)
            return 0;
        if (off + len > length(d))
            len = length(d) > off ? (uint32_t)(length(d) - off) : 0;
        pl_isd_quote(o, p->data + off, len);
        return 1;
    }
    default:
        return 0;
    }
#undef CHECK
#undef TCHECK
}

void pl_isd_write_line(const pl_isd_field *const *fields, int n, pl_packet *p, int careful_trunc,
                       int extra_length, pl_isd_out *o, pl_isd_out *bad)
{
    desc d = {.p = p, .bad = bad, .careful_trunc = careful_trunc, .force_extra = extra_length};
    for (int i = 0; i < n; i++)
        if (fields[i]->id >= PL_ISD_IP_SRC) {
            prepare(&d);
            break;
        }
    for (int i = 0; i < n; i++) {
        if (i)
            pl_isd_putc(o, ' ');
        size_t at = o->len;
        if (!field(&d, fields[i]->id, o)) {
            o->len = at;
            pl_isd_putc(o, '-');
        }
    }
    pl_isd_putc(o, '\n');
}
