// A two-interface IPv6 router: each interface its own /64, addresses by name
// (AddressInfo), neighbor solicitations for the router's addresses answered,
// longest-prefix routing on the IPv6 destination annotation,
// hop limits decremented, and ICMPv6 time-exceeded messages for packets
// whose hop limit runs out, routed like any other packet.
//
//   pktlab run examples/router6.click --duration 5          (in memory, standalone)
//   pktlab check examples/router6.click
//
// I/O: in0/in1 and out0/out1 are the interfaces. Here in0 generates a UDP flow
// from host 2001:db8::2 to host 2001:db8:1::2 (forwarded to out1), and in1 one
// from 2001:db8:1::2 back with hop limit 1 (it expires: the time-exceeded
// message goes back to 2001:db8:1::2, out of out1). tests/test_router6.py
// swaps them for FromMemory and ToMemory; a DPDK run for device elements.

define($BURST 32, $LIMIT -1, $STOP false);
AddressInfo(if0 2001:db8::1/64 02:00:00:00:00:01,
            if1 2001:db8:1::1/64 02:00:00:00:01:01,
            peer0 02:00:00:00:00:02, peer1 02:00:00:00:01:02);

// ---- I/O -----------------------------------------------------------------
in0 :: InfiniteSource(DATA \<02000000 00010200 00000002 86dd6000 0000000e 11402001
        0db80000 00000000 00000000 00022001 0db80001 00000000 00000000 000204d2
        162e000e 895b0000 00000000>, LIMIT $LIMIT, BURST $BURST, STOP $STOP);
in1 :: InfiniteSource(DATA \<02000000 01010200 00000102 86dd6000 0000000e 11012001
        0db80001 00000000 00000000 00022001 0db80000 00000000 00000000 000204d2
        162e000e 895b0000 00000000>, LIMIT $LIMIT, BURST $BURST, STOP $STOP);
out0 :: Discard;  out1 :: Discard;
tohost :: Discard;                       // packets for the router itself
other :: Discard;                        // not IPv6

// ---- input: neighbor solicitations answered, IPv6 frames checked and routed
// on their destination, the rest dropped -----------------------------------
c0 :: Classifier(12/86dd 20/3aff 54/87, 12/86dd, -);   // ICMPv6, hop limit 255, type 135
c1 :: Classifier(12/86dd 20/3aff 54/87, 12/86dd, -);
in0 -> c0;  in1 -> c1;
c0[0] -> IP6NDAdvertiser(if0 if0:eth) -> out0;
c1[0] -> IP6NDAdvertiser(if1 if1:eth) -> out1;
c0[2] -> other;  c1[2] -> other;
c0[1] -> ip6 :: Strip(14);  c1[1] -> ip6;

ip6 -> CheckIP6Header
    -> GetIP6Address(24)
    -> rt :: LookupIP6Route(if0:ip6 0, if1:ip6 0, if0:ip6net 1, if1:ip6net 2);
rt[0] -> tohost;

// ---- output: hop limit, link header; expired packets become ICMPv6 errors --
rt[1] -> dh0 :: DecIP6HLIM -> EtherEncap(0x86dd, if0:eth, peer0) -> out0;
rt[2] -> dh1 :: DecIP6HLIM -> EtherEncap(0x86dd, if1:eth, peer1) -> out1;
dh0[1] -> ICMP6Error(if0:ip6, 3, 0) -> rt;
dh1[1] -> ICMP6Error(if1:ip6, 3, 0) -> rt;
