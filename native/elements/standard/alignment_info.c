/* AlignmentInfo: Click's alignment hints, checked and kept. */
#include "../../core/element.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    pl_args args;
} ainfo_state;

static int ainfo_initialize(pl_element *e, pl_error *err)
{
    ainfo_state *s = PL_STATE(e, ainfo_state);
    for (int i = 0; i < s->args.n; i++) {
        char *copy = strdup(s->args.v[i]), *save = NULL;
        if (!copy)
            return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
        int words = 0, bad = 0;
        for (char *w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
            if (words == 0) {
                if (pl_engine_find(e->eng, w) < 0) {
                    pl_seterr(err, PL_ERR_CONFIG, e, "", "no element named '%s'", w);
                    bad = 1;
                    break;
                }
            } else {
                char *end;
                strtol(w, &end, 0);
                if (*end) {
                    pl_seterr(err, PL_ERR_CONFIG, e, "", "expected %s", words % 2 ? "CHUNK"
                                                                                  : "OFFSET");
                    bad = 1;
                    break;
                }
            }
            words++;
        }
        free(copy);
        if (bad)
            return -1;
        if (words && words % 2 != 1)
            return pl_seterr(err, PL_ERR_CONFIG, e, "",
                             "expected 'ELEMENTNAME CHUNK OFFSET [CHUNK OFFSET...]'");
    }
    return 0;
}

static const pl_param params[] = {
    {"ALIGNMENT", PL_T_ARGS, offsetof(ainfo_state, args), NULL, 0, -1, PL_P_POSITIONAL,
     "'ELEMENT CHUNK OFFSET [CHUNK OFFSET...]', one per argument"},
    {0}};

static const pl_class alignment_info = {
    .name = "AlignmentInfo",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "AlignmentInfo(ELEMENT [CHUNK OFFSET]..., ...)\n"
           "Specifies alignment information.\n\n"
           "Click's click-align tool writes these: for each input of ELEMENT, packet data\n"
           "arrives CHUNK-byte aligned plus OFFSET. pktlab checks them (the element names\n"
           "exist, the numbers are numbers) and keeps them as the element's configuration;\n"
           "its elements do not need alignment, so nothing else reads them.\n\n"
           "Example: AlignmentInfo(src 8 2);",
    .state_size = sizeof(ainfo_state),
    .params = params,
    .initialize = ainfo_initialize,
};
PL_REGISTER_CLASS(alignment_info);
