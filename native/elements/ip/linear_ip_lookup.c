/* LinearIPLookup: IP routing lookup through a list of routes. */
#include "../../lib/linear_table.h"

static const pl_param params[] = {PL_RT_PARAMS(lin_state)};
static const pl_handler handlers[] = {PL_RT_HANDLERS_RW, {0}};

static const pl_class linear_ip_lookup = {
    .name = "LinearIPLookup",
    .ports = "1/-",
    .processing = "h/h",
    .doc = "LinearIPLookup(ADDR1/MASK1 [GW1] OUT1, ...)\n"
           "IP routing lookup using linear search.\n\n"
           "Routes packets by their destination IP annotation (CheckIPHeader or\n"
           "GetIPAddress set it): the longest matching prefix wins, the packet leaves\n"
           "on that route's output, and its annotation becomes the gateway when the\n"
           "route has one. Masks need not be prefixes (such a mask counts as\n"
           "specific as its number of one bits).\n"
           "Packets without a route are dropped. The table can change while running\n"
           "(add, set, remove, flush): a new list is published at once, the old one\n"
           "freed when no worker can hold it. Fine for a few routes; RadixIPLookup and\n"
           "DirectIPLookup scale.\n"
           "Handlers: table, lookup ADDR (a read with a parameter; get is the same),\n"
           "add, set, remove, flush.\n"
           "Counters: no_route, bad_port (route to an unconnected output); drops.\n\n"
           "Example: rt :: LinearIPLookup(10.0.0.0/24 0, 10.0.1.0/24 1, 0.0.0.0/0 10.0.0.254 0);",
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
PL_REGISTER_CLASS(linear_ip_lookup);
