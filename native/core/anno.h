/*
 * Named slots in a packet's generic annotation bytes (pl_packet.anno), as
 * Click's packet_anno.h names its annotation area. Paint, the destination IP
 * address and the timestamp have their own fields in pl_packet.
 */
#ifndef PL_ANNO_H
#define PL_ANNO_H

#include "packet.h"

#define PL_ANNO_PARAMPROB 0      /* u8: ICMP parameter-problem pointer (IPGWOptions -> ICMPError) */
#define PL_ANNO_FIX_IP_SRC 1     /* u8: nonzero: FixIPSrc rewrites the source (ICMPError sets it) */
#define PL_ANNO_PACKET_TYPE 2    /* u8: link-level type, below (0 = host, as Click) */
#define PL_ANNO_VLAN_TCI 4       /* u16, network order: VLANDecap / SetVLANAnno -> VLANEncap */
#define PL_ANNO_AGGREGATE 8      /* u32: flow number (AggregateIPFlows, ToIPSummaryDump) */
#define PL_ANNO_EXTRA_LENGTH 12  /* u32: bytes beyond the packet, as Click's one annotation: cut by
                                    a trace's snap length (FromDump sets it, ToDump uses it) or by
                                    Truncate (Pad puts them back) */
#define PL_ANNO_EXTRA_PACKETS 16 /* u32: packets this one stands for, less one (summary dumps) */
#define PL_ANNO_FIRST_TIMESTAMP 24 /* u64 ns: Click's FIRST_TIMESTAMP_ANNO (SetTimestamp FIRST,
                                      a flow's first timestamp in summary dumps; what
                                      Engine(timestamps=True) stamps at receive or
                                      generation and LatencyHistogram reads) */

enum {
    PL_PACKET_HOST = 0,
    PL_PACKET_BROADCAST = 1,
    PL_PACKET_MULTICAST = 2,
    PL_PACKET_OTHERHOST = 3,
    PL_PACKET_OUTGOING = 4
};

static inline uint8_t pl_anno_u8(const pl_packet *p, int slot) { return p->anno[slot]; }
static inline void pl_anno_set_u8(pl_packet *p, int slot, uint8_t v) { p->anno[slot] = v; }
static inline uint16_t pl_anno_u16(const pl_packet *p, int slot)
{
    uint16_t v;
    memcpy(&v, p->anno + slot, 2);
    return v;
}
static inline void pl_anno_set_u16(pl_packet *p, int slot, uint16_t v) { memcpy(p->anno + slot, &v, 2); }
static inline uint32_t pl_anno_u32(const pl_packet *p, int slot)
{
    uint32_t v;
    memcpy(&v, p->anno + slot, 4);
    return v;
}
static inline void pl_anno_set_u32(pl_packet *p, int slot, uint32_t v) { memcpy(p->anno + slot, &v, 4); }

#endif
