/*
 * What a Script reaches outside its instructions (script.h): variable and
 * $(handler) expansion (Click's Script::Expander), handler calls with
 * Click's errors (HandlerCall), its own handlers (get, shift, now,
 * readable, writable, the operators), and the step/goto/run handlers.
 */
#include "script.h"

#include "../core/args.h"
#include "../core/engine.h"
#include "script_ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int pl_script_call(pl_element *e, pl_script *s, const char *text, int write, int unquote,
                   pl_str *out, pl_str *unparsed);

typedef struct expander {
    pl_element *e;
    pl_script *s;
} expander;

static int expand_var(void *arg, const char *name, int type, pl_str *out)
{
    expander *x = arg;
    pl_script *s = x->s;
    if (type == '(') {
        int rc = pl_script_call(x->e, s, name, 0, 0, out, NULL);
        return rc >= 0;
    }
    int i = pl_script_find_var(s, name, 0);
    if (i < s->nvars) {
        pl_str_adds(out, s->vars[i].value);
        return 1;
    }
    if (!strcmp(name, "?")) {
        pl_str_addf(out, "%d", s->write_status);
        return 1;
    }
    if (!strcmp(name, "args")) {
        pl_str_adds(out, s->run_args ? s->run_args : "");
        return 1;
    }
    if (!strcmp(name, "$")) {
        pl_str_addf(out, "%d", (int)getpid());
        return 1;
    }
    if (!strcmp(name, "0")) {
        pl_str_adds(out, s->run_name ? s->run_name : "");
        return 1;
    }
    if (name[0] >= '1' && name[0] <= '9') {
        char *end;
        long n = strtol(name, &end, 10);
        if (!*end) {
            const char *a = s->run_args ? s->run_args : "";
            char *w = NULL;
            for (; n > 0; n--) {
                free(w);
                w = pl_cp_shift(&a);
            }
            pl_str_adds(out, w ? w : "");
            free(w);
            return 1;
        }
    }
    if (!strcmp(name, "#")) {
        const char *a = s->run_args ? s->run_args : "";
        int n = 0;
        while (*a) {
            free(pl_cp_shift(&a));
            n++;
        }
        pl_str_addf(out, "%d", n);
        return 1;
    }
    if (!strcmp(name, "write")) {
        pl_str_adds(out, s->run_op == 2 ? "true" : "false");
        return 1;
    }
    return 0;
}

char *pl_script_expand(pl_element *e, pl_script *s, const char *text, int expand_quote)
{
    expander x = {e, s};
    return pl_cp_expand(text, expand_var, &x, expand_quote, 0);
}

/* Click's HandlerCall: "NAME ARGS", NAME as "elem.handler" relative to the
 * script's compound, or a handler of the script's own or a global one. 0
 * (reads fill out), or a negative status with the error said. */
int pl_script_call(pl_element *e, pl_script *s, const char *text, int write, int unquote,
                   pl_str *out, pl_str *unparsed)
{
    const char *rest = text;
    char *name = pl_cp_shift(&rest);
    char *args = unquote ? pl_cp_unquote(rest) : strdup(rest);
    pl_engine *eng = e->eng;
    pl_error err = {0};
    int elem, rc = 0;
    char h[128];
    if (pl_handler_resolve(eng, e, name, strlen(name), &elem, h, sizeof h, &err)) {
        if (strchr(name, '.'))
            pl_script_error(e, s, "%s", err.message);
        else
            pl_script_error(e, s, "no '%s' %s handler", name, write ? "write" : "read");
        rc = -22;
        goto out;
    }
    int mode = elem < 0 ? (!strcmp(h, "stop") ? 2 : 1) : pl_handler_mode(eng->elems[elem], h);
    if (!(mode & (write ? 2 : 1))) {
        if (elem >= 0)
            pl_script_error(e, s, "no '%s.%s' %s handler", eng->elems[elem]->name, h,
                            write ? "write" : "read");
        else
            pl_script_error(e, s, "no '%s' %s handler", h, write ? "write" : "read");
        rc = -22;
        goto out;
    }
    if (unparsed) {
        if (elem >= 0)
            pl_str_addf(unparsed, "%s.%s", eng->elems[elem]->name, h);
        else
            pl_str_adds(unparsed, h);
    }
    if (write) {
        if (pl_handler_write(eng, elem, h, args, &err)) {
            pl_script_error(e, s, "%s", err.message);
            rc = -22;
        }
        goto out;
    }
    size_t cap = 4096;
    for (;;) {
        char *buf = malloc(cap);
        char full[1024];
        snprintf(full, sizeof full, *args ? "%s %s" : "%s", h, args);
        int r = buf ? pl_handler_read(eng, elem, full, buf, cap, &err) : PL_ERR_NOMEM;
        if (!r) {
            if (out)
                pl_str_adds(out, buf);
            free(buf);
            break;
        }
        free(buf);
        if (r == PL_ERR_HANDLER && strstr(err.message, "failed") && cap < (1u << 22)) {
            cap *= 8;
            continue;
        }
        pl_script_error(e, s, "%s", err.message);
        rc = -22;
        break;
    }
out:
    free(name);
    free(args);
    return rc;
}

static int names_ok(pl_element *e, const char *args, int write)
{
    const char *p = args;
    int ok = 1;
    while (*p && ok) {
        char *n = pl_cp_shift(&p);
        int elem;
        char h[128];
        pl_error err;
        if (pl_handler_resolve(e->eng, e, n, strlen(n), &elem, h, sizeof h, &err))
            ok = 0;
        else if (elem >= 0)
            ok = (pl_handler_mode(e->eng->elems[elem], h) & (write ? 2 : 1)) != 0;
        else
            ok = write ? !strcmp(h, "stop") : strcmp(h, "stop") != 0;
        free(n);
    }
    return ok;
}

int pl_script_read(pl_element *e, pl_script *s, const char *name, const char *param, pl_str *out,
                   pl_error *err)
{
    const char *why = NULL;
    int r = pl_script_op(e, &s->rng, name, param, out, &why);
    if (r <= 0) {
        if (r < 0)
            pl_seterr(err, PL_ERR_HANDLER, e, name, "%s", why);
        return r;
    }
    if (!strcmp(name, "now")) {
        uint64_t t = pl_engine_realtime_ns(e->eng);
        pl_str_addf(out, "%llu.%09llu", (unsigned long long)(t / 1000000000u),
                    (unsigned long long)(t % 1000000000u));
        return 0;
    }
    if (!strcmp(name, "readable") || !strcmp(name, "writable")) {
        pl_str_adds(out, names_ok(e, param, name[0] == 'w') ? "true" : "false");
        return 0;
    }
    if (!strcmp(name, "get") || !strcmp(name, "shift")) {
        const char *p = param;
        char *v = pl_cp_shift(&p);
        int rc = 0;
        if (!*v && name[0] == 's') {
            free(v);
            v = strdup("args");
        }
        if (!*v)
            rc = pl_seterr(err, PL_ERR_HANDLER, e, name, "no variable");
        else if (*p)
            rc = pl_seterr(err, PL_ERR_HANDLER, e, name, "too many arguments");
        else {
            char **val = NULL;
            int i = pl_script_find_var(s, v, 0);
            if (!strcmp(v, "args"))
                val = &s->run_args;
            else if (i < s->nvars)
                val = &s->vars[i].value;
            if (!val)
                rc = pl_seterr(err, PL_ERR_HANDLER, e, name, "undefined variable '%s'", v);
            else if (name[0] == 'g')
                pl_str_adds(out, *val ? *val : "");
            else {
                const char *a = *val ? *val : "";
                char *w = pl_cp_shift(&a);
                char *left = strdup(a);
                pl_str_adds(out, w);
                free(w);
                free(*val);
                *val = left;
            }
        }
        free(v);
        return rc ? -1 : 0;
    }
    for (int i = 0; i < s->nins; i++)
        if ((s->ins[i].insn == SI_EXPORT || s->ins[i].insn == SI_EXPORTQ) &&
            !strcmp(s->vars[s->ins[i].arg].name, name)) {
            pl_str_adds(out, s->vars[s->ins[i].arg].value);
            return 0;
        }
    return 1;
}

/* Click's Script::step_handler. */
int pl_script_step_handler(pl_element *e, pl_script *s, int what, int op, const char *name,
                           char **io, pl_error *err)
{
    char *data = pl_cp_uncomment(*io ? *io : "");
    int nsteps = 0, steptype = STEP_JUMP, ret;
    free(s->run_name);
    s->run_name = strdup(name);
    s->run_op = op;
    if (what == 2) {
        int step = -1;
        for (int i = 0; i < s->nins; i++)
            if (s->ins[i].insn == SI_LABEL && !strcmp(s->ins[i].arg3, data))
                step = i;
        if (step < 0 && (!strcmp(data, "begin") || !strcmp(data, "loop")))
            step = 0;
        if (step < 0 || step >= s->nins) {
            free(data);
            ret = pl_seterr(err, PL_ERR_HANDLER, e, name, "jump to nonexistent label");
            goto out;
        }
        for (int i = step; i < s->nins; i++)
            if (s->ins[i].insn == SI_WAIT_STEP)
                s->ins[i].arg2 = 0;
        s->pos = step;
    } else if (what == 1) {
        s->pos = 0;
        free(s->run_args);
        s->run_args = strdup(*io ? *io : "");
    } else {
        int64_t n;
        if (!strcmp(data, "router"))
            nsteps = 1, steptype = STEP_ROUTER;
        else if (!*data)
            nsteps = 1, steptype = STEP_NORMAL;
        else if (!pl_parse_int(data, &n))
            nsteps = (int)n, steptype = STEP_NORMAL;
        else {
            free(data);
            ret = pl_seterr(err, PL_ERR_HANDLER, e, name, "syntax error");
            goto out;
        }
    }
    free(data);
    if (!s->cur_steps) {
        int cur = nsteps, njumps = 0;
        s->cur_steps = &cur;
        while ((nsteps = cur) >= 0) {
            cur = -1;
            njumps = pl_script_step(e, s, nsteps, steptype, njumps);
            steptype = STEP_NORMAL;
        }
        s->cur_steps = NULL;
    } else if (what == 0)
        *s->cur_steps += nsteps;
    free(*io);
    ret = pl_script_complete(e, s, io);
out:
    free(s->run_name);
    s->run_name = NULL;
    if (ret) {
        free(s->run_args);
        s->run_args = NULL;
    }
    s->run_op = 0;
    return ret;
}

int pl_script_packet(pl_element *e, pl_script *s, int port)
{
    int i = pl_script_find_var(s, "input", 1);
    if (i < s->nvars) {
        char v[16];
        snprintf(v, sizeof v, "%d", port);
        free(s->vars[i].value);
        s->vars[i].value = strdup(v);
    }
    s->pos = 0;
    pl_script_step(e, s, 0, STEP_JUMP, 0);
    char *out = NULL;
    pl_script_complete(e, s, &out);
    int64_t o = -1;
    if (out && pl_parse_int(out, &o))
        o = -1;
    free(out);
    return (int)o;
}
