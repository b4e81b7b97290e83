/* CheckIPHeader: checks IP headers, sets the network header and dst annotations. */
#include "../../lib/check_ip.h"

static const pl_param params[] = PL_CIH_PARAMS("true");

static const pl_class check_ip_header = {
    .name = "CheckIPHeader",
    .ports = "1/1-2",
    .processing = "a/ah",
    .doc = "CheckIPHeader([OFFSET, KEYWORDS])\n"
           "Checks IP header.\n\n"
           "Input packets should have IP headers starting OFFSET bytes in. Checks that\n"
           "the packet is long enough, and that the IP version, header length, total\n"
           "length and (with CHECKSUM) checksum fields are valid; with INTERFACES,\n"
           "BADSRC or GOODDST, also that the source address is a legal unicast address\n"
           "(RFC 1812 5.3.7). Shortens packets to the IP length (Ethernet padding), sets\n"
           "the network header annotation and the destination IP annotation. Valid\n"
           "packets leave on output 0; invalid ones on output 1 if it is connected,\n"
           "otherwise they are dropped and counted under their reason. The first bad\n"
           "packet is logged (every one with VERBOSE).\n"
           "Counters (drop reasons): tiny_packet, bad_version, bad_header_length,\n"
           "bad_length, bad_checksum, bad_source.\n\n"
           "Example: Strip(14) -> CheckIPHeader(INTERFACES 10.0.0.1/24 10.0.1.1/24) -> rt;",
    .state_size = sizeof(cih_state),
    .params = params,
    .handlers = handlers,
    .counters = counters,
    .ndrops = NREASONS,
    .configure = cih_configure,
    .cleanup = cih_cleanup,
    .push = cih_push,
};
PL_REGISTER_CLASS(check_ip_header);
