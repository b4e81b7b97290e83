// Click's FromHost/ToHost pair over one TAP device.
FromHost(fake0, 192.0.0.1/8) -> fromhost_cl :: Classifier(12/0806, 12/0800);
fromhost_cl[0] -> ARPResponder(0.0.0.0/0 1:1:1:1:1:1) -> ToHost(fake0);
fromhost_cl[1] -> Print(ip) -> Discard;
