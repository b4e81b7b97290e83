/* IPPrint: logs a tcpdump-like line per IP packet (Click's format) and passes it on. */
#include "../../core/anno.h"
#include "../../lib/icmp_names.h"
#include "../../lib/netpkt.h"
#include "../../lib/timestamp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct {
    char *label, *contents, *payload, *outfile, *channel;
    int64_t maxlength, nbytes;
    uint8_t id, timestamp, paint, tos, ttl, swap, length, aggregate, active;
    int show;                     /* 0 none, 1 hex, 2 ascii */
    int show_payload;
    FILE *out;
} ipprint_state;

#define LINE 8192

typedef struct {
    char *s;
    size_t k;
} acc;

static void put(acc *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(acc *a, const char *fmt, ...)
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

static void addr(acc *a, const uint8_t *x) { put(a, "%u.%u.%u.%u", x[0], x[1], x[2], x[3]); }

static void pair(acc *a, const uint8_t *ip)
{
    addr(a, ip + 12);
    put(a, " > ");
    addr(a, ip + 16);
}

static int word_bool(const char *s, int *v)
{
    static const char *const yes[] = {"true", "yes", "1", "on", 0}, *const no[] = {"false", "no", "0", "off", 0};
    for (int i = 0; yes[i]; i++)
        if (!strcasecmp(s, yes[i]))
            return *v = 1, 1;
    for (int i = 0; no[i]; i++)
        if (!strcasecmp(s, no[i]))
            return *v = 0, 1;
    return 0;
}

static int ipprint_configure(pl_element *e, pl_error *err)
{
    ipprint_state *s = PL_STATE(e, ipprint_state);
    int b;
    const char *c = s->contents ? s->contents : "no";
    if (word_bool(c, &b))
        s->show = b;
    else if (!strcasecmp(c, "NONE"))
        s->show = 0;
    else if (!strcasecmp(c, "HEX"))
        s->show = 1;
    else if (!strcasecmp(c, "ASCII"))
        s->show = 2;
    else
        return pl_seterr(err, PL_ERR_CONFIG, e, "CONTENTS",
                         "bad contents value '%s'; should be 'NONE', 'HEX', or 'ASCII'", c);
    const char *p = s->payload ? s->payload : "no";
    int pv;
    if (!strcasecmp(p, "NO") || !strcasecmp(p, "FALSE"))
        pv = 0;
    else if (!strcasecmp(p, "YES") || !strcasecmp(p, "TRUE") || !strcasecmp(p, "HEX"))
        pv = 1;
    else if (!strcasecmp(p, "ASCII"))
        pv = 2;
    else
        return pl_seterr(err, PL_ERR_CONFIG, e, "PAYLOAD",
                         "bad payload value '%s'; should be 'false', 'hex', or 'ascii'", p);
    if (pv && s->show)
        return pl_seterr(err, PL_ERR_CONFIG, e, "PAYLOAD",
                         "specify at most one of PAYLOAD and CONTENTS");
    if (pv)
        s->show = pv, s->show_payload = 1;
    if (e->given & (1ull << 4))   /* NBYTES (deprecated) */
        s->maxlength = s->nbytes;
    if (s->outfile && !pl_element_dry(e)) {  /* (pktlab check: not created) */
        s->out = fopen(s->outfile, "wb");
        if (!s->out)
            return pl_seterr(err, PL_ERR_CONFIG, e, "OUTFILE", "%s: %s", s->outfile,
                             strerror(errno));
    }
    return 0;
}

static void ipprint_cleanup(pl_element *e)
{
    ipprint_state *s = PL_STATE(e, ipprint_state);
    if (s->out)
        fclose(s->out);
    s->out = NULL;
}

static void tcp_line(acc *a, const uint8_t *ip, const uint8_t *t, int tl, const pl_packet *p)
{
    int first = pl_ip_first_fragment(ip);
    if (tl < 4 || !first) {
        pair(a, ip);
        put(a, first ? ": truncated-tcp" : ": tcp");
        return;
    }
    addr(a, ip + 12);
    put(a, ".%u > ", pl_rd16(t));
    addr(a, ip + 16);
    put(a, ".%u: ", pl_rd16(t + 2));
    if (tl < 14) {
        put(a, "truncated-tcp");
        return;
    }
    int ip_len = pl_rd16(ip + 2);
    int seqlen = ip_len - (int)pl_ip_hl(ip) - ((t[12] >> 4) << 2);
    uint8_t f = t[13];
    if (f & 0x02)
        put(a, "S"), seqlen++;
    if (f & 0x01)
        put(a, "F"), seqlen++;
    if (f & 0x04)
        put(a, "R");
    if (f & 0x08)
        put(a, "P");
    if (!(f & 0x0f))
        put(a, ".");
    uint32_t seq = pl_rd32(t + 4);
    put(a, " %u:%u(%d,%u,%d)", seq, seq + (uint32_t)seqlen, seqlen, p->len, ip_len);
    if (f & 0x10)
        put(a, " ack %u", pl_rd32(t + 8));
    if (tl < 16) {
        put(a, "truncated-tcp");
        return;
    }
    put(a, " win %u", pl_rd16(t + 14));
}

static void udp_line(acc *a, const uint8_t *ip, const uint8_t *t, int tl)
{
    int first = pl_ip_first_fragment(ip);
    if (tl < 4 || !first) {
        pair(a, ip);
        put(a, first ? ": truncated-udp" : ": udp");
        return;
    }
    addr(a, ip + 12);
    put(a, ".%u > ", pl_rd16(t));
    addr(a, ip + 16);
    put(a, ".%u: ", pl_rd16(t + 2));
    if (tl < 8)
        put(a, "truncated-udp");
    else
        put(a, "udp %u", pl_rd16(t + 4));
}

static const char *proto_name(int p)
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

static void icmp_line(acc *a, ipprint_state *s, const uint8_t *ip, const uint8_t *t, int tl)
{
    pair(a, ip);
    put(a, ": ");
    if (!pl_ip_first_fragment(ip)) {
        put(a, "icmp");
        return;
    }
    if (tl < 2)
        goto trunc;
    uint8_t type = t[0], code = t[1];
    const char *cn = pl_icmp_code_name(type, code);
    switch (type) {
    case 0: case 8:
        put(a, type ? "icmp echo " : "icmp echo-reply ");
        if (tl < 8)
            goto trunc;
        {
            uint16_t id, sq;
            memcpy(&id, t + 4, 2);
            memcpy(&sq, t + 6, 2);
            if (s->swap)
                id = (uint16_t)(id << 8 | id >> 8), sq = (uint16_t)(sq << 8 | sq >> 8);
            put(a, "(%u, %u)", id, sq);
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
            put(a, "icmp unreachable %s ", cn);
            goto trunc;
        }
        const uint8_t *eip = t + 8;
        int eulen = elen - (int)pl_ip_hl(eip);
        put(a, "icmp ");
        addr(a, eip + 16);
        put(a, " unreachable %s", cn);
        const char *pn = proto_name(eip[9]);
        if (code == 2) {
            if (pn)
                put(a, " %s", pn);
            else
                put(a, " %d", eip[9]);
        } else if (code == 3) {
            if (pn)
                put(a, " %s", pn);
            else
                put(a, " protocol %d", eip[9]);
            if (eulen < 4)
                goto trunc;
            put(a, "/%u", pl_rd16(eip + pl_ip_hl(eip) + 2));
        } else if (code == 4 && pl_rd16(t + 6)) {
            put(a, " (mtu %u)", pl_rd16(t + 6));
        }
        return;
    }
    default: {
        const char *tn = pl_icmp_type_name(type);
        if (tn)
            put(a, "icmp %s", tn);
        else
            put(a, "icmp type %d", type);
        if (cn)
            put(a, " %s", cn);
        else if (code)
            put(a, " code %d", code);
        return;
    }
    }
trunc:
    put(a, "truncated-icmp");
}

static pl_packet *ipprint_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    ipprint_state *s = PL_STATE(e, ipprint_state);
    if (!PL_LIVE(s->active) || p->net_off == PL_OFF_UNSET)
        return p;
    char line[LINE];
    acc a = {line, 0};
    if (s->label && *s->label)
        put(&a, "%s: ", s->label);
    if (s->timestamp) {
        char ts[40];
        pl_ts_format(ts, sizeof ts, pl_ts_get(&p->timestamp));
        put(&a, "%s: ", ts);
    }
    if (s->aggregate)
        put(&a, "#%u", pl_anno_u32(p, PL_ANNO_AGGREGATE));
    if (s->paint)
        put(&a, "%s%d", s->aggregate ? "." : "paint ", p->paint);
    if (s->aggregate || s->paint)
        put(&a, ": ");
    const uint8_t *ip = pl_net_header(p);
    uint32_t nl = pl_net_length(p);
    if (nl < 20) {
        put(&a, "truncated-ip");
    } else {
        int ip_len = pl_rd16(ip + 2), payload_len = ip_len - (int)pl_ip_hl(ip);
        int tl = (int)nl - (int)pl_ip_hl(ip);
        if (tl > payload_len)
            tl = payload_len;
        const uint8_t *t = ip + pl_ip_hl(ip);
        if (s->id)
            put(&a, "id %u ", pl_rd16(ip + 4));
        if (s->ttl)
            put(&a, "ttl %d ", ip[8]);
        if (s->tos)
            put(&a, "tos %d ", ip[1]);
        if (s->length)
            put(&a, "length %d ", ip_len);
        if (ip[9] == 6)
            tcp_line(&a, ip, t, tl, p);
        else if (ip[9] == 17)
            udp_line(&a, ip, t, tl);
        else if (ip[9] == 1)
            icmp_line(&a, s, ip, t, tl);
        else {
            pair(&a, ip);
            put(&a, ": ip-proto-%d", ip[9]);
        }
        uint16_t off = pl_rd16(ip + 6);
        if (off & 0x3fff)
            put(&a, " (frag %u:%d@%u%s)", pl_rd16(ip + 4), payload_len, (unsigned)(off & 0x1fff) << 3,
                off & 0x2000 ? "+" : "");
        if (s->show) {
            const uint8_t *d = p->data, *end = p->data + p->len;
            if (s->show_payload) {
                d = t;
                if (pl_ip_first_fragment(ip) && ip[9] == 6)
                    d = t + ((t[12] >> 4) << 2);
                else if (pl_ip_first_fragment(ip) && ip[9] == 17)
                    d = t + 8;
            }
            int64_t bytes = s->maxlength;
            if (d >= end)
                bytes = 0;
            else if (bytes < 0 || end - d < bytes)
                bytes = end - d;
            for (int64_t i = 0; i < bytes; i++) {
                int grp = s->show == 1 ? 24 : 48, sub = s->show == 1 ? 4 : 8;
                if (i % grp == 0)
                    put(&a, "\n  ");
                else if (i % sub == 0)
                    put(&a, " ");
                if (s->show == 1)
                    put(&a, "%02x", d[i]);
                else
                    put(&a, "%c", d[i] < 32 || d[i] > 126 ? '.' : d[i]);
            }
        }
    }
    line[a.k++] = '\n';
    if (s->out)
        fwrite(line, 1, a.k, s->out);
    else
        pl_err(e->eng, line, a.k);
    return p;
}

static const pl_param params[] = {
    {"LABEL", PL_T_STRING, offsetof(ipprint_state, label), "", 0, -1, PL_P_POSITIONAL,
     "text at the start of each line"},
    {"CONTENTS", PL_T_STRING, offsetof(ipprint_state, contents), "false", 0, -1, 0,
     "also show the packet's bytes: false, HEX or ASCII"},
    {"PAYLOAD", PL_T_STRING, offsetof(ipprint_state, payload), "false", 0, -1, 0,
     "show the payload's bytes instead: false, HEX or ASCII"},
    {"MAXLENGTH", PL_T_INT, offsetof(ipprint_state, maxlength), "1500", -1, 65535, 0,
     "bytes shown by CONTENTS or PAYLOAD, -1 for all"},
    {"NBYTES", PL_T_INT, offsetof(ipprint_state, nbytes), "1500", -1, 65535, 0,
     "MAXLENGTH (deprecated in Click)"},
    {"ID", PL_T_BOOL, offsetof(ipprint_state, id), "false", 0, -1, 0, "show the IP ID"},
    {"TIMESTAMP", PL_T_BOOL, offsetof(ipprint_state, timestamp), "true", 0, -1, 0,
     "show the timestamp annotation"},
    {"PAINT", PL_T_BOOL, offsetof(ipprint_state, paint), "false", 0, -1, 0,
     "show the paint annotation"},
    {"TOS", PL_T_BOOL, offsetof(ipprint_state, tos), "false", 0, -1, 0, "show the TOS byte"},
    {"TTL", PL_T_BOOL, offsetof(ipprint_state, ttl), "false", 0, -1, 0, "show the TTL"},
    {"SWAP", PL_T_BOOL, offsetof(ipprint_state, swap), "true", 0, -1, 0,
     "show ICMP echo identifiers and sequence numbers byte-swapped, as Click does"},
    {"LENGTH", PL_T_BOOL, offsetof(ipprint_state, length), "false", 0, -1, 0,
     "show the IP length"},
    {"AGGREGATE", PL_T_BOOL, offsetof(ipprint_state, aggregate), "false", 0, -1, 0,
     "show the aggregate annotation"},
    {"ACTIVE", PL_T_BOOL, offsetof(ipprint_state, active), "true", 0, -1, PL_P_LIVE,
     "whether packets are printed"},
    {"OUTFILE", PL_T_STRING, offsetof(ipprint_state, outfile), NULL, 0, -1, 0,
     "write the lines to this file instead of the log"},
    {"CHANNEL", PL_T_STRING, offsetof(ipprint_state, channel), NULL, 0, -1, 0,
     "accepted; lines go to the log (standard error under `pktlab click`)"},
    {0}};

static const pl_class ip_print = {
    .name = "IPPrint",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "IPPrint([LABEL, KEYWORDS CONTENTS, PAYLOAD, MAXLENGTH, ID, TTL, TOS, LENGTH,\n"
           "        TIMESTAMP, PAINT, AGGREGATE, SWAP, ACTIVE, OUTFILE])\n"
           "Pretty-prints IP packets.\n\n"
           "Writes a tcpdump-like line per packet with an IP header annotation, in Click's\n"
           "words: 'LABEL: TIME: 1.0.0.1.10 > 1.0.0.2.20: S 0:1(1,40,40) win 0' for TCP\n"
           "(flags, seq:end(seqlen,packet length,IP length), ack, window), 'udp LEN' for\n"
           "UDP, 'icmp echo (ID, SEQ)', 'icmp DST unreachable port udp/53' and the ICMP\n"
           "type names for ICMP, 'ip-proto-N' for others; '(frag ID:LEN@OFF+)' for\n"
           "fragments; truncated headers say so. ID, TTL, TOS, LENGTH, PAINT, AGGREGATE\n"
           "add those fields; CONTENTS (HEX, ASCII) or PAYLOAD add the bytes, at most\n"
           "MAXLENGTH. Lines go to the log (standard error under `pktlab click`), or to\n"
           "OUTFILE. Packets without an IP header annotation pass unprinted.\n\n"
           "Example: FromDump(t.pcap, STOP true) -> Strip(14) -> CheckIPHeader\n"
           "    -> IPPrint(in, TTL true) -> Discard;",
    .state_size = sizeof(ipprint_state),
    .params = params,
    .configure = ipprint_configure,
    .cleanup = ipprint_cleanup,
    .simple_action = ipprint_action,
};
PL_REGISTER_CLASS(ip_print);
