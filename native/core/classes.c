/*
 * The class registry (every PL_REGISTER_CLASS lands in the "pl_classes"
 * section; the linker gives us its bounds), class introspection for Python,
 * errors and the engine log.
 */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const pl_class *const __start_pl_classes[] __attribute__((weak));
extern const pl_class *const __stop_pl_classes[] __attribute__((weak));

static int nclasses(void)
{
    if (!__start_pl_classes)
        return 0;
    return (int)(__stop_pl_classes - __start_pl_classes);
}

const pl_class *pl_class_at(int i)
{
    return i >= 0 && i < nclasses() ? __start_pl_classes[i] : NULL;
}

const pl_class *pl_class_lookup(const char *name)
{
    for (int i = 0; i < nclasses(); i++)
        if (!strcmp(__start_pl_classes[i]->name, name))
            return __start_pl_classes[i];
    return NULL;
}

int pl_class_id(const pl_class *c)
{
    for (int i = 0; i < nclasses(); i++)
        if (__start_pl_classes[i] == c)
            return i;
    return -1;
}

int pl_class_count(void) { return nclasses(); }
int pl_class_find(const char *name) { return pl_class_id(pl_class_lookup(name)); }

#define CLS(i, bad)                      \
    const pl_class *c = pl_class_at(i); \
    if (!c)                              \
    return bad

const char *pl_class_name(int i) { CLS(i, NULL); return c->name; }
const char *pl_class_ports(int i) { CLS(i, NULL); return c->ports; }
const char *pl_class_processing(int i) { CLS(i, NULL); return c->processing; }
const char *pl_class_doc(int i) { CLS(i, NULL); return c->doc ? c->doc : ""; }

int pl_class_nparams(int i)
{
    CLS(i, -1);
    int n = 0;
    for (const pl_param *p = c->params; p && p->name; p++)
        n++;
    return n;
}

int pl_class_param(int i, int k, pl_param_info *out)
{
    CLS(i, PL_ERR_CLASS);
    if (k < 0 || k >= pl_class_nparams(i))
        return PL_ERR_CONFIG;
    const pl_param *p = &c->params[k];
    *out = (pl_param_info){p->name, p->type, p->def, p->min, p->max, p->doc ? p->doc : "",
                           !!(p->flags & PL_P_POSITIONAL), !!(p->flags & PL_P_LIVE)};
    return PL_OK;
}

int pl_class_nhandlers(int i)
{
    CLS(i, -1);
    int n = 0;
    for (const pl_handler *h = c->handlers; h && h->name; h++)
        n++;
    return n;
}

int pl_class_handler(int i, int k, pl_handler_info *out)
{
    CLS(i, PL_ERR_CLASS);
    if (k < 0 || k >= pl_class_nhandlers(i))
        return PL_ERR_HANDLER;
    const pl_handler *h = &c->handlers[k];
    *out = (pl_handler_info){h->name, h->read != NULL, h->write != NULL, h->doc ? h->doc : ""};
    return PL_OK;
}

int pl_class_nparam_handlers(int i)
{
    CLS(i, -1);
    int n = 0;
    for (const pl_param_handler *h = c->param_handlers; h && h->name; h++)
        n++;
    return n;
}

int pl_class_param_handler(int i, int k, pl_handler_info *out)
{
    CLS(i, PL_ERR_CLASS);
    if (k < 0 || k >= pl_class_nparam_handlers(i))
        return PL_ERR_HANDLER;
    const pl_param_handler *h = &c->param_handlers[k];
    *out = (pl_handler_info){h->name, 1, 0, h->doc ? h->doc : ""};
    return PL_OK;
}

int pl_class_ncounters(int i)
{
    CLS(i, -1);
    int n = 0;
    for (const char *const *s = c->counters; s && *s; s++)
        n++;
    return n;
}

const char *pl_class_counter(int i, int k)
{
    CLS(i, NULL);
    if (k < 0 || k >= pl_class_ncounters(i))
        return NULL;
    return c->counters[k];
}

int pl_class_ndrops(int i) { CLS(i, -1); return c->ndrops; }

int pl_seterr(pl_error *err, int status, const pl_element *e, const char *keyword,
              const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->element, sizeof err->element, "%s", e ? e->name : "");
    snprintf(err->keyword, sizeof err->keyword, "%s", keyword ? keyword : "");
    err->line = e ? e->line : 0;
    err->col = e ? e->col : 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

int pl_fmt(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return n < 0 || (size_t)n >= len ? PL_ERR_HANDLER : PL_OK;
}

void pl_log(pl_engine *e, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof line - 2)
        n = sizeof line - 2;
    line[n++] = '\n';
    if (e->opts.stdio) {
        ssize_t w = write(2, line, (size_t)n);
        (void)w;
        return;
    }
    pthread_mutex_lock(&e->log_lock);
    if (e->log_fd >= 0) {
        pl_write_all(e->log_fd, line, (size_t)n);
    } else if (e->log && e->log_head - e->log_tail + (uint64_t)n <= PL_LOG_SIZE) {
        for (int i = 0; i < n; i++)
            e->log[(e->log_head + (uint64_t)i) % PL_LOG_SIZE] = line[i];
        e->log_head += (uint64_t)n;
    } else {
        e->log_dropped++;
    }
    pthread_mutex_unlock(&e->log_lock);
}

uint64_t pl_engine_log_dropped(pl_engine *e)
{
    pthread_mutex_lock(&e->log_lock);
    uint64_t n = e->log_dropped;
    pthread_mutex_unlock(&e->log_lock);
    return n;
}

static void ring_put(pl_engine *e, char *ring, uint64_t *head, uint64_t *tail, uint64_t *dropped,
                     const char *data, size_t n)
{
    pthread_mutex_lock(&e->log_lock);
    if (ring && *head - *tail + (uint64_t)n <= PL_LOG_SIZE) {
        for (size_t i = 0; i < n; i++)
            ring[(*head + (uint64_t)i) % PL_LOG_SIZE] = data[i];
        *head += (uint64_t)n;
    } else {
        (*dropped)++;
    }
    pthread_mutex_unlock(&e->log_lock);
}

void pl_err(pl_engine *e, const char *data, size_t n)
{
    if (e->opts.stdio) {
        while (n) {
            ssize_t w = write(2, data, n);
            if (w <= 0)
                return;
            data += w;
            n -= (size_t)w;
        }
        return;
    }
    pthread_mutex_lock(&e->log_lock);
    int fd = e->log_fd;
    pthread_mutex_unlock(&e->log_lock);
    if (fd >= 0) {                     /* a driver's stderr (Engine.log_to) */
        pl_write_all(fd, data, n);
        return;
    }
    ring_put(e, e->log, &e->log_head, &e->log_tail, &e->log_dropped, data, n);
}

void pl_out(pl_engine *e, const char *data, size_t n)
{
    if (e->opts.stdio) {
        while (n) {
            ssize_t w = write(1, data, n);
            if (w <= 0)
                return;
            data += w;
            n -= (size_t)w;
        }
        return;
    }
    ring_put(e, e->out, &e->out_head, &e->out_tail, &e->out_dropped, data, n);
}

size_t pl_engine_out_read(pl_engine *e, char *buf, size_t len)
{
    size_t k = 0;
    pthread_mutex_lock(&e->log_lock);
    while (k + 1 < len && e->out_tail < e->out_head)
        buf[k++] = e->out[e->out_tail++ % PL_LOG_SIZE];
    pthread_mutex_unlock(&e->log_lock);
    if (len)
        buf[k] = 0;
    return k;
}

size_t pl_engine_log_read(pl_engine *e, char *buf, size_t len)
{
    size_t k = 0;
    pthread_mutex_lock(&e->log_lock);
    while (k + 1 < len && e->log_tail < e->log_head)
        buf[k++] = e->log[e->log_tail++ % PL_LOG_SIZE];
    pthread_mutex_unlock(&e->log_lock);
    if (len)
        buf[k] = 0;
    return k;
}
