/*
 * Configuration strings, parsed with an element's parameter table.
 *
 * Splitting follows Click's cp_argvec: commas at depth 0, respecting double
 * and single quotes, (), [] and {}; each argument trimmed. An argument that
 * starts with an upper-case word followed by a space or its end is a keyword
 * argument when that word names a parameter; the others fill the positional
 * parameters in table order.
 */
#ifndef PL_ARGS_H
#define PL_ARGS_H

#include "element.h"

typedef struct pl_argv {
    int n;
    char **v;
} pl_argv;

int pl_split_args(const char *config, pl_argv *out);
void pl_argv_free(pl_argv *a);

/* Parse `config` into e->state using the class's parameter table. */
int pl_parse_config(pl_element *e, const char *config, pl_error *err);
/* Whether the configuration gave parameter `name` (by keyword or position). */
int pl_param_given(const pl_element *e, const char *name);
/* Release strings, data and argument vectors the table's parser allocated. */
void pl_free_params(pl_element *e);
/* Parse one value of `p` into `dst` (the field). Error names keyword. */
int pl_parse_value(pl_element *e, const pl_param *p, const char *text, void *dst,
                   pl_error *err);
/* Format the current value of `p` in e->state. */
int pl_format_value(pl_element *e, const pl_param *p, char *buf, size_t len);

/* Typed parsers, 0 on success. */
int pl_parse_int(const char *s, int64_t *out);
int pl_parse_uint(const char *s, uint64_t *out);
int pl_parse_bool(const char *s, uint8_t *out);
int pl_parse_real(const char *s, double *out);
int pl_parse_time(const char *s, double *seconds);
int pl_parse_bandwidth(const char *s, double *bytes_per_s);
int pl_parse_ipv4(const char *s, uint32_t *net_order);
int pl_parse_ether(const char *s, uint8_t out[6]);
/* Click data: a quoted or bare string with \<hex> blocks and C escapes. */
int pl_parse_data(const char *s, pl_bytes *out);
/* Remove one level of double quotes and backslash escapes. Caller frees. */
char *pl_unquote(const char *s);

#endif
