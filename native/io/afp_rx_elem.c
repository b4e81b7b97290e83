/* FromDevice and PollDevice: receiving through AF_PACKET (see afp_rx_elem.h). */
#include "afp_rx_elem.h"

#include <net/if.h>

const char *const pl_fdev_counters[] = {"nobufs", "received", NULL};

int pl_fdev_configure(pl_element *e, pl_error *err)
{
    fdev_state *s = PL_STATE(e, fdev_state);
    int method;
    if (pl_afp_parse_method(e, s->method, &method, err))
        return err->status;
    if (s->headroom > PL_HEADROOM)
        return pl_seterr(err, PL_ERR_CONFIG, e, "HEADROOM",
                         "HEADROOM %llu: pktlab's buffers keep %d bytes of headroom, no more",
                         (unsigned long long)s->headroom, PL_HEADROOM);
    /* PollDevice's ALLOW_NONEXISTENT: a device that is not there receives nothing. */
    if (s->allow_nonexistent && !if_nametoindex(s->devname)) {
        pl_message(e, PL_MSG_WARNING, "%s: no such device (ALLOW_NONEXISTENT: receiving nothing)",
                   s->devname);
        s->dev = NULL;
        return 0;
    }
    pl_io_conf c = {.name = s->devname, .rx = 1, .nqueues = 1, .snaplen = (uint32_t)s->snaplen,
                    .promisc = s->promisc, .method = method};
    if (pl_element_dry(e))             /* pktlab check: nothing opened */
        return 0;
    return pl_io_afpacket.open(&s->dev, &c, e, err);
}

int pl_fdev_start(pl_element *e, pl_error *err)
{
    fdev_state *s = PL_STATE(e, fdev_state);
    return s->dev ? pl_io_afpacket.start(s->dev, e, err) : 0;
}

void pl_fdev_cleanup(pl_element *e)
{
    fdev_state *s = PL_STATE(e, fdev_state);
    if (s->dev)
        pl_io_afpacket.close(s->dev);
    s->dev = NULL;
}

uint32_t pl_fdev_run(pl_element *e, pl_ctx *ctx)
{
    fdev_state *s = PL_STATE(e, fdev_state);
    if (!PL_LIVE(s->active) || !s->dev)
        return 0;
    pl_packet *b = NULL;
    uint32_t n = pl_io_afpacket.rx_burst(s->dev, ctx, &b, (uint32_t)PL_LIVE(s->burst));
    pl_io_queue *q = s->dev;
    if (__builtin_expect(q->nobufs, 0)) {
        pl_count(ctx, e, FDEV_NOBUFS, q->nobufs);
        q->nobufs = 0;
    }
    if (!n)
        return 0;
    if (!s->timestamp)                    /* PollDevice TIMESTAMP false */
        PL_BATCH_FOREACH(p, b)
            p->timestamp = 0;
    pl_count(ctx, e, FDEV_RECEIVED, n);
    pl_output_source(ctx, e, 0, b);
    return n;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, FDEV_RECEIVED));
}

static int read_kernel_drops(pl_element *e, char *buf, size_t len)
{
    fdev_state *s = PL_STATE(e, fdev_state);
    pl_io_stats st = {0};
    if (s->dev)
        pl_io_afpacket.stats(s->dev, &st);
    return pl_fmt(buf, len, "%llu", (unsigned long long)st.imissed);
}

const pl_handler pl_fdev_handlers[] = {
    {.name = "count", .doc = "packets received", .read = read_count},
    {.name = "kernel_drops", .doc = "packets the kernel dropped for want of ring space", .read = read_kernel_drops},
    {0}};
