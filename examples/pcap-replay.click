// Replay a capture through a counter into a new capture, as fast as possible
// (TIMING true: at the pace of its timestamps). Run from the repository root:
//   pktlab run examples/pcap-replay.click
//   pktlab run examples/pcap-replay.click IN=my.pcap OUT=/tmp/copy.pcap TIMING=true
// The copy is byte-identical to the input; tcpdump -r, Wireshark and scapy read it.
define($IN examples/pcap-sample.pcap, $OUT /tmp/pktlab-replay.pcap, $TIMING false);

FromDump($IN, STOP true, TIMING $TIMING)
  -> c :: Counter
  -> ToDump($OUT);
