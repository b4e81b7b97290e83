/* FromDevice: receives from a Linux interface through an AF_PACKET socket. */
#include "../../io/afp_rx_elem.h"

static const pl_param params[] = {
    {"DEVNAME", PL_T_STRING, offsetof(fdev_state, devname), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "network interface"},
    /* Click's order: FromDevice(DEVNAME [, PROMISC [, SNAPLEN]], keywords) */
    {"PROMISC", PL_T_BOOL, offsetof(fdev_state, promisc), "false", 0, -1, PL_P_POSITIONAL,
     "promiscuous mode"},
    {"SNAPLEN", PL_T_UINT, offsetof(fdev_state, snaplen), PL_MAX_LEN_TEXT, 14, PL_MAX_LEN,
     PL_P_POSITIONAL, "bytes kept of each frame"},
    {"METHOD", PL_T_STRING, offsetof(fdev_state, method), "PACKET_MMAP", 0, -1, 0,
     "PACKET_MMAP (TPACKET_V3 ring, batched) or LINUX (one recv per packet)"},
    {"BURST", PL_T_UINT, offsetof(fdev_state, burst), "32", 1, 4096, PL_P_LIVE,
     "most packets per batch"},
    {"ACTIVE", PL_T_BOOL, offsetof(fdev_state, active), "true", 0, -1, PL_P_LIVE,
     "whether to receive"},
    {"TIMESTAMP", PL_T_BOOL, offsetof(fdev_state, timestamp), "true", 0, -1, 0,
     "keep the kernel's receive timestamp"},
    {0}};

static const pl_class from_device = {
    .name = "FromDevice",
    .ports = "0/1",
    .processing = "h/h",
    .doc = "FromDevice(DEVNAME [, METHOD, BURST, SNAPLEN, PROMISC, ACTIVE, TIMESTAMP])\n"
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
           "TIMESTAMP false leaves packets without the kernel's timestamp.\n"
           "Counters: nobufs, received. Handlers: count, kernel_drops, burst (rw).\n\n"
           "Example: FromDevice(veth0, METHOD PACKET_MMAP) -> c :: Counter -> Discard;",
    .state_size = sizeof(fdev_state),
    .params = params,
    .handlers = pl_fdev_handlers,
    .counters = pl_fdev_counters,
    .ndrops = 0,
    .configure = pl_fdev_configure,
    .start = pl_fdev_start,
    .cleanup = pl_fdev_cleanup,
    .run_task = pl_fdev_run,
};
PL_REGISTER_CLASS(from_device);
