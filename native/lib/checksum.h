/*
 * Internet checksums (RFC 1071) and their incremental update (RFC 1624).
 *
 * Sums are kept in memory order: 16-bit words are read from the packet as
 * the CPU stores them, and the folded result is written back the same way,
 * so no byte swapping is needed on either side (the ones' complement sum is
 * independent of byte order as long as it is used consistently).
 */
#ifndef PL_CHECKSUM_H
#define PL_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Add n bytes at d to the running sum (no folding yet). */
static inline uint64_t pl_csum_add(uint64_t sum, const void *d, size_t n)
{
    const uint8_t *b = d;
    while (n >= 4) {
        uint32_t w;
        memcpy(&w, b, 4);
        sum += w;
        b += 4;
        n -= 4;
    }
    if (n >= 2) {
        uint16_t w;
        memcpy(&w, b, 2);
        sum += w;
        b += 2;
        n -= 2;
    }
    if (n) {
        uint8_t t[2] = {b[0], 0};
        uint16_t w;
        memcpy(&w, t, 2);
        sum += w;
    }
    return sum;
}

static inline uint16_t pl_csum_fold(uint64_t sum)
{
    uint32_t lo = (uint32_t)sum, hi = (uint32_t)(sum >> 32);
    uint32_t x = lo + hi;
    x += x < lo;                               /* end-around carry */
    x = (x & 0xffffu) + (x >> 16);
    x = (x & 0xffffu) + (x >> 16);
    return (uint16_t)x;
}

/* The checksum field value for n bytes (memory order: memcpy it in place). */
static inline uint16_t pl_in_cksum(const void *d, size_t n)
{
    return (uint16_t)~pl_csum_fold(pl_csum_add(0, d, n));
}

/* An IPv4 header of hl bytes (a multiple of 4): 0 when its checksum is right. */
static inline uint16_t pl_ip_csum_check(const uint8_t *ip, unsigned hl)
{
    uint32_t w[5];
    memcpy(w, ip, 20);                         /* the common case, unrolled */
    uint64_t sum = (uint64_t)w[0] + w[1] + w[2] + w[3] + w[4];
    for (unsigned i = 20; i < hl; i += 4) {
        uint32_t o;
        memcpy(&o, ip + i, 4);
        sum += o;
    }
    return (uint16_t)~pl_csum_fold(sum);
}

/* Recompute the header checksum of an IPv4 header of hl bytes. */
static inline void pl_ip_set_csum(uint8_t *ip, unsigned hl)
{
    ip[10] = ip[11] = 0;
    uint16_t c = pl_ip_csum_check(ip, hl);
    memcpy(ip + 10, &c, 2);
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), all 16-bit words in memory order. */
static inline uint16_t pl_csum_update16(uint16_t hc, uint16_t old, uint16_t now)
{
    uint32_t s = (uint32_t)(uint16_t)~hc + (uint16_t)~old + now;
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* The same for a 32-bit field (an address), given as its 4 bytes. */
static inline uint16_t pl_csum_update32(uint16_t hc, const uint8_t old[4], const uint8_t now[4])
{
    uint16_t o0, o1, n0, n1;
    memcpy(&o0, old, 2), memcpy(&o1, old + 2, 2);
    memcpy(&n0, now, 2), memcpy(&n1, now + 2, 2);
    return pl_csum_update16(pl_csum_update16(hc, o0, n0), o1, n1);
}

/* Sum of the TCP/UDP pseudo header of IPv4 header ip for a segment of len bytes. */
static inline uint64_t pl_pseudo_sum(const uint8_t *ip, uint8_t proto, uint32_t len)
{
    uint64_t sum = pl_csum_add(0, ip + 12, 8);
    uint8_t t[4] = {0, proto, (uint8_t)(len >> 8), (uint8_t)len};
    return pl_csum_add(sum, t, 4);
}

/* The ICMPv6 checksum of the len-byte message msg in IPv6 header ip6 (RFC
 * 4443: the pseudo header is the addresses, len, next header 58); 0 when a
 * message that carries its checksum is valid. */
static inline uint16_t pl_icmp6_sum(const uint8_t *ip6, const uint8_t *msg, uint32_t len)
{
    uint8_t pseudo[8] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                         (uint8_t)len, 0, 0, 0, 58};
    uint64_t sum = pl_csum_add(pl_csum_add(0, ip6 + 8, 32), pseudo, 8);
    return (uint16_t)~pl_csum_fold(pl_csum_add(sum, msg, len));
}

#endif
