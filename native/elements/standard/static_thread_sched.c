/* StaticThreadSched: pins tasks to worker threads (Click's). */
#include "../../core/engine.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    pl_args rules;                /* "ELEMENT THREAD" pairs */
} sts_state;

/* Runs before the engine assigns the remaining tasks: place the named ones. */
static int sts_initialize(pl_element *e, pl_error *err)
{
    sts_state *s = PL_STATE(e, sts_state);
    pl_engine *eng = e->eng;
    for (int i = 0; i < s->rules.n; i++) {
        char name[96];
        int thread;
        if (sscanf(s->rules.v[i], "%95s %d", name, &thread) != 2)
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "expected 'ELEMENT THREAD', got '%s'",
                             s->rules.v[i]);
        int k = pl_engine_find(eng, name);
        if (k < 0)
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "no element named '%s'", name);
        pl_element *t = eng->elems[k];
        if (!t->cls->run_task)
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "'%s' (%s) is not a task", name,
                             t->cls->name);
        if (thread < 0 || thread >= eng->nthreads)
            return pl_seterr(err, PL_ERR_CONFIG, e, "",
                             "thread %d for '%s' is out of range: the engine has %d thread%s",
                             thread, name, eng->nthreads, eng->nthreads == 1 ? "" : "s");
        t->thread = thread;
    }
    return 0;
}

static const pl_param params[] = {
    {"RULES", PL_T_ARGS, offsetof(sts_state, rules), NULL, 0, -1, PL_P_POSITIONAL,
     "ELEMENT THREAD pairs"},
    {0}};

static const pl_class static_thread_sched = {
    .name = "StaticThreadSched",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "StaticThreadSched(ELEMENT THREAD, ...)\n"
           "Places tasks on chosen worker threads.\n\n"
           "Runs each named task element (a source, a device input, a Pipeliner) on\n"
           "worker THREAD (0-based) instead of the engine's choice. Tasks not named\n"
           "are spread over the workers with the fewest tasks.\n\n"
           "Example: StaticThreadSched(src0 0, pipe 1);",
    .state_size = sizeof(sts_state),
    .params = params,
    .initialize = sts_initialize,
};
PL_REGISTER_CLASS(static_thread_sched);
