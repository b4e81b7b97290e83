/* Names the IPClassifier language knows (Click's lists). */
#include "ipf.h"

#include "../core/addrinfo.h"

#include <strings.h>

struct nv { const char *n; uint32_t v; };

static int find(const struct nv *t, const char *s, uint32_t *out)
{
    for (; t->n; t++)
        if (!strcasecmp(t->n, s))
            return *out = t->v, 0;
    return -1;
}

static const struct nv ports[] = {
    {"echo", 7}, {"discard", 9}, {"daytime", 13}, {"chargen", 19}, {"ftp-data", 20},
    {"ftp", 21}, {"ssh", 22}, {"telnet", 23}, {"smtp", 25}, {"domain", 53}, {"dns", 53},
    {"bootps", 67}, {"bootpc", 68}, {"tftp", 69}, {"finger", 79}, {"www", 80}, {"http", 80},
    {"pop3", 110}, {"sunrpc", 111}, {"auth", 113}, {"nntp", 119}, {"ntp", 123},
    {"netbios-ns", 137}, {"netbios-dgm", 138}, {"netbios-ssn", 139}, {"snmp", 161},
    {"snmp-trap", 162}, {"irc", 194}, {"imap3", 220}, {"https", 443}, {"rip", 520},
    {"route", 520}, {"imaps", 993}, {"pop3s", 995}, {0, 0}};
static const struct nv protos[] = {{"icmp", 1}, {"igmp", 2}, {"ipip", 4}, {"tcp", 6},
                                   {"udp", 17}, {"gre", 47}, {"esp", 50}, {"ah", 51},
                                   {"sctp", 132}, {0, 0}};
static const struct nv icmp_types[] = {
    {"echo-reply", 0}, {"unreachable", 3}, {"sourcequench", 4}, {"redirect", 5},
    {"echo", 8}, {"routeradvert", 9}, {"routersolicit", 10}, {"timeexceeded", 11},
    {"parameterproblem", 12}, {"timestamp", 13}, {"timestamp-reply", 14}, {"inforeq", 15},
    {"inforeq-reply", 16}, {"maskreq", 17}, {"maskreq-reply", 18}, {0, 0}};
static const struct nv tcp_flags[] = {{"fin", 1}, {"syn", 2}, {"rst", 4}, {"psh", 8},
                                      {"ack", 16}, {"urg", 32}, {"ece", 64}, {"cwr", 128},
                                      {0, 0}};

int ipf_port_name(const char *s, uint32_t *out)
{
    return pl_portinfo_port(s, 0, out) ? find(ports, s, out) : 0;   /* PortInfo's names first */
}
int ipf_proto_name(const char *s, uint32_t *out) { return find(protos, s, out); }
int ipf_icmp_type_name(const char *s, uint32_t *out) { return find(icmp_types, s, out); }
int ipf_tcp_flag_name(const char *s, uint32_t *out) { return find(tcp_flags, s, out); }
