/* PollDevice: Click's linuxmodule polling receiver, run as FromDevice over AF_PACKET. */
#include "../../io/afp_rx_elem.h"

static const pl_param params[] = {
    {"DEVNAME", PL_T_STRING, offsetof(fdev_state, devname), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "network interface"},
    {"BURST", PL_T_UINT, offsetof(fdev_state, burst), "8", 1, 4096,
     PL_P_POSITIONAL | PL_P_LIVE, "most packets per batch (Click's default 8)"},
    {"PROMISC", PL_T_BOOL, offsetof(fdev_state, promisc), "false", 0, -1, 0,
     "promiscuous mode"},
    {"TIMESTAMP", PL_T_BOOL, offsetof(fdev_state, timestamp), "true", 0, -1, 0,
     "keep the kernel's receive timestamp"},
    {"QUIET", PL_T_BOOL, offsetof(fdev_state, quiet), "false", 0, -1, 0,
     "no messages about the device (pktlab prints none while running)"},
    {"ALLOW_NONEXISTENT", PL_T_BOOL, offsetof(fdev_state, allow_nonexistent), "false", 0, -1, 0,
     "a device that does not exist is a warning (nothing is received), not an error"},
    {"HEADROOM", PL_T_UINT, offsetof(fdev_state, headroom), "64", 0, 8192, 0,
     "bytes free before the data (the engine's buffers have 128; more is an error)"},
    {"LENGTH", PL_T_UINT, offsetof(fdev_state, length), "0", 0, 65535, 0,
     "least buffer length (buffers are sized to the frame: always met)"},
    {"METHOD", PL_T_STRING, offsetof(fdev_state, method), "PACKET_MMAP", 0, -1, 0,
     "PACKET_MMAP (TPACKET_V3 ring, batched) or LINUX (one recv per packet)"},
    {"SNAPLEN", PL_T_UINT, offsetof(fdev_state, snaplen), PL_MAX_LEN_TEXT, 14, PL_MAX_LEN, 0,
     "bytes kept of each frame"},
    {"ACTIVE", PL_T_BOOL, offsetof(fdev_state, active), "true", 0, -1, PL_P_LIVE,
     "whether to receive"},
    {0}};

static const pl_class poll_device = {
    .name = "PollDevice",
    .ports = "0/1",
    .processing = "h/h",
    .doc = "PollDevice(DEVNAME [, BURST, keywords PROMISC, TIMESTAMP, QUIET,\n"
           "           ALLOW_NONEXISTENT, HEADROOM, LENGTH, METHOD, SNAPLEN, ACTIVE])\n"
           "Polls packets from a Linux network interface.\n\n"
           "Click's PollDevice exists only in its Linux kernel module, where it polls\n"
           "a driver with interrupts off; Click's user-level driver does not have it.\n"
           "pktlab runs it as FromDevice: an AF_PACKET socket on DEVNAME (needs\n"
           "CAP_NET_RAW), read by a task that polls the kernel's TPACKET_V3 ring\n"
           "(METHOD PACKET_MMAP) up to BURST packets a run (Click's default 8), so\n"
           "that Click's kernel configurations (PollDevice -> ... -> ToDevice) run.\n"
           "Its keywords are Click's: PROMISC, TIMESTAMP (false: no receive\n"
           "timestamp), QUIET (pktlab prints no device messages anyway),\n"
           "ALLOW_NONEXISTENT (a missing device is a warning and receives nothing;\n"
           "Click would pick it up when it appears, pktlab does not), HEADROOM (up to\n"
           "the engine's 128 bytes; more is an error), LENGTH (buffers are sized to\n"
           "each frame, so any LENGTH is met); and FromDevice's METHOD, SNAPLEN,\n"
           "ACTIVE. Click's UP_CALL and DOWN_CALL are not supported (an error).\n"
           "Counters: nobufs, received. Handlers: count, kernel_drops, burst (rw).\n\n"
           "Example: PollDevice(veth0) -> c :: Counter -> Discard;",
    .state_size = sizeof(fdev_state),
    .params = params,
    .handlers = pl_fdev_handlers,
    .counters = pl_fdev_counters,
    .configure = pl_fdev_configure,
    .start = pl_fdev_start,
    .cleanup = pl_fdev_cleanup,
    .run_task = pl_fdev_run,
};
PL_REGISTER_CLASS(poll_device);
