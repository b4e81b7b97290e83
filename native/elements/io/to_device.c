/* ToDevice: sends packets on a Linux interface through an AF_PACKET socket. */
#include "../../io/io.h"

#include <pthread.h>

typedef struct {
    char *devname, *method;
    uint64_t burst;
    void *dev;
    int shared, lock_ready;
    pthread_mutex_t lock;         /* several threads may push: one socket, one ring */
} tdev_state;

/* Every packet ends here (sent ones once the kernel copied them): all drop reasons. */
enum { C_FULL, C_TOOLONG, C_ERRORS, C_SENT };
static const char *const counters[] = {"ring_full", "too_long", "errors", "sent", NULL};

static int tdev_configure(pl_element *e, pl_error *err)
{
    tdev_state *s = PL_STATE(e, tdev_state);
    int method;
    if (pl_afp_parse_method(e, s->method, &method, err))
        return err->status;
    pl_io_conf c = {.name = s->devname, .tx = 1, .nqueues = 1, .method = method};
    if (pl_element_dry(e))             /* pktlab check: nothing opened */
        return 0;
    if (pl_io_afpacket.open(&s->dev, &c, e, err))
        return err->status;
    s->shared = pl_element_nthreads(e) > 1;
    pthread_mutex_init(&s->lock, NULL);
    s->lock_ready = 1;
    return 0;
}

/* The interface may have been made again since the last run: reopen. */
static int tdev_start(pl_element *e, pl_error *err)
{
    return pl_io_afpacket.start(PL_STATE(e, tdev_state)->dev, e, err);
}

static int tdev_initialize(pl_element *e, pl_error *err)
{
    return pl_sink_init(e, (uint32_t)PL_STATE(e, tdev_state)->burst, err);
}

static void tdev_cleanup(pl_element *e)
{
    tdev_state *s = PL_STATE(e, tdev_state);
    if (s->dev)
        pl_io_afpacket.close(s->dev);
    s->dev = NULL;
    if (s->lock_ready)
        pthread_mutex_destroy(&s->lock);
    s->lock_ready = 0;
}

static void tdev_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    tdev_state *s = PL_STATE(e, tdev_state);
    uint32_t burst = (uint32_t)PL_LIVE(s->burst);
    pl_io_queue *q = s->dev;
    if (s->shared)
        pthread_mutex_lock(&s->lock);
    while (b) {
        uint32_t before = b->b_count;
        uint32_t sent = pl_io_afpacket.tx_burst(s->dev, ctx, &b, burst);
        pl_count(ctx, e, C_SENT, sent);
        if (b && b->b_count == before)
            break;                 /* no progress: the ring is full */
    }
    if (__builtin_expect(q->toolong | q->errors, 0)) {
        pl_count(ctx, e, C_TOOLONG, q->toolong);
        pl_count(ctx, e, C_ERRORS, q->errors);
        q->toolong = q->errors = 0;
    }
    if (s->shared)
        pthread_mutex_unlock(&s->lock);
    pl_drop_batch(ctx, e, C_FULL, b);
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_SENT));
}

static int read_dropped(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu",
                  (unsigned long long)(pl_counter_total(e, C_FULL) + pl_counter_total(e, C_TOOLONG) +
                                       pl_counter_total(e, C_ERRORS)));
}

static const pl_param params[] = {
    {"DEVNAME", PL_T_STRING, offsetof(tdev_state, devname), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "network interface"},
    {"METHOD", PL_T_STRING, offsetof(tdev_state, method), "PACKET_MMAP", 0, -1, 0,
     "PACKET_MMAP (TPACKET_V2 TX ring, one send() per burst) or LINUX (one send per packet)"},
    {"BURST", PL_T_UINT, offsetof(tdev_state, burst), "32", 1, 512, PL_P_LIVE,
     "most packets per send() (PACKET_MMAP)"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "count", .doc = "packets sent", .read = read_count},
    {.name = "dropped", .doc = "packets dropped (ring full, too long, send errors)", .read = read_dropped},
    {0}};

static const pl_class to_device = {
    .name = "ToDevice",
    .ports = "1/0",
    .processing = "a/a",
    .doc = "ToDevice(DEVNAME [, METHOD, BURST])\n"
           "Sends packets on a Linux network interface.\n\n"
           "Opens an AF_PACKET socket on DEVNAME (needs CAP_NET_RAW). METHOD\n"
           "PACKET_MMAP copies up to BURST frames into a TPACKET_V2 TX ring and sends\n"
           "them with one system call at the end of each batch; LINUX calls send()\n"
           "once per packet, the paper's vanilla-Click baseline. Threads share the\n"
           "socket under a lock. Frames of any size the interface's MTU allows go out\n"
           "(the TX ring's slots are sized by the MTU: 9,014-byte frames on an MTU 9000\n"
           "veth); a longer frame (more than MTU + 14 bytes, + 4 with a VLAN tag; the\n"
           "MTU is read again before deciding) is dropped and counted as too_long.\n"
           "Its input is agnostic, as FastClick's: after a Queue\n"
           "(Click's usual Queue -> ToDevice) its task pulls up to BURST packets a run\n"
           "and sleeps while the queue is empty.\n"
           "Counters (drop reasons: every packet ends here): ring_full, too_long,\n"
           "errors, sent. Handlers: count, dropped, burst (rw).\n\n"
           "Example: InfiniteSource(LENGTH 60, LIMIT 100, STOP true) -> ToDevice(veth0);",
    .state_size = sizeof(tdev_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 4,
    .configure = tdev_configure,
    .initialize = tdev_initialize,
    .start = tdev_start,
    .cleanup = tdev_cleanup,
    .push = tdev_push,
    .run_task = pl_sink_run,
};
PL_REGISTER_CLASS(to_device);
