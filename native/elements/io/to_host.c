/* ToHost: Ethernet frames to the kernel through FromHost's TAP device (Click's ToHost.u). */
#include "../../core/engine.h"
#include "../../io/from_host.h"

#include "../../lib/netpkt.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char *devname;
    _Atomic int fd;               /* the FromHost's device, -1 when there is none */
    int warned;
} tohost_state;

/* Drop reasons (every packet ends here): sent ones once the kernel took them. */
enum { C_TOO_SMALL, C_NOBUFS, C_ERRORS, C_NO_DEVICE, C_SENT };
static const char *const counters[] = {"too_small", "nobufs", "write_errors", "no_device",
                                       "sent", NULL};

/* The FromHost with the same DEVNAME (Click's ToHost::initialize). */
static int find_fd(pl_element *e)
{
    tohost_state *s = PL_STATE(e, tohost_state);
    pl_engine *eng = e->eng;
    for (int i = 0; i < eng->nelems; i++) {
        pl_element *f = eng->elems[i];
        if (f && f->cls == &pl_from_host_class) {
            fromhost_state *fs = PL_STATE(f, fromhost_state);
            if (fs->t.fd >= 0 && !strcmp(fs->t.name, s->devname))
                return fs->t.fd;
        }
    }
    return -1;
}

static int th_initialize(pl_element *e, pl_error *err)
{
    tohost_state *s = PL_STATE(e, tohost_state);
    int fd = find_fd(e);
    if (fd < 0 && e->eng->state == PL_S_BUILD)
        return pl_seterr(err, PL_ERR_CONFIG, e, "DEVNAME",
                         "ToHost(%s) requires an initialized FromHost with the same DEVNAME",
                         s->devname);
    atomic_store(&s->fd, fd);
    return 0;
}

static void th_graph_changed(pl_element *e)
{
    atomic_store(&PL_STATE(e, tohost_state)->fd, find_fd(e));
}

static void th_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    (void)port;
    tohost_state *s = PL_STATE(e, tohost_state);
    int fd = atomic_load_explicit(&s->fd, memory_order_acquire);
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        if (fd < 0) {
            pl_drop(ctx, e, C_NO_DEVICE, p);
            continue;
        }
        if (p->len < 14) {
            pl_drop(ctx, e, C_TOO_SMALL, p);
            continue;
        }
        uint16_t proto = pl_rd16(p->data + 12);
        pl_packet *q = pl_push(ctx, e, C_NOBUFS, p, PL_TUN_PI);
        if (!q)
            continue;
        pl_wr16(q->data, 0);
        pl_wr16(q->data + 2, proto);
        ssize_t want = (ssize_t)q->len, w = write(fd, q->data, q->len);
        int en = errno;
        if (w != want) {
            if (!__atomic_exchange_n(&s->warned, 1, __ATOMIC_RELAXED)) {
                pl_log(e->eng, "ToHost(%s): write failed: %s", s->devname,
                       w < 0 ? strerror(en) : "short write");
            }
            pl_drop(ctx, e, C_ERRORS, q);
        } else
            pl_drop(ctx, e, C_SENT, q);
    }
}

static int read_drops(pl_element *e, char *buf, size_t len)
{
    uint64_t n = 0;
    for (int c = C_TOO_SMALL; c < C_SENT; c++)
        n += pl_counter_total(e, c);
    return pl_fmt(buf, len, "%llu", (unsigned long long)n);
}

static int read_dev_name(pl_element *e, char *buf, size_t len)
{
    return pl_fmt(buf, len, "%s", PL_STATE(e, tohost_state)->devname);
}

static const pl_param params[] = {
    {"DEVNAME", PL_T_STRING, offsetof(tohost_state, devname), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "the FromHost's device"},
    {0}};

static const pl_handler handlers[] = {
    {.name = "dev_name", .doc = "the device's name", .read = read_dev_name, .flags = PL_H_CALM},
    {.name = "drops", .doc = "frames not handed to the kernel (all drop reasons but sent)",
     .read = read_drops},
    {0}};

static const pl_class to_host = {
    .name = "ToHost",
    .ports = "1/0",
    .processing = "h/h",
    .doc = "ToHost(DEVNAME)\n"
           "Sends Ethernet frames to Linux through a FromHost's TAP device (user-level).\n\n"
           "Hands frames to the kernel's protocol stack as received on DEVNAME, the\n"
           "TAP device of the FromHost with the same DEVNAME (required: an error\n"
           "otherwise). Give it IP packets addressed to the host (with a routable\n"
           "source, or Linux drops them silently) and copies of ARP replies. A frame\n"
           "shorter than 14 bytes is dropped (too_small); a failed write is counted\n"
           "(write_errors); after a live change that removed the FromHost, frames are\n"
           "dropped as no_device.\n"
           "Counters (drop reasons: every frame ends here): too_small, nobufs,\n"
           "write_errors, no_device, sent. Handlers: dev_name, drops.\n\n"
           "Example: FromHost(fake0, 192.0.0.1/8) -> c :: Classifier(12/0806, 12/0800);\n"
           "         c[0] -> ARPResponder(0.0.0.0/0 1:1:1:1:1:1) -> ToHost(fake0);\n"
           "         c[1] -> Discard;",
    .state_size = sizeof(tohost_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = C_SENT + 1,
    .initialize = th_initialize,
    .graph_changed = th_graph_changed,
    .push = th_push,
};
PL_REGISTER_CLASS(to_host);
