/*
 * What the core's native tests share: CHECK and its tally, a graph built
 * from a table, a handler read as a number, and waiting for traffic.
 * Each test program includes it once (static: one copy per program).
 */
#ifndef PL_TESTS_CORE_CHECK_H
#define PL_TESTS_CORE_CHECK_H

#include "../core/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PL_TEST_UNUSED __attribute__((unused))

static int passed, failed;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                      \
    } while (0)

PL_TEST_UNUSED static pl_engine *build(int threads, const char *const *spec, int nspec,
                        const int (*conns)[4], int nconns, pl_error *err)
{
    pl_engine_opts o = {.threads = threads};
    pl_engine *e = pl_engine_new(&o, err);
    for (int i = 0; e && i < nspec; i++)
        if (pl_engine_add(e, spec[3 * i], spec[3 * i + 1], spec[3 * i + 2], i + 1, 1, err)) {
            pl_engine_free(e);
            return NULL;
        }
    for (int i = 0; e && i < nconns; i++)
        if (pl_engine_connect(e, conns[i][0], conns[i][1], conns[i][2], conns[i][3], err)) {
            pl_engine_free(e);
            return NULL;
        }
    if (e && pl_engine_initialize(e, err)) {
        pl_engine_free(e);
        return NULL;
    }
    return e;
}

PL_TEST_UNUSED static uint64_t read_u64(pl_engine *e, const char *elem, const char *h)
{
    char buf[64];
    pl_error err;
    if (pl_handler_read(e, pl_engine_find(e, elem), h, buf, sizeof buf, &err))
        return UINT64_MAX;
    return strtoull(buf, NULL, 10);
}

/* Let a running engine work until `elem` counted something (at most 10 s:
 * machines are shared and sanitizers are slow), then a little more. */
PL_TEST_UNUSED static void run_until_counted(pl_engine *e, const char *elem)
{
    struct timespec ts = {0, 10000000};
    for (int i = 0; i < 1000 && read_u64(e, elem, "count") == 0; i++)
        nanosleep(&ts, NULL);
    nanosleep(&ts, NULL);
}

#endif
