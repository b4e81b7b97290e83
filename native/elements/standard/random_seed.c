/* RandomSeed: seeds the engine's random numbers. */
#include "../../core/args.h"

#include <stdlib.h>
#include <time.h>

typedef struct {
    char *seed;
} rseed_state;

static int apply_seed(pl_element *e, const char *text, pl_error *err)
{
    uint64_t seed;
    if (!text || !*text)
        seed = (uint64_t)time(NULL) ^ pl_now_ns();
    else if (pl_parse_uint(text, &seed) || seed > UINT32_MAX)
        return pl_seterr(err, PL_ERR_CONFIG, e, "SEED", "SEED: expected a 32-bit unsigned "
                         "integer, got '%s'", text);
    srandom((unsigned)seed);
    return 0;
}

static int rseed_configure(pl_element *e, pl_error *err)
{
    return apply_seed(e, PL_STATE(e, rseed_state)->seed, err);
}

static int write_seed(pl_element *e, const char *v, pl_error *err)
{
    return apply_seed(e, v, err);
}

static int read_seed(pl_element *e, char *buf, size_t len)
{
    const char *s = PL_STATE(e, rseed_state)->seed;
    return pl_fmt(buf, len, "%s", s ? s : "");
}

static const pl_param params[] = {
    {"SEED", PL_T_STRING, offsetof(rseed_state, seed), "", 0, -1, PL_P_POSITIONAL,
     "the seed, a 32-bit unsigned integer (empty: a truly random one)"},
    {0}};

static const pl_handler handlers[] = {
    {"seed", "write: seed again (empty: truly random)", read_seed, write_seed},
    {0}};

static const pl_class random_seed = {
    .name = "RandomSeed",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "RandomSeed([SEED])\n"
           "Sets the random seed.\n\n"
           "Seeds the random numbers elements draw (random(3), which pktlab's random\n"
           "elements use) with SEED when configured, or with a truly random value when\n"
           "SEED is empty, so that a run that draws numbers can be repeated.\n\n"
           "Keywords: SEED.\n"
           "Handlers: seed (write: seed again).\n\n"
           "Example: RandomSeed(1);",
    .state_size = sizeof(rseed_state),
    .params = params,
    .handlers = handlers,
    .configure = rseed_configure,
};
PL_REGISTER_CLASS(random_seed);
