/* The IP summary dump fields: Click's names, synonyms and reading order. */
#include "ipsumdump.h"

#include <stdio.h>
#include <string.h>

enum { O_ANNO = 100, O_NET = 300, O_TRANSP = 400, O_PAYLOAD = 500 };

static const pl_isd_field fields[] = {
    {"timestamp", PL_ISD_TIMESTAMP, O_ANNO, 1},
    {"ntimestamp", PL_ISD_NTIMESTAMP, O_ANNO, 1},
    {"ts_sec", PL_ISD_TS_SEC, O_ANNO, 1},
    {"ts_usec", PL_ISD_TS_USEC, O_ANNO, 1},
    {"ts_usec1", PL_ISD_TS_USEC1, O_ANNO, 1},
    {"first_timestamp", PL_ISD_FIRST_TIMESTAMP, O_ANNO, 1},
    {"count", PL_ISD_COUNT, O_ANNO, 1},
    {"link", PL_ISD_LINK, O_ANNO, 1},
    {"paint", PL_ISD_PAINT, O_ANNO, 1},
    {"direction", PL_ISD_DIRECTION, O_ANNO, 1},
    {"aggregate", PL_ISD_AGGREGATE, O_ANNO, 1},
    {"wire_len", PL_ISD_WIRE_LEN, O_ANNO, 1},
    {"ip_src", PL_ISD_IP_SRC, O_NET, 1},
    {"ip_dst", PL_ISD_IP_DST, O_NET, 1},
    {"ip_tos", PL_ISD_IP_TOS, O_NET, 1},
    {"ip_dscp", PL_ISD_IP_DSCP, O_NET, 1},
    {"ip_ecn", PL_ISD_IP_ECN, O_NET, 1},
    {"ip_ttl", PL_ISD_IP_TTL, O_NET, 1},
    {"ip_frag", PL_ISD_IP_FRAG, O_NET - 2, 1},
    {"ip_fragoff", PL_ISD_IP_FRAGOFF, O_NET - 1, 1},
    {"ip_id", PL_ISD_IP_ID, O_NET, 1},
    {"ip_sum", PL_ISD_IP_SUM, O_NET + 2, 1},
    {"ip_proto", PL_ISD_IP_PROTO, O_NET, 1},
    {"ip_hl", PL_ISD_IP_HL, O_NET - 1, 1},
    {"ip_len", PL_ISD_IP_LEN, O_NET + 1, 1},
    {"ip_capture_len", PL_ISD_IP_CAPTURE_LEN, O_PAYLOAD + 2, 1},
    {"ip_opt", PL_ISD_IP_OPT, O_NET, 1},
    {"sport", PL_ISD_SPORT, O_TRANSP, 1},
    {"dport", PL_ISD_DPORT, O_TRANSP, 1},
    {"tcp_seq", PL_ISD_TCP_SEQ, O_TRANSP, 1},
    {"tcp_ack", PL_ISD_TCP_ACK, O_TRANSP, 1},
    {"tcp_off", PL_ISD_TCP_OFF, O_TRANSP - 1, 1},
    {"tcp_flags", PL_ISD_TCP_FLAGS, O_TRANSP, 1},
    {"tcp_window", PL_ISD_TCP_WINDOW, O_TRANSP, 1},
    {"tcp_urp", PL_ISD_TCP_URP, O_TRANSP, 1},
    {"tcp_opt", PL_ISD_TCP_OPT, O_TRANSP + 3, 1},
    {"udp_len", PL_ISD_UDP_LEN, O_TRANSP, 1},
    {"icmp_type", PL_ISD_ICMP_TYPE, O_TRANSP, 1},
    {"icmp_code", PL_ISD_ICMP_CODE, O_TRANSP + 1, 1},
    {"icmp_type_name", PL_ISD_ICMP_TYPE_NAME, O_TRANSP, 1},
    {"icmp_code_name", PL_ISD_ICMP_CODE_NAME, O_TRANSP + 1, 1},
    {"icmp_flowid", PL_ISD_ICMP_FLOWID, O_TRANSP + 2, 1},
    {"icmp_seq", PL_ISD_ICMP_SEQ, O_TRANSP + 2, 1},
    {"icmp_nextmtu", PL_ISD_ICMP_NEXTMTU, O_TRANSP + 2, 1},
    {"payload_len", PL_ISD_PAYLOAD_LEN, O_PAYLOAD, 1},
    {"payload", PL_ISD_PAYLOAD, O_PAYLOAD, 1},
    {0, 0, 0, 0}};

static const char *const synonyms[][2] = {
    {"utimestamp", "timestamp"}, {"ts", "utimestamp"}, {"sec", "ts_sec"},
    {"usec", "ts_usec"}, {"usec1", "ts_usec1"}, {"first_utimestamp", "first_timestamp"},
    {"first_ts", "first_utimestamp"}, {"pkt_count", "count"}, {"packet_count", "count"},
    {"agg", "aggregate"}, {"wire_length", "wire_len"}, {"length", "ip_len"},
    {"ip_p", "ip_proto"}, {"tcp_seqno", "tcp_seq"}, {"tcp_ackno", "tcp_ack"},
    {"tcp_win", "tcp_window"}, {"udp_length", "udp_len"}, {0, 0}};

/* Click's fields that pktlab does not offer: named in the error. */
static const char *const unsupported[] = {
    "first_ntimestamp", "tcp_ntopt", "tcp_sack", "payload_md5", "payload_md5_hex",
    "eth_src", "eth_dst", "eth_type", "ip6_src", "ip6_dst", "ip6_flow", "ip6_hlim", 0};

static const pl_isd_field *find(const char *name, int depth)
{
    if (depth > 4)
        return NULL;
    for (int i = 0; synonyms[i][0]; i++)
        if (!strcmp(name, synonyms[i][0]))
            return find(synonyms[i][1], depth + 1);
    for (const pl_isd_field *f = fields; f->name; f++)
        if (!strcmp(name, f->name))
            return f;
    char alt[80];
    size_t n = strlen(name);
    if (n + 4 > sizeof alt)
        return NULL;
    const char *sp = strchr(name, ' ');
    if (sp) {                     /* "ip src" is ip_src */
        memcpy(alt, name, n + 1);
        alt[sp - name] = '_';
        return find(alt, depth + 1);
    }
    if (!strchr(name, '_')) {     /* "src" is ip_src */
        memcpy(alt, "ip_", 3);
        memcpy(alt + 3, name, n + 1);
        return find(alt, depth + 1);
    }
    return NULL;
}

const pl_isd_field *pl_isd_find(const char *name) { return find(name, 0); }

int pl_isd_known_unsupported(const char *name)
{
    for (int i = 0; unsupported[i]; i++)
        if (!strcmp(name, unsupported[i]))
            return 1;
    return 0;
}

void pl_isd_putc(pl_isd_out *o, char c)
{
    if (o->len + 2 > o->cap)
        return;
    o->s[o->len++] = c;
    o->s[o->len] = 0;
}

void pl_isd_puts(pl_isd_out *o, const char *s)
{
    while (*s)
        pl_isd_putc(o, *s++);
}

void pl_isd_quote(pl_isd_out *o, const uint8_t *d, size_t n)
{
    pl_isd_putc(o, '"');
    for (size_t i = 0; i < n; i++) {
        uint8_t c = d[i];
        if (c == '"' || c == '\\') {
            pl_isd_putc(o, '\\');
            pl_isd_putc(o, (char)c);
        } else if (c == '\t') {
            pl_isd_puts(o, "\\t");
        } else if (c == '\r') {
            pl_isd_puts(o, "\\r");
        } else if (c == '\n') {
            pl_isd_puts(o, "\\n");
        } else if (c < 32 || c >= 127) {
            char b[8];
            snprintf(b, sizeof b, "\\%03o", c);
            pl_isd_puts(o, b);
        } else {
            pl_isd_putc(o, (char)c);
        }
    }
    pl_isd_putc(o, '"');
}

void pl_isd_tcp_opt_text(pl_isd_out *o, const uint8_t *opt, int len)
{
    size_t start = o->len;
    const uint8_t *end = opt + len;
    const char *sep = "";
    char b[48];
    while (opt < end) {
        if (*opt == 0)
            break;
        if (*opt == 1) {
            opt++;
            continue;
        }
        if (opt + 1 >= end || opt[1] < 2 || opt + opt[1] > end)
            goto bad;
        switch (*opt) {
        case 2:
            if (opt[1] != 4)
                goto bad;
            snprintf(b, sizeof b, "%smss%u", sep, (unsigned)(opt[2] << 8 | opt[3]));
            break;
        case 3:
            if (opt[1] != 3)
                goto bad;
            snprintf(b, sizeof b, "%swscale%u", sep, opt[2]);
            break;
        case 4:
            if (opt[1] != 2)
                goto bad;
            snprintf(b, sizeof b, "%ssackok", sep);
            break;
        case 5:
            if (opt[1] % 8 != 2)
                goto bad;
            b[0] = 0;
            for (const uint8_t *q = opt + 2; q < opt + opt[1]; q += 8) {
                char one[32];
                snprintf(one, sizeof one, "%ssack%u-%u", sep,
                         (unsigned)(q[0] << 24 | q[1] << 16 | q[2] << 8 | q[3]),
                         (unsigned)(q[4] << 24 | q[5] << 16 | q[6] << 8 | q[7]));
                pl_isd_puts(o, one);
                sep = ";";
            }
            break;
        case 8:
            if (opt[1] != 10)
                goto bad;
            snprintf(b, sizeof b, "%sts%u:%u", sep,
                     (unsigned)(opt[2] << 24 | opt[3] << 16 | opt[4] << 8 | opt[5]),
                     (unsigned)(opt[6] << 24 | opt[7] << 16 | opt[8] << 8 | opt[9]));
            break;
        default: {
            snprintf(b, sizeof b, "%s%u", sep, opt[0]);
            pl_isd_puts(o, b);
            for (int i = 2; i < opt[1]; i++) {
                snprintf(b, sizeof b, "%c%u", i == 2 ? '=' : ':', opt[i]);
                pl_isd_puts(o, b);
            }
            b[0] = 0;
        }
        }
        pl_isd_puts(o, b);
        sep = ";";
        opt += opt[1];
    }
    if (o->len == start)
        pl_isd_putc(o, '.');
    return;
bad:
    o->len = start;
    if (o->cap)
        o->s[o->len] = 0;
    pl_isd_putc(o, '?');
}
