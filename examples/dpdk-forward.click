// The paper's forwarding test case over DPDK: every frame received on one
// port is sent on the other, zero copy, batches of BURST (I/O batching).
// Virtual devices need no NIC and no hugepages:
//   pktlab run examples/dpdk-forward.click --duration 5
//   pktlab run examples/dpdk-forward.click --dpdk "--vdev net_null0 --vdev net_null1" BURST=256
// With real NICs give their PCI addresses: IN=0000:03:00.0 OUT=0000:03:00.1
// and --dpdk "-a 0000:03:00.0 -a 0000:03:00.1" (hugepages then help).
define($IN net_null0, $OUT net_null1, $BURST 32);

in :: FromDPDKDevice($IN, BURST $BURST)
  -> c :: Counter
  -> out :: ToDPDKDevice($OUT, BURST $BURST);
