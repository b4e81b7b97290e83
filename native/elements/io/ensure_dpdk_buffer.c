/* EnsureDPDKBuffer (FastClick's): every packet leaves owning a buffer that a
 * device may keep; shared or engine-static data is copied first. */
#include "../../lib/netpkt.h"

typedef struct {
    uint8_t force;
    uint8_t fail;
    uint64_t extra;
} edb_state;

enum { C_NOT_DEVICE, C_NOBUFS, C_COPIED };
static const char *const counters[] = {"not_device", "nobufs", "copied", NULL};

/* A buffer a device can own: a DPDK mbuf (external), or a pool buffer that
 * no other packet shares. */
static inline int edb_owned(const pl_packet *p)
{
    if (p->flags & PL_PKT_EXTERNAL)
        return 1;
    const pl_packet *o = p->origin;
    return !(o->flags & (PL_PKT_STATIC | PL_PKT_HEAP)) && !pl_packet_shared(p);
}

static int edb_check(pl_element *e, pl_packet **pp, pl_ctx *ctx)
{
    edb_state *s = PL_STATE(e, edb_state);
    pl_packet *p = *pp;
    if (__builtin_expect(!s->force && edb_owned(p), 1))
        return 0;
    if (s->fail)
        return C_NOT_DEVICE + 1;
    uint32_t head = PL_HEADROOM + (uint32_t)s->extra;
    uint32_t have = (uint32_t)(p->data - p->buf);
    if (have > head)
        head = have;
    if (!pl_packet_reroom(ctx->pool, p, head, 0))
        return C_NOBUFS + 1;
    pl_count(ctx, e, C_COPIED, 1);
    return 0;
}

static void edb_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    pl_push_verdict(e, b, ctx, edb_check);
}

static int edb_configure(pl_element *e, pl_error *err)
{
    edb_state *s = PL_STATE(e, edb_state);
    if (s->force && s->fail)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FAIL",
                         "FORCE_COPY and FAIL cannot both be true");
    if (PL_HEADROOM + s->extra + 64 > PL_BUFSIZE_MAX)
        return pl_seterr(err, PL_ERR_CONFIG, e, "EXTRA_HEADROOM",
                         "EXTRA_HEADROOM %llu leaves no room for a packet (largest buffer %d bytes)",
                         (unsigned long long)s->extra, PL_BUFSIZE_MAX);
    return 0;
}

static const pl_param params[] = {
    {"FORCE_COPY", PL_T_BOOL, offsetof(edb_state, force), "false", 0, -1, PL_P_POSITIONAL,
     "copy every packet, even one that owns its buffer"},
    {"EXTRA_HEADROOM", PL_T_UINT, offsetof(edb_state, extra), "0", 0, 65535, PL_P_POSITIONAL,
     "headroom added to a copy, beyond the engine's"},
    {"FAIL", PL_T_BOOL, offsetof(edb_state, fail), "false", 0, -1, 0,
     "drop packets that are not in a buffer of their own instead of copying"},
    {0}};

static const pl_class ensure_dpdk_buffer = {
    .name = "EnsureDPDKBuffer",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "EnsureDPDKBuffer([FORCE_COPY, EXTRA_HEADROOM, KEYWORDS])\n"
           "Makes sure every packet owns a buffer a device can keep.\n\n"
           "In FastClick, copies packets that are not in a DPDK mbuf into a fresh\n"
           "mbuf. pktlab differs: it allocates no mbuf here. A packet passes as it is\n"
           "when it is a DPDK mbuf received by FromDPDKDevice or an engine pool buffer\n"
           "that no other packet shares; other packets -- clones made by Tee, packets\n"
           "of InfiniteSource or FastUDPSource that share the source's template,\n"
           "static buffers -- get a private copy in a pool buffer, with the engine's\n"
           "headroom plus EXTRA_HEADROOM bytes before the data. Downstream elements\n"
           "can then write without copying. ToDPDKDevice still copies a packet that\n"
           "is not an mbuf into fresh mbufs itself (its copies count), so the copy\n"
           "FastClick makes here happens there in pktlab. Without DPDK it behaves the\n"
           "same.\n\n"
           "Keywords:\n"
           "FORCE_COPY  Boolean. Copy (re-room) every packet, even one that owns its\n"
           "            buffer. Default false.\n"
           "EXTRA_HEADROOM  Unsigned. Headroom added to a copy. Default 0.\n"
           "FAIL        Boolean. Drop packets that are not in a buffer of their own\n"
           "            instead of copying them (counted not_device). Cannot be\n"
           "            combined with FORCE_COPY. Default false.\n\n"
           "Counters: copied; drops: not_device (FAIL), nobufs (no buffer for a copy).\n\n"
           "Example: InfiniteSource(LIMIT 10) -> EnsureDPDKBuffer -> ToDPDKDevice(0);",
    .state_size = sizeof(edb_state),
    .params = params,
    .counters = counters,
    .ndrops = 2,
    .configure = edb_configure,
    .push = edb_push,
};
PL_REGISTER_CLASS(ensure_dpdk_buffer);
