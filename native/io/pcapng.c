/*
 * pcapng (draft-ietf-opsawg-pcapng): blocks read one at a time, with their
 * section's byte order; the interfaces of the current section in a table.
 * Packets come from EPB, SPB and OPB blocks; SHB and IDB describe them;
 * anything else (name resolution, statistics, decryption secrets, custom
 * blocks) is skipped and counted.
 */
#include "pcap_file.h"

#include <stdlib.h>
#include <string.h>

#define BT_SHB 0x0a0d0d0au
#define BT_IDB 1u
#define BT_OPB 2u
#define BT_SPB 3u
#define BT_EPB 6u
#define BOM 0x1a2b3c4du
#define MAX_BLOCK (1u << 26)

static int bad(pl_pcap_reader *r, uint64_t at, const char *what)
{
    snprintf(r->error, sizeof r->error, "pcapng: %s (block at offset %llu)", what,
             (unsigned long long)at);
    return -1;
}

/* A section header whose type was read (hdr: type and length, as read):
 * the byte order, then the rest of the block. */
static int section(pl_pcap_reader *r, const uint8_t *hdr, uint64_t at)
{
    uint8_t b[8];
    if (pl_pcap_read(r, b, 4))
        return bad(r, at, "truncated section header");
    uint32_t bom;
    memcpy(&bom, b, 4);
    if (bom != BOM && bom != __builtin_bswap32(BOM))
        return bad(r, at, "section header without its byte-order magic");
    r->swap = bom != BOM;
    uint32_t len = pl_pcap_get32(hdr + 4, r->swap);
    if (len < 28 || len % 4 || len > MAX_BLOCK)
        return bad(r, at, "bad section header length");
    if (pl_pcap_read(r, b, 4))
        return bad(r, at, "truncated section header");
    if (pl_pcap_get16(b, r->swap) != 1)
        return bad(r, at, "unknown pcapng major version");
    r->nifs = 0;                     /* interfaces are numbered per section */
    return pl_pcap_skip(r, len - 16) ? bad(r, at, "truncated section header") : 0;
}

/* An interface description: link type, snap length, and the options that
 * change timestamps (if_tsresol, if_tsoffset). */
static int interface(pl_pcap_reader *r, uint32_t len, uint64_t at)
{
    if (len < 20)
        return bad(r, at, "interface description too short");
    uint32_t body = len - 12;
    uint8_t *b = malloc(body);
    if (!b)
        return bad(r, at, "out of memory");
    if (pl_pcap_read(r, b, body) || pl_pcap_skip(r, 4)) {
        free(b);
        return bad(r, at, "truncated interface description");
    }
    pl_pcap_iface ifc = {.linktype = pl_pcap_get16(b, r->swap), .snaplen = pl_pcap_get32(b + 4, r->swap),
                         .tsresol = 6};
    for (uint32_t o = 8; o + 4 <= body;) {
        uint16_t code = pl_pcap_get16(b + o, r->swap), olen = pl_pcap_get16(b + o + 2, r->swap);
        if (code == 0 || o + 4 + olen > body)
            break;
        if (code == 9 && olen >= 1)
            ifc.tsresol = b[o + 4];
        else if (code == 14 && olen >= 8) {
            uint64_t v;
            memcpy(&v, b + o + 4, 8);
            ifc.tsoffset = (int64_t)(r->swap ? __builtin_bswap64(v) : v);
        }
        o += 4 + ((olen + 3u) & ~3u);
    }
    free(b);
    if (ifc.tsresol & 0x80 ? (ifc.tsresol & 0x7f) > 63 : ifc.tsresol > 19)
        return bad(r, at, "if_tsresol out of range");
    if (r->nifs == r->cap_ifs) {
        uint32_t cap = r->cap_ifs ? r->cap_ifs * 2 : 4;
        pl_pcap_iface *v = realloc(r->ifs, sizeof *v * cap);
        if (!v)
            return bad(r, at, "out of memory");
        r->ifs = v;
        r->cap_ifs = cap;
    }
    r->ifs[r->nifs++] = ifc;
    if (r->ifs_seen++ == 0)
        r->linktype = ifc.linktype, r->snaplen = ifc.snaplen;
    return 0;
}

/* A timestamp in the interface's units, as nanoseconds since the epoch. */
static uint64_t to_ns(const pl_pcap_iface *ifc, uint64_t t)
{
    unsigned __int128 units = 1;
    if (ifc->tsresol & 0x80)
        units <<= ifc->tsresol & 0x7f;
    else
        for (unsigned i = 0; i < ifc->tsresol; i++)
            units *= 10;
    unsigned __int128 ns = (unsigned __int128)t * 1000000000u / units;
    int64_t off = ifc->tsoffset * 1000000000;
    return (uint64_t)((__int128)ns + off);
}

int pl_pcapng_next(pl_pcap_reader *r, pl_pcap_record *rec)
{
    for (;;) {
        uint64_t at = r->pos;
        rec->filepos = at;
        uint8_t h[28];
        size_t n = fread(h, 1, 8, r->f);
        r->pos += n;
        if (n == 0)
            return 0;
        if (n != 8)
            return bad(r, at, "truncated block header");
        uint32_t type = pl_pcap_get32(h, r->swap);
        if (type == BT_SHB || type == __builtin_bswap32(BT_SHB)) {
            if (section(r, h, at))
                return -1;
            continue;
        }
        uint32_t len = pl_pcap_get32(h + 4, r->swap);
        if (len < 12 || len % 4 || len > MAX_BLOCK)
            return bad(r, at, "bad block length");
        if (type == BT_IDB) {
            if (interface(r, len, at))
                return -1;
            continue;
        }
        uint32_t ifid, caplen, origlen, fixed;
        uint64_t ts = 0;
        if (type == BT_EPB || type == BT_OPB) {
            fixed = 20;
            if (len < 32 || pl_pcap_read(r, h + 8, 20))
                return bad(r, at, "truncated packet block");
            ifid = type == BT_EPB ? pl_pcap_get32(h + 8, r->swap) : pl_pcap_get16(h + 8, r->swap);
            ts = (uint64_t)pl_pcap_get32(h + 12, r->swap) << 32 | pl_pcap_get32(h + 16, r->swap);
            caplen = pl_pcap_get32(h + 20, r->swap);
            origlen = pl_pcap_get32(h + 24, r->swap);
        } else if (type == BT_SPB) {
            fixed = 4;
            if (len < 16 || pl_pcap_read(r, h + 8, 4))
                return bad(r, at, "truncated simple packet block");
            ifid = 0;
            origlen = pl_pcap_get32(h + 8, r->swap);
            caplen = len - 16 < origlen ? len - 16 : origlen;
            if (r->nifs && r->ifs[0].snaplen && caplen > r->ifs[0].snaplen)
                caplen = r->ifs[0].snaplen;
        } else {
            r->blocks_skipped++;
            if (pl_pcap_skip(r, len - 8))
                return bad(r, at, "truncated block");
            continue;
        }
        if (ifid >= r->nifs)
            return bad(r, at, "packet of an interface no description named");
        if (caplen > len - 12 - fixed)
            return bad(r, at, "captured length past the end of its block");
        const pl_pcap_iface *ifc = &r->ifs[ifid];
        rec->ts_ns = type == BT_SPB ? 0 : to_ns(ifc, ts);
        rec->caplen = caplen;
        rec->origlen = origlen;
        rec->linktype = ifc->linktype;
        rec->ifindex = ifid;
        r->left = len - 8 - fixed;       /* data, padding, options, trailer */
        return 1;
    }
}

int pl_pcapng_start(pl_pcap_reader *r, const uint8_t *first8, const char *path,
                    const pl_element *e, pl_error *err)
{
    r->pcapng = 1;
    if (section(r, first8, 0))
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: '%s': %s", path, r->error);
    /* Read the descriptions that precede the first packet, so that the
     * file's first link type is known before a packet is asked for. */
    while (!r->ifs_seen) {
        uint64_t at = r->pos;
        uint8_t h[8];
        size_t n = fread(h, 1, 8, r->f);
        r->pos += n;
        if (n == 0)
            return 0;                    /* no interface, no packet: an empty trace */
        uint32_t type = pl_pcap_get32(h, r->swap), len = pl_pcap_get32(h + 4, r->swap);
        if (n == 8 && (type == BT_SHB || type == __builtin_bswap32(BT_SHB))) {
            if (section(r, h, at))          /* an empty section before this one */
                return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: '%s': %s", path, r->error);
            continue;
        }
        if (n != 8 || len < 12 || len % 4 || len > MAX_BLOCK)
            return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: '%s': bad block at offset %llu",
                             path, (unsigned long long)at);
        if (type == BT_IDB) {
            if (interface(r, len, at))
                return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: '%s': %s", path, r->error);
        } else if (type == BT_EPB || type == BT_SPB || type == BT_OPB) {
            return pl_seterr(err, PL_ERR_CONFIG, e, "FILE",
                             "FILE: '%s': a packet block before any interface description "
                             "(offset %llu)", path, (unsigned long long)at);
        } else {
            r->blocks_skipped++;
            if (pl_pcap_skip(r, len - 8))
                return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: '%s': truncated block",
                                 path);
        }
    }
    return 0;
}

/* ---- writing: one section, one interface, enhanced packet blocks ---- */

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

int pl_pcapng_write_header(pl_pcap_writer *w, uint32_t linktype)
{
    uint8_t b[96];
    memset(b, 0, sizeof b);
    /* SHB: byte-order magic, version 1.0, unknown section length, shb_userappl */
    put32(b, BT_SHB);
    put32(b + 4, 44);
    put32(b + 8, BOM);
    put16(b + 12, 1);
    put16(b + 14, 0);
    memset(b + 16, 0xff, 8);
    put16(b + 24, 4);
    put16(b + 26, 6);
    memcpy(b + 28, "pktlab", 6);
    /* b + 36: opt_endofopt (zeros) */
    put32(b + 40, 44);
    /* IDB: link type, snap length (0: none), if_tsresol when nanoseconds */
    uint8_t *i = b + 44;
    uint32_t ilen = w->nsec ? 32 : 20;
    put32(i, BT_IDB);
    put32(i + 4, ilen);
    put16(i + 8, (uint16_t)linktype);
    put32(i + 12, w->snaplen == 0xffffffffu ? 0 : w->snaplen);
    if (w->nsec) {
        put16(i + 16, 9);
        put16(i + 18, 1);
        i[20] = 9;
        /* i + 24: opt_endofopt */
    }
    put32(i + ilen - 4, ilen);
    size_t total = 44 + ilen;
    return fwrite(b, 1, total, w->f) == total ? 0 : -1;
}

int pl_pcapng_write(pl_pcap_writer *w, uint64_t ts_ns, const uint8_t *data, uint32_t cap,
                    uint32_t origlen)
{
    uint64_t t = w->nsec ? ts_ns : ts_ns / 1000u;
    uint32_t pad = (4 - cap % 4) % 4, len = 32 + cap + pad;
    uint8_t h[28], tail[8] = {0};
    put32(h, BT_EPB);
    put32(h + 4, len);
    put32(h + 8, 0);
    put32(h + 12, (uint32_t)(t >> 32));
    put32(h + 16, (uint32_t)t);
    put32(h + 20, cap);
    put32(h + 24, origlen);
    put32(tail + pad, len);
    if (fwrite(h, 1, sizeof h, w->f) != sizeof h || fwrite(data, 1, cap, w->f) != cap ||
        fwrite(tail, 1, pad + 4, w->f) != pad + 4)
        return -1;
    return 0;
}
