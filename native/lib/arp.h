/* ARP frames (RFC 826) for Ethernet and IPv4. */
#ifndef PL_ARP_H
#define PL_ARP_H

#include "netpkt.h"

#define PL_ARP_LEN 28                       /* after the Ethernet header */
#define PL_ARP_FRAME (PL_ETHER_HLEN + PL_ARP_LEN)
enum { PL_ARP_REQUEST = 1, PL_ARP_REPLY = 2 };

/* Offsets from the frame start. */
enum { ARP_OP = 20, ARP_SHA = 22, ARP_SPA = 28, ARP_THA = 32, ARP_TPA = 38 };

/* An Ethernet/IPv4 ARP frame of length len? Click's test: the length, the
 * Ethernet type, the hardware and protocol types (not their lengths). */
static inline int pl_arp_valid(const uint8_t *f, uint32_t len)
{
    return len >= PL_ARP_FRAME && pl_rd16(f + 12) == PL_ETHERTYPE_ARP && pl_rd16(f + 14) == 1 &&
           pl_rd16(f + 16) == PL_ETHERTYPE_IP;
}

/* Write an ARP frame into f: 42 bytes, unpadded, as Click's ARPQuerier and
 * ARPResponder make them (the device pads). */
static inline void pl_arp_write(uint8_t *f, int op, const uint8_t eth_dst[6],
                                const uint8_t sha[6], uint32_t spa, const uint8_t tha[6],
                                uint32_t tpa)
{
    memset(f, 0, PL_ARP_FRAME);
    memcpy(f, eth_dst, 6);
    memcpy(f + 6, sha, 6);
    pl_wr16(f + 12, PL_ETHERTYPE_ARP);
    pl_wr16(f + 14, 1);
    pl_wr16(f + 16, PL_ETHERTYPE_IP);
    f[18] = 6;
    f[19] = 4;
    pl_wr16(f + ARP_OP, (uint16_t)op);
    memcpy(f + ARP_SHA, sha, 6);
    memcpy(f + ARP_SPA, &spa, 4);
    memcpy(f + ARP_THA, tha, 6);
    memcpy(f + ARP_TPA, &tpa, 4);
}

/* The Ethernet destination of an IP address ARP does not resolve (network
 * order): 255.255.255.255 and bcast, the local broadcast, go to
 * ff:ff:ff:ff:ff:ff, multicast to 01:00:5e and the group's low 23 bits (RFC
 * 1112). 1 with m set, 0 for any other address. */
static inline int pl_arp_group_ether(uint32_t dst, uint32_t bcast, uint8_t m[6])
{
    uint8_t b[4];
    memcpy(b, &dst, 4);
    if (dst != 0xffffffffu && dst != bcast && (b[0] & 0xf0) != 0xe0)
        return 0;
    memset(m, 0xff, 6);
    if ((b[0] & 0xf0) == 0xe0 && dst != 0xffffffffu) {
        const uint8_t g[6] = {0x01, 0x00, 0x5e, (uint8_t)(b[1] & 0x7f), b[2], b[3]};
        memcpy(m, g, 6);
    }
    return 1;
}

#endif
