/* IPPrint's lines: addresses, and the TCP, UDP and ICMP parts in Click's format. */
#include "ip_print.h"
#include "../../lib/icmp_names.h"
#include "../../lib/netpkt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ipp_put(acc *a, const char *fmt, ...)
{
    if (a->k >= LINE - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(a->s + a->k, LINE - a->k, fmt, ap);
    va_end(ap);
    if (n > 0)
        a->k = a->k + (size_t)n < LINE - 1 ? a->k + (size_t)n : LINE - 1;
}

static void ipp_addr(acc *a, const uint8_t *x) { ipp_put(a, "%u.%u.%u.%u", x[0], x[1], x[2], x[3]); }

void ipp_pair(acc *a, const uint8_t *ip)
{
    ipp_addr(a, ip + 12);
    ipp_put(a, " > ");
    ipp_addr(a, ip + 16);
}

void ipp_tcp_line(acc *a, const uint8_t *ip, const uint8_t *t, int tl, const pl_packet *p)
{
    int first = pl_ip_first_fragment(ip);
    if (tl < 4 || !first) {
        ipp_pair(a, ip);
        ipp_put(a, first ? ": truncated-tcp" : ": tcp");
        return;
    }
    ipp_addr(a, ip + 12);
    ipp_put(a, ".%u > ", pl_rd16(t));
    ipp_addr(a, ip + 16);
    ipp_put(a, ".%u: ", pl_rd16(t + 2));
    if (tl < 14) {
        ipp_put(a, "truncated-tcp");
        return;
    }
    int ip_len = pl_rd16(ip + 2);
    int seqlen = ip_len - (int)pl_ip_hl(ip) - ((t[12] >> 4) << 2);
    uint8_t f = t[13];
    if (f & 0x02)
        ipp_put(a, "S"), seqlen++;
    if (f & 0x01)
        ipp_put(a, "F"), seqlen++;
    if (f & 0x04)
        ipp_put(a, "R");
    if (f & 0x08)
        ipp_put(a, "P");
    if (!(f & 0x0f))
        ipp_put(a, ".");
    uint32_t seq = pl_rd32(t + 4);
    ipp_put(a, " %u:%u(%d,%u,%d)", seq, seq + (uint32_t)seqlen, seqlen, p->len, ip_len);
    if (f & 0x10)
        ipp_put(a, " ack %u", pl_rd32(t + 8));
    if (tl < 16) {
        ipp_put(a, "truncated-tcp");
        return;
    }
    ipp_put(a, " win %u", pl_rd16(t + 14));
}

void ipp_udp_line(acc *a, const uint8_t *ip, const uint8_t *t, int tl)
{
    int first = pl_ip_first_fragment(ip);
    if (tl < 4 || !first) {
        ipp_pair(a, ip);
        ipp_put(a, first ? ": truncated-udp" : ": udp");
        return;
    }
    ipp_addr(a, ip + 12);
    ipp_put(a, ".%u > ", pl_rd16(t));
    ipp_addr(a, ip + 16);
    ipp_put(a, ".%u: ", pl_rd16(t + 2));
    if (tl < 8)
        ipp_put(a, "truncated-udp");
    else
        ipp_put(a, "udp %u", pl_rd16(t + 4));
}

static const char *ipp_proto_name(int p)
{
    switch (p) {
    case 1: return "icmp";
    case 2: return "igmp";
    case 4: return "ipip";
    case 6: return "tcp";
    case 17: return "udp";
    case 33: return "dccp";
    case 47: return "gre";
    case 132: return "sctp";
    default: return NULL;
    }
}

void ipp_icmp_line(acc *a, ipprint_state *s, const uint8_t *ip, const uint8_t *t, int tl)
{
    ipp_pair(a, ip);
    ipp_put(a, ": ");
    if (!pl_ip_first_fragment(ip)) {
        ipp_put(a, "icmp");
        return;
    }
    if (tl < 2)
        goto trunc;
    uint8_t type = t[0], code = t[1];
    const char *cn = pl_icmp_code_name(type, code);
    switch (type) {
    case 0: case 8:
        ipp_put(a, type ? "icmp echo " : "icmp echo-reply ");
        if (tl < 8)
            goto trunc;
        {
            uint16_t id, sq;
            memcpy(&id, t + 4, 2);
            memcpy(&sq, t + 6, 2);
            if (s->swap)
                id = (uint16_t)(id << 8 | id >> 8), sq = (uint16_t)(sq << 8 | sq >> 8);
            ipp_put(a, "(%u, %u)", id, sq);
        }
        return;
    case 3: {
        char cb[24];
        if (!cn) {
            snprintf(cb, sizeof cb, "code %d", code);
            cn = cb;
        }
        int elen = tl - 8;
        if (elen < 20) {
            ipp_put(a, "icmp unreachable %s ", cn);
            goto trunc;
        }
        const uint8_t *eip = t + 8;
        int eulen = elen - (int)pl_ip_hl(eip);
        ipp_put(a, "icmp ");
        ipp_addr(a, eip + 16);
        ipp_put(a, " unreachable %s", cn);
        const char *pn = ipp_proto_name(eip[9]);
        if (code == 2) {
            if (pn)
                ipp_put(a, " %s", pn);
            else
                ipp_put(a, " %d", eip[9]);
        } else if (code == 3) {
            if (pn)
                ipp_put(a, " %s", pn);
            else
                ipp_put(a, " protocol %d", eip[9]);
            if (eulen < 4)
                goto trunc;
            ipp_put(a, "/%u", pl_rd16(eip + pl_ip_hl(eip) + 2));
        } else if (code == 4 && pl_rd16(t + 6)) {
            ipp_put(a, " (mtu %u)", pl_rd16(t + 6));
        }
        return;
    }
    default: {
        const char *tn = pl_icmp_type_name(type);
        if (tn)
            ipp_put(a, "icmp %s", tn);
        else
            ipp_put(a, "icmp type %d", type);
        if (cn)
            ipp_put(a, " %s", cn);
        else if (code)
            ipp_put(a, " code %d", code);
        return;
    }
    }
trunc:
    ipp_put(a, "truncated-icmp");
}
