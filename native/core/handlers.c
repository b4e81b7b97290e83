/*
 * Handlers: Click's default ones (class, name, config, ports, handlers,
 * icounts, ocounts), one per parameter (read: current value; write: live
 * parameters only), then each class's own table.
 */
#include "args.h"
#include "engine.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const pl_param *param_for(const pl_element *el, const char *handler)
{
    for (const pl_param *p = el->cls->params; p && p->name; p++)
        if (!strcasecmp(p->name, handler))
            return p;
    return NULL;
}

static const pl_handler *class_handler(const pl_element *el, const char *name)
{
    for (const pl_handler *h = el->cls->handlers; h && h->name; h++)
        if (!strcmp(h->name, name))
            return h;
    return NULL;
}

const pl_handler *pl_param_writer(const pl_element *el, const pl_param *p)
{
    char lower[64];
    size_t i = 0;
    for (; p->name[i] && i + 1 < sizeof lower; i++)
        lower[i] = (char)tolower((unsigned char)p->name[i]);
    lower[i] = 0;
    const pl_handler *h = class_handler(el, lower);
    return h && h->write ? h : NULL;
}

/* Packets that arrived at each input: the sum over the edges into it. */
static uint64_t input_total(pl_engine *e, const pl_element *el, int port)
{
    uint64_t sum = 0;
    for (int i = 0; i < e->nconns; i++) {
        const pl_conn *c = &e->conns[i];
        if (c->to == el->index && c->to_port == port)
            sum += pl_stats_port_total(e, e->elems[c->from]->port_base + (uint32_t)c->from_port, 0);
    }
    return sum;
}

static int list_handlers(const pl_element *el, char *buf, size_t len)
{
    static const char *builtin[] = {"class", "name", "config", "ports", "handlers", "icounts",
                                    "ocounts", "scheduled"};
    size_t k = 0;
    buf[0] = 0;
#define ADD(s, mode)                                                              \
    do {                                                                          \
        int n_ = snprintf(buf + k, len > k ? len - k : 0, "%s\t%s\n", (s), (mode)); \
        if (n_ < 0 || (size_t)n_ >= len - k)                                      \
            return PL_ERR_HANDLER;                                                \
        k += (size_t)n_;                                                          \
    } while (0)
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        if (strcmp(builtin[i], "scheduled") || el->thread >= 0)
            ADD(builtin[i], "r");
    for (const pl_param *p = el->cls->params; p && p->name; p++) {
        char lower[48];
        size_t n = strlen(p->name);
        if (n >= sizeof lower)
            n = sizeof lower - 1;
        for (size_t i = 0; i < n; i++)
            lower[i] = (char)tolower((unsigned char)p->name[i]);
        lower[n] = 0;
        if (!class_handler(el, lower))
            ADD(lower, (p->flags & PL_P_LIVE) ? "rw" : "r");
    }
    for (const pl_handler *h = el->cls->handlers; h && h->name; h++)
        ADD(h->name, h->read && h->write ? "rw" : h->write ? "w" : "r");
#undef ADD
    return PL_OK;
}

/* Click's "ports" handler: per side the count, then per port its
 * processing ('~' where the class left it agnostic) and its connections. */
static int ports_text(pl_element *el, char *buf, size_t len)
{
    pl_engine *e = el->eng;
    size_t k = 0;
#define PUT(...)                                                           \
    do {                                                                   \
        int w_ = snprintf(buf + k, len > k ? len - k : 0, __VA_ARGS__);    \
        if (w_ < 0 || (size_t)w_ >= len - k)                               \
            return PL_ERR_HANDLER;                                         \
        k += (size_t)w_;                                                   \
    } while (0)
    for (int side = 0; side < 2; side++) {
        int n = side ? el->noutputs : el->ninputs;
        PUT("%d %s%s\n", n, side ? "output" : "input", n == 1 ? "" : "s");
        for (int p = 0; p < n; p++) {
            int pull = side ? pl_output_is_pull(el, p) : pl_input_is_pull(el, p);
            int agn = pl_port_mode(el->cls, side, p) == 'a';
            PUT("%s%s\t-\t", pull ? "pull" : "push", agn ? "~" : "");
            int first = 1;
            for (int c = 0; e->state != PL_S_BUILD && c < e->nconns; c++) {
                const pl_conn *cn = &e->conns[c];
                if (side && cn->from == el->index && cn->from_port == p)
                    PUT("%s[%d] %s", first ? "" : ", ", cn->to_port, e->elems[cn->to]->name);
                else if (!side && cn->to == el->index && cn->to_port == p)
                    PUT("%s%s [%d]", first ? "" : ", ", e->elems[cn->from]->name, cn->from_port);
                else
                    continue;
                first = 0;
            }
            PUT("\n");
        }
    }
#undef PUT
    return PL_OK;
}

int pl_builtin_handler_read(pl_element *el, const char *name, char *buf, size_t len, int *found)
{
    pl_engine *e = el->eng;
    *found = 1;
    if (!strcmp(name, "class"))
        return pl_fmt(buf, len, "%s", el->cls->name);
    if (!strcmp(name, "name"))
        return pl_fmt(buf, len, "%s", el->name);
    if (!strcmp(name, "config"))
        return pl_fmt(buf, len, "%s", __atomic_load_n(&el->config, __ATOMIC_ACQUIRE));
    if (!strcmp(name, "ports"))
        return ports_text(el, buf, len);
    if (!strcmp(name, "scheduled") && el->thread >= 0)
        return pl_fmt(buf, len, "%s",
                      pl_task_scheduled(el) && !atomic_load(&el->task_done) ? "true" : "false");
    if (!strcmp(name, "handlers"))
        return list_handlers(el, buf, len);
    if (!strcmp(name, "icounts") || !strcmp(name, "ocounts")) {
        int in = name[0] == 'i';
        int n = in ? el->ninputs : el->noutputs;
        size_t k = 0;
        buf[0] = 0;
        for (int p = 0; p < n; p++) {
            uint64_t v = e->state == PL_S_BUILD ? 0
                         : in ? input_total(e, el, p)
                              : pl_stats_port_total(e, el->port_base + (uint32_t)p, 0);
            int w = snprintf(buf + k, len - k, "%s%llu", p ? "," : "", (unsigned long long)v);
            if (w < 0 || (size_t)w >= len - k)
                return PL_ERR_HANDLER;
            k += (size_t)w;
        }
        return PL_OK;
    }
    *found = 0;
    return PL_ERR_HANDLER;
}

/* "NAME PARAM": a class handler with read_param (Click's read with argument). */
static int read_with_param(pl_element *el, const char *handler, const char *sp, char *buf,
                           size_t len, pl_error *err)
{
    char name[64];
    size_t n = (size_t)(sp - handler);
    if (n >= sizeof name)
        n = sizeof name - 1;
    memcpy(name, handler, n);
    name[n] = 0;
    while (*sp == ' ')
        sp++;
    const pl_param_handler *h = el->cls->param_handlers;
    while (h && h->name && strcmp(h->name, name))
        h++;
    if ((!h || !h->name) && el->cls->any_read && !class_handler(el, name)) {
        err->status = 0;
        if (el->cls->any_read(el, name, sp, buf, len, err))
            return err->status ? err->status : PL_ERR_HANDLER;
        return PL_OK;
    }
    if (!h || !h->name)
        return pl_seterr(err, PL_ERR_HANDLER, el, name, "%s has no handler '%s' that takes a "
                         "parameter", el->name, name);
    err->status = 0;
    if (h->read(el, sp, buf, len, err))
        return err->status ? err->status
                           : pl_seterr(err, PL_ERR_HANDLER, el, name, "reading '%s.%s' failed",
                                       el->name, name);
    return PL_OK;
}

/* ---- Click's global handlers (element -1) ---- */

static const char *const global_names[] = {"version", "list", "classes", "config", "stop", NULL};

int pl_global_handler_exists(const char *name)
{
    for (int i = 0; global_names[i]; i++)
        if (!strcmp(global_names[i], name))
            return 1;
    return 0;
}

static int global_read(pl_engine *e, const char *h, char *buf, size_t len, pl_error *err)
{
    size_t k = 0;
    buf[0] = 0;
    if (!strcmp(h, "version"))
        return pl_fmt(buf, len, "%s", pl_version());
    if (!strcmp(h, "config"))
        return pl_fmt(buf, len, "%s", e->config_text ? e->config_text : "");
    if (!strcmp(h, "list") || !strcmp(h, "classes")) {
        int cls = !strcmp(h, "classes");
        int n = cls ? pl_class_count() : e->nelems;
        if (!cls)
            k += (size_t)snprintf(buf, len, "%d\n", n);
        for (int i = 0; i < n && k < len; i++)
            k += (size_t)snprintf(buf + k, len - k, "%s\n",
                                  cls ? pl_class_name(i) : e->elems[i]->name);
        return k < len ? PL_OK : pl_seterr(err, PL_ERR_HANDLER, NULL, h, "reading '%s' failed", h);
    }
    if (!strcmp(h, "stop"))
        return pl_seterr(err, PL_ERR_HANDLER, NULL, h, "handler 'stop' is write-only");
    return pl_seterr(err, PL_ERR_HANDLER, NULL, h, "no handler '%s'", h);
}

static int global_write(pl_engine *e, const char *h, const char *v, pl_error *err)
{
    if (!strcmp(h, "stop")) {
        pl_engine_request_stop(e);
        return PL_OK;
    }
    if (pl_global_handler_exists(h))
        return pl_seterr(err, PL_ERR_HANDLER, NULL, h, "handler '%s' is read-only", h);
    return pl_seterr(err, PL_ERR_HANDLER, NULL, h, "no handler '%s'", h);
}

int pl_engine_set_config(pl_engine *e, const char *text)
{
    char *t = strdup(text ? text : "");
    if (!t)
        return PL_ERR_NOMEM;
    free(e->config_text);
    e->config_text = t;
    return PL_OK;
}

/* Bit 1: readable, bit 2: writable; 0: no such handler. */
int pl_handler_mode(pl_element *el, const char *name)
{
    static const char *builtin[] = {"class", "name", "config", "ports", "handlers", "icounts",
                                    "ocounts"};
    const pl_handler *h = class_handler(el, name);
    if (h)
        return (h->read ? 1 : 0) | (h->write ? 2 : 0);
    for (const pl_param_handler *ph = el->cls->param_handlers; ph && ph->name; ph++)
        if (!strcmp(ph->name, name))
            return 1;
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        if (!strcmp(builtin[i], name))
            return 1;
    if (!strcmp(name, "scheduled") && el->thread >= 0)
        return 1;
    const pl_param *p = param_for(el, name);
    if (p)
        return 1 | ((p->flags & PL_P_LIVE) ? 2 : 0);
    if (el->cls->any_mode)
        return el->cls->any_mode(el, name);
    if (el->cls->any_read || el->cls->any_write)
        return (el->cls->any_read ? 1 : 0) | (el->cls->any_write ? 2 : 0);
    return 0;
}

int pl_element_has_handler(pl_element *el, const char *name) { return pl_handler_mode(el, name) != 0; }

int pl_handler_read(pl_engine *e, int elem, const char *handler, char *buf, size_t len,
                    pl_error *err)
{
    if (elem == -1 && len) {
        char h[64];
        size_t n = strcspn(handler, " ");
        snprintf(h, sizeof h, "%.*s", (int)(n < 63 ? n : 63), handler);
        return global_read(e, h, buf, len, err);
    }
    if (elem < 0 || elem >= e->nelems)
        return pl_seterr(err, PL_ERR_HANDLER, NULL, handler, "no element with index %d", elem);
    if (!len)
        return pl_seterr(err, PL_ERR_HANDLER, NULL, handler, "empty buffer");
    pl_element *el = e->elems[elem];
    const pl_handler *h = class_handler(el, handler);
    int rc;
    const char *sp = h ? NULL : strchr(handler, ' ');
    if (sp)
        return read_with_param(el, handler, sp, buf, len, err);
    if (h) {
        if (!h->read)
            return pl_seterr(err, PL_ERR_HANDLER, el, handler, "handler '%s.%s' is write-only",
                             el->name, handler);
        rc = h->read(el, buf, len);
    } else {
        int found;
        rc = pl_builtin_handler_read(el, handler, buf, len, &found);
        if (!found) {
            const pl_param *p = param_for(el, handler);
            if (!p) {
                for (const pl_param_handler *ph = el->cls->param_handlers; ph && ph->name; ph++)
                    if (!strcmp(ph->name, handler))
                        return read_with_param(el, handler, handler + strlen(handler), buf, len,
                                               err);
                if (el->cls->any_read) {
                    err->status = 0;
                    if (el->cls->any_read(el, handler, "", buf, len, err))
                        return err->status ? err->status : PL_ERR_HANDLER;
                    return PL_OK;
                }
                return pl_seterr(err, PL_ERR_HANDLER, el, handler, "%s has no handler '%s'",
                                 el->name, handler);
            }
            rc = pl_format_value(el, p, buf, len);
        }
    }
    if (rc)
        return pl_seterr(err, PL_ERR_HANDLER, el, handler, "reading '%s.%s' failed", el->name,
                         handler);
    return PL_OK;
}

/* Publish a parsed value of a live parameter with one atomic store. */
void pl_param_store(pl_element *el, const pl_param *p, const void *src)
{
    void *f = el->state + p->offset;
    switch (p->type) {
    case PL_T_INT: __atomic_store_n((int64_t *)f, *(const int64_t *)src, __ATOMIC_RELAXED); break;
    case PL_T_UINT: __atomic_store_n((uint64_t *)f, *(const uint64_t *)src, __ATOMIC_RELAXED); break;
    case PL_T_BOOL: __atomic_store_n((uint8_t *)f, *(const uint8_t *)src, __ATOMIC_RELAXED); break;
    case PL_T_REAL: case PL_T_TIME: case PL_T_BANDWIDTH: {
        double d;
        memcpy(&d, src, sizeof d);
        __atomic_store((double *)f, &d, __ATOMIC_RELAXED);
        break;
    }
    default: break;   /* only scalar parameters are live */
    }
}

/* Write a live parameter: parse into a scratch copy, then publish atomically. */
static int write_param(pl_element *el, const pl_param *p, const char *value, pl_error *err)
{
    union { int64_t i; uint64_t u; uint8_t b; double d; } tmp = {0};
    switch (p->type) {
    case PL_T_INT: case PL_T_UINT: case PL_T_BOOL: case PL_T_REAL: case PL_T_TIME:
    case PL_T_BANDWIDTH:
        break;
    default:
        return pl_seterr(err, PL_ERR_HANDLER, el, p->name, "%s cannot change while running",
                         p->name);
    }
    if (pl_parse_value(el, p, value, &tmp, err))
        return err->status;
    pl_param_store(el, p, &tmp);
    if (el->thread >= 0)
        pl_task_wake(el);             /* ACTIVE true, a larger BURST: the task looks again */
    return PL_OK;
}

int pl_handler_write(pl_engine *e, int elem, const char *handler, const char *value, pl_error *err)
{
    if (elem == -1)
        return global_write(e, handler, value ? value : "", err);
    if (elem < 0 || elem >= e->nelems)
        return pl_seterr(err, PL_ERR_HANDLER, NULL, handler, "no element with index %d", elem);
    pl_element *el = e->elems[elem];
    const pl_handler *h = class_handler(el, handler);
    if (h) {
        if (!h->write)
            return pl_seterr(err, PL_ERR_HANDLER, el, handler, "handler '%s.%s' is read-only",
                             el->name, handler);
        return h->write(el, value ? value : "", err);
    }
    const pl_param *p = param_for(el, handler);
    if (!p && el->cls->any_write)
        return el->cls->any_write(el, handler, value ? value : "", err);
    if (!p)
        return pl_seterr(err, PL_ERR_HANDLER, el, handler, "%s has no handler '%s'", el->name,
                         handler);
    if (!(p->flags & PL_P_LIVE))
        return pl_seterr(err, PL_ERR_HANDLER, el, handler,
                         "handler '%s.%s' is read-only (%s is not live-writable)", el->name,
                         handler, p->name);
    return write_param(el, p, value ? value : "", err);
}
