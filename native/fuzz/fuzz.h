/*
 * The element fuzzer's shared parts (docs/robustness.md).
 *
 * fuzz_elements.c  the libFuzzer entry: one input -> one minimal graph around
 *                  one element class, run inline, then the checks;
 * fuzz_config.c    configurations for a class, drawn from its parameter
 *                  table, its manual's example and words, or raw bytes;
 * fuzz_classes.c   FuzzSource and FuzzSink, the harness's own classes: they
 *                  feed the element the input's packets and check every
 *                  batch that leaves it.
 */
#ifndef PL_FUZZ_H
#define PL_FUZZ_H

#include "../core/engine.h"

#include <stddef.h>
#include <stdint.h>

/* Reading the fuzzer's bytes: past the end, every read gives 0. */
typedef struct fz_rd {
    const uint8_t *d;
    size_t n, i;
} fz_rd;

static inline unsigned fz_u8(fz_rd *r) { return r->i < r->n ? r->d[r->i++] : 0; }
static inline unsigned fz_u16(fz_rd *r)
{
    unsigned hi = fz_u8(r);
    return hi << 8 | fz_u8(r);
}
static inline uint32_t fz_u32(fz_rd *r)
{
    uint32_t hi = fz_u16(r);
    return hi << 16 | fz_u16(r);
}
static inline size_t fz_left(const fz_rd *r) { return r->i < r->n ? r->n - r->i : 0; }
/* The next `n` bytes as a reader of their own (fewer if the input ends). */
static inline fz_rd fz_sub(fz_rd *r, size_t n)
{
    size_t k = n < fz_left(r) ? n : fz_left(r);
    fz_rd s = {r->d + r->i, k, 0};
    r->i += k;
    return s;
}

/* ---- packets (fuzz_classes.c) ---- */

enum {
    FZ_P_BATCH_END = 0x01,    /* the batch ends after this packet */
    FZ_P_PORT = 0x06,         /* (flags >> 1) & 3: the input port it enters */
    FZ_P_CLONE = 0x08,        /* sent as two clones sharing one buffer */
    FZ_P_NET = 0x10,          /* a network header annotation byte follows */
    FZ_P_MAC = 0x20,          /* the MAC header annotation at the data start */
    FZ_P_HEADROOM = 0x40,     /* a headroom byte follows */
    FZ_P_ANNO = 0x80          /* paint, 3 annotation bytes, destination IP follow */
};

typedef struct fz_pkt {
    const uint8_t *data;
    uint32_t len;
    uint8_t flags, net, headroom, paint;
    uint8_t anno[3];
    uint32_t dst_ip;
} fz_pkt;

#define FZ_MAX_PACKETS 160

typedef struct fz_plan {
    fz_pkt v[FZ_MAX_PACKETS];
    int n, pos;
} fz_plan;

extern const pl_class fz_source_class, fz_sink_class;
/* Give the FuzzSource element its packets (before the run). */
void fz_source_set(pl_element *src, fz_plan *plan);
/* Packets a FuzzSource pushed out; batches a FuzzSink checked. */
uint64_t fz_source_sent(pl_element *src);

/* ---- configurations (fuzz_config.c) ---- */

/* Words of a class's manual and parameter docs, and the argument of its
 * example: built once per class. */
typedef struct fz_words {
    char **w;
    int n;
    char *example;            /* configuration of the class in its manual's example, or "" */
} fz_words;

void fz_words_build(const pl_class *c, fz_words *out);
/* A configuration string for class c from the reader (malloc'd). */
char *fz_config(const pl_class *c, const fz_words *words, unsigned mode, fz_rd *r);
/* A value for a handler write (malloc'd); p: the live parameter it writes, or NULL. */
char *fz_value(const pl_param *p, const fz_words *words, fz_rd *r);
/* Keep generated text from naming absolute paths or parent directories, so
 * that file elements only ever touch the fuzzer's working directory. */
void fz_confine(char *s);

#endif
