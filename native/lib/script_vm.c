/*
 * Script's instructions and interpreter (script.h), a port of Click's
 * Script::configure, initialize, step and complete_step: the same
 * instructions, labels, jump limit, step counting and stop protocol.
 */
#include "script.h"

#include "../core/args.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* script_env.c */
char *pl_script_expand(pl_element *e, pl_script *s, const char *text, int expand_quote);
int pl_script_call(pl_element *e, pl_script *s, const char *text, int write, int unquote,
                   pl_str *out, pl_str *unparsed);

static const struct {
    const char *name;
    int insn;
} names[] = {
    {"append", SI_APPEND}, {"end", SI_END}, {"error", SI_ERROR}, {"errorq", SI_ERRORQ},
    {"exit", SI_EXIT}, {"export", SI_EXPORT}, {"exportq", SI_EXPORTQ}, {"goto", SI_GOTO},
    {"init", SI_INIT}, {"initq", SI_INITQ}, {"label", SI_LABEL}, {"loop", SI_LOOP_PSEUDO},
    {"pause", SI_WAIT_STEP}, {"print", SI_PRINT}, {"printn", SI_PRINTN},
    {"printnq", SI_PRINTNQ}, {"printq", SI_PRINTQ}, {"read", SI_READ}, {"readq", SI_READQ},
    {"return", SI_RETURN}, {"returnq", SI_RETURNQ}, {"save", SI_SAVE}, {"set", SI_SET},
    {"setq", SI_SETQ}, {"stop", SI_STOP}, {"wait", SI_WAIT_PSEUDO}, {"wait_for", SI_WAIT_TIME},
    {"wait_step", SI_WAIT_STEP}, {"wait_stop", SI_WAIT_STEP}, {"wait_time", SI_WAIT_TIME},
    {"write", SI_WRITE}, {"writeq", SI_WRITEQ}, {NULL, 0}};

static int lookup(const char *w, int *insn)
{
    for (int i = 0; names[i].name; i++)
        if (!strcmp(names[i].name, w)) {
            *insn = names[i].insn;
            return 1;
        }
    return 0;
}

void pl_script_error(pl_element *e, pl_script *s, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!s->context_said) {
        pl_log(e->eng, "While executing '%s :: %s':", PL_NAME(e), e->cls->name);
        s->context_said = 1;
    }
    pl_log(e->eng, "  %s", msg);
}

static void add_insn(pl_script *s, int insn, int arg, int arg2, const char *arg3)
{
    if (s->nins == 0 && insn != SI_INITIAL && insn != SI_WAIT_STEP && insn != SI_WAIT_TIME)
        add_insn(s, SI_INITIAL, 0, 0, "");
    if (s->nins == s->capins) {
        int cap = s->capins ? s->capins * 2 : 16;
        script_insn *v = realloc(s->ins, sizeof *v * (size_t)cap);
        if (!v)
            return;
        s->ins = v;
        s->capins = cap;
    }
    s->ins[s->nins++] = (script_insn){insn, arg, arg2, strdup(arg3 ? arg3 : "")};
}

int pl_script_find_var(pl_script *s, const char *name, int add)
{
    for (int i = 0; i < s->nvars; i++)
        if (!strcmp(s->vars[i].name, name))
            return i;
    if (!add)
        return s->nvars;
    if (s->nvars == s->capvars) {
        int cap = s->capvars ? s->capvars * 2 : 8;
        script_var *v = realloc(s->vars, sizeof *v * (size_t)cap);
        if (!v)
            return s->nvars;
        s->vars = v;
        s->capvars = cap;
    }
    s->vars[s->nvars] = (script_var){strdup(name), strdup("")};
    return s->nvars++;
}

static void set_var(pl_script *s, int i, char *value)
{
    if (i >= s->nvars) {
        free(value);
        return;
    }
    free(s->vars[i].value);
    s->vars[i].value = value;
}

static int find_label(pl_script *s, const char *label)
{
    for (int i = 0; i < s->nins; i++)
        if (s->ins[i].insn == SI_LABEL && !strcmp(s->ins[i].arg3, label))
            return i;
    int insn;
    if (lookup(label, &insn) && insn < 0)
        return insn;
    if (!strcmp(label, "begin") || !strcmp(label, "loop"))
        return 0;
    return s->nins;
}

static int parse_type(pl_element *e, pl_script *s, pl_error *err)
{
    const char *t = s->type_text ? s->type_text : "";
    char *w = pl_cp_shift(&t);
    int rc = 0;
    if (!*w)
        ;
    else if (!strcmp(w, "ACTIVE") && !*t)
        s->type = ST_ACTIVE;
    else if (!strcmp(w, "PASSIVE") && !*t)
        s->type = ST_PASSIVE;
    else if ((!strcmp(w, "PACKET") || !strcmp(w, "PUSH")) && !*t)
        s->type = ST_PUSH;
    else if (!strcmp(w, "PROXY") && !*t)
        s->type = ST_PROXY;
    else if (!strcmp(w, "DRIVER") && !*t)
        s->type = ST_DRIVER;
    else if (!strcmp(w, "SIGNAL")) {
        static const struct { const char *n; int v; } sigs[] = {
            {"ABRT", 6}, {"ALRM", 14}, {"HUP", 1}, {"INT", 2}, {"IO", 29}, {"PIPE", 13},
            {"QUIT", 3}, {"TERM", 15}, {"TSTP", 20}, {"USR1", 10}, {"USR2", 12}, {NULL, 0}};
        s->type = ST_SIGNAL;
        for (;;) {
            char *x = pl_cp_shift(&t);
            if (!*x) {
                free(x);
                break;
            }
            int v = -1;
            for (int i = 0; sigs[i].n; i++)
                if (!strcmp(x, sigs[i].n))
                    v = sigs[i].v;
            char *end;
            long n = strtol(x, &end, 10);
            if (v < 0 && !*end && end != x)
                v = (int)n;
            free(x);
            if (v < 0 || v >= 32 || s->nsig >= 32) {
                rc = pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "bad signal number");
                break;
            }
            s->signos[s->nsig++] = v;
        }
        if (!rc && !s->nsig)
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "bad signal number");
    } else
        rc = pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "bad TYPE");
    free(w);
    return rc;
}

/* Click's Script::configure, instructions only (the type's port checks wait
 * for initialize, when ports are known). */
int pl_script_configure(pl_element *e, pl_script *s, int default_type, pl_error *err)
{
    s->type = default_type;
    if (parse_type(e, s, err))
        return err->status;
    char errs[400] = "";
    size_t ek = 0;
#define SYNTAX(w)                                                                       \
    do {                                                                                \
        if (!ek)                                                                        \
            ek = (size_t)snprintf(errs, sizeof errs, "syntax error at '%s'", (w));      \
    } while (0)
    for (int i = 0; i < s->args.n; i++) {
        char *text = pl_cp_uncomment(s->args.v[i]);
        const char *rest = text;
        char *w = pl_cp_shift(&rest);
        int insn;
        if (!*w) {
            free(w), free(text);
            continue;                  /* benign */
        }
        if (!lookup(w, &insn)) {
            SYNTAX(w);
            free(w), free(text);
            continue;
        }
        switch (insn) {
        case SI_WAIT_PSEUDO:
            insn = *rest ? SI_WAIT_TIME : SI_WAIT_STEP;
            if (insn == SI_WAIT_TIME) {
                add_insn(s, SI_WAIT_TIME, 0, 0, rest);
                break;
            }
            /* fall through */
        case SI_WAIT_STEP: {
            int64_t n = 1;
            if (!*rest || (!pl_parse_int(rest, &n) && n >= 0))
                add_insn(s, SI_WAIT_STEP, (int)n, 0, "");
            else
                SYNTAX(w);
            break;
        }
        case SI_WRITE: case SI_WRITEQ: case SI_READ: case SI_READQ: case SI_PRINT:
        case SI_PRINTQ: case SI_PRINTN: case SI_PRINTNQ: case SI_SAVE: case SI_APPEND:
        case SI_GOTO:
            add_insn(s, insn, 0, 0, rest);
            break;
        case SI_RETURN: case SI_RETURNQ: case SI_INIT: case SI_INITQ: case SI_EXPORT:
        case SI_EXPORTQ: case SI_SET: case SI_SETQ: {
            pl_str full = {0};
            if (insn == SI_RETURN || insn == SI_RETURNQ)
                pl_str_adds(&full, "_ ");
            pl_str_adds(&full, rest);
            char *f = pl_str_take(&full);
            const char *r = f;
            char *word = pl_cp_shift(&r);
            if (!*word || ((insn == SI_SET || insn == SI_SETQ) && !*r))
                SYNTAX(w);
            else
                add_insn(s, insn, pl_script_find_var(s, word, 1), 0, r);
            free(word), free(f);
            break;
        }
        case SI_WAIT_TIME:
            add_insn(s, SI_WAIT_TIME, 0, 0, rest);
            break;
        case SI_LABEL: {
            const char *r = rest;
            char *word = pl_cp_shift(&r);
            if (!*word || *r)
                SYNTAX(w);
            else
                add_insn(s, SI_LABEL, 0, 0, word);
            free(word);
            break;
        }
        case SI_LOOP_PSEUDO:
            insn = SI_GOTO;
            /* fall through */
        default:                       /* end, exit, stop, error, errorq */
            if (*rest && insn != SI_ERROR && insn != SI_ERRORQ)
                SYNTAX(w);
            else
                add_insn(s, insn, 0, 0, rest);
        }
        free(w), free(text);
    }
    for (int i = 0; i < s->nins; i++)
        if (s->ins[i].insn == SI_GOTO && *s->ins[i].arg3) {
            const char *r = s->ins[i].arg3;
            char *word = pl_cp_shift(&r);
            char *cond = strdup(r);
            if ((s->ins[i].arg = find_label(s, word)) >= s->nins && !ek)
                ek = (size_t)snprintf(errs, sizeof errs, "no such label '%s'", word);
            free(s->ins[i].arg3);
            s->ins[i].arg3 = cond;
            free(word);
        }
    if (s->nins == 0 && s->type == ST_DRIVER)
        add_insn(s, SI_WAIT_STEP, 1, 0, "");
    add_insn(s, s->type == ST_DRIVER ? SI_STOP : SI_END, 0, 0, "");
#undef SYNTAX
    if (ek)
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "%s", errs);
    return 0;
}

void pl_script_free(pl_script *s)
{
    for (int i = 0; i < s->nins; i++)
        free(s->ins[i].arg3);
    for (int i = 0; i < s->nvars; i++)
        free(s->vars[i].name), free(s->vars[i].value);
    free(s->ins);
    free(s->vars);
    free(s->run_name);
    free(s->run_args);
    s->ins = NULL;
    s->vars = NULL;
    s->run_name = s->run_args = NULL;
    s->nins = s->nvars = 0;
}

static int wait_time(pl_element *e, pl_script *s, const char *arg3)
{
    char *t = pl_script_expand(e, s, arg3, 0);
    double sec;
    int ok = !pl_parse_time(t, &sec);
    free(t);
    if (ok)
        pl_timer_schedule_after(&s->timer, (uint64_t)(sec * 1e9 + 0.5));
    else
        pl_script_error(e, s, "syntax error at 'wait'");
    return ok;
}

int pl_script_initialize(pl_element *e, pl_script *s, pl_error *err)
{
    s->pos = 0;
    s->step_count = 0;
    for (int i = 0; i < s->nins; i++) {
        int q = s->ins[i].insn == SI_INITQ || s->ins[i].insn == SI_EXPORTQ;
        if (q || s->ins[i].insn == SI_INIT || s->ins[i].insn == SI_EXPORT) {
            char *v = pl_script_expand(e, s, s->ins[i].arg3, 0);
            if (q) {
                char *u = pl_cp_unquote(v);
                free(v);
                v = u;
            }
            set_var(s, s->ins[i].arg, v);
        }
    }
    int insn = s->ins[0].insn;
    if (s->type == ST_SIGNAL || s->type == ST_PASSIVE || s->type == ST_PUSH ||
        s->type == ST_PROXY)
        ;
    else if (insn == SI_WAIT_TIME) {
        if (!wait_time(e, s, s->ins[0].arg3))
            return pl_seterr(err, PL_ERR_CONFIG, e, "", "syntax error at 'wait'");
    } else if (insn == SI_INITIAL) {
        if (s->type == ST_DRIVER)
            pl_engine_adjust_runcount(e->eng, -1);
        else
            pl_timer_schedule_after(&s->timer, 0);
        s->ins[0].arg = 1;
    }
    return 0;
}

/* print, printn, save, append and their q forms. */
static void do_print(pl_element *e, pl_script *s, int insn, const char *arg3)
{
    char *owned = NULL;
    const char *text = arg3;
    if (insn == SI_SAVE || insn == SI_APPEND) {
        const char *r = arg3;
        char *word = pl_cp_shift(&r);
        pl_str b = {0};
        pl_str_addf(&b, "%s%s %s", insn == SI_SAVE ? ">" : ">>", *r ? r : "-", word);
        free(word);
        text = owned = pl_str_take(&b);
    }
    FILE *f = NULL;
    if (*text == '>') {
        int app = text[1] == '>';
        text += 1 + app;
        char *file = pl_cp_shift(&text);
        if (*file && strcmp(file, "-") && !(f = fopen(file, app ? "ab" : "wb"))) {
            pl_script_error(e, s, "%s: %m", file);
            free(file), free(owned);
            return;
        }
        free(file);
    }
    int errors = 0;
    pl_str result = {0};
    if ((*text >= 'a' && *text <= 'z') || (*text >= 'A' && *text <= 'Z') || *text == '@' ||
        *text == '_') {
        char *x = pl_script_expand(e, s, text, 0);
        errors = pl_script_call(e, s, x, 0, insn == SI_PRINTQ || insn == SI_PRINTNQ, &result,
                                NULL) < 0;
        free(x);
    } else {
        char *x = pl_script_expand(e, s, text, 1), *u = pl_cp_unquote(x);
        pl_str_adds(&result, u);
        free(x), free(u);
    }
    if (!errors && (!result.n || result.s[result.n - 1] != '\n') && insn != SI_PRINTN &&
        insn != SI_PRINTNQ)
        pl_str_addc(&result, '\n');
    if (f) {
        fwrite(result.s ? result.s : "", 1, result.n, f);
        fclose(f);
    } else if (result.n)
        pl_out(e->eng, result.s, result.n);
    pl_str_free(&result);
    free(owned);
}

int pl_script_step(pl_element *e, pl_script *s, int nsteps, int step_type, int njumps)
{
    nsteps += s->step_count;
    while (nsteps - s->step_count >= 0 && s->pos < s->nins && njumps < SCRIPT_MAX_JUMPS) {
        int ipos = s->pos++;
        script_insn *in = &s->ins[ipos];
        switch (in->insn) {
        case SI_STOP:
            s->step_count++;
            s->pos--;
            if (step_type != STEP_ROUTER)
                pl_engine_adjust_runcount(e->eng, -1);
            return njumps + 1;
        case SI_WAIT_STEP:
            while (s->step_count < nsteps && in->arg2 < in->arg) {
                in->arg2++;
                s->step_count++;
            }
            if (s->step_count == nsteps && in->arg2 < in->arg) {
                s->pos--;
                goto done;
            }
            break;
        case SI_WAIT_TIME:
            if (s->step_count == nsteps) {
                if (wait_time(e, s, in->arg3))
                    s->pos--;
                goto done;
            }
            s->step_count++;
            pl_timer_unschedule(&s->timer);
            break;
        case SI_INITIAL:
            if (in->arg) {
                s->step_count++;
                in->arg = 0;
            }
            break;
        case SI_SAVE: case SI_APPEND: case SI_PRINT: case SI_PRINTQ: case SI_PRINTN:
        case SI_PRINTNQ:
            do_print(e, s, in->insn, in->arg3);
            break;
        case SI_READ:
        case SI_READQ: {
            char *x = pl_script_expand(e, s, in->arg3, 0);
            pl_str out = {0}, name = {0};
            if (pl_script_call(e, s, x, 0, in->insn == SI_READQ, &out, &name) >= 0) {
                pl_str msg = {0};
                pl_str_addf(&msg, "%s:\n%s\n", name.s ? name.s : "", out.s ? out.s : "");
                pl_err(e->eng, msg.s, msg.n);
                pl_str_free(&msg);
            }
            pl_str_free(&out), pl_str_free(&name);
            free(x);
            break;
        }
        case SI_WRITE:
        case SI_WRITEQ: {
            char *x = pl_script_expand(e, s, in->arg3, 0);
            s->write_status = pl_script_call(e, s, x, 1, in->insn == SI_WRITEQ, NULL, NULL);
            free(x);
            break;
        }
        case SI_RETURN: case SI_RETURNQ: case SI_SET: case SI_SETQ: {
            char *v = pl_script_expand(e, s, in->arg3, 0);
            if (in->insn == SI_SETQ || in->insn == SI_RETURNQ) {
                char *u = pl_cp_unquote(v);
                free(v);
                v = u;
            }
            set_var(s, in->arg, v);
            if ((in->insn == SI_RETURN || in->insn == SI_RETURNQ) && s->pos == ipos + 1) {
                s->pos--;
                goto done;
            }
            break;
        }
        case SI_GOTO: {
            char *cond_text = pl_script_expand(e, s, in->arg3, 0);
            uint8_t cond = 1;
            if (*cond_text && pl_parse_bool(cond_text, &cond)) {
                pl_script_error(e, s, "bad condition '%s'", cond_text);
                free(cond_text);
                break;
            }
            free(cond_text);
            if (cond) {
                if (in->arg < 0)
                    goto finish;
                for (int i = in->arg; i < ipos; i++)
                    if (s->ins[i].insn == SI_WAIT_STEP)
                        s->ins[i].arg2 = 0;
                s->pos = in->arg;
            }
            break;
        }
        case SI_ERROR:
        case SI_ERRORQ: {
            char *m = pl_script_expand(e, s, in->arg3, 0);
            if (in->insn == SI_ERRORQ) {
                char *u = pl_cp_unquote(m);
                free(m);
                m = u;
            }
            if (*m)
                pl_script_error(e, s, "%s", m);
            free(m);
        }
            /* fall through */
        case SI_END:
        case SI_EXIT:
        finish:
            s->pos--;
            return njumps + 1;
        default:
            break;                     /* label, init, export */
        }
        if (s->pos != ipos + 1)
            njumps++;
    }
done:
    if (njumps >= SCRIPT_MAX_JUMPS) {
        pl_log(e->eng, "%s :: %s: too many jumps, giving up", PL_NAME(e), e->cls->name);
        s->pos = s->nins;
        pl_timer_unschedule(&s->timer);
    }
    if (step_type == STEP_ROUTER)
        pl_engine_adjust_runcount(e->eng, 1);
    return njumps + 1;
}

int pl_script_complete(pl_element *e, pl_script *s, char **retval)
{
    int last = -100;
    if (s->pos >= 0 && s->pos < s->nins) {
        last = s->ins[s->pos].insn;
        if (last == SI_GOTO && s->ins[s->pos].arg < 0)
            last = s->ins[s->pos].arg;
    }
    if (last == SI_END && s->type == ST_SIGNAL)
        atomic_store(&s->sig_pending, 0);   /* the handler is live again */
    if (retval) {
        *retval = NULL;
        if (last == SI_RETURN || last == SI_RETURNQ) {
            int x = pl_script_find_var(s, "_", 0);
            if (x < s->nvars)
                *retval = strdup(s->vars[x].value);
        } else if (last == SI_END && s->type == ST_PUSH)
            *retval = strdup("0");
        if (!*retval)
            *retval = strdup("");
    }
    (void)e;
    return last == SI_ERROR || last == SI_ERRORQ ? -1 : last == SI_STOP ? 1 : 0;
}
