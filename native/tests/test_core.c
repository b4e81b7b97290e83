/*
 * Native tests of the core: batches, pools, clones, and whole engines run on
 * threads. Built plain, under ASan+UBSan and under TSan by the Makefile.
 * Prints "N passed, N failed" and exits non-zero on failure.
 */
#include "../core/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static void test_batches(void)
{
    pl_pool pool;
    pl_pool_init(&pool, 4096, 0);
    pl_packet *b = pl_pool_alloc_batch(&pool, 10);
    CHECK(b && b->b_count == 10);
    uint32_t n = 0;
    PL_BATCH_FOREACH(p, b) {
        p->len = 60;
        n++;
    }
    CHECK(n == 10);
    pl_batch_recount(b);
    CHECK(b->b_bytes == 600);

    pl_packet *c = pl_pool_alloc_batch(&pool, 5);
    PL_BATCH_FOREACH(p, c) p->len = 100;
    pl_batch_recount(c);
    pl_batch_join(&b, c);
    CHECK(b->b_count == 15 && b->b_bytes == 1100);
    CHECK(b->b_tail == c->b_tail && b->b_tail->next == NULL);

    pl_packet *one = pl_packet_alloc(&pool);
    one->len = 1;
    pl_batch_append(&b, one);
    CHECK(b->b_count == 16 && b->b_tail == one && b->b_bytes == 1101);

    CHECK(pool.allocated - pool.nfree == 16);
    pl_batch_free(&pool, b);
    CHECK(pool.allocated == pool.nfree);
    pl_pool_destroy(&pool);
}

static void test_clones(void)
{
    pl_pool pool;
    pl_pool_init(&pool, 4096, 0);
    pl_packet *p = pl_packet_alloc(&pool);
    p->len = 4;
    memcpy(p->data, "abcd", 4);
    pl_packet *c = pl_packet_clone(&pool, p);
    CHECK(c && c->data == p->data && pl_packet_shared(p) && pl_packet_shared(c));

    /* Writing the clone copies it; the original is untouched. */
    c = pl_packet_uniqueify(&pool, c);
    c->data[0] = 'X';
    CHECK(p->data[0] == 'a' && c->data[0] == 'X' && !pl_packet_shared(p));

    /* Writing an origin that still serves clones moves the origin's data. */
    pl_packet *c2 = pl_packet_clone(&pool, p);
    p = pl_packet_uniqueify(&pool, p);
    p->data[1] = 'Y';
    CHECK(c2->data[1] == 'b' && p->data[1] == 'Y' && p->data[0] == 'a');

    pl_packet_free(&pool, c2);
    pl_packet_free(&pool, c);
    pl_packet_free(&pool, p);
    CHECK(pool.allocated == pool.nfree);

    /* A batch with clones in it is freed packet by packet. */
    pl_packet *q = pl_packet_alloc(&pool);
    pl_packet *b = pl_packet_clone(&pool, q);
    pl_batch_append(&b, q);
    pl_batch_append(&b, pl_packet_clone(&pool, q));
    pl_batch_free(&pool, b);
    CHECK(pool.allocated == pool.nfree);
    pl_pool_destroy(&pool);
}

static pl_engine *build(int threads, const char *const *spec, int nspec,
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

static uint64_t read_u64(pl_engine *e, const char *elem, const char *h)
{
    char buf[64];
    pl_error err;
    if (pl_handler_read(e, pl_engine_find(e, elem), h, buf, sizeof buf, &err))
        return UINT64_MAX;
    return strtoull(buf, NULL, 10);
}

static void test_inline_run(void)
{
    static const char *const spec[] = {
        "src", "InfiniteSource", "LENGTH 60, LIMIT 100000, BURST 32, STOP true",
        "c", "Counter", "",
        "n", "Null", "",
        "d", "Discard", ""};
    static const int conns[][4] = {{0, 0, 1, 0}, {1, 0, 2, 0}, {2, 0, 3, 0}};
    pl_error err;
    pl_engine *e = build(1, spec, 4, conns, 3, &err);
    CHECK(e != NULL);
    if (!e) {
        fprintf(stderr, "  %s\n", err.message);
        return;
    }
    CHECK(pl_engine_run_inline(e, 0, &err) == 0);
    CHECK(read_u64(e, "c", "count") == 100000);
    CHECK(read_u64(e, "c", "byte_count") == 6000000);
    CHECK(read_u64(e, "d", "count") == 100000);
    pl_pool_info pi;
    pl_engine_pools(e, &pi);
    CHECK(pi.allocated > 0 && pi.allocated == pi.free);
    /* Batches of 32: 100000 / 32 = 3125 batches, all full. */
    pl_stats_layout L;
    pl_stats(e, &L);
    int port = pl_port_index(e, 1, 0);
    CHECK(L.base[L.hist_off + (size_t)port * PL_HIST_BINS + 32] == 3125);
    pl_engine_free(e);
}

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
    /* A second start after a stop continues counting. */
    CHECK(pl_engine_start(e, &err) == 0);
    struct timespec ts = {0, 5000000};
    nanosleep(&ts, NULL);
    pl_engine_stop(e);
    CHECK(read_u64(e, "d", "count") > sent);
    pl_engine_free(e);
}

static void test_errors(void)
{
    pl_error err;
    pl_engine_opts o = {.threads = 1};
    pl_engine *e = pl_engine_new(&o, &err);
    CHECK(pl_engine_add(e, "x", "NoSuchClass", "", 3, 7, &err) == PL_ERR_CLASS);
    CHECK(err.line == 3 && err.col == 7 && strstr(err.message, "NoSuchClass"));
    CHECK(pl_engine_add(e, "s", "InfiniteSource", "BURST 0", 4, 1, &err) == PL_ERR_CONFIG);
    CHECK(!strcmp(err.keyword, "BURST") && !strcmp(err.element, "s"));
    CHECK(pl_engine_add(e, "s2", "InfiniteSource", "BURST 8, FOO 1", 5, 1, &err) == PL_ERR_CONFIG);
    CHECK(strstr(err.message, "FOO") != NULL);
    pl_engine_free(e);

    /* An unconnected output is an error that names the element and port. */
    static const char *const spec[] = {"s", "InfiniteSource", "", "c", "Counter", ""};
    static const int conns[][4] = {{0, 0, 1, 0}};
    e = build(1, spec, 2, conns, 1, &err);
    CHECK(e == NULL && err.status == PL_ERR_GRAPH && !strcmp(err.element, "c") &&
          strstr(err.message, "output 0 not connected"));
    /* Port out of range. */
    static const char *const spec2[] = {"s", "InfiniteSource", "", "d", "Discard", ""};
    static const int conns2[][4] = {{0, 1, 1, 0}};
    e = build(1, spec2, 2, conns2, 1, &err);
    CHECK(e == NULL && err.status == PL_ERR_GRAPH && strstr(err.message, "output [1]"));
}

int main(void)
{
    test_batches();
    test_clones();
    test_inline_run();
    test_threads();
    test_errors();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
