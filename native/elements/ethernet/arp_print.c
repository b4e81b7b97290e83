/* ARPPrint: logs a tcpdump-like line per ARP packet (Click's format) and passes it on. */
#include "../../lib/netpkt.h"
#include "../../lib/timestamp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    char *label, *outfile, *channel;
    uint8_t timestamp, ether, active;
    FILE *out;
} arpprint_state;

#define LINE 512

static int arpprint_configure(pl_element *e, pl_error *err)
{
    arpprint_state *s = PL_STATE(e, arpprint_state);
    if (s->outfile && !pl_element_dry(e)) {  /* (pktlab check: not created) */
        s->out = fopen(s->outfile, "wb");
        if (!s->out)
            return pl_seterr(err, PL_ERR_CONFIG, e, "OUTFILE", "%s: %s", s->outfile,
                             strerror(errno));
    }
    return 0;
}

static void arpprint_cleanup(pl_element *e)
{
    arpprint_state *s = PL_STATE(e, arpprint_state);
    if (s->out)
        fclose(s->out);
    s->out = NULL;
}

typedef struct {
    char s[LINE];
    size_t k;
} acc;

static void put(acc *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(acc *a, const char *fmt, ...)
{
    if (a->k >= LINE - 2)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(a->s + a->k, LINE - 1 - a->k, fmt, ap);
    va_end(ap);
    if (n > 0)
        a->k = a->k + (size_t)n < LINE - 2 ? a->k + (size_t)n : LINE - 2;
}

static void eth(acc *a, const uint8_t *x)
{
    put(a, "%02X-%02X-%02X-%02X-%02X-%02X", x[0], x[1], x[2], x[3], x[4], x[5]);
}

static void ip(acc *a, const uint8_t *x) { put(a, "%u.%u.%u.%u", x[0], x[1], x[2], x[3]); }

static pl_packet *arpprint_action(pl_element *e, pl_packet *p, pl_ctx *ctx)
{
    (void)ctx;
    arpprint_state *s = PL_STATE(e, arpprint_state);
    if (!PL_LIVE(s->active) || p->net_off == PL_OFF_UNSET)
        return p;
    acc a = {.k = 0};
    if (s->label && *s->label)
        put(&a, "%s: ", s->label);
    if (s->timestamp) {
        char ts[40];
        pl_ts_format(ts, sizeof ts, pl_ts_get(&p->timestamp));
        put(&a, "%s: ", ts);
    }
    const uint8_t *nh = pl_net_header(p);
    if (s->ether) {
        const uint8_t *x = p->mac_off != PL_OFF_UNSET ? p->buf + p->mac_off : p->data;
        if (x + 14 <= nh && x + 14 <= p->data + p->len) {
            eth(&a, x + 6);
            put(&a, " > ");
            eth(&a, x);
            put(&a, ": ");
        }
    }
    uint32_t nl = pl_net_length(p);
    if (nl < 8) {
        put(&a, "truncated-arp (%u)", nl);
    } else {
        uint16_t hrd = pl_rd16(nh), pro = pl_rd16(nh + 2), op = pl_rd16(nh + 6);
        uint8_t hln = nh[4], pln = nh[5];
        if ((pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0) {
            /* as Click: this line is built but never printed */
            return p;
        }
        const uint8_t *sha = nh + 8, *spa = nh + 14, *tha = nh + 18, *tpa = nh + 24;
        if (nl < 28)              /* Click reads the fixed Ethernet/IPv4 layout regardless */
            return p;
        if (pro == 0x1000)
            put(&a, "trailer-");
        static const uint8_t zero[6];
        switch (op) {
        case 1:
            put(&a, "arp who-has ");
            ip(&a, tpa);
            if (memcmp(zero, tha, hln < 6 ? hln : 6)) {
                put(&a, " (");
                eth(&a, tha);
                put(&a, ")");
            }
            put(&a, " tell ");
            ip(&a, spa);
            break;
        case 2:
            put(&a, "arp reply ");
            ip(&a, spa);
            put(&a, " is-at ");
            eth(&a, sha);
            break;
        case 3: case 8:
            put(&a, op == 3 ? "rarp who-is " : "invarp who-is ");
            eth(&a, tha);
            put(&a, " tell ");
            eth(&a, sha);
            break;
        case 4: case 9:
            put(&a, op == 4 ? "rarp reply " : "invarp reply ");
            eth(&a, tha);
            put(&a, " at ");
            ip(&a, tpa);
            break;
        default:
            put(&a, "arp-#%u", op);
        }
        if (hrd != 1)
            put(&a, "hardware #%u", hrd);
    }
    a.s[a.k++] = '\n';
    if (s->out)
        fwrite(a.s, 1, a.k, s->out);
    else
        pl_err(e->eng, a.s, a.k);
    return p;
}

static const pl_param params[] = {
    {"LABEL", PL_T_STRING, offsetof(arpprint_state, label), "", 0, -1, PL_P_POSITIONAL,
     "text at the start of each line"},
    {"TIMESTAMP", PL_T_BOOL, offsetof(arpprint_state, timestamp), "true", 0, -1, 0,
     "show the timestamp annotation"},
    {"ETHER", PL_T_BOOL, offsetof(arpprint_state, ether), "false", 0, -1, 0,
     "show the Ethernet source and destination"},
    {"ACTIVE", PL_T_BOOL, offsetof(arpprint_state, active), "true", 0, -1, PL_P_LIVE,
     "whether packets are printed"},
    {"OUTFILE", PL_T_STRING, offsetof(arpprint_state, outfile), NULL, 0, -1, 0,
     "write the lines to this file instead of the log"},
    {"CHANNEL", PL_T_STRING, offsetof(arpprint_state, channel), NULL, 0, -1, 0,
     "accepted; lines go to the log (standard error under `pktlab click`)"},
    {0}};

static const pl_class arp_print = {
    .name = "ARPPrint",
    .ports = "1/1",
    .processing = "a/a",
    .doc = "ARPPrint([LABEL, KEYWORDS TIMESTAMP, ETHER, ACTIVE, OUTFILE])\n"
           "Pretty-prints ARP packets.\n\n"
           "Writes a tcpdump-like line per packet with a network header annotation (the\n"
           "ARP header), in Click's words: 'LABEL: TIME: arp who-has 1.0.0.3 tell\n"
           "1.0.10.10', 'arp reply 1.0.0.1 is-at 02-01-00-00-01-0D', rarp and invarp\n"
           "requests and replies, 'arp-#N' for other operations, 'truncated-arp (LEN)'.\n"
           "ETHER adds the Ethernet addresses. As in Click, packets whose protocol is not\n"
           "IP (or whose address lengths are not Ethernet/IPv4) print nothing. Lines go to\n"
           "the log (standard error under `pktlab click`), or to OUTFILE.\n\n"
           "Example: arpq[1] -> ARPPrint(query) -> ToDevice(eth0);",
    .state_size = sizeof(arpprint_state),
    .params = params,
    .configure = arpprint_configure,
    .cleanup = arpprint_cleanup,
    .simple_action = arpprint_action,
};
PL_REGISTER_CLASS(arp_print);
