/* MarkIPCE: sets IP packets' ECN field to Congestion Experienced. */
#include "../../core/element.h"
#include "../../lib/checksum.h"
#include "../../lib/netpkt.h"

typedef struct {
    uint8_t force;
} mce_state;

enum { C_NOT_ECT, C_NOBUFS };
static const char *const counters[] = {"drops", "nobufs", NULL};

static pl_packet *mce_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    uint8_t *ip = pl_net_header(p);
    uint8_t ecn = ip[1] & 3;
    if (ecn == 0 && !PL_LIVE(PL_STATE(e, mce_state)->force)) {
        pl_drop(ctx, e, C_NOT_ECT, p);
        return NULL;
    }
    if (ecn == 3)
        return p;
    size_t off = (size_t)(ip - p->data);
    p = pl_writable(ctx, e, C_NOBUFS, p);
    if (!p)
        return NULL;
    ip = p->data + off;
    uint16_t old, now, sum;                 /* memory order, as pl_csum_update16 wants */
    memcpy(&old, ip, 2);
    ip[1] |= 3;
    memcpy(&now, ip, 2);
    memcpy(&sum, ip + 10, 2);
    sum = pl_csum_update16(sum, old, now);
    memcpy(ip + 10, &sum, 2);
    return p;
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_NOT_ECT));
}

static const pl_param params[] = {
    {"FORCE", PL_T_BOOL, offsetof(mce_state, force), "false", 0, -1, PL_P_POSITIONAL | PL_P_LIVE,
     "mark packets that are not ECN-capable too"},
    {0}};

static const pl_handler handlers[] = {
    {"drops", "packets dropped for not being ECN-capable", read_drops, NULL},
    {0}};

static const pl_class mark_ip_ce = {
    .name = "MarkIPCE",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "MarkIPCE([FORCE])\n"
           "Sets IP packets' ECN field to Congestion Experienced.\n\n"
           "Expects IP packets (the network header annotation, as CheckIPHeader sets\n"
           "it). Sets each packet's ECN field to Congestion Experienced (3), updates the\n"
           "IP checksum incrementally and passes it on. Packets whose ECN field is 0\n"
           "(not ECN-capable) are dropped, unless FORCE is true.\n\n"
           "Keywords: FORCE (bool).\n"
           "Handlers: drops (read).\n"
           "Counters: drops (not ECN-capable), nobufs.\n\n"
           "Example: ... -> CheckIPHeader -> MarkIPCE -> ...;",
    .state_size = sizeof(mce_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 2,
    .simple_action = mce_action,
};
PL_REGISTER_CLASS(mark_ip_ce);
