/* Configuration helpers for IP elements: address lists and prefixes. */
#ifndef PL_IPUTIL_H
#define PL_IPUTIL_H

#include <stddef.h>
#include <stdint.h>

/* "A.B.C.D/LEN", "A.B.C.D/M.M.M.M" or "A.B.C.D" (a /32); network order.
 * Returns 0, or -1 for bad text. *len gets the prefix length (-1 for a
 * non-contiguous mask). */
int pl_parse_prefix(const char *s, uint32_t *addr, uint32_t *mask, int *len);
/* A name AddressInfo defines: pl_parse_prefix gives its address as a /32
 * (routes, ARPResponder, CheckIPHeader: Click's IPPrefixArg(true)), and its
 * prefix when it has no address; pl_parse_net_prefix its prefix first
 * (IPClassifier's "net": IPPrefixArg()). */
int pl_parse_net_prefix(const char *s, uint32_t *addr, uint32_t *mask, int *len);

/* Prefix length of a contiguous network-order mask, -1 if not contiguous. */
int pl_mask_len(uint32_t mask);
/* Network-order mask of length len (0..32). */
uint32_t pl_len_mask(int len);

typedef struct pl_addr_list {
    int n;
    uint32_t *addr, *mask;        /* network order; mask all ones for plain addresses */
} pl_addr_list;

/* Space-separated addresses (or prefixes when prefixes != 0). On error, *bad
 * points at the offending word (static buffer) and -1 is returned. */
int pl_addr_list_parse(const char *s, int prefixes, pl_addr_list *out, const char **bad);
int pl_addr_list_add(pl_addr_list *l, uint32_t addr, uint32_t mask);
int pl_addr_list_has(const pl_addr_list *l, uint32_t addr);
void pl_addr_list_free(pl_addr_list *l);

/* Format a network-order address into buf (at least 16 bytes). */
const char *pl_ip_str(uint32_t a, char *buf);

#endif
