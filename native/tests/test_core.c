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

static uint64_t read_u64(pl_engine *e, const char *elem, const char *h);

/* Let a running engine work until `elem` counted something (at most 10 s:
 * machines are shared and sanitizers are slow), then a little more. */
static void run_until_counted(pl_engine *e, const char *elem)
{
    struct timespec ts = {0, 10000000};
    for (int i = 0; i < 1000 && read_u64(e, elem, "count") == 0; i++)
        nanosleep(&ts, NULL);
    nanosleep(&ts, NULL);
}

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

    CHECK(pl_pool_in_use(&pool) == 16);
    pl_batch_free(&pool, b);
    CHECK(pl_pool_in_use(&pool) == 0);
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
    CHECK(pl_pool_in_use(&pool) == 0);

    /* A batch with clones in it is freed packet by packet. */
    pl_packet *q = pl_packet_alloc(&pool);
    pl_packet *b = pl_packet_clone(&pool, q);
    pl_batch_append(&b, q);
    pl_batch_append(&b, pl_packet_clone(&pool, q));
    pl_batch_free(&pool, b);
    CHECK(pl_pool_in_use(&pool) == 0);
    pl_pool_destroy(&pool);
}

/* Buffers of every class come from and go back to their own class. */
static void test_size_classes(void)
{
    pl_pool pool;
    pl_pool_init(&pool, 4096, 0);
    static const uint32_t lens[] = {60, 1920, 1921, 9000, 10112, 10113, 65535, PL_MAX_LEN};
    pl_packet *b = NULL;
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
        pl_packet *p = pl_packet_alloc_len(&pool, lens[i]);
        CHECK(p && p->len == lens[i] && pl_tailroom(p) < pl_class_bytes(pl_packet_class(p)));
        CHECK(pl_headroom(p) == PL_HEADROOM && p->data + p->len <= p->buf_end);
        memset(p->data, (int)i, p->len);            /* the whole frame is writable */
        pl_batch_append(&b, p);
    }
    CHECK(pl_packet_alloc_len(&pool, PL_MAX_LEN + 1) == NULL);
    CHECK(pool.c[0].allocated - pool.c[0].nfree == 2);
    CHECK(pool.c[1].allocated - pool.c[1].nfree == 3);
    CHECK(pool.c[2].allocated - pool.c[2].nfree == 3);
    CHECK(pool.c[2].allocated <= 16);               /* big classes come in small slabs */
    pl_batch_free(&pool, b);
    CHECK(pl_pool_in_use(&pool) == 0);
    /* The class-0 limit in bytes bounds the larger classes too. */
    CHECK(pool.c[2].limit * PL_BUFSIZE_MAX <= 4096ull * PL_BUFSIZE + 16ull * PL_BUFSIZE_MAX);
    pl_pool_destroy(&pool);
}

/* pl_push / pl_put: past the room, the data moves; annotations follow. */
static void test_grow(void)
{
    pl_pool pool;
    pl_pool_init(&pool, 4096, 0);
    uint64_t counters[8] = {0};
    pl_ctx ctx = {.pool = &pool, .counters = counters};
    pl_element el;
    memset(&el, 0, sizeof el);
    el.counter_base = PL_CORE_NCOUNTERS;            /* its drop reason 0 is counters[2] */

    pl_packet *p = pl_packet_alloc_len(&pool, 100);
    for (uint32_t i = 0; i < 100; i++)
        p->data[i] = (uint8_t)i;
    p->mac_off = (uint16_t)(p->data - p->buf);
    p->net_off = (uint16_t)(p->mac_off + 14);
    p->paint = 7;
    pl_packet_pull(p, 14);                          /* Strip(14) */
    /* In place while the room lasts: same buffer, no growth. */
    uint8_t *buf = p->buf;
    p = pl_push(&ctx, &el, 0, p, 14);
    CHECK(p && p->buf == buf && p->len == 100 && counters[PL_CORE_GROWN] == 0);
    /* 3000 bytes in front: a larger buffer, the old bytes behind them. */
    p = pl_push(&ctx, &el, 0, p, 3000);
    CHECK(p && p->len == 3100 && counters[PL_CORE_GROWN] == 1 && p->buf != buf);
    CHECK(pl_headroom(p) >= PL_HEADROOM && p->paint == 7);
    int same = 1;
    for (uint32_t i = 0; i < 100; i++)
        same &= p->data[3000 + i] == (uint8_t)i;
    CHECK(same);
    CHECK(p->buf + p->mac_off == p->data + 3000 && p->buf + p->net_off == p->data + 3014);
    /* 60000 bytes at the end: the 64 KB class. */
    p = pl_put(&ctx, &el, 0, p, 60000);
    CHECK(p && p->len == 63100 && counters[PL_CORE_GROWN] == 2);
    CHECK(p->data[3000] == 0 && p->data[3099] == 99 && p->data + p->len <= p->buf_end);
    CHECK(p->buf + p->net_off == p->data + 3014);
    /* Past PL_MAX_LEN: dropped and counted under the element's reason. */
    CHECK(pl_put(&ctx, &el, 0, p, PL_MAX_LEN) == NULL);
    CHECK(counters[PL_CORE_NCOUNTERS] == 1);
    CHECK(pl_pool_in_use(&pool) == 0);

    /* Clones of a 9000-byte packet; writing one copies it into a jumbo buffer. */
    pl_packet *big = pl_packet_alloc_len(&pool, 9000);
    memset(big->data, 0xab, 9000);
    pl_packet *c = pl_packet_clone(&pool, big);
    CHECK(c && pl_packet_shared(c) && pl_packet_class(c) == 0);
    c = pl_writable(&ctx, &el, 0, c);
    CHECK(c && !pl_packet_shared(c) && !pl_packet_shared(big) && c->len == 9000);
    c->data[8999] = 1;
    CHECK(big->data[8999] == 0xab && c->data[0] == 0xab);
    /* Unstrip after the copy finds the bytes before the data. */
    big->data[-1] = 0x5a;
    pl_packet *c2 = pl_packet_clone(&pool, big);
    c2 = pl_push(&ctx, &el, 0, c2, 1);
    CHECK(c2 && c2->data[0] == 0x5a && c2->len == 9001);
    pl_packet *b = NULL;
    pl_batch_append(&b, big);
    pl_batch_append(&b, c);
    pl_batch_append(&b, c2);
    pl_batch_free(&pool, b);
    CHECK(pl_pool_in_use(&pool) == 0);

    /* A push on a shared packet with room: a private copy, not growth. */
    pl_packet *q = pl_packet_alloc_len(&pool, 64);
    pl_packet *qc = pl_packet_clone(&pool, q);
    uint64_t grown = counters[PL_CORE_GROWN];
    qc = pl_push(&ctx, &el, 0, qc, 14);
    CHECK(qc && qc->len == 78 && counters[PL_CORE_GROWN] == grown && !pl_packet_shared(q));
    pl_packet_free(&pool, q);
    pl_packet_free(&pool, qc);
    CHECK(pl_pool_in_use(&pool) == 0);

    /* An empty class-2 pool: the push fails and counts a drop. */
    pl_pool tiny;
    pl_pool_init(&tiny, 1, 0);
    tiny.c[2].limit = 0;
    ctx.pool = &tiny;
    pl_packet *t = pl_packet_alloc_len(&tiny, 60);
    CHECK(pl_push(&ctx, &el, 0, t, 20000) == NULL && counters[PL_CORE_NCOUNTERS] == 2);
    CHECK(pl_pool_in_use(&tiny) == 0);
    pl_pool_destroy(&tiny);
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

/* Route tables with no route (UBSan: no memcpy from a NULL table) and a
 * failed change of one (restoring zero routes). */
static void test_empty_routes(void)
{
    static const char *const classes[] = {"LinearIPLookup", "StaticIPLookup", "RadixIPLookup",
                                          "DirectIPLookup"};
    for (int k = 0; k < 4; k++) {
        const char *spec[] = {"src", "InfiniteSource", "LENGTH 60, LIMIT 3, STOP true",
                              "r", classes[k], ""};
        static const int conns[][4] = {{0, 0, 1, 0}};
        pl_error err;
        pl_engine *e = build(1, spec, 2, conns, 1, &err);
        CHECK(e != NULL);
        if (!e) {
            fprintf(stderr, "  %s: %s\n", classes[k], err.message);
            continue;
        }
        CHECK(pl_handler_write(e, 1, "remove", "10.0.0.0/8", &err) != 0);
        CHECK(pl_handler_write(e, 1, "add", "not-a-route", &err) != 0);
        CHECK(pl_engine_run_inline(e, 0, &err) == 0);
        pl_pool_info pi;
        pl_engine_pools(e, &pi);
        CHECK(pi.allocated == pi.free);
        pl_engine_free(e);
    }
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
          strstr(err.message, "'c :: Counter' output 0 unused"));
    /* Port out of range. */
    static const char *const spec2[] = {"s", "InfiniteSource", "", "d", "Discard", ""};
    static const int conns2[][4] = {{0, 1, 1, 0}};
    e = build(1, spec2, 2, conns2, 1, &err);
    CHECK(e == NULL && err.status == PL_ERR_GRAPH && strstr(err.message, "'s :: InfiniteSource' has no output 1"));
}

/* AddressInfo names: defined before the elements, scoped, several kinds. */
static void test_names(void)
{
    pl_error err;
    pl_engine_opts o = {.threads = 1};
    pl_engine *e = pl_engine_new(&o, &err);
    CHECK(pl_engine_define_addresses(e, "ai", "lan 10.0.1.1/24 0:1:2:3:4:5 fe80::1/64", &err) == 0);
    CHECK(pl_engine_define_addresses(e, "c/ai", "lan 10.9.9.9", &err) == 0);
    CHECK(pl_engine_define_addresses(e, "bad", "x 10.0.0.300", &err) == PL_ERR_CONFIG);
    CHECK(strstr(err.message, "not a recognizable address") && !strcmp(err.element, "bad"));
    CHECK(pl_engine_add(e, "rt", "LinearIPLookup", "lan 0, lan:net 0, lan:bcast 0", 1, 1, &err) == 0);
    CHECK(pl_engine_add(e, "c/rt", "LinearIPLookup", "lan 0", 1, 1, &err) == 0);
    CHECK(pl_engine_add(e, "ee", "EtherEncap", "0x0800, lan:eth, lan", 1, 1, &err) == 0);
    CHECK(pl_engine_add(e, "e2", "EtherEncap", "0x0800, lan:ip6, lan", 1, 1, &err) ==
          PL_ERR_CONFIG);
    char buf[256];
    CHECK(pl_handler_read(e, 0, "table", buf, sizeof buf, &err) >= 0 &&
          !strcmp(buf, "10.0.1.1/32\t-\t0\n10.0.1.0/24\t-\t0\n10.0.1.255/32\t-\t0\n"));
    CHECK(pl_handler_read(e, 1, "table", buf, sizeof buf, &err) >= 0 &&
          !strcmp(buf, "10.9.9.9/32\t-\t0\n"));
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
    test_batches();
    test_clones();
    test_size_classes();
    test_grow();
    test_inline_run();
    test_empty_routes();
    test_threads();
    test_errors();
    test_names();
    test_apply_storm();
    test_pipeliner_threads();
    test_queue_threads();
    test_big_threads();
    test_ip_reassembler();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
