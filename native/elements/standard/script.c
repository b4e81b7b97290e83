/* Script: a small language that drives a configuration from inside it (Click's). */
#include "script_el.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

enum { C_DROPS };
const char *const pl_script_counters[] = {"drops", NULL};

/* ---- signals (TYPE SIGNAL): a process-wide table, written on the control
 * thread, read by the handler; a signal with no live script gets its
 * default action, as in Click once a script exits. ---- */

#define MAX_SIGNAL_SCRIPTS 64
static struct {
    _Atomic(pl_element *) e;
    int signo;
    _Atomic int installed;
} sigtab[MAX_SIGNAL_SCRIPTS];

static void on_signal(int signo)
{
    int any = 0;
    for (int i = 0; i < MAX_SIGNAL_SCRIPTS; i++) {
        pl_element *e = atomic_load(&sigtab[i].e);
        if (!e || sigtab[i].signo != signo || !atomic_load(&sigtab[i].installed))
            continue;
        any = 1;
        atomic_fetch_or(&PL_STATE(e, pl_script)->sig_pending, 1u << signo);
        pl_task_wake(e);
    }
    if (!any) {
        signal(signo, SIG_DFL);
        raise(signo);
    }
}

static void set_installed(pl_element *e, int on)
{
    for (int i = 0; i < MAX_SIGNAL_SCRIPTS; i++)
        if (atomic_load(&sigtab[i].e) == e)
            atomic_store(&sigtab[i].installed, on);
}

static int install_signals(pl_element *e, pl_script *s, pl_error *err)
{
    for (int k = 0; k < s->nsig; k++) {
        int slot = -1;
        for (int i = 0; i < MAX_SIGNAL_SCRIPTS && slot < 0; i++) {
            pl_element *none = NULL;
            if (atomic_compare_exchange_strong(&sigtab[i].e, &none, e))
                slot = i;
        }
        if (slot < 0)
            return pl_seterr(err, PL_ERR_SYSTEM, e, "TYPE", "too many signal scripts");
        sigtab[slot].signo = s->signos[k];
        atomic_store(&sigtab[slot].installed, 1);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sa.sa_flags = SA_RESTART;
        sigaction(s->signos[k], &sa, NULL);
    }
    return 0;
}

static void remove_signals(pl_element *e)
{
    for (int i = 0; i < MAX_SIGNAL_SCRIPTS; i++)
        if (atomic_load(&sigtab[i].e) == e) {
            atomic_store(&sigtab[i].installed, 0);
            atomic_store(&sigtab[i].e, NULL);
        }
}

/* ---- the element ---- */

static void lock(pl_script *s) { pthread_mutex_lock(&s->lock); }
static void unlock(pl_script *s) { pthread_mutex_unlock(&s->lock); }

static void on_timer(pl_timer *t, pl_ctx *ctx)
{
    pl_element *e = t->owner;
    pl_script *s = PL_STATE(e, pl_script);
    lock(s);
    s->context_said = 0;
    pl_script_step(e, s, 1, STEP_TIMER, 0);
    pl_script_complete(e, s, NULL);
    unlock(s);
}

int pl_script_configure_as(pl_element *e, int type, pl_error *err)
{
    pl_script *s = PL_STATE(e, pl_script);
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s->lock, &a);
    pthread_mutexattr_destroy(&a);
    s->lock_ready = 1;
    return pl_script_configure(e, s, type, err);
}

static int script_configure(pl_element *e, pl_error *err) { return pl_script_configure_as(e, -1, err); }

int pl_script_initialize_el(pl_element *e, pl_error *err)
{
    pl_script *s = PL_STATE(e, pl_script);
    if (s->type < 0)
        s->type = e->ninputs || e->noutputs ? ST_PUSH : ST_ACTIVE;
    if (s->type == ST_PUSH && !e->ninputs)
        return pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "PACKET script must have inputs");
    if (s->type != ST_PUSH && (e->ninputs || e->noutputs))
        return pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "ports allowed only on PACKET scripts");
    e->is_driver = s->type == ST_DRIVER;
    e->no_task = s->type != ST_SIGNAL;
    s->rng = (uint64_t)(uintptr_t)e ^ 0x9E3779B97F4A7C15ull;
    pl_timer_init(&s->timer, e, on_timer, NULL);
    if (pl_script_initialize(e, s, err))
        return err->status;
    if (s->type == ST_SIGNAL)
        return install_signals(e, s, err);
    return 0;
}

void pl_script_cleanup(pl_element *e)
{
    pl_script *s = PL_STATE(e, pl_script);
    remove_signals(e);
    pl_script_free(s);
    if (s->lock_ready)
        pthread_mutex_destroy(&s->lock);
    s->lock_ready = 0;
}

/* TYPE SIGNAL: the signal woke the task; run the script (Click's .run). */
uint32_t pl_script_run_task(pl_element *e, pl_ctx *ctx)
{
    pl_script *s = PL_STATE(e, pl_script);
    pl_task_sleep(e);
    if (!atomic_load(&s->sig_pending))
        return 0;
    lock(s);
    set_installed(e, 0);
    atomic_store(&s->sig_pending, 1u << 31);       /* marks "ran"; complete clears on end */
    s->context_said = 0;
    char *io = strdup("");
    pl_error err = {0};
    pl_script_step_handler(e, s, 1, 2, "run", &io, &err);
    free(io);
    int again = !atomic_load(&s->sig_pending);
    atomic_store(&s->sig_pending, 0);
    set_installed(e, again);
    unlock(s);
    return 1;
}

/* TYPE PACKET: each packet runs the script; it leaves on the output the
 * script returns (end: 0; exit or a bad port: dropped, counted). */
void pl_script_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    pl_script *s = PL_STATE(e, pl_script);
    int n = e->noutputs;
    pl_packet *outs[PL_MAX_PORTS] = {0}, *drops = NULL;
    lock(s);
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        s->context_said = 0;
        int o = pl_script_packet(e, s, port);
        pl_batch_append(o >= 0 && o < n ? &outs[o] : &drops, p);
    }
    unlock(s);
    pl_drop_batch(ctx, e, C_DROPS, drops);
    for (int k = 0; k < n; k++)
        if (outs[k])
            pl_output(ctx, e, k, outs[k]);
}

int pl_script_driver_step(pl_element *e, pl_ctx *ctx)
{
    pl_script *s = PL_STATE(e, pl_script);
    lock(s);
    s->context_said = 0;
    char *io = strdup("router");
    pl_error err = {0};
    int r = pl_script_step_handler(e, s, 0, 2, "step", &io, &err);
    free(io);
    unlock(s);
    return r;
}

/* ---- handlers: step, goto, run, set, the operators, exports; and for
 * TYPE PROXY every other name ---- */

static const char *const own_reads[] = {
    "add", "sub", "min", "max", "mul", "div", "idiv", "mod", "rem", "neg", "abs", "eq", "ne",
    "gt", "ge", "lt", "le", "not", "sprintf", "first", "random", "and", "or", "nand", "nor",
    "if", "in", "now", "readable", "writable", "length", "unquote", "htons", "htonl", "ntohs",
    "ntohl", "cat", "catq", "kill", "get", "shift", "run", NULL};

int pl_script_any_mode(pl_element *e, const char *name)
{
    pl_script *s = PL_STATE(e, pl_script);
    for (int i = 0; own_reads[i]; i++)
        if (!strcmp(own_reads[i], name))
            return !strcmp(name, "run") ? 3 : 1;
    if (!strcmp(name, "step") || !strcmp(name, "goto") || !strcmp(name, "set"))
        return 2;
    for (int i = 0; i < s->nins; i++)
        if ((s->ins[i].insn == SI_EXPORT || s->ins[i].insn == SI_EXPORTQ) &&
            !strcmp(s->vars[s->ins[i].arg].name, name))
            return 1;
    return s->type == ST_PROXY ? 3 : 0;
}

static int finish(int r, char *io, char *buf, size_t len, pl_element *e, pl_error *err)
{
    if (r < 0 && !err->status)
        pl_seterr(err, PL_ERR_HANDLER, e, "run", "the script ended with an error");
    if (r >= 0 && buf)
        r = pl_fmt(buf, len, "%s", io ? io : "");
    free(io);
    return r < 0 ? err->status : r == 1 ? 0 : r;
}

int pl_script_any_read(pl_element *e, const char *name, const char *param, char *buf, size_t len,
                       pl_error *err)
{
    pl_script *s = PL_STATE(e, pl_script);
    lock(s);
    int r = 1;
    pl_str out = {0};
    if (strcmp(name, "run"))
        r = pl_script_read(e, s, name, param, &out, err);
    if (r == 1 && (!strcmp(name, "run") || s->type == ST_PROXY)) {
        char *io = strdup(param);
        s->context_said = 0;
        int rs = pl_script_step_handler(e, s, 1, 1, name, &io, err);   /* it replaces io */
        r = finish(rs, io, buf, len, e, err);
    } else if (r == 1)
        r = pl_seterr(err, PL_ERR_HANDLER, e, name, "no '%s.%s' read handler", e->name, name);
    else if (r == 0)
        r = pl_fmt(buf, len, "%s", out.s ? out.s : "");
    else
        r = err->status;
    pl_str_free(&out);
    unlock(s);
    return r;
}

int pl_script_any_write(pl_element *e, const char *name, const char *value, pl_error *err)
{
    pl_script *s = PL_STATE(e, pl_script);
    int what = !strcmp(name, "step") ? 0 : !strcmp(name, "goto") ? 2 : !strcmp(name, "run") ? 1 : -1;
    lock(s);
    int r;
    if (!strcmp(name, "set")) {
        const char *p = value;
        char *v = pl_cp_shift(&p);
        if (!*v)
            r = pl_seterr(err, PL_ERR_HANDLER, e, name, "no variable");
        else {
            int i = pl_script_find_var(s, v, 1);
            if (i < s->nvars) {
                free(s->vars[i].value);
                s->vars[i].value = strdup(p);
            }
            r = 0;
        }
        free(v);
    } else if (what >= 0 || s->type == ST_PROXY) {
        char *io = strdup(value);
        s->context_said = 0;
        int rs = pl_script_step_handler(e, s, what < 0 ? 1 : what, 2, name, &io, err);
        r = finish(rs, io, NULL, 0, e, err);       /* io after the call: it replaces it */
    } else
        r = pl_seterr(err, PL_ERR_HANDLER, e, name, "no '%s.%s' write handler", e->name, name);
    unlock(s);
    return r;
}

const pl_param pl_script_params[] = {
    {"TYPE", PL_T_STRING, offsetof(pl_script, type_text), "", 0, -1, 0,
     "ACTIVE, PASSIVE, PACKET, PROXY, DRIVER or SIGNAL SIGNO..."},
    {"INSTRUCTIONS", PL_T_ARGS, offsetof(pl_script, args), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_ANYWHERE, "the script, one instruction per argument"},
    {0}};

static const pl_class script = {
    .name = "Script",
    .ports = "-/-",
    .processing = "ah/ah",
    .doc = "Script(INSTRUCTIONS... [, TYPE])\n"
           "Scripts a configuration from inside it.\n\n"
           "Click's Script, its whole instruction set: set/setq, init/initq,\n"
           "export/exportq, print/printq/printn/printnq [>FILE|>>FILE], read/readq,\n"
           "write/writeq, save, append, pause, wait TIME, wait_step, wait_time, label,\n"
           "goto LABEL [COND] (goto end/exit/stop/loop/error), loop, end, exit, stop,\n"
           "return/returnq, error/errorq. Text is expanded: $var, ${var}, $(HANDLER\n"
           "ARGS) (a read, e.g. $(c.count) or $(add $x 1)), $?, $args, $1.., $#, $$, $0,\n"
           "$write. TYPE: ACTIVE (runs at start; the default without ports), PASSIVE\n"
           "(runs when its run handler is called), PACKET (each packet runs it; the\n"
           "return value is the output; the default with ports), PROXY (any handler\n"
           "runs it, $0 the name), DRIVER (see DriverManager), SIGNAL SIGNO... (runs on\n"
           "the signals). wait sleeps on a timer of the engine clock (no wall time under\n"
           "simulated time). print goes to the engine's standard output, read and\n"
           "errors to its log (stderr), in Click's formats. It runs on its home worker;\n"
           "a lock keeps a run and a handler call from overlapping.\n"
           "Handlers: step, goto, run (rw, with arguments), set, get, shift, now,\n"
           "readable, writable, add, sub, min, max, mul, div, idiv, mod, rem, neg, abs,\n"
           "eq, ne, lt, gt, le, ge, not, and, or, nand, nor, if, in, first, sprintf,\n"
           "random, length, unquote, htons, htonl, ntohs, ntohl, cat, catq, kill, and\n"
           "one per exported variable.\n"
           "Counters: drops (PACKET scripts: packets that exit or name no output).\n\n"
           "Example: Script(wait 1, print $(c.count), write src.rate 2000, wait 1, stop);",
    .state_size = sizeof(pl_script),
    .params = pl_script_params,
    .counters = pl_script_counters,
    .ndrops = 1,
    .configure = script_configure,
    .initialize = pl_script_initialize_el,
    .cleanup = pl_script_cleanup,
    .push = pl_script_push,
    .run_task = pl_script_run_task,
    .any_read = pl_script_any_read,
    .any_write = pl_script_any_write,
    .any_mode = pl_script_any_mode,
    .driver_step = pl_script_driver_step,
    .sources = PL_S_NONE,
};
PL_REGISTER_CLASS(script);
