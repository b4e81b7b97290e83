/* RandomSample: passes packets with a probability (Click's). */
#include "../../core/args.h"
#include "../../lib/random.h"

#include <stdio.h>

#define SAMPLING_SHIFT 28

typedef struct {
    double p, sample, drop;
    uint8_t active;
    _Atomic uint32_t prob;        /* SAMPLING_SHIFT-bit fixed point */
    uint64_t rng;
} rsample_state;

enum { C_DROPS, C_SAMPLED_OUT };
static const char *const counters[] = {"drops", "sampled_out", NULL};

static int rsample_configure(pl_element *e, pl_error *err)
{
    rsample_state *s = PL_STATE(e, rsample_state);
    int have_p = pl_param_given(e, "P"), have_s = pl_param_given(e, "SAMPLE");
    int have_d = pl_param_given(e, "DROP");
    if ((have_s || have_p) && have_d)
        return pl_seterr(err, PL_ERR_CONFIG, e, "DROP", "give at most one of SAMPLE and DROP");
    double p = have_d ? 1 - s->drop : have_s ? s->sample : have_p ? s->p : 1;
    if (p < 0 || p > 1)
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "sampling probability must be between 0 and 1");
    atomic_store(&s->prob, (uint32_t)(p * (1u << SAMPLING_SHIFT) + 0.5));
    s->rng = pl_rand_seed(NULL, e->name);
    return 0;
}

static int rsample_classify(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    rsample_state *s = PL_STATE(e, rsample_state);
    uint32_t r = (uint32_t)(pl_rand_next(&s->rng) >> 36);          /* 28 bits */
    if (!PL_LIVE(s->active) || r < atomic_load_explicit(&s->prob, memory_order_relaxed))
        return 0;
    if (e->noutputs > 1) {
        pl_count(ctx, e, C_SAMPLED_OUT, 1);
        return 1;
    }
    pl_drop(ctx, e, C_DROPS, p);
    return -1;
}

static int read_prob(pl_element *e, char *buf, size_t len, int drop)
{
    double p = (double)atomic_load(&PL_STATE(e, rsample_state)->prob) / (1u << SAMPLING_SHIFT);
    return pl_fmt(buf, len, "%g", drop ? 1 - p : p);
}

static int read_sampling(pl_element *e, char *buf, size_t len) { return read_prob(e, buf, len, 0); }
static int read_dropping(pl_element *e, char *buf, size_t len) { return read_prob(e, buf, len, 1); }

static int write_prob(pl_element *e, const char *v, pl_error *err, int drop)
{
    double p;
    if (pl_parse_real(v, &p) || p < 0 || p > 1)
        return pl_seterr(err, PL_ERR_HANDLER, e, drop ? "drop_prob" : "sampling_prob",
                         "Must be given a number between 0.0 and 1.0");
    atomic_store(&PL_STATE(e, rsample_state)->prob,
                 (uint32_t)((drop ? 1 - p : p) * (1u << SAMPLING_SHIFT) + 0.5));
    return 0;
}

static int write_sampling(pl_element *e, const char *v, pl_error *err) { return write_prob(e, v, err, 0); }
static int write_dropping(pl_element *e, const char *v, pl_error *err) { return write_prob(e, v, err, 1); }

static int read_drops(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)(pl_counter_total(e, C_DROPS) +
                                                         pl_counter_total(e, C_SAMPLED_OUT)));
}

static const pl_param params[] = {
    {"P", PL_T_REAL, offsetof(rsample_state, p), "1", 0, 1, PL_P_POSITIONAL,
     "probability a packet passes on output 0"},
    {"SAMPLE", PL_T_REAL, offsetof(rsample_state, sample), "1", 0, 1, 0, "the same as P"},
    {"DROP", PL_T_REAL, offsetof(rsample_state, drop), "0", 0, 1, 0,
     "probability a packet does not (1 - P)"},
    {"ACTIVE", PL_T_BOOL, offsetof(rsample_state, active), "true", 0, -1, PL_P_LIVE,
     "false: every packet passes"},
    {0}};

static const pl_handler handlers[] = {
    {"sampling_prob", "probability of output 0 (rw)", read_sampling, write_sampling},
    {"drop_prob", "1 - sampling_prob (rw)", read_dropping, write_dropping},
    {"drops", "packets not sampled", read_drops, NULL},
    {0}};

static const pl_class random_sample = {
    .name = "RandomSample",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "RandomSample([P, KEYWORDS])\n"
           "Samples packets with a probability.\n\n"
           "Each packet passes on output 0 with probability P (or 1 - DROP); the\n"
           "others leave on output 1, or are dropped and counted when it is not\n"
           "connected. Pushed or pulled; with ACTIVE false everything passes. The\n"
           "generator is seeded from the element's name (repeatable runs).\n"
           "Counters: drops (drop), sampled_out (sent to output 1).\n\n"
           "Example: src -> RandomSample(0.01) -> Print -> Discard;",
    .state_size = sizeof(rsample_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .configure = rsample_configure,
    .classify = rsample_classify,
    .traits = PL_C_SINGLE_THREAD,
};
PL_REGISTER_CLASS(random_sample);
