/*
 * Native tests of whole engines on threads: workers, live change under load,
 * Pipeliner and Queue between threads (clones and jumbo packets crossing),
 * and IP reassembly of the largest datagrams. Built plain, under ASan+UBSan
 * and under TSan by the Makefile. Prints "N passed, N failed" and exits
 * non-zero on failure.
 */
#include "core_check.h"

static void test_threads(void)
{
    static const char *const spec[] = {
        "s0", "InfiniteSource", "LENGTH 64, BURST 16",
        "s1", "InfiniteSource", "LENGTH 64, BURST 64",
        "c", "Counter", "",
        "d", "Discard", ""};
    static const int conns[][4] = {{0, 0, 2, 0}, {1, 0, 2, 0}, {2, 0, 3, 0}};
    pl_error err;
    pl_engine *e = build(2, spec, 4, conns, 3, &err);
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK(pl_element_thread(e, 0) == 0 && pl_element_thread(e, 1) == 1);
    CHECK(pl_engine_start(e, &err) == 0);
    /* Live writes and reads while the workers run. */
    for (int i = 0; i < 50; i++) {
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
        CHECK(pl_handler_write(e, 0, "burst", i % 2 ? "1" : "256", &err) == 0);
        (void)read_u64(e, "c", "count");
    }
    pl_engine_stop(e);
    uint64_t sent = read_u64(e, "s0", "count") + read_u64(e, "s1", "count");
    CHECK(sent > 0);
    CHECK(read_u64(e, "c", "count") == sent);
    CHECK(read_u64(e, "d", "count") == sent);
    pl_pool_info pi;
    pl_engine_pools(e, &pi);
    CHECK(pi.allocated == pi.free);
    /* A second start after a stop continues counting (waiting for it as
     * long as a loaded machine and a sanitizer need, at most 10 s). */
    CHECK(pl_engine_start(e, &err) == 0);
    struct timespec ts = {0, 5000000};
    for (int i = 0; i < 2000 && read_u64(e, "d", "count") <= sent; i++)
        nanosleep(&ts, NULL);
    pl_engine_stop(e);
    CHECK(read_u64(e, "d", "count") > sent);
    pl_engine_free(e);
}

/* Live change under load on two threads: random graphs, exact conservation. */
static void test_apply_storm(void)
{
    static const char *const spec[] = {
        "s0", "InfiniteSource", "LENGTH 64, BURST 16",
        "s1", "InfiniteSource", "LENGTH 60, BURST 64",
        "join", "Counter", "",
        "sink", "Discard", ""};
    static const int conns[][4] = {{0, 0, 2, 0}, {1, 0, 2, 0}, {2, 0, 3, 0}};
    pl_error err;
    pl_engine *e = build(2, spec, 4, conns, 3, &err);
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK(pl_engine_start(e, &err) == 0);
    static const char *const middle[][2] = {
        {"Null", ""}, {"Counter", ""}, {"Paint", "3"}, {"Strip", "14"}, {"Unstrip", "0"}};
    unsigned seed = 7;
    int ok = 1;
    for (int round = 0; round < 300 && ok; round++) {
        pl_elem_spec els[12];
        pl_conn_spec cs[16];
        char names[8][16];
        int n = 0, nc = 0;
        seed = seed * 1103515245u + 12345u;
        const char *bursts[] = {"LENGTH 64, BURST 1", "LENGTH 64, BURST 16", "LENGTH 70, BURST 32"};
        els[n++] = (pl_elem_spec){"s0", "InfiniteSource", bursts[(seed >> 8) % 3], 1, 1};
        els[n++] = (pl_elem_spec){"s1", "InfiniteSource", "LENGTH 60, BURST 64", 2, 1};
        els[n++] = (pl_elem_spec){"join", "Counter", "", 3, 1};
        int k = (int)((seed >> 4) % 5);
        int prev = 2;
        for (int i = 0; i < k; i++) {
            int m = (int)((seed >> (i * 3 + 11)) % 5);
            snprintf(names[i], sizeof names[i], "m%d_%d", i, m);
            els[n] = (pl_elem_spec){names[i], middle[m][0], middle[m][1], 4 + i, 1};
            cs[nc++] = (pl_conn_spec){prev, 0, n, 0};
            prev = n++;
        }
        els[n] = (pl_elem_spec){"sink", "Discard", "", 10, 1};
        cs[nc++] = (pl_conn_spec){prev, 0, n, 0};
        n++;
        cs[nc++] = (pl_conn_spec){0, 0, 2, 0};
        cs[nc++] = (pl_conn_spec){1, 0, 2, 0};
        pl_apply_stats st;
        ok = pl_engine_apply(e, els, n, cs, nc, &st, &err) == 0;
        if (!ok)
            fprintf(stderr, "  apply failed: %s: %s\n", err.element, err.message);
        if (round % 7 == 0)
            pl_handler_write(e, 1, "burst", round % 2 ? "4" : "128", &err);
    }
    CHECK(ok);
    pl_engine_stop(e);
    uint64_t sent = read_u64(e, "s0", "count") + read_u64(e, "s1", "count");
    uint64_t live = 0;
    for (int i = 0; i < pl_engine_nelements(e); i++) {
        int cls = pl_element_class(e, i);
        for (int c = 0; c < pl_class_ndrops(cls); c++)
            live += pl_stats_counter_total(e, (uint32_t)(pl_counter_index(e, i) + c));
    }
    CHECK(sent > 0);
    CHECK(live + pl_engine_retired_drops(e) == sent);
    pl_pool_info pi;
    pl_engine_pools(e, &pi);
    CHECK(pi.allocated == pi.free);
    pl_engine_free(e);
}

/* Packets crossing threads through a Pipeliner, with clones (Tee) on the way;
 * its ring moving packets or batches (CAPACITY 100: batches of 32 split). */
static void test_pipeliner_threads_with(const char *conf)
{
    const char *const spec[] = {
        "src", "InfiniteSource", "LENGTH 64, BURST 32",
        "t", "Tee", "",
        "p", "Pipeliner", conf,
        "d0", "Discard", "",
        "d1", "Discard", "",
        "sched", "StaticThreadSched", "src 0, p 1"};
    static const int conns[][4] = {{0, 0, 1, 0}, {1, 0, 2, 0}, {1, 1, 4, 0}, {2, 0, 3, 0}};
    pl_error err;
    pl_engine *e = build(2, spec, 6, conns, 4, &err);
    CHECK(e != NULL);
    if (!e) {
        fprintf(stderr, "  %s: %s\n", err.element, err.message);
        return;
    }
    CHECK(pl_engine_atomic_refs(e) == 1);
    CHECK(pl_element_threads(e, 3) == 2);          /* d0: only the draining thread */
    CHECK(pl_engine_start(e, &err) == 0);
    run_until_counted(e, "d0");
    pl_engine_stop(e);
    CHECK(read_u64(e, "d0", "count") > 0);
    uint64_t sent = read_u64(e, "src", "count");
    uint64_t queued = read_u64(e, "p", "queued");
    uint64_t dropped = read_u64(e, "p", "dropped");
    CHECK(read_u64(e, "d1", "count") == sent);     /* the clones */
    CHECK(read_u64(e, "d0", "count") + dropped + queued == sent);
    pl_pool_info pi;
    pl_engine_pools(e, &pi);
    CHECK(pi.allocated - pi.free == queued);
    pl_engine_free(e);
}

static void test_pipeliner_threads(void)
{
    test_pipeliner_threads_with("CAPACITY 256");
    test_pipeliner_threads_with("CAPACITY 256, BATCHES true");
    test_pipeliner_threads_with("CAPACITY 100, BATCHES true");
    test_pipeliner_threads_with("CAPACITY 100, BATCHES true, BLOCKING true");
}

/* Jumbo and 64 KB packets crossing threads: grown on the consumer's side,
 * freed there, every buffer back in its own class at the end. */
static void test_big_threads(void)
{
    static const char *const spec[] = {
        "src", "InfiniteSource", "LENGTH 9000, BURST 32",
        "t", "Tee", "",
        "p", "Pipeliner", "CAPACITY 256",
        "u0", "Unstrip", "200",
        "u1", "Unstrip", "50000",
        "d0", "Discard", "",
        "d1", "Discard", "",
        "sched", "StaticThreadSched", "src 0, p 1"};
    static const int conns[][4] = {{0, 0, 1, 0}, {1, 0, 2, 0}, {1, 1, 4, 0}, {2, 0, 3, 0},
                                   {3, 0, 5, 0}, {4, 0, 6, 0}};
    pl_error err;
    pl_engine *e = build(2, spec, 8, conns, 6, &err);
    CHECK(e != NULL);
    if (!e) {
        fprintf(stderr, "  %s: %s\n", err.element, err.message);
        return;
    }
    CHECK(pl_engine_start(e, &err) == 0);
    run_until_counted(e, "d0");
    pl_engine_stop(e);
    uint64_t sent = read_u64(e, "src", "count");
    uint64_t queued = read_u64(e, "p", "queued");
    uint64_t d0 = read_u64(e, "d0", "count"), d1 = read_u64(e, "d1", "count");
    CHECK(d0 > 0 && d1 == sent);
    CHECK(d0 + read_u64(e, "p", "dropped") + queued == sent);
    CHECK(pl_stats_counter_total(e, PL_CORE_GROWN) == d0 + d1);   /* each Unstrip moved one */
    pl_pool_info pi;
    pl_engine_pools(e, &pi);
    CHECK(pi.class_allocated[1] > 0 && pi.class_allocated[2] > 0);
    CHECK(pi.class_allocated[1] == pi.class_free[1] && pi.class_allocated[2] == pi.class_free[2]);
    CHECK(pi.allocated - pi.free == queued);        /* the clones still in the Pipeliner */
    pl_engine_free(e);
}

/* The vanilla Click model across threads: Queue pushed on 0, Unqueue on 1. */
static void test_queue_threads(void)
{
    static const char *const spec[] = {
        "src", "InfiniteSource", "LENGTH 64, BURST 32",
        "q", "Queue", "512",
        "u", "Unqueue", "BURST 16",
        "d", "Discard", "",
        "sched", "StaticThreadSched", "src 0, u 1"};
    static const int conns[][4] = {{0, 0, 1, 0}, {1, 0, 2, 0}, {2, 0, 3, 0}};
    pl_error err;
    pl_engine *e = build(2, spec, 5, conns, 3, &err);
    CHECK(e != NULL);
    if (!e) {
        fprintf(stderr, "  %s: %s\n", err.element, err.message);
        return;
    }
    CHECK(pl_engine_start(e, &err) == 0);
    run_until_counted(e, "d");
    pl_engine_stop(e);
    uint64_t sent = read_u64(e, "src", "count");
    CHECK(read_u64(e, "d", "count") > 0);
    CHECK(read_u64(e, "d", "count") + read_u64(e, "q", "drops") + read_u64(e, "q", "length") == sent);
    pl_engine_free(e);
}

/* IPFragmenter -> IPReassembler rebuilds 65,535-byte datagrams (the largest
 * pool class, the chunk list in the holes) under the sanitizers. */
static void test_ip_reassembler(void)
{
    static const char *const spec[] = {
        "src", "InfiniteSource",
        "DATA \\<4500ffff 00010000 40110000 0a000001 0a000002>, LENGTH 65535, LIMIT 24, "
        "BURST 8, STOP true",
        "m", "MarkIPHeader", "",
        "f", "IPFragmenter", "1500",
        "r", "IPReassembler", "",
        "k", "CheckIPHeader", "",
        "c", "Counter", "",
        "d", "Discard", ""};
    static const int conns[][4] = {{0, 0, 1, 0}, {1, 0, 2, 0}, {2, 0, 3, 0},
                                   {3, 0, 4, 0}, {4, 0, 5, 0}, {5, 0, 6, 0}};
    pl_error err;
    pl_engine *e = build(1, spec, 7, conns, 6, &err);
    CHECK(e != NULL);
    if (!e) {
        fprintf(stderr, "  %s: %s\n", err.element, err.message);
        return;
    }
    CHECK(pl_engine_run_inline(e, 0, &err) == 0);
    CHECK(read_u64(e, "c", "count") == 24);
    CHECK(read_u64(e, "c", "byte_count") == 24 * 65535);
    CHECK(read_u64(e, "r", "reassembled") == 24 && read_u64(e, "r", "pending") == 0);
    pl_pool_info pi;
    pl_engine_pools(e, &pi);
    CHECK(pi.allocated == pi.free);
    pl_engine_free(e);
}

int main(void)
{
    test_threads();
    test_apply_storm();
    test_pipeliner_threads();
    test_queue_threads();
    test_big_threads();
    test_ip_reassembler();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
