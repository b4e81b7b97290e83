/*
 * Click's text helpers (lib/confparse.cc, lib/variableenv.cc) as Script
 * needs them: space-separated words that respect quotes and \<hex>, one
 * layer of quotes removed or added, comments dropped, and $var, ${var},
 * $(handler args) expansion with Click's quoting rules. Strings are
 * NUL-terminated and malloc'd; the caller frees results.
 */
#ifndef PL_CLICKSTR_H
#define PL_CLICKSTR_H

#include <stddef.h>

typedef struct pl_str {
    char *s;
    size_t n, cap;
} pl_str;

void pl_str_add(pl_str *b, const char *s, size_t n);
void pl_str_adds(pl_str *b, const char *s);
void pl_str_addc(pl_str *b, char c);
void pl_str_addf(pl_str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *pl_str_take(pl_str *b);           /* the text ("" if none); b is empty after */
void pl_str_free(pl_str *b);

const char *pl_cp_skip_comment_space(const char *s, const char *end);
/* cp_shift_spacevec: the first word of *str (malloc'd, "" if none); *str
 * moves past it and the space after. */
char *pl_cp_shift(const char **str);
/* Whether s holds nothing but spaces and comments. */
int pl_cp_blank(const char *s);
char *pl_cp_uncomment(const char *s);
char *pl_cp_unquote(const char *s);
char *pl_cp_quote(const char *s);

/* $name expansion: return 1 and append to out if known, 0 to leave it. */
typedef int (*pl_expand_fn)(void *arg, const char *name, int type, pl_str *out);
/* cp_expand: type is '{' (${x}), '(' ($(...)) or 'a' ($x, $?, $#, $$);
 * with expand_quote, unquoted expansions are quoted (print's text). */
char *pl_cp_expand(const char *s, pl_expand_fn fn, void *arg, int expand_quote, int depth);

#endif
