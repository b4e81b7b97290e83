/* The rewriters' input specs and patterns, with Click's syntax and
 * messages (IPRewriterBase::parse_input_spec, IPRewriterPattern). */
#include "iprw.h"
#include "iputil.h"
#include "random.h"
#include "../core/args.h"
#include "../core/engine.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXW 16

static int split(char *s, char **w)
{
    int n = 0;
    for (char *save = NULL, *t = strtok_r(s, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save))
        if (n < MAXW)
            w[n++] = t;
        else
            return -1;
    return n;
}

static int int_arg(const char *s, int64_t *v) { return pl_parse_int(s, v); }

/* SUFFIX '#' (sequential) or '?' (not the same port first); cuts it off. */
static void suffix(char *s, iprw_pattern *p)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '#')
        p->sequential = 1, p->same_first = 0, s[n - 1] = 0;
    else if (n && s[n - 1] == '?')
        p->same_first = 0, s[n - 1] = 0;
}

static int addr_variation(const char *w, iprw_pattern *p)
{
    char s[64];
    if (strlen(w) >= sizeof s)
        return -1;
    strcpy(s, w);
    suffix(s, p);
    char *dash = strchr(s, '-');
    uint32_t a, b, mask;
    int len;
    if (dash) {
        *dash = 0;
        if (pl_parse_ipv4(s, &a) || pl_parse_ipv4(dash + 1, &b) || ntohl(b) < ntohl(a))
            return -1;
        p->saddr = a;
        p->variation_top = ntohl(b) - ntohl(a);
        return 0;
    }
    char *slash = strchr(s, '/');
    if (pl_parse_prefix(s, &a, &mask, &len) || len < 0)
        return -1;
    if (slash) {
        *slash = 0;
        pl_parse_ipv4(s, &a);
    }
    if (!a || !mask)
        return -1;
    if (mask == 0xffffffffu)
        p->saddr = a, p->variation_top = 0;
    else if (mask == htonl(0xfffffffeu))
        p->saddr = a & mask, p->variation_top = 1;
    else {
        p->saddr = (a & mask) | htonl(1);   /* not PREFIX.0 nor PREFIX.255 */
        p->variation_top = ~ntohl(mask) - 2;
    }
    return 0;
}

static int port_variation(const char *w, iprw_pattern *p)
{
    char s[64];
    if (strlen(w) >= sizeof s)
        return -1;
    strcpy(s, w);
    suffix(s, p);
    char *dash = strchr(s, '-');
    int64_t a, b;
    if (!dash)
        return -1;
    *dash = 0;
    if (int_arg(s, &a) || int_arg(dash + 1, &b) || a < 0 || b < a || b >= 65536)
        return -1;
    p->sport = htons((uint16_t)a);
    p->variation_top = (uint32_t)(b - a);
    return 0;
}

static int fail(char *msg, size_t len, const char *fmt, const char *arg)
{
    snprintf(msg, len, fmt, arg);
    return -1;
}

int iprw_parse_pattern(char **words, int n, iprw_pattern *p, char *msg, size_t msglen)
{
    memset(p, 0, sizeof *p);
    p->same_first = 1;
    if (n < 1 || n > 4)
        return fail(msg, msglen, "%ssyntax error", "");
    if (n == 1)
        return fail(msg, msglen, "no such pattern '%s'", words[0]);
    uint32_t a;
    int64_t port;
    int i = 0;
    if (strcmp(words[0], "-") == 0)
        ;
    else if (!pl_parse_ipv4(words[0], &a))
        p->saddr = a;
    else if (addr_variation(words[0], p))
        return fail(msg, msglen, "%sbad source address", "");
    if (n >= 3) {
        i = n == 3 ? 2 : 1;
        if (strcmp(words[i], "-") == 0)
            ;
        else if (!int_arg(words[i], &port) && port > 0 && port < 65536)
            p->sport = htons((uint16_t)port);
        else if (port_variation(words[i], p))
            return fail(msg, msglen, "%sbad source port", "");
        i = n == 3 ? 0 : 1;
    }
    i++;
    if (strcmp(words[i], "-") == 0)
        ;
    else if (!pl_parse_ipv4(words[i], &a))
        p->daddr = a;
    else
        return fail(msg, msglen, "%sbad destination address", "");
    if (n == 4) {
        i++;
        if (strcmp(words[i], "-") == 0)
            ;
        else if (!int_arg(words[i], &port) && port > 0 && port < 65536)
            p->dport = htons((uint16_t)port);
        else
            return fail(msg, msglen, "%sbad destination port", "");
    }
    p->is_napt = n >= 3;
    return 0;
}

static int parse_ports(char **w, iprw_input *is, char *msg, size_t msglen)
{
    int64_t f, r;
    if (int_arg(w[0], &f) || f < -1 || f > 0xffffff)
        return fail(msg, msglen, "%sbad forward port", "");
    if (int_arg(w[1], &r) || r < -1 || r > 0xffffff)
        return fail(msg, msglen, "%sbad reply port", "");
    is->foutput = (int)f;
    is->routput = (int)r;
    return 0;
}

int iprw_parse_input(const char *text, iprw_input *is, char *msg, size_t msglen)
{
    char *copy = strdup(text ? text : ""), *w[MAXW];
    if (!copy)
        return fail(msg, msglen, "%sout of memory", "");
    memset(is, 0, sizeof *is);
    is->kind = IPRW_DROP;
    is->foutput = is->routput = -1;
    int n = split(copy, w), rc = 0;
    if (n < 0)
        rc = fail(msg, msglen, "%ssyntax error", "");
    else if (n == 0)
        rc = fail(msg, msglen, "%sempty argument", "");
    else if (!strcmp(w[0], "pass") || !strcmp(w[0], "passthrough") || !strcmp(w[0], "nochange")) {
        int64_t o = 0;
        if (n > 2 || (n == 2 && int_arg(w[1], &o)) || o < -1 || o > 0xffffff)
            rc = fail(msg, msglen, "%ssyntax error, expected 'nochange [OUTPUT]'", "");
        is->kind = IPRW_NOCHANGE;
        is->foutput = (int)o;
    } else if (!strcmp(w[0], "keep")) {
        if (n != 3)
            rc = fail(msg, msglen, "%sbad forward port", "");
        else
            rc = parse_ports(w + 1, is, msg, msglen);
        is->kind = IPRW_KEEP;
    } else if (!strcmp(w[0], "drop") || !strcmp(w[0], "discard")) {
        if (n > 1)
            rc = fail(msg, msglen, "syntax error, expected '%s'", w[0]);
    } else if (!strcmp(w[0], "pattern") || !strcmp(w[0], "xpattern")) {
        if (n - 1 <= 2)
            rc = fail(msg, msglen, "%ssyntax error", "");
        else if (n - 3 == 1) {          /* a named pattern: found in initialize */
            is->pat_name = strdup(w[1]);
            rc = is->pat_name ? parse_ports(w + n - 2, is, msg, msglen)
                              : fail(msg, msglen, "%sout of memory", "");
        } else if (!(rc = iprw_parse_pattern(w + 1, n - 3, &is->own, msg, msglen))) {
            is->pat = &is->own;
            rc = parse_ports(w + n - 2, is, msg, msglen);
        }
        is->kind = IPRW_PATTERN;
    } else if (n == 1) {              /* an IPMapper element: found in initialize */
        is->kind = IPRW_MAPPER;
        if (!(is->pat_name = strdup(w[0])))
            rc = fail(msg, msglen, "%sout of memory", "");
    } else
        rc = fail(msg, msglen, "unknown specification '%s'", w[0]);
    free(copy);
    return rc;
}

int iprw_check_input(const iprw_input *is, int noutputs, char *msg, size_t msglen)
{
    if ((is->kind == IPRW_NOCHANGE && (unsigned)is->foutput >= (unsigned)noutputs) ||
        ((is->kind == IPRW_KEEP || is->kind == IPRW_PATTERN) &&
         ((unsigned)is->foutput >= (unsigned)noutputs ||
          (unsigned)is->routput >= (unsigned)noutputs)))
        return fail(msg, msglen, "%soutput port out of range", "");
    return 0;
}

int iprw_pattern_rewrite(iprw_pattern *p, const iprw_fid *fid, iprw_fid *rw, const iprw_table *t,
                         int m)
{
    *rw = *fid;
    if (p->saddr)
        rw->saddr = p->saddr;
    if (p->sport)
        rw->sport = p->sport;
    if (p->daddr)
        rw->daddr = p->daddr;
    if (p->dport)
        rw->dport = p->dport;
    uint32_t top = p->variation_top;
    if (!top)
        return IPRW_RW_ADDMAP;
    iprw_fid look = iprw_rev(*rw);
    uint32_t base = p->is_napt ? ntohs(p->sport) : ntohl(p->saddr), val;
    if (p->same_first && (val = (uint32_t)ntohs(fid->sport) - base) <= top) {
        look.dport = fid->sport;
        if (iprw_map_get(t, m, &look) == IPRW_NIL)
            goto found;
    }
    if (p->sequential) {
        uint32_t nv = atomic_load_explicit(&p->next_variation, memory_order_relaxed);
        val = nv > top ? 0 : nv;
    } else
        val = pl_click_random(0, top);   /* Click's draw: RandomSeed repeats it */
    for (uint32_t count = 0; count <= top; count++, val = val == top ? 0 : val + 1) {
        if (p->is_napt)
            look.dport = htons((uint16_t)(base + val));
        else
            look.daddr = htonl(base + val);
        if (iprw_map_get(t, m, &look) == IPRW_NIL)
            goto found;
        if (count == top)
            break;
    }
    return IPRW_RW_DROP;
found:
    if (p->is_napt)
        rw->sport = look.dport;
    else
        rw->saddr = look.daddr;
    atomic_store_explicit(&p->next_variation, val + 1, memory_order_relaxed);
    return IPRW_RW_ADDMAP;
}

int iprw_pattern_unparse(const iprw_pattern *p, char *buf, size_t len)
{
    char a[16], b[16];
    size_t o = 0;
#define PUT(...) (o += (size_t)snprintf(buf + (o < len ? o : len), o < len ? len - o : 0, __VA_ARGS__))
    if (!p->is_napt && p->variation_top)
        PUT("%s-%s", pl_ip_str(p->saddr, a), pl_ip_str(htonl(ntohl(p->saddr) + p->variation_top), b));
    else if (p->saddr)
        PUT("%s", pl_ip_str(p->saddr, a));
    else
        PUT("-");
    if (p->is_napt) {
        if (!p->sport)
            PUT(" -");
        else if (p->variation_top)
            PUT(" %u-%u", ntohs(p->sport), ntohs(p->sport) + p->variation_top);
        else
            PUT(" %u", ntohs(p->sport));
    }
    if (p->daddr)
        PUT(" %s", pl_ip_str(p->daddr, a));
    else
        PUT(" -");
    if (p->is_napt) {
        if (!p->dport)
            PUT(" -");
        else
            PUT(" %u", ntohs(p->dport));
    }
#undef PUT
    return o < len ? 0 : -1;
}

int iprw_fid_unparse(const iprw_fid *f, char *buf, size_t len)
{
    char a[16], b[16];
    return snprintf(buf, len, "(%s, %u, %s, %u)", pl_ip_str(f->saddr, a), ntohs(f->sport),
                    pl_ip_str(f->daddr, b), ntohs(f->dport));
}
