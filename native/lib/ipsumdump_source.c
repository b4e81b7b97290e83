/* The lines of an IP summary dump, a packet at a time (FromIPSummaryDump):
 * '!' lines change the reader, '#' lines are comments, data lines are built
 * into packets (ipsumdump_read.c). */
#include "ipsumdump.h"
#include "../core/anno.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME(s) ((s)->name)

/* The next line (without its newline) in s->line; -1 at the end. */
static long next_line(pl_isd_source *s)
{
    if (s->mem) {
        if (s->mem >= s->mem_end)
            return -1;
        const char *nl = memchr(s->mem, '\n', (size_t)(s->mem_end - s->mem));
        size_t n = nl ? (size_t)(nl - s->mem) : (size_t)(s->mem_end - s->mem);
        if (n + 1 > s->line_cap) {
            char *b = realloc(s->line, n + 1);
            if (!b)
                return -1;
            s->line = b, s->line_cap = n + 1;
        }
        memcpy(s->line, s->mem, n);
        s->line[n] = 0;
        s->mem += n + (nl != NULL);
        s->lineno++;
        return (long)n;
    }
    if (!s->f)
        return -1;
    ssize_t n = getline(&s->line, &s->line_cap, s->f);
    if (n < 0)
        return -1;
    if (n && s->line[n - 1] == '\n')
        s->line[--n] = 0;
    if (n && s->line[n - 1] == '\r')
        s->line[--n] = 0;
    s->lineno++;
    return (long)n;
}

static int bang(pl_element *e, pl_isd_source *s, const char *l, size_t n)
{
#define IS(w) (n > sizeof w - 1 && !memcmp(l, w, sizeof w - 1) && (l[sizeof w - 1] == ' ' || l[sizeof w - 1] == '\t'))
    char warn[160];
    if (IS("!data") || IS("!contents")) {
        if (pl_isd_reader_fields(&s->r, l, warn, sizeof warn) < 0)
            pl_log(e->eng, "%s:%ld: no contents specified", NAME(s), s->lineno);
        else if (warn[0])
            pl_log(e->eng, "%s:%ld: warning: %s", NAME(s), s->lineno, warn);
    } else if (IS("!proto")) {
        const char *w = l + 6;
        while (*w == ' ' || *w == '\t')
            w++;
        if (pl_isd_reader_proto(&s->r, w))
            pl_log(e->eng, "%s:%ld: bad protocol in !proto", NAME(s), s->lineno);
    } else if (IS("!flowid")) {
        if (pl_isd_reader_flowid(&s->r, l))
            pl_log(e->eng, "%s:%ld: bad !flowid specification", NAME(s), s->lineno);
    } else if (IS("!binary")) {
        pl_log(e->eng, "%s:%ld: binary IP summary dumps are not supported by pktlab; "
               "stopped there", NAME(s), s->lineno);
        return -1;
    }
    return 0;
#undef IS
}

/* The next packet of the file, or NULL at its end. */
pl_packet *pl_isd_source_next(pl_isd_source *s, pl_element *e, pl_ctx *ctx, int c_parse,
                              int c_nobufs)
{
    for (;;) {
        long n = next_line(s);
        if (n < 0) {
            s->eof = 1;
            return NULL;
        }
        const char *l = s->line;
        if (!n)
            continue;
        if (l[0] == '!') {
            if (bang(e, s, l, (size_t)n)) {
                s->eof = 1;
                return NULL;
            }
            continue;
        }
        if (l[0] == '#')
            continue;
        int used = s->r.nfields ? pl_isd_read_line(&s->r, l, (size_t)n, &s->k, s->checksum) : 0;
        if (!used) {
            const char *c = l;
            while (*c == ' ' || *c == '\t' || *c == '\r')
                c++;
            if (*c && !s->complained) {
                s->complained = 1;
                pl_log(e->eng, "%s:%ld: %s", NAME(s), s->lineno,
                       s->r.nfields ? "packet parse error" : "no '!data' provided");
            }
            if (*c)
                pl_count(ctx, e, c_parse, 1);
            continue;
        }
        pl_isd_pkt *k = &s->k;
        pl_packet *p = pl_packet_alloc_len(ctx->pool, k->len);
        if (!p) {
            pl_count(ctx, e, c_nobufs, 1);
            return NULL;
        }
        memcpy(p->data, k->b, k->len);
        if (k->has_net) {
            p->net_off = (uint16_t)(p->data - p->buf);
            memcpy(&p->dst_ip, k->b + 16, 4);
        }
        p->timestamp = (uint64_t)k->ts;
        p->paint = k->paint;
        pl_anno_set_u32(p, PL_ANNO_AGGREGATE, k->aggregate);
        pl_anno_set_u32(p, PL_ANNO_EXTRA_PACKETS, k->extra_packets);
        if (k->has_first_ts)
            memcpy(p->anno + PL_ANNO_FIRST_TIMESTAMP, &k->first_ts, 8);
        if (k->want_len > k->len)
            pl_anno_set_u32(p, PL_ANNO_EXTRA_LENGTH, k->want_len - k->len);
        return p;
    }
}

