/* IP6Print: logs a line per IPv6 packet (Click's format) and passes it on. */
#include "../../core/element.h"
#include "../../lib/netpkt.h"

#include <arpa/inet.h>
#include <stdio.h>

typedef struct {
    char *label;
    uint8_t contents;
    uint64_t nbytes;
} i6p_state;

#define LINE 500

static pl_packet *i6p_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    i6p_state *s = PL_STATE(e, i6p_state);
    const uint8_t *h = pl_net_header(p);
    const char *lab = s->label && *s->label ? s->label : NULL;
    if (h < p->data || pl_net_length(p) < 40) {   /* pktlab: Click reads past the end */
        pl_log(e->eng, "%s%struncated IPv6 header (%u bytes)", lab ? lab : "", lab ? ": " : "",
               p->len);
        return p;
    }
    char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, h + 8, src, sizeof src);
    inet_ntop(AF_INET6, h + 24, dst, sizeof dst);
    pl_log(e->eng, "%s%s%s -> %s plen %u, next %u, hlim %u", lab ? lab : "", lab ? ": " : "",
           src, dst, pl_rd16(h + 4), h[6], h[7]);
    if (!s->contents)
        return p;
    /* Click's contents: from the packet's start, 24 bytes a line, in
     * groups of 4 (a group's space kept at the end), each line indented by
     * two spaces; an empty last line when the bytes fill their line. */
    char line[LINE];
    size_t k = (size_t)snprintf(line, sizeof line, "  ");
    uint32_t n = p->len < s->nbytes ? p->len : (uint32_t)s->nbytes;
    for (uint32_t i = 0; i < n; i++) {
        k += (size_t)snprintf(line + k, sizeof line - k, "%02x%s", p->data[i],
                              i % 24 != 23 && i % 4 == 3 ? " " : "");
        if (i % 24 == 23) {
            pl_log(e->eng, "%s", line);
            k = (size_t)snprintf(line, sizeof line, "  ");
        }
    }
    pl_log(e->eng, "%s", line);
    return p;
}

static const pl_param params[] = {
    {"LABEL", PL_T_STRING, offsetof(i6p_state, label), "", 0, -1, PL_P_POSITIONAL,
     "text at the start of each line"},
    {"CONTENTS", PL_T_BOOL, offsetof(i6p_state, contents), "false", 0, -1, 0,
     "also print the packet's bytes in hex"},
    {"NBYTES", PL_T_UINT, offsetof(i6p_state, nbytes), "1500", 0, 65535, 0,
     "bytes shown with CONTENTS"},
    {0}};

static const pl_class ip6_print = {
    .name = "IP6Print",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "IP6Print([LABEL, CONTENTS, NBYTES])\n"
           "Pretty-prints IPv6 packets.\n\n"
           "Logs one line per packet to the engine's log, as Click does:\n"
           "'LABEL: SRC -> DST plen N, next N, hlim N' from the IPv6 header (the\n"
           "network header when one is set, else the packet's start), then passes\n"
           "the packet on. With CONTENTS, up to NBYTES bytes from the packet's start\n"
           "follow in hex, 24 a line, in groups of four. A packet too short for an\n"
           "IPv6 header logs 'truncated IPv6 header (N bytes)' (pktlab: Click reads\n"
           "past its end).\n"
           "Keywords: LABEL, CONTENTS, NBYTES.\n\n"
           "Example: CheckIP6Header -> IP6Print(in) -> Discard;",
    .state_size = sizeof(i6p_state),
    .params = params,
    .simple_action = i6p_action,
};
PL_REGISTER_CLASS(ip6_print);
