/* TCP and UDP flows of the rewriters (Click's TCPRewriter::TCPFlow and
 * UDPRewriter::UDPFlow): how they rewrite packets, track state and time out. */
#include "iprw_flows.h"
#include "ipfield.h"

#include <arpa/inet.h>

enum { S_FORWARD_DONE = 1, S_BOTH_DONE = 3, S_FORWARD_DATA = 4, S_BOTH_DATA = 12 };

int iprw_tcp_udp_flow(iprw_state *s, pl_packet *p, uint8_t *ip, unsigned hl, iprw_fid *fid,
                      int tcp, int udp, int dccp)
{
    int proto = ip[9];
    if (!((tcp && proto == 6) || (udp && proto == 17) || (dccp && proto == 33)) ||
        !pl_ip_first_fragment(ip) || pl_transport_length(p) < 8)
        return -1;
    const uint8_t *th = ip + hl;
    memcpy(&fid->saddr, ip + 12, 4);
    memcpy(&fid->daddr, ip + 16, 4);
    memcpy(&fid->sport, th, 2);
    memcpy(&fid->dport, th + 2, 2);
    (void)s;
    return 0;
}

uint64_t iprw_tcp_timeout(const iprw_state *s, const iprw_flow *f)
{
    if ((f->tflags & S_BOTH_DONE) == S_BOTH_DONE)
        return s->tcp_done_ms;
    if ((f->tflags & S_BOTH_DATA) == S_BOTH_DATA)
        return s->tcp_data_ms;
    return s->to[0];
}

uint64_t iprw_udp_timeout(const iprw_state *s, const iprw_flow *f, uint64_t plain)
{
    return f->tflags > 6 ? (s->streaming_given ? s->udp_stream_ms : plain) : plain;
}

void iprw_tcp_apply(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip, unsigned hl)
{
    iprw_rewrite_ip(s, f, dir, p, ip);
    if (!pl_ip_first_fragment(ip) || pl_transport_length(p) < 18)
        return;
    uint8_t *th = ip + hl;
    const iprw_fid *rev = &f->fid[!dir];
    memcpy(th, &rev->dport, 2);
    memcpy(th + 2, &rev->sport, 2);
    iprw_update_csum(th + 16, dir, f->udp_delta);
    unsigned off = th[12] >> 4;
    int payload = ((ip[0] & 15) + off) << 2 < pl_rd16(ip + 2);
    uint8_t fl = th[13];
    if (fl & 0x04)                     /* RST */
        f->tflags |= S_BOTH_DONE;
    else if (fl & 0x01)                /* FIN */
        f->tflags |= (uint8_t)(S_FORWARD_DONE << dir);
    else if ((fl & 0x02) || payload)   /* SYN */
        f->tflags &= (uint8_t)~(S_FORWARD_DONE << dir);
    if (payload)
        f->tflags |= (uint8_t)(S_FORWARD_DATA << dir);
}

void iprw_udp_apply(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip, unsigned hl)
{
    iprw_rewrite_ip(s, f, dir, p, ip);
    if (!pl_ip_first_fragment(ip))
        return;
    uint8_t *th = ip + hl;
    const iprw_fid *rev = &f->fid[!dir];
    uint32_t tl = pl_transport_length(p);
    if (tl >= 4) {
        memcpy(th, &rev->dport, 2);
        memcpy(th + 2, &rev->sport, 2);
    }
    if (ip[9] == 6) {
        if (tl >= 18)
            iprw_update_csum(th + 16, dir, f->udp_delta);
    } else if (ip[9] == 17) {
        if (tl >= 8 && (th[6] | th[7]))   /* a zero checksum is no checksum */
            iprw_update_csum(th + 6, dir, f->udp_delta);
    }
    if (dir)
        f->tflags |= 1;
    if (f->tflags < 6)
        f->tflags += 2;
}

void iprw_renew_tcp(iprw_state *s, iprw_flow *f, uint64_t now)
{
    if (s->to[1])
        iprw_change_expiry(&s->t, f, 1, now + s->to[1]);
    else
        iprw_change_expiry(&s->t, f, 0, now + iprw_tcp_timeout(s, f));
}

void iprw_renew_udp(iprw_state *s, iprw_flow *f, const uint64_t to[2], uint64_t now)
{
    if (to[1])
        iprw_change_expiry(&s->t, f, 1, now + to[1]);
    else
        iprw_change_expiry(&s->t, f, 0, now + iprw_udp_timeout(s, f, to[0]));
}
