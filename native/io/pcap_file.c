/* Classic pcap files, streamed with stdio, and the reader's common part (see pcap_file.h). */
#include "pcap_file.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du
#define MAGIC_MODIFIED 0xa1b2cd34u     /* Kuznetzov's patched libpcap: 8 more bytes per record */
#define STREAM_BUFFER (1u << 20)
#define MAX_RECORD (1u << 26)          /* no sane record is longer: a corrupt file */

int pl_pcap_read(pl_pcap_reader *r, void *buf, size_t n)
{
    size_t got = n ? fread(buf, 1, n, r->f) : 0;
    r->pos += got;
    return got == n ? 0 : -1;
}

int pl_pcap_skip(pl_pcap_reader *r, uint64_t n)
{
    if (!n)
        return 0;
    if (r->size && n > 65536 && fseeko(r->f, (off_t)n, SEEK_CUR) == 0) {
        r->pos += n;
        return 0;
    }
    uint8_t scratch[4096];                /* pipes cannot seek: read and forget */
    while (n) {
        size_t k = n < sizeof scratch ? (size_t)n : sizeof scratch;
        if (pl_pcap_read(r, scratch, k))
            return -1;
        n -= k;
    }
    return 0;
}

/* The file header, at the start of the file. */
static int start(pl_pcap_reader *r, const char *path, const pl_element *e, pl_error *err)
{
    uint8_t h[24];
    if (pl_pcap_read(r, h, 8))
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE",
                         "FILE: '%s' is not a pcap file (shorter than a pcap header)", path);
    if (h[0] == 0x0a && h[1] == 0x0d && h[2] == 0x0d && h[3] == 0x0a)
        return pl_pcapng_start(r, h, path, e, err);
    uint32_t magic;
    memcpy(&magic, h, 4);
    r->swap = magic != MAGIC_USEC && magic != MAGIC_NSEC && magic != MAGIC_MODIFIED;
    if (r->swap)
        magic = __builtin_bswap32(magic);
    if (magic != MAGIC_USEC && magic != MAGIC_NSEC && magic != MAGIC_MODIFIED) {
        uint32_t raw;
        memcpy(&raw, h, 4);
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE",
                         "FILE: '%s' is not a pcap or pcapng file (magic %08x)", path, raw);
    }
    if (pl_pcap_read(r, h + 8, 16))
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE",
                         "FILE: '%s' is not a pcap file (shorter than a pcap header)", path);
    uint16_t major = pl_pcap_get16(h + 4, r->swap), minor = pl_pcap_get16(h + 6, r->swap);
    if (major != 2)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: '%s': unknown pcap version %u.%u",
                         path, major, minor);
    r->nsec = magic == MAGIC_NSEC;
    r->extra_hdr = magic == MAGIC_MODIFIED ? 8 : 0;
    r->swapped_lens = minor < 3 ? 2 : minor == 3 ? 1 : 0;
    r->snaplen = pl_pcap_get32(h + 16, r->swap);
    /* The upper bits hold FCS information (pcap-linktype(7)): not the type. */
    r->linktype = pl_pcap_get32(h + 20, r->swap) & 0x03ffffff;
    return 0;
}

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISCHR(m) ? "a character device"
           : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/*
 * Files are regular files or FIFOs (a pipe streams a capture), and opening
 * one never blocks: a FIFO whose other end nobody opens within
 * PL_PCAP_FIFO_WAIT_MS is an error, not an engine that hangs in its
 * configuration. Devices, directories and sockets are refused.
 */
static int wait_fifo(int fd, short ev)
{
    struct pollfd pfd = {fd, ev, 0};
    return poll(&pfd, 1, PL_PCAP_FIFO_WAIT_MS) == 1 && (pfd.revents & ev);
}

static int open_checked(const char *path, int writing, const pl_element *e, pl_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: '%s' is %s; %s takes a pcap file "
                         "or a FIFO", path, kind_of(st.st_mode), writing ? "ToDump" : "FromDump"),
               -1;
    int flags = (writing ? O_WRONLY | O_CREAT : O_RDONLY) | O_NONBLOCK | O_CLOEXEC;
    int fd = open(path, flags, 0666);
    /* A FIFO opened for writing without a reader fails (ENXIO): wait for one. */
    for (int ms = 0; fd < 0 && errno == ENXIO && ms < PL_PCAP_FIFO_WAIT_MS; ms += 10) {
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
        fd = open(path, flags, 0666);
    }
    if (fd < 0)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: cannot %s '%s': %s",
                         writing ? "create" : "open", path,
                         errno == ENXIO ? "a FIFO that nobody reads" : strerror(errno)),
               -1;
    if (fstat(fd, &st) || (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))) {
        close(fd);
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: '%s' is %s", path,
                         kind_of(st.st_mode)), -1;
    }
    if (!writing && S_ISFIFO(st.st_mode) && !wait_fifo(fd, POLLIN)) {
        close(fd);
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: '%s' is a FIFO that nothing was "
                         "written to within %d ms", path, PL_PCAP_FIFO_WAIT_MS), -1;
    }
    if (writing && S_ISREG(st.st_mode) && ftruncate(fd, 0)) {
        int eno = errno;
        close(fd);
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: cannot truncate '%s': %s", path,
                         strerror(eno)), -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);   /* streams block from here on */
    return fd;
}

int pl_pcap_open_read(pl_pcap_reader *r, const char *path, const pl_element *e, pl_error *err)
{
    memset(r, 0, sizeof *r);
    if (!path || !*path)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "missing FILE");
    int fd = open_checked(path, 0, e, err);
    if (fd < 0)
        return err->status;
    r->f = fdopen(fd, "rb");
    if (!r->f) {
        close(fd);
        return pl_seterr(err, PL_ERR_NOMEM, e, "FILE", "FILE: cannot open '%s': %s", path,
                         strerror(errno));
    }
    setvbuf(r->f, NULL, _IOFBF, STREAM_BUFFER);
    struct stat st;
    if (fstat(fileno(r->f), &st) == 0 && S_ISREG(st.st_mode))
        r->size = (uint64_t)st.st_size;
    if (start(r, path, e, err)) {
        pl_pcap_close_read(r);
        return -1;
    }
    return 0;
}

int pl_pcap_rewind(pl_pcap_reader *r)
{
    if (!r->f || !r->size || fseeko(r->f, 0, SEEK_SET) != 0)
        return -1;
    r->pos = r->left = 0;
    r->nifs = 0;
    pl_error err;
    return start(r, "", NULL, &err) ? -1 : 0;
}

static int corrupt(pl_pcap_reader *r, uint64_t at, const char *what)
{
    snprintf(r->error, sizeof r->error, "%s at offset %llu", what, (unsigned long long)at);
    return -1;
}

static int classic_next(pl_pcap_reader *r, pl_pcap_record *rec)
{
    uint8_t h[16];
    size_t n = fread(h, 1, sizeof h, r->f);
    r->pos += n;
    if (n == 0)
        return 0;
    if (n != sizeof h || pl_pcap_skip(r, r->extra_hdr))
        return corrupt(r, rec->filepos, "truncated record header");
    uint32_t sec = pl_pcap_get32(h, r->swap), frac = pl_pcap_get32(h + 4, r->swap);
    rec->ts_ns = (uint64_t)sec * 1000000000u + (r->nsec ? frac : (uint64_t)frac * 1000u);
    uint32_t caplen = pl_pcap_get32(h + 8, r->swap), len = pl_pcap_get32(h + 12, r->swap);
    /* Before 2.3 the two lengths were the other way round (Click's rule). */
    if (r->swapped_lens == 2 || (r->swapped_lens == 1 && caplen > len)) {
        uint32_t t = caplen;
        caplen = len;
        len = t;
    }
    if (caplen > MAX_RECORD)
        return corrupt(r, rec->filepos, "record longer than 64 MB (a corrupt file)");
    r->left = caplen;
    /* tcptrace writes a caplen one above the length: keep the length's worth,
     * skip the rest, as Click and tcpdump do. */
    rec->caplen = caplen > len ? len : caplen;
    rec->origlen = len;
    rec->linktype = r->linktype;
    rec->ifindex = 0;
    return 1;
}

int pl_pcap_next(pl_pcap_reader *r, pl_pcap_record *rec)
{
    if (pl_pcap_skip(r, r->left))
        return corrupt(r, r->pos, "truncated record");
    r->left = 0;
    rec->filepos = r->pos;
    return r->pcapng ? pl_pcapng_next(r, rec) : classic_next(r, rec);
}

int pl_pcap_data(pl_pcap_reader *r, uint8_t *buf, uint32_t n)
{
    if (n > r->left || pl_pcap_read(r, buf, n)) {
        corrupt(r, r->pos, "truncated record");
        return -1;
    }
    r->left -= n;
    return 0;
}

uint64_t pl_pcap_tell(pl_pcap_reader *r) { return r->pos; }

void pl_pcap_close_read(pl_pcap_reader *r)
{
    if (r->f)
        fclose(r->f);
    r->f = NULL;
    free(r->ifs);
    r->ifs = NULL;
    r->nifs = r->cap_ifs = 0;
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
                       int nsec, int pcapng, const pl_element *e, pl_error *err)
{
    memset(w, 0, sizeof *w);
    if (!path || !*path)
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "missing FILE");
    int fd = open_checked(path, 1, e, err);
    if (fd < 0)
        return err->status;
    w->f = fdopen(fd, "wb");
    if (!w->f) {
        close(fd);
        return pl_seterr(err, PL_ERR_NOMEM, e, "FILE", "FILE: cannot create '%s': %s", path,
                         strerror(errno));
    }
    setvbuf(w->f, NULL, _IOFBF, STREAM_BUFFER);
    w->snaplen = snaplen ? snaplen : 0xffffffffu;
    w->nsec = nsec;
    w->pcapng = pcapng;
    int rc;
    if (pcapng) {
        rc = pl_pcapng_write_header(w, linktype);
    } else {
        uint8_t h[24];
        put32(h, nsec ? MAGIC_NSEC : MAGIC_USEC);
        h[4] = 2, h[5] = 0, h[6] = 4, h[7] = 0;     /* version 2.4, little endian */
        put32(h + 8, 0);                            /* thiszone */
        put32(h + 12, 0);                           /* sigfigs */
        put32(h + 16, w->snaplen);                  /* as Click: 0xffffffff for "all" */
        put32(h + 20, linktype);
        rc = fwrite(h, 1, sizeof h, w->f) == sizeof h ? 0 : -1;
    }
    if (rc || fflush(w->f) != 0) {
        int eno = errno;
        pl_pcap_close_write(w);
        return pl_seterr(err, PL_ERR_CONFIG, e, "FILE", "FILE: cannot write '%s': %s", path,
                         strerror(eno));
    }
    remember(w);
    return 0;
}

int pl_pcap_write(pl_pcap_writer *w, uint64_t ts_ns, const uint8_t *data, uint32_t len,
                  uint32_t origlen)
{
    uint32_t cap = len < w->snaplen ? len : w->snaplen;
    if (w->pcapng)
        return pl_pcapng_write(w, ts_ns, data, cap, origlen);
    uint8_t h[16];
    put32(h, (uint32_t)(ts_ns / 1000000000u));
    put32(h + 4, (uint32_t)(w->nsec ? ts_ns % 1000000000u : ts_ns % 1000000000u / 1000u));
    put32(h + 8, cap);
    put32(h + 12, origlen);
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
