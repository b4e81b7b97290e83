/* ClickyInfo: styles for Click's Clicky GUI, kept and readable. */
#include "../../core/element.h"

#include <string.h>

typedef struct {
    pl_args args;
} clicky_state;

static int read_style(pl_element *e, char *buf, size_t len)
{
    clicky_state *s = PL_STATE(e, clicky_state);
    size_t used = 0;
    buf[0] = 0;
    for (int i = 0; i < s->args.n; i++) {
        if (pl_fmt(buf + used, len - used, "%s%s", s->args.v[i], i + 1 < s->args.n ? "\n" : ""))
            return PL_ERR_HANDLER;
        used += strlen(buf + used);
    }
    return PL_OK;
}

static const pl_param params[] = {
    {"STYLE", PL_T_ARGS, offsetof(clicky_state, args), "", 0, -1, PL_P_POSITIONAL,
     "Clicky style sheet text (CCSS), one argument each"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "style", .doc = "the style arguments, one a line", .read = read_style,
     .flags = PL_H_CALM},
    {0}};

static const pl_class clicky_info = {
    .name = "ClickyInfo",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "ClickyInfo(STYLE ...)\n"
           "Stores information for the Clicky GUI.\n\n"
           "As in Click, the driver does nothing with it: it has no ports, and its\n"
           "arguments are style sheet text (CCSS) for Click's Clicky GUI. pktlab keeps\n"
           "them as written and returns them from the style handler, one argument a\n"
           "line, for a front end to read (pktlab's graph widget does not apply them\n"
           "yet).\n"
           "Handlers: style.\n\n"
           "Example: ClickyInfo(\"Queue { fill: red; }\");",
    .state_size = sizeof(clicky_state),
    .params = params,
    .handlers = handlers,
};
PL_REGISTER_CLASS(clicky_info);
