/*
 * Trace files, read and written as a stream: no libpcap, never the whole
 * file in memory.
 *
 * Reading takes classic pcap (microsecond and nanosecond timestamps, either
 * byte order, versions 2.x with the pre-2.3 caplen/len swap, and the
 * "modified" variant's longer record headers) and pcapng (SHB, IDB, EPB,
 * SPB and the obsolete OPB; several sections, byte orders and interfaces,
 * each interface with its own link type, snap length and timestamp
 * resolution and offset; every other block is skipped). A record carries
 * its interface's link type.
 *
 * Writing makes classic pcap (version 2.4, microsecond or nanosecond
 * timestamps) or pcapng (one SHB, one IDB, EPBs), which tcpdump, Wireshark
 * and scapy read.
 */
#ifndef PL_IO_PCAP_FILE_H
#define PL_IO_PCAP_FILE_H

#include "../core/element.h"
#include "linktype.h"

#include <stdio.h>

#define PL_PCAP_LINKTYPE_ETHERNET 1
/* How long opening a FIFO waits for its other end (then: an error). */
#define PL_PCAP_FIFO_WAIT_MS 2000

typedef struct pl_pcap_iface {
    uint32_t linktype;
    uint32_t snaplen;
    uint8_t tsresol;         /* pcapng if_tsresol: 10^-n, or 2^-(n & 127) when bit 7 is set */
    int64_t tsoffset;        /* seconds added to every timestamp (if_tsoffset) */
} pl_pcap_iface;

typedef struct pl_pcap_reader {
    FILE *f;
    int pcapng;              /* 0: classic pcap */
    int swap;                /* written with the other byte order (this section) */
    int nsec;                /* classic: nanosecond timestamps */
    int swapped_lens;        /* classic before 2.3: caplen and len may be swapped */
    uint32_t extra_hdr;      /* classic "modified" pcap: bytes after each record header */
    uint32_t snaplen, linktype;   /* classic: the file's; pcapng: the first interface's */
    uint64_t size;           /* file size in bytes (0 if unknown: a pipe) */
    uint64_t pos;            /* bytes consumed from the start of the file */
    uint64_t left;           /* bytes of the current record after its data: skipped next */
    pl_pcap_iface *ifs;      /* pcapng: this section's interfaces */
    uint32_t nifs, cap_ifs;
    uint32_t ifs_seen;       /* pcapng: interfaces described in the whole file */
    uint64_t blocks_skipped; /* pcapng: blocks that are not packets or descriptions */
    char error[200];         /* why reading stopped, for the log */
} pl_pcap_reader;

typedef struct pl_pcap_record {
    uint64_t ts_ns;          /* since the epoch */
    uint32_t caplen;         /* bytes in the file */
    uint32_t origlen;        /* bytes on the wire */
    uint32_t linktype;       /* its interface's */
    uint32_t ifindex;        /* pcapng: its interface (0 for classic files) */
    uint64_t filepos;        /* where its record (pcapng: block) starts */
} pl_pcap_record;

/* Open and check the file header. Errors name e and keyword FILE. */
int pl_pcap_open_read(pl_pcap_reader *r, const char *path, const pl_element *e, pl_error *err);
/*
 * The next record's header (its data not read yet: pl_pcap_data reads it,
 * or the next call skips it). 1: a record, 0: end of file, -1: a truncated
 * or corrupt file (reading stops there; r->error says what and where).
 */
int pl_pcap_next(pl_pcap_reader *r, pl_pcap_record *rec);
/* Read the first n bytes of the current record's data (n <= caplen);
 * 0, or -1 when the file ends first. */
int pl_pcap_data(pl_pcap_reader *r, uint8_t *buf, uint32_t n);
uint64_t pl_pcap_tell(pl_pcap_reader *r);
/* Go back to the first record (a regular file only): 0, or -1. */
int pl_pcap_rewind(pl_pcap_reader *r);
void pl_pcap_close_read(pl_pcap_reader *r);

typedef struct pl_pcap_writer {
    FILE *f;
    uint32_t snaplen;        /* 0xffffffff: whole packets */
    int nsec, pcapng;
    /* The file as this writer last left it (after a flush): another writer
     * that truncated, replaced or wrote to it since is noticed before we
     * write again (pl_pcap_check_write). */
    uint64_t dev, ino, size;
    int64_t mtime_ns;
} pl_pcap_writer;

/* snaplen 0: whole packets. pcapng: write pcapng instead of classic pcap. */
int pl_pcap_open_write(pl_pcap_writer *w, const char *path, uint32_t snaplen, uint32_t linktype,
                       int nsec, int pcapng, const pl_element *e, pl_error *err);
/* Append one record: the first min(len, snaplen) bytes of data, with
 * origlen as the length on the wire; 0, or -1 on a write error. */
int pl_pcap_write(pl_pcap_writer *w, uint64_t ts_ns, const uint8_t *data, uint32_t len,
                  uint32_t origlen);
int pl_pcap_flush(pl_pcap_writer *w);
/* Before writing again after a pause (an engine restart): 0 if `path` is
 * still the file as this writer left it; else an error saying what changed
 * (deleted, replaced, written by someone else), naming e and FILE. */
int pl_pcap_check_write(pl_pcap_writer *w, const char *path, const pl_element *e, pl_error *err);
void pl_pcap_close_write(pl_pcap_writer *w);

/* Header fields in a file's byte order (swap: the other one). */
static inline uint32_t pl_pcap_get32(const uint8_t *p, int swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

static inline uint16_t pl_pcap_get16(const uint8_t *p, int swap)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return swap ? __builtin_bswap16(v) : v;
}

/* pcapng (pcapng.c), behind the calls above. */
int pl_pcapng_start(pl_pcap_reader *r, const uint8_t *first8, const char *path,
                    const pl_element *e, pl_error *err);
int pl_pcapng_next(pl_pcap_reader *r, pl_pcap_record *rec);
int pl_pcapng_write_header(pl_pcap_writer *w, uint32_t linktype);
int pl_pcapng_write(pl_pcap_writer *w, uint64_t ts_ns, const uint8_t *data, uint32_t cap,
                    uint32_t origlen);
/* Reading helpers shared by both formats (pcap_file.c). */
int pl_pcap_read(pl_pcap_reader *r, void *buf, size_t n);
int pl_pcap_skip(pl_pcap_reader *r, uint64_t n);

#endif
