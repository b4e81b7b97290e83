/* Paint: sets each packet's paint annotation. */
#include "../../core/element.h"

#include <stdlib.h>
#include <strings.h>

typedef struct {
    uint64_t color;
    char *anno;
    int off;                      /* byte of the generic annotations, -1: the paint field */
} paint_state;

static int paint_configure(pl_element *e, pl_error *err)
{
    paint_state *s = PL_STATE(e, paint_state);
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

static pl_packet *paint_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    paint_state *s = PL_STATE(e, paint_state);
    uint8_t c = (uint8_t)PL_LIVE(s->color);
    if (s->off < 0)
        p->paint = c;
    else
        p->anno[s->off] = c;
    return p;
}

static const pl_param params[] = {
    {"COLOR", PL_T_UINT, offsetof(paint_state, color), NULL, 0, 255,
     PL_P_POSITIONAL | PL_P_LIVE | PL_P_REQUIRED, "paint value, 0..255"},
    {"ANNO", PL_T_STRING, offsetof(paint_state, anno), "PAINT", 0, -1, PL_P_POSITIONAL,
     "annotation to set: PAINT, or a byte offset into the generic annotations"},
    {0}};

static const pl_class paint = {
    .name = "Paint",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "Paint(COLOR [, ANNO])\n"
           "Sets the paint annotation.\n\n"
           "Sets each packet's paint annotation (or, with ANNO a number, that byte of\n"
           "its generic annotations) to COLOR and passes it on. COLOR may be changed\n"
           "while running (handler color). Annotations live in the packet's metadata:\n"
           "painting never copies data.\n\n"
           "Example: src -> Paint(2) -> CheckPaint(2) -> ...",
    .state_size = sizeof(paint_state),
    .params = params,
    .configure = paint_configure,
    .simple_action = paint_action,
};
PL_REGISTER_CLASS(paint);
