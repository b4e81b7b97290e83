/*
 * The AF_PACKET backend's private parts, shared by afpacket.c (open, rings,
 * statistics) and afpacket_burst.c (the data path).
 */
#ifndef PL_IO_AFPACKET_H
#define PL_IO_AFPACKET_H

#include "io.h"

#include "../core/anno.h"

#include <errno.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define RX_BLOCK_SIZE (1u << 17)       /* a 64 KB super-packet and its headers fit */
#define RX_BLOCKS 32
#define RX_FRAME_SIZE 2048u            /* TPACKET_V3 packs frames; this only sizes the request */
#define TX_FRAMES 512u
#define TX_DATA_OFF TPACKET_ALIGN(sizeof(struct tpacket2_hdr))
#define LINK_HEADER 14                 /* the Ethernet header beyond the MTU... */
#define VLAN_TAG 4                     /* ... and one 802.1Q tag, for tagged frames */
#define SMALL_ROOM (PL_BUFSIZE - PL_HEADROOM)

typedef struct afp {
    pl_io_queue h;
    int fd, method, tx, ifindex, promisc;
    uint32_t snaplen;
    uint32_t mtu;                     /* the interface's, when last read */
    uint32_t max_frame;               /* TX: the longest untagged frame the MTU allows */
    uint32_t tx_frame_size;           /* TX ring: bytes per frame slot */
    char name[IFNAMSIZ];              /* the interface, looked up again at every start */
    uint8_t *ring;
    size_t ring_len;
    uint32_t nblocks, block;          /* RX: block being read */
    struct tpacket3_hdr *pkt;         /* RX: next frame in it, NULL: none taken */
    uint32_t left;                    /* RX: frames left in the block */
    uint32_t tx_cur;                  /* TX: next frame slot */
    uint64_t drops;                   /* kernel drops (PACKET_STATISTICS), accumulated */
    uint64_t ipackets, opackets;
} afp;

/* The interface's MTU (0 if it cannot be read), and the frame limits it sets. */
uint32_t pl_afp_read_mtu(int fd, const char *name);
void pl_afp_set_mtu(afp *a, uint32_t mtu);
uint32_t pl_afp_rx(void *h, pl_ctx *ctx, pl_packet **batch, uint32_t max);
uint32_t pl_afp_tx(void *h, pl_ctx *ctx, pl_packet **batch, uint32_t max);

#endif
