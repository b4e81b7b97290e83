/* Reading IP summary dump lines into packets, as Click's FromIPSummaryDump. */
#include "ipsumdump.h"
#include "checksum.h"
#include "icmp_names.h"
#include "netpkt.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* Parse one field's text into x; 0 or -1. */
int pl_isd_ina(const pl_isd_field *f, const char *s, size_t n, const pl_isd_pkt *k,
                     const pl_isd_reader *r, pl_isd_val *x)
{
    int64_t t;
    uint32_t a;
    int v;
    char w[40];
    x->v = 0;
    x->vp = NULL;
    switch (f->id) {
    case PL_ISD_TIMESTAMP: case PL_ISD_NTIMESTAMP: case PL_ISD_FIRST_TIMESTAMP:
        if (pl_isd_parse_time(s, n, &t))
            return -1;
        x->v = (uint64_t)t;
        return 0;
    case PL_ISD_LINK: case PL_ISD_PAINT: case PL_ISD_DIRECTION:
        if (n == 1 && (*s == '>' || *s == '<')) {
            x->v = *s == '<';
            return 0;
        }
        return pl_isd_parse_uint(s, n, &x->v) || x->v > 255 ? -1 : 0;
    case PL_ISD_IP_SRC: case PL_ISD_IP_DST:
        if (pl_isd_parse_ip(s, n, &a))
            return -1;
        x->v = a;
        return 0;
    case PL_ISD_IP_FRAG: case PL_ISD_IP_FRAGOFF: {
        if (n == 1 && strchr(".!Ff", *s)) {
            x->v = *s == '.' ? 0 : *s == '!' ? 0x4000 : *s == 'F' ? 0x2000 : 100;
            return 0;
        }
        size_t i = 0;
        uint64_t o = 0;
        while (i < n && isdigit((unsigned char)s[i]))
            o = o * 10 + (uint64_t)(s[i++] - '0');
        if (!i && !n)
            return -1;
        if (r->minor_version > 0)
            o >>= 3;
        for (; i < n; i++)
            if (s[i] == '!')
                o |= 0x4000;
            else if (s[i] == '+')
                o |= 0x2000;
            else
                return -1;
        x->v = o;
        return 0;
    }
    case PL_ISD_IP_PROTO:
        if (n == 1 && (*s == 'T' || *s == 'U' || *s == 'I')) {
            x->v = *s == 'T' ? 6 : *s == 'U' ? 17 : 1;
            return 0;
        }
        return pl_isd_parse_uint(s, n, &x->v) || x->v > 255 ? -1 : 0;
    case PL_ISD_IP_ECN:
        if (n == 1 && *s >= '0' && *s <= '3') {
            x->v = (uint64_t)(*s - '0');
            return 0;
        }
#define IS(lit) (n == sizeof lit - 1 && !memcmp(s, lit, n))
        if (IS("no") || IS("-"))
            x->v = 0;
        else if (IS("ect1") || IS("ECT(1)"))
            x->v = 1;
        else if (IS("ect2") || IS("ECT(0)"))
            x->v = 2;
        else if (IS("ce") || IS("CE"))
            x->v = 3;
        else
            return -1;
        return 0;
    case PL_ISD_TCP_FLAGS:
        if (IS("."))
            return 0;
#undef IS
        if (isdigit((unsigned char)*s))
            return pl_isd_parse_uint(s, n, &x->v) || x->v >= 0x1000 ? -1 : 0;
        for (size_t i = 0; i < n; i++) {
            const char *fl = "FSRPAUECN", *q = strchr(fl, s[i]);
            if (s[i] == 'W')                  /* the old name of CWR */
                q = fl + 7;
            if (!q || !s[i])
                return -1;
            x->v |= 1u << (q - fl);
        }
        return 0;
    case PL_ISD_TCP_OPT:
        return pl_isd_parse_tcp_opt(s, n, x);
    case PL_ISD_IP_OPT:
        return pl_isd_parse_ip_opt(s, n, x);
    case PL_ISD_ICMP_TYPE: case PL_ISD_ICMP_TYPE_NAME:
    case PL_ISD_ICMP_CODE: case PL_ISD_ICMP_CODE_NAME:
        if (n >= sizeof w)
            return -1;
        memcpy(w, s, n);
        w[n] = 0;
        if (f->id == PL_ISD_ICMP_TYPE || f->id == PL_ISD_ICMP_TYPE_NAME) {
            if (pl_icmp_type(w, &v))
                return -1;
        } else if (k->have_icmp_type) {
            if (pl_icmp_code(k->b[k->toff], w, &v))
                return -1;
        } else if (pl_isd_parse_uint(s, n, &x->v) || x->v > 255) {
            return -1;
        } else {
            v = (int)x->v;
        }
        x->v = (uint64_t)v;
        return 0;
    case PL_ISD_PAYLOAD:
        return pl_isd_parse_string(s, n, x);
    case PL_ISD_IP_TOS: case PL_ISD_IP_DSCP: case PL_ISD_IP_TTL: case PL_ISD_IP_HL:
    case PL_ISD_TCP_OFF:
        return pl_isd_parse_uint(s, n, &x->v) || x->v > 255 ? -1 : 0;
    case PL_ISD_IP_ID: case PL_ISD_IP_SUM: case PL_ISD_SPORT: case PL_ISD_DPORT:
    case PL_ISD_TCP_WINDOW: case PL_ISD_TCP_URP: case PL_ISD_ICMP_FLOWID: case PL_ISD_ICMP_SEQ:
    case PL_ISD_ICMP_NEXTMTU:
        return pl_isd_parse_uint(s, n, &x->v) || x->v > 65535 ? -1 : 0;
    case PL_ISD_TS_USEC1:
        return pl_isd_parse_uint(s, n, &x->v);
    default:                          /* 32-bit numbers */
        return pl_isd_parse_uint(s, n, &x->v) || x->v > 0xffffffffu ? -1 : 0;
    }
}


int pl_isd_reader_fields(pl_isd_reader *r, const char *line, char *warn, size_t wlen)
{
    const char *s = line, *end = line + strlen(line);
    r->nfields = 0;
    if (warn && wlen)
        warn[0] = 0;
    for (int first = 1;; first = 0) {
        while (s < end && isspace((unsigned char)*s))
            s++;
        if (s >= end)
            break;
        const char *e = pl_isd_word_end(s, end);
        char w[64];
        size_t n = (size_t)(e - s);
        if (n >= 2 && *s == '"' && e[-1] == '"')
            s++, n -= 2;
        if (n >= sizeof w)
            n = sizeof w - 1;
        memcpy(w, s, n);
        w[n] = 0;
        s = e;
        if (first && (!strcmp(w, "!data") || !strcmp(w, "!contents")))
            continue;
        const pl_isd_field *f = pl_isd_find(w);
        if (warn && !warn[0] && (!f || !f->readable))
            snprintf(warn, wlen, !f && !pl_isd_known_unsupported(w)
                     ? "unknown content type '%s'"
                     : "content type '%s' is not supported on input by pktlab", w);
        if (f && !f->readable)
            f = NULL;
        if (r->nfields < 64)
            r->fields[r->nfields++] = f;
    }
    for (int i = 0; i < r->nfields; i++)
        r->order[i] = i;
    for (int i = 1; i < r->nfields; i++) {          /* stable insertion sort by order */
        int x = r->order[i], j = i;
        int ox = r->fields[x] ? r->fields[x]->order : 100;
        while (j > 0) {
            int y = r->order[j - 1];
            if ((r->fields[y] ? r->fields[y]->order : 100) <= ox)
                break;
            r->order[j] = y;
            j--;
        }
        r->order[j] = x;
    }
    return r->nfields ? 0 : -1;
}

int pl_isd_reader_proto(pl_isd_reader *r, const char *w)
{
    static const char *const names[][2] = {{"tcp", "6"}, {"udp", "17"}, {"icmp", "1"},
                                           {"T", "6"}, {"U", "17"}, {"I", "1"}, {0, 0}};
    uint64_t v;
    for (int i = 0; names[i][0]; i++)
        if (!strcmp(w, names[i][0]))
            w = names[i][1];
    if (pl_isd_parse_uint(w, strlen(w), &v) || v > 255)
        return -1;
    r->default_proto = (int)v;
    return 0;
}

int pl_isd_reader_flowid(pl_isd_reader *r, const char *line)
{
    const char *w[6], *s = line, *end = line + strlen(line);
    size_t n[6];
    int k = 0;
    while (k < 6) {
        while (s < end && isspace((unsigned char)*s))
            s++;
        if (s >= end)
            break;
        w[k] = s;
        s = pl_isd_word_end(s, end);
        n[k] = (size_t)(s - w[k]);
        k++;
    }
    uint32_t src = 0, dst = 0;
    uint64_t sp = 0, dp = 0;
#define DASH(i) (n[i] == 1 && w[i][0] == '-')
    if (k < 5 || (pl_isd_parse_ip(w[1], n[1], &src) && !DASH(1))
        || (pl_isd_parse_uint(w[2], n[2], &sp) && !DASH(2))
        || (pl_isd_parse_ip(w[3], n[3], &dst) && !DASH(3))
        || (pl_isd_parse_uint(w[4], n[4], &dp) && !DASH(4)) || sp > 65535 || dp > 65535) {
        r->have_flowid = 0;
        return -1;
    }
#undef DASH
    if (k >= 6) {
        char p[16];
        size_t m = n[5] < sizeof p ? n[5] : sizeof p - 1;
        memcpy(p, w[5], m);
        p[m] = 0;
        pl_isd_reader_proto(r, p);
    }
    r->flow_src = src, r->flow_dst = dst;
    r->flow_sport = (uint16_t)sp, r->flow_dport = (uint16_t)dp;
    r->have_flowid = 1;
    return 0;
}

int pl_isd_read_line(const pl_isd_reader *r, const char *line, size_t n, pl_isd_pkt *k,
                     int checksum)
{
    const char *args[64];
    size_t lens[64];
    const char *s = line, *end = line + n;
    memset(k->b, 0, k->dirty);
    k->len = k->dirty = 0;
    k->has_net = 0;
    k->toff = 0;
    k->have_icmp_type = k->have_icmp_code = k->have_ip_hl = k->have_tcp_hl = 0;
    k->want_len = 0;
    k->ts = k->first_ts = 0;
    k->has_ts = k->has_first_ts = 0;
    k->paint = 0;
    k->aggregate = k->extra_packets = 0;
    k->failed = 0;
    while (s < end && isspace((unsigned char)*s))
        s++;
    for (int i = 0; i < r->nfields; i++) {
        const char *e = pl_isd_word_end(s, end);
        args[i] = s;
        lens[i] = (size_t)(e - s);
        s = e;
        while (s < end && isspace((unsigned char)*s))
            s++;
    }
    int used = 0;
    static _Thread_local pl_isd_val x;
    for (int j = 0; j < r->nfields && !k->failed; j++) {
        int i = r->order[j];
        const pl_isd_field *f = r->fields[i];
        if (!f || !lens[i] || (lens[i] == 1 && args[i][0] == '-'))
            continue;
        if (pl_isd_ina(f, args[i], lens[i], k, r, &x))
            continue;
        pl_isd_inject(r, k, f, &x);
        used++;
    }
    if (used && !k->failed)
        pl_isd_finish(r, k, checksum);
    if (k->dirty < k->len + 64)
        k->dirty = k->len + 64;
    return k->failed ? 0 : used;
}
