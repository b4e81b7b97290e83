/*
 * Click's Script (elements/standard/script.cc): its instructions, parsed
 * from the element's arguments, and the interpreter that steps through
 * them. The element (elements/standard/script.c, driver_manager.c) gives it
 * a timer, a push/pull path, handlers and a place in the engine's stop
 * protocol; this is the language.
 */
#ifndef PL_SCRIPT_H
#define PL_SCRIPT_H

#include "../core/element.h"
#include "clickstr.h"

#include <pthread.h>

enum {
    SI_INITIAL, SI_WAIT_STEP, SI_WAIT_TIME, SI_PRINT, SI_PRINTQ, SI_PRINTN, SI_PRINTNQ, SI_READ,
    SI_READQ, SI_WRITE, SI_WRITEQ, SI_SET, SI_SETQ, SI_INIT, SI_INITQ, SI_EXPORT, SI_EXPORTQ,
    SI_SAVE, SI_APPEND, SI_LABEL, SI_GOTO, SI_RETURN, SI_RETURNQ, SI_WAIT_PSEUDO,
    SI_LOOP_PSEUDO,
    /* negative instructions are also labels */
    SI_EXIT = -1, SI_END = -2, SI_STOP = -3, SI_ERROR = -4, SI_ERRORQ = -5
};

enum { ST_ACTIVE, ST_DRIVER, ST_SIGNAL, ST_PASSIVE, ST_PROXY, ST_PUSH };
enum { STEP_NORMAL, STEP_ROUTER, STEP_TIMER, STEP_JUMP };
enum { SCRIPT_MAX_JUMPS = 1000 };

typedef struct script_insn {
    int insn, arg, arg2;
    char *arg3;
} script_insn;

typedef struct script_var {
    char *name, *value;
} script_var;

typedef struct pl_script {
    pl_args args;                 /* the instructions, as written */
    char *type_text;
    int type;
    script_insn *ins;
    int nins, capins;
    script_var *vars;
    int nvars, capvars;
    int pos, step_count, write_status;
    char *run_name, *run_args;
    int run_op;                   /* 1 read, 2 write */
    int *cur_steps;
    int context_said;             /* "While executing ..." printed for this step */
    int signos[32], nsig;
    _Atomic uint32_t sig_pending;
    pl_timer timer;
    pthread_mutex_t lock;         /* recursive: handlers may run it from anywhere */
    int lock_ready;
    uint64_t rng;
    pl_ctx *ctx;                  /* the worker context while it runs on one, else NULL */
} pl_script;

/* configure: parse the instructions (Click's errors). */
int pl_script_configure(pl_element *e, pl_script *s, int default_type, pl_error *err);
void pl_script_free(pl_script *s);
/* initialize: init/export values, the first wait or the initial run. */
int pl_script_initialize(pl_element *e, pl_script *s, pl_error *err);
/* Click's Script::step and complete_step. */
int pl_script_step(pl_element *e, pl_script *s, int nsteps, int step_type, int njumps);
int pl_script_complete(pl_element *e, pl_script *s, char **retval);
/* The step/goto/run handlers (Click's step_handler): what = 0 step, 1 run,
 * 2 goto. *io: the argument in, the return value out (malloc'd). */
int pl_script_step_handler(pl_element *e, pl_script *s, int what, int op, const char *name,
                           char **io, pl_error *err);
/* A packet arrives on input `port`: run it and return the output (-1: drop). */
int pl_script_packet(pl_element *e, pl_script *s, int port);
/* Read one of Script's own handlers with parameters (get, shift, now,
 * readable, the operators...). 1: no such handler. */
int pl_script_read(pl_element *e, pl_script *s, const char *name, const char *param, pl_str *out,
                   pl_error *err);
int pl_script_find_var(pl_script *s, const char *name, int add);
/* An error while it runs, printed as Click's "While executing ..." context. */
void pl_script_error(pl_element *e, pl_script *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
