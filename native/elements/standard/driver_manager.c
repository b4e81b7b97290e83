/* DriverManager: a Script that manages the driver's stop events (Click's). */
#include "script_el.h"

static int dm_configure(pl_element *e, pl_error *err)
{
    return pl_script_configure_as(e, ST_DRIVER, err);
}

static const pl_class driver_manager = {
    .name = "DriverManager",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "DriverManager(INSTRUCTIONS...)\n"
           "A Script that decides when the engine stops.\n\n"
           "Script with TYPE DRIVER. Stop requests (a source's STOP true, Script's stop,\n"
           "the global stop handler) do not stop the engine at once: they step this\n"
           "script (pause / wait_stop waits for the next request) and the engine stops\n"
           "when it ends. Without instructions it waits for one request. Only one\n"
           "driver script per configuration. The instructions, expansions and handlers\n"
           "are Script's.\n\n"
           "Example: DriverManager(pause, write k.flush, wait 0.1s, stop);",
    .state_size = sizeof(pl_script),
    .params = pl_script_params,
    .counters = pl_script_counters,
    .configure = dm_configure,
    .initialize = pl_script_initialize_el,
    .cleanup = pl_script_cleanup,
    .any_read = pl_script_any_read,
    .any_write = pl_script_any_write,
    .any_mode = pl_script_any_mode,
    .driver_step = pl_script_driver_step,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(driver_manager);
