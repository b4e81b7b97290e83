/* TCP and UDP flows of the rewriters (iprw_flows.c). */
#ifndef PL_IPRW_FLOWS_H
#define PL_IPRW_FLOWS_H

#include "iprw_elem.h"

/* The flow of a TCP/UDP/DCCP first fragment with 8 transport bytes; -1 otherwise. */
int iprw_tcp_udp_flow(iprw_state *s, pl_packet *p, uint8_t *ip, unsigned hl, iprw_fid *fid,
                      int tcp, int udp, int dccp);
uint64_t iprw_tcp_timeout(const iprw_state *s, const iprw_flow *f);
/* A UDP flow's best-effort timeout: the streaming one once it is streaming. */
uint64_t iprw_udp_timeout(const iprw_state *s, const iprw_flow *f, uint64_t plain);
void iprw_tcp_apply(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip, unsigned hl);
void iprw_udp_apply(iprw_state *s, iprw_flow *f, int dir, pl_packet *p, uint8_t *ip, unsigned hl);
void iprw_renew_tcp(iprw_state *s, iprw_flow *f, uint64_t now);
void iprw_renew_udp(iprw_state *s, iprw_flow *f, const uint64_t to[2], uint64_t now);

#endif
