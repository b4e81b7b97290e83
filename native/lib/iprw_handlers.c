/* The rewriters' handlers (Click's add_rewriter_handlers, the table dumps,
 * lookup, patternN), shared by the classes (iprw_elem.h). */
#include "iprw_elem.h"
#include "iputil.h"
#include "../core/args.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int iprw_read_table(pl_element *e, int m, char *buf, size_t len)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    size_t o = 0;
    int rc = 0;
    buf[0] = 0;
    iprw_lock(s);
    iprw_maybe_reap(s, iprw_now(e));
    uint32_t now = (uint32_t)iprw_now(e);
    const iprw_map *mp = &s->t.map[m];
    for (uint32_t bk = 0; bk < mp->nb && !rc; bk++)
        for (int32_t en = mp->buckets[bk]; en != IPRW_NIL && !rc; en = s->t.flows[en >> 1].hnext[en & 1]) {
            const iprw_flow *f = &s->t.flows[en >> 1];
            int dir = en & 1;
            char line[256];
            s->ops->unparse(f, dir, line, sizeof line);
            uint32_t exp = (uint32_t)(f->guaranteed ? s->ops->be_expiry(s, f) : f->expiry);
            int n = snprintf(buf + o, len - o, "%s [%s%u %s%u] i%u exp%u\n", line, dir ? "" : "*",
                             f->out[0], dir ? "*" : "", f->out[1], f->input,
                             (uint32_t)(exp + 500u - now) / 1000u);
            if (n < 0 || (size_t)n >= len - o)
                rc = PL_ERR_HANDLER;
            else
                o += (size_t)n;
        }
    iprw_unlock(s);
    return rc;
}

static uint32_t sum_inputs(iprw_state *s, int failures)
{
    uint32_t n = 0;
    for (int i = 0; i < s->ninputs; i++)
        n += atomic_load_explicit(failures ? &s->inputs[i].failures : &s->inputs[i].count,
                                  memory_order_relaxed);
    return n;
}

int iprw_read_nmappings(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%u", sum_inputs(PL_STATE(e, iprw_state), 0));
}
int iprw_read_failures(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%u", sum_inputs(PL_STATE(e, iprw_state), 1));
}
int iprw_read_size(pl_element *e, char *buf, size_t len)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    iprw_lock(s);
    iprw_maybe_reap(s, iprw_now(e));
    uint32_t n = iprw_table_size(&s->t);
    iprw_unlock(s);
    return pl_fmt(buf, len, "%u", n);
}
int iprw_read_capacity(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%u", PL_STATE(e, iprw_state)->t.capacity);
}

static int pattern_text(iprw_state *s, int i, char *buf, size_t len)
{
    const iprw_input *is = &s->inputs[i];
    char p[160] = "";
    switch (is->kind) {
    case IPRW_DROP: strcpy(p, "<drop>"); break;
    case IPRW_NOCHANGE: strcpy(p, "<nochange>"); break;
    case IPRW_KEEP: strcpy(p, "<keep>"); break;
    case IPRW_MAPPER: strcpy(p, "<mapper>"); break;
    default: iprw_pattern_unparse(is->pat, p, sizeof p); break;
    }
    uint32_t c = atomic_load_explicit(&is->count, memory_order_relaxed);
    int n = c ? snprintf(buf, len, "%s [%u]\n", p, c) : snprintf(buf, len, "%s\n", p);
    return n < 0 || (size_t)n >= len ? -1 : n;
}

int iprw_read_patterns(pl_element *e, char *buf, size_t len)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < s->ninputs; i++) {
        int n = pattern_text(s, i, buf + o, len - o);
        if (n < 0)
            return PL_ERR_HANDLER;
        o += (size_t)n;
    }
    return 0;
}

int iprw_write_capacity(pl_element *e, const char *v, pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    int64_t c;
    if (pl_parse_int(v, &c) || c < 0 || c > (int64_t)s->t.nflows - 1)
        return pl_seterr(err, PL_ERR_CONFIG, e, "capacity",
                         "capacity: expected a number of flows up to %u (the CAPACITY allocated)",
                         s->t.nflows - 1);
    iprw_lock(s);
    s->t.capacity = (uint32_t)c;
    iprw_shrink(&s->t, s->inputs, iprw_now(e), 0, s->ops->be_expiry, s);
    iprw_unlock(s);
    return 0;
}

int iprw_write_clear(pl_element *e, const char *v, pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    iprw_lock(s);
    iprw_shrink(&s->t, s->inputs, iprw_now(e), 1, s->ops->be_expiry, s);
    iprw_unlock(s);
    return 0;
}

/* patternN: read and written (Click's pattern_write_handler). */
static int pattern_index(iprw_state *s, const char *name)
{
    if (strncmp(name, "pattern", 7) || !name[7])
        return -1;
    char *end;
    long i = strtol(name + 7, &end, 10);
    return *end || i < 0 || i >= s->ninputs || (name[7] == '0' && name[8]) ? -1 : (int)i;
}

int iprw_any_mode(pl_element *e, const char *name)
{
    return pattern_index(PL_STATE(e, iprw_state), name) >= 0 ? 3 : 0;
}

int iprw_any_read(pl_element *e, const char *name, const char *param, char *buf, size_t len,
                  pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    int i = pattern_index(s, name);
    if (i < 0)
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "no handler '%s'", name);
    buf[0] = 0;
    return pattern_text(s, i, buf, len) < 0 ? PL_ERR_HANDLER : 0;
}

int iprw_any_write(pl_element *e, const char *name, const char *value, pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    int i = pattern_index(s, name);
    if (i < 0)
        return pl_seterr(err, PL_ERR_HANDLER, e, name, "no handler '%s'", name);
    iprw_input is;
    char msg[200];
    if (iprw_parse_input(value, &is, msg, sizeof msg))
        return pl_seterr(err, PL_ERR_CONFIG, e, name, "input spec %d: %s", i, msg);
    if (iprw_resolve(e, &is, i, err)) {
        free(is.pat_name);
        return err->status;
    }
    iprw_lock(s);
    iprw_remove_input(&s->t, s->inputs, i);
    iprw_input *old = &s->inputs[i];
    free(old->pat_name);
    uint32_t c = atomic_load(&old->count), f = atomic_load(&old->failures);
    *old = is;
    if (old->pat == &is.own)
        old->pat = &old->own;
    atomic_store(&old->count, c), atomic_store(&old->failures, f);
    iprw_unlock(s);
    return 0;
}

int iprw_lookup(pl_element *e, int m, const char *param, char *buf, size_t len, pl_error *err)
{
    iprw_state *s = PL_STATE(e, iprw_state);
    char a[64], b[64];
    unsigned sp, dp;
    iprw_fid fid;
    char extra;
    if (sscanf(param ? param : "", "%63s %u %63s %u %c", a, &sp, b, &dp, &extra) != 4 ||
        pl_parse_ipv4(a, &fid.saddr) || pl_parse_ipv4(b, &fid.daddr) || sp > 65535 || dp > 65535)
        return pl_seterr(err, PL_ERR_CONFIG, e, "lookup", "lookup: expected SADDR SPORT DADDR DPORT");
    fid.sport = htons((uint16_t)sp), fid.dport = htons((uint16_t)dp);
    buf[0] = 0;
    iprw_lock(s);
    int32_t en = iprw_map_get(&s->t, m, &fid);
    iprw_fid rw;
    if (en != IPRW_NIL)
        rw = iprw_rev(s->t.flows[en >> 1].fid[!(en & 1)]);
    iprw_unlock(s);
    if (en == IPRW_NIL)
        return 0;
    return pl_fmt(buf, len, "%s %u %s %u", pl_ip_str(rw.saddr, a), ntohs(rw.sport),
                  pl_ip_str(rw.daddr, b), ntohs(rw.dport));
}
