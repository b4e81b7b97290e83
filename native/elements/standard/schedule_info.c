/* ScheduleInfo: Click's task tickets, checked and shown (pktlab's workers do
 * not weigh tasks). */
#include "../../core/element.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    pl_args args;
} schedinfo_state;

/* Each argument is 'ELEMENT PARAM': a name and a non-negative real. */
static int schedinfo_configure(pl_element *e, pl_error *err)
{
    schedinfo_state *s = PL_STATE(e, schedinfo_state);
    for (int i = 0; i < s->args.n; i++) {
        const char *a = s->args.v[i];
        const char *sp = a + strcspn(a, " \t\r\n");
        const char *num = sp + strspn(sp, " \t\r\n");
        char *end = NULL;
        double v = *num ? strtod(num, &end) : -1;
        if (sp == a || !*num || !end || end == num || end[strspn(end, " \t\r\n")] || v < 0)
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "argument %d: expected 'ELEMENT PARAM', "
                             "got '%s'", i + 1, a);
    }
    return 0;
}

static const pl_param params[] = {
    {"ELEMENT", PL_T_ARGS, offsetof(schedinfo_state, args), "", 0, -1, PL_P_POSITIONAL,
     "'ELEMENT PARAM', one per argument"},
    {0}};

static const pl_class schedule_info = {
    .name = "ScheduleInfo",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "ScheduleInfo(ELEMENT PARAM, ...)\n"
           "Specifies scheduling parameters.\n\n"
           "Click's task tickets: each argument names an element and a non-negative\n"
           "real, its share of the CPU relative to other tasks (1 by default). pktlab\n"
           "accepts and checks the arguments so that Click configurations run, but its\n"
           "workers do not weigh tasks by tickets: every runnable task of a worker gets\n"
           "one run per round, and a task with nothing to do sleeps (notifiers, timers).\n"
           "The element has no ports and processes no packets.\n\n"
           "Example: ScheduleInfo(unq 1, src 2);",
    .state_size = sizeof(schedinfo_state),
    .params = params,
    .configure = schedinfo_configure,
};
PL_REGISTER_CLASS(schedule_info);
