/* Link types: names and the IP header of a frame (see linktype.h). */
#include "linktype.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    uint32_t dlt;
} names[] = {
    /* Click's names (fakepcap.cc), first for each number: what `encap` says. */
    {"NULL", PL_DLT_NULL}, {"IP", PL_DLT_RAW}, {"ETHER", PL_DLT_EN10MB}, {"FDDI", 10},
    {"ATM", 100}, {"RFC1483", 100}, {"ATM_RFC1483", 100}, {"802_11", 105}, {"802.11", 105},
    {"802_11_RADIO", 127}, {"802.11_RADIO", 127}, {"SLL", PL_DLT_LINUX_SLL},
    {"AIRONET", 120}, {"HDLC", PL_DLT_C_HDLC}, {"PPP_HDLC", PL_DLT_PPP_HDLC},
    {"PPP", PL_DLT_PPP}, {"SUNATM", 123}, {"PRISM", 119},
    /* beyond Click's: libpcap's newer link types */
    {"IP4", PL_DLT_IPV4}, {"IP6", PL_DLT_IPV6}, {"SLL2", PL_DLT_LINUX_SLL2},
    {"LOOP", PL_DLT_LOOP}, {"ETHERNET", PL_DLT_EN10MB}, {"RAW", PL_DLT_RAW},
};

long pl_linktype_parse(const char *name)
{
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i].name))
            return names[i].dlt;
    if (name[0] == '#' && name[1] >= '0' && name[1] <= '9') {
        char *end;
        unsigned long v = strtoul(name + 1, &end, 10);
        if (!*end && v < 0x7fffffffu)
            return (long)v;
    }
    return -1;
}

const char *pl_linktype_name(uint32_t dlt, char *buf, size_t len)
{
    if (dlt == PL_DLT_RAW_HOST)            /* Click maps the host's DLT_RAW to IP */
        dlt = PL_DLT_RAW;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (names[i].dlt == dlt) {
            snprintf(buf, len, "%s", names[i].name);
            return buf;
        }
    snprintf(buf, len, "#%u", dlt);
    return buf;
}

int pl_linktype_is_raw(uint32_t dlt)
{
    return dlt == PL_DLT_RAW || dlt == PL_DLT_RAW_HOST || dlt == PL_DLT_RAW_BSD ||
           dlt == PL_DLT_IPV4 || dlt == PL_DLT_IPV6;
}

int pl_linktype_force_ipable(uint32_t dlt)
{
    return pl_linktype_is_raw(dlt) || dlt == PL_DLT_EN10MB || dlt == PL_DLT_NULL ||
           dlt == PL_DLT_LOOP || dlt == PL_DLT_LINUX_SLL || dlt == PL_DLT_LINUX_SLL2 ||
           dlt == PL_DLT_PPP || dlt == PL_DLT_PPP_HDLC || dlt == PL_DLT_C_HDLC;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static int ip_ethertype(uint16_t t) { return t == 0x0800 || t == 0x86dd; }

/* Where a link-level header ends and IP may begin; -1: not IP by the header. */
static long link_header(uint32_t dlt, const uint8_t *d, uint32_t len)
{
    switch (dlt) {
    case PL_DLT_RAW:
    case PL_DLT_RAW_HOST:
    case PL_DLT_RAW_BSD:
    case PL_DLT_IPV4:
    case PL_DLT_IPV6:
        return 0;
    case PL_DLT_EN10MB:
        if (len < 14)
            return -1;
        if (ip_ethertype(rd16(d + 12)))
            return 14;
        if (rd16(d + 12) == 0x8100 && len >= 18 && ip_ethertype(rd16(d + 16)))
            return 18;                   /* one 802.1Q tag, as Click */
        return -1;
    case PL_DLT_LINUX_SLL:               /* type, ARPHRD, addr len, addr[8], protocol */
        return len >= 16 && ip_ethertype(rd16(d + 14)) ? 16 : -1;
    case PL_DLT_LINUX_SLL2:              /* protocol, reserved, ifindex, ARPHRD, type, ... */
        return len >= 20 && ip_ethertype(rd16(d)) ? 20 : -1;
    case PL_DLT_NULL:
    case PL_DLT_LOOP: {
        if (len < 4)
            return -1;
        /* The family in either byte order (NULL is the writer's host order). */
        uint32_t le = (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
                      (uint32_t)d[3] << 24;
        uint32_t be = (uint32_t)d[3] | (uint32_t)d[2] << 8 | (uint32_t)d[1] << 16 |
                      (uint32_t)d[0] << 24;
        uint32_t fam = le < 65536 ? le : be;
        /* AF_INET, and AF_INET6 as BSD, FreeBSD and Darwin number it */
        return fam == 2 || fam == 24 || fam == 28 || fam == 30 ? 4 : -1;
    }
    case PL_DLT_C_HDLC:
        return len >= 4 && ip_ethertype(rd16(d + 2)) ? 4 : -1;
    case PL_DLT_PPP_HDLC:
        if (len >= 4 && d[0] == 0xff && d[2] == 0 && (d[3] == 0x21 || d[3] == 0x57))
            return 4;
        if (len >= 4 && (d[0] == 0x0f || d[0] == 0x8f))
            return ip_ethertype(rd16(d + 2)) ? 4 : -1;
        return -1;
    case PL_DLT_PPP: {
        long off = len >= 2 && d[0] == 0xff && d[1] == 0x03 ? 2 : 0;
        if (len < (uint32_t)off + 2)
            return -1;
        if (d[off] == 0x21 || d[off] == 0x57)
            return off + 1;
        if (d[off] == 0 && (d[off + 1] == 0x21 || d[off + 1] == 0x57))
            return off + 2;
        return -1;
    }
    default:
        return -1;
    }
}

long pl_linktype_ip_offset(uint32_t dlt, const uint8_t *data, uint32_t len, int *version)
{
    long off = link_header(dlt, data, len);
    if (off < 0 || (uint32_t)off >= len)
        return -1;
    const uint8_t *ip = data + off;
    uint32_t left = len - (uint32_t)off;
    if (ip[0] >> 4 == 4) {
        uint32_t hl = (uint32_t)(ip[0] & 15) << 2;
        if (hl < 20 || hl > left)
            return -1;
        *version = 4;
        return off;
    }
    if (ip[0] >> 4 == 6 && left >= 40) {
        *version = 6;
        return off;
    }
    return -1;
}
