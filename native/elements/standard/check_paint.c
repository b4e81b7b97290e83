/* CheckPaint: packets whose paint is not COLOR go to output 1 (or are dropped). */
#include "../../core/element.h"

#include <stdlib.h>
#include <strings.h>

typedef struct {
    uint64_t color;
    char *anno;
    int off;                      /* generic annotation byte, -1: the paint field */
} cpaint_state;

enum { C_UNPAINTED };
static const char *const counters[] = {"unpainted", NULL};

static int cpaint_configure(pl_element *e, pl_error *err)
{
    cpaint_state *s = PL_STATE(e, cpaint_state);
    const char *a = s->anno ? s->anno : "PAINT";
    if (!strcasecmp(a, "PAINT")) {
        s->off = -1;
        return 0;
    }
    char *end;
    long v = strtol(a, &end, 0);
    if (end == a || *end || v < 0 || v >= PL_ANNO_SIZE)
        return pl_seterr(err, PL_ERR_CONFIG, e, "ANNO",
                         "ANNO: expected PAINT or an annotation byte 0..%d, got '%s'",
                         PL_ANNO_SIZE - 1, a);
    s->off = (int)v;
    return 0;
}

static int cpaint_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    cpaint_state *s = PL_STATE(e, cpaint_state);
    uint8_t have = s->off < 0 ? p->paint : p->anno[s->off];
    return have == (uint8_t)PL_LIVE(s->color) ? 0 : 1;
}

static const pl_param params[] = {
    {"COLOR", PL_T_UINT, offsetof(cpaint_state, color), NULL, 0, 255,
     PL_P_POSITIONAL | PL_P_LIVE | PL_P_REQUIRED, "the paint value packets must have"},
    {"ANNO", PL_T_STRING, offsetof(cpaint_state, anno), "PAINT", 0, -1, PL_P_POSITIONAL,
     "annotation to check: PAINT, or a byte offset into the generic annotations"},
    {0}};

static const pl_class check_paint = {
    .name = "CheckPaint",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "CheckPaint(COLOR [, ANNO])\n"
           "Checks packets' paint annotation.\n\n"
           "Packets whose paint annotation (or, with ANNO a number, that byte of the\n"
           "generic annotations) equals COLOR go to output 0; the others go to output 1,\n"
           "or are dropped and counted when output 1 is not connected.\n\n"
           "Keywords: COLOR (0..255, handler color, read/write), ANNO.\n"
           "Counters: unpainted (dropped for want of output 1).\n\n"
           "Example: ... -> CheckPaint(2) -> ...;",
    .state_size = sizeof(cpaint_state),
    .params = params,
    .counters = counters,
    .ndrops = 1,
    .unused_output_counter = C_UNPAINTED,
    .configure = cpaint_configure,
    .classify = cpaint_classify,
};
PL_REGISTER_CLASS(check_paint);
