// Click's idiom: answer the kernel's ARP queries, then its IP packets.
tap :: KernelTap(10.78.0.1/24, ETHER 02:00:00:00:00:01);
tap -> cl :: Classifier(12/0806 20/0001, 12/0800, -);
cl[0] -> ARPResponder(10.78.0.2 02:00:00:00:00:02) -> tap;
cl[1] -> Strip(14) -> CheckIPHeader -> ic :: IPClassifier(icmp type echo, -);
ic[0] -> ICMPPingResponder -> Unstrip(14) -> EtherMirror -> tap;
ic[1] -> Discard;
cl[2] -> Discard;
