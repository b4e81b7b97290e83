/*
 * Every element's default handlers, in Click's names and formats:
 *
 *   name, class, config   calm reads; `config` written reconfigures the
 *                         element in place when only live parameters change
 *   ports                 Click's listing: per port push/pull ("~" when the
 *                         class left it agnostic), packets, connections
 *   handlers              "NAME<TAB>FLAGS" lines: r, w, + (takes a parameter),
 *                         % raw, . calm, $ expensive, U, D, b button, c checkbox
 *   icounts, ocounts      packets per input and output (pktlab's: comma-separated)
 *   scheduled             elements with a task: whether it is scheduled (Click's)
 *
 * A live parameter written through its handler also rewrites the element's
 * configuration text, as Click's reconfigure_keyword_handler does, so that
 * `config` shows the value in force.
 */
#include "args.h"
#include "engine.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    const char *flags;
} defaults[] = {{"name", "r."}, {"class", "r."}, {"config", "rw."}, {"ports", "r."},
                {"handlers", "r."}, {"icounts", "r"}, {"ocounts", "r"}};

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

typedef struct {
    char *buf;
    size_t len, k;
    int full;
} out_t;

static void put(out_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out_t *o, const char *fmt, ...)
{
    if (o->full)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->k, o->len - o->k, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->len - o->k)
        o->full = 1;
    else
        o->k += (size_t)n;
}

static void flag_chars(out_t *o, const pl_handler *h)
{
    put(o, "%s%s%s%s%s%s%s%s", h->read ? "r" : "", h->write ? "w" : "",
        h->flags & PL_H_RAW ? "%" : "", h->flags & PL_H_CALM ? "." : "",
        h->flags & PL_H_EXPENSIVE ? "$" : "", h->flags & PL_H_UNCOMMON ? "U" : "",
        h->flags & PL_H_BUTTON ? "b" : "", h->flags & PL_H_CHECKBOX ? "c" : "");
}

static int has_class_handler(const pl_element *el, const char *name)
{
    for (const pl_handler *h = el->cls->handlers; h && h->name; h++)
        if (!strcmp(h->name, name))
            return 1;
    return 0;
}

static int list_handlers(const pl_element *el, char *buf, size_t len)
{
    out_t o = {buf, len, 0, 0};
    buf[0] = 0;
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
        if (!has_class_handler(el, defaults[i].name))
            put(&o, "%s\t%s\n", defaults[i].name, defaults[i].flags);
    if (el->thread >= 0 && !has_class_handler(el, "scheduled"))
        put(&o, "scheduled\tr\n");
    for (const pl_param *p = el->cls->params; p && p->name; p++) {
        char lower[48];
        size_t n = strlen(p->name);
        if (n >= sizeof lower)
            n = sizeof lower - 1;
        for (size_t i = 0; i < n; i++)
            lower[i] = (char)tolower((unsigned char)p->name[i]);
        lower[n] = 0;
        if (!has_class_handler(el, lower))
            put(&o, "%s\t%s\n", lower, (p->flags & PL_P_LIVE) ? "rw" : "r");
    }
    for (const pl_handler *h = el->cls->handlers; h && h->name; h++) {
        put(&o, "%s\t", h->name);
        flag_chars(&o, h);
        put(&o, "\n");
    }
    for (const pl_param_handler *h = el->cls->param_handlers; h && h->name; h++)
        if (!has_class_handler(el, h->name))
            put(&o, "%s\tr+\n", h->name);
    return o.full ? PL_ERR_HANDLER : PL_OK;
}

static int ports_listing(pl_element *el, char *buf, size_t len)
{
    pl_engine *e = el->eng;
    out_t o = {buf, len, 0, 0};
    buf[0] = 0;
    put(&o, "%d input%s\n", el->ninputs, el->ninputs == 1 ? "" : "s");
    for (int p = 0; p < el->ninputs; p++) {
        char m = pl_port_mode(el->cls, 0, p);
        int pull = el->pmode ? pl_input_is_pull(el, p) : m == 'l';    /* agnostic: as resolved */
        put(&o, "%s%s\t", pull ? "pull" : "push", m == 'a' ? "~" : "");
        put(&o, "%llu\t", (unsigned long long)(e->state == PL_S_BUILD ? 0
                                                                      : input_total(e, el, p)));
        const char *sep = "";
        for (int i = 0; i < e->nconns; i++)
            if (e->conns[i].to == el->index && e->conns[i].to_port == p) {
                put(&o, "%s%s [%d]", sep, e->elems[e->conns[i].from]->name,
                    e->conns[i].from_port);
                sep = ", ";
            }
        put(&o, "\n");
    }
    put(&o, "%d output%s\n", el->noutputs, el->noutputs == 1 ? "" : "s");
    for (int p = 0; p < el->noutputs; p++) {
        char m = pl_port_mode(el->cls, 1, p);
        int pull = el->pmode ? pl_output_is_pull(el, p) : m == 'l';    /* agnostic: as resolved */
        put(&o, "%s%s\t", pull ? "pull" : "push", m == 'a' ? "~" : "");
        put(&o, "%llu\t", (unsigned long long)(e->state == PL_S_BUILD ? 0
                          : pl_stats_port_total(e, el->port_base + (uint32_t)p, 0)));
        const char *sep = "";
        for (int i = 0; i < e->nconns; i++)
            if (e->conns[i].from == el->index && e->conns[i].from_port == p) {
                put(&o, "%s[%d] %s", sep, e->conns[i].to_port, e->elems[e->conns[i].to]->name);
                sep = ", ";
            }
        put(&o, "\n");
    }
    return o.full ? PL_ERR_HANDLER : PL_OK;
}

static int counts(pl_element *el, int in, char *buf, size_t len)
{
    pl_engine *e = el->eng;
    out_t o = {buf, len, 0, 0};
    buf[0] = 0;
    int n = in ? el->ninputs : el->noutputs;
    for (int p = 0; p < n; p++) {
        uint64_t v = e->state == PL_S_BUILD ? 0
                     : in ? input_total(e, el, p)
                          : pl_stats_port_total(e, el->port_base + (uint32_t)p, 0);
        put(&o, "%s%llu", p ? "," : "", (unsigned long long)v);
    }
    return o.full ? PL_ERR_HANDLER : PL_OK;
}

int pl_builtin_handler_read(pl_element *el, const char *name, char *buf, size_t len, int *found)
{
    *found = 1;
    if (!strcmp(name, "class"))
        return pl_fmt(buf, len, "%s", el->cls->name);
    if (!strcmp(name, "name"))
        return pl_fmt(buf, len, "%s", el->name);
    if (!strcmp(name, "config")) {
        pthread_mutex_lock(&el->eng->log_lock);        /* a handler write may replace it */
        int rc = pl_fmt(buf, len, "%s", el->config);
        pthread_mutex_unlock(&el->eng->log_lock);
        return rc;
    }
    if (!strcmp(name, "ports"))
        return ports_listing(el, buf, len);
    if (!strcmp(name, "scheduled") && el->thread >= 0)       /* Click's task handler */
        return pl_fmt(buf, len, "%s",
                      pl_task_scheduled(el) && !atomic_load(&el->task_done) ? "true" : "false");
    if (!strcmp(name, "handlers"))
        return list_handlers(el, buf, len);
    if (!strcmp(name, "icounts") || !strcmp(name, "ocounts"))
        return counts(el, name[0] == 'i', buf, len);
    *found = 0;
    return PL_ERR_HANDLER;
}

void pl_set_config_text(pl_element *el, char *text)
{
    pthread_mutex_lock(&el->eng->log_lock);
    char *old = el->config;
    el->config = text;
    pthread_mutex_unlock(&el->eng->log_lock);
    free(old);
}

/* `config` written: only live parameters may change here (the others need
 * the element rebuilt: a live change, Engine.apply). */
int pl_builtin_config_write(pl_element *el, const char *config, pl_error *err)
{
    pl_element *scratch = NULL;
    int plan = pl_retune_plan(el, config, &scratch, err);
    if (plan < 0)
        return err->status;
    if (plan == PL_RETUNE_REPLACE)
        return pl_seterr(err, PL_ERR_STATE, el, "config",
                         "%s: this configuration changes more than live parameters: the "
                         "element must be replaced (a live change)", el->name);
    int rc = pl_retune_handlers(el, scratch, err);
    if (!rc)
        pl_retune(el, scratch, config);
    pl_free_params(scratch);
    free(scratch);
    return rc;
}

/* After a live parameter's handler write: the configuration text with the
 * new value, in the parameter's positional slot when the text gave it there,
 * else as a keyword argument (Click's reconfigure_keyword_handler). */
void pl_config_set_param(pl_element *el, const pl_param *p, const char *value)
{
    pl_argv a = {0};
    pthread_mutex_lock(&el->eng->log_lock);
    int rc = pl_split_args(el->config, &a);
    pthread_mutex_unlock(&el->eng->log_lock);
    if (rc)
        return;
    int pos = -1, k = 0;
    for (const pl_param *q = el->cls->params; q && q->name; q++) {
        if (q == p)
            pos = (q->flags & PL_P_POSITIONAL) ? k : -1;
        if (q->flags & PL_P_POSITIONAL)
            k++;
    }
    size_t nlen = strlen(p->name);
    int slot = -1, npos = 0;
    for (int i = 0; i < a.n; i++) {
        const char *s = a.v[i];
        int keyword = 0;
        for (const pl_param *q = el->cls->params; q && q->name && !keyword; q++) {
            size_t ql = strlen(q->name);
            keyword = !strncmp(s, q->name, ql) && (s[ql] == 0 || isspace((unsigned char)s[ql]));
        }
        if (keyword) {
            if (!strncmp(s, p->name, nlen) && (s[nlen] == 0 || isspace((unsigned char)s[nlen])))
                slot = i;
        } else if (npos++ == pos) {
            slot = i;
        }
    }
    size_t total = strlen(value) + nlen + 4;
    for (int i = 0; i < a.n; i++)
        total += strlen(a.v[i]) + 2;
    char *text = malloc(total);
    if (!text) {
        pl_argv_free(&a);
        return;
    }
    size_t w = 0;
    text[0] = 0;
    for (int i = 0; i < a.n; i++) {
        const char *sep = w ? ", " : "";
        if (i == slot && npos > pos && pos >= 0 && strncmp(a.v[i], p->name, nlen))
            w += (size_t)sprintf(text + w, "%s%s", sep, value);
        else if (i == slot)
            w += (size_t)sprintf(text + w, "%s%s %s", sep, p->name, value);
        else
            w += (size_t)sprintf(text + w, "%s%s", sep, a.v[i]);
    }
    if (slot < 0)
        sprintf(text + w, "%s%s %s", w ? ", " : "", p->name, value);
    pl_argv_free(&a);
    pl_set_config_text(el, text);
}
