/* FixIPSrc: sets the IP source of packets that carry the FIX_IP_SRC annotation. */
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

typedef struct {
    uint32_t addr;
} fis_state;

enum { C_SHORT, C_NOBUFS, C_FIXED };
static const char *const counters[] = {"short", "nobufs", "fixed", NULL};

static inline int unmarked(const pl_packet *p, const void *aux)
{
    (void)aux;
    return !pl_anno_u8(p, PL_ANNO_FIX_IP_SRC);
}

static inline int fis_one(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    pl_packet *p = *pp;
    if (!pl_anno_u8(p, PL_ANNO_FIX_IP_SRC))
        return 0;
    if (pl_net_length(p) < 20)
        return C_SHORT + 1;
    if (!pl_packet_writable(ctx->pool, p))
        return C_NOBUFS + 1;
    uint8_t *ip = pl_net_header(p);
    uint8_t now[4];
    memcpy(now, &PL_STATE(e, fis_state)->addr, 4);
    uint16_t hc;
    memcpy(&hc, ip + 10, 2);
    hc = pl_csum_update32(hc, ip + 12, now);
    memcpy(ip + 12, now, 4);
    memcpy(ip + 10, &hc, 2);
    pl_anno_set_u8(p, PL_ANNO_FIX_IP_SRC, 0);
    pl_count(ctx, e, C_FIXED, 1);
    return 0;
}

static void fis_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    if (__builtin_expect(pl_batch_all(b, unmarked, NULL), 1))
        pl_output(ctx, e, 0, b);              /* no ICMP error in the batch */
    else
        pl_push_verdict(e, b, ctx, fis_one);
}

static const pl_param params[] = {
    {"IPADDR", PL_T_IPV4, offsetof(fis_state, addr), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "the source address to write"},
    {0}};

static const pl_class fix_ip_src = {
    .name = "FixIPSrc",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "FixIPSrc(IPADDR)\n"
           "Sets IP source field if requested by annotation.\n\n"
           "For packets whose FIX_IP_SRC annotation is set (ICMPError sets it), writes\n"
           "IPADDR into the IP source field, updates the header checksum incrementally\n"
           "(RFC 1624) and clears the annotation. Other packets pass unchanged. The\n"
           "router puts one per interface, so that ICMP errors leave with the address\n"
           "of the interface they leave through (RFC 1812 4.3.2.4).\n"
           "Counters: short, nobufs (drops); fixed.\n\n"
           "Example: ... -> FixIPSrc(10.0.1.1) -> dt :: DecIPTTL -> ...",
    .state_size = sizeof(fis_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .push = fis_push,
};
PL_REGISTER_CLASS(fix_ip_src);
