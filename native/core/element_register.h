/*
 * Messages and errors, class registration, handlers by name, sinks, output.
 * Part of element.h (the header element authors include).
 */
#ifndef PL_ELEMENT_REGISTER_H
#define PL_ELEMENT_REGISTER_H

#include "element_engine.h"

/* A message given while configuring (Click's errh->message/warning, shown in
 * the element's "While configuring" context; an error is pl_seterr). */
enum { PL_MSG_INFO = 0, PL_MSG_WARNING = 1 };
void pl_message(pl_element *e, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void pl_write_all(int fd, const char *s, size_t n);
/* Append a line to the engine's bounded log (Print and friends). */
void pl_log(struct pl_engine *eng, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int pl_seterr(pl_error *err, int status, const pl_element *e, const char *keyword,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- class registration: a pointer in a dedicated section per class ---- */
#define PL_REGISTER_CLASS(c)                                                     \
    __attribute__((used, section("pl_classes"), aligned(sizeof(void *))))       \
    const pl_class *const pl_classreg_##c = &(c)

const pl_class *pl_class_lookup(const char *name);
int pl_class_id(const pl_class *c);
const pl_class *pl_class_at(int i);

/* Format helpers for handlers. */
int pl_fmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Call a handler as Click's HandlerCall: "elem.handler ARGS" relative to
 * ctx's compound, or a handler of ctx's own / a global one without a dot.
 * A read puts the result in buf. Returns 0 or a pl_status (err filled). */
int pl_handler_call(pl_element *ctx, const char *call, int write, char *buf, size_t len,
                    pl_error *err);
/* Resolve the name part (n bytes) of a call: *elem (-1: global) and the handler. */
int pl_handler_resolve(struct pl_engine *eng, pl_element *ctx, const char *name, size_t n,
                       int *elem, char *hname, size_t hlen, pl_error *err);
int pl_element_has_handler(pl_element *e, const char *name);
int pl_handler_mode(pl_element *e, const char *name);   /* bit 1 read, bit 2 write; -1 global */
int pl_global_handler_exists(const char *name);

/* Free p after the next grace period (a worker may still read it). */
void pl_garbage_add(struct pl_engine *eng, void *p);

/* A sink written as a push function (ToDump, ToDevice, ToDPDKDevice, ...)
 * after a Queue: in initialize, pl_sink_init gives it a task when its input
 * is pull (none when push); the class's run_task is pl_sink_run, which pulls
 * up to `burst` packets and hands them to its push function, sleeping while
 * the queues upstream are empty. */
int pl_sink_init(pl_element *e, uint32_t burst, pl_error *err);
uint32_t pl_sink_run(pl_element *e, pl_ctx *ctx);

/* Standard output of the engine (Script's print), beside the log (stderr);
 * pl_err writes raw text to the log (no newline added, any length). */
void pl_out(struct pl_engine *eng, const char *data, size_t len);
void pl_err(struct pl_engine *eng, const char *data, size_t len);

#endif
