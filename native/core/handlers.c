/*
 * Handlers: Click's default ones (class, name, config, ports, handlers,
 * icounts, ocounts), one per parameter (read: current value; write: live
 * parameters only), then each class's own table. Element index
 * PL_ROOT_ELEMENT (-1) names the router's global handlers (Click's root
 * element): list, classes, version, handlers, stop; the configuration text
 * (config, flatconfig) is the Python side's, which holds the graph.
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

static int cat(char *buf, size_t len, size_t *k, const char *s)
{
    int n = snprintf(buf + *k, len > *k ? len - *k : 0, "%s\n", s);
    if (n < 0 || (size_t)n >= len - *k)
        return PL_ERR_HANDLER;
    *k += (size_t)n;
    return PL_OK;
}

static const char *const root_handlers[][2] = {
    {"list", "r"}, {"classes", "r"}, {"version", "r"}, {"handlers", "r"}, {"stop", "w"},
};

static int root_read(pl_engine *e, const char *handler, char *buf, size_t len, pl_error *err)
{
    size_t k = 0;
    buf[0] = 0;
    if (!strcmp(handler, "list")) {
        int rc = pl_fmt(buf, len, "%d\n", e->nelems);
        k = strlen(buf);
        for (int i = 0; !rc && i < e->nelems; i++)
            rc = cat(buf, len, &k, e->elems[i]->name);
        return rc ? pl_seterr(err, PL_ERR_HANDLER, NULL, handler, "reading 'list' failed") : PL_OK;
    }
    if (!strcmp(handler, "classes")) {
        int n = pl_class_count(), rc = 0;
        for (int i = 0; !rc && i < n; i++)
            rc = cat(buf, len, &k, pl_class_name(i));
        return rc ? pl_seterr(err, PL_ERR_HANDLER, NULL, handler, "reading 'classes' failed")
                  : PL_OK;
    }
    if (!strcmp(handler, "version"))
        return pl_fmt(buf, len, "%s\n", pl_version());
    if (!strcmp(handler, "handlers")) {
        for (size_t i = 0; i < sizeof root_handlers / sizeof *root_handlers; i++) {
            char line[64];
            snprintf(line, sizeof line, "%s\t%s", root_handlers[i][0], root_handlers[i][1]);
            if (cat(buf, len, &k, line))
                return pl_seterr(err, PL_ERR_HANDLER, NULL, handler, "reading 'handlers' failed");
        }
        return PL_OK;
    }
    if (!strcmp(handler, "stop"))
        return pl_seterr(err, PL_ERR_HANDLER, NULL, handler, "handler 'stop' is write-only");
    return pl_seterr(err, PL_ERR_HANDLER, NULL, handler, "no global handler '%s'", handler);
}

int pl_global_handler_exists(const char *name)
{
    for (size_t i = 0; i < sizeof root_handlers / sizeof *root_handlers; i++)
        if (!strcmp(root_handlers[i][0], name))
            return 1;
    return 0;
}

/* Bit 1: readable, bit 2: writable; 0: no such handler. */
int pl_handler_mode(pl_element *el, const char *name)
{
    static const char *builtin[] = {"class", "name", "ports", "handlers", "icounts", "ocounts"};
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
    if (!strcmp(name, "config"))
        return 3;
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
    if (elem == PL_ROOT_ELEMENT && len) {
        char h[64];                   /* a global handler takes no parameter */
        size_t n = strcspn(handler, " ");
        snprintf(h, sizeof h, "%.*s", (int)(n < 63 ? n : 63), handler);
        return root_read(e, h, buf, len, err);
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
    pl_config_set_param(el, p, value);
    if (el->thread >= 0)
        pl_task_wake(el);             /* ACTIVE true, a larger BURST: the task looks again */
    return PL_OK;
}

int pl_handler_write(pl_engine *e, int elem, const char *handler, const char *value, pl_error *err)
{
    if (elem == PL_ROOT_ELEMENT) {
        if (!strcmp(handler, "stop")) {
            pl_engine_request_stop(e);
            return PL_OK;
        }
        for (size_t i = 0; i < sizeof root_handlers / sizeof *root_handlers; i++)
            if (!strcmp(handler, root_handlers[i][0]))
                return pl_seterr(err, PL_ERR_HANDLER, NULL, handler,
                                 "handler '%s' is read-only", handler);
        return pl_seterr(err, PL_ERR_HANDLER, NULL, handler, "no global handler '%s'", handler);
    }
    if (elem < 0 || elem >= e->nelems)
        return pl_seterr(err, PL_ERR_HANDLER, NULL, handler, "no element with index %d", elem);
    pl_element *el = e->elems[elem];
    const pl_handler *h = class_handler(el, handler);
    if (h) {
        if (!h->write)
            return pl_seterr(err, PL_ERR_HANDLER, el, handler, "handler '%s.%s' is read-only",
                             el->name, handler);
        int rc = h->write(el, value ? value : "", err);
        const pl_param *p = rc ? NULL : param_for(el, handler);
        if (p)                        /* a class's writer of a parameter (limit, capacity) */
            pl_config_set_param(el, p, value ? value : "");
        return rc;
    }
    const pl_param *p = param_for(el, handler);
    if (!p && !strcmp(handler, "config"))
        return pl_builtin_config_write(el, value ? value : "", err);
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
