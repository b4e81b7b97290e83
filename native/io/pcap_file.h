/*
 * Classic pcap files (tcpdump's format), read and written as a stream: no
 * libpcap, never the whole file in memory. Reading takes microsecond and
 * nanosecond files in either byte order; writing makes microsecond files
 * (magic a1b2c3d4, version 2.4) that tcpdump, Wireshark and scapy read.
 */
#ifndef PL_IO_PCAP_FILE_H
#define PL_IO_PCAP_FILE_H

#include "../core/element.h"

#include <stdio.h>

#define PL_PCAP_LINKTYPE_ETHERNET 1

typedef struct pl_pcap_reader {
    FILE *f;
    int swap;                /* file written with the other byte order */
    int nsec;                /* nanosecond timestamps */
    uint32_t snaplen, linktype;
    uint64_t size;           /* file size in bytes (0 if unknown: a pipe) */
} pl_pcap_reader;

typedef struct pl_pcap_record {
    uint64_t ts_ns;          /* since the epoch */
    uint32_t caplen;         /* bytes in the file */
    uint32_t origlen;        /* bytes on the wire */
} pl_pcap_record;

/* Open and check the file header. Errors name e and keyword FILE. */
int pl_pcap_open_read(pl_pcap_reader *r, const char *path, const pl_element *e, pl_error *err);
/*
 * The next record: its header in *rec, min(caplen, cap) bytes of it in buf
 * (the rest is skipped). 1: a record, 0: end of file, -1: a truncated or
 * corrupt record (reading stops there).
 */
int pl_pcap_next(pl_pcap_reader *r, pl_pcap_record *rec, uint8_t *buf, uint32_t cap);
uint64_t pl_pcap_tell(pl_pcap_reader *r);
void pl_pcap_close_read(pl_pcap_reader *r);

typedef struct pl_pcap_writer {
    FILE *f;
    uint32_t snaplen;
    /* The file as this writer last left it (after a flush): another writer
     * that truncated, replaced or wrote to it since is noticed before we
     * write again (pl_pcap_check_write). */
    uint64_t dev, ino, size;
    int64_t mtime_ns;
} pl_pcap_writer;

int pl_pcap_open_write(pl_pcap_writer *w, const char *path, uint32_t snaplen, uint32_t linktype,
                       const pl_element *e, pl_error *err);
/* Append one record (cut to snaplen); 0, or -1 on a write error. */
int pl_pcap_write(pl_pcap_writer *w, uint64_t ts_ns, const uint8_t *data, uint32_t len);
int pl_pcap_flush(pl_pcap_writer *w);
/* Before writing again after a pause (an engine restart): 0 if `path` is
 * still the file as this writer left it; else an error saying what changed
 * (deleted, replaced, written by someone else), naming e and FILE. */
int pl_pcap_check_write(pl_pcap_writer *w, const char *path, const pl_element *e, pl_error *err);
void pl_pcap_close_write(pl_pcap_writer *w);

#endif
