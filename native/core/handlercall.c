/*
 * Handler calls from inside the engine (Click's HandlerCall): Script's
 * read/write/$(...), END_CALL, COUNT_CALL. "elem.handler ARGS" names an
 * element relative to the caller's compound prefix ("a/b/s" calling "c.x"
 * tries "a/b/c", "a/c", then "c"); a name without a dot is the caller's own
 * handler, else one of the engine's global handlers (stop, list, classes,
 * version).
 */
#include "engine.h"

#include <stdio.h>
#include <string.h>

static int find_relative(pl_engine *e, const pl_element *ctx, const char *name, size_t n)
{
    char buf[256];
    if (ctx) {
        const char *full = ctx->name;
        size_t plen = strlen(full);
        for (;;) {
            while (plen > 0 && full[plen - 1] != '/')
                plen--;
            if (plen + n < sizeof buf) {
                memcpy(buf, full, plen);
                memcpy(buf + plen, name, n);
                buf[plen + n] = 0;
                int i = pl_engine_find(e, buf);
                if (i >= 0)
                    return i;
            }
            if (!plen)
                break;
            plen--;                    /* drop the '/' and go one level up */
        }
        return -1;
    }
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, name, n);
    buf[n] = 0;
    return pl_engine_find(e, buf);
}

int pl_handler_resolve(pl_engine *e, pl_element *ctx, const char *name, size_t n, int *elem,
                       char *hname, size_t hlen, pl_error *err)
{
    const char *dot = NULL;
    for (size_t i = 0; i < n; i++)
        if (name[i] == '.')
            dot = name + i;
    if (!dot) {
        if (n >= hlen)
            return pl_seterr(err, PL_ERR_HANDLER, ctx, "", "handler name too long");
        memcpy(hname, name, n);
        hname[n] = 0;
        *elem = ctx && pl_element_has_handler(ctx, hname) ? ctx->index : -1;
        if (*elem < 0 && !pl_global_handler_exists(hname))
            return pl_seterr(err, PL_ERR_HANDLER, ctx, hname, "no handler '%s'", hname);
        return 0;
    }
    size_t hl = (size_t)(name + n - dot - 1);
    if (hl >= hlen || !hl)
        return pl_seterr(err, PL_ERR_HANDLER, ctx, "", "bad handler name '%.*s'", (int)n, name);
    memcpy(hname, dot + 1, hl);
    hname[hl] = 0;
    *elem = find_relative(e, ctx, name, (size_t)(dot - name));
    if (*elem < 0)
        return pl_seterr(err, PL_ERR_HANDLER, ctx, hname, "no element named '%.*s'",
                         (int)(dot - name), name);
    return 0;
}

int pl_handler_call(pl_element *ctx, const char *call, int write, char *buf, size_t len,
                    pl_error *err)
{
    pl_error local;
    if (!err)
        err = &local;
    pl_engine *e = ctx->eng;
    while (*call == ' ' || *call == '\t' || *call == '\n')
        call++;
    size_t n = strcspn(call, " \t\n");
    const char *args = call + n;
    while (*args == ' ' || *args == '\t' || *args == '\n')
        args++;
    int elem;
    char h[128];
    if (pl_handler_resolve(e, ctx, call, n, &elem, h, sizeof h, err))
        return err->status;
    if (write)
        return pl_handler_write(e, elem, h, args, err);
    char full[512];
    if (*args)
        snprintf(full, sizeof full, "%s %s", h, args);
    else
        snprintf(full, sizeof full, "%s", h);
    char tmp[1];
    return pl_handler_read(e, elem, full, buf ? buf : tmp, buf ? len : 1, err);
}
