/*
 * Handler calls from inside the graph (Click's HandlerCall): an element's
 * argument such as Counter's `COUNT_CALL 3 b.active true` names a write
 * handler `ELEMENT.HANDLER` (or a global one, `stop`) and a value. The text
 * is split when the element is configured and resolved once the graph is
 * complete (initialize), relative to the element's compound first, as
 * Click resolves names: `b.active` written inside compound `x` means
 * `x/b.active` when there is one. Calls then cost a lookup-free write.
 */
#include "engine.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void pl_hcall_free(pl_hcall *h)
{
    free(h->text);
    free(h->value);
    *h = (pl_hcall){0};
    h->elem = PL_HCALL_UNSET;
}

int pl_hcall_set(pl_hcall *h, pl_element *from, const char *text, pl_error *err)
{
    (void)err;
    (void)from;
    pl_hcall_free(h);
    while (isspace((unsigned char)*text))
        text++;
    size_t n = strcspn(text, " \t\r\n");
    h->text = strndup(text, n);
    const char *v = text + n;
    while (isspace((unsigned char)*v))
        v++;
    h->value = strdup(v);
    if (!h->text || !h->value)
        return pl_seterr(err, PL_ERR_NOMEM, from, "", "out of memory");
    size_t vl = strlen(h->value);
    while (vl && isspace((unsigned char)h->value[vl - 1]))
        h->value[--vl] = 0;
    h->elem = PL_HCALL_UNRESOLVED;
    return 0;
}

static int find_scoped(pl_engine *e, const char *from_name, const char *target, size_t tlen)
{
    /* Click's scoping: the caller's compound prefixes, innermost first. */
    size_t plen = strlen(from_name);
    char buf[512];
    while (1) {
        const char *slash = NULL;
        for (size_t i = plen; i > 0; i--)
            if (from_name[i - 1] == '/') {
                slash = from_name + i - 1;
                break;
            }
        size_t pre = slash ? (size_t)(slash - from_name) + 1 : 0;
        if (pre + tlen < sizeof buf) {
            memcpy(buf, from_name, pre);
            memcpy(buf + pre, target, tlen);
            buf[pre + tlen] = 0;
            for (int i = 0; i < e->nelems; i++)
                if (!strcmp(e->elems[i]->name, buf))
                    return i;
        }
        if (!slash)
            return -1;
        plen = pre - 1;
    }
}

int pl_hcall_resolve(pl_hcall *h, pl_element *from, const char *keyword, pl_error *err)
{
    if (!h->text || h->elem != PL_HCALL_UNRESOLVED)
        return 0;
    const char *dot = strrchr(h->text, '.');
    if (!dot) {
        h->elem = PL_ROOT_ELEMENT;
        h->handler = h->text;
        return 0;
    }
    int idx = find_scoped(from->eng, from->name, h->text, (size_t)(dot - h->text));
    if (idx < 0)
        return pl_seterr(err, PL_ERR_CONFIG, from, keyword, "%s: no element named '%.*s'",
                         keyword, (int)(dot - h->text), h->text);
    h->elem = idx;
    h->handler = dot + 1;
    return 0;
}

int pl_hcall_write(pl_hcall *h, pl_element *from)
{
    return pl_hcall_write_value(h, from, h->value);
}

int pl_hcall_write_value(pl_hcall *h, pl_element *from, const char *value)
{
    if (!h->text || h->elem == PL_HCALL_UNSET || h->elem == PL_HCALL_UNRESOLVED)
        return -1;
    pl_error err = {0};
    int rc = pl_handler_write(from->eng, h->elem, h->handler, value, &err);
    if (rc)
        pl_log(from->eng, "%s: %s", from->name, err.message);
    return rc;
}
