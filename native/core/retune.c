/*
 * What a changed configuration means for an element live change keeps:
 * nothing (same text), a retune (only live parameters differ: each is
 * published with one atomic store, or written through its class handler
 * where a store is not enough, as NDESC rebuilds a device's rings), or a
 * replacement (anything else).
 */
#include "args.h"
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Live parameters are scalars, written with one atomic store. */
static int is_live(const pl_param *p)
{
    return (p->flags & PL_P_LIVE) && (p->type == PL_T_INT || p->type == PL_T_UINT ||
                                      p->type == PL_T_BOOL || p->type == PL_T_REAL ||
                                      p->type == PL_T_TIME || p->type == PL_T_BANDWIDTH);
}

static int field_equal(const pl_param *p, const void *a, const void *b)
{
    switch (p->type) {
    case PL_T_INT: case PL_T_UINT: case PL_T_REAL: case PL_T_TIME: case PL_T_BANDWIDTH:
        return !memcmp(a, b, 8);
    case PL_T_BOOL: return *(const uint8_t *)a == *(const uint8_t *)b;
    case PL_T_IPV4: return !memcmp(a, b, 4);
    case PL_T_ETHER: return !memcmp(a, b, 6);
    case PL_T_STRING: {
        const char *x = *(char *const *)a, *y = *(char *const *)b;
        return !strcmp(x ? x : "", y ? y : "");
    }
    case PL_T_DATA: {
        const pl_bytes *x = a, *y = b;
        return x->len == y->len && (!x->len || !memcmp(x->data, y->data, x->len));
    }
    case PL_T_ARGS: {
        const pl_args *x = a, *y = b;
        if (x->n != y->n)
            return 0;
        for (int i = 0; i < x->n; i++)
            if (strcmp(x->v[i], y->v[i]))
                return 0;
        return 1;
    }
    }
    return 0;
}

/*
 * Parse `config` for `el`'s class into a scratch element (no configure: a
 * device must not be opened twice). Returns RETUNE if only live parameters
 * differ (and leaves the scratch element for the caller to apply), REPLACE
 * otherwise, -1 on a configuration error.
 */
int pl_retune_plan(pl_element *el, const char *config, pl_element **scratch, pl_error *err)
{
    const pl_class *c = el->cls;
    pl_element *s = aligned_alloc(64, (sizeof *s + c->state_size + 63) & ~(size_t)63);
    if (!s)
        return pl_seterr(err, PL_ERR_NOMEM, el, "", "out of memory"), -1;
    memset(s, 0, sizeof *s + c->state_size);
    s->cls = c;
    s->eng = el->eng;
    s->name = el->name;
    s->line = el->line;
    s->col = el->col;
    if (pl_parse_config(s, config, err)) {
        pl_free_params(s);
        free(s);
        return -1;
    }
    int live_only = 1;
    for (const pl_param *p = c->params; p && p->name; p++)
        if (!is_live(p) && !field_equal(p, el->state + p->offset, s->state + p->offset))
            live_only = 0;
    if (!live_only) {
        pl_free_params(s);
        free(s);
        return PL_RETUNE_REPLACE;
    }
    *scratch = s;
    return PL_RETUNE_LIVE;
}

void pl_retune(pl_element *el, pl_element *scratch, const char *config)
{
    for (const pl_param *p = el->cls->params; p && p->name; p++)
        if (is_live(p) && !pl_param_writer(el, p) &&
            !field_equal(p, el->state + p->offset, scratch->state + p->offset))
            pl_param_store(el, p, scratch->state + p->offset);
    if (el->thread >= 0)
        pl_task_wake(el);
    char *copy = strdup(config);
    if (copy)
        pl_set_config_text(el, copy);
}

/* The live parameters of `el` that differ in `to` and need their class
 * handler: written first, while nothing else of the change is visible (the
 * handler may fail: a device refuses a ring size). On failure the ones
 * already written are written back and err says what failed. */
int pl_retune_handlers(pl_element *el, pl_element *to, pl_error *err)
{
    const pl_param *done[32];
    char old[32][64];
    int n = 0;
    for (const pl_param *p = el->cls->params; p && p->name && n < 32; p++) {
        const pl_handler *h = is_live(p) ? pl_param_writer(el, p) : NULL;
        if (!h || field_equal(p, el->state + p->offset, to->state + p->offset))
            continue;
        char val[64];
        int rc = pl_format_value(el, p, old[n], sizeof old[n]) ||
                         pl_format_value(to, p, val, sizeof val)
                     ? pl_seterr(err, PL_ERR_HANDLER, el, p->name, "cannot format %s", p->name)
                     : h->write(el, val, err);
        if (rc) {
            for (int k = n; k-- > 0;) {
                pl_error ignored = {0};
                pl_param_writer(el, done[k])->write(el, old[k], &ignored);
            }
            return rc;
        }
        done[n++] = p;
    }
    return 0;
}
