/* What CheckUDPHeader and CheckTCPHeader share: parameters, reasons, handlers. */
#ifndef PL_CHECK_TRANSPORT_H
#define PL_CHECK_TRANSPORT_H

#include "netpkt.h"

#include <stdio.h>

typedef struct {
    uint8_t checksum, verbose, details;
    _Atomic int warned;
} ct_state;

enum { CT_NOT, CT_LENGTH, CT_CSUM, CT_NREASONS };

static const pl_param ct_params[] = {
    {"CHECKSUM", PL_T_BOOL, offsetof(ct_state, checksum), "true", 0, -1, PL_P_LIVE,
     "verify the checksum"},
    {"VERBOSE", PL_T_BOOL, offsetof(ct_state, verbose), "false", 0, -1, PL_P_LIVE,
     "log every bad packet, not just the first"},
    {"DETAILS", PL_T_BOOL, offsetof(ct_state, details), "true", 0, -1, 0,
     "keep per-reason counts (always kept; accepted for Click compatibility)"},
    {0}};

/* 0 with the transport length (from the IP total length), 1: wrong protocol
 * or a later fragment, 2: bad lengths. */
static inline int ct_transport(const pl_packet *p, const uint8_t *ip, uint8_t proto,
                               uint32_t *tlen)
{
    uint32_t nlen = pl_net_length(p);
    if (nlen < 20 || ip[9] != proto || !pl_ip_first_fragment(ip))
        return 1;
    unsigned hl = pl_ip_hl(ip);
    uint32_t iplen = pl_rd16(ip + 2);
    if (hl < 20 || iplen < hl || iplen > nlen)
        return 2;
    *tlen = iplen - hl;
    return 0;
}

static inline int ct_bad(pl_element *e, ct_state *s, int reason, const char *const *texts)
{
    if (s->verbose || !atomic_exchange_explicit(&s->warned, 1, memory_order_relaxed))
        pl_log(e->eng, "%s: %s: %s", PL_NAME(e), e->cls->name, texts[reason]);
    return reason + 1;
}

static inline int ct_read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)(e->noutputs ? pl_output_total(e, 0, 0) : 0));
}

static inline int ct_read_drops(pl_element *e, char *buf, size_t len)
{
    uint64_t n = e->noutputs > 1 ? pl_output_total(e, 1, 0) : 0;
    for (int r = 0; r < CT_NREASONS; r++)
        n += pl_counter_total(e, r);
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static inline int ct_details(pl_element *e, const char *const *texts, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = 0;
    for (int r = 0; r < CT_NREASONS; r++) {
        int w = snprintf(buf + k, len - k, "%15llu packets due to: %s\n",
                         (unsigned long long)pl_counter_total(e, r), texts[r]);
        if (w < 0 || (size_t)w >= len - k)
            return PL_ERR_HANDLER;
        k += (size_t)w;
    }
    return 0;
}

#endif
