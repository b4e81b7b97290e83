// The shape of an IP router's front half (Click's fake-iprouter): sources
// into a Classifier that splits ARP queries, ARP replies, IP and the rest;
// IP goes through a compound stage and a Tee. Only the drawing is tested.
elementclass Stage { input -> Paint(1) -> Counter -> output }

src0 :: InfiniteSource(LENGTH 64);
src1 :: InfiniteSource(LENGTH 60);
cl :: Classifier(12/0806 20/0001, 12/0806 20/0002, 12/0800, -);
src0 -> cl;
src1 -> cl;
cl[0] -> Strip(14) -> arpq :: Counter -> Discard;
cl[1] -> Discard;
cl[2] -> ip :: Stage -> t :: Tee(2);
t[0] -> Discard;
t[1] -> Print(copy) -> Discard;
cl[3] -> other :: Counter -> Discard;
