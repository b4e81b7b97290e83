// The standard Click IP router (Kohler et al., "The Click modular router",
// TOCS 2000, Fig. 8) with four interfaces, each its own /16 subnet, and static
// Ethernet encapsulation instead of ARPQuerier, as in the FastClick paper's
// router test case. ARP requests for the router's addresses are answered.
//
//   pktlab run examples/router.click --duration 5          (in memory, standalone)
//   pktlab bench router                                     (the paper's flows, Fig. 3)
//
// I/O: in0..in3 and out0..out3 are the interfaces. Here in0..in3 generate one
// 60-byte UDP flow each (host i -> a host of subnet i+1); tests and
// `pktlab bench router` swap them for FromMemory fed by pktlab.flowgen, and a
// DPDK run swaps them for FromDPDKDevice(i) / ToDPDKDevice(i) -- the rest of
// the graph stays as it is.

define($BURST 32, $LIMIT -1, $STOP false, $MTU 1500);
define($IP0 10.0.0.1, $IP1 10.1.0.1, $IP2 10.2.0.1, $IP3 10.3.0.1);
define($MAC0 02:00:00:00:00:01, $MAC1 02:00:00:00:01:01,
       $MAC2 02:00:00:00:02:01, $MAC3 02:00:00:00:03:01);
// the host (next hop) on each subnet: static encapsulation
define($PEER0 02:00:00:00:00:02, $PEER1 02:00:00:00:01:02,
       $PEER2 02:00:00:00:02:02, $PEER3 02:00:00:00:03:02);

// ---- I/O -----------------------------------------------------------------
in0 :: InfiniteSource(DATA \<02000000 00010200 00000002 08004500 002e0000 00004011
        66bb0a00 00020a01 000204d2 162e001a 00000000 00000000 00000000 00000000 00000000>,
        LIMIT $LIMIT, BURST $BURST, STOP $STOP);
in1 :: InfiniteSource(DATA \<02000000 01010200 00000102 08004500 002e0000 00004011
        66b90a01 00020a02 000204d2 162e001a 00000000 00000000 00000000 00000000 00000000>,
        LIMIT $LIMIT, BURST $BURST, STOP $STOP);
in2 :: InfiniteSource(DATA \<02000000 02010200 00000202 08004500 002e0000 00004011
        66b70a02 00020a03 000204d2 162e001a 00000000 00000000 00000000 00000000 00000000>,
        LIMIT $LIMIT, BURST $BURST, STOP $STOP);
in3 :: InfiniteSource(DATA \<02000000 03010200 00000302 08004500 002e0000 00004011
        66b90a03 00020a00 000204d2 162e001a 00000000 00000000 00000000 00000000 00000000>,
        LIMIT $LIMIT, BURST $BURST, STOP $STOP);
out0 :: Discard;  out1 :: Discard;  out2 :: Discard;  out3 :: Discard;
tohost :: Discard;                       // packets for the router itself

// ---- the forwarding path of one interface ----------------------------------
// Redirects (PaintTee), IP options, ICMP source fix-up, TTL, fragmentation,
// then the static link header. Errors leave on [1], back to the routing table.
elementclass OutPath { $ip, $mac, $peer, $color |
    input -> DropBroadcasts
      -> cp :: PaintTee($color)
      -> gio :: IPGWOptions($ip)
      -> FixIPSrc($ip)
      -> dt :: DecIPTTL
      -> fr :: IPFragmenter($MTU)
      -> EtherEncap(0x0800, $mac, $peer)
      -> output;
    dt[1] -> ICMPError($ip, timeexceeded) -> [1] output;
    fr[1] -> ICMPError($ip, unreachable, needfrag, PMTU $MTU) -> [1] output;
    gio[1] -> ICMPError($ip, parameterproblem) -> [1] output;
    cp[1] -> ICMPError($ip, redirect, host) -> [1] output;
}

// ---- the shared IP input path and routing table ----------------------------
ip :: Strip(14)
  -> CheckIPHeader(INTERFACES $IP0/16 $IP1/16 $IP2/16 $IP3/16)
  -> GetIPAddress(16)
  -> rt :: RadixIPLookup(
        $IP0/32 0, 10.0.255.255/32 0, 10.0.0.0/32 0,
        $IP1/32 0, 10.1.255.255/32 0, 10.1.0.0/32 0,
        $IP2/32 0, 10.2.255.255/32 0, 10.2.0.0/32 0,
        $IP3/32 0, 10.3.255.255/32 0, 10.3.0.0/32 0,
        10.0.0.0/16 1, 10.1.0.0/16 2, 10.2.0.0/16 3, 10.3.0.0/16 4);
rt[0] -> tohost;

// ---- per interface: classify, answer ARP, paint, forward -------------------
c0 :: Classifier(12/0806 20/0001, 12/0806 20/0002, 12/0800, -);
c1 :: Classifier(12/0806 20/0001, 12/0806 20/0002, 12/0800, -);
c2 :: Classifier(12/0806 20/0001, 12/0806 20/0002, 12/0800, -);
c3 :: Classifier(12/0806 20/0001, 12/0806 20/0002, 12/0800, -);
in0 -> c0;  in1 -> c1;  in2 -> c2;  in3 -> c3;

c0[0] -> ARPResponder($IP0 $MAC0) -> out0;
c1[0] -> ARPResponder($IP1 $MAC1) -> out1;
c2[0] -> ARPResponder($IP2 $MAC2) -> out2;
c3[0] -> ARPResponder($IP3 $MAC3) -> out3;

arpin :: Discard;                        // ARP replies: the encapsulation is static
c0[1] -> arpin;  c1[1] -> arpin;  c2[1] -> arpin;  c3[1] -> arpin;

c0[2] -> Paint(1) -> ip;
c1[2] -> Paint(2) -> ip;
c2[2] -> Paint(3) -> ip;
c3[2] -> Paint(4) -> ip;

other :: Discard;                        // neither ARP nor IP
c0[3] -> other;  c1[3] -> other;  c2[3] -> other;  c3[3] -> other;

rt[1] -> o0 :: OutPath($IP0, $MAC0, $PEER0, 1) -> out0;
rt[2] -> o1 :: OutPath($IP1, $MAC1, $PEER1, 2) -> out1;
rt[3] -> o2 :: OutPath($IP2, $MAC2, $PEER2, 3) -> out2;
rt[4] -> o3 :: OutPath($IP3, $MAC3, $PEER3, 4) -> out3;
o0[1] -> rt;  o1[1] -> rt;  o2[1] -> rt;  o3[1] -> rt;
