/* Truncate: limits packet length. */
#include "../../lib/netpkt.h"
#include "../../core/args.h"

typedef struct {
    uint64_t length;
    uint8_t extra;
} trunc_state;

static pl_packet *trunc_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    trunc_state *s = PL_STATE(e, trunc_state);
    uint64_t max = PL_LIVE(s->length);
    if (p->len > max) {
        uint32_t cut = p->len - (uint32_t)max;
        if (s->extra)
            pl_anno_set_u32(p, PL_ANNO_EXTRA_LENGTH, pl_anno_u32(p, PL_ANNO_EXTRA_LENGTH) + cut);
        p->len -= cut;
    }
    return p;
}

static int read_nbytes(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)PL_LIVE(PL_STATE(e, trunc_state)->length));
}

static int write_nbytes(pl_element *e, const char *v, pl_error *err)
{
    uint64_t n;
    if (pl_parse_uint(v, &n) || n > 0xffffffffu)
        return pl_seterr(err, PL_ERR_HANDLER, e, "nbytes", "nbytes: expected a length, got '%s'", v);
    __atomic_store_n(&PL_STATE(e, trunc_state)->length, n, __ATOMIC_RELAXED);
    return 0;
}

static const pl_param params[] = {
    {"LENGTH", PL_T_UINT, offsetof(trunc_state, length), NULL, 0, 4294967295.0,
     PL_P_POSITIONAL | PL_P_REQUIRED | PL_P_LIVE, "longest packet let through"},
    {"EXTRA_LENGTH", PL_T_BOOL, offsetof(trunc_state, extra), "true", 0, -1, 0,
     "add the bytes cut off to the extra length annotation"},
    {0}};

static const pl_handler handlers[] = {
    {"nbytes", "LENGTH, as Click names the handler", read_nbytes, write_nbytes},
    {0}};

static const pl_class truncate_class = {
    .name = "Truncate",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Truncate(LENGTH [, EXTRA_LENGTH])\n"
           "Limit packet length.\n\n"
           "Cuts packets longer than LENGTH bytes down to LENGTH by moving their end\n"
           "(nothing is copied). With EXTRA_LENGTH (the default) the bytes cut off are\n"
           "added to the extra length annotation, which Pad and the summary dumps read.\n"
           "Handlers: length, nbytes (LENGTH, writable while running).\n\n"
           "Example: FromDump(f.pcap) -> Truncate(68) -> ToDump(heads.pcap);",
    .state_size = sizeof(trunc_state),
    .params = params,
    .handlers = handlers,
    .simple_action = trunc_action,
};
PL_REGISTER_CLASS(truncate_class);
