/* FromDevice: receives from a Linux interface through an AF_PACKET socket. */
#include "../../io/io.h"

typedef struct {
    char *devname, *method;
    uint64_t burst, snaplen;
    uint8_t promisc, active;
    void *dev;
} fdev_state;

enum { C_NOBUFS, C_RECEIVED };
static const char *const counters[] = {"nobufs", "received", NULL};

static int fdev_configure(pl_element *e, pl_error *err)
{
    fdev_state *s = PL_STATE(e, fdev_state);
    int method;
    if (pl_afp_parse_method(e, s->method, &method, err))
        return err->status;
    pl_io_conf c = {.name = s->devname, .rx = 1, .nqueues = 1, .snaplen = (uint32_t)s->snaplen,
                    .promisc = s->promisc, .method = method};
    return pl_io_afpacket.open(&s->dev, &c, e, err);
}

/* The interface may have been made again since the last run: reopen. */
static int fdev_start(pl_element *e, pl_error *err)
{
    return pl_io_afpacket.start(PL_STATE(e, fdev_state)->dev, e, err);
}

static void fdev_cleanup(pl_element *e)
{
    fdev_state *s = PL_STATE(e, fdev_state);
    if (s->dev)
        pl_io_afpacket.close(s->dev);
    s->dev = NULL;
}

static uint32_t fdev_run(pl_element *e, pl_ctx *ctx)
{
    fdev_state *s = PL_STATE(e, fdev_state);
    if (!PL_LIVE(s->active))
        return 0;
    pl_packet *b = NULL;
    uint32_t n = pl_io_afpacket.rx_burst(s->dev, ctx, &b, (uint32_t)PL_LIVE(s->burst));
    pl_io_queue *q = s->dev;
    if (__builtin_expect(q->nobufs, 0)) {
        pl_count(ctx, e, C_NOBUFS, q->nobufs);
        q->nobufs = 0;
    }
    if (!n)
        return 0;
    pl_count(ctx, e, C_RECEIVED, n);
    pl_output_source(ctx, e, 0, b);
    return n;
}

static int read_count(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%llu", (unsigned long long)pl_counter_total(e, C_RECEIVED));
}

static int read_kernel_drops(pl_element *e, char *buf, size_t len)
{
    fdev_state *s = PL_STATE(e, fdev_state);
    pl_io_stats st = {0};
    if (s->dev)
        pl_io_afpacket.stats(s->dev, &st);
    return pl_fmt(buf, len, "%llu", (unsigned long long)st.imissed);
}

static const pl_param params[] = {
    {"DEVNAME", PL_T_STRING, offsetof(fdev_state, devname), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "network interface"},
    {"METHOD", PL_T_STRING, offsetof(fdev_state, method), "PACKET_MMAP", 0, -1, 0,
     "PACKET_MMAP (TPACKET_V3 ring, batched) or LINUX (one recv per packet)"},
    {"BURST", PL_T_UINT, offsetof(fdev_state, burst), "32", 1, 4096, PL_P_LIVE,
     "most packets per batch"},
    {"SNAPLEN", PL_T_UINT, offsetof(fdev_state, snaplen), PL_MAX_LEN_TEXT, 14, PL_MAX_LEN, 0,
     "bytes kept of each frame"},
    {"PROMISC", PL_T_BOOL, offsetof(fdev_state, promisc), "false", 0, -1, 0,
     "promiscuous mode"},
    {"ACTIVE", PL_T_BOOL, offsetof(fdev_state, active), "true", 0, -1, PL_P_LIVE,
     "whether to receive"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "count", .doc = "packets received", .read = read_count},
    {.name = "kernel_drops", .doc = "packets the kernel dropped for want of ring space", .read = read_kernel_drops},
    {0}};

static const pl_class from_device = {
    .name = "FromDevice",
    .ports = "0/1",
    .processing = "h/h",
    .doc = "FromDevice(DEVNAME [, METHOD, BURST, SNAPLEN, PROMISC, ACTIVE])\n"
           "Receives packets from a Linux network interface.\n\n"
           "Opens an AF_PACKET socket on DEVNAME (needs CAP_NET_RAW). METHOD\n"
           "PACKET_MMAP reads a TPACKET_V3 ring shared with the kernel, up to BURST\n"
           "packets per batch without a system call (the kernel hands over a block\n"
           "when it is full or after 1 ms); LINUX calls recv() once per packet, the\n"
           "paper's vanilla-Click baseline. Frames are copied into engine buffers (cut\n"
           "at SNAPLEN: whole frames by default, jumbo frames and 64 KB GRO\n"
           "super-packets included; what SNAPLEN cut is the extra-length annotation)\n"
           "with their kernel timestamp; frames this host sends on DEVNAME are not\n"
           "received. With LINUX on an interface whose MTU exceeds 1,906 bytes each\n"
           "frame costs two system calls (a peek at its length, then recv).\n"
           "Counters: nobufs, received. Handlers: count, kernel_drops, burst (rw).\n\n"
           "Example: FromDevice(veth0, METHOD PACKET_MMAP) -> c :: Counter -> Discard;",
    .state_size = sizeof(fdev_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = 0,
    .configure = fdev_configure,
    .start = fdev_start,
    .cleanup = fdev_cleanup,
    .run_task = fdev_run,
};
PL_REGISTER_CLASS(from_device);
