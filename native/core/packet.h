/*
 * Packets and batches.
 *
 * A packet is a metadata header followed, in the same pool buffer, by its data
 * area (headroom + room for one frame). A batch is a singly linked list of
 * packets through `next`; its first packet carries the count, the total
 * length and a pointer to the last packet, so appending, splitting off the
 * head and joining two batches are O(1) (the paper's "count" annotation and
 * "previous of first = last").
 *
 * Clones share data: a clone's `data` points into its origin's buffer and the
 * origin's reference count keeps the buffer alive. Writers call
 * pl_packet_uniqueify() first, as in Click.
 *
 * Packets of any size: buffers come in size classes (PL_NCLASSES, below).
 * The 2 KB class is the fast path's; a packet longer than it gets a buffer of
 * a larger class when it is made (pl_packet_alloc_len), and an element that
 * pushes or puts past the head- or tailroom (pl_push, pl_put in element.h)
 * has the packet's data moved to a larger buffer, as Click's push() does: a
 * slow-path event the engine counts ("grown"). The class of a buffer is in
 * its flags, so the pool it goes back to costs no extra load.
 */
#ifndef PL_PACKET_H
#define PL_PACKET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PL_HEADROOM 128
#define PL_BUFSIZE 2048          /* data area of the fast path's class: headroom + frame */
#define PL_BUFSIZE_JUMBO 10240   /* class 1: jumbo frames (MTU 9000 to 9216) */
#define PL_BUFSIZE_MAX 67584     /* class 2: 64 KB datagrams, super-packets, big records */
#define PL_NCLASSES 3
/* The longest packet: a 65,535-byte datagram and the headers an encapsulation
 * puts in front of it fit. Longer ones are a counted drop wherever they meet
 * the engine (too_long). */
#define PL_MAX_LEN 67456
_Static_assert(PL_MAX_LEN == PL_BUFSIZE_MAX - PL_HEADROOM, "PL_MAX_LEN: the largest class's room");
#define PL_STRINGIFY_(x) #x
#define PL_STRINGIFY(x) PL_STRINGIFY_(x)
#define PL_MAX_LEN_TEXT PL_STRINGIFY(PL_MAX_LEN)   /* as a parameter default */
#define PL_ANNO_SIZE 48          /* generic annotation bytes, as Click's */

struct pl_pool;

/*
 * Three cache lines, laid out by who touches them:
 *  0. the data path: batch links, data, length, references, header offsets,
 *     flags (every element, every packet);
 *  1. annotations, cleared as one line when a packet is made;
 *  2. buffer bounds (headroom and tailroom checks only).
 * A received DPDK packet's metadata is written as line 0 plus one cleared
 * line 1 (dpdk_burst.c): the fewer lines a packet touches, the fewer misses.
 */
typedef struct pl_packet {
    struct pl_packet *next;      /* batch link, then free-list link */
    uint8_t *data;
    uint32_t len;                /* frame length from data */
    _Atomic uint32_t refs;       /* references to this packet's data area */
    uint16_t mac_off, net_off;   /* header offsets from buf, 0xffff = unset */
    uint8_t flags;
    uint8_t paint;
    uint16_t _pad;
    struct pl_packet *b_tail;    /* batch head only: last packet */
    uint32_t b_count;            /* batch head only: number of packets */
    uint32_t _pad2;
    uint64_t b_bytes;            /* batch head only: sum of len */
    struct pl_packet *origin;    /* owner of the data area (self unless a clone) */
    /* line 1: annotations */
    _Alignas(64) uint64_t timestamp;
    uint8_t anno[PL_ANNO_SIZE];
    uint32_t dst_ip;             /* destination IP annotation, network order */
    uint32_t _pad3;
    /* line 2 */
    _Alignas(64) uint8_t *buf;   /* start of the data area this packet uses */
    uint8_t *buf_end;
    uint8_t area[];              /* the data area: pl_class_bytes(class) bytes */
} pl_packet;

_Static_assert(offsetof(pl_packet, timestamp) == 64 && offsetof(pl_packet, buf) == 128,
               "pl_packet: data path in line 0, annotations in line 1");

#define PL_PKT_SHARED_REFS 0x1   /* refs must be changed atomically */
#define PL_PKT_STATIC 0x2        /* not from a pool: never recycled */
#define PL_PKT_HEAP 0x8          /* a malloc'd origin (a source's template): free()d when
                                    its last reference goes, which may be after its element */
#define PL_PKT_EXTERNAL 0x4      /* metadata and buffer belong to an I/O backend (a DPDK
                                    mbuf's private area): recycled by pl_ext_free_*, not a pool */

#define PL_PKT_CHAIN 0x40        /* external, and its device buffer is a chain (DPDK mbufs
                                    of a jumbo frame): the backend frees it whole */
/* Bits 4-5: the size class of the buffer this metadata sits in (0: 2 KB). */
#define PL_PKT_CLASS_SHIFT 4
#define PL_PKT_CLASS_MASK 0x30

#define PL_OFF_UNSET 0xffff

/* Data area of a buffer of size class k. */
static inline uint32_t pl_class_bytes(unsigned k)
{
    return k == 0 ? PL_BUFSIZE : k == 1 ? PL_BUFSIZE_JUMBO : PL_BUFSIZE_MAX;
}
/* The smallest class whose area holds `bytes` (PL_NCLASSES: none does). */
static inline unsigned pl_class_for(uint32_t bytes)
{
    return bytes <= PL_BUFSIZE ? 0 : bytes <= PL_BUFSIZE_JUMBO ? 1 : bytes <= PL_BUFSIZE_MAX ? 2
                                                                                              : 3;
}
static inline unsigned pl_packet_class(const pl_packet *p)
{
    return (unsigned)(p->flags & PL_PKT_CLASS_MASK) >> PL_PKT_CLASS_SHIFT;
}

static inline uint32_t pl_batch_count(const pl_packet *b) { return b ? b->b_count : 0; }

/* Make `p` a batch of one. */
static inline pl_packet *pl_batch_one(pl_packet *p)
{
    p->next = NULL;
    p->b_tail = p;
    p->b_count = 1;
    p->b_bytes = p->len;
    return p;
}

/* Append packet `p` to batch `*b` (which may be NULL). */
static inline void pl_batch_append(pl_packet **b, pl_packet *p)
{
    p->next = NULL;
    if (!*b) {
        pl_batch_one(p);
        *b = p;
        return;
    }
    (*b)->b_tail->next = p;
    (*b)->b_tail = p;
    (*b)->b_count++;
    (*b)->b_bytes += p->len;
}

/* Join batch `add` after batch `*b`. */
static inline void pl_batch_join(pl_packet **b, pl_packet *add)
{
    if (!add)
        return;
    if (!*b) {
        *b = add;
        return;
    }
    (*b)->b_tail->next = add;
    (*b)->b_tail = add->b_tail;
    (*b)->b_count += add->b_count;
    (*b)->b_bytes += add->b_bytes;
}

/* Recompute count and bytes after elements changed lengths in place. */
static inline void pl_batch_recount(pl_packet *b)
{
    uint32_t n = 0;
    uint64_t bytes = 0;
    pl_packet *last = b;
    for (pl_packet *p = b; p; p = p->next) {
        n++;
        bytes += p->len;
        last = p;
    }
    if (b) {
        b->b_count = n;
        b->b_bytes = bytes;
        b->b_tail = last;
    }
}

/* Split batch b after its first k packets (0 < k < count): b keeps them, the
 * rest is returned as a batch. O(k). */
static inline pl_packet *pl_batch_split(pl_packet *b, uint32_t k)
{
    pl_packet *last = b;
    uint64_t bytes = b->len;
    for (uint32_t i = 1; i < k; i++) {
        last = last->next;
        bytes += last->len;
    }
    pl_packet *rest = last->next;
    if (!rest)
        return NULL;
    rest->b_tail = b->b_tail;
    rest->b_count = b->b_count - k;
    rest->b_bytes = b->b_bytes - bytes;
    last->next = NULL;
    b->b_tail = last;
    b->b_count = k;
    b->b_bytes = bytes;
    return rest;
}

#define PL_BATCH_FOREACH(p, b) for (pl_packet *p = (b); p; p = p->next)
/* Safe against `p` being unlinked or freed in the body. */
#define PL_BATCH_FOREACH_SAFE(p, nx, b) \
    for (pl_packet *p = (b), *nx = p ? p->next : NULL; p; p = nx, nx = p ? p->next : NULL)

static inline uint32_t pl_headroom(const pl_packet *p) { return (uint32_t)(p->data - p->buf); }
static inline uint32_t pl_tailroom(const pl_packet *p)
{
    return (uint32_t)(p->buf_end - (p->data + p->len));
}
/* True when writing p's data would be seen by another packet. */
static inline bool pl_packet_shared(const pl_packet *p)
{
    const pl_packet *o = p->origin;
    return (o->flags & PL_PKT_STATIC) || atomic_load_explicit(&o->refs, memory_order_relaxed) > 1;
}

/*
 * Move the data start or end in place: the caller checked the room (and, to
 * write, that the packet is not shared). pl_push / pl_put (element.h) are
 * Click's push() and put(): they check, and move the packet to a larger or
 * private buffer when needed.
 */
static inline void pl_packet_pull(pl_packet *p, uint32_t n) { p->data += n; p->len -= n; }
static inline void pl_packet_push(pl_packet *p, uint32_t n) { p->data -= n; p->len += n; }
static inline void pl_packet_put(pl_packet *p, uint32_t n) { p->len += n; }
/* Click's take(): drop n bytes from the end (n <= len). */
static inline void pl_packet_take(pl_packet *p, uint32_t n) { p->len -= n; }

#endif
