/*
 * nmprobe: the netmap tests' traffic source and sink (built by make test-netmap
 * against libnetmap, run in the guest next to the engine).
 *
 *   nmprobe tx PORT COUNT [LEN]    send COUNT frames of LEN bytes (default 60)
 *   nmprobe rx PORT COUNT IDLE_MS  receive until COUNT frames arrived, or
 *                                  nothing arrived for IDLE_MS
 *
 * Each frame carries a magic word, its sequence number and the index of the
 * netmap buffer it was written into. tx waits for ring space (poll), so a
 * lossless path (a pipe) loses nothing. rx prints one JSON line: frames
 * received, distinct sequence numbers, duplicates, frames that are not ours,
 * and how many arrived in the very buffer they were written into: over netmap
 * pipes (which swap buffers) that is every frame when whatever sits between
 * tx and rx forwards by swapping buffers too, and none when it copies.
 * Ports open in one memory region: the first one's (pipes share their
 * parent's anyway).
 */
#include <libnetmap.h>

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#define MAGIC 0x706b746cu                 /* "pktl" */
#define OFF 14                            /* after an Ethernet header */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int tx(struct nmport_d *d, uint64_t count, unsigned len)
{
    struct netmap_ring *ring = NETMAP_TXRING(d->nifp, d->first_tx_ring);
    uint64_t sent = 0;
    while (sent < count) {
        struct pollfd pfd = {.fd = d->fd, .events = POLLOUT};
        if (nm_ring_space(ring) == 0 && poll(&pfd, 1, 1000) <= 0)
            continue;
        while (nm_ring_space(ring) && sent < count) {
            struct netmap_slot *slot = &ring->slot[ring->cur];
            uint8_t *buf = (uint8_t *)NETMAP_BUF(ring, slot->buf_idx);
            static const uint8_t eth[14] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0xb5};
            memcpy(buf, eth, 14);
            uint32_t w[3] = {MAGIC, (uint32_t)sent, slot->buf_idx};
            memcpy(buf + OFF, w, sizeof w);
            memset(buf + OFF + sizeof w, 0x5a, len - OFF - sizeof w);
            slot->len = (uint16_t)len;
            ring->head = ring->cur = nm_ring_next(ring, ring->cur);
            sent++;
        }
        ioctl(d->fd, NIOCTXSYNC, NULL);
    }
    /* Wait until the ring is empty again: everything handed over. */
    double t0 = now_ms();
    while (nm_tx_pending(ring) && now_ms() - t0 < 5000) {
        struct pollfd pfd = {.fd = d->fd, .events = POLLOUT};
        poll(&pfd, 1, 10);
        ioctl(d->fd, NIOCTXSYNC, NULL);
    }
    printf("{\"sent\": %llu}\n", (unsigned long long)sent);
    return 0;
}

static int rx(struct nmport_d *d, uint64_t count, double idle_ms)
{
    struct netmap_ring *ring = NETMAP_RXRING(d->nifp, d->first_rx_ring);
    uint8_t *seen = calloc(count ? count : 1, 1);
    uint64_t got = 0, uniq = 0, dup = 0, bad = 0, same = 0;
    double last = now_ms();
    while (got < count && now_ms() - last < idle_ms) {
        struct pollfd pfd = {.fd = d->fd, .events = POLLIN};
        if (poll(&pfd, 1, 10) <= 0 && nm_ring_empty(ring))
            continue;
        while (!nm_ring_empty(ring)) {
            struct netmap_slot *slot = &ring->slot[ring->cur];
            const uint8_t *buf = (const uint8_t *)NETMAP_BUF(ring, slot->buf_idx);
            uint32_t w[3];
            memcpy(w, buf + OFF, sizeof w);
            got++;
            if (slot->len < OFF + sizeof w || w[0] != MAGIC || w[1] >= count) {
                bad++;
            } else {
                if (seen[w[1]]++)
                    dup++;
                else
                    uniq++;
                same += w[2] == slot->buf_idx;
            }
            ring->head = ring->cur = nm_ring_next(ring, ring->cur);
            last = now_ms();
        }
    }
    printf("{\"received\": %llu, \"unique\": %llu, \"duplicates\": %llu, \"foreign\": %llu, "
           "\"same_buffer\": %llu}\n", (unsigned long long)got, (unsigned long long)uniq,
           (unsigned long long)dup, (unsigned long long)bad, (unsigned long long)same);
    free(seen);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "tx") && strcmp(argv[1], "rx"))) {
        fprintf(stderr, "usage: nmprobe tx PORT COUNT [LEN] | nmprobe rx PORT COUNT IDLE_MS\n");
        return 2;
    }
    struct nmport_d *d = nmport_open(argv[2]);
    if (!d) {
        fprintf(stderr, "nmprobe: cannot open %s\n", argv[2]);
        return 1;
    }
    /* The other side may not be there yet: give it time to open. */
    fflush(stdout);
    uint64_t count = strtoull(argv[3], NULL, 10);
    int rc;
    if (!strcmp(argv[1], "tx")) {
        unsigned len = argc > 4 ? (unsigned)atoi(argv[4]) : 60;
        if (len < OFF + 12 || len > 2048)
            len = 60;
        rc = tx(d, count, len);
    } else {
        rc = rx(d, count, argc > 4 ? atof(argv[4]) : 2000);
    }
    nmport_close(d);
    return rc;
}
