/*
 * Native tests of the core: batches, pools, clones, growing packets, and
 * engines run inline (errors, names, empty tables); test_threads.c runs
 * engines on threads. Built plain, under ASan+UBSan and under TSan by the
 * Makefile. Prints "N passed, N failed" and exits non-zero on failure.
 */
#include "core_check.h"

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

int main(void)
{
    test_batches();
    test_clones();
    test_size_classes();
    test_grow();
    test_inline_run();
    test_empty_routes();
    test_errors();
    test_names();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
