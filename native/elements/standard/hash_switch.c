/* HashSwitch: chooses an output by a hash of some packet bytes (Click's). */
#include "../../core/element.h"

typedef struct {
    uint64_t offset, length;
} hswitch_state;

static int hs_configure(pl_element *e, pl_error *err)
{
    if (!PL_STATE(e, hswitch_state)->length)
        return pl_seterr(err, PL_ERR_CONFIG, e, "LENGTH", "length must be > 0");
    return 0;
}

/* Click's hash: the bytes' sum, folded for 2, 4 or 8 outputs; a packet too
 * short for the bytes goes to output 0. */
static int hs_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    hswitch_state *s = PL_STATE(e, hswitch_state);
    uint64_t o = s->offset, l = s->length;
    if ((uint64_t)p->len < o + l)
        return 0;
    int d = 0;
    for (uint64_t i = o; i < o + l; i++)
        d += p->data[i];
    int n = e->noutputs;
    if (n == 2 || n == 4 || n == 8)
        return (d ^ (d >> 4)) & (n - 1);
    return d % n;
}

static const pl_param params[] = {
    {"OFFSET", PL_T_UINT, offsetof(hswitch_state, offset), NULL, 0, 65535,
     PL_P_POSITIONAL | PL_P_REQUIRED, "first byte hashed"},
    {"LENGTH", PL_T_UINT, offsetof(hswitch_state, length), NULL, 0, 65535,
     PL_P_POSITIONAL | PL_P_REQUIRED, "bytes hashed (> 0)"},
    {0}};

static const pl_class hash_switch = {
    .name = "HashSwitch",
    .ports = "1/1-",
    .processing = "h/h",
    .doc = "HashSwitch(OFFSET, LENGTH)\n"
           "Chooses an output by a hash of packet bytes.\n\n"
           "Sums the LENGTH bytes at OFFSET (with 2, 4 or 8 outputs folds the sum,\n"
           "(d ^ d >> 4) & (n - 1); otherwise d % n) and sends the packet to that\n"
           "output, so packets with the same bytes (a flow's addresses) stay together.\n"
           "Packets shorter than OFFSET + LENGTH go to output 0.\n\n"
           "Example: CheckIPHeader(14) -> HashSwitch(26, 8) => (q0, q1);",
    .state_size = sizeof(hswitch_state),
    .params = params,
    .configure = hs_configure,
    .classify = hs_classify,
};
PL_REGISTER_CLASS(hash_switch);
