/* StaticIPLookup: LinearIPLookup with a table fixed by the configuration. */
#include "../../lib/linear_table.h"

static const pl_param params[] = {PL_RT_PARAMS(lin_state)};
static const pl_handler handlers[] = {PL_RT_HANDLERS_RO, {0}};

static const pl_class static_ip_lookup = {
    .name = "StaticIPLookup",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "StaticIPLookup(ADDR1/MASK1 [GW1] OUT1, ...)\n"
           "IP routing lookup through a static table.\n\n"
           "LinearIPLookup whose routes are only those of the configuration: the\n"
           "longest matching prefix of the destination IP annotation picks the output,\n"
           "and the annotation becomes the route's gateway when it has one. Packets\n"
           "without a route are dropped. The table and lookup handlers read it.\n"
           "Handlers: table, lookup ADDR (a read with a parameter; get is the same).\n"
           "Counters: no_route, bad_port (route to an unconnected output); drops.\n\n"
           "Example: rt :: StaticIPLookup(10.0.0.1/32 0, 10.0.0.0/24 1, 10.0.1.0/24 2);",
    .state_size = sizeof(lin_state),
    .params = params,
    .handlers = handlers,
    .param_handlers = pl_rt_param_handlers,
    .counters = pl_rt_counters,
    .ndrops = 2,
    .unused_output_counter = PL_RT_BAD_PORT,
    .configure = lin_configure,
    .cleanup = lin_cleanup,
    .push = lin_push,
};
PL_REGISTER_CLASS(static_ip_lookup);
