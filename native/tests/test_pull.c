/*
 * Native tests of Click's execution model: push/pull resolution and its
 * errors, pulling through agnostic elements, notifiers (sleeping tasks,
 * blocked workers, wake-ups across threads), timers under simulated time,
 * the stop protocol with a DriverManager, and live change of pull paths.
 * Built plain, under ASan+UBSan and under TSan by the Makefile.
 */
#include "../core/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int passed, failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond)                                                                    \
            passed++;                                                                \
        else {                                                                       \
            failed++;                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

/* A graph from "name Class config" lines and "a port b port" connections. */
static pl_engine *make(const pl_engine_opts *o, const char *const *el, const char *const *cn,
                       pl_error *err)
{
    pl_engine *e = pl_engine_new(o, err);
    for (int i = 0; e && el[i]; i++) {
        char name[64], cls[64];
        int off = 0;
        sscanf(el[i], "%63s %63s %n", name, cls, &off);
        if (pl_engine_add(e, name, cls, el[i] + off, i + 1, 1, err)) {
            pl_engine_free(e);
            return NULL;
        }
    }
    for (int i = 0; e && cn[i]; i++) {
        char a[64], b[64];
        int pa, pb;
        sscanf(cn[i], "%63s %d %63s %d", a, &pa, b, &pb);
        if (pl_engine_connect(e, pl_engine_find(e, a), pa, pl_engine_find(e, b), pb, err)) {
            pl_engine_free(e);
            return NULL;
        }
    }
    if (e && pl_engine_initialize(e, err)) {
        pl_engine_free(e);
        return NULL;
    }
    return e;
}

static uint64_t rd(pl_engine *e, const char *elem, const char *h)
{
    char buf[128];
    pl_error err;
    if (pl_handler_read(e, pl_engine_find(e, elem), h, buf, sizeof buf, &err))
        return UINT64_MAX;
    return strtoull(buf, NULL, 10);
}

static const char *rds(pl_engine *e, const char *elem, const char *h)
{
    static char buf[256];
    pl_error err;
    if (pl_handler_read(e, pl_engine_find(e, elem), h, buf, sizeof buf, &err))
        return "";
    return buf;
}

static void nap(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static void test_resolution(void)
{
    pl_engine_opts o = {.threads = 1};
    pl_error err;
    static const char *const el1[] = {"s InfiniteSource", "q Queue", "t Tee", "d Discard",
                                      "d2 Discard", NULL};
    static const char *const cn1[] = {"s 0 q 0", "q 0 t 0", "t 0 d 0", "t 1 d2 0", NULL};
    CHECK(!make(&o, el1, cn1, &err) &&
          !strcmp(err.message, "'q :: Queue' pull output 0 connected to 't :: Tee' push input 0"));
    static const char *const el2[] = {"s InfiniteSource", "t Tee", "c Counter", "u Unqueue",
                                      "d Discard", "d2 Discard", NULL};
    static const char *const cn2[] = {"s 0 t 0", "t 0 c 0", "c 0 u 0", "u 0 d 0", "t 1 d2 0",
                                      NULL};
    CHECK(!make(&o, el2, cn2, &err) &&
          !strcmp(err.message,
                  "agnostic 'c :: Counter' in mixed context: push input 0, pull output 0"));
    /* Click accepts a pull output feeding two pullers, and Discard pulling. */
    static const char *const el3[] = {"s InfiniteSource LIMIT 10, STOP true", "q Queue",
                                      "d1 Discard", "d2 Discard", NULL};
    static const char *const cn3[] = {"s 0 q 0", "q 0 d1 0", "q 0 d2 0", NULL};
    pl_engine *e = make(&o, el3, cn3, &err);
    CHECK(e != NULL);
    if (e) {
        CHECK(pl_element_port_mode(e, pl_engine_find(e, "d1"), 0, 0) == 'l');
        CHECK(pl_engine_run_inline(e, 0, &err) == 0);
        CHECK(rd(e, "d1", "count") + rd(e, "d2", "count") == 10);
        pl_engine_free(e);
    }
}

/* Queue -> Counter -> Null -> Unqueue: pulled a batch at a time, or a packet
 * at a time in per-packet mode, and every packet accounted for. */
static void test_pull_chain(int per_packet)
{
    pl_engine_opts o = {.threads = 1, .per_packet = per_packet};
    pl_error err;
    static const char *const el[] = {"s InfiniteSource LIMIT 5000, BURST 32, STOP true",
                                     "q Queue 100", "c Counter", "n Null", "u Unqueue 32",
                                     "d Discard", NULL};
    static const char *const cn[] = {"s 0 q 0", "q 0 c 0", "c 0 n 0", "n 0 u 0", "u 0 d 0",
                                     NULL};
    pl_engine *e = make(&o, el, cn, &err);
    CHECK(e != NULL);
    if (!e) {
        fprintf(stderr, "  %s\n", err.message);
        return;
    }
    CHECK(pl_element_port_mode(e, pl_engine_find(e, "c"), 1, 0) == 'l');
    CHECK(pl_engine_run_inline(e, 0, &err) == 0);
    CHECK(rd(e, "d", "count") == 5000 && rd(e, "c", "count") == 5000);
    /* The source never overflows the queue: it sends what fits. */
    CHECK(rd(e, "q", "drops") == 0 && rd(e, "q", "highwater_length") <= 100);
    pl_stats_layout L;
    pl_stats(e, &L);
    int port = pl_port_index(e, pl_engine_find(e, "n"), 0);
    uint64_t ones = L.base[L.hist_off + (size_t)port * PL_HIST_BINS + 1];
    CHECK(per_packet ? ones == 5000 : ones < 5000);
    pl_pool_info pi;
    pl_engine_pools(e, &pi);
    CHECK(pi.allocated == pi.free);
    pl_engine_free(e);
}

/* Across threads: the Queue filled on worker 0, pulled through a Counter by
 * an Unqueue on worker 1 that sleeps when the queue empties. */
static void test_notifier_threads(void)
{
    pl_engine_opts o = {.threads = 2};
    pl_error err;
    static const char *const el[] = {"s InfiniteSource ACTIVE false, BURST 16", "q Queue 256",
                                     "c Counter", "u Unqueue 16", "d Discard",
                                     "sched StaticThreadSched s 0, u 1", NULL};
    static const char *const cn[] = {"s 0 q 0", "q 0 c 0", "c 0 u 0", "u 0 d 0", NULL};
    pl_engine *e = make(&o, el, cn, &err);
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK(pl_engine_start(e, &err) == 0);
    /* Nothing to do: both workers block. */
    int slept = 0;
    for (int i = 0; i < 500 && !slept; i++) {
        nap(2);
        slept = atomic_load(&e->workers[0].sleeping) && atomic_load(&e->workers[1].sleeping);
    }
    CHECK(slept);
    CHECK(!strcmp(rds(e, "u", "scheduled"), "false"));
    /* A packet wakes them. */
    CHECK(pl_handler_write(e, pl_engine_find(e, "s"), "active", "true", &err) == 0);
    for (int i = 0; i < 1000 && rd(e, "d", "count") < 10000; i++)
        nap(2);
    CHECK(pl_handler_write(e, pl_engine_find(e, "s"), "active", "false", &err) == 0);
    nap(50);
    pl_engine_stop(e);
    uint64_t sent = rd(e, "s", "count");
    CHECK(rd(e, "d", "count") >= 10000);
    CHECK(rd(e, "d", "count") + rd(e, "q", "drops") + rd(e, "q", "length") == sent);
    pl_engine_free(e);
}

/* Timers on the simulated clock: a second of TimedSource takes no time. */
static void test_simtime(void)
{
    pl_engine_opts o = {.threads = 1, .simtime = 1};
    pl_error err;
    static const char *const el[] = {"t TimedSource 0.1, LIMIT 10, STOP true", "c Counter",
                                     "d Discard", NULL};
    static const char *const cn[] = {"t 0 c 0", "c 0 d 0", NULL};
    pl_engine *e = make(&o, el, cn, &err);
    CHECK(e != NULL);
    if (!e)
        return;
    uint64_t t0 = pl_engine_clock(e);
    CHECK(pl_engine_run_inline(e, 1000000, &err) == 0);
    CHECK(rd(e, "c", "count") == 10);
    CHECK(pl_engine_clock(e) - t0 >= 1000000000u);
    CHECK(pl_engine_done(e));
    pl_engine_free(e);

    /* RatedSource's rate, exact over 5 simulated seconds. */
    static const char *const el2[] = {"r RatedSource RATE 1000, LENGTH 60", "c Counter",
                                      "d Discard", "dm DriverManager wait 5, stop", NULL};
    static const char *const cn2[] = {"r 0 c 0", "c 0 d 0", NULL};
    e = make(&o, el2, cn2, &err);
    CHECK(e != NULL);
    if (!e) {
        fprintf(stderr, "  %s\n", err.message);
        return;
    }
    CHECK(pl_engine_run_inline(e, 100000000, &err) == 0);
    uint64_t n = rd(e, "c", "count");
    CHECK(n >= 4990 && n <= 5010);
    pl_engine_free(e);
}

/* The stop protocol: STOP requests step the DriverManager, which stops the
 * engine when it ends; its prints go to the engine's output. */
static void test_driver(void)
{
    pl_engine_opts o = {.threads = 1, .simtime = 1};
    pl_error err;
    static const char *const el[] = {"s InfiniteSource LIMIT 7, STOP true", "c Counter",
                                     "d Discard", "dm DriverManager wait, print $(c.count), "
                                     "write s.reset, wait, print $(add $(c.count) 1)",
                                     NULL};
    static const char *const cn[] = {"s 0 c 0", "c 0 d 0", NULL};
    pl_engine *e = make(&o, el, cn, &err);
    CHECK(e != NULL);
    if (!e) {
        fprintf(stderr, "  %s\n", err.message);
        return;
    }
    CHECK(pl_engine_run_inline(e, 1000000, &err) == 0);
    char out[256];
    pl_engine_out_read(e, out, sizeof out);
    CHECK(!strcmp(out, "7\n15\n"));
    CHECK(pl_engine_done(e));
    pl_engine_free(e);
}

/* Live change between push and pull: Counter goes from a push path to a
 * pull path (rebuilt, keeping its count); the queue keeps its packets. */
static void test_live_change(void)
{
    pl_engine_opts o = {.threads = 1};
    pl_error err;
    static const char *const el[] = {"s InfiniteSource LIMIT 100, STOP true", "c Counter",
                                     "d Discard", NULL};
    static const char *const cn[] = {"s 0 c 0", "c 0 d 0", NULL};
    pl_engine *e = make(&o, el, cn, &err);
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK(pl_engine_run_inline(e, 0, &err) == 0);
    CHECK(rd(e, "c", "count") == 100);
    pl_elem_spec els[] = {{"s", "InfiniteSource", "LIMIT 300", 1, 1},
                          {"q", "Queue", "1000", 2, 1},
                          {"c", "Counter", "", 3, 1},
                          {"u", "Unqueue", "ACTIVE false", 4, 1},
                          {"d", "Discard", "", 5, 1}};
    pl_conn_spec cs[] = {{0, 0, 1, 0}, {1, 0, 2, 0}, {2, 0, 3, 0}, {3, 0, 4, 0}};
    pl_apply_stats st;
    CHECK(pl_engine_apply(e, els, 5, cs, 4, &st, &err) == 0);
    CHECK(st.replaced == 2 && st.added == 2);   /* s (STOP is not live) and c (now pull) */
    CHECK(pl_element_port_mode(e, pl_engine_find(e, "c"), 0, 0) == 'l');
    CHECK(pl_engine_run_inline(e, 100, &err) == 0);
    CHECK(rd(e, "q", "length") == 200 && rd(e, "c", "count") == 100);
    els[1].cls = "NotifierQueue";                   /* a swapped queue keeps its packets */
    els[3].config = "";
    CHECK(pl_engine_apply(e, els, 5, cs, 4, &st, &err) == 0);
    CHECK(rd(e, "q", "length") == 200);
    CHECK(pl_engine_run_inline(e, 100, &err) == 0);
    CHECK(rd(e, "c", "count") == 300 && rd(e, "d", "count") == 300);
    pl_pool_info pi;
    pl_engine_pools(e, &pi);
    CHECK(pi.allocated == pi.free);
    pl_engine_free(e);
}

int main(void)
{
    test_resolution();
    test_pull_chain(0);
    test_pull_chain(1);
    test_notifier_threads();
    test_simtime();
    test_driver();
    test_live_change();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
