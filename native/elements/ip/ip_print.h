/* IPPrint's state and line builder, shared by the class (ip_print.c) and
 * its per-protocol lines (ip_print_lines.c). */
#ifndef PL_IP_PRINT_H
#define PL_IP_PRINT_H

#include "../../core/element.h"

#include <stdint.h>
#include <stdio.h>

typedef struct {
    char *label, *contents, *payload, *outfile, *channel;
    int64_t maxlength, nbytes;
    uint8_t id, timestamp, paint, tos, ttl, swap, length, aggregate, active;
    int show;                     /* 0 none, 1 hex, 2 ascii */
    int show_payload;
    FILE *out;
} ipprint_state;

#define LINE 8192

typedef struct {
    char *s;
    size_t k;
} acc;

/* Append to the line (silently cut at LINE - 1 bytes). */
void ipp_put(acc *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "SRC > DST" of an IP header. */
void ipp_pair(acc *a, const uint8_t *ip);
/* The transport part of the line; t is the transport header, tl its bytes. */
void ipp_tcp_line(acc *a, const uint8_t *ip, const uint8_t *t, int tl, const pl_packet *p);
void ipp_udp_line(acc *a, const uint8_t *ip, const uint8_t *t, int tl);
void ipp_icmp_line(acc *a, ipprint_state *s, const uint8_t *ip, const uint8_t *t, int tl);

#endif
