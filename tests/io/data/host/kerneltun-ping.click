// The kernel routes 10.77.0.0/24 to the TUN device; pktlab answers pings.
tun :: KernelTun(10.77.0.1/24, BURST 8);
tun -> c :: IPClassifier(icmp type echo, -);
c[0] -> ICMPPingResponder -> tun;
c[1] -> Discard;
