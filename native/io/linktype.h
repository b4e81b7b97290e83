/*
 * Link types of trace files (tcpdump's LINKTYPE_* / DLT_* numbers): their
 * names as Click's ENCAP keyword spells them, and where the IP header of a
 * frame is (FromDump's FORCE_IP, as Click's fake_pcap_force_ip).
 */
#ifndef PL_IO_LINKTYPE_H
#define PL_IO_LINKTYPE_H

#include <stddef.h>
#include <stdint.h>

enum {
    PL_DLT_NULL = 0,          /* BSD loopback: 4-byte address family, host order */
    PL_DLT_EN10MB = 1,        /* Ethernet */
    PL_DLT_PPP = 9,
    PL_DLT_RAW_HOST = 12,     /* raw IP, as some systems number DLT_RAW */
    PL_DLT_RAW_BSD = 14,      /* raw IP (OpenBSD's DLT_RAW) */
    PL_DLT_PPP_HDLC = 50,
    PL_DLT_RAW = 101,         /* LINKTYPE_RAW: raw IPv4 or IPv6 */
    PL_DLT_C_HDLC = 104,
    PL_DLT_LOOP = 108,        /* OpenBSD loopback: family in network order */
    PL_DLT_LINUX_SLL = 113,   /* Linux cooked capture v1 (tcpdump -i any) */
    PL_DLT_IPV4 = 228,
    PL_DLT_IPV6 = 229,
    PL_DLT_LINUX_SLL2 = 276   /* Linux cooked capture v2 */
};

/* An ENCAP name (ETHER, IP, IP4, IP6, SLL, SLL2, NULL, LOOP, PPP, HDLC,
 * PPP_HDLC, FDDI, ATM, 802_11, ..., or "#N") to a link type; -1 if unknown. */
long pl_linktype_parse(const char *name);
/* The name of a link type ("#N" for one without a name), in buf. */
const char *pl_linktype_name(uint32_t dlt, char *buf, size_t len);
/* Link types whose frames are IP packets (FromDump forces FORCE_IP on them). */
int pl_linktype_is_raw(uint32_t dlt);
/* Link types FORCE_IP can find the IP header in. */
int pl_linktype_force_ipable(uint32_t dlt);
/*
 * The offset of the IP header in a frame of link type dlt, checked as Click
 * checks it (IPv4: version 4, a header length of at least 20 bytes inside
 * the frame; IPv6: a whole fixed header), or -1: not an IP packet.
 * *version is 4 or 6.
 */
long pl_linktype_ip_offset(uint32_t dlt, const uint8_t *data, uint32_t len, int *version);

#endif
