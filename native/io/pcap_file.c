/* Classic pcap files, streamed with stdio (see pcap_file.h). */
#include "pcap_file.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du
#define STREAM_BUFFER (1u << 20)

static uint32_t get32(const uint8_t *p, int swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

int pl_pcap_open_read(pl_pcap_reader *r, const char *path, const pl_element *e, pl_error *err)
{
    memset(r, 0, sizeof *r);
    if (!path || !*path)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "missing FILE");
    r->f = fopen(path, "rb");
    if (!r->f)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: cannot open '%s': %s", path,
                         strerror(errno));
    setvbuf(r->f, NULL, _IOFBF, STREAM_BUFFER);
    struct stat st;
    if (fstat(fileno(r->f), &st) == 0 && S_ISREG(st.st_mode))
        r->size = (uint64_t)st.st_size;
    uint8_t h[24];
    if (fread(h, 1, sizeof h, r->f) != sizeof h) {
        pl_pcap_close_read(r);
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE",
                         "FILE: '%s' is not a pcap file (shorter than a pcap header)", path);
    }
    uint32_t magic;
    memcpy(&magic, h, 4);
    if (magic == MAGIC_USEC || magic == MAGIC_NSEC) {
        r->nsec = magic == MAGIC_NSEC;
    } else if (__builtin_bswap32(magic) == MAGIC_USEC || __builtin_bswap32(magic) == MAGIC_NSEC) {
        r->swap = 1;
        r->nsec = __builtin_bswap32(magic) == MAGIC_NSEC;
    } else {
        pl_pcap_close_read(r);
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE",
                         "FILE: '%s' is not a classic pcap file (magic %08x; pcapng is not "
                         "supported: convert it with `editcap -F pcap`)", path, magic);
    }
    r->snaplen = get32(h + 16, r->swap);
    r->linktype = get32(h + 20, r->swap) & 0x0fffffff;
    if (r->linktype != PL_PCAP_LINKTYPE_ETHERNET) {
        pl_pcap_close_read(r);
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE",
                         "FILE: '%s' has link type %u; only Ethernet (1) is supported", path,
                         r->linktype);
    }
    return 0;
}

int pl_pcap_next(pl_pcap_reader *r, pl_pcap_record *rec, uint8_t *buf, uint32_t cap)
{
    uint8_t h[16];
    size_t n = fread(h, 1, sizeof h, r->f);
    if (n == 0)
        return 0;
    if (n != sizeof h)
        return -1;
    uint32_t sec = get32(h, r->swap), frac = get32(h + 4, r->swap);
    rec->ts_ns = (uint64_t)sec * 1000000000u + (r->nsec ? frac : (uint64_t)frac * 1000u);
    rec->caplen = get32(h + 8, r->swap);
    rec->origlen = get32(h + 12, r->swap);
    if (rec->caplen > (1u << 26))
        return -1;   /* no sane record is that long: a corrupt file */
    uint32_t take = rec->caplen < cap ? rec->caplen : cap;
    if (fread(buf, 1, take, r->f) != take)
        return -1;
    if (take < rec->caplen && fseeko(r->f, rec->caplen - take, SEEK_CUR) != 0)
        return -1;
    return 1;
}

uint64_t pl_pcap_tell(pl_pcap_reader *r)
{
    off_t o = r->f ? ftello(r->f) : 0;
    return o > 0 ? (uint64_t)o : 0;
}

void pl_pcap_close_read(pl_pcap_reader *r)
{
    if (r->f)
        fclose(r->f);
    r->f = NULL;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static void remember(pl_pcap_writer *w)
{
    struct stat st;
    if (w->f && fstat(fileno(w->f), &st) == 0) {
        w->dev = (uint64_t)st.st_dev;
        w->ino = (uint64_t)st.st_ino;
        w->size = (uint64_t)st.st_size;
        w->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    }
}

int pl_pcap_open_write(pl_pcap_writer *w, const char *path, uint32_t snaplen, uint32_t linktype,
                       const pl_element *e, pl_error *err)
{
    memset(w, 0, sizeof *w);
    if (!path || !*path)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "missing FILE");
    w->f = fopen(path, "wb");
    if (!w->f)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: cannot create '%s': %s", path,
                         strerror(errno));
    setvbuf(w->f, NULL, _IOFBF, STREAM_BUFFER);
    w->snaplen = snaplen;
    uint8_t h[24];
    put32(h, MAGIC_USEC);
    h[4] = 2, h[5] = 0, h[6] = 4, h[7] = 0;     /* version 2.4, little endian */
    put32(h + 8, 0);                            /* thiszone */
    put32(h + 12, 0);                           /* sigfigs */
    put32(h + 16, snaplen);
    put32(h + 20, linktype);
    if (fwrite(h, 1, sizeof h, w->f) != sizeof h || fflush(w->f) != 0) {
        int eno = errno;
        pl_pcap_close_write(w);
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: cannot write '%s': %s", path,
                         strerror(eno));
    }
    remember(w);
    return 0;
}

int pl_pcap_write(pl_pcap_writer *w, uint64_t ts_ns, const uint8_t *data, uint32_t len)
{
    uint32_t cap = len < w->snaplen ? len : w->snaplen;
    uint8_t h[16];
    put32(h, (uint32_t)(ts_ns / 1000000000u));
    put32(h + 4, (uint32_t)(ts_ns % 1000000000u / 1000u));
    put32(h + 8, cap);
    put32(h + 12, len);
    if (fwrite(h, 1, sizeof h, w->f) != sizeof h || fwrite(data, 1, cap, w->f) != cap)
        return -1;
    return 0;
}

int pl_pcap_flush(pl_pcap_writer *w)
{
    if (!w->f)
        return 0;
    int rc = fflush(w->f) != 0 ? -1 : 0;
    remember(w);
    return rc;
}

int pl_pcap_check_write(pl_pcap_writer *w, const char *path, const pl_element *e, pl_error *err)
{
    struct stat st;
    if (!w->f)
        return 0;
    if (stat(path, &st) != 0)
        return pl_seterr(err, PL_ERR_STATE, e, "FILE", "FILE: '%s' was deleted since this engine "
                         "opened it; packets would go nowhere (make a new engine to write it "
                         "again)", path);
    if ((uint64_t)st.st_dev != w->dev || (uint64_t)st.st_ino != w->ino)
        return pl_seterr(err, PL_ERR_STATE, e, "FILE", "FILE: '%s' was replaced since this engine "
                         "opened it (another engine or program made it again); this engine "
                         "would write to the old file", path);
    int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    if ((uint64_t)st.st_size != w->size || mtime != w->mtime_ns)
        return pl_seterr(err, PL_ERR_STATE, e, "FILE", "FILE: '%s' was written by another engine "
                         "or program since this engine stopped (%llu bytes now, %llu when it "
                         "stopped); writing on would corrupt it", path,
                         (unsigned long long)st.st_size, (unsigned long long)w->size);
    return 0;
}

void pl_pcap_close_write(pl_pcap_writer *w)
{
    if (w->f)
        fclose(w->f);
    w->f = NULL;
}
