/* Click's names for notifier signals (NotifierSignal::unparse), for
 * NotifierDebug's signal handler. */
#include "element.h"
#include "engine.h"
#include "notifier.h"

#include <stdio.h>

int pl_signal_unparse(const pl_signal *s, char *buf, size_t len)
{
    if (!s || s->busy)
        return pl_fmt(buf, len, "busy*");
    size_t k = 0;
    buf[0] = 0;
    int words = 0;
    uint32_t last = 0;
    for (;;) {                             /* the next word after `last`, in order */
        uint32_t w = UINT32_MAX;
        for (int i = 0; i < s->n; i++) {
            uint32_t wi = (s->v[i]->seq - 1) / 32;
            if (s->v[i]->seq && (!words || wi > last) && wi < w)
                w = wi;
        }
        if (w == UINT32_MAX)
            break;
        uint32_t mask = 0, value = 0;
        int kind = PL_NOTE_EMPTY;
        for (int i = 0; i < s->n; i++) {
            const pl_notifier *n = s->v[i];
            if (!n->seq || (n->seq - 1) / 32 != w)
                continue;
            uint32_t bit = 1u << ((n->seq - 1) % 32);
            mask |= bit;
            if (atomic_load_explicit(&n->active, memory_order_relaxed))
                value |= bit;
            kind = n->kind;
        }
        int m = snprintf(buf + k, k < len ? len - k : 0, "%s%s.%u/%x:%x%s", words ? "+" : "",
                         kind == PL_NOTE_FULL ? "full" : "empty", w, mask, value,
                         value ? "*" : "");
        if (m > 0)
            k += (size_t)m;
        words++;
        last = w;
    }
    if (!words)
        return pl_fmt(buf, len, "idle");
    return k < len ? PL_OK : PL_ERR_HANDLER;
}
