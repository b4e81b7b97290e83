/* Script's computing handlers (Click's arithmetic, compare, sprintf and basic
 * handlers). */
#ifndef PL_SCRIPT_OPS_H
#define PL_SCRIPT_OPS_H

#include <stdint.h>

struct pl_element;
struct pl_str;

/* Run operator `op` on `args`: 0 and the result appended to out; -1 with
 * *err (a static message) on bad input; 1 if op is not an operator. */
int pl_script_op(struct pl_element *e, uint64_t *rng, const char *op, const char *args,
                 struct pl_str *out, const char **err);

#endif
