// KernelTun's input pulled after a Queue; non-IP packets on output 1.
tun :: KernelTun(10.81.0.1/24, GATEWAY 10.81.0.254, MTU 1400, HEADROOM 28,
                 IGNORE_QUEUE_OVERFLOWS true);
tun[0] -> CheckIPHeader -> DecIPTTL -> q :: Queue(100) -> tun;
tun[1] -> Print(nonip) -> Discard;
