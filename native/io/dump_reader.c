/* FromDump's reading (see dump_reader.h). */
#include "dump_reader.h"

#include "../core/anno.h"
#include "../core/args.h"
#include "../lib/netpkt.h"

#include <stdlib.h>

/* Click's network-header annotation: the IP header and, for IPv4, the
 * destination address; 0: no IP header there. */
static int set_ip(pl_packet *p, uint32_t linktype)
{
    int v;
    long off = pl_linktype_ip_offset(linktype, p->data, p->len, &v);
    if (off < 0)
        return 0;
    pl_set_net_header(p, p->data + off);
    if (v == 4)
        memcpy(&p->dst_ip, p->data + off + 16, 4);
    return 1;
}

static int stopped(pl_dump *d, int corrupt)
{
    d->eof = 1;
    d->corrupt |= corrupt;
    return PL_DUMP_EOF;
}

int pl_dump_next(pl_dump *d, pl_pool *pool, pl_packet **pp)
{
    if (d->eof)
        return PL_DUMP_EOF;
    if (!d->have_rec) {
        int rc = pl_pcap_next(&d->r, &d->rec);
        if (rc <= 0)
            return stopped(d, rc < 0);
        d->have_rec = 1;
        d->checked = 0;
    }
    if (!d->checked) {
        int w = pl_trace_window_check(&d->win, d->rec.ts_ns);
        if (w == PL_TW_END)
            return PL_DUMP_END;
        if (w == PL_TW_SKIP || !pl_trace_window_sample(&d->win)) {
            d->have_rec = 0;
            return PL_DUMP_SKIPPED;
        }
        d->checked = 1;
    }
    const pl_pcap_record *rec = &d->rec;
    if (rec->caplen > PL_MAX_LEN) {
        d->have_rec = 0;
        return PL_DUMP_TOOLONG;
    }
    pl_packet *p = pl_packet_alloc_len(pool, rec->caplen);
    if (!p)
        return PL_DUMP_NOBUFS;
    d->have_rec = 0;
    if (pl_pcap_data(&d->r, p->data, rec->caplen)) {
        pl_packet_free(pool, p);
        return stopped(d, 1);
    }
    p->timestamp = rec->ts_ns;
    p->mac_off = (uint16_t)(p->data - p->buf);
    if (rec->origlen > rec->caplen)
        pl_anno_set_u32(p, PL_ANNO_EXTRA_LENGTH, rec->origlen - rec->caplen);
    *pp = p;
    if ((d->force_ip || pl_linktype_is_raw(rec->linktype)) && !set_ip(p, rec->linktype))
        return PL_DUMP_NONIP;
    return PL_DUMP_PACKET;
}

void pl_dump_drop(pl_dump *d) { d->have_rec = 0; }

int pl_dump_seek(pl_dump *d, uint64_t to, char *why, size_t len)
{
    d->have_rec = 0;
    if (to < d->r.pos + d->r.left && pl_pcap_rewind(&d->r)) {
        snprintf(why, len, "cannot go back to offset %llu (not a regular file)",
                 (unsigned long long)to);
        return -1;
    }
    d->eof = d->corrupt = 0;
    for (;;) {
        uint64_t next = d->r.pos + d->r.left;
        if (next == to)
            return 0;
        int rc = next < to ? pl_pcap_next(&d->r, &d->rec) : 0;
        if (rc > 0 && d->rec.filepos == to) {
            d->have_rec = 1;          /* its header is read: it comes next */
            d->checked = 0;
            return 0;
        }
        if (rc <= 0 || d->rec.filepos > to) {
            snprintf(why, len, "offset %llu is not the start of a record%s",
                     (unsigned long long)to, rc < 0 ? " (the file is corrupt before it)" : "");
            d->have_rec = 0;
            return -1;
        }
    }
}

int pl_dump_request_seek(pl_dump *d, const char *v, const pl_element *e, pl_error *err)
{
    char *end;
    unsigned long long to = strtoull(v, &end, 10);
    if (end == v || *end || (d->r.size && to > d->r.size))
        return pl_seterr(err, PL_ERR_HANDLER, e, "filepos",
                         "filepos: expected an offset in the file, got '%s'", v);
    atomic_store(&d->seek_to, (int64_t)to);
    return 0;
}

int pl_dump_request_extend(pl_dump *d, const char *v, const pl_element *e, pl_error *err)
{
    double t;
    if (pl_parse_time(v, &t))
        return pl_seterr(err, PL_ERR_HANDLER, e, "extend_interval",
                         "'extend_interval' takes a time interval, got '%s'", v);
    atomic_fetch_add(&d->extend_ns, (int64_t)(t * 1e9 + (t >= 0 ? 0.5 : -0.5)));
    return 0;
}

int pl_dump_take_requests(pl_dump *d, char *why, size_t len)
{
    int did = 0;
    int64_t ext = atomic_exchange_explicit(&d->extend_ns, 0, memory_order_relaxed);
    if (ext && pl_trace_window_extend(&d->win, ext))
        did |= PL_DUMP_REQ_EXTENDED;
    if (atomic_exchange_explicit(&d->reset_timing, 0, memory_order_relaxed)) {
        pl_trace_window_reset_timing(&d->win);
        did |= PL_DUMP_REQ_RETIMED;
    }
    int64_t to = atomic_exchange_explicit(&d->seek_to, -1, memory_order_relaxed);
    if (to >= 0) {
        did |= PL_DUMP_REQ_SEEKED;
        if (pl_dump_seek(d, (uint64_t)to, why, len)) {
            d->eof = 1;
            did |= PL_DUMP_REQ_SEEK_FAILED;
        }
    }
    return did;
}

int pl_dump_info(pl_dump *d, int what, char *buf, size_t len)
{
    char name[16];
    switch (what) {
    case PL_DUMP_INFO_ENCAP:
        return pl_fmt(buf, len, "%s", pl_linktype_name(d->r.linktype, name, sizeof name));
    case PL_DUMP_INFO_FILESIZE:
        return d->r.size ? pl_fmt(buf, len, "%llu", (unsigned long long)d->r.size)
                         : pl_fmt(buf, len, "-");
    case PL_DUMP_INFO_FILEPOS:
        return pl_fmt(buf, len, "%llu", (unsigned long long)atomic_load(&d->pos));
    default:
        return pl_fmt(buf, len, "%llu", (unsigned long long)atomic_load(&d->packet_pos));
    }
}
