// Replay a capture through a counter into a new capture, as fast as possible
// (TIMING true: at the pace of its timestamps). Run from the repository root:
//   pktlab run examples/pcap-replay.click
//   pktlab run examples/pcap-replay.click IN=my.pcap OUT=/tmp/copy.pcap TIMING=true
// The copy is byte-identical to the input (its header says microseconds and a
// snap length of 65535, as tcpdump's does; ToDump's defaults are Click's:
// nanoseconds and SNAPLEN 2000); tcpdump -r, Wireshark and scapy read it.
// FromDump also reads pcapng, raw-IP and Linux cooked (SLL) captures.
define($IN examples/pcap-sample.pcap, $OUT /tmp/pktlab-replay.pcap, $TIMING false);

FromDump($IN, STOP true, TIMING $TIMING)
  -> c :: Counter
  -> ToDump($OUT, SNAPLEN 65535, NANO false);
