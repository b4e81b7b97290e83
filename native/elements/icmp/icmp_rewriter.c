/* ICMPRewriter: rewrites ICMP errors by IP rewriters' mappings (Click's). */
#include "../../core/engine.h"
#include "../../lib/iprw_registry.h"
#include "../../lib/iprw_elem.h"
#include "../../lib/ipfield.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXMAPS 16

typedef struct {
    char *maps_s;
    uint8_t dst_anno;
    char *reply_anno_s;
    int reply_anno;               /* IPRW_NO_ANNO, IPRW_ANNO_PAINT or a byte */
    int nmaps;
    pl_element *maps[MAXMAPS];
    int offset[MAXMAPS];          /* -1: output 0 */
    char *names[MAXMAPS];
} icr_state;

enum { C_NOT_ICMP, C_UNMAPPED, C_NOBUFS, C_BAD, NDROPS };
static const char *const counters[] = {"not_icmp", "unmapped", "nobufs", "bad", NULL};

static void icr_free(icr_state *s)
{
    for (int i = 0; i < s->nmaps; i++)
        free(s->names[i]);
    s->nmaps = 0;
}

static int icr_configure(pl_element *e, pl_error *err)
{
    icr_state *s = PL_STATE(e, icr_state);
    icr_free(s);
    if (iprw_parse_anno(s->reply_anno_s, &s->reply_anno))
        return pl_seterr(err, PL_ERR_CONFIG, e, "REPLY_ANNO",
                         "REPLY_ANNO: expected PAINT or an annotation byte 0..%d, got '%s'",
                         PL_ANNO_SIZE - 1, s->reply_anno_s);
    char *copy = strdup(s->maps_s ? s->maps_s : ""), *save = NULL;
    if (!copy)
        return pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
    int rc = 0;
    for (char *w = strtok_r(copy, " \t\r\n", &save); w && !rc; w = strtok_r(NULL, " \t\r\n", &save)) {
        char *colon = strchr(w, ':'), *end;
        long off = -1;
        if (colon) {
            off = strtol(colon + 1, &end, 10);
            if (colon[1] == 0 || *end || off < 0 || off > 0xffff) {
                rc = pl_seterr(err, PL_ERR_CONFIG, e, "MAPS", "%s not an IP rewriter", w);
                break;
            }
            *colon = 0;
        }
        if (s->nmaps == MAXMAPS)
            rc = pl_seterr(err, PL_ERR_CONFIG, e, "MAPS", "more than %d IP rewriters", MAXMAPS);
        else if (!(s->names[s->nmaps] = strdup(w)))
            rc = pl_seterr(err, PL_ERR_NOMEM, e, "", "out of memory");
        else
            s->offset[s->nmaps++] = (int)off;
    }
    free(copy);
    if (!rc && !s->nmaps)
        rc = pl_seterr(err, PL_ERR_CONFIG, e, "MAPS", "no IP rewriters supplied");
    return rc;
}

static int icr_initialize(pl_element *e, pl_error *err)
{
    icr_state *s = PL_STATE(e, icr_state);
    for (int i = 0; i < s->nmaps; i++) {
        pl_element *rw = iprw_find_rewriter(e->eng, s->names[i]);
        if (!rw)
            return pl_seterr(err, PL_ERR_CONFIG, e, "MAPS", "%s not an IP rewriter", s->names[i]);
        if (s->offset[i] >= 0 && s->offset[i] + rw->noutputs > e->noutputs)
            return pl_seterr(err, PL_ERR_CONFIG, e, "MAPS", "%s:%d port offset requires more than %d %s",
                             s->names[i], s->offset[i], e->noutputs,
                             e->noutputs == 1 ? "output" : "outputs");
        s->maps[i] = rw;
    }
    return 0;
}

static void icr_cleanup(pl_element *e) { icr_free(PL_STATE(e, icr_state)); }

static void upd(uint8_t *sum, const uint16_t *old, const uint16_t *now, int n)
{
    for (int i = 0; i < n; i++)
        pl_cksum_update(sum, old[i], now[i]);
}

/* Click's click_update_zero_in_cksum: a 0 checksum stays valid (0xffff) unless
 * every covered byte is 0. */
static void zero_cksum(uint8_t *sum, const uint8_t *from, size_t n)
{
    if (sum[0] || sum[1])
        return;
    for (size_t i = 0; i < n; i++)
        if (from[i]) {
            sum[0] = sum[1] = 0xff;
            return;
        }
}

/* Click's ICMPRewriter::handle: the output, or -1 (unmapped). */
static int handle(pl_element *e, icr_state *s, pl_packet *p, uint8_t *ip, unsigned hl)
{
    uint8_t *ic = ip + hl, *end = ip + pl_net_length(p);
    uint32_t tl = pl_transport_length(p);
    if (tl < 1 || (ic[0] != 3 && ic[0] != 11 && ic[0] != 12 && ic[0] != 4 && ic[0] != 5))
        return -1;
    uint8_t *eip = ic + 8;
    if (tl < 28 || eip[0] >> 4 != 4 || (eip[0] & 15) < 5)
        return -1;
    uint8_t *et = eip + (eip[0] & 15) * 4;
    int ep = eip[9], first = !((eip[6] & 0x1f) | eip[7]), use_t = 0;
    iprw_fid sf = {0, 0, 0, 0};
    memcpy(&sf.saddr, eip + 16, 4);
    memcpy(&sf.daddr, eip + 12, 4);
    if (ep == 6 || ep == 17 || ep == 33) {
        if (et + 8 <= end && first) {
            memcpy(&sf.sport, et + 2, 2);
            memcpy(&sf.dport, et, 2);
            use_t = 1;
        }
    } else if (ep == 1 && et + 6 <= end && first && et[0] == 8) {
        memcpy(&sf.sport, et + 4, 2);
        use_t = 1;
    }
    int32_t en = IPRW_NIL;
    int k;
    iprw_fid nf;
    iprw_flow f;
    for (k = 0; k < s->nmaps && en == IPRW_NIL; k++) {
        iprw_state *rs = PL_STATE(s->maps[k], iprw_state);
        iprw_lock(rs);
        en = iprw_find_entry(rs, (uint8_t)ep, &sf);
        if (en != IPRW_NIL)
            f = *iprw_entry_flow(&rs->t, en);
        iprw_unlock(rs);
    }
    if (en == IPRW_NIL)
        return -1;
    k--;
    int dir = en & 1;
    nf = iprw_rev(f.fid[!dir]);
    (void)e;

    uint16_t old[8], now[8];
    if (!memcmp(ip + 16, &sf.daddr, 4)) {
        memcpy(old, ip + 16, 4);
        memcpy(ip + 16, &nf.daddr, 4);
        upd(ip + 10, old, (const uint16_t *)(const void *)&nf.daddr, 2);
        if (s->dst_anno)
            p->dst_ip = nf.daddr;
    }
    if (dir && s->reply_anno != IPRW_NO_ANNO)
        *iprw_anno(p, s->reply_anno) = f.reply_anno;
    /* 0: embedded IP checksum, 1-4: its addresses, 5-6: ports (or 5: the
     * ping identifier, 6: the embedded ICMP checksum), 7: the TCP/UDP checksum */
    memcpy(old + 1, eip + 12, 8);
    memcpy(old, eip + 10, 2);
    memcpy(eip + 12, &nf.daddr, 4);
    memcpy(eip + 16, &nf.saddr, 4);
    memcpy(now + 1, eip + 12, 8);
    upd(eip + 10, old + 1, now + 1, 4);
    memcpy(now, eip + 10, 2);
    int nhw = 5;
    if (use_t && ep != 1) {
        memcpy(old + nhw, et, 4);
        memcpy(et, &nf.dport, 2);
        memcpy(et + 2, &nf.sport, 2);
        memcpy(now + nhw, et, 4);
        nhw += 2;
        uint8_t *csum = NULL;
        if (ep == 6 && et + 18 <= end)
            csum = et + 16;
        else if (ep == 17 && (et[6] | et[7]))
            csum = et + 6;
        if (csum) {
            memcpy(old + nhw, csum, 2);
            upd(csum, old + 1, now + 1, nhw - 1);
            memcpy(now + nhw, csum, 2);
            nhw++;
        }
    } else if (use_t) {
        memcpy(old + nhw, et + 4, 2);
        memcpy(et + 4, &nf.dport, 2);
        memcpy(now + nhw, et + 4, 2);
        nhw++;
        memcpy(old + nhw, et + 2, 2);
        pl_cksum_update(et + 2, old[nhw - 1], now[nhw - 1]);
        zero_cksum(et + 2, et, (size_t)(end - et));
        memcpy(now + nhw, et + 2, 2);
        nhw++;
    }
    upd(ic + 2, old, now, nhw);
    return s->offset[k] >= 0 ? s->offset[k] + (int)f.out[dir] : 0;
}

static void icr_push(pl_element *e, int port, pl_packet *b, pl_ctx *ctx)
{
    icr_state *s = PL_STATE(e, icr_state);
    pl_packet *outs[e->noutputs];
    memset(outs, 0, sizeof outs);
    (void)port;
    PL_BATCH_FOREACH_SAFE(p, nx, b) {
        p->next = NULL;
        unsigned hl;
        uint8_t *ip = pl_ip_header_ok(p, &hl);
        if (!ip) {
            pl_drop(ctx, e, C_BAD, p);
            continue;
        }
        if (ip[9] != 1) {
            pl_drop(ctx, e, C_NOT_ICMP, p);
            continue;
        }
        if (pl_packet_shared(p)) {
            if (!(p = pl_writable(ctx, e, C_NOBUFS, p)))
                continue;
            ip = pl_net_header(p);
        }
        int o = handle(e, s, p, ip, hl);
        if (o < 0)
            o = 1;
        if (o < e->noutputs)
            pl_batch_append(&outs[o], p);
        else
            pl_drop(ctx, e, C_UNMAPPED, p);
    }
    for (int o = 0; o < e->noutputs; o++)
        if (outs[o])
            pl_output(ctx, e, o, outs[o]);
}

static const pl_param params[] = {
    {"MAPS", PL_T_STRING, offsetof(icr_state, maps_s), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED,
     "space-separated IP rewriters to look mappings up in, each NAME or NAME:PORT_OFFSET"},
    {"DST_ANNO", PL_T_BOOL, offsetof(icr_state, dst_anno), "true", 0, -1, 0,
     "set the destination IP annotation to the rewritten destination"},
    {"REPLY_ANNO", PL_T_STRING, offsetof(icr_state, reply_anno_s), NULL, 0, -1, 0,
     "annotation (PAINT or a byte) that errors about replies get from the flow's first packet"},
    {0}};

static const pl_class icmp_rewriter = {
    .name = "ICMPRewriter",
    .ports = "1/1-",
    .processing = "h/h",
    .doc = "ICMPRewriter(MAPS [, KEYWORDS])\n"
           "Rewrites ICMP error packets by IP rewriters' mappings (errors through a NAT).\n\n"
           "Click's ICMPRewriter. MAPS is a space-separated list of rewriter elements\n"
           "(IPRewriter, TCPRewriter, UDPRewriter, IPAddrRewriter, IPAddrPairRewriter,\n"
           "ICMPPingRewriter). An ICMP error (unreachable, time exceeded, parameter\n"
           "problem, source quench, redirect) quotes a packet that a rewriter sent out;\n"
           "ICMPRewriter looks the quoted flow up as a reply in each MAPS element in turn\n"
           "and rewrites the error so it answers the original packet: the outer\n"
           "destination (when it was the quoted source), the quoted addresses and ports\n"
           "(or ping identifier), and every checksum, incrementally. A rewritten error\n"
           "leaves on output 0, or, for an entry NAME:OFFSET, on OFFSET plus the mapping's\n"
           "output. Errors no mapping covers and ICMP packets that are not errors leave on\n"
           "output 1 when there is one, else are dropped (unmapped); non-ICMP packets are\n"
           "dropped (not_icmp). Packets need an IP header annotation.\n"
           "Threads: each lookup holds the rewriter's lock.\n"
           "Keywords: DST_ANNO (default true), REPLY_ANNO (an annotation: errors about\n"
           "reply packets get the flow's REPLY_ANNO value, as the rewriter's own).\n"
           "Counters (drops): not_icmp, unmapped, nobufs, bad (no IP header).\n\n"
           "Example: ICMPRewriter(rw)  (rw :: IPRewriter(pattern 10.0.0.1 1024-65535 - - 0 1),\n"
           "  and ICMP errors from the outside -> ICMPRewriter(rw) -> inside).",
    .state_size = sizeof(icr_state),
    .params = params,
    .counters = counters,
    .ndrops = NDROPS,
    .configure = icr_configure,
    .initialize = icr_initialize,
    .cleanup = icr_cleanup,
    .push = icr_push,
};
PL_REGISTER_CLASS(icmp_rewriter);
