/* Script's element functions, shared with DriverManager (the same element
 * with TYPE DRIVER by default). */
#ifndef PL_ELEMENTS_SCRIPT_EL_H
#define PL_ELEMENTS_SCRIPT_EL_H

#include "../../lib/script.h"

extern const pl_param pl_script_params[];
extern const char *const pl_script_counters[];
int pl_script_configure_as(pl_element *e, int type, pl_error *err);
int pl_script_initialize_el(pl_element *e, pl_error *err);
void pl_script_cleanup(pl_element *e);
uint32_t pl_script_run_task(pl_element *e, pl_ctx *ctx);
void pl_script_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx);
int pl_script_driver_step(pl_element *e, pl_ctx *ctx);
int pl_script_any_mode(pl_element *e, const char *name);
int pl_script_any_read(pl_element *e, const char *name, const char *param, char *buf, size_t len,
                       pl_error *err);
int pl_script_any_write(pl_element *e, const char *name, const char *value, pl_error *err);

#endif
