/* Suppressor: passes or suppresses each input-to-output path (Click's). */
#include "../../core/args.h"

#include <stdlib.h>

typedef struct {
    _Atomic uint8_t off[PL_MAX_PORTS];
} suppressor_state;

enum { C_DROPS };
static const char *const counters[] = {"drops", NULL};

static void sup_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    if (atomic_load_explicit(&PL_STATE(e, suppressor_state)->off[port], memory_order_relaxed))
        pl_drop_batch(ctx, e, C_DROPS, b);
    else
        pl_output(ctx, e, port, b);
}

static pl_packet *sup_pull(pl_element *e, int port, uint32_t max, pl_ctx *ctx)
{
    if (atomic_load_explicit(&PL_STATE(e, suppressor_state)->off[port], memory_order_relaxed))
        return NULL;
    return pl_input_pull(ctx, e, port, max);
}

static int port_of(pl_element *e, const char *name)
{
    char *end;
    if (strncmp(name, "active", 6) || !name[6])
        return -1;
    long k = strtol(name + 6, &end, 10);
    return *end || k < 0 || k >= e->ninputs ? -1 : (int)k;
}

/* activeK (Click's), one per port pair. */
static int sup_any_read(pl_element *e, const char *name, const char *param, char *buf, size_t len,
                        pl_error *err)
{
    int k = port_of(e, name);
    if (k < 0)
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "%s has no handler '%s'", e->name, name);
    return pl_fmt(buf, len, "%s", atomic_load(&PL_STATE(e, suppressor_state)->off[k]) ? "false" : "true");
}

static int sup_any_write(pl_element *e, const char *name, const char *v, pl_error *err)
{
    int k = port_of(e, name);
    uint8_t on;
    if (k < 0)
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "%s has no handler '%s'", e->name, name);
    if (pl_parse_bool(v, &on))
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "type mismatch");
    atomic_store(&PL_STATE(e, suppressor_state)->off[k], !on);
    return 0;
}

static int write_reset(pl_element *e, const char *v, pl_error *err)
{
    for (int k = 0; k < PL_MAX_PORTS; k++)
        atomic_store(&PL_STATE(e, suppressor_state)->off[k], 0);
    return 0;
}

static const pl_handler handlers[] = {
    {"reset", "let every path through again", NULL, write_reset},
    {0}};

static const pl_class suppressor = {
    .name = "Suppressor",
    .ports = "-/=",
    .processing = "a/a",
    .doc = "Suppressor\n"
           "Passes packets from input K to output K unless that path is suppressed.\n\n"
           "Any number of inputs, as many outputs. Writing false to handler activeK\n"
           "suppresses path K: pushed packets are dropped (counted), pulls return\n"
           "nothing; true lets it through again, reset lets all through. Each path is\n"
           "push or pull on its own (flow code #/#).\n"
           "Counters: drops (drop).\n\n"
           "Example: s :: Suppressor; a -> [0] s [0] -> x; b -> [1] s [1] -> y;\n"
           "         Script(wait 1, write s.active1 false);",
    .state_size = sizeof(suppressor_state),
    .handlers = handlers,
    .counters = counters,
    .ndrops = 1,
    .push = sup_push,
    .pull = sup_pull,
    .any_read = sup_any_read,
    .any_write = sup_any_write,
    .flow = "#/#",
};
PL_REGISTER_CLASS(suppressor);
