/* SetIPECN: sets the IP header's ECN bits, updating the checksum incrementally. */
#include "../../lib/ipfield.h"

#include <strings.h>

typedef struct {
    char *ecn_s;
    uint8_t ecn;
} se_state;

enum { C_BAD, C_NOBUFS };
static const char *const counters[] = {"bad_header", "nobufs", NULL};

static int se_configure(pl_element *e, pl_error *err)
{
    se_state *s = PL_STATE(e, se_state);
    const char *v = s->ecn_s;
    if (v[0] >= '0' && v[0] <= '3' && !v[1])
        s->ecn = (uint8_t)(v[0] - '0');
    else if (!strcmp(v, "no") || !strcmp(v, "-"))
        s->ecn = 0;
    else if (!strcmp(v, "ect1") || !strcmp(v, "ECT(1)"))
        s->ecn = 1;
    else if (!strcmp(v, "ect2") || !strcmp(v, "ECT(0)"))
        s->ecn = 2;
    else if (!strcasecmp(v, "ce"))
        s->ecn = 3;
    else
        return pl_seterr(err, PL_ERR_CONFIG, e, "ECN", "ECN: bad ECN argument '%s' "
                         "(0-3, no, ect1, ect2, ECT(0), ECT(1), ce)", v);
    return 0;
}

static pl_packet *se_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    unsigned hl;
    if (__builtin_expect(!pl_ip_header_ok(p, &hl), 0)) {
        pl_drop(ctx, e, C_BAD, p);
        return NULL;
    }
    if (!pl_packet_writable(ctx->pool, p)) {
        pl_drop(ctx, e, C_NOBUFS, p);
        return NULL;
    }
    uint8_t *ip = pl_net_header(p);
    uint16_t old, now;
    memcpy(&old, ip, 2);
    ip[1] = (uint8_t)((ip[1] & 0xfc) | PL_STATE(e, se_state)->ecn);
    memcpy(&now, ip, 2);
    pl_cksum_update(ip + 10, old, now);
    return p;
}

static const pl_param params[] = {
    {"ECN", PL_T_STRING, offsetof(se_state, ecn_s), NULL, 0, -1, PL_P_POSITIONAL | PL_P_REQUIRED,
     "0-3, no, ect1 (ECT(1)), ect2 (ECT(0)) or ce"},
    {0}};

static const pl_class set_ip_ecn = {
    .name = "SetIPECN",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "SetIPECN(ECN)\n"
           "Sets IP packets' ECN fields.\n\n"
           "Sets the two low bits of the IP header's TOS byte to ECN and updates the\n"
           "header checksum incrementally. ECN is 0-3 or a name: no (or -), ect1 or\n"
           "ECT(1), ect2 or ECT(0), ce.\n"
           "Counters (drops): bad_header (no IP header), nobufs.\n\n"
           "Example: ... -> SetIPECN(ce) -> ...",
    .state_size = sizeof(se_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .configure = se_configure,
    .simple_action = se_action,
};
PL_REGISTER_CLASS(set_ip_ecn);
