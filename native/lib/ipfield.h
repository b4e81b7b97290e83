/*
 * Helpers shared by the elements that read or rewrite IP header fields
 * (SetIPDSCP, StoreIPAddress, IPEncap, the rewriters...): where the IP and
 * transport headers are, and Click's incremental checksum update.
 */
#ifndef PL_IPFIELD_H
#define PL_IPFIELD_H

#include "checksum.h"
#include "netpkt.h"

#include <stdlib.h>

/* The IPv4 header of p when at least 20 bytes of it are in the packet and
 * its header length fits (NULL otherwise): *hl gets the header length. */
static inline uint8_t *pl_ip_header_ok(const pl_packet *p, unsigned *hl)
{
    uint32_t nlen = pl_net_length(p);
    uint8_t *ip = pl_net_header(p);
    if (nlen < 20)
        return NULL;
    unsigned h = pl_ip_hl(ip);
    if (h < 20 || h > nlen)
        return NULL;
    *hl = h;
    return ip;
}

/* Bytes from the transport header (network header + IP header length) to the
 * end of the packet; 0 when there is none. */
static inline uint32_t pl_transport_length(const pl_packet *p)
{
    uint32_t nlen = pl_net_length(p);
    if (nlen < 1)
        return 0;
    unsigned hl = pl_ip_hl(pl_net_header(p));
    return hl <= nlen ? nlen - hl : 0;
}

/* Click's click_update_in_cksum: the checksum at sum (memory order) after a
 * 16-bit word changed from old to now (RFC 1624 eqn. 3, as Click computes it:
 * the same bytes in the 0x0000/0xffff corner cases). */
static inline void pl_cksum_update(uint8_t *sum, uint16_t old, uint16_t now)
{
    uint16_t hc;
    memcpy(&hc, sum, 2);
    uint32_t s = (uint32_t)(uint16_t)~hc + (uint16_t)~old + now;
    s = (s & 0xffff) + (s >> 16);
    hc = (uint16_t)~(s + (s >> 16));
    memcpy(sum, &hc, 2);
}

/* A 4-byte field's two words summed and folded once, as Click's
 * StoreIPAddress and IPRewriter feed them to click_update_in_cksum. */
static inline uint16_t pl_word_pair(const uint8_t *f)
{
    uint16_t a, b;
    memcpy(&a, f, 2);
    memcpy(&b, f + 2, 2);
    uint32_t s = (uint32_t)a + b;
    return (uint16_t)(s + (s >> 16));
}

/* The transport checksum (TCP/UDP) of len bytes at th with ip's pseudo
 * header, as the field value (memory order); the field must be zero. */
static inline uint16_t pl_transport_cksum(const uint8_t *ip, const uint8_t *th, uint32_t len)
{
    return (uint16_t)~pl_csum_fold(pl_csum_add(pl_pseudo_sum(ip, ip[9], len), th, len));
}

int ipf_port_name(const char *s, uint32_t *out);
int ipf_proto_name(const char *s, uint32_t *out);

/* A number 0..max or a name (Click's NameInfo for IP protocols and ports);
 * 0 on success. */
static inline int pl_parse_named(const char *s, int proto_names, long max, long *out)
{
    char *end;
    long v = strtol(s, &end, 0);
    if (*s && !*end && v >= 0 && v <= max)
        return *out = v, 0;
    uint32_t n;
    if ((proto_names ? ipf_proto_name(s, &n) : ipf_port_name(s, &n)) == 0)
        return *out = (long)n, 0;
    return -1;
}

#endif
