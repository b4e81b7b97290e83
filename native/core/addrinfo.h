/*
 * Named addresses: AddressInfo's table and Click's lookup rules
 * (elements/standard/addressinfo.cc, lib/nameinfo.cc).
 *
 * Each engine has one table. AddressInfo's arguments ("NAME ADDR...") define
 * NAME's IPv4 address, IPv4 prefix, Ethernet address, IPv6 address and IPv6
 * prefix, each for the compound the AddressInfo element is in ("a/b/ai"
 * defines in "a/b/"). A name used by an element "a/b/x" is looked up in
 * "a/b/", then "a/", then at the top. Suffixes pick the kind: NAME:ip
 * (:ip4), NAME:bcast, NAME:gw, NAME:net (:ipnet, :ip4net), NAME:eth
 * (:ether, :ethernet), NAME:ip6, NAME:ip6net. A name AddressInfo does not
 * define may be a network device of this host (its IPv4 address, prefix and
 * Ethernet address), as in Click's userlevel driver.
 *
 * The typed parsers (pl_parse_ipv4, pl_parse_ether, pl_parse_prefix) fall
 * back to these lookups while an element is being configured: the engine
 * sets the element whose names apply (pl_addrinfo_enter/leave), on the control
 * thread only; the data path never looks names up.
 */
#ifndef PL_ADDRINFO_H
#define PL_ADDRINFO_H

#include <stddef.h>
#include <stdint.h>

struct pl_engine;
typedef struct pl_addrinfo pl_addrinfo;

enum { PL_NAME_IP = 1, PL_NAME_PREFIX, PL_NAME_ETHER, PL_NAME_IP6, PL_NAME_IP6PREFIX,
       PL_NAME_TCP_PORT, PL_NAME_UDP_PORT };

/* Define the names of one AddressInfo configuration (its arguments, already
 * split) for the element `element` (its scope). 0, or -1 with `msg` set. */
int pl_addrinfo_define_args(struct pl_engine *e, const char *element, int argc, char **argv,
                         char *msg, int msglen);
void pl_addrinfo_free(pl_addrinfo *t);

/* The element whose names the parsers use, until the matching leave. */
typedef struct pl_addrinfo_scope {
    const pl_addrinfo *table;
    const char *element;
} pl_addrinfo_scope;
pl_addrinfo_scope pl_addrinfo_enter(struct pl_engine *e, const char *element);
void pl_addrinfo_leave(pl_addrinfo_scope saved);

/* Lookups in the current scope, 0 on success (the value stored). */
int pl_addrinfo_ip(const char *s, uint8_t out[4]);
int pl_addrinfo_prefix(const char *s, uint8_t addr[4], uint8_t mask[4]);
int pl_addrinfo_ether(const char *s, uint8_t out[6]);
int pl_addrinfo_ip6(const char *s, uint8_t out[16]);
int pl_addrinfo_ip6_prefix(const char *s, uint8_t out[16], int *len);

/* Other kinds of names (PortInfo's ports, portinfo.c): define NAME for the
 * compound `element` is in; look it up in the current scope. */
int pl_addrinfo_define_raw(struct pl_engine *e, const char *element, const char *name, int type,
                           const void *data, size_t len);
const uint8_t *pl_addrinfo_query_raw(int type, const char *name);
/* PortInfo's configuration ("NAME PORT[/PROTO] [NAME...]", ...): its names
 * defined. 0, or -1 with `msg` set. */
int pl_portinfo_define_args(struct pl_engine *e, const char *element, int argc, char **argv,
                            char *msg, int msglen);
/* A port PortInfo named, for TCP (6) or UDP (17) (0: either, UDP first). */
int pl_portinfo_port(const char *name, int proto, uint32_t *port);

/* Literal IPv6 address / prefix ("fe80::1", "2001:db8::/32"), 0 on success. */
int pl_parse_ipv6(const char *s, uint8_t out[16]);
int pl_parse_ipv6_prefix(const char *s, uint8_t out[16], int *len);

#endif
