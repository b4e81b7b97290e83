/*
 * Native tests of latency measurement: the log-linear buckets and their
 * quantiles, receive/generation timestamps (Engine(timestamps=True), on and
 * off live), LatencyHistogram's per-thread histograms written by two workers
 * while the control thread reads and resets them (the TSan build checks that
 * nothing races), and RatedSource's due-time stamps and TIMEOUT.
 * Built plain, under ASan+UBSan and under TSan by the Makefile.
 */
#include "../core/anno.h"
#include "../core/engine.h"
#include "../lib/lathist.h"

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

static double rdd(pl_engine *e, const char *elem, const char *h)
{
    char buf[256];
    pl_error err;
    if (pl_handler_read(e, pl_engine_find(e, elem), h, buf, sizeof buf, &err))
        return -1;
    return strtod(buf, NULL);
}

static void nap(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static void test_buckets(void)
{
    int ok = 1;
    unsigned last = 0;
    for (uint64_t v = 0; v < (1ull << 42); v = v < 4096 ? v + 1 : v + v / 97 + 1) {
        unsigned i = pl_lh_index(v);
        if (i < last || i >= PL_LH_BUCKETS)
            ok = 0;                       /* monotonic, in range */
        last = i;
        if (v < (1ull << PL_LH_MAX_BITS)) {
            uint64_t lo = pl_lh_low(i), w = pl_lh_width(i);
            if (!(lo <= v && v < lo + w))
                ok = 0;                   /* v lies in its bucket */
            if (v >= 64 && w * 32 > lo)
                ok = 0;                   /* no wider than 1/32 of its values */
        } else if (i != PL_LH_BUCKETS - 1)
            ok = 0;
    }
    CHECK(ok);
    CHECK(pl_lh_index(63) == 63 && pl_lh_index(64) == 64 && pl_lh_low(64) == 64);
    for (unsigned i = 1; i < PL_LH_BUCKETS; i++)   /* buckets tile the line */
        if (pl_lh_low(i) != pl_lh_low(i - 1) + pl_lh_width(i - 1))
            ok = 0;
    CHECK(ok);
}

static void test_quantiles(void)
{
    pl_lh h;
    CHECK(pl_lh_init(&h, 2) == 0);
    for (uint64_t v = 1; v <= 10000; v++)          /* 1 us .. 10 ms, two threads */
        pl_lh_record(&h, (int)(v & 1), v * 1000);
    pl_lh_sum *m = malloc(sizeof *m);
    pl_lh_merge(&h, m);
    CHECK(m->count == 10000 && m->max == 10000000 && m->min == 1000);
    double p50 = (double)pl_lh_quantile(m, 0.5), p99 = (double)pl_lh_quantile(m, 0.99);
    CHECK(p50 >= 5000000 && p50 <= 5000000 * 1.04);
    CHECK(p99 >= 9900000 && p99 <= 9900000 * 1.04);
    CHECK(pl_lh_quantile(m, 1.0) == 10000000 && pl_lh_quantile(m, 0.0) == 1000);
    pl_lh_reset(&h);
    pl_lh_merge(&h, m);
    CHECK(m->count == 0 && pl_lh_quantile(m, 0.5) == 0);
    pl_lh_record(&h, 1, 777);                       /* thread 1 counts again, 0 has not */
    pl_lh_merge(&h, m);
    CHECK(m->count == 1 && m->max == 777 && pl_lh_quantile(m, 0.5) == 777);
    free(m);
    pl_lh_free(&h);
}

/* Two workers push into one LatencyHistogram; the control thread reads and
 * resets it meanwhile. */
static void test_threads(void)
{
    pl_engine_opts o = {.threads = 2, .timestamps = 1};
    pl_error err;
    const char *el[] = {"a InfiniteSource LENGTH 64, BURST 16", "b InfiniteSource LENGTH 64, BURST 16",
                        "lat LatencyHistogram", "c Counter", "d Discard", NULL};
    const char *cn[] = {"a 0 lat 0", "b 0 lat 0", "lat 0 c 0", "c 0 d 0", NULL};
    pl_engine *e = make(&o, el, cn, &err);
    CHECK(e != NULL);
    if (!e) {
        fprintf(stderr, "%s\n", err.message);
        return;
    }
    CHECK(pl_element_thread(e, pl_engine_find(e, "a")) != pl_element_thread(e, pl_engine_find(e, "b")));
    CHECK(pl_engine_start(e, &err) == 0);
    char buf[512];
    int reads = 0;
    for (int k = 0; k < 40; k++) {
        nap(5);
        reads += pl_handler_read(e, pl_engine_find(e, "lat"), "summary", buf, sizeof buf, &err) == 0;
        if (k % 10 == 9)
            pl_handler_write(e, pl_engine_find(e, "lat"), "reset", "", &err);
    }
    nap(20);
    pl_engine_stop(e);
    CHECK(reads == 40);
    double count = rdd(e, "lat", "count"), through = rdd(e, "c", "count");
    CHECK(count > 0 && count <= through);           /* reset 20 ms before the stop */
    CHECK(rdd(e, "lat", "p50") <= rdd(e, "lat", "p99") && rdd(e, "lat", "p99") <= rdd(e, "lat", "max"));
    CHECK(pl_counter_total(e->elems[pl_engine_find(e, "lat")], 0) == 0);   /* none unstamped */
    pl_error herr;
    CHECK(pl_handler_read(e, pl_engine_find(e, "lat"), "perc 99.9", buf, sizeof buf, &herr) == 0);
    CHECK(pl_handler_read(e, pl_engine_find(e, "lat"), "perc 101", buf, sizeof buf, &herr) != 0 &&
          strstr(herr.message, "perc") != NULL);
    static char big[1 << 16];                  /* one line per non-empty bucket: can be many */
    CHECK(pl_handler_read(e, pl_engine_find(e, "lat"), "buckets", big, sizeof big, &herr) == 0 &&
          strchr(big, '\n') != NULL);
    pl_engine_free(e);
}

/* Off: nothing stamped, the histogram counts the packets as unstamped. */
static void test_off(void)
{
    pl_engine_opts o = {.threads = 1};
    pl_error err;
    const char *el[] = {"a InfiniteSource LENGTH 64, LIMIT 1000, STOP true", "lat LatencyHistogram",
                        "d Discard", NULL};
    const char *cn[] = {"a 0 lat 0", "lat 0 d 0", NULL};
    pl_engine *e = make(&o, el, cn, &err);
    CHECK(e && pl_engine_timestamps(e) == 0);
    CHECK(pl_engine_run_inline(e, 0, &err) == 0);
    CHECK(rdd(e, "lat", "count") == 0);
    CHECK(pl_counter_total(e->elems[pl_engine_find(e, "lat")], 0) == 1000);
    pl_engine_free(e);
    /* On live (before the run): every packet measured. */
    e = make(&o, el, cn, &err);
    pl_engine_set_timestamps(e, 1);
    CHECK(pl_engine_timestamps(e) == 1);
    CHECK(pl_engine_run_inline(e, 0, &err) == 0);
    CHECK(rdd(e, "lat", "count") == 1000);
    pl_engine_free(e);
}

/* RatedSource stamps each packet with the time it was due: a batch of 64 at
 * 100,000 packets/s spans 630 us, so most packets waited hundreds of us. */
static void test_rated_due(void)
{
    pl_engine_opts o = {.threads = 1, .timestamps = 1};
    pl_error err;
    const char *el[] = {"s RatedSource LENGTH 64, RATE 100000, BURST 64", "lat LatencyHistogram",
                        "d Discard", NULL};
    const char *cn[] = {"s 0 lat 0", "lat 0 d 0", NULL};
    pl_engine *e = make(&o, el, cn, &err);
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK(pl_engine_start(e, &err) == 0);
    nap(200);
    pl_engine_stop(e);
    CHECK(rdd(e, "lat", "count") > 1000);
    CHECK(rdd(e, "lat", "p90") > 300);              /* microseconds */
    CHECK(rdd(e, "lat", "min") < 100);              /* the newest of a batch: just due */
    pl_engine_free(e);
}

int main(void)
{
    test_buckets();
    test_quantiles();
    test_threads();
    test_off();
    test_rated_due();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
