/*
 * CheckIPHeader and CheckIPHeader2 (the same checks, the checksum off by
 * default): state, configuration, the per-packet check and handlers.
 */
#ifndef PL_CHECK_IP_H
#define PL_CHECK_IP_H

#include "checksum.h"
#include "iputil.h"
#include "netpkt.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    uint64_t offset;
    char *interfaces, *badsrc, *gooddst;
    uint8_t checksum, verbose, details;
    pl_addr_list bad, good;
    _Atomic int warned;
} cih_state;

/* Click's reasons, in its order; drop reasons (output 1 unused). */
enum { R_TINY, R_VERSION, R_HLEN, R_LEN, R_CSUM, R_SRC, NREASONS };
static const char *const counters[] = {"tiny_packet", "bad_version", "bad_header_length",
                                       "bad_length", "bad_checksum", "bad_source", NULL};
static const char *const texts[] = {"tiny packet", "bad IP version", "bad IP header length",
                                    "bad IP length", "bad IP checksum", "bad source address"};

static inline int cih_configure(pl_element *e, pl_error *err)
{
    cih_state *s = PL_STATE(e, cih_state);
    const char *bad = NULL;
    pl_addr_list ifs = {0};
    pl_addr_list_free(&s->bad);
    pl_addr_list_free(&s->good);
    if (s->badsrc && pl_addr_list_parse(s->badsrc, 0, &s->bad, &bad))
        return pl_seterr(err, PL_ERR_CONFIG, e, "BADSRC", "BADSRC: '%s' is not an IP address", bad);
    if (s->gooddst && pl_addr_list_parse(s->gooddst, 0, &s->good, &bad))
        return pl_seterr(err, PL_ERR_CONFIG, e, "GOODDST", "GOODDST: '%s' is not an IP address",
                         bad);
    if (s->interfaces && *s->interfaces) {
        if (pl_addr_list_parse(s->interfaces, 1, &ifs, &bad)) {
            pl_addr_list_free(&ifs);
            return pl_seterr(err, PL_ERR_CONFIG, e, "INTERFACES",
                             "INTERFACES: '%s' is not ADDRESS/PREFIX", bad);
        }
        /* RFC 1812 5.3.7: the subnets' broadcast addresses, 0.0.0.0 and
         * 255.255.255.255 are bad sources, except for packets to us. */
        pl_addr_list_add(&s->bad, 0, 0xffffffffu);
        pl_addr_list_add(&s->bad, 0xffffffffu, 0xffffffffu);
        for (int i = 0; i < ifs.n; i++) {
            pl_addr_list_add(&s->bad, ifs.addr[i] | ~ifs.mask[i], 0xffffffffu);
            pl_addr_list_add(&s->good, ifs.addr[i], 0xffffffffu);
        }
        pl_addr_list_free(&ifs);
    }
    return 0;
}

static inline void cih_cleanup(pl_element *e)
{
    cih_state *s = PL_STATE(e, cih_state);
    pl_addr_list_free(&s->bad);
    pl_addr_list_free(&s->good);
}

static inline int bad(pl_element *e, cih_state *s, int reason)
{
    if (s->verbose || !atomic_exchange_explicit(&s->warned, 1, memory_order_relaxed))
        pl_log(e->eng, "%s: CheckIPHeader: %s", PL_NAME(e), texts[reason]);
    return reason + 1;
}

static inline int cih_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    (void)ctx;
    cih_state *s = PL_STATE(e, cih_state);
    pl_packet *p = *pp;
    uint32_t off = (uint32_t)s->offset;
    if (__builtin_expect(p->len < off + 20, 0))
        return bad(e, s, R_TINY);
    uint8_t *ip = p->data + off;
    uint32_t plen = p->len - off;
    if (__builtin_expect((ip[0] >> 4) != 4, 0))
        return bad(e, s, R_VERSION);
    unsigned hl = pl_ip_hl(ip);
    if (__builtin_expect(hl < 20, 0))
        return bad(e, s, R_HLEN);
    uint32_t iplen = pl_rd16(ip + 2);
    if (__builtin_expect(iplen < hl || iplen > plen, 0))
        return bad(e, s, R_LEN);
    if (s->checksum && __builtin_expect(pl_ip_csum_check(ip, hl) != 0, 0))
        return bad(e, s, R_CSUM);
    if (s->bad.n) {
        uint32_t src, dst;
        memcpy(&src, ip + 12, 4);
        memcpy(&dst, ip + 16, 4);
        if (pl_addr_list_has(&s->bad, src) && !pl_addr_list_has(&s->good, dst))
            return bad(e, s, R_SRC);
    }
    if (iplen < plen)
        p->len = off + iplen;      /* Ethernet padding and the like */
    pl_set_net_header(p, ip);
    memcpy(&p->dst_ip, ip + 16, 4);
    return 0;
}

static inline void cih_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, cih_check);
}

static inline uint64_t invalid(pl_element *e)
{
    uint64_t n = 0;
    for (int r = 0; r < NREASONS; r++)
        n += pl_counter_total(e, r);
    return n + (e->noutputs > 1 ? pl_output_total(e, 1, 0) : 0);
}

static inline int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)(e->noutputs ? pl_output_total(e, 0, 0) : 0));
}

static inline int read_drops(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)invalid(e));
}

static inline int read_details(pl_element *e, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = 0;
    for (int r = 0; r < NREASONS; r++) {
        int w = snprintf(buf + k, len - k, "%15llu packets due to: %s\n",
                         (unsigned long long)pl_counter_total(e, r), texts[r]);
        if (w < 0 || (size_t)w >= len - k)
            return PL_ERR_HANDLER;
        k += (size_t)w;
    }
    return 0;
}

static const pl_handler handlers[] = {
    {"count", "packets that passed the checks", read_count, NULL},
    {"drops", "packets that failed a check (dropped or sent to output 1)", read_drops, NULL},
    {"drop_details", "packets dropped, per reason", read_details, NULL},
    {0}};

#define PL_CIH_PARAMS(checksum_default) { \
    {"OFFSET", PL_T_UINT, offsetof(cih_state, offset), "0", 0, 1024, PL_P_POSITIONAL, \
     "byte position of the IP header in the packet"}, \
    {"INTERFACES", PL_T_STRING, offsetof(cih_state, interfaces), NULL, 0, -1, 0, \
     "this router's ADDRESS/PREFIX list: sets BADSRC (their broadcast addresses, 0.0.0.0, " \
     "255.255.255.255) and GOODDST (the addresses)"}, \
    {"BADSRC", PL_T_STRING, offsetof(cih_state, badsrc), NULL, 0, -1, 0, \
     "space-separated source addresses to reject"}, \
    {"GOODDST", PL_T_STRING, offsetof(cih_state, gooddst), NULL, 0, -1, 0, \
     "destinations exempt from the BADSRC check"}, \
    {"CHECKSUM", PL_T_BOOL, offsetof(cih_state, checksum), checksum_default, 0, -1, PL_P_LIVE, \
     "verify the header checksum"}, \
    {"VERBOSE", PL_T_BOOL, offsetof(cih_state, verbose), "false", 0, -1, PL_P_LIVE, \
     "log every bad packet, not just the first"}, \
    {"DETAILS", PL_T_BOOL, offsetof(cih_state, details), "true", 0, -1, 0, \
     "keep per-reason counts (always kept; accepted for Click compatibility)"}, \
    {0}}

#endif
