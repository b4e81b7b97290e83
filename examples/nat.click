// A NAT in memory: two inside hosts (192.168.1.2:5000, 192.168.1.3:6000) send
// UDP queries to 8.8.8.8; IPRewriter maps each flow to 10.0.0.1 and a port
// from 1024; IPMirror plays the server and answers; the answers are mapped
// back to the inside hosts.
//   pktlab run examples/nat.click --duration 2
//   then read rw.udp_table (4 lines: both flows, both directions), back.count
a :: InfiniteSource(DATA \<45000022 00010000 4011a910 c0a80102 08080808 13880035 000eca41 71756572 7931>,
                    LIMIT 1000)
  -> in :: CheckIPHeader
  -> rw :: IPRewriter(pattern 10.0.0.1 1024-65535# - - 0 1, drop, MAPPING_CAPACITY 1024);
b :: InfiniteSource(DATA \<45000022 00010000 4011a90f c0a80103 08080808 17700035 000ec657 71756572 7932>,
                    LIMIT 1000)
  -> in;
rw[0] -> out :: Counter -> IPMirror -> [1]rw;
rw[1] -> back :: Counter -> Discard;
