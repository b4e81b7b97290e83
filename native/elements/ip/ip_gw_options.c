/* IPGWOptions: processes the Record Route and Timestamp IP options. */
#include "../../lib/checksum.h"
#include "../../lib/iputil.h"
#include "../../lib/netpkt.h"

#include <time.h>

typedef struct {
    uint32_t myaddr;
    char *others_s;
    pl_addr_list mine;
} igo_state;

enum { C_BAD_OPTION, C_NOBUFS, C_SHORT };
static const char *const counters[] = {"bad_option", "nobufs", "short", NULL};

static int igo_configure(pl_element *e, pl_error *err)
{
    igo_state *s = PL_STATE(e, igo_state);
    const char *bad;
    pl_addr_list_free(&s->mine);
    if (s->others_s && pl_addr_list_parse(s->others_s, 0, &s->mine, &bad))
        return pl_seterr(err, PL_ERR_CONFIG, e, "OTHERADDRS",
                         "OTHERADDRS: '%s' is not an IP address", bad);
    pl_addr_list_add(&s->mine, s->myaddr, 0xffffffffu);
    return 0;
}

static void igo_cleanup(pl_element *e) { pl_addr_list_free(&PL_STATE(e, igo_state)->mine); }

/* Milliseconds since midnight UT, network order (RFC 791). */
static uint32_t ms_today(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint32_t ms = (uint32_t)((ts.tv_sec % 86400) * 1000 + ts.tv_nsec / 1000000);
    uint8_t b[4];
    pl_wr32(b, ms);
    memcpy(&ms, b, 4);
    return ms;
}

/* 0: done; > 0: the offset (in the header) of the bad byte, plus one. */
static int options(igo_state *s, pl_packet *p, pl_ctx *ctx, int *nobufs)
{
    uint8_t *ip = pl_net_header(p);
    unsigned hl = pl_ip_hl(ip);
    int written = 0;
    for (unsigned i = 20; i < hl;) {
        unsigned t = ip[i];
        if (t == 1) {
            i++;
            continue;
        }
        if (t == 0)
            break;
        unsigned xl = i + 1 < hl ? ip[i + 1] : 0;
        if (xl < 2 || i + xl > hl)
            return (int)(i + 1) + 1;
        if (t != 7 && t != 68) {                   /* not Record Route or Timestamp */
            i += xl;
            continue;
        }
        if (!written) {
            if (!pl_packet_writable(ctx->pool, p))
                return *nobufs = 1, 0;
            ip = pl_net_header(p);
            written = 1;
        }
        if (xl < (t == 7 ? 3u : 4u))               /* no room for the pointer (and flags): */
            return (int)(i + 2) + 1;               /* the pointer is bad, as Click says */
        int ptr = (int)ip[i + 2] - 1;              /* the pointer is 1-origin; 0 is bad */
        if (t == 7) {
            if (ptr >= 3 && ptr + 4 <= (int)xl) {
                memcpy(ip + i + ptr, &s->myaddr, 4);
                ip[i + 2] += 4;
            } else if (ptr != (int)xl)
                return (int)(i + 2) + 1;
        } else {
            unsigned oflw = ip[i + 3] >> 4, flg = ip[i + 3] & 15;
            uint32_t ms = ms_today();
            int overflow = 0;
            if (ptr < 4)
                return (int)(i + 2) + 1;
            if (flg == 0) {
                if (ptr + 4 <= (int)xl) {
                    memcpy(ip + i + ptr, &ms, 4);
                    ip[i + 2] += 4;
                } else
                    overflow = 1;
            } else if (flg == 1) {
                if (ptr + 8 <= (int)xl) {
                    memcpy(ip + i + ptr, &s->myaddr, 4);
                    memcpy(ip + i + ptr + 4, &ms, 4);
                    ip[i + 2] += 8;
                } else
                    overflow = 1;
            } else if (flg == 3 && ptr + 8 <= (int)xl) {
                uint32_t a;
                memcpy(&a, ip + i + ptr, 4);
                if (pl_addr_list_has(&s->mine, a)) {
                    memcpy(ip + i + ptr + 4, &ms, 4);
                    ip[i + 2] += 8;
                }
            } else
                return (int)(i + 3) + 1;
            if (overflow) {
                if (oflw >= 15)
                    return (int)(i + 3) + 1;
                ip[i + 3] = (uint8_t)((oflw + 1) << 4 | flg);
            }
        }
        i += xl;
    }
    if (written)
        pl_ip_set_csum(ip, hl);
    return 0;
}

static inline int igo_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    pl_packet *p = *pp;
    uint32_t nlen = pl_net_length(p);
    const uint8_t *ip = pl_net_header(p);
    if (__builtin_expect(nlen < 20 || pl_ip_hl(ip) > nlen, 0)) {
        pl_drop(ctx, e, C_SHORT, p);
        return -1;
    }
    if (__builtin_expect(pl_ip_hl(ip) <= 20, 1))
        return 0;
    int nobufs = 0;
    int bad = options(PL_STATE(e, igo_state), p, ctx, &nobufs);
    if (nobufs) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return -1;
    }
    if (bad) {
        pl_anno_set_u8(p, PL_ANNO_PARAMPROB, (uint8_t)(bad - 1));
        return C_BAD_OPTION + 1;
    }
    return 0;
}

static inline int no_options(const pl_packet *p, const void *aux)
{
    (void)aux;
    return pl_net_length(p) >= 20 && pl_ip_hl(pl_net_header(p)) == 20;
}

static void igo_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    if (__builtin_expect(pl_batch_all(b, no_options, NULL), 1)) {
        pl_output(ctx, e, 0, b);
        return;
    }
    pl_push_verdict(e, b, ctx, igo_check);
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    uint64_t n = pl_counter_total(e, C_BAD_OPTION) +
                 (e->noutputs > 1 ? pl_output_total(e, 1, 0) : 0);
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static const pl_param params[] = {
    {"MYADDR", PL_T_IPV4, offsetof(igo_state, myaddr), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "the address recorded in the options"},
    {"OTHERADDRS", PL_T_STRING, offsetof(igo_state, others_s), NULL, 0, -1, PL_P_POSITIONAL,
     "this router's other addresses (prespecified timestamps)"},
    {0}};

static const pl_handler handlers[] = {
    {"drops", "packets with bad options (dropped or sent to output 1)", read_drops, NULL},
    {0}};

static const pl_class ip_gw_options = {
    .name = "IPGWOptions",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "IPGWOptions(MYADDR [, OTHERADDRS])\n"
           "Processes router IP options.\n\n"
           "Processes the IP options a router must act on (RFC 791): Record Route gets\n"
           "MYADDR, Timestamp gets the time (and MYADDR, or is filled in when its\n"
           "prespecified address is MYADDR or one of OTHERADDRS); overflows are counted\n"
           "in the option. The header checksum is recomputed when an option changed.\n"
           "Packets without options pass untouched. A malformed option sends the packet\n"
           "to output 1 (dropped if unconnected) with its PARAMPROB annotation set to\n"
           "the offset of the bad byte, for ICMPError(..., parameterproblem).\n"
           "Counters: bad_option, nobufs, short (drops).\n\n"
           "Example: gio :: IPGWOptions(10.0.0.1); gio[1] -> ICMPError(10.0.0.1, "
           "parameterproblem) -> rt;",
    .state_size = sizeof(igo_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 3,
    .configure = igo_configure,
    .cleanup = igo_cleanup,
    .push = igo_push,
};
PL_REGISTER_CLASS(ip_gw_options);
