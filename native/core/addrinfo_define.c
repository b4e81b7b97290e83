/* AddressInfo's configuration: each word defines every kind of address it
 * parses as (addrinfo.h); the table itself is addrinfo.c's. */
#include "addrinfo.h"

#include "args.h"
#include "engine.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "ADDR/LEN" or "ADDR/MASK" with a literal IPv4 address. */
static int ipv4_prefix_literal(const char *s, uint8_t addr[4], uint8_t mask[4])
{
    char buf[64];
    const char *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) >= sizeof buf)
        return -1;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = 0;
    uint32_t a, m;
    if (pl_parse_ipv4_literal(buf, &a))
        return -1;
    if (strchr(slash + 1, '.')) {
        if (pl_parse_ipv4_literal(slash + 1, &m))
            return -1;
    } else {
        char *end;
        if (!isdigit((unsigned char)slash[1]))
            return -1;
        long l = strtol(slash + 1, &end, 10);
        if (*end || l < 0 || l > 32)
            return -1;
        uint32_t h = l == 0 ? 0 : ~(0xffffffffu >> l);
        m = htonl(h);
    }
    memcpy(addr, &a, 4);
    memcpy(mask, &m, 4);
    return 0;
}

enum { T_ETH = 1, T_IP4 = 2, T_IP4NET = 4, T_IP6 = 8, T_IP6NET = 16 };

/* AddressInfo::configure: each word after the name is every kind it parses
 * as; a word of one kind always defines it, a word of several kinds defines
 * only the kinds no earlier word defined. */
static int define_one(struct pl_engine *e, const char *element, char *arg, char *msg, int msglen)
{
    char *words[64];
    int nw = 0;
    char *save = NULL;
    for (char *w = strtok_r(arg, " \t\r\n\v\f", &save); w && nw < 64;
         w = strtok_r(NULL, " \t\r\n\v\f", &save))
        words[nw++] = w;
    if (nw == 0)
        return 0;                                /* empty arguments are allowed */
    if (nw < 2) {
        snprintf(msg, (size_t)msglen, "expected 'NAME [ADDRS]', got '%s'", words[0]);
        return -1;
    }
    int types = 0;
    for (int j = 1; j < nw; j++) {
        uint8_t eth[6], ip4[8], ip6[17];
        int plen, my = 0;
        uint32_t a4;
        if (!pl_parse_ether_literal(words[j], eth))
            my |= T_ETH;
        if (!pl_parse_ipv4_literal(words[j], &a4)) {
            memcpy(ip4, &a4, 4);
            my |= T_IP4;
        } else if (!ipv4_prefix_literal(words[j], ip4, ip4 + 4)) {
            my |= T_IP4NET;
            for (int i = 0; i < 4; i++)
                if (ip4[i] & ~ip4[4 + i])
                    my |= T_IP4;                 /* host bits: an address too */
        }
        if (!pl_parse_ipv6(words[j], ip6)) {
            my |= T_IP6;
        } else if (!pl_parse_ipv6_prefix(words[j], ip6, &plen)) {
            my |= T_IP6NET;
            ip6[16] = (uint8_t)plen;
            for (int i = 0; i < 16; i++) {
                int bits = plen - 8 * i;
                uint8_t m = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
                if (ip6[i] & ~m)
                    my |= T_IP6;
            }
        }
        if (!my) {
            snprintf(msg, (size_t)msglen, "'%s' is not a recognizable address", words[j]);
            return -1;
        }
        int one = (my & (my - 1)) == 0;
        int rc = 0;
#define DEF(bit, type, data, len)                                                             \
    if ((my & (bit)) && (one || !(types & (bit))))                                             \
        rc |= pl_addrinfo_define_raw(e, element, words[0], type, data, len);
        DEF(T_ETH, PL_NAME_ETHER, eth, 6)
        DEF(T_IP4, PL_NAME_IP, ip4, 4)
        DEF(T_IP4NET, PL_NAME_PREFIX, ip4, 8)
        DEF(T_IP6, PL_NAME_IP6, ip6, 16)
        DEF(T_IP6NET, PL_NAME_IP6PREFIX, ip6, 17)
#undef DEF
        if (rc) {
            snprintf(msg, (size_t)msglen, "out of memory");
            return -1;
        }
        types |= my;
    }
    return 0;
}

int pl_addrinfo_define_args(struct pl_engine *e, const char *element, int argc, char **argv,
                         char *msg, int msglen)
{
    for (int i = 0; i < argc; i++) {
        char *copy = strdup(argv[i]);
        if (!copy) {
            snprintf(msg, (size_t)msglen, "out of memory");
            return -1;
        }
        int rc = define_one(e, element, copy, msg, msglen);
        free(copy);
        if (rc)
            return -1;
    }
    return 0;
}

int pl_engine_define_addresses(pl_engine *e, const char *element, const char *config,
                               pl_error *err)
{
    pl_argv a = {0};
    if (pl_split_args(config ? config : "", &a) < 0)
        return pl_seterr(err, PL_ERR_CONFIG, NULL, "", "%s: bad AddressInfo configuration",
                         element);
    char msg[256];
    int rc = pl_addrinfo_define_args(e, element, a.n, a.v, msg, (int)sizeof msg);
    pl_argv_free(&a);
    if (rc) {
        rc = pl_seterr(err, PL_ERR_CONFIG, NULL, "", "%s", msg);
        snprintf(err->element, sizeof err->element, "%s", element);
    }
    return rc;
}
