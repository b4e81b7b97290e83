/*
 * FromDump's reading, as Click's FromDump reads: the next record of a trace
 * that the time window and SAMPLE let through, as a packet of its length
 * (any class), its MAC header at the start, its timestamp and extra-length
 * annotations set, and with FORCE_IP (forced for raw IP link types) its IP
 * header and destination annotations.
 */
#ifndef PL_IO_DUMP_READER_H
#define PL_IO_DUMP_READER_H

#include "pcap_file.h"
#include "trace_window.h"

typedef struct pl_dump {
    pl_pcap_reader r;
    pl_pcap_record rec;
    int have_rec;                 /* rec's header is read, its data not yet */
    int checked;                  /* ... and the window and SAMPLE let it through */
    int force_ip;
    int eof, corrupt;             /* corrupt: r.error says why reading stopped */
    pl_trace_window win;
    /* What the control thread asks (handlers), done by the task. */
    _Atomic int64_t seek_to;      /* filepos write (-1: none) */
    _Atomic int64_t extend_ns;    /* extend_interval */
    _Atomic int reset_timing;
    _Atomic uint64_t pos, packet_pos;   /* published by the task, for the handlers */
} pl_dump;

enum {
    PL_DUMP_PACKET,               /* *pp: a packet for output 0 */
    PL_DUMP_NONIP,                /* *pp: a packet FORCE_IP found no IP header in */
    PL_DUMP_SKIPPED,              /* before START, or sampled out */
    PL_DUMP_TOOLONG,              /* longer than PL_MAX_LEN: skipped */
    PL_DUMP_END,                  /* END reached: the record waits; drop it with
                                     pl_dump_drop, or call again to emit it */
    PL_DUMP_NOBUFS,               /* no buffer: the record waits for the next call */
    PL_DUMP_EOF                   /* end of the file (or of its readable part) */
};

int pl_dump_next(pl_dump *d, pl_pool *pool, pl_packet **pp);
/* Forget the waiting record (the one at END). */
void pl_dump_drop(pl_dump *d);
/* Continue from file offset `to`, the start of a record or block (forward,
 * or back in a regular file). 0, or -1 with the reason in why. */
int pl_dump_seek(pl_dump *d, uint64_t to, char *why, size_t len);

/* Read handlers: the link type's name, the file's size ("-": a pipe), the
 * bytes read so far, the offset of the last packet read. */
enum { PL_DUMP_INFO_ENCAP, PL_DUMP_INFO_FILESIZE, PL_DUMP_INFO_FILEPOS,
       PL_DUMP_INFO_PACKET_FILEPOS };
int pl_dump_info(pl_dump *d, int what, char *buf, size_t len);
/* Handlers' halves on the control thread: 0, or -1 with err naming e. */
int pl_dump_request_seek(pl_dump *d, const char *value, const pl_element *e, pl_error *err);
int pl_dump_request_extend(pl_dump *d, const char *value, const pl_element *e, pl_error *err);
/* The task's half, at the start of a run: what the requests did (bits). */
enum { PL_DUMP_REQ_SEEKED = 1, PL_DUMP_REQ_SEEK_FAILED = 2, PL_DUMP_REQ_EXTENDED = 4,
       PL_DUMP_REQ_RETIMED = 8 };
int pl_dump_take_requests(pl_dump *d, char *why, size_t len);

#endif
