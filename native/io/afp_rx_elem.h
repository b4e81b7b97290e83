/* FromDevice and PollDevice (which Click's linuxmodule has, and pktlab runs
 * as FromDevice over AF_PACKET): the state and functions both share; each
 * class file holds its parameter table and descriptor. */
#ifndef PL_AFP_RX_ELEM_H
#define PL_AFP_RX_ELEM_H

#include "io.h"

typedef struct {
    char *devname, *method;
    uint64_t burst, snaplen;
    uint8_t promisc, active;
    uint8_t timestamp, quiet, allow_nonexistent;   /* PollDevice's keywords */
    uint64_t headroom, length;
    void *dev;
} fdev_state;

enum { FDEV_NOBUFS, FDEV_RECEIVED };
extern const char *const pl_fdev_counters[];
extern const pl_handler pl_fdev_handlers[];

int pl_fdev_configure(pl_element *e, pl_error *err);
int pl_fdev_start(pl_element *e, pl_error *err);
void pl_fdev_cleanup(pl_element *e);
uint32_t pl_fdev_run(pl_element *e, pl_ctx *ctx);

#endif
