/*
 * Click's IP summary dump text format (FromIPSummaryDump, ToIPSummaryDump):
 * one line per packet, one field per column, as `!data` names them.
 *
 * Fields are found by Click's names and synonyms (`src` is `ip_src`, `ts` is
 * `timestamp`, a name without '_' is tried as `ip_NAME`). Reading builds a
 * packet from the values in Click's order (annotations, then the IP header,
 * then the transport header, then the payload); writing prints each field,
 * or '-' where the packet lacks it.
 */
#ifndef PL_IPSUMDUMP_H
#define PL_IPSUMDUMP_H

#include "../core/element.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
    PL_ISD_TIMESTAMP, PL_ISD_NTIMESTAMP, PL_ISD_TS_SEC, PL_ISD_TS_USEC, PL_ISD_TS_USEC1,
    PL_ISD_FIRST_TIMESTAMP, PL_ISD_COUNT, PL_ISD_LINK, PL_ISD_PAINT, PL_ISD_DIRECTION,
    PL_ISD_AGGREGATE, PL_ISD_WIRE_LEN,
    PL_ISD_IP_SRC, PL_ISD_IP_DST, PL_ISD_IP_TOS, PL_ISD_IP_DSCP, PL_ISD_IP_ECN, PL_ISD_IP_TTL,
    PL_ISD_IP_FRAG, PL_ISD_IP_FRAGOFF, PL_ISD_IP_ID, PL_ISD_IP_SUM, PL_ISD_IP_PROTO,
    PL_ISD_IP_HL, PL_ISD_IP_LEN, PL_ISD_IP_CAPTURE_LEN, PL_ISD_IP_OPT, PL_ISD_SPORT,
    PL_ISD_DPORT,
    PL_ISD_TCP_SEQ, PL_ISD_TCP_ACK, PL_ISD_TCP_OFF, PL_ISD_TCP_FLAGS, PL_ISD_TCP_WINDOW,
    PL_ISD_TCP_URP, PL_ISD_TCP_OPT, PL_ISD_UDP_LEN,
    PL_ISD_ICMP_TYPE, PL_ISD_ICMP_CODE, PL_ISD_ICMP_TYPE_NAME, PL_ISD_ICMP_CODE_NAME,
    PL_ISD_ICMP_FLOWID, PL_ISD_ICMP_SEQ, PL_ISD_ICMP_NEXTMTU,
    PL_ISD_PAYLOAD_LEN, PL_ISD_PAYLOAD,
    PL_ISD_NFIELDS,
    PL_ISD_NONE = -1
};

typedef struct pl_isd_field {
    const char *name;             /* Click's canonical name */
    int id;
    int order;                    /* reading: the order the values are applied */
    uint8_t readable;             /* FromIPSummaryDump can build it */
} pl_isd_field;

/* A field by Click's name or synonym; NULL if Click has none by that name. */
const pl_isd_field *pl_isd_find(const char *name);
/* Whether Click knows a field of this name that pktlab does not (yet). */
int pl_isd_known_unsupported(const char *name);

/* ---- reading (FromIPSummaryDump) ---- */

#define PL_ISD_MAXPKT 65600       /* the largest packet a line can describe */

typedef struct pl_isd_reader {
    const pl_isd_field *fields[64];
    int nfields;
    int order[64];                /* field indexes sorted by their order */
    int default_proto;
    int have_flowid;
    uint32_t flow_src, flow_dst;  /* network order */
    uint16_t flow_sport, flow_dport;   /* host order */
    int minor_version;
} pl_isd_reader;

/* The packet one line builds (its bytes from offset 0 = the IP header). */
typedef struct pl_isd_pkt {
    uint8_t *b;                   /* PL_ISD_MAXPKT bytes */
    uint32_t len, dirty;
    int has_net;                  /* the IP header exists (network header set) */
    uint32_t toff;                /* transport header offset */
    int have_icmp_type, have_icmp_code, have_ip_hl, have_tcp_hl;
    uint32_t want_len;
    int64_t ts, first_ts;
    int has_ts, has_first_ts;
    uint8_t paint;
    uint32_t aggregate, extra_packets;
    int failed;                   /* too large */
} pl_isd_pkt;

/* Parse a `!data` / `!contents` line's words (or a FIELDS keyword): 0, or -1
 * with a message in why (an unknown field is a warning: it reads as none). */
int pl_isd_reader_fields(pl_isd_reader *r, const char *line, char *warn, size_t wlen);
/* `!proto P`: 0 or -1. */
int pl_isd_reader_proto(pl_isd_reader *r, const char *word);
/* `!flowid SRC SPORT DST DPORT [PROTO]`: 0 or -1. */
int pl_isd_reader_flowid(pl_isd_reader *r, const char *line);
/* Build the packet a data line describes into *k; returns the number of
 * fields used (0: a parse error). checksum: set the checksums (CHECKSUM). */
int pl_isd_read_line(const pl_isd_reader *r, const char *line, size_t n, pl_isd_pkt *k,
                     int checksum);

/* Values and their parsers (ipsumdump_parse.c; 0 or -1). */
typedef struct pl_isd_val {
    uint64_t v;
    const uint8_t *vp;
    size_t vlen;
    uint8_t tmp[256];
} pl_isd_val;
const char *pl_isd_word_end(const char *s, const char *end);
int pl_isd_parse_uint(const char *s, size_t n, uint64_t *out);
int pl_isd_parse_ip(const char *s, size_t n, uint32_t *net);
int pl_isd_parse_time(const char *s, size_t n, int64_t *ns);
int pl_isd_parse_string(const char *s, size_t n, pl_isd_val *x);
int pl_isd_parse_tcp_opt(const char *s, size_t n, pl_isd_val *x);
int pl_isd_parse_ip_opt(const char *s, size_t n, pl_isd_val *x);

/* One field's text into x (0 or -1); its value applied to the packet; the
 * lengths, annotations and checksums once every field is in. */
int pl_isd_ina(const pl_isd_field *f, const char *s, size_t n, const pl_isd_pkt *k,
               const pl_isd_reader *r, pl_isd_val *x);
void pl_isd_inject(const pl_isd_reader *r, pl_isd_pkt *k, const pl_isd_field *f, pl_isd_val *x);
void pl_isd_finish(const pl_isd_reader *r, pl_isd_pkt *k, int checksum);

/* A dump being read: a file (or standard input) or DATA text in memory. */
typedef struct pl_isd_source {
    FILE *f;
    const char *mem, *mem_end;    /* DATA: the text, the rest to read */
    const char *name;             /* for messages: the file, or DATA */
    char *line;
    size_t line_cap;
    long lineno;
    int eof, complained, checksum;
    pl_isd_reader r;
    pl_isd_pkt k;
} pl_isd_source;

/* The next packet (from ctx's pool), or NULL: at the end (src->eof set) or
 * when the pool is empty (counted under c_nobufs). A line that does not parse
 * is logged once, as Click's "FILE:LINE: packet parse error", and counted
 * under c_parse. */
pl_packet *pl_isd_source_next(pl_isd_source *src, pl_element *e, pl_ctx *ctx, int c_parse,
                              int c_nobufs);

/* ---- writing (ToIPSummaryDump) ---- */

typedef struct pl_isd_out {
    char *s;
    size_t len, cap;
} pl_isd_out;

void pl_isd_putc(pl_isd_out *o, char c);
void pl_isd_puts(pl_isd_out *o, const char *s);
/* One packet's line (fields space-separated, '\n' ended) appended to o; with
 * bad non-NULL, a "!bad ..." line for a malformed packet goes there first. */
void pl_isd_write_line(const pl_isd_field *const *fields, int n, pl_packet *p,
                       int careful_trunc, int extra_length, pl_isd_out *o, pl_isd_out *bad);
/* Click's cp_quote of bytes: a double-quoted C-escaped string. */
void pl_isd_quote(pl_isd_out *o, const uint8_t *d, size_t n);
/* Click's TCP option text ("mss1460;wscale10"), for ToIPSummaryDump and IPPrint. */
void pl_isd_tcp_opt_text(pl_isd_out *o, const uint8_t *opt, int len);
void pl_isd_ip_opt_text(pl_isd_out *o, const uint8_t *opt, int len);

#endif
