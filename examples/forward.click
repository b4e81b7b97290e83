// The paper's forwarding test case, in memory: a generator pushes 64-byte
// frames in batches of BURST through a counter into a sink.
//   pktlab run examples/forward.click --duration 5
//   pktlab run examples/forward.click BURST=1 --duration 5     (Click-style)
define($BURST 32, $LENGTH 64);

src :: InfiniteSource(LENGTH $LENGTH, BURST $BURST)
  -> c :: Counter
  -> sink :: Discard;
