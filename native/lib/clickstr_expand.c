/* Click's $variable expansion in configuration text (clickstr.h), after
 * lib/variableenv.cc and cp_expand. */
#include "clickstr.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *pl_cp_expand(const char *config, pl_expand_fn fn, void *arg, int expand_quote, int depth)
{
    if (!strchr(config, '$'))
        return strdup(config);
    const char *s = config, *end = config + strlen(config), *unint = s;
    int quote = 0;
    pl_str out = {0};
    for (; s < end; s++)
        switch (*s) {
        case '\\':
            if (s + 1 < end && quote == '"')
                s++;
            break;
        case '\'':
        case '"':
            if (!quote)
                quote = *s;
            else if (quote == *s)
                quote = 0;
            break;
        case '/':
            if (s + 1 < end && (s[1] == '/' || s[1] == '*') && !quote)
                s = pl_cp_skip_comment_space(s, end) - 1;
            break;
        case '$': {
            if (s + 1 >= end || quote == '\'' || depth > 10)
                break;
            const char *before = s, *cstart;
            int vtype, expand_name = 0;
            pl_str name = {0};
            if (s[1] == '{') {
                vtype = '{';
                s += 2;
                for (cstart = s; s < end && *s != '}'; s++)
                    if (*s == '$')
                        expand_name = 1;
                if (s == end)
                    goto done;
                pl_str_add(&name, cstart, (size_t)(s - cstart));
                s++;
            } else if (s[1] == '(') {
                int level = 1, nq = 0;
                vtype = '(';
                s += 2;
                for (cstart = s; s < end && level; s++)
                    switch (*s) {
                    case '(': if (!nq) level++; break;
                    case ')': if (!nq) level--; break;
                    case '"': case '\'':
                        if (!nq) nq = *s;
                        else if (nq == *s) nq = 0;
                        break;
                    case '\\': if (s + 1 < end && nq != '\'') s++; break;
                    case '$': if (nq != '\'') expand_name = 1; break;
                    }
                if (s == cstart || s[-1] != ')' || level)
                    goto done;
                pl_str_add(&name, cstart, (size_t)(s - 1 - cstart));
            } else if (isalnum((unsigned char)s[1]) || s[1] == '_') {
                vtype = 'a';
                s++;
                for (cstart = s; s < end && (isalnum((unsigned char)*s) || *s == '_'); s++)
                    ;
                pl_str_add(&name, cstart, (size_t)(s - cstart));
            } else if (s[1] == '?' || s[1] == '#' || s[1] == '$') {
                vtype = 'a';
                pl_str_add(&name, s + 1, 1);
                s += 2;
            } else
                break;
            pl_str_add(&out, unint, (size_t)(before - unint));
            char *vname = pl_str_take(&name);
            if (expand_name) {
                char *x = pl_cp_expand(vname, fn, arg, 0, depth + 1);
                free(vname);
                vname = x;
            }
            pl_str text = {0};
            int ok = fn(arg, vname, vtype, &text);
            unint = s;
            if (!ok) {
                if (expand_name) {
                    pl_str_add(&out, before, 2);
                    pl_str_adds(&out, vname);
                    pl_str_addc(&out, s[-1]);
                } else
                    unint = before;
            } else if (quote == '"' || (expand_quote && !quote)) {
                char *q = pl_cp_quote(text.s ? text.s : "");
                size_t ql = strlen(q);
                if (quote == '"')
                    pl_str_add(&out, q + 1, ql - 2);
                else
                    pl_str_add(&out, q, ql);
                free(q);
            } else if (text.s)
                pl_str_add(&out, text.s, text.n);
            pl_str_free(&text);
            free(vname);
            s--;
            break;
        }
        }
done:
    if (!out.s && unint == config)
        return strdup(config);
    pl_str_add(&out, unint, strlen(unint));
    return pl_str_take(&out);
}
